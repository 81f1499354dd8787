"""dyade.exercises.access: whose exercises each person reaches, and what of a log or answer."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.http import Http404
from django.utils import timezone

from dyade.cases.models import Partner
from dyade.clinic.visibility import Relation
from dyade.exercises import access
from dyade.exercises.models import Answers, Assignment, Entry, Log, Run
from tests.access.helpers import (
    OUTSIDERS,
    deactivated,
    denied_events,
    other_couple,
    request_for,
    user_of,
)
from tests.conftest import World

DAY = dt.date(2024, 5, 8)
LOG_VALUES = {
    "role": "giver",
    "agreements_held": True,
    "feeling": "calm",
    "intensity": 3,
    "thoughts": "thoughts-marker",
    "own_thought": "own-thought-marker",
    "needed": "needed-marker",
    "note": "log-note-marker",
    "stray": "not-a-log-field",  # unknown keys are never shown
}
WHAT_HAPPENED = {"date": DAY.isoformat(), "role": "giver", "agreements_held": True}
EVERYTHING = {
    **WHAT_HAPPENED,
    "feeling": "calm",
    "intensity": 3,
    "thoughts": "thoughts-marker",
    "own_thought": "own-thought-marker",
    "needed": "needed-marker",
    "note": "log-note-marker",
}


@dataclass
class Exercises:
    couple: Assignment  # for both partners of the case
    a_own: Assignment  # partner A's own
    b_own: Assignment  # partner B's own
    a_stopped: Assignment  # partner A's own, no longer active
    elsewhere: Assignment  # the other practice's case


def assign(w: World, case: object, partner: Partner | None, slug: str, **kw: object) -> Assignment:
    return Assignment.objects.create(
        case=case, partner=partner, slug=slug, assigned_by=w.therapist, **kw
    )


@pytest.fixture
def ex(world: World) -> Exercises:
    return Exercises(
        couple=assign(world, world.case, None, "couple"),
        a_own=assign(world, world.case, world.partner_a, "a-own"),
        b_own=assign(world, world.case, world.partner_b, "b-own"),
        a_stopped=assign(world, world.case, world.partner_a, "a-stopped", active=False),
        elsewhere=assign(world, world.other_case, None, "elsewhere"),
    )


def make_log(ex: Exercises, partner: Partner, shared: bool, run: Run | None = None) -> Log:
    return Log.objects.create(
        assignment=ex.couple,
        partner=partner,
        date=DAY,
        values_json=json.dumps(LOG_VALUES),
        shared=shared,
        run=run,
    )


# --- scoped querysets ---------------------------------------------------------------


def test_case_assignments_for_the_case_therapist_only_of_that_case(
    world: World, ex: Exercises
) -> None:
    found = set(access.case_assignments(world.therapist, world.case))
    assert found == {ex.couple, ex.a_own, ex.b_own, ex.a_stopped}
    assert set(access.case_assignments(world.other_therapist, world.other_case)) == {ex.elsewhere}


@pytest.mark.parametrize("name", ["partner_a", "partner_b", *OUTSIDERS])
def test_case_assignments_empty_for_everyone_else(world: World, ex: Exercises, name: str) -> None:
    assert list(access.case_assignments(user_of(world, name), world.case)) == []


def test_partner_assignments_the_couples_and_their_own(world: World, ex: Exercises) -> None:
    assert set(access.partner_assignments(world.partner_a)) == {ex.couple, ex.a_own, ex.a_stopped}
    assert set(access.partner_assignments(world.partner_b)) == {ex.couple, ex.b_own}
    assert set(access.partner_assignments(world.other_partner)) == {ex.elsewhere}


def test_partner_assignments_not_another_couples_in_the_same_practice(
    world: World, ex: Exercises
) -> None:
    case_c, partner_c, _ = other_couple(world)
    theirs = assign(world, case_c, None, "theirs")
    assert set(access.partner_assignments(partner_c)) == {theirs}
    assert theirs not in set(access.partner_assignments(world.partner_a))


def test_own_assignments_for_the_signed_in_partner(world: World, ex: Exercises) -> None:
    assert set(access.own_assignments(world.user_a)) == {ex.couple, ex.a_own, ex.a_stopped}
    assert set(access.own_assignments(world.user_b)) == {ex.couple, ex.b_own}


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_own_assignments_empty_for_non_partners(world: World, ex: Exercises, name: str) -> None:
    assert list(access.own_assignments(user_of(world, name))) == []


def test_own_assignments_empty_for_an_inactive_partner(world: World, ex: Exercises) -> None:
    assert list(access.own_assignments(deactivated(world.user_a))) == []


def test_get_own_assignment_gives_an_active_own_or_couple_exercise(
    world: World, ex: Exercises
) -> None:
    request = request_for(world.user_a)
    assert access.get_own_assignment(request, ex.a_own.pk) == ex.a_own
    assert access.get_own_assignment(request, ex.couple.pk) == ex.couple
    assert denied_events() == []


@pytest.mark.parametrize("which", ["b_own", "a_stopped", "elsewhere"])
def test_get_own_assignment_refuses_the_others_a_stopped_and_a_foreign_one(
    world: World, ex: Exercises, which: str
) -> None:
    pk = getattr(ex, which).pk
    with pytest.raises(Http404):
        access.get_own_assignment(request_for(world.user_a), pk, "exercise_log.read")
    [event] = denied_events()
    assert (event.event, event.detail, event.user_id) == (
        "exercise_log.read",
        f"exercise id {pk}",
        world.user_a.pk,
    )


def test_get_own_assignment_refuses_the_therapist_with_the_default_event(
    world: World, ex: Exercises
) -> None:
    with pytest.raises(Http404):
        access.get_own_assignment(request_for(world.therapist), ex.couple.pk)
    [event] = denied_events()
    assert (event.event, event.detail) == ("exercise.read", f"exercise id {ex.couple.pk}")


# --- log_view ----------------------------------------------------------------------


def test_log_view_unshared_what_happened_for_the_other_partner(world: World, ex: Exercises) -> None:
    log = make_log(ex, world.partner_a, shared=False)
    assert access.log_view(world.user_a, log) == EVERYTHING
    assert access.log_view(world.therapist, log) == EVERYTHING
    assert access.log_view(world.user_b, log) == WHAT_HAPPENED


def test_log_view_shared_everything_for_the_other_partner(world: World, ex: Exercises) -> None:
    log = make_log(ex, world.partner_b, shared=True)
    assert access.log_view(world.user_a, log) == EVERYTHING
    assert access.log_view(world.user_b, log) == EVERYTHING
    assert access.log_view(world.therapist, log) == EVERYTHING


@pytest.mark.parametrize("name", OUTSIDERS)
def test_log_view_nothing_for_outsiders_even_shared(world: World, ex: Exercises, name: str) -> None:
    log = make_log(ex, world.partner_a, shared=True)
    assert access.log_view(user_of(world, name), log) == {}


def test_log_view_nothing_for_a_partner_of_another_couple(world: World, ex: Exercises) -> None:
    _, partner_c, _ = other_couple(world)
    assert access.log_view(partner_c.user, make_log(ex, world.partner_a, shared=True)) == {}


def test_log_view_shows_the_timer_run_to_the_case_but_not_outside(
    world: World, ex: Exercises
) -> None:
    run = Run.objects.create(
        assignment=ex.couple, partner=world.partner_a, run_id="run-1", started_at=timezone.now()
    )
    log = make_log(ex, world.partner_a, shared=False, run=run)
    assert access.log_view(world.user_a, log) == {**EVERYTHING, "run": run}
    assert access.log_view(world.user_b, log) == {**WHAT_HAPPENED, "run": run}
    assert access.log_view(world.therapist, log) == {**EVERYTHING, "run": run}
    assert access.log_view(world.colleague, log) == {}


def test_log_view_with_a_given_relation(world: World, ex: Exercises) -> None:
    log = make_log(ex, world.partner_a, shared=False)
    assert access.log_view(None, log, Relation.OTHER_PARTNER) == WHAT_HAPPENED
    assert access.log_view(world.user_a, log, Relation.NONE) == {}


# --- answers_view and entry_view ------------------------------------------------------


@pytest.mark.parametrize("shared", [False, True])
def test_answers_view(world: World, ex: Exercises, shared: bool) -> None:
    values = {"turn_on": "answers-marker"}
    answers = Answers.objects.create(
        assignment=ex.couple, partner=world.partner_a, values_json=json.dumps(values), shared=shared
    )
    assert access.answers_view(world.user_a, answers) == values
    assert access.answers_view(world.therapist, answers) == values
    assert access.answers_view(world.user_b, answers) == (values if shared else {})
    for name in OUTSIDERS:
        assert access.answers_view(user_of(world, name), answers) == {}
    _, partner_c, _ = other_couple(world)
    assert access.answers_view(partner_c.user, answers) == {}


@pytest.mark.parametrize("shared", [False, True])
def test_entry_view(world: World, ex: Exercises, shared: bool) -> None:
    values = {"bid": "entry-marker"}
    entry = Entry.objects.create(
        assignment=ex.couple,
        partner=world.partner_b,
        date=DAY,
        values_json=json.dumps(values),
        shared=shared,
    )
    expected = {"date": DAY, **values}
    assert access.entry_view(world.user_b, entry) == expected
    assert access.entry_view(world.therapist, entry) == expected
    assert access.entry_view(world.user_a, entry) == (expected if shared else {})
    for name in OUTSIDERS:
        assert access.entry_view(user_of(world, name), entry) == {}
    _, partner_c, _ = other_couple(world)
    assert access.entry_view(partner_c.user, entry) == {}
