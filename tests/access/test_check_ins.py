"""Sessions and check-ins in the access modules: each rule tried as every named person.

dyade.sessions.access: a case's sessions for its therapists; a partner is told of the joint
sessions and their own sessions alone. dyade.questionnaires.access: a partner's check-ins for
that partner and the case's therapists only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from dyade.clinic.visibility import Relation
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires.models import Administration, Status
from dyade.sessions import access
from dyade.sessions.models import Appointment
from tests.access.helpers import OUTSIDERS, deactivated, denied_events, request_for, user_of
from tests.conftest import World


def appointment(world: World, case: object = None, **values: object) -> Appointment:
    fields: dict[str, object] = {
        "case": case or world.case,
        "starts_at": timezone.now() + dt.timedelta(days=1),
        "minutes": 50,
        "therapist": world.therapist,
        "created_by": world.therapist,
    }
    fields.update(values)
    return Appointment.objects.create(**fields)


def check_in(world: World, partner: object, session: Appointment, moment: str) -> Administration:
    administration = Administration(
        case=world.case,
        partner=partner,
        instrument="dyade-alliance" if moment == "after" else "csi-4",
        version="1",
        appointment=session,
        moment=moment,
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    administration.set_answers({"1": 2, "2": 3, "3": 4, "4": 1})
    administration.save()
    return administration


# --- sessions --------------------------------------------------------------------------------


def test_a_case_s_sessions_for_its_therapists_only(world: World) -> None:
    joint = appointment(world)
    elsewhere = appointment(world, world.other_case, therapist=world.other_therapist)
    assert list(access.case_appointments(world.therapist, world.case)) == [joint]
    assert list(access.case_appointments(world.other_therapist, world.other_case)) == [elsewhere]
    assert list(access.case_appointments(world.other_therapist, world.case)) == []


@pytest.mark.parametrize("name", ["partner_a", "partner_b", *OUTSIDERS])
def test_a_case_s_sessions_for_nobody_else(world: World, name: str) -> None:
    joint = appointment(world)
    user = user_of(world, name)
    assert list(access.case_appointments(user, world.case)) == []
    assert access.can_plan_sessions(user, world.case) is False
    with pytest.raises(Http404):
        access.get_case_appointment(request_for(user), world.case, joint.pk)
    assert denied_events()[-1].event == "appointment.read"


def test_a_deactivated_therapist_reaches_no_session(world: World) -> None:
    appointment(world)
    assert list(access.case_appointments(deactivated(world.therapist), world.case)) == []


def test_partners_are_told_of_joint_sessions_and_their_own_alone(world: World) -> None:
    joint = appointment(world)
    alone_a = appointment(world, planned_for="A")
    alone_b = appointment(world, planned_for="B")
    came_a = appointment(world, attendance="A")  # planned for both, only A came
    appointment(world, attendance="cancelled")
    assert set(access.own_appointments(world.user_a)) == {joint, alone_a, came_a}
    assert set(access.own_appointments(world.user_b)) == {joint, alone_b, came_a}


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_own_sessions_only_for_partners(world: World, name: str) -> None:
    appointment(world)
    assert list(access.own_appointments(user_of(world, name))) == []


def test_a_partner_of_another_case_is_told_of_none_of_these(world: World) -> None:
    appointment(world)
    deactivated(world.user_a)
    assert list(access.own_appointments(world.user_a)) == []


# --- check-ins --------------------------------------------------------------------------------


def test_check_ins_for_the_case_s_therapists_and_their_author_only(world: World) -> None:
    session = appointment(world, attendance="both")
    mine = check_in(world, world.partner_a, session, "after")
    theirs = check_in(world, world.partner_b, session, "after")
    assert set(questionnaires_access.case_check_ins(world.therapist, world.case)) == {mine, theirs}
    assert list(questionnaires_access.own_check_ins(world.user_a)) == [mine]
    assert list(questionnaires_access.own_check_ins(world.user_b)) == [theirs]
    # The questionnaires given outside a session are not check-ins.
    assert world.intake_a not in questionnaires_access.own_check_ins(world.user_a)


@pytest.mark.parametrize("name", ["partner_a", "partner_b", *OUTSIDERS])
def test_a_case_s_check_ins_for_nobody_else(world: World, name: str) -> None:
    session = appointment(world, attendance="both")
    check_in(world, world.partner_a, session, "after")
    user = user_of(world, name)
    assert list(questionnaires_access.case_check_ins(user, world.case)) == []


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_own_check_ins_only_for_partners(world: World, name: str) -> None:
    session = appointment(world, attendance="both")
    check_in(world, world.partner_a, session, "after")
    assert list(questionnaires_access.own_check_ins(user_of(world, name))) == []


def test_the_other_partner_gets_no_alliance_answer_and_a_404(world: World) -> None:
    session = appointment(world, attendance="both")
    mine = check_in(world, world.partner_a, session, "after")
    instrument = mine.definition()
    assert questionnaires_access.answer_view(world.user_b, mine, instrument) == {}
    assert questionnaires_access.answer_view(world.user_a, mine, instrument) == mine.answers
    assert questionnaires_access.answer_view(world.therapist, mine, instrument) == mine.answers
    with pytest.raises(Http404):
        questionnaires_access.get_own_administration(request_for(world.user_b), mine.pk)
    assert (
        questionnaires_access.answer_view(world.other_therapist, mine, instrument, Relation.NONE)
        == {}
    )
