"""The pieces the therapist pages read with: a diary window, totals, one access check, one insert.

Direct tests of what issue 16 added to the policy core, the diary's access module
and the audit service; the pages themselves are in test_query_counts.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dyade import crypto
from dyade.audit.models import AuditEvent
from dyade.audit.services import prepare, record, record_many
from dyade.cases import policy
from dyade.cases.models import Case
from dyade.diary import access as diary_access
from tests.conftest import A_PRIVATE, A_SHARED, B_PRIVATE, World, make_entry


def _request(user: object, path: str = "/cases/1/") -> object:
    request = RequestFactory().get(path, REMOTE_ADDR="127.0.0.1")
    request.user = user if user is not None else AnonymousUser()
    return request


def _window(world: World, user: object, notes: bool = True) -> dict[int, list[dict[str, object]]]:
    today = timezone.localdate()
    partners = [world.partner_a, world.partner_b]
    return diary_access.visible_window(
        user, partners, today - dt.timedelta(days=30), today, notes=notes
    )


# --- policy: one access check per request ------------------------------------------------


def test_a_case_from_get_case_answers_is_case_therapist_without_a_query(world: World) -> None:
    case = policy.get_case(_request(world.therapist), world.case.pk)
    with CaptureQueriesContext(connection) as captured:
        assert policy.is_case_therapist(world.therapist, case) is True
    assert captured.captured_queries == []


@pytest.mark.parametrize("name", ["colleague", "other_therapist", "partner_a", "admin"])
def test_the_proof_is_for_its_own_user_only(world: World, name: str) -> None:
    case = policy.get_case(_request(world.therapist), world.case.pk)
    assert policy.is_case_therapist(world.person(name), case) is False
    assert policy.is_case_therapist(AnonymousUser(), case) is False


def test_a_case_loaded_otherwise_is_checked_in_the_database(world: World) -> None:
    case = Case.objects.get(pk=world.case.pk)
    with CaptureQueriesContext(connection) as captured:
        assert policy.is_case_therapist(world.therapist, case) is True
    assert len(captured.captured_queries) == 1
    world.case.therapists.remove(world.therapist)
    assert policy.is_case_therapist(world.therapist, Case.objects.get(pk=world.case.pk)) is False


# --- policy: the caseload's rows -------------------------------------------------------------


def test_assignments_are_the_therapists_own_in_their_practice(world: World) -> None:
    rows = policy.assignments_for(world.therapist)
    assert [row.case_id for row in rows] == [world.case.pk]
    world.other_case.therapists.add(world.therapist)  # a case of another practice
    assert [row.case_id for row in policy.assignments_for(world.therapist)] == [world.case.pk]


@pytest.mark.parametrize("name", ["partner_a", "admin", "researcher", "stranger"])
def test_only_a_therapist_has_assignments(world: World, name: str) -> None:
    assert not policy.assignments_for(world.person(name) or AnonymousUser()).exists()


# --- the diary window ---------------------------------------------------------------------


def test_the_therapist_sees_both_diaries_in_the_window_with_notes(world: World) -> None:
    found = _window(world, world.therapist)
    notes_a = {entry.get("note") for entry in found[world.partner_a.pk]}
    assert notes_a == {A_PRIVATE, A_SHARED}
    assert [entry.get("note") for entry in found[world.partner_b.pk]] == [B_PRIVATE]
    dates = [entry["date"] for entry in found[world.partner_a.pk]]
    assert dates == sorted(dates, reverse=True)


def test_the_window_leaves_out_days_outside_it(world: World) -> None:
    old = timezone.localdate() - dt.timedelta(days=200)
    make_entry(world.partner_a, old, note="old-note-marker")
    found = _window(world, world.therapist)
    assert all(entry["date"] != old for entry in found[world.partner_a.pk])


def test_without_notes_nothing_is_decrypted(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: calls.append(token) or original(token))
    found = _window(world, world.therapist, notes=False)
    assert calls == []
    assert all("note" not in entry for entries in found.values() for entry in entries)
    assert all("closeness" in entry for entries in found.values() for entry in entries)


def test_the_other_partner_sees_only_what_is_shared(world: World) -> None:
    found = _window(world, world.user_b)
    seen_of_a = found[world.partner_a.pk]
    assert {entry.get("note") for entry in seen_of_a} == {A_SHARED, None}
    assert all("desire" not in entry for entry in seen_of_a)  # private to A and the therapist


@pytest.mark.parametrize("name", ["colleague", "other_therapist", "admin", "researcher"])
def test_nobody_else_sees_anything_in_the_window(world: World, name: str) -> None:
    found = _window(world, world.person(name))
    assert found == {world.partner_a.pk: [], world.partner_b.pk: []}


def test_the_window_is_one_query_for_both_partners(world: World) -> None:
    case = policy.get_case(_request(world.therapist), world.case.pk)
    partners = list(case.partners.all())
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        diary_access.visible_window(world.therapist, partners, today - dt.timedelta(days=9), today)
    assert len(captured.captured_queries) == 1


# --- totals per partner ---------------------------------------------------------------------


def test_totals_count_every_entry_and_name_the_newest_date(world: World) -> None:
    old = timezone.localdate() - dt.timedelta(days=400)
    make_entry(world.partner_a, old)
    totals = {p.slot: (p.diary_count, p.diary_last) for p in _totals(world, world.therapist)}
    assert totals == {
        "A": (3, world.entry_a_shared.date),
        "B": (1, world.entry_b.date),
    }


@pytest.mark.parametrize("name", ["colleague", "other_therapist", "admin"])
def test_totals_are_empty_for_anyone_without_a_relation(world: World, name: str) -> None:
    totals = {p.slot: (p.diary_count, p.diary_last) for p in _totals(world, world.person(name))}
    assert totals == {"A": (0, None), "B": (0, None)}


def _totals(world: World, user: object) -> list[object]:
    return diary_access.partners_with_totals(user, world.case)


# --- the audit: several events, one statement -------------------------------------------------


def test_record_many_writes_what_record_writes_in_one_insert(world: World) -> None:
    request = _request(world.therapist, f"/cases/{world.case.pk}/")
    single = record(request, "diary.read", partner=world.partner_a, detail="one")
    events = [
        prepare(request, "diary.read", case=world.case, partner=world.partner_a, detail="one"),
        prepare(request, "case.read", obj=world.case, case=world.case),
    ]
    with CaptureQueriesContext(connection) as captured:
        record_many(events)
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    written = AuditEvent.objects.filter(event="diary.read").exclude(pk=single.pk).get()
    fields = [f.name for f in AuditEvent._meta.fields if f.name not in ("id", "time")]
    assert {f: getattr(written, f) for f in fields} == {f: getattr(single, f) for f in fields}
    case_read = AuditEvent.objects.get(event="case.read")
    assert (case_read.object_type, case_read.object_id) == ("cases.Case", str(world.case.pk))


def test_record_many_of_nothing_writes_nothing(world: World) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert record_many([]) == []
    assert captured.captured_queries == []


def test_prepare_refuses_an_unknown_verb(world: World) -> None:
    with pytest.raises(ValueError):
        prepare(_request(world.therapist), "diary.peek")
