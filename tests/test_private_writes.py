"""What the other partner sees does not change when a partner writes something private.

Each test reads partner B's pages (home, exercises, the exercise itself), lets
partner A write something that is private to A and the therapist, and reads
B's pages again: they must be the same, apart from the per-response CSRF
tokens and form ids. A partner who logs a practice with every inner field kept
to themselves must not give away even that they practised that day (issue 18).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.exercises import access
from dyade.exercises.models import Assignment, Entry, Log, Run
from tests.conftest import World, client_for

PRIVATE_NEED = "ik wilde vastgehouden worden (prive-5521)"
PRIVATE_ENTRY = "mijn nee vandaag (prive-7730)"
PRIVATE_TURN_ON = "samen koken (prive-6612)"


def _assign(world: World, slug: str) -> Assignment:
    step = 1 if slug == "sensate-focus" else None
    return Assignment.objects.create(
        case=world.case, partner=None, slug=slug, assigned_by=world.therapist, step=step
    )


_VARYING = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
]


def _pages(world: World, *assignments: Assignment) -> dict[str, str]:
    """Partner B's pages, with what differs on every response taken out."""
    client = client_for(world.user_b)
    urls = [reverse("diary:home"), reverse("diary:exercises")]
    urls += [reverse("diary:exercise", args=[a.pk]) for a in assignments]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for pattern, replacement in _VARYING:
            text = pattern.sub(replacement, text)
        pages[url] = text
    return pages


def _log(world: World, assignment: Assignment, **values: object) -> object:
    data = {"request_id": str(uuid.uuid4()), "date": timezone.localdate().isoformat(), **values}
    return client_for(world.user_a).post(reverse("diary:exercise", args=[assignment.pk]), data)


@pytest.mark.parametrize(
    "private",
    [
        {"feeling": "aversion", "intensity": "4", "needed": PRIVATE_NEED},
        {"thoughts": ["doing-it-right", "partner-bored"]},
        {"note": PRIVATE_NEED},
        {"own_thought": PRIVATE_NEED},
    ],
)
def test_a_log_with_only_private_fields_leaves_the_other_partners_pages_as_they_were(
    world: World, private: dict[str, object]
) -> None:
    assignment = _assign(world, "sensate-focus")
    before = _pages(world, assignment)
    assert _log(world, assignment, **private).status_code == 302
    log = Log.objects.get()
    assert log.partner == world.partner_a and not log.shared
    assert _pages(world, assignment) == before
    # Not even an empty dated card: the log is not there for B at all.
    assert access.log_view(world.user_b, log) == {}
    # A and the therapist still see it in full.
    assert access.log_view(world.user_a, log)
    debrief = client_for(world.therapist).get(
        reverse("cases:exercise", args=[world.case.pk, assignment.pk])
    )
    assert debrief.status_code == 200
    if "needed" in private:
        assert PRIVATE_NEED in debrief.content.decode()


def test_a_log_with_a_shared_field_does_reach_the_other_partner(world: World) -> None:
    """The comparison above is not blind: what happened (the position) is shared."""
    assignment = _assign(world, "sensate-focus")
    before = _pages(world, assignment)
    assert _log(world, assignment, role="touched", needed=PRIVATE_NEED).status_code == 302
    after = _pages(world, assignment)
    url = reverse("diary:exercise", args=[assignment.pk])
    assert after[url] != before[url]
    assert 'class="log-role"' in after[url] and PRIVATE_NEED not in after[url]


def test_a_stored_log_that_shows_the_other_partner_nothing_is_not_listed(world: World) -> None:
    """Logs stored before the empty-log rule, or with empty values, stay out of B's view."""
    assignment = _assign(world, "sensate-focus")
    before = _pages(world, assignment)
    day = timezone.localdate()
    for values in ("{}", '{"role": "", "thoughts": [], "feeling": "neutral"}'):
        Log.objects.create(
            assignment=assignment, partner=world.partner_a, date=day, values_json=values
        )
    assert _pages(world, assignment) == before


def test_a_private_log_entry_and_private_answers_leave_the_other_partners_pages(
    world: World,
) -> None:
    boundary = _assign(world, "loving-boundary")
    turn_on = _assign(world, "turn-on-turn-off")
    before = _pages(world, boundary, turn_on)
    client_a = client_for(world.user_a)
    entry = {
        "request_id": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "f-answer": PRIVATE_ENTRY,
    }
    assert client_a.post(reverse("diary:exercise", args=[boundary.pk]), entry).status_code == 302
    answers = {"f-turn-on": PRIVATE_TURN_ON}
    assert client_a.post(reverse("diary:exercise", args=[turn_on.pk]), answers).status_code == 302
    assert Entry.objects.get().values == {"answer": PRIVATE_ENTRY}
    assert _pages(world, boundary, turn_on) == before


def test_an_empty_log_is_refused_with_a_message_and_keeps_what_was_typed(world: World) -> None:
    assignment = _assign(world, "sensate-focus")
    before = _pages(world, assignment)
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = _log(world, assignment, date=day, shared="on", intensity="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er staat nog niets in dit verslag" in page
    assert f'value="{day}"' in page  # the day that was typed
    assert re.search(r'name="shared"[^>]*checked', page)
    assert not Log.objects.exists()
    assert AuditEvent.objects.filter(event="exercise_log.create", outcome="invalid").exists()
    assert _pages(world, assignment) == before


def test_an_empty_log_is_refused_in_english_too(world: World) -> None:
    world.user_a.language = "en"
    world.user_a.save(update_fields=["language"])
    response = _log(world, _assign(world, "sensate-focus"))
    assert response.status_code == 200
    assert "This log is empty" in response.content.decode()
    assert not Log.objects.exists()


def test_emptying_a_log_is_refused_but_a_timer_run_needs_nothing_more(world: World) -> None:
    assignment = _assign(world, "hug-till-relaxed")
    client_a = client_for(world.user_a)
    assert _log(world, assignment, role="both").status_code == 302
    log = Log.objects.get()
    url = reverse("diary:exercise_log", args=[assignment.pk, log.pk])
    today = timezone.localdate().isoformat()
    response = client_a.post(url, {"request_id": str(uuid.uuid4()), "date": today})
    assert (
        response.status_code == 200
        and "Er staat nog niets in dit verslag" in response.content.decode()
    )
    log.refresh_from_db()
    assert log.values == {"role": "both"}
    run = Run.objects.create(
        assignment=assignment,
        partner=world.partner_a,
        run_id="run-0000001",
        started_at=timezone.now(),
    )
    from_run = Log.objects.create(
        assignment=assignment, partner=world.partner_a, date=timezone.localdate(), run=run
    )
    url = reverse("diary:exercise_log", args=[assignment.pk, from_run.pk])
    response = client_a.post(url, {"request_id": str(uuid.uuid4()), "date": today})
    assert response.status_code == 302


def test_an_empty_entry_of_a_log_exercise_is_refused(world: World) -> None:
    boundary = _assign(world, "loving-boundary")
    data = {
        "request_id": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "f-answer": "   ",
        "shared": "on",
    }
    response = client_for(world.user_a).post(reverse("diary:exercise", args=[boundary.pk]), data)
    assert response.status_code == 200
    assert "Er staat nog niets in dit verslag" not in response.content.decode()
    assert "Deze regel is leeg" in response.content.decode()
    assert not Entry.objects.exists()
