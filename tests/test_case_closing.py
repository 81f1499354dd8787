"""A case that ends: its form of work, closing with an outcome, reopening, hand-over, co-therapy.

Each rule is tried as the people who must be refused: the colleague who is not on
the case, another practice's therapist, the partners, the researcher, the admin and
a stranger. The partners of a closed case reach their home (which says it is closed)
and their own data, and no page of the case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from dyade.accounts.models import User
from dyade.audit.models import AuditEvent
from dyade.cases import policy
from dyade.cases.models import Case, CaseForm, CaseKind, CaseStatus, Outcome, Partner
from dyade.exercises.models import Assignment
from dyade.questionnaires.models import Administration
from dyade.reminders.models import Reminder
from tests.conftest import World, client_for

CLOSING_NOTE = "closing-note-marker"


def _post(client: Client, name: str, case: Case, **data: str) -> object:
    return client.post(reverse(f"cases:{name}", args=[case.pk]), data)


def _close(world: World, **data: str) -> object:
    values = {"outcome": Outcome.GROWN_CLOSER, "note": CLOSING_NOTE, **data}
    return _post(client_for(world.therapist), "close", world.case, **values)


def _events(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=name, outcome="success"))


# --- closing and reopening ----------------------------------------------------------------


def test_the_therapist_closes_a_case_with_an_outcome(world: World) -> None:
    before = world.case.changed_at
    response = _close(world)
    assert response.status_code == 302  # type: ignore[attr-defined]
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert case.outcome == Outcome.GROWN_CLOSER and case.stopped_by == ""
    assert case.closing_note == CLOSING_NOTE
    assert case.changed_at > before
    [event] = _events("case_closing.create")
    assert event.case_id == case.pk and event.user_id == world.therapist.pk
    page = client_for(world.therapist).get(reverse("cases:manage", args=[case.pk]))
    assert CLOSING_NOTE in page.content.decode()


def test_closing_twice_changes_nothing_the_second_time(world: World) -> None:
    _close(world)
    first = Case.objects.get(pk=world.case.pk)
    _close(world, outcome=Outcome.REFERRED)
    again = Case.objects.get(pk=world.case.pk)
    assert (again.outcome, again.closed_at) == (first.outcome, first.closed_at)
    assert len(_events("case_closing.create")) == 1


def test_stopped_early_needs_who_stopped_and_keeps_what_was_typed(world: World) -> None:
    response = _close(world, outcome=Outcome.STOPPED_EARLY, note="keep-this-typed-note")
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "keep-this-typed-note" in html and "Geef aan wie stopte." in html
    assert Case.objects.get(pk=world.case.pk).is_open
    _close(world, outcome=Outcome.STOPPED_EARLY, stopped_by="B")
    case = Case.objects.get(pk=world.case.pk)
    assert (case.outcome, case.stopped_by) == (Outcome.STOPPED_EARLY, "B")


def test_who_stopped_is_kept_only_for_a_case_stopped_early(world: World) -> None:
    _close(world, outcome=Outcome.ENDED_RESPECTFULLY, stopped_by="A")
    assert Case.objects.get(pk=world.case.pk).stopped_by == ""


def test_an_unknown_outcome_is_a_form_error(world: World) -> None:
    response = _close(world, outcome="vanished")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert Case.objects.get(pk=world.case.pk).is_open


def test_reopening_opens_the_case_again(world: World) -> None:
    _close(world)
    response = _post(client_for(world.therapist), "reopen", world.case)
    assert response.status_code == 302  # type: ignore[attr-defined]
    case = Case.objects.get(pk=world.case.pk)
    assert case.is_open and case.closed_at is None and case.outcome == ""
    assert len(_events("case_closing.delete")) == 1
    assert client_for(world.user_a).get(reverse("diary:today")).status_code == 302
    home = client_for(world.user_a).get(reverse("diary:home")).content.decode()
    assert 'id="case-closed"' not in home


@pytest.mark.parametrize(
    "name", ["colleague", "other_therapist", "partner_a", "partner_b", "admin", "researcher"]
)
def test_nobody_but_the_cases_therapist_closes_or_reopens_it(world: World, name: str) -> None:
    client = client_for(world.person(name))
    for action in ("close", "reopen", "change_form", "hand_over", "add_therapist"):
        response = _post(client, action, world.case, outcome=Outcome.REFERRED, form="separation")
        assert response.status_code in (403, 404), (name, action)  # type: ignore[attr-defined]
    manage = client.get(reverse("cases:manage", args=[world.case.pk]))
    assert manage.status_code in (403, 404)
    assert Case.objects.get(pk=world.case.pk).is_open
    assert Case.objects.get(pk=world.case.pk).form == CaseForm.COUPLE_THERAPY
    assert not _events("case_closing.create") and not _events("case_form.update")


def test_a_stranger_is_sent_to_log_in(world: World) -> None:
    for action in ("close", "manage"):
        url = reverse(f"cases:{action}", args=[world.case.pk])
        response = Client().post(url, {"outcome": Outcome.REFERRED})
        assert response.status_code == 302 and "login" in response["Location"]
    assert Case.objects.get(pk=world.case.pk).is_open


# --- the partners of a closed case --------------------------------------------------------


def _partner_pages_without_arguments() -> list[str]:
    """Every page of the partner's namespace that takes no argument (today's and any later)."""
    resolver = get_resolver().namespace_dict["diary"][1]
    names = [
        p.name
        for p in resolver.url_patterns
        if isinstance(p, URLPattern) and p.name and not p.pattern.regex.groupindex
    ]
    return [reverse(f"diary:{name}") for name in names if name != "home"]


def test_the_partners_of_a_closed_case_see_it_closed_and_reach_no_case_page(
    world: World,
) -> None:
    administration = Administration.objects.filter(partner=world.partner_a).first()
    assignment = Assignment.objects.create(
        case=world.case, slug="hug-till-relaxed", assigned_by=world.therapist
    )
    _close(world)
    pages = _partner_pages_without_arguments()
    assert reverse("diary:today") in pages and reverse("diary:exercises") in pages
    pages += [
        reverse("diary:entry", args=["2026-01-05"]),
        reverse("diary:exercise", args=[assignment.pk]),
        reverse("diary:exercise_timer", args=[assignment.pk]),
    ]
    own = [reverse("diary:questionnaire", args=[administration.pk])] if administration else []
    for user, extra in ((world.user_a, own), (world.user_b, [])):
        client = client_for(user)
        home = client.get(reverse("diary:home"))
        html = home.content.decode()
        assert home.status_code == 200 and 'id="case-closed"' in html
        assert CLOSING_NOTE not in html and "grown" not in html  # nothing of the therapist's
        for url in pages + extra:
            response = client.get(url)
            if response.status_code == 405:  # a page that only takes a form
                response = client.post(url, {})
            assert response.status_code == 302, url
            assert response["Location"] == reverse("diary:home"), url
        runs = client.post(
            reverse("diary:exercise_runs", args=[assignment.pk]),
            data=b'{"run": "abcdefgh12", "events": []}',
            content_type="application/json",
        )
        assert runs.status_code == 404
    assert _events("case_closed.read")


def test_the_partners_of_a_closed_case_keep_their_own_data(world: World) -> None:
    _close(world)
    client = client_for(world.user_a)
    page = client.get(reverse("rights:my_data"))
    assert page.status_code == 200
    assert client.get(reverse("rights:download")).status_code == 200
    assert client.get(reverse("rights:seen")).status_code == 200
    # Their relation to their own data has not changed: it is still theirs.
    assert policy.own_partner(world.user_a) == world.partner_a


def test_a_partner_of_another_open_case_is_not_touched(world: World) -> None:
    _close(world)
    open_case = Case.objects.create(
        practice=world.practice, label="Open", kind=CaseKind.INDIVIDUAL, created_by=world.therapist
    )
    open_case.therapists.add(world.therapist)
    user = world.user_b
    Partner.objects.filter(pk=world.partner_b.pk).update(user=None)
    Partner.objects.create(case=open_case, slot="A", name="Open A", user=user)
    assert client_for(user).get(reverse("diary:today")).status_code == 302
    response = client_for(user).get(reverse("diary:questionnaires"))
    assert response.status_code == 200


# --- the form of work ---------------------------------------------------------------------


def test_the_form_of_work_changes_and_shows_the_tracks_that_fit(world: World) -> None:
    client = client_for(world.therapist)
    _post(client, "change_form", world.case, form=CaseForm.SEPARATION)
    case = Case.objects.get(pk=world.case.pk)
    assert case.form == CaseForm.SEPARATION
    assert len(_events("case_form.update")) == 1
    html = client.get(reverse("cases:manage", args=[case.pk])).content.decode()
    assert "Trajecten die passen:" in html and "Differentiatie" in html


def test_an_individual_case_cannot_become_couple_therapy(world: World) -> None:
    case = Case.objects.create(
        practice=world.practice,
        label="Alleen",
        kind=CaseKind.INDIVIDUAL,
        form=CaseForm.INDIVIDUAL,
        created_by=world.therapist,
    )
    case.therapists.add(world.therapist)
    response = _post(client_for(world.therapist), "change_form", case, form=CaseForm.COUPLE_THERAPY)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert Case.objects.get(pk=case.pk).form == CaseForm.INDIVIDUAL


def test_a_case_is_created_with_its_form_of_work(world: World) -> None:
    response = client_for(world.therapist).post(
        reverse("cases:create"),
        {
            "request_id": str(uuid.uuid4()),
            "label": "Na ontrouw",
            "kind": CaseKind.COUPLE,
            "form": CaseForm.INFIDELITY,
            "a_name": "Ilse",
            "a_language": "nl",
            "b_name": "Bram",
            "b_language": "nl",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(label="Na ontrouw").form == CaseForm.INFIDELITY


# --- hand-over and co-therapy -------------------------------------------------------------


def test_handing_over_moves_the_case_and_the_old_therapist_loses_access(world: World) -> None:
    old = client_for(world.therapist)
    response = _post(old, "hand_over", world.case, colleague=str(world.colleague.pk))
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert list(world.case.therapists.all()) == [world.colleague]
    assert old.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    new = client_for(world.colleague)
    assert new.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    [event] = _events("case_therapist.update")
    assert event.user_id == world.therapist.pk and str(world.colleague.pk) in event.detail


def test_a_case_is_never_handed_over_outside_the_practice(world: World) -> None:
    client = client_for(world.therapist)
    for value in (str(world.other_therapist.pk), str(world.admin.pk), "9" * 30, "x"):
        response = _post(client, "hand_over", world.case, colleague=value)
        assert response.status_code == 400, value  # type: ignore[attr-defined]
    assert list(world.case.therapists.all()) == [world.therapist]


def test_a_colleague_joins_as_co_therapist(world: World) -> None:
    client = client_for(world.therapist)
    _post(client, "add_therapist", world.case, colleague=str(world.colleague.pk))
    _post(client, "add_therapist", world.case, colleague=str(world.colleague.pk))
    assert set(world.case.therapists.all()) == {world.therapist, world.colleague}
    assert len(_events("case_therapist.create")) == 1
    detail = client_for(world.colleague).get(reverse("cases:detail", args=[world.case.pk]))
    assert detail.status_code == 200
    wrong = _post(client, "add_therapist", world.case, colleague=str(world.other_therapist.pk))
    assert wrong.status_code == 400  # type: ignore[attr-defined]


# --- reminders ----------------------------------------------------------------------------


def test_a_closed_case_sends_no_reminders_and_a_reopened_one_does(world: World) -> None:
    Assignment.objects.create(case=world.case, slug="sensate-focus", assigned_by=world.therapist)
    now = timezone.localtime()
    earlier = now - dt.timedelta(minutes=5)
    at = earlier.time().replace(microsecond=0) if earlier.date() == now.date() else dt.time(0, 0)
    for topic in ("exercises", "diary"):
        Reminder.objects.create(partner=world.partner_a, topic=topic, at=at, active=True)
    _close(world)
    call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []
    _post(client_for(world.therapist), "reopen", world.case)
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 2


# --- the policy core, directly ------------------------------------------------------------


def test_partner_or_403_refuses_a_closed_case_but_for_the_pages_that_allow_it(
    world: World,
) -> None:
    request = RequestFactory().get("/me/")
    request.user = world.user_a
    assert policy.partner_or_403(request) == world.partner_a
    Case.objects.filter(pk=world.case.pk).update(status=CaseStatus.CLOSED)
    request.user = User.objects.get(pk=world.user_a.pk)  # a fresh account: nothing cached
    with pytest.raises(policy.CaseClosed):
        policy.partner_or_403(request)
    assert policy.partner_or_403(request, closed_ok=True).pk == world.partner_a.pk
    for name in ("therapist", "admin", "researcher"):
        request.user = world.person(name)
        with pytest.raises(PermissionDenied):
            policy.partner_or_403(request, closed_ok=True)


def test_assigned_cases_carry_proof_only_for_the_users_own_rows(world: World) -> None:
    mine = list(policy.assignments_for(world.therapist).select_related("case"))
    theirs = list(policy.assignments_for(world.other_therapist).select_related("case"))
    proven = policy.assigned_cases(world.therapist, mine + theirs)
    assert proven == [world.case]
    with CaptureQueriesContext(connection) as captured:
        assert policy.is_case_therapist(world.therapist, proven[0])
    assert not captured.captured_queries
    assert policy.assigned_cases(world.user_a, mine) == []
    assert policy.assigned_cases(world.colleague, mine) == []
