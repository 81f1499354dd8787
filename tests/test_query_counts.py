"""Therapist pages read what they show: a bounded number of queries, one audit insert.

Each page is opened for two couples that differ only in how long they have kept
their diary (two months and two years). The number of queries, the number of
audit inserts and the number of decrypted texts must be the same for both: a
page that reads the whole diary, or decrypts notes it does not show, grows
with the diary and fails here. Times are measured in ``bench/``, never here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dyade import crypto
from dyade.accounts.models import Role
from dyade.audit.models import AuditEvent
from dyade.cases import caseload
from dyade.cases.models import Case, CaseKind, Partner
from dyade.diary import access as diary_access
from dyade.diary.models import DiaryEntry
from dyade.exercises.models import Assignment, Log
from dyade.overview.case_views import CHART_DAYS
from dyade.questionnaires import access as questionnaires_access
from dyade.sessions import access as sessions_access
from dyade.sessions import case_snapshot
from dyade.sessions.models import CycleVersion, Observation, SignalDecision, TrackChange
from tests.conftest import (
    A_INTAKE_ANSWERS,
    World,
    client_for,
    make_administration,
    make_user,
)
from tests.test_caseload_attention import _bulk_cases

MAX_QUERIES = 15
SHORT_DAYS = 61  # two months of diary
LONG_DAYS = 730  # two years of diary
NOTE = "diary-note-marker"
AUDIT_INSERT = 'INSERT INTO "audit_auditevent"'


def _diary(partner: Partner, days: int, today: dt.date) -> None:
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            partner=partner,
            date=today - dt.timedelta(days=offset),
            closeness=1 + offset % 10,
            feeling_seen=5,
            stress=1 + (offset * 3) % 10,
            desire=1 + (offset * 7) % 10,
            sexual_contact=offset % 4 == 0,
            conflict=offset % 6 == 0,
            note=f"{NOTE} {partner.slot} {offset}",
            note_visibility="shared" if offset % 2 else "private",
            initiator="me" if offset % 4 == 0 and partner.slot == "A" else "",
            perceived_desire=1 + offset % 10,
        )
        for offset in range(days)
    )


def _couple(world: World, label: str, days: int) -> Case:
    """A couple with intake, ECR-R, HITS, observations, a track, a map, a decision, an exercise."""
    therapist = world.therapist
    case = Case.objects.create(
        practice=world.practice, label=label, kind=CaseKind.COUPLE, created_by=therapist
    )
    case.therapists.add(therapist)
    today = timezone.localdate()
    for slot, name in (("A", "Iris"), ("B", "Ruben")):
        account = make_user(f"{name}.{days}@partner.example", Role.PARTNER, world.practice, name)
        partner = Partner.objects.create(
            case=case, slot=slot, name=name, user=account, joined_at=timezone.now()
        )
        _diary(partner, days, today)
        make_administration(partner, "dyade-intake", A_INTAKE_ANSWERS, sent=True)
        make_administration(partner, "ecr-r", {str(n): 1 + n % 7 for n in range(1, 37)}, True)
        make_administration(partner, "hits", {"1": 1, "2": 1, "3": 1, "4": 1}, sent=True)
    for offset in (40, 20, 6):
        Observation.objects.create(
            case=case,
            date=today - dt.timedelta(days=offset),
            created_by=therapist,
            love_felt=True,
            note=f"observation {offset}",
        )
    TrackChange.objects.create(
        case=case, track="eft", stage=1, reason="start", changed_by=therapist
    )
    CycleVersion.objects.create(
        case=case,
        number=1,
        data_json=json.dumps({"A": {"sex": {"position": "pursue"}}}),
        created_by=therapist,
    )
    SignalDecision.objects.create(
        case=case,
        signal="eft.indicated",
        kind="indication",
        fingerprint="0" * 64,
        decision="dismissed",
        reason="not now",
        decided_by=therapist,
    )
    assignment = Assignment.objects.create(
        case=case, slug="hug-till-relaxed", step=1, minutes=5, assigned_by=therapist
    )
    for partner in case.partners.all():
        for offset in (1, 3, 5):
            Log.objects.create(
                assignment=assignment,
                partner=partner,
                date=today - dt.timedelta(days=offset),
                shared=offset == 3,
            )
    return case


@dataclass
class Measured:
    queries: int
    audit_inserts: int
    decryptions: int
    status: int
    sql: list[str]


@pytest.fixture
def count_decryptions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    calls = [0]
    original = crypto.decrypt

    def counting(token: str, where: str = "") -> str:
        # Partners' names and addresses are decrypted wherever a partner is named; what
        # is counted here is the clinical text a page reads.
        if not where.startswith("cases_partner."):
            calls[0] += 1
        return original(token, where)

    monkeypatch.setattr(crypto, "decrypt", counting)
    yield calls


def _measure(client: Client, url: str, calls: list[int]) -> Measured:
    client.get(url)  # warm what the process keeps between requests (instruments, templates)
    before = calls[0]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sql = [query["sql"] for query in captured.captured_queries]
    return Measured(
        queries=len(sql),
        audit_inserts=sum(1 for text in sql if text.startswith(AUDIT_INSERT)),
        decryptions=calls[0] - before,
        status=response.status_code,
        sql=sql,
    )


PAGES: dict[str, Callable[[Case], str]] = {
    "case page": lambda case: reverse("cases:detail", args=[case.pk]),
    "since last session": lambda case: reverse("cases:since", args=[case.pk]),
    "guidance": lambda case: reverse("cases:guidance", args=[case.pk]),
    "questionnaires": lambda case: reverse("cases:questionnaires", args=[case.pk]),
    "cycle map": lambda case: reverse("cases:cycle", args=[case.pk]),
    "exercises": lambda case: reverse("cases:exercises", args=[case.pk]),
    "exercise debrief": lambda case: reverse(
        "cases:exercise", args=[case.pk, Assignment.objects.get(case=case).pk]
    ),
}


@pytest.fixture
def couples(world: World) -> tuple[Case, Case]:
    return _couple(world, "Twee maanden", SHORT_DAYS), _couple(world, "Twee jaar", LONG_DAYS)


@pytest.mark.parametrize("page", list(PAGES))
def test_therapist_page_reads_the_same_for_two_months_and_two_years(
    world: World, couples: tuple[Case, Case], page: str, count_decryptions: list[int]
) -> None:
    short, long = couples
    client = client_for(world.therapist)
    first = _measure(client, PAGES[page](short), count_decryptions)
    second = _measure(client, PAGES[page](long), count_decryptions)
    assert first.status == second.status == 200
    assert first.queries == second.queries, (first.sql, second.sql)
    assert first.queries <= MAX_QUERIES, first.sql
    assert first.audit_inserts == second.audit_inserts == 1
    assert first.decryptions == second.decryptions


def test_the_case_page_decrypts_only_the_notes_it_shows(
    world: World, couples: tuple[Case, Case], count_decryptions: list[int]
) -> None:
    _short, long = couples
    client = client_for(world.therapist)
    measured = _measure(client, PAGES["case page"](long), count_decryptions)
    response = client.get(PAGES["case page"](long))
    shown = response.content.decode().count(NOTE)
    assert shown == 2 * CHART_DAYS  # a note on every day of the charts, for both partners
    # The notes shown, six questionnaires and one track reason; nothing else.
    assert measured.decryptions == shown + 6 + 1


def test_a_partner_who_has_not_joined_costs_one_query_more_at_most(
    world: World, couples: tuple[Case, Case], count_decryptions: list[int]
) -> None:
    _short, long = couples
    client = client_for(world.therapist)
    joined = _measure(client, PAGES["case page"](long), count_decryptions)
    long.partners.update(user=None, joined_at=None)
    invited = _measure(client, PAGES["case page"](long), count_decryptions)
    assert invited.status == 200
    assert invited.queries <= min(joined.queries + 1, MAX_QUERIES), invited.sql


def test_each_subject_is_still_audited_once_per_request(
    world: World, couples: tuple[Case, Case]
) -> None:
    _short, long = couples
    client = client_for(world.therapist)
    before = AuditEvent.objects.count()
    client.get(PAGES["case page"](long))
    events = list(AuditEvent.objects.order_by("id")[before:])
    expected = ["case.read", "diary.read", "diary.read", "questionnaire.list", "track.list"]
    expected += ["appointment.list"]  # the sessions (the next one is shown)
    assert sorted(event.event for event in events) == sorted([*expected, "guidance.read"])
    assert {event.partner_slot for event in events if event.event == "diary.read"} == {"A", "B"}
    assert all(event.case_id == long.pk for event in events)


def test_the_snapshot_from_what_the_page_read_equals_one_read_afresh(
    world: World, couples: tuple[Case, Case]
) -> None:
    """Handing over what a page read changes nothing in the guidance."""
    _short, long = couples
    today = timezone.localdate()
    user = world.therapist
    partners = list(long.partners.all())
    loaded = case_snapshot.Loaded(
        partners=partners,
        administrations=list(questionnaires_access.case_administrations(user, long)),
        diary=diary_access.visible_window(user, partners, today - dt.timedelta(days=59), today),
        observations=list(
            sessions_access.case_observations(user, long).defer("note").order_by("-date")
        ),
        track_changes=list(sessions_access.case_track_changes(user, long)),
        cycle_mapped=True,
    )
    afresh = case_snapshot.build(long, user, today)
    assert afresh["diary"]["A"]["days"] == case_snapshot.DIARY_DAYS
    assert case_snapshot.build(long, user, today, loaded) == afresh


def test_the_case_page_and_the_guidance_page_count_the_same_open_signals(
    world: World, couples: tuple[Case, Case]
) -> None:
    _short, long = couples
    client = client_for(world.therapist)
    case_page = client.get(PAGES["case page"](long))
    guidance = client.get(PAGES["guidance"](long))
    assert case_page.context["open_signals"] == len(guidance.context["open_signals"]) > 0


# --- the caseload ------------------------------------------------------------------------


def test_the_caseload_reads_the_same_for_a_few_and_many_cases(world: World) -> None:
    few = make_user("few@one.example", Role.THERAPIST, world.practice, "Few")
    many = make_user("many@one.example", Role.THERAPIST, world.practice, "Many")
    _bulk_cases(few, 3, "Stel")
    _bulk_cases(many, 3 * caseload.PAGE_SIZE, "Stel")
    counts, shown = [], []
    for therapist in (few, many):
        client = client_for(therapist)
        client.get(reverse("cases:list"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("cases:list"))
        sql = [query["sql"] for query in captured.captured_queries]
        assert response.status_code == 200
        assert sum(1 for text in sql if text.startswith(AUDIT_INSERT)) == 1
        counts.append(len(sql))
        shown.append(len(response.context["cases"]))
    assert counts[0] == counts[1] <= MAX_QUERIES
    assert shown == [3, caseload.PAGE_SIZE]
