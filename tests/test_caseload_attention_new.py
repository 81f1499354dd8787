"""A new assignment takes its place in the caseload's order at once (issue 16/15 leftovers).

A new case made through the therapist's form, a case handed over and a co-therapist
added: each gets, when its transaction commits, the number the background refresh
would give it, so it shows at its place on page 1 of a caseload of 60 cases whose
order is fresh, with no refresh run in between. Before, it waited below every open
case worked out already (page 7 of 7 here).

The caseloads hold three levels of attention, from the caseload's own rules
(``dyade.clinic.caseload``): two cases with a safety answer in a sent intake (safety
comes first), four with two questionnaires waiting, and quiet cases with nothing open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from dyade.accounts.models import Role, User
from dyade.cases import caseload
from dyade.cases.models import Case
from dyade.clinic import attention_order
from dyade.overview import refresh, tasks
from dyade.overview.models import AttentionState
from tests.conftest import World, client_for, make_administration, make_user
from tests.test_caseload_attention import _cases, _make_urgent

URL = reverse("cases:list")
PAGE = 10


def _waiting(case: Case, count: int) -> None:
    """A questionnaire given to ``count`` partners (A, then B) and not sent yet."""
    for partner in case.partners.order_by("slot")[:count]:
        make_administration(partner, "hits", {}, sent=False)


def _caseload_of_60(therapist: User, prefix: str) -> list[Case]:
    """60 cases: 2 with a safety answer, 4 with two questionnaires waiting, 54 quiet;
    the order worked out for all of them (the states are fresh)."""
    made = _cases(therapist, 60, prefix)
    for case in made[10:12]:
        _make_urgent(case)
    for case in made[20:24]:
        _waiting(case, 2)
    refresh.run()
    assert not any(state.is_stale for state in AttentionState.objects.filter(therapist=therapist))
    return made


class _Forbidden:
    def enqueue(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the background refresh was queued")


@pytest.fixture
def forbid_refresh(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Once called, any call of the background refresh fails the test."""
    monkeypatch.setattr(caseload, "PAGE_SIZE", PAGE)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the background refresh was called")

    def forbid() -> None:
        monkeypatch.setattr(refresh, "refresh", fail)
        monkeypatch.setattr(refresh, "run", fail)
        monkeypatch.setattr(tasks, "refresh_attention", _Forbidden())

    return forbid


def _first_page(therapist: User) -> list[Case]:
    return [row.case for row in client_for(therapist).get(URL).context["rows"]]


def _expected_order(made: list[Case], newcomer: Case) -> list[Case]:
    """Safety first (newest assignment first among equals), then two waiting, then the
    case with one waiting or none (the newcomer, newest), then the quiet ones."""
    return [*reversed(made[10:12]), *reversed(made[20:24]), newcomer]


def _new_case_form() -> dict[str, str]:
    return {
        "request_id": str(uuid.uuid4()),
        "label": "Nieuw stel",
        "kind": "couple",
        "a_name": "Noor",
        "a_email": "",
        "a_language": "nl",
        "b_name": "Fleur",
        "b_email": "",
        "b_language": "nl",
    }


def test_a_case_made_with_the_form_lands_at_its_place_on_page_1(
    world: World,
    forbid_refresh: Callable[[], None],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    made = _caseload_of_60(therapist, "Stel")
    forbid_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(therapist).post(reverse("cases:create"), _new_case_form())
    assert response.status_code == 302
    new = Case.objects.get(label="Nieuw stel")
    state = AttentionState.objects.get(case=new, therapist=therapist)
    assert not state.is_stale and state.rank > attention_order.UNKNOWN
    shown = _first_page(therapist)
    assert shown[:7] == _expected_order(made, new)
    assert len(shown) == PAGE


def test_the_place_is_the_one_the_refresh_gives(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    _caseload_of_60(therapist, "Stel")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(therapist).post(reverse("cases:create"), _new_case_form())
    state = AttentionState.objects.get(case__label="Nieuw stel", therapist=therapist)
    refresh.refresh(everything=True)
    state_after = AttentionState.objects.get(pk=state.pk)
    assert (state_after.rank, state_after.track) == (state.rank, state.track)


def test_until_the_case_commits_it_waits_as_never_worked_out(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    therapist = make_user("busy@one.example", Role.THERAPIST, world.practice, "Busy")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(therapist).post(reverse("cases:create"), _new_case_form())
        state = AttentionState.objects.get(case__label="Nieuw stel", therapist=therapist)
        assert state.rank == attention_order.UNKNOWN and state.is_stale
    assert callbacks  # worked out once the transaction commits
    for callback in callbacks:
        callback()
    assert not AttentionState.objects.get(pk=state.pk).is_stale


def _ones_case(world: World, label: str) -> Case:
    """A case of world's therapist with one questionnaire waiting, order worked out."""
    [case] = _cases(world.therapist, 1, label)
    _waiting(case, 1)
    refresh.run()
    return case


def test_a_case_handed_over_lands_at_its_place_on_the_colleagues_page_1(
    world: World,
    forbid_refresh: Callable[[], None],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    made = _caseload_of_60(world.colleague, "Hun")
    case = _ones_case(world, "Overdracht")
    forbid_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.therapist).post(
            reverse("cases:hand_over", args=[case.pk]), {"colleague": str(world.colleague.pk)}
        )
    assert response.status_code == 302
    assert not AttentionState.objects.filter(case=case, therapist=world.therapist).exists()
    assert _first_page(world.colleague)[:7] == _expected_order(made, case)
    assert case not in _first_page(world.therapist)


def test_an_added_co_therapist_sees_the_case_at_its_place_on_page_1(
    world: World,
    forbid_refresh: Callable[[], None],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    made = _caseload_of_60(world.colleague, "Hun")
    case = _ones_case(world, "Samen")
    forbid_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.therapist).post(
            reverse("cases:add_therapist", args=[case.pk]), {"colleague": str(world.colleague.pk)}
        )
    assert response.status_code == 302
    assert _first_page(world.colleague)[:7] == _expected_order(made, case)
    assert case in _first_page(world.therapist)  # still theirs too


def test_a_new_case_of_an_inactive_co_therapist_is_not_worked_out_for_them(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    User.objects.filter(pk=world.colleague.pk).update(is_active=False)
    case = _ones_case(world, "Stil")
    with django_capture_on_commit_callbacks(execute=True):
        case.therapists.add(world.colleague)
    state = AttentionState.objects.get(case=case, therapist=world.colleague)
    assert state.rank == attention_order.UNKNOWN and state.computed_at is None
