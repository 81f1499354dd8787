"""dyade.research.access: which studies and couples the admin, researchers and partners reach."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import timezone

from dyade.accounts.models import Role, User
from dyade.cases.models import Case, CaseKind, Partner
from dyade.research import access
from dyade.research.models import Consent, Study, StudyStatus
from tests.access.helpers import (
    OUTSIDERS,
    deactivated,
    denied_events,
    other_couple,
    request_for,
    user_of,
)
from tests.conftest import World, make_study, make_user


def new_study(w: World, title: str, *, named: bool = True, **values: object) -> Study:
    study = make_study(w.practice, w.admin, title, timezone.localdate(), **values)
    if named:
        study.researchers.add(w.researcher)
    return study


def consent(study: Study, *partners: Partner, given: bool = True) -> None:
    for partner in partners:
        Consent.objects.create(study=study, partner=partner, given=given)


def other_admin(w: World) -> User:
    return make_user("admin@two.example", Role.PRACTICE_ADMIN, w.other_practice)


# --- who manages and who researches ---------------------------------------------------


def test_managed_studies_are_the_admins_practices(world: World) -> None:
    draft = world.draft_study()
    assert access.can_manage_studies(world.admin) is True
    assert set(access.managed_studies(world.admin)) == {world.study, world.unnamed_study, draft}
    theirs = make_study(world.other_practice, other_admin(world), "Elders", timezone.localdate())
    assert list(access.managed_studies(User.objects.get(email="admin@two.example"))) == [theirs]


@pytest.mark.parametrize(
    "name", ["therapist", "colleague", "other_therapist", "researcher", "partner_a", "stranger"]
)
def test_managed_studies_for_nobody_else(world: World, name: str) -> None:
    assert access.can_manage_studies(user_of(world, name)) is False
    assert list(access.managed_studies(user_of(world, name))) == []


def test_research_studies_only_the_ones_the_researcher_is_named_in(world: World) -> None:
    assert list(access.research_studies(world.researcher)) == [world.study]
    assert list(access.research_studies(deactivated(world.researcher))) == []


def test_research_studies_not_across_practices_even_when_named(world: World) -> None:
    stranger = make_user("r@two.example", Role.RESEARCHER, world.other_practice)
    world.study.researchers.add(stranger)
    assert list(access.research_studies(stranger)) == []
    assert list(access.study_cases(stranger, world.study)) == []
    assert access.study_size(stranger, world.study) == 0


@pytest.mark.parametrize(
    "name", ["therapist", "colleague", "other_therapist", "admin", "partner_a", "stranger"]
)
def test_research_studies_for_nobody_but_researchers_even_if_named(world: World, name: str) -> None:
    user = world.person(name)
    if user is not None:
        world.study.researchers.add(user)
    assert list(access.research_studies(user_of(world, name))) == []


def test_get_research_study(world: World) -> None:
    assert access.get_research_study(request_for(world.researcher), world.study.pk, "x.read") == (
        world.study
    )
    assert denied_events() == []
    with pytest.raises(Http404):
        access.get_research_study(
            request_for(world.researcher), world.unnamed_study.pk, "study.read"
        )
    [event] = denied_events()
    assert (event.event, event.detail, event.user_id) == (
        "study.read",
        f"study id {world.unnamed_study.pk}",
        world.researcher.pk,
    )


# --- study_cases and study_size --------------------------------------------------------


def test_study_cases_the_couple_both_partners_consented(world: World) -> None:
    assert list(access.study_cases(world.researcher, world.study)) == [world.case]


@pytest.mark.parametrize(
    "name", ["therapist", "colleague", "other_therapist", "admin", "partner_a", "stranger"]
)
def test_study_cases_nothing_for_anyone_but_the_named_researcher(world: World, name: str) -> None:
    assert list(access.study_cases(user_of(world, name), world.study)) == []


def test_study_cases_nothing_for_an_unnamed_researcher(world: World) -> None:
    consent(world.unnamed_study, world.partner_a, world.partner_b)
    assert list(access.study_cases(world.researcher, world.unnamed_study)) == []
    second = make_user("r2@one.example", Role.RESEARCHER, world.practice)
    assert list(access.study_cases(second, world.study)) == []
    world.unnamed_study.researchers.add(second)  # the control: named, the couple counts
    assert list(access.study_cases(second, world.unnamed_study)) == [world.case]


def test_study_cases_nothing_for_a_draft_study(world: World) -> None:
    draft = world.draft_study()
    draft.researchers.add(world.researcher)
    consent(draft, world.partner_a, world.partner_b)
    assert list(access.study_cases(world.researcher, draft)) == []
    draft.status = StudyStatus.OPEN  # the control: the same study once open
    draft.save()
    assert list(access.study_cases(world.researcher, draft)) == [world.case]


def test_study_cases_of_a_closed_study_still_count(world: World) -> None:
    world.study.status = StudyStatus.CLOSED
    world.study.save()
    assert list(access.study_cases(world.researcher, world.study)) == [world.case]


def test_study_cases_nothing_when_only_one_partner_consented(world: World) -> None:
    study = new_study(world, "Half")
    consent(study, world.partner_a)
    assert list(access.study_cases(world.researcher, study)) == []
    assert access.study_size(world.researcher, study) == 0


def test_study_cases_nothing_when_a_consent_was_withdrawn(world: World) -> None:
    Consent.objects.filter(study=world.study, partner=world.partner_b).update(given=False)
    assert list(access.study_cases(world.researcher, world.study)) == []
    assert access.study_size(world.admin, world.study) == 0


def test_study_cases_consent_to_another_study_does_not_count(world: World) -> None:
    study = new_study(world, "Fresh")  # both consented to world.study, not to this one
    assert list(access.study_cases(world.researcher, study)) == []
    consent(study, world.partner_a)
    consent(world.unnamed_study, world.partner_b)
    assert list(access.study_cases(world.researcher, study)) == []


def test_study_cases_several_couples(world: World) -> None:
    case_c, partner_c, partner_d = other_couple(world)
    consent(world.study, partner_c)
    consent(world.study, partner_d, given=False)
    assert list(access.study_cases(world.researcher, world.study)) == [world.case]
    Consent.objects.filter(partner=partner_d).update(given=True)
    assert set(access.study_cases(world.researcher, world.study)) == {world.case, case_c}
    assert access.study_size(world.researcher, world.study) == 2


def test_study_cases_never_an_individual_case(world: World) -> None:
    single = Case.objects.create(
        practice=world.practice, label="Solo", kind=CaseKind.INDIVIDUAL, created_by=world.therapist
    )
    # even with (wrongly) two partner records that both said yes
    consent(
        world.study,
        Partner.objects.create(case=single, slot="A", name="Solo"),
        Partner.objects.create(case=single, slot="B", name="Ghost"),
    )
    assert list(access.study_cases(world.researcher, world.study)) == [world.case]


def test_study_cases_never_a_couple_of_another_practice(world: World) -> None:
    couple = Case.objects.create(
        practice=world.other_practice,
        label="Elders",
        kind=CaseKind.COUPLE,
        created_by=world.other_therapist,
    )
    consent(
        world.study,
        Partner.objects.create(case=couple, slot="A", name="E1"),
        Partner.objects.create(case=couple, slot="B", name="E2"),
    )
    assert list(access.study_cases(world.researcher, world.study)) == [world.case]
    assert access.study_size(world.admin, world.study) == 1


def test_study_size_for_the_admin_and_the_named_researcher(world: World) -> None:
    assert access.study_size(world.admin, world.study) == 1
    assert access.study_size(world.researcher, world.study) == 1
    consent(world.unnamed_study, world.partner_a, world.partner_b)
    assert access.study_size(world.admin, world.unnamed_study) == 1
    assert access.study_size(world.researcher, world.unnamed_study) == 0


@pytest.mark.parametrize("name", ["therapist", "colleague", "other_therapist", "partner_a"])
def test_study_size_zero_for_everyone_else(world: World, name: str) -> None:
    assert access.study_size(user_of(world, name), world.study) == 0
    assert access.study_size(user_of(world, "stranger"), world.study) == 0


def test_study_size_zero_for_the_admin_of_another_practice(world: World) -> None:
    assert access.study_size(other_admin(world), world.study) == 0


# --- partner_studies and own_consent -----------------------------------------------------


def test_partner_studies_the_open_ones_of_the_practice_once_each(world: World) -> None:
    world.draft_study()
    make_study(world.other_practice, world.admin, "Elders", timezone.localdate())
    expected = sorted([world.study.pk, world.unnamed_study.pk])
    for user in (world.user_a, world.user_b):
        # world.study has a consent from each partner: still listed once
        assert sorted(s.pk for s in access.partner_studies(user)) == expected


def test_partner_studies_a_closed_study_only_for_a_partner_who_said_yes(world: World) -> None:
    closed = new_study(world, "Closed", status=StudyStatus.CLOSED)
    consent(closed, world.partner_a)
    consent(closed, world.partner_b, given=False)
    ignored = new_study(world, "Closed, nobody", status=StudyStatus.CLOSED)
    assert closed in set(access.partner_studies(world.user_a))
    assert closed not in set(access.partner_studies(world.user_b))
    assert ignored not in set(access.partner_studies(world.user_a))
    _, partner_c, _ = other_couple(world)
    assert closed not in set(access.partner_studies(partner_c.user))


def test_partner_studies_never_a_draft_even_with_a_yes(world: World) -> None:
    """A study put back into draft disappears, even for a partner who had said yes."""
    world.study.status = StudyStatus.DRAFT
    world.study.save()
    assert list(access.partner_studies(world.user_a)) == [world.unnamed_study]
    assert list(access.partner_studies(world.user_b)) == [world.unnamed_study]


def test_partner_studies_none_for_an_individual_case(world: World) -> None:
    single = Case.objects.create(
        practice=world.practice, label="Solo", kind=CaseKind.INDIVIDUAL, created_by=world.therapist
    )
    solo = make_user("solo@partner.example", Role.PARTNER, world.practice)
    Partner.objects.create(case=single, slot="A", name="Solo", user=solo)
    assert list(access.partner_studies(solo)) == []


def test_partner_studies_of_another_practice(world: World) -> None:
    couple = Case.objects.create(
        practice=world.other_practice,
        label="Elders",
        kind=CaseKind.COUPLE,
        created_by=world.other_therapist,
    )
    elder = make_user("elder@partner.example", Role.PARTNER, world.other_practice)
    Partner.objects.create(case=couple, slot="A", name="E1", user=elder)
    theirs = make_study(world.other_practice, world.admin, "Elders", timezone.localdate())
    assert list(access.partner_studies(elder)) == [theirs]


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_partner_studies_none_for_non_partners(world: World, name: str) -> None:
    assert list(access.partner_studies(user_of(world, name))) == []


def test_own_consent_is_each_partners_own(world: World) -> None:
    mine = access.own_consent(world.user_a, world.study)
    assert mine is not None
    assert (mine.partner, mine.study, mine.given) == (world.partner_a, world.study, True)
    theirs = access.own_consent(world.user_b, world.study)
    assert theirs is not None
    assert theirs.partner == world.partner_b
    assert access.own_consent(world.user_a, world.unnamed_study) is None


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_own_consent_none_for_non_partners(world: World, name: str) -> None:
    assert access.own_consent(user_of(world, name), world.study) is None


def test_own_consent_none_for_a_partner_of_another_couple(world: World) -> None:
    _, partner_c, _ = other_couple(world)
    assert access.own_consent(partner_c.user, world.study) is None
