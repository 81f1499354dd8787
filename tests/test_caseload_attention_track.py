"""The caseload's track filter reads each state's copy of the case's current track.

The copy (``AttentionState.track``, ``dyade/overview/tracks.py``) must equal the
newest track change of the case at all times: after a change through the therapist's
form, a delete, a handover, a co-therapist, an assignment adopted by the page, and
after the refresh puts right changes written in bulk. The page filtered by track is
read from the index ``attention_track`` and costs the same queries for 100 and 1,000
cases; the filter never shows anyone a case they could not open.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re
import uuid

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import Role, User
from dyade.cases.models import Case
from dyade.overview import attention_page, refresh, tracks
from dyade.overview.models import AttentionState
from dyade.sessions.models import TrackChange
from tests.conftest import World, client_for, make_user
from tests.test_caseload_attention import _bulk_cases, _cases, _link, _make_urgent, page_cost

URL = reverse("cases:list")


def _copy(case: Case, therapist: User) -> str:
    return AttentionState.objects.get(case=case, therapist=therapist).track


def _change(world: World, case: Case, track: str, **extra: object) -> None:
    data = {"request_id": str(uuid.uuid4()), "track": track, "reason": "waarom", **extra}
    url = reverse("cases:change_track", args=[case.pk])
    assert client_for(world.therapist).post(url, data).status_code == 302


def _shown(therapist: User, query: str) -> list[Case]:
    return [row.case for row in client_for(therapist).get(URL + query).context["rows"]]


# --- the copy follows the newest track change ---------------------------------------------


def test_a_track_change_through_the_form_moves_the_case_between_filters_at_once(
    world: World,
) -> None:
    assert _copy(world.case, world.therapist) == tracks.NONE
    assert world.case in _shown(world.therapist, "?track=none")
    _change(world, world.case, "eft", stage="1")
    assert _copy(world.case, world.therapist) == "eft"
    assert _shown(world.therapist, "?track=eft") == [world.case]
    assert world.case not in _shown(world.therapist, "?track=none")
    _change(world, world.case, "differentiation", focus=["calm"])
    assert _shown(world.therapist, "?track=eft") == []
    assert _shown(world.therapist, "?track=differentiation") == [world.case]


def test_deleting_the_newest_change_gives_back_the_one_before(world: World) -> None:
    _change(world, world.case, "eft", stage="1")
    _change(world, world.case, "safety")
    assert _copy(world.case, world.therapist) == "safety"
    TrackChange.objects.filter(case=world.case, track="safety").get().delete()
    assert _copy(world.case, world.therapist) == "eft"
    TrackChange.objects.filter(case=world.case).get().delete()
    assert _copy(world.case, world.therapist) == tracks.NONE


def test_a_change_dated_earlier_does_not_become_the_current_track(world: World) -> None:
    _change(world, world.case, "eft", stage="2")
    TrackChange.objects.create(
        case=world.case,
        track="safety",
        reason="eerder",
        changed_by=world.therapist,
        changed_at=timezone.now() - dt.timedelta(days=30),
    )
    assert _copy(world.case, world.therapist) == "eft"


def test_a_handed_over_case_and_a_co_therapist_carry_the_track(world: World) -> None:
    _change(world, world.case, "eft", stage="1")
    [other] = _cases(world.therapist, 1, "Ander")
    _change(world, other, "differentiation", focus=["calm"])
    world.case.therapists.remove(world.therapist)
    world.case.therapists.add(world.colleague)
    other.therapists.add(world.colleague)
    assert _copy(world.case, world.colleague) == "eft"
    assert _copy(other, world.colleague) == "differentiation"
    assert _shown(world.colleague, "?track=eft") == [world.case]


def test_assignments_made_in_bulk_are_adopted_with_their_track(world: World) -> None:
    therapist = make_user("import@one.example", Role.THERAPIST, world.practice, "Import")
    made = _bulk_cases(therapist, 4, "Import")
    TrackChange.objects.bulk_create(
        TrackChange(case=case, track="eft", reason="r", changed_by=therapist) for case in made[:2]
    )
    shown = _shown(therapist, "?track=eft")  # the page adopts them first
    assert sorted(case.pk for case in shown) == sorted(case.pk for case in made[:2])
    assert len(_shown(therapist, "?track=none")) == 2


def test_the_refresh_puts_right_changes_written_in_bulk(world: World) -> None:
    _change(world, world.case, "eft", stage="1")
    TrackChange.objects.bulk_create(
        [TrackChange(case=world.case, track="safety", reason="r", changed_by=world.therapist)]
    )
    assert _copy(world.case, world.therapist) == "eft"  # no signal for a bulk write
    call_command("refresh_attention", stdout=io.StringIO())
    assert _copy(world.case, world.therapist) == "safety"
    assert tracks.sync() == 0


def test_the_migration_copies_the_current_track_of_existing_states(world: World) -> None:
    _change(world, world.case, "eft", stage="1")
    _change(world, world.case, "individual")
    AttentionState.objects.update(track="wrong")
    migration = importlib.import_module("dyade.overview.migrations.0003_current_track")
    migration.copy_tracks(apps, None)
    assert _copy(world.case, world.therapist) == "individual"
    assert _copy(world.other_case, world.other_therapist) == tracks.NONE


# --- the filter on the page ----------------------------------------------------------------


def test_the_filter_keeps_the_order_and_pages(world: World, monkeypatch: object) -> None:
    from dyade.cases import caseload

    monkeypatch.setattr(caseload, "PAGE_SIZE", 3)  # type: ignore[attr-defined]
    made = _cases(world.therapist, 8, "Stel")
    for case in made[:6]:
        _change(world, case, "eft", stage="1")
    _make_urgent(made[1])
    refresh.run()
    client = client_for(world.therapist)
    first = client.get(URL + "?track=eft").content.decode()
    labels = re.findall(r'<a href="/cases/\d+/">(Stel \d+)</a>', first)
    assert labels == ["Stel 001", "Stel 005", "Stel 004"]  # urgent first, then newest
    second = client.get(URL + (_link(first, "next") or "")).content.decode()
    assert re.findall(r'<a href="/cases/\d+/">(Stel \d+)</a>', second) == [
        "Stel 003",
        "Stel 002",
        "Stel 000",
    ]
    assert _link(second, "next") is None


def test_the_filter_shows_nobody_a_case_they_cannot_open(world: World) -> None:
    _change(world, world.case, "eft", stage="1")
    # A state of the colleague for the therapist's case, on the same track, however made.
    AttentionState.objects.create(
        case=world.case, therapist=world.colleague, assignment_id=10**12, rank=10**7, track="eft"
    )
    assert _shown(world.colleague, "?track=eft") == []
    assert _shown(world.other_therapist, "?track=eft") == []
    for name in ("partner_a", "partner_b", "admin", "researcher"):
        person = world.person(name)
        assert attention_page.page(person, track="eft").cases == []
        assert client_for(person).get(URL + "?track=eft").status_code == 403, name


def _page_sql(client: object, query: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL + query)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return page_cost([entry["sql"] for entry in captured.captured_queries])


def test_the_filtered_page_costs_the_same_for_100_and_1000_cases(world: World) -> None:
    counts = []
    for number, name in ((100, "Honderd"), (1000, "Duizend")):
        therapist = make_user(f"{name}@one.example", Role.THERAPIST, world.practice, name)
        made = _bulk_cases(therapist, number, name)
        TrackChange.objects.bulk_create(
            TrackChange(case=case, track="eft", reason="r", changed_by=therapist) for case in made
        )
        refresh.run()  # copies the tracks written in bulk, works the order out
        client = client_for(therapist)
        assert client.get(URL + "?q=no+such+case").status_code == 200  # warm the session
        sql = _page_sql(client, "?track=eft")
        assert len(client.get(URL + "?track=eft").context["rows"]) == 50
        counts.append(sql)
        # The page's rows are cut on the state's copy, not on a subquery of the changes.
        [keyset] = [text for text in sql if "LIMIT 51" in text]
        assert '"overview_attentionstate"."track" =' in keyset
        assert "dyade_sessions_trackchange" not in keyset
    assert len(counts[0]) == len(counts[1]), [
        text[:80] for text in counts[1] if text not in counts[0]
    ]


def test_the_filtered_page_is_read_from_the_track_index(world: World) -> None:
    """Nine in ten cases on EFT, one in ten on differentiation, as statistics the planner
    reads (ANALYZE). Both filters read the states in the page's order from an index of
    their own table, with no sort and no look at the track changes; the rare track from
    ``attention_track``. (Before: PostgreSQL worked out the newest change of every
    assignment and sorted; docs/performance.md.)"""
    therapist = make_user("plan@one.example", Role.THERAPIST, world.practice, "Plan")
    made = _bulk_cases(therapist, 1000, "Plan")
    TrackChange.objects.bulk_create(
        TrackChange(
            case=case,
            track="differentiation" if number % 10 == 0 else "eft",
            reason="r",
            changed_by=therapist,
        )
        for number, case in enumerate(made)
    )
    refresh.run()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for track in ("eft", "differentiation"):
        rows = attention_page._rows(therapist, "open", "", None, track)
        plan = rows.order_by("-rank", "-key")[:51].explain()
        assert "trackchange" not in plan.lower(), plan
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
        assert re.search(r"attention_(track|page)", plan), plan
    assert "attention_track" in plan, plan  # the rare track
