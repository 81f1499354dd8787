"""The caseload as a worklist: its columns, its order by attention, its filters, its cost.

The columns are read for one page of cases at once: the number of queries is the
same for ten cases as for sixty (a full page of fifty), each with a diary, an
intake, a track, a cycle map, a decision, an exercise and sessions. The safety
column says only that a case needs attention, never what the answer was.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import Role, User
from dyade.cases.models import Case, CaseKind, CaseStatus, Partner
from dyade.overview import worklist
from dyade.sessions.models import (
    Appointment,
    CycleVersion,
    Observation,
    SignalDecision,
    TrackChange,
)
from tests.conftest import World, client_for, make_administration, make_entry, make_user

INTAKE = {"commitment.continue": "yes", "conflict.position": "pursue", "sex.desire": 5}
SAFE_INTAKE = {**INTAKE, "safety.physical": "never", "safety.fear": "never"}


def _couple(therapist: User, label: str, *, days: int = 3, track: str | None = "eft") -> Case:
    case = Case.objects.create(
        practice=therapist.practice, label=label, kind=CaseKind.COUPLE, created_by=therapist
    )
    case.therapists.add(therapist)
    today = timezone.localdate()
    for slot in "AB":
        account = make_user(
            f"{label}-{slot}@p.example".replace(" ", ""), Role.PARTNER, therapist.practice
        )
        partner = Partner.objects.create(case=case, slot=slot, name=f"{label} {slot}", user=account)
        for offset in range(days):
            make_entry(partner, today - dt.timedelta(days=offset), closeness=4 + offset % 3)
        make_administration(partner, "dyade-intake", SAFE_INTAKE, sent=True)
    if track:
        TrackChange.objects.create(case=case, track=track, stage=1, changed_by=therapist)
    Observation.objects.create(
        case=case, date=today - dt.timedelta(days=7), created_by=therapist, love_felt=True
    )
    CycleVersion.objects.create(case=case, number=1, data_json="{}", created_by=therapist)
    SignalDecision.objects.create(
        case=case,
        signal="eft.indicated",
        kind="indication",
        fingerprint="0" * 64,
        decision="dismissed",
        decided_by=therapist,
    )
    now = timezone.now()
    for offset, attendance in ((-7, "both"), (7, "planned"), (3, "cancelled")):
        Appointment.objects.create(
            case=case,
            starts_at=now + dt.timedelta(days=offset),
            attendance=attendance,
            created_by=therapist,
        )
    return case


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_worklist_costs_the_same_for_ten_and_sixty_cases(world: World) -> None:
    ten = make_user("ten@one.example", Role.THERAPIST, world.practice, "Ten")
    sixty = make_user("sixty@one.example", Role.THERAPIST, world.practice, "Sixty")
    for n in range(10):
        _couple(ten, f"Tien {n}")
    for n in range(60):
        _couple(sixty, f"Zestig {n}")
    url = reverse("cases:list")
    small, large = _count(client_for(ten), url), _count(client_for(sixty), url)
    assert small == large
    shown = client_for(sixty).get(url).context["rows"]
    assert len(shown) == 50 and all(row.track is not None for row in shown)


def test_the_columns_say_what_each_case_needs(world: World) -> None:
    quiet = _couple(world.therapist, "Rustig", days=2)
    html = client_for(world.therapist).get(reverse("cases:list")).content.decode()
    rows = client_for(world.therapist).get(reverse("cases:list")).context["rows"]
    by_case = {row.case.pk: row for row in rows}
    # The world's couple: partner A's intake holds a safety answer; it comes first.
    assert rows[0].case == world.case and rows[0].attention.safety
    assert not by_case[quiet.pk].attention.safety
    row = by_case[quiet.pk]
    today = timezone.localdate()
    expected = min(2, today.weekday() + 1)  # the days of this week among the last two
    assert [days for _partner, days in row.diary_week] == [expected, expected]
    assert row.next_session is not None and row.next_session > timezone.now()
    assert row.next_session - timezone.now() > dt.timedelta(days=6)  # not the cancelled one
    assert row.last_session is not None and row.last_session < timezone.now()
    assert row.track is not None and row.track.track == "eft"
    # What the safety answer was never shows: only that it needs attention.
    assert "aandacht" in html
    for word in ("sometimes", "soms", "often", "vaak"):
        assert f">{word}<" not in html


def test_questionnaires_waiting_are_counted(world: World) -> None:
    rows = client_for(world.therapist).get(reverse("cases:list")).context["rows"]
    [row] = [row for row in rows if row.case == world.case]
    open_count = world.case.administrations.filter(status="open").count()
    assert row.questionnaires_waiting == open_count


def test_closed_cases_are_out_of_the_way_but_found_by_filter_and_name(world: World) -> None:
    closed = _couple(world.therapist, "Afgerond Paar", track=None)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    client = client_for(world.therapist)
    default = [row.case.pk for row in client.get(reverse("cases:list")).context["rows"]]
    assert closed.pk not in default and world.case.pk in default
    shown = client.get(reverse("cases:list") + "?status=closed").context["rows"]
    assert [row.case.pk for row in shown] == [closed.pk]
    found = client.get(reverse("cases:list") + "?status=closed&q=afgerond").context["rows"]
    assert [row.case.pk for row in found] == [closed.pk]
    none = client.get(reverse("cases:list") + "?status=closed&q=Sanne").context["rows"]
    assert none == []


def test_the_track_filter_narrows_the_list(world: World) -> None:
    eft = _couple(world.therapist, "Eft Paar", track="eft")
    diff = _couple(world.therapist, "Diff Paar", track="differentiation")
    client = client_for(world.therapist)
    shown = client.get(reverse("cases:list") + "?track=differentiation").context["rows"]
    assert [row.case.pk for row in shown] == [diff.pk]
    none = client.get(reverse("cases:list") + "?track=none").context["rows"]
    assert eft.pk not in [row.case.pk for row in none]
    assert world.case.pk in [row.case.pk for row in none]  # no track yet
    odd = client.get(reverse("cases:list") + "?track=<b>&status=%00&q=" + "x" * 500)
    assert odd.status_code == 200


def test_nobody_else_has_a_worklist(world: World) -> None:
    for name in ("partner_a", "admin", "researcher"):
        response = client_for(world.person(name)).get(reverse("cases:list"))
        assert response.status_code == 403, name
    response = Client().get(reverse("cases:list"))
    assert response.status_code == 302 and "login" in response["Location"]
    other = client_for(world.other_therapist).get(reverse("cases:list")).content.decode()
    assert "Sanne" not in other and world.case.label not in other


def test_the_week_starts_on_monday() -> None:
    assert worklist.week_start(dt.date(2026, 12, 2)) == dt.date(2026, 11, 30)
    assert worklist.week_start(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)


def test_a_case_not_proven_for_the_viewer_is_left_out(world: World) -> None:
    request = RequestFactory().get("/cases/")
    request.user = world.colleague
    assert worklist.rows(request, [world.case]) == []


def test_progress_is_each_partners_latest_status_after_a_session() -> None:
    data = {
        "partners": {
            "A": {"progress": {"statuses": [None, "improved", None], "alliance": [7.0, 8.0, 8.5]}},
            "B": {"progress": {"statuses": [None, "unchanged", "deteriorated"]}},
            "C": {"safety": {"physical": "never"}},  # no check-ins: no status
        }
    }
    assert worklist.progress_of(data) == {"A": "improved", "B": "deteriorated"}
    assert worklist.progress_of({}) == {}


def test_a_closed_case_raises_no_signals_on_the_list(world: World) -> None:
    Case.objects.filter(pk=world.case.pk).update(status=CaseStatus.CLOSED)
    client = client_for(world.therapist)
    [row] = client.get(reverse("cases:list") + "?status=closed").context["rows"]
    assert row.case == world.case and row.open_signals == 0
    assert row.attention.safety  # what was answered is still marked for the therapist
