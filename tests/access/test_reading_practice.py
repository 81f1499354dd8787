"""dyade.reading.access and dyade.practice.access: reading pages, staff and the audit trail."""

from __future__ import annotations

import pytest

from dyade.accounts.models import Role
from dyade.audit.models import AuditEvent
from dyade.audit.services import record
from dyade.practice import access as practice_access
from dyade.reading import access as reading_access
from dyade.reading.models import ReadingAssignment
from tests.access.helpers import OUTSIDERS, deactivated, other_couple, user_of, without_practice
from tests.conftest import World, make_user

# --- reading ------------------------------------------------------------------------


@pytest.fixture
def readings(world: World) -> dict[str, ReadingAssignment]:
    _, partner_c, _ = other_couple(world)
    return {
        name: ReadingAssignment.objects.create(partner=partner, slug=f"page-{name}")
        for name, partner in (
            ("a", world.partner_a),
            ("b", world.partner_b),
            ("c", partner_c),
            ("elsewhere", world.other_partner),
        )
    }


def test_own_readings_are_the_partners_own(
    world: World, readings: dict[str, ReadingAssignment]
) -> None:
    assert list(reading_access.own_readings(world.user_a)) == [readings["a"]]
    assert list(reading_access.own_readings(world.user_b)) == [readings["b"]]


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_own_readings_empty_for_non_partners(
    world: World, readings: dict[str, ReadingAssignment], name: str
) -> None:
    assert list(reading_access.own_readings(user_of(world, name))) == []


def test_own_readings_empty_for_an_inactive_partner(
    world: World, readings: dict[str, ReadingAssignment]
) -> None:
    assert list(reading_access.own_readings(deactivated(world.user_a))) == []


def test_case_readings_for_the_case_therapist_only_of_the_case(
    world: World, readings: dict[str, ReadingAssignment]
) -> None:
    found = set(reading_access.case_readings(world.therapist, world.case))
    assert found == {readings["a"], readings["b"]}
    other = set(reading_access.case_readings(world.other_therapist, world.other_case))
    assert other == {readings["elsewhere"]}


@pytest.mark.parametrize("name", ["partner_a", "partner_b", *OUTSIDERS])
def test_case_readings_empty_for_everyone_else(
    world: World, readings: dict[str, ReadingAssignment], name: str
) -> None:
    assert list(reading_access.case_readings(user_of(world, name), world.case)) == []


# --- practice -----------------------------------------------------------------------


def test_staff_and_audit_only_for_an_active_practice_admin(world: World) -> None:
    assert practice_access.can_manage_staff(world.admin) is True
    assert practice_access.can_view_audit(world.admin) is True
    for user in (
        world.therapist,
        world.researcher,
        world.user_a,
        user_of(world, "stranger"),
        without_practice("loose@x.example", Role.PRACTICE_ADMIN),
        deactivated(make_user("gone@one.example", Role.PRACTICE_ADMIN, world.practice)),
    ):
        assert practice_access.can_manage_staff(user) is False
        assert practice_access.can_view_audit(user) is False
        assert list(practice_access.audit_events_for(user)) == []


def test_audit_events_only_of_the_admins_practice(world: World) -> None:
    mine = record(None, "case.read", case=world.case)
    theirs = record(None, "case.read", case=world.other_case)
    assert list(practice_access.audit_events_for(world.admin)) == [mine]
    other_admin = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    assert list(practice_access.audit_events_for(other_admin)) == [theirs]
    assert AuditEvent.objects.count() == 2
