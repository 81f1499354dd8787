"""dyade.questionnaires.access: whose questionnaires each person reaches, and which answers."""

from __future__ import annotations

import dataclasses

import pytest
from django.http import Http404

from dyade.accounts.models import Role
from dyade.clinic.instruments import Instrument, Item, ItemType, Page
from dyade.clinic.visibility import Relation, Visibility
from dyade.questionnaires import access
from dyade.questionnaires.models import Administration, InstrumentText
from tests.access.helpers import (
    OUTSIDERS,
    deactivated,
    denied_events,
    other_couple,
    request_for,
    user_of,
)
from tests.conftest import (
    A_INTAKE_ANSWERS,
    World,
    import_item_texts,
    make_administration,
    make_user,
)

CLINICAL_INTAKE = {"safety.physical", "safety.fear"}
PRIVATE_INTAKE = {key: v for key, v in A_INTAKE_ANSWERS.items() if key not in CLINICAL_INTAKE}


def three_levels(instrument: Instrument) -> Instrument:
    """A small instrument with one private, one shared and one clinical question."""
    items = tuple(
        Item(link_id, ItemType.TEXT, {"en": link_id}, visibility)
        for link_id, visibility in (
            ("p", Visibility.PRIVATE),
            ("s", Visibility.SHARED),
            ("c", Visibility.CLINICAL),
        )
    )
    page = Page("page-1", {}, items, Visibility.PRIVATE)
    return dataclasses.replace(instrument, pages=(page,))


# --- own_administrations / get_own_administration --------------------------------------


def test_own_administrations_are_the_partners_own(world: World) -> None:
    assert set(access.own_administrations(world.user_a)) == {world.intake_a, world.hits_a}
    assert set(access.own_administrations(world.user_b)) == {world.intake_b}


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_own_administrations_empty_for_non_partners(world: World, name: str) -> None:
    assert list(access.own_administrations(user_of(world, name))) == []


def test_own_administrations_empty_for_an_inactive_partner(world: World) -> None:
    assert list(access.own_administrations(deactivated(world.user_a))) == []


def test_get_own_administration(world: World) -> None:
    found = access.get_own_administration(request_for(world.user_a), world.intake_a.pk)
    assert found == world.intake_a
    assert denied_events() == []


@pytest.mark.parametrize("name", ["partner_b", "therapist", "stranger"])
def test_get_own_administration_refuses_anyone_but_the_author(world: World, name: str) -> None:
    pk = world.intake_a.pk
    with pytest.raises(Http404):
        access.get_own_administration(request_for(world.person(name)), pk, "questionnaire.update")
    [event] = denied_events()
    assert (event.event, event.detail) == ("questionnaire.update", f"questionnaire id {pk}")
    user = world.person(name)
    assert event.user_id == (user.pk if user is not None else None)
    assert event.access_point == "GET /somewhere/"  # the request, not a system event


def test_get_own_administration_default_event(world: World) -> None:
    with pytest.raises(Http404):
        access.get_own_administration(request_for(world.user_a), world.intake_b.pk)
    [event] = denied_events()
    assert event.event == "questionnaire.read"
    assert (event.user_id, event.role) == (world.user_a.pk, "partner")


# --- case_administrations / get_case_administration -------------------------------------


def test_case_administrations_for_the_case_therapist(world: World) -> None:
    found = set(access.case_administrations(world.therapist, world.case))
    assert found == {world.intake_a, world.hits_a, world.intake_b}


@pytest.mark.parametrize("name", ["partner_a", "partner_b", *OUTSIDERS])
def test_case_administrations_empty_for_everyone_else(world: World, name: str) -> None:
    assert list(access.case_administrations(user_of(world, name), world.case)) == []


def test_get_case_administration(world: World) -> None:
    request = request_for(world.therapist)
    assert access.get_case_administration(request, world.case, world.intake_b.pk) == world.intake_b
    assert denied_events() == []


def test_get_case_administration_not_through_another_case(world: World) -> None:
    case_c, partner_c, _ = other_couple(world)
    theirs = make_administration(partner_c, "dyade-intake", {}, sent=True)
    case_c.therapists.add(world.therapist)  # the therapist has both cases
    with pytest.raises(Http404):
        access.get_case_administration(request_for(world.therapist), world.case, theirs.pk)
    [event] = denied_events()
    assert (event.event, event.detail, event.case_id) == (
        "questionnaire.read",
        f"questionnaire id {theirs.pk}",
        world.case.pk,
    )


@pytest.mark.parametrize("name", ["colleague", "other_therapist", "partner_a"])
def test_get_case_administration_refuses_non_therapists_of_the_case(
    world: World, name: str
) -> None:
    pk = world.intake_a.pk
    with pytest.raises(Http404):
        access.get_case_administration(request_for(world.person(name)), world.case, pk, "q.list")
    [event] = denied_events()
    assert (event.event, event.case_id) == ("q.list", world.case.pk)
    assert event.user_id == world.person(name).pk
    assert event.access_point == "GET /somewhere/"


def test_can_reopen_a_sent_questionnaire_only_its_case_therapist(world: World) -> None:
    assert access.can_reopen(world.therapist, world.intake_a) is True
    assert access.can_reopen(world.therapist, world.intake_b) is False  # still open
    for name in ("colleague", "other_therapist", "admin", "partner_a"):
        assert access.can_reopen(world.person(name), world.intake_a) is False


# --- answer_view --------------------------------------------------------------------


def test_answer_view_the_author_sees_private_answers_but_not_clinical_ones(world: World) -> None:
    intake = world.intake_a.definition()
    assert access.answer_view(world.user_a, world.intake_a, intake) == PRIVATE_INTAKE
    assert access.answer_view(world.user_a, world.hits_a, world.hits_a.definition()) == {}


def test_answer_view_the_therapist_sees_everything(world: World) -> None:
    intake = world.intake_a.definition()
    assert access.answer_view(world.therapist, world.intake_a, intake) == A_INTAKE_ANSWERS
    hits = world.hits_a.definition()
    assert access.answer_view(world.therapist, world.hits_a, hits) == {
        "1": 3,
        "2": 3,
        "3": 3,
        "4": 3,
    }


@pytest.mark.parametrize("name", ["partner_b", *OUTSIDERS])
def test_answer_view_nothing_for_the_other_partner_and_outsiders(world: World, name: str) -> None:
    intake = world.intake_a.definition()
    assert access.answer_view(user_of(world, name), world.intake_a, intake) == {}


def test_answer_view_the_other_partner_gets_not_even_a_shared_answer(world: World) -> None:
    instrument = three_levels(world.intake_a.definition())
    world.intake_a.set_answers({"p": "private", "s": "shared", "c": "clinical", "x": "stray"})
    world.intake_a.save()
    assert access.answer_view(world.user_b, world.intake_a, instrument) == {}
    assert access.answer_view(world.user_a, world.intake_a, instrument) == {
        "p": "private",
        "s": "shared",
    }
    assert access.answer_view(world.therapist, world.intake_a, instrument) == {
        "p": "private",
        "s": "shared",
        "c": "clinical",
    }


def test_answer_view_with_a_given_relation(world: World) -> None:
    intake = world.intake_a.definition()
    assert access.answer_view(None, world.intake_a, intake, Relation.AUTHOR) == PRIVATE_INTAKE
    assert access.answer_view(world.therapist, world.intake_a, intake, Relation.NONE) == {}
    assert access.answer_view(world.user_a, world.intake_a, intake, Relation.OTHER_PARTNER) == {}


# --- instrument texts -----------------------------------------------------------------


def test_instrument_texts_only_the_admins_own_practice(world: World) -> None:
    import_item_texts(world.other_practice, "hits", 4)
    own = InstrumentText.objects.get(practice=world.practice)
    assert access.can_manage_instrument_texts(world.admin) is True
    assert list(access.instrument_texts_for(world.admin)) == [own]
    other_admin = make_user("admin@two.example", Role.PRACTICE_ADMIN, world.other_practice)
    theirs = InstrumentText.objects.get(practice=world.other_practice)
    assert list(access.instrument_texts_for(other_admin)) == [theirs]


@pytest.mark.parametrize(
    "name", ["therapist", "colleague", "other_therapist", "researcher", "partner_a", "stranger"]
)
def test_instrument_texts_for_nobody_but_the_admin(world: World, name: str) -> None:
    user = user_of(world, name)
    assert access.can_manage_instrument_texts(user) is False
    assert list(access.instrument_texts_for(user)) == []


def test_answer_view_ignores_answers_to_questions_the_instrument_lacks(world: World) -> None:
    adm = Administration.objects.get(pk=world.hits_a.pk)
    adm.set_answers({"1": 3, "99": 1})
    adm.save()
    assert access.answer_view(world.therapist, adm, adm.definition()) == {"1": 3}
