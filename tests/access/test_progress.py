"""dyade.progress.access: outcome for the author, the therapist and (if shared) the other
partner; alliance for the author and the therapist only; nothing for anyone else."""

from __future__ import annotations

import pytest

from dyade.progress import access
from dyade.progress.models import Sharing
from tests.access.helpers import OUTSIDERS, deactivated, other_couple, user_of
from tests.conftest import World
from tests.progress.helpers import add_sessions

pytestmark = pytest.mark.django_db


def _check_ins(world: World) -> None:
    add_sessions(world.case, world.therapist, {"A": [8, 9], "B": [10, 11]}, {"A": [5, 6]})


@pytest.mark.parametrize(
    ("name", "outcome", "alliance"),
    [
        ("therapist", True, True),
        ("partner_a", True, True),
        ("partner_b", False, False),
        *((name, False, False) for name in OUTSIDERS),
    ],
)
def test_who_sees_partner_as_progress_before_sharing(
    world: World, name: str, outcome: bool, alliance: bool
) -> None:
    user = user_of(world, name)
    assert access.may_see_outcome(user, world.partner_a) is outcome
    assert access.may_see_alliance(user, world.partner_a) is alliance


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("therapist", True),
        ("partner_a", True),
        ("partner_b", True),
        *((n, False) for n in OUTSIDERS),
    ],
)
def test_sharing_opens_the_outcome_to_the_other_partner_and_nobody_else(
    world: World, name: str, outcome: bool
) -> None:
    Sharing.objects.create(partner=world.partner_a, shared=True)
    user = user_of(world, name)
    assert access.may_see_outcome(user, world.partner_a) is outcome
    # The alliance never follows the sharing.
    assert access.may_see_alliance(user, world.partner_a) is (name in ("therapist", "partner_a"))


def test_a_choice_not_to_share_is_not_sharing(world: World) -> None:
    Sharing.objects.create(partner=world.partner_a, shared=False)
    assert not access.may_see_outcome(world.user_b, world.partner_a)
    assert not access.shared_outcome_check_ins(world.user_b, world.partner_a).exists()


@pytest.mark.parametrize("name", ["partner_a", "partner_b", *OUTSIDERS])
def test_only_the_cases_therapist_reads_its_check_ins_and_sessions(world: World, name: str) -> None:
    _check_ins(world)
    user = user_of(world, name)
    assert not access.can_see_case_progress(user, world.case)
    assert not access.case_check_ins(user, world.case).exists()
    assert not access.case_sessions(user, world.case).exists()


def test_the_therapist_reads_every_sent_check_in_of_the_case_only(world: World) -> None:
    _check_ins(world)
    other_case, _c, _d = other_couple(world)
    add_sessions(other_case, world.colleague, {"A": [3]})
    found = access.case_check_ins(world.therapist, world.case)
    assert found.count() == 6  # four outcome, two alliance: never the intake or HITS
    assert {a.case_id for a in found} == {world.case.pk}
    assert access.case_sessions(world.therapist, world.case).count() == 2


def test_a_deactivated_therapist_reads_nothing(world: World) -> None:
    _check_ins(world)
    deactivated(world.therapist)
    assert not access.case_check_ins(world.therapist, world.case).exists()


def test_a_partner_reads_their_own_check_ins_only(world: World) -> None:
    _check_ins(world)
    mine = access.own_check_ins(world.user_a)
    assert {a.partner_id for a in mine} == {world.partner_a.pk}
    assert mine.count() == 4


def test_shared_check_ins_are_the_outcome_of_the_other_partner_only(world: World) -> None:
    _check_ins(world)
    Sharing.objects.create(partner=world.partner_a, shared=True)
    shared = access.shared_outcome_check_ins(world.user_b, world.partner_a)
    assert {(a.partner_id, a.moment) for a in shared} == {(world.partner_a.pk, "before")}
    assert shared.count() == 2
    # Not to the author as "shared", not to the therapist, not to a partner of another case.
    _case, outsider, _d = other_couple(world)
    for user in (world.user_a, world.therapist, outsider.user):
        assert not access.shared_outcome_check_ins(user, world.partner_a).exists()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_have_no_sharing_choice(world: World, name: str) -> None:
    assert access.sharing_of(user_of(world, name)) is None
