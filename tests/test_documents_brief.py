"""The session brief: what it shows, to whom, what it costs and what it logs."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.exercises.models import Assignment, Log
from dyade.sessions.models import Appointment, Observation
from tests.conftest import (
    A_INTAKE_HOPE,
    A_PRIVATE,
    B_INTAKE_HOPE,
    B_PRIVATE,
    World,
    client_for,
    make_entry,
)

SECTIONS = (
    "brief-signals",
    "brief-since",
    "brief-homework",
    "brief-hopes",
    "brief-track",
    "brief-cycle",
    "brief-notes",
)


def _url(world: World) -> str:
    return reverse("cases:brief", args=[world.case.pk])


def _homework(world: World) -> Assignment:
    """Hug till relaxed for the couple, practised by A twice and by B once this week."""
    assignment = Assignment.objects.create(
        case=world.case, slug="hug-till-relaxed", assigned_by=world.therapist
    )
    today = timezone.localdate()
    for partner, offset, feeling in (
        (world.partner_a, 1, "neutral"),
        (world.partner_a, 2, "bodily"),
        (world.partner_b, 1, "aversion"),
    ):
        values = {"role": "both", "feeling": feeling, "note": f"log-{partner.slot}-{offset}"}
        Log.objects.create(
            assignment=assignment,
            partner=partner,
            date=today - dt.timedelta(days=offset),
            values_json=json.dumps(values),
        )
    return assignment


def test_the_therapist_reads_every_part_of_the_brief(world: World) -> None:
    _homework(world)
    response = client_for(world.therapist).get(_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    for section in SECTIONS:
        assert f'id="{section}"' in body
    # Most important first: safety, then the signals, then since last session.
    assert body.index('id="brief-safety"') < body.index('id="brief-signals"')
    assert body.index('id="brief-signals"') < body.index('id="brief-since"')
    # A's hope from her sent intake; B has not sent his, so his hope is not read.
    assert A_INTAKE_HOPE in body and B_INTAKE_HOPE not in body
    # The homework: each partner's logs as the therapist may see them.
    assert "log-A-1" in body and "log-A-2" in body and "log-B-1" in body
    homework = response.context["homework"]
    counts = {column["partner"].slot: column["count"] for column in homework[0]["columns"]}
    assert counts == {"A": 2, "B": 1}
    # The diary notes are not on the brief, private or not.
    assert A_PRIVATE not in body and B_PRIVATE not in body


def test_the_brief_summarises_the_diary_since_the_last_session(world: World) -> None:
    today = timezone.localdate()
    Observation.objects.create(
        case=world.case, created_by=world.therapist, date=today - dt.timedelta(days=7)
    )
    for offset in range(1, 7):
        day = today - dt.timedelta(days=offset)
        for partner, desire in ((world.partner_a, 9), (world.partner_b, 2)):
            partner.diary_entries.filter(date=day).delete()
            make_entry(partner, day, desire=desire)
    response = client_for(world.therapist).get(_url(world))
    assert response.context["since"] == today - dt.timedelta(days=6)
    assert response.context["from_session"] is True
    assert any(key == "desire-gap" for key, _v in response.context["summary"].sentences)


def test_the_brief_names_the_next_session(world: World) -> None:
    when = timezone.now() + dt.timedelta(days=2)
    Appointment.objects.create(case=world.case, starts_at=when, created_by=world.therapist)
    Appointment.objects.create(
        case=world.case,
        starts_at=when - dt.timedelta(days=1),
        attendance="cancelled",
        created_by=world.therapist,
    )
    response = client_for(world.therapist).get(_url(world))
    assert response.context["next_session"].starts_at == when


def test_the_brief_shows_the_open_signals_with_their_reasons(world: World) -> None:
    client = client_for(world.therapist)
    signals = client.get(_url(world)).context["signals"]
    assert signals, "A's safety answers raise safety signals"
    assert signals[0]["id"] == "safety.timeout-programme"  # violence first, as the rules order it
    assert all(card["reasons"] for card in signals)
    guidance = client.get(reverse("cases:guidance", args=[world.case.pk]))
    assert [card["id"] for card in signals] == [
        card["view"].signal.id for card in guidance.context["open_signals"]
    ]


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("partner_a", 403),
        ("partner_b", 403),
        ("admin", 403),
        ("researcher", 403),
        ("colleague", 404),
        ("other_therapist", 404),
    ],
)
def test_nobody_else_reaches_the_brief(world: World, person: str, status: int) -> None:
    user = world.person(person)
    before = AuditEvent.objects.filter(event="brief.read", outcome="success").count()
    response = client_for(user).get(_url(world))
    assert response.status_code == status
    assert A_INTAKE_HOPE not in response.content.decode()
    assert AuditEvent.objects.filter(event="brief.read", outcome="success").count() == before


def test_a_stranger_is_sent_to_the_login(world: World) -> None:
    response = client_for(None).get(_url(world))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_practice_is_refused_and_logged(world: World) -> None:
    client_for(world.other_therapist).get(_url(world))
    assert AuditEvent.objects.filter(event="brief.read", outcome="denied").exists()


def test_the_brief_is_read_in_at_most_fifteen_queries_and_one_audit_insert(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _homework(world)
    client = client_for(world.therapist)
    client.get(_url(world))  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url(world))
    assert response.status_code == 200
    assert len(captured.captured_queries) <= 15, [q["sql"][:80] for q in captured]
    inserts = [q for q in captured if q["sql"].startswith("INSERT") and "audit" in q["sql"]]
    assert len(inserts) == 1
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"brief.read", "diary.read", "guidance.read", "exercise_log.list"} <= events
    hope_reads = AuditEvent.objects.filter(event="questionnaire.read", detail="hopes")
    assert set(hope_reads.values_list("partner_slot", flat=True)) == {"A"}  # only A sent hers


def test_the_notes_after_the_session_fill_in_the_observation_form(world: World) -> None:
    url = reverse("cases:observation_new", args=[world.case.pk])
    response = client_for(world.therapist).post(
        url, {"from_brief": "1", "note": "Zij zocht hem op, hij bleef."}
    )
    assert response.status_code == 200
    assert "Zij zocht hem op, hij bleef." in response.content.decode()
    assert not Observation.objects.filter(case=world.case).exists()


def test_a_partner_cannot_use_the_observation_form_through_the_brief(world: World) -> None:
    url = reverse("cases:observation_new", args=[world.case.pk])
    response = client_for(world.user_a).post(url, {"from_brief": "1", "note": "x"})
    assert response.status_code == 403


def test_an_individual_case_has_a_brief_and_reports_too(world: World) -> None:
    client = client_for(world.other_therapist)
    response = client.get(reverse("cases:brief", args=[world.other_case.pk]))
    assert response.status_code == 200
    assert [p.slot for p, _hope in response.context["hopes"]] == ["A"]
    for kind in ("intake", "progress", "closing", "referral"):
        url = reverse("cases:report", args=[world.other_case.pk, kind])
        assert client.get(url).status_code == 200, kind
