"""The background refresh reads only states of therapists who could open the case.

A deactivated therapist, one whose account is no longer a therapist's, one moved to
another practice, and a state whose assignment ended without Django's signals: none
of their states is read on a refresh (before, they stayed due forever and were read
on every run, worked out to nothing). The command drops states whose assignment is
gone; an account made active again gets its order worked out by the next refresh.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dyade.accounts.models import Practice, Role, User
from dyade.cases.models import Case
from dyade.overview import attention, refresh, tasks
from dyade.overview.models import AttentionState
from tests.conftest import World, make_user
from tests.test_caseload_attention import _cases


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[AttentionState]:
    """Every state the refresh works out, in the order it was given them."""
    seen: list[AttentionState] = []
    real = attention.refresh_states

    def spy(states: Any, read_at: Any) -> int:
        seen.extend(states)
        return real(states, read_at)

    monkeypatch.setattr(attention, "refresh_states", spy)
    return seen


def _therapist(world: World, name: str, cases: int) -> User:
    user = make_user(f"{name}@one.example", Role.THERAPIST, world.practice, name)
    _cases(user, cases, name)
    return user


def _therapists(states: list[AttentionState]) -> set[int]:
    return {state.therapist_id for state in states}


def _world(world: World) -> set[int]:
    """The therapists of the world's own cases (one in each practice)."""
    return {world.therapist.pk, world.other_therapist.pk}


def _due(user: User) -> int:
    return attention.due().filter(therapist=user).count()


def test_a_deactivated_therapists_states_are_not_read(world: World, read: list[Any]) -> None:
    active = _therapist(world, "Actief", 3)
    gone = _therapist(world, "Weg", 40)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    assert _due(gone) == 40
    refresh.refresh()
    assert _therapists(read) == {active.pk, *_world(world)}
    assert _due(active) == 0 and _due(gone) == 40
    # A second run: the 40 due states of the deactivated account cost one query that
    # finds nothing to do (before: a batch read, their therapist read and their cases read).
    read.clear()
    with CaptureQueriesContext(connection) as captured:
        assert refresh.refresh() == 0
    assert read == []
    assert len(captured.captured_queries) == 1


def test_the_same_queries_with_or_without_deactivated_therapists(world: World) -> None:
    refresh.refresh()
    with CaptureQueriesContext(connection) as without:
        call_command("refresh_attention", stdout=io.StringIO())
    gone = _therapist(world, "Weg", 30)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    with CaptureQueriesContext(connection) as with_them:
        call_command("refresh_attention", stdout=io.StringIO())
    assert len(with_them.captured_queries) == len(without.captured_queries)
    assert _due(gone) == 30


def test_other_roles_other_practices_and_ended_assignments_are_skipped(
    world: World, read: list[Any]
) -> None:
    admin_now = _therapist(world, "Beheer", 2)
    User.objects.filter(pk=admin_now.pk).update(role=Role.PRACTICE_ADMIN)
    moved = _therapist(world, "Verhuisd", 2)
    elsewhere = Practice.objects.create(name="Praktijk Drie")
    User.objects.filter(pk=moved.pk).update(practice=elsewhere)
    ended = _therapist(world, "Klaar", 2)
    # Assignments ended without Django's signals (a bulk delete): the states stay behind.
    Case.therapists.through.objects.filter(user=ended).delete()
    assert AttentionState.objects.filter(therapist=ended).count() == 2
    refresh.refresh()
    assert _therapists(read) == _world(world)
    out = io.StringIO()
    call_command("refresh_attention", stdout=out)
    assert "2 dropped" in out.getvalue()
    assert not AttentionState.objects.filter(therapist=ended).exists()
    assert _therapists(read) == _world(world)


def test_a_therapist_made_active_again_is_worked_out_by_the_next_refresh(world: World) -> None:
    back = _therapist(world, "Terug", 4)
    User.objects.filter(pk=back.pk).update(is_active=False)
    call_command("refresh_attention", stdout=io.StringIO())
    assert _due(back) == 4
    User.objects.filter(pk=back.pk).update(is_active=True)
    call_command("refresh_attention", stdout=io.StringIO())
    assert _due(back) == 0


def test_the_task_for_given_cases_skips_them_too(world: World, read: list[Any]) -> None:
    gone = _therapist(world, "Weg", 1)
    case = Case.objects.get(therapists=gone)
    case.therapists.add(world.colleague)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    tasks.refresh_attention.call(case_ids=[case.pk])
    assert [state.therapist_id for state in read] == [world.colleague.pk]
