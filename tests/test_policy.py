"""The policy core (dyade.cases.policy), rule by rule, without the HTTP client.

Every rule is tried by the person it is meant for and by everyone it must keep
out: inactive and anonymous accounts, an account of the right role but without
a practice, a therapist of another practice added to the case, an unassigned
colleague, and a partner of another case in the same practice.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dyade.accounts.models import Practice, Role, User
from dyade.audit.models import AuditEvent
from dyade.cases import policy
from dyade.cases.models import Case, CaseKind, Partner
from dyade.clinic.visibility import Relation
from tests.access.helpers import (
    deactivated,
    denied_events,
    other_couple,
    request_for,
    without_practice,
)
from tests.conftest import World, make_user

ROLE_CHECKS = {
    "can_create_case": Role.THERAPIST,
    "can_reflect": Role.THERAPIST,
    "is_practice_admin": Role.PRACTICE_ADMIN,
    "can_use_research": Role.RESEARCHER,
}
NAMED = ["therapist", "colleague", "other_therapist", "admin", "researcher", "partner_a"]


# --- is_active, has_role and the role checks ---------------------------------------


def test_is_active_only_for_a_signed_in_active_account(world: World) -> None:
    assert policy.is_active(world.therapist) is True
    assert policy.is_active(world.user_a) is True
    assert policy.is_active(None) is False
    assert policy.is_active(AnonymousUser()) is False
    assert policy.is_active(deactivated(world.colleague)) is False


@pytest.mark.parametrize("check", sorted(ROLE_CHECKS))
@pytest.mark.parametrize("name", NAMED)
def test_each_role_check_holds_for_exactly_its_role(world: World, check: str, name: str) -> None:
    user = world.person(name)
    assert getattr(policy, check)(user) is (user.role == ROLE_CHECKS[check])


@pytest.mark.parametrize("check", sorted(ROLE_CHECKS))
def test_role_checks_refuse_the_inactive_the_anonymous_and_the_practiceless(
    world: World, check: str
) -> None:
    role = ROLE_CHECKS[check]
    active = make_user(f"active-{check}@one.example", role, world.practice)
    assert getattr(policy, check)(active) is True  # the control: the same role passes
    gone = deactivated(make_user(f"gone-{check}@one.example", role, world.practice))
    assert getattr(policy, check)(gone) is False
    assert getattr(policy, check)(without_practice(f"loose-{check}@x", role)) is False
    assert getattr(policy, check)(AnonymousUser()) is False
    assert getattr(policy, check)(None) is False


def test_has_role_needs_role_activity_and_practice(world: World) -> None:
    assert policy.has_role(world.therapist, Role.THERAPIST) is True
    assert policy.has_role(world.therapist, Role.PRACTICE_ADMIN) is False
    assert policy.has_role(world.admin, Role.PRACTICE_ADMIN) is True
    assert policy.has_role(world.user_a, Role.PARTNER) is True
    assert policy.has_role(without_practice("loose@x", Role.THERAPIST), Role.THERAPIST) is False
    assert policy.has_role(deactivated(world.therapist), Role.THERAPIST) is False
    assert policy.has_role(AnonymousUser(), Role.THERAPIST) is False


# --- practice staff ----------------------------------------------------------------


@pytest.fixture
def staff(world: World) -> dict[str, User]:
    """More staff in practice 1 (names sort differently from e-mails and from creation)."""
    return {
        # same name as the therapist ("Eva"): the e-mail breaks the tie
        "eva2": make_user("aaa-eva@one.example", Role.THERAPIST, world.practice, "Eva"),
        "bram": make_user("zzz-bram@one.example", Role.THERAPIST, world.practice, "Bram"),
        "gone": deactivated(make_user("gone@one.example", Role.THERAPIST, world.practice, "Anna")),
        "rik": make_user("rik@one.example", Role.RESEARCHER, world.practice, "Rik"),
        "gone_researcher": deactivated(
            make_user("gone-r@one.example", Role.RESEARCHER, world.practice, "Ada")
        ),
        "two_researcher": make_user("r@two.example", Role.RESEARCHER, world.other_practice, "Bo"),
        "two_admin": make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice),
    }


def test_colleagues_are_active_therapists_of_the_same_practice_by_name_then_email(
    world: World, staff: dict[str, User]
) -> None:
    expected = [staff["bram"], staff["eva2"], world.therapist, world.colleague]
    assert list(policy.colleagues_for(world.therapist)) == expected
    assert list(policy.colleagues_for(world.colleague)) == expected
    assert list(policy.colleagues_for(world.other_therapist)) == [world.other_therapist]


@pytest.mark.parametrize("name", ["admin", "researcher", "partner_a", "stranger"])
def test_colleagues_for_anyone_but_a_therapist_is_empty(
    world: World, staff: dict[str, User], name: str
) -> None:
    assert list(policy.colleagues_for(world.person(name) or AnonymousUser())) == []


def test_colleagues_for_an_inactive_or_practiceless_therapist_is_empty(
    world: World, staff: dict[str, User]
) -> None:
    assert list(policy.colleagues_for(staff["gone"])) == []
    assert list(policy.colleagues_for(without_practice("loose@x", Role.THERAPIST))) == []


def test_therapists_for_the_admin_all_therapists_of_the_practice_including_inactive(
    world: World, staff: dict[str, User]
) -> None:
    # Deactivated ones stay listed: the admin is the one who can turn them back on.
    expected = [staff["gone"], staff["bram"], staff["eva2"], world.therapist, world.colleague]
    assert list(policy.therapists_for(world.admin)) == expected
    assert list(policy.therapists_for(staff["two_admin"])) == [world.other_therapist]


def test_researchers_for_the_admin_only_researchers_of_the_practice(
    world: World, staff: dict[str, User]
) -> None:
    expected = [staff["gone_researcher"], world.researcher, staff["rik"]]
    assert list(policy.researchers_for(world.admin)) == expected
    assert list(policy.researchers_for(staff["two_admin"])) == [staff["two_researcher"]]


@pytest.mark.parametrize(
    "name", ["therapist", "colleague", "other_therapist", "researcher", "partner_a", "stranger"]
)
def test_staff_lists_only_for_a_practice_admin(
    world: World, staff: dict[str, User], name: str
) -> None:
    user = world.person(name) or AnonymousUser()
    assert list(policy.therapists_for(user)) == []
    assert list(policy.researchers_for(user)) == []


def test_staff_lists_not_for_an_inactive_or_practiceless_admin(
    world: World, staff: dict[str, User]
) -> None:
    loose = without_practice("loose-admin@x", Role.PRACTICE_ADMIN)
    gone = deactivated(world.admin)
    for user in (loose, gone):
        assert list(policy.therapists_for(user)) == []
        assert list(policy.researchers_for(user)) == []


# --- cases --------------------------------------------------------------------------


def test_cases_for_a_therapist_are_their_assigned_cases(world: World) -> None:
    assert list(policy.cases_for(world.therapist)) == [world.case]
    assert list(policy.cases_for(world.other_therapist)) == [world.other_case]
    assert list(policy.cases_for(world.colleague)) == []


def test_cases_for_a_second_assigned_therapist_of_the_same_practice(world: World) -> None:
    world.case.therapists.add(world.colleague)
    assert list(policy.cases_for(world.colleague)) == [world.case]
    assert policy.is_case_therapist(world.colleague, world.case) is True


def test_a_therapist_of_another_practice_added_to_a_case_still_does_not_reach_it(
    world: World,
) -> None:
    world.case.therapists.add(world.other_therapist)
    assert list(policy.cases_for(world.other_therapist)) == [world.other_case]
    assert policy.is_case_therapist(world.other_therapist, world.case) is False
    assert policy.relation(world.other_therapist, world.partner_a) == Relation.NONE
    with pytest.raises(Http404):
        policy.get_case(request_for(world.other_therapist), world.case.pk)


@pytest.mark.parametrize("name", ["admin", "researcher", "partner_a", "partner_b", "stranger"])
def test_cases_for_anyone_but_a_therapist_is_empty_even_if_assigned(
    world: World, name: str
) -> None:
    user = world.person(name)
    if user is not None:
        world.case.therapists.add(user)  # even a (wrong) assignment gives no access
    assert list(policy.cases_for(user or AnonymousUser())) == []
    assert policy.is_case_therapist(user or AnonymousUser(), world.case) is False


def test_cases_for_an_inactive_or_practiceless_assigned_therapist_is_empty(world: World) -> None:
    loose = without_practice("loose@x", Role.THERAPIST)
    world.case.therapists.add(loose)
    assert list(policy.cases_for(loose)) == []
    assert list(policy.cases_for(deactivated(world.therapist))) == []
    assert policy.is_case_therapist(world.therapist, world.case) is False


def test_is_case_therapist_per_case(world: World) -> None:
    assert policy.is_case_therapist(world.therapist, world.case) is True
    assert policy.is_case_therapist(world.therapist, world.other_case) is False
    assert policy.is_case_therapist(world.colleague, world.case) is False
    assert policy.is_case_therapist(world.other_therapist, world.other_case) is True


def test_get_case_gives_the_case_to_its_therapist_without_an_audit_event(world: World) -> None:
    assert policy.get_case(request_for(world.therapist), world.case.pk) == world.case
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["colleague", "other_therapist", "admin", "researcher", "partner_a", "stranger"]
)
def test_get_case_refuses_as_not_found_and_records_it(world: World, name: str) -> None:
    user = world.person(name)
    with pytest.raises(Http404):
        policy.get_case(request_for(user, "/cases/7/"), world.case.pk, "case_page.read")
    [event] = denied_events()
    assert (event.event, event.detail, event.outcome) == (
        "case_page.read",
        f"case id {world.case.pk}",
        "denied",
    )
    assert event.user_id == (user.pk if user is not None else None)
    assert event.access_point == "GET /cases/7/"


def test_get_case_refuses_a_case_that_does_not_exist(world: World) -> None:
    with pytest.raises(Http404):
        policy.get_case(request_for(world.therapist), 999999)
    [event] = denied_events()
    assert (event.event, event.detail) == ("case.read", "case id 999999")
    assert event.user_id == world.therapist.pk


def test_get_case_partner_for_the_case_therapist(world: World) -> None:
    request = request_for(world.therapist)
    assert policy.get_case_partner(request, world.case, "A", "partner.read") == world.partner_a
    assert policy.get_case_partner(request, world.case, "B", "partner.read") == world.partner_b
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["colleague", "other_therapist", "admin", "researcher", "partner_a", "stranger"]
)
def test_get_case_partner_refuses_everyone_else_with_the_case_in_the_trail(
    world: World, name: str
) -> None:
    with pytest.raises(Http404):
        policy.get_case_partner(request_for(world.person(name)), world.case, "A", "partner.read")
    [event] = denied_events()
    assert (event.event, event.detail, event.case_id) == ("partner.read", "slot A", world.case.pk)


def test_get_case_partner_refuses_a_slot_the_case_does_not_have(world: World) -> None:
    with pytest.raises(Http404):
        policy.get_case_partner(
            request_for(world.other_therapist), world.other_case, "B", "partner.update"
        )
    [event] = denied_events()
    assert (event.event, event.detail, event.case_id) == (
        "partner.update",
        "slot B",
        world.other_case.pk,
    )
    assert event.user_id == world.other_therapist.pk


def test_can_invite_only_a_partner_without_account_and_only_the_case_therapist(
    world: World,
) -> None:
    single = Case.objects.create(
        practice=world.practice, label="Iris", kind=CaseKind.INDIVIDUAL, created_by=world.therapist
    )
    single.therapists.add(world.therapist)
    iris = Partner.objects.create(case=single, slot="A", name="Iris")
    assert policy.can_invite(world.therapist, iris) is True
    assert policy.can_invite(world.colleague, iris) is False
    assert policy.can_invite(world.admin, iris) is False
    assert policy.can_invite(world.therapist, world.partner_a) is False  # has an account
    assert policy.can_invite(world.therapist, world.other_partner) is False  # not their case
    assert policy.can_invite(world.other_therapist, world.other_partner) is True


# --- partners -------------------------------------------------------------------------


def test_own_partner_is_the_partners_own_record(world: World) -> None:
    assert policy.own_partner(world.user_a) == world.partner_a
    assert policy.own_partner(world.user_b) == world.partner_b


@pytest.mark.parametrize(
    "name", ["therapist", "colleague", "other_therapist", "admin", "researcher", "stranger"]
)
def test_own_partner_is_none_for_every_other_role(world: World, name: str) -> None:
    assert policy.own_partner(world.person(name) or AnonymousUser()) is None


def test_own_partner_is_none_for_an_inactive_partner(world: World) -> None:
    assert policy.own_partner(deactivated(world.user_a)) is None


def test_own_partner_is_none_for_staff_wrongly_linked_to_a_partner_record(world: World) -> None:
    Partner.objects.create(case=world.other_case, slot="B", name="Mis", user=world.colleague)
    assert policy.own_partner(world.colleague) is None


def test_own_partner_is_none_for_a_partner_account_without_a_record(world: World) -> None:
    assert (
        policy.own_partner(make_user("new@partner.example", Role.PARTNER, world.practice)) is None
    )


def test_partner_or_403(world: World) -> None:
    assert policy.partner_or_403(request_for(world.user_b)) == world.partner_b
    for name in ("therapist", "admin", "researcher", "stranger"):
        with pytest.raises(PermissionDenied):
            policy.partner_or_403(request_for(world.person(name)))
    with pytest.raises(PermissionDenied):
        policy.partner_or_403(request_for(deactivated(world.user_a)))
    assert AuditEvent.objects.count() == 0


def test_own_case_partner_only_for_the_own_case(world: World) -> None:
    case_c, _, _ = other_couple(world)
    assert policy.own_case_partner(world.user_a, world.case.pk) == world.partner_a
    assert policy.own_case_partner(world.user_b, world.case.pk) == world.partner_b
    assert policy.own_case_partner(world.user_a, case_c.pk) is None
    assert policy.own_case_partner(world.user_a, world.other_case.pk) is None
    assert policy.own_case_partner(world.therapist, world.case.pk) is None
    assert policy.own_case_partner(AnonymousUser(), world.case.pk) is None


# --- relation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "to_a", "to_b"),
    [
        ("partner_a", Relation.AUTHOR, Relation.OTHER_PARTNER),
        ("partner_b", Relation.OTHER_PARTNER, Relation.AUTHOR),
        ("therapist", Relation.THERAPIST, Relation.THERAPIST),
        ("colleague", Relation.NONE, Relation.NONE),
        ("other_therapist", Relation.NONE, Relation.NONE),
        ("admin", Relation.NONE, Relation.NONE),
        ("researcher", Relation.NONE, Relation.NONE),
        ("stranger", Relation.NONE, Relation.NONE),
    ],
)
def test_relation_of_every_named_person(
    world: World, name: str, to_a: Relation, to_b: Relation
) -> None:
    user = world.person(name) or AnonymousUser()
    assert policy.relation(user, world.partner_a) == to_a
    assert policy.relation(user, world.partner_b) == to_b
    expected_other = Relation.THERAPIST if name == "other_therapist" else Relation.NONE
    assert policy.relation(user, world.other_partner) == expected_other


def test_relation_a_partner_of_another_case_in_the_same_practice_is_nobody(world: World) -> None:
    _, partner_c, partner_d = other_couple(world)
    for outsider in (partner_c.user, partner_d.user):
        assert policy.relation(outsider, world.partner_a) == Relation.NONE
        assert policy.relation(outsider, world.partner_b) == Relation.NONE
    for insider in (world.user_a, world.user_b):
        assert policy.relation(insider, partner_c) == Relation.NONE
        assert policy.relation(insider, partner_d) == Relation.NONE
    # and within the second couple the rule still works
    assert policy.relation(partner_c.user, partner_d) == Relation.OTHER_PARTNER
    assert policy.relation(partner_d.user, partner_d) == Relation.AUTHOR


def test_relation_a_partner_of_another_practice_is_nobody(world: World) -> None:
    ines = make_user("ines@partner.example", Role.PARTNER, world.other_practice)
    world.other_partner.user = ines
    world.other_partner.save()
    assert policy.relation(ines, world.other_partner) == Relation.AUTHOR
    assert policy.relation(ines, world.partner_a) == Relation.NONE
    assert policy.relation(world.user_a, world.other_partner) == Relation.NONE


def test_relation_an_inactive_author_or_therapist_is_nobody(world: World) -> None:
    assert policy.relation(deactivated(world.user_a), world.partner_a) == Relation.NONE
    assert policy.relation(deactivated(world.user_b), world.partner_a) == Relation.NONE
    assert policy.relation(deactivated(world.therapist), world.partner_a) == Relation.NONE


def test_relation_a_partner_account_assigned_as_therapist_is_still_only_a_partner(
    world: World,
) -> None:
    case_c, partner_c, _ = other_couple(world)
    case_c.therapists.add(world.user_a)  # wrong data: a partner account as therapist
    assert policy.relation(world.user_a, partner_c) == Relation.NONE


def test_relation_of_a_practiceless_therapist_assigned_to_the_case_is_nobody(world: World) -> None:
    loose = without_practice("loose@x", Role.THERAPIST)
    world.case.therapists.add(loose)
    assert policy.relation(loose, world.partner_a) == Relation.NONE


# --- refuse -------------------------------------------------------------------------


def test_refuse_raises_not_found_and_writes_one_denied_event(world: World) -> None:
    request = request_for(world.user_a, "/diary/3/")
    with pytest.raises(Http404):
        policy.refuse(request, "diary.read", "entry id 3", case=world.case)
    [event] = AuditEvent.objects.all()
    assert event.outcome == "denied"
    assert event.event == "diary.read"
    assert event.action == "read"
    assert event.detail == "entry id 3"
    assert (event.case_id, event.case_label) == (world.case.pk, world.case.label)
    assert event.practice_id == world.practice.pk
    assert (event.user_id, event.role) == (world.user_a.pk, Role.PARTNER)
    assert event.access_point == "GET /diary/3/"


def test_refuse_without_a_case_records_no_case(world: World) -> None:
    with pytest.raises(Http404):
        policy.refuse(request_for(None), "study.read", "study id 9")
    [event] = AuditEvent.objects.all()
    assert (event.outcome, event.event, event.detail) == ("denied", "study.read", "study id 9")
    assert (event.case_id, event.user_id, event.practice_id) == (None, None, None)


def test_no_practice_objects_are_reached_through_a_second_practice(world: World) -> None:
    """The control for tenancy tests: a third practice sees nothing of the other two."""
    third = Practice.objects.create(name="Praktijk Drie")
    alone = make_user("alone@three.example", Role.THERAPIST, third)
    assert list(policy.cases_for(alone)) == []
    assert list(policy.colleagues_for(alone)) == [alone]
