"""Sessions and their check-ins: planning, who checks in when, double submits, scores, and
that a partner's check-ins (the alliance answers above all) never reach the other partner,
another practice's therapist, a researcher or a stranger, by any page, count or export."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
import zipfile
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.content import instrument
from dyade.exercises.models import Assignment
from dyade.questionnaires.models import Administration, Status
from dyade.reminders.models import Reminder
from dyade.sessions import access, appointments, check_ins
from dyade.sessions.forms import DecisionForm
from dyade.sessions.models import Appointment, CheckInPlan, Observation
from tests.conftest import PASSWORD, World, client_for, import_item_texts

ALLIANCE_MARK = 7  # an answer value the tests look for


def _request(user: object) -> object:
    request = RequestFactory().post("/x/")
    request.user = user  # type: ignore[attr-defined]
    return request


def session(
    world: World, starts_at: dt.datetime, planned_for: str = "both", attendance: str = "planned"
) -> Appointment:
    return Appointment.objects.create(
        case=world.case,
        starts_at=starts_at,
        minutes=50,
        planned_for=planned_for,
        attendance=attendance,
        therapist=world.therapist,
        created_by=world.therapist,
    )


def with_outcome(world: World) -> None:
    """The case's outcome check-in: ECR-R (its texts imported), as a practice could choose."""
    import_item_texts(world.practice, "ecr-r", 36)
    CheckInPlan.objects.create(case=world.case, outcome="ecr-r", alliance="dyade-alliance")


def sent_alliance(world: World, partner: object, appointment: Appointment) -> Administration:
    administration, _ = check_ins.start(
        _request(partner.user),
        partner,
        appointment,
        "after",  # type: ignore[attr-defined]
    )
    administration.set_answers({"1": ALLIANCE_MARK, "2": 9, "3": 8, "4": ALLIANCE_MARK})
    administration.status = Status.SUBMITTED
    administration.submitted_at = timezone.now()
    administration.save()
    return administration


# --- the alliance instrument ------------------------------------------------------------


def test_the_alliance_check_is_dyade_s_own_private_four_items_0_to_10() -> None:
    alliance = instrument("dyade-alliance")
    assert alliance.kind == "dyade" and alliance.visibility == "private"
    assert [q.link_id for q in alliance.questions] == ["1", "2", "3", "4"]
    for item in alliance.questions:
        assert [o.value for o in item.options] == list(range(11))
        assert item.texts["nl"] and item.texts["en"]
    assert "not validated" in alliance.source
    assert not alliance.cutoffs  # no norms, no cut-off: it is not validated


# --- planning ------------------------------------------------------------------------------


def test_planning_twice_with_one_request_id_makes_one_session(world: World) -> None:
    request_id = uuid.uuid4()
    at = timezone.now() + dt.timedelta(days=3)
    first, made = appointments.plan(
        _request(world.therapist),
        world.case,
        starts_at=at,
        minutes=50,
        planned_for="both",
        therapist=world.therapist,
        request_id=request_id,
    )
    again, made_again = appointments.plan(
        _request(world.therapist),
        world.case,
        starts_at=at + dt.timedelta(hours=1),
        minutes=60,
        planned_for="A",
        therapist=world.therapist,
        request_id=request_id,
    )
    assert made and not made_again and again.pk == first.pk
    assert Appointment.objects.count() == 1
    assert AuditEvent.objects.filter(event="appointment.create").count() == 1


def test_preselected_is_today_s_session_else_the_latest_held(world: World) -> None:
    now = timezone.now()
    held = session(world, now - dt.timedelta(days=7), attendance="both")
    session(world, now - dt.timedelta(days=3), attendance="cancelled")
    session(world, now + dt.timedelta(days=7))
    listed = list(Appointment.objects.all())
    assert appointments.preselected(listed, now) == held
    today = session(world, now + dt.timedelta(minutes=1))
    assert appointments.preselected([*listed, today], now) == today


# --- what is due -----------------------------------------------------------------------------


def test_check_ins_open_around_the_session_with_the_default_instruments(world: World) -> None:
    now = timezone.now()
    appointment = session(world, now + dt.timedelta(hours=1))

    def due_at(moment: dt.datetime) -> list[tuple[Appointment, str, str]]:
        found = check_ins.due_for(world.partner_a, moment)
        return [(d.appointment, d.moment, d.instrument.id) for d in found]

    # CSI-4 before (its texts ship), Dyade's alliance check after.
    assert due_at(now) == [(appointment, "before", "csi-4")]
    assert due_at(now - dt.timedelta(hours=47)) == [(appointment, "before", "csi-4")]
    assert due_at(now - dt.timedelta(hours=49)) == []
    in_session = now + dt.timedelta(hours=1, minutes=10)
    assert due_at(in_session) == [
        (appointment, "before", "csi-4"),
        (appointment, "after", "dyade-alliance"),
    ]
    assert due_at(now + dt.timedelta(hours=2)) == [(appointment, "after", "dyade-alliance")]
    assert due_at(now + dt.timedelta(days=7, hours=1)) == [(appointment, "after", "dyade-alliance")]
    assert due_at(now + dt.timedelta(days=8)) == []


def test_before_check_in_with_the_case_s_outcome_measure(world: World) -> None:
    with_outcome(world)
    now = timezone.now()
    appointment = session(world, now + dt.timedelta(hours=30))
    session(world, now + dt.timedelta(days=5))  # too far ahead
    due = check_ins.due_for(world.partner_b, now)
    assert [(d.appointment, d.moment, d.instrument.id) for d in due] == [
        (appointment, "before", "ecr-r")
    ]


def test_a_session_with_one_partner_alone_is_for_that_partner_only(world: World) -> None:
    now = timezone.now()
    alone = session(world, now - dt.timedelta(hours=2), planned_for="A")
    assert [d.appointment for d in check_ins.due_for(world.partner_a, now)] == [alone]
    assert check_ins.due_for(world.partner_b, now) == []
    with pytest.raises(check_ins.NotOpen):
        check_ins.start(_request(world.user_b), world.partner_b, alone, "after", now=now)
    # B is not told the session exists.
    assert list(access.own_appointments(world.user_b)) == []
    assert list(access.own_appointments(world.user_a)) == [alone]


def test_starting_twice_makes_one_check_in_and_a_sent_one_is_no_longer_due(
    world: World,
) -> None:
    now = timezone.now()
    appointment = session(world, now - dt.timedelta(hours=1), attendance="both")
    first, made = check_ins.start(_request(world.user_a), world.partner_a, appointment, "after")
    again, made_again = check_ins.start(
        _request(world.user_a), world.partner_a, appointment, "after", uuid.uuid4()
    )
    assert made and not made_again and first.pk == again.pk
    assert first.appointment == appointment and first.moment == "after"
    assert [d.administration for d in check_ins.due_for(world.partner_a)] == [first]
    sent_alliance(world, world.partner_a, appointment)
    assert check_ins.due_for(world.partner_a) == []


def test_an_unsent_check_in_of_an_earlier_session_makes_way_for_the_next(world: World) -> None:
    now = timezone.now()
    old = session(world, now - dt.timedelta(days=4), attendance="both")
    stale, _ = check_ins.start(_request(world.user_a), world.partner_a, old, "after")
    new = session(world, now - dt.timedelta(hours=1), attendance="both")
    assert [d.appointment for d in check_ins.due_for(world.partner_a, now)] == [new]
    made, created = check_ins.start(_request(world.user_a), world.partner_a, new, "after")
    assert created and made.appointment == new
    assert not Administration.objects.filter(pk=stale.pk).exists()
    assert AuditEvent.objects.filter(event="questionnaire.delete", partner_id=world.partner_a.pk)
    # The earlier session cannot take it back from the newer one.
    with pytest.raises(check_ins.Busy):
        check_ins.start(_request(world.user_a), world.partner_a, old, "after")


def test_a_questionnaire_given_outside_the_check_ins_is_left_alone(world: World) -> None:
    now = timezone.now()
    appointment = session(world, now - dt.timedelta(hours=1), attendance="both")
    Administration.objects.create(
        case=world.case, partner=world.partner_a, instrument="dyade-alliance", version="1"
    )
    with pytest.raises(check_ins.Busy):
        check_ins.start(_request(world.user_a), world.partner_a, appointment, "after")


def test_a_cancelled_session_asks_nobody_to_check_in(world: World) -> None:
    now = timezone.now()
    session(world, now - dt.timedelta(hours=1), attendance="cancelled")
    assert check_ins.due_for(world.partner_a, now) == []
    assert check_ins.due_for(world.partner_b, now) == []


def test_the_alliance_score_is_the_mean_of_at_least_three_answers(world: World) -> None:
    now = timezone.now()
    appointment = session(world, now - dt.timedelta(hours=1), attendance="both")
    administration = sent_alliance(world, world.partner_a, appointment)
    assert check_ins.score_of(administration) == pytest.approx((7 + 9 + 8 + 7) / 4)
    administration.set_answers({"1": 6, "2": 8, "4": 10})
    assert check_ins.score_of(administration) == pytest.approx(8.0)
    administration.set_answers({"1": 6, "4": 10})
    assert check_ins.score_of(administration) is None
    assert json.loads(administration.answers_json) == {"1": 6, "4": 10}


def test_url_names_exist() -> None:
    assert reverse("diary:home")


# --- pages ------------------------------------------------------------------------------------


def _plan_data(day: dt.date, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "request_id": str(uuid.uuid4()),
        "date": day.isoformat(),
        "time": "14:30",
        "minutes": "50",
        "planned_for": "both",
        "therapist": "",
    }
    data.update(extra)
    return data


def test_the_therapist_plans_from_the_case_page_and_both_partners_see_the_date(
    world: World,
) -> None:
    client = client_for(world.therapist)
    case_page = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert reverse("cases:sessions", args=[world.case.pk]) in case_page.content.decode()
    day = timezone.localdate() + dt.timedelta(days=3)
    data = _plan_data(day, therapist=world.therapist.pk)
    url = reverse("cases:sessions", args=[world.case.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form again
    appointment = Appointment.objects.get()
    assert timezone.localtime(appointment.starts_at).strftime("%H:%M") == "14:30"
    for user in (world.user_a, world.user_b):
        home = client_for(user).get(reverse("diary:home")).content.decode()
        assert "next-session" in home and "14:30" in home


def test_a_bad_plan_keeps_what_was_typed_and_saves_nothing(world: World) -> None:
    client = client_for(world.therapist)
    url = reverse("cases:sessions", args=[world.case.pk])
    page = client.post(
        url, _plan_data(timezone.localdate(), time="half drie", therapist=world.therapist.pk)
    )
    assert page.status_code == 400 and "half drie" in page.content.decode()
    far = client.post(url, _plan_data(dt.date(2999, 1, 1), therapist=world.therapist.pk))
    assert far.status_code == 400
    wrong = client.post(url, _plan_data(timezone.localdate(), therapist=world.other_therapist.pk))
    assert wrong.status_code == 400
    assert not Appointment.objects.exists()


def test_a_session_alone_is_not_shown_to_the_other_partner(world: World) -> None:
    session(world, timezone.now() + dt.timedelta(days=2), planned_for="A")
    assert "next-session" in client_for(world.user_a).get(reverse("diary:home")).content.decode()
    assert (
        "next-session" not in client_for(world.user_b).get(reverse("diary:home")).content.decode()
    )


def test_record_attendance_and_move_a_planned_session(world: World) -> None:
    appointment = session(world, timezone.now() + dt.timedelta(days=2))
    client = client_for(world.therapist)
    url = reverse("cases:session", args=[world.case.pk, appointment.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate() + dt.timedelta(days=4)
    moved = client.post(url, {"action": "move", **_plan_data(day, therapist=world.therapist.pk)})
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).date() == day
    client.post(url, {"action": "attendance", "attendance": "cancelled"})
    appointment.refresh_from_db()
    assert appointment.attendance == "cancelled"
    assert client.post(url, {"action": "attendance", "attendance": "everyone"}).status_code == 400
    again = client.post(url, {"action": "move", **_plan_data(day, therapist=world.therapist.pk)})
    assert again.status_code == 302
    events = AuditEvent.objects.filter(event="appointment.update", outcome="success")
    assert events.count() == 2


def test_a_partner_checks_in_on_the_phone_and_the_therapist_reads_it(world: World) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(minutes=55), attendance="both")
    client = client_for(world.user_a)
    home = client.get(reverse("diary:home")).content.decode()
    assert "check-in-after" in home
    started = client.post(
        reverse("diary:check_in_start"),
        {"appointment": appointment.pk, "moment": "after", "request_id": str(uuid.uuid4())},
    )
    administration = Administration.objects.get(partner=world.partner_a, appointment=appointment)
    assert started.url == reverse("diary:questionnaire", args=[administration.pk])
    page = reverse("diary:questionnaire_page", args=[administration.pk, 1])
    client.post(page, {"q-1": "7", "q-2": "9", "q-3": "8", "q-4": "7", "action": "next"})
    client.post(reverse("diary:questionnaire_review", args=[administration.pk]))
    administration.refresh_from_db()
    assert not administration.is_open and administration.answers["2"] == 9
    assert "check-in-after" not in client.get(reverse("diary:home")).content.decode()
    listing = client_for(world.therapist).get(reverse("cases:sessions", args=[world.case.pk]))
    assert reverse("cases:questionnaire", args=[world.case.pk, administration.pk]) in (
        listing.content.decode()
    )


def test_a_partner_cannot_start_a_check_in_of_a_session_not_theirs(world: World) -> None:
    alone = session(world, timezone.now() - dt.timedelta(minutes=30), planned_for="A")
    client = client_for(world.user_b)
    for value in (alone.pk, "²", "9" * 30, -1):
        answer = client.post(
            reverse("diary:check_in_start"), {"appointment": value, "moment": "after"}
        )
        assert answer.status_code in (302, 404)
    assert not Administration.objects.filter(appointment=alone).exists()


# --- reminders -----------------------------------------------------------------------------


def _check_in_reminder(world: World, partner: object) -> dt.datetime:
    """A check-in reminder of ``partner``, due a few minutes ago; its moment today."""
    now = timezone.localtime()
    earlier = now - dt.timedelta(minutes=5)
    at = earlier.time().replace(microsecond=0) if earlier.date() == now.date() else dt.time(0, 0)
    Reminder.objects.create(partner=partner, topic="check_ins", at=at, active=True)
    return timezone.make_aware(dt.datetime.combine(now.date(), at))


def test_a_check_in_reminder_goes_out_once_after_the_session_and_names_nothing(
    world: World,
) -> None:
    moment = _check_in_reminder(world, world.partner_a)
    session(world, moment - dt.timedelta(minutes=110), attendance="both")
    call_command("send_reminders", stdout=StringIO())
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1
    text = mail.outbox[0].subject + mail.outbox[0].body
    assert mail.outbox[0].to == [world.user_a.email]
    for secret in (world.partner_b.name, world.case.label, "alliance", "Alliance", "0-10"):
        assert secret not in text


def test_no_check_in_reminder_when_sent_or_switched_off_or_for_the_other_s_session(
    world: World,
) -> None:
    moment = _check_in_reminder(world, world.partner_a)
    _check_in_reminder(world, world.partner_b)
    appointment = session(world, moment - dt.timedelta(minutes=110), planned_for="A")
    sent_alliance(world, world.partner_a, appointment)
    call_command("send_reminders", stdout=StringIO())
    # A sent it already; B's session it was not: nobody is reminded, and B's reminder
    # does not depend on what A did.
    assert mail.outbox == []


# --- nobody but the author and the therapist: by any URL, count or export ---------------------

OUTSIDE_PEOPLE = ["partner_b", "colleague", "other_therapist", "admin", "researcher", "stranger"]
_VOLATILE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    re.compile(r'"made": "[^"]+"'),
]


def _steady(text: str) -> str:
    for pattern in _VOLATILE:
        text = pattern.sub("", text)
    return text


def _b_sees(world: World) -> dict[str, str]:
    """Everything partner B's phone shows that could betray A's check-in."""
    client = client_for(world.user_b)
    pages = {
        "home": reverse("diary:home"),
        "questionnaires": reverse("diary:questionnaires"),
        "my data": reverse("rights:my_data"),
        "download": reverse("rights:download"),
        "seen": reverse("rights:seen"),
        "progress": reverse("diary:progress"),  # A has not shared their chart
    }
    found = {}
    for name, url in pages.items():
        answer = client.get(url)
        assert answer.status_code == 200, name
        body = b"".join(answer) if answer.streaming else answer.content
        if body.startswith(b"PK"):  # the download is a zip: read every file in it
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(n) for n in sorted(archive.namelist()))
        found[name] = _steady(body.decode())
    return found


def test_a_s_check_ins_change_nothing_that_b_sees(world: World) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(minutes=55), attendance="both")
    before = _b_sees(world)
    sent_alliance(world, world.partner_a, appointment)
    with_outcome(world)
    assert _b_sees(world) == before


def test_nobody_else_reaches_a_s_check_in_by_any_url(world: World) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(minutes=55), attendance="both")
    mine = sent_alliance(world, world.partner_a, appointment)
    case = world.case.pk
    partner_urls = [
        reverse("diary:questionnaire", args=[mine.pk]),
        reverse("diary:questionnaire_page", args=[mine.pk, 1]),
        reverse("diary:questionnaire_review", args=[mine.pk]),
    ]
    therapist_urls = [
        reverse("cases:questionnaire", args=[case, mine.pk]),
        reverse("cases:questionnaire_fhir", args=[case, mine.pk]),
        reverse("cases:questionnaires", args=[case]),
        reverse("cases:sessions", args=[case]),
        reverse("cases:session", args=[case, appointment.pk]),
        reverse("cases:progress", args=[case]),
    ]
    for name in OUTSIDE_PEOPLE:
        client = client_for(world.person(name))
        for url in partner_urls + therapist_urls:
            answer = client.get(url)
            assert answer.status_code in (302, 403, 404), (name, url)
            assert str(ALLIANCE_MARK * 1111) not in answer.content.decode()
        room_start = reverse("cases:room_start", args=[case, appointment.pk])
        started = client.post(room_start, {"slot": "A", "moment": "after"})
        assert started.status_code in (302, 403, 404), name
        if started.status_code == 302:
            assert not started.url.startswith(reverse("room:page"))
        room_page = client.get(reverse("room:page"))
        assert room_page.status_code == 302
        assert not room_page.url.startswith(reverse("room:page"))
    # The therapist of the case does read it.
    therapist = client_for(world.therapist)
    assert therapist.get(reverse("cases:questionnaire", args=[case, mine.pk])).status_code == 200


# --- the tablet in the room ------------------------------------------------------------------


def test_the_tablet_shows_one_partner_s_check_in_and_nothing_else(world: World) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(minutes=45), attendance="both")
    b_answer = sent_alliance(world, world.partner_b, appointment)
    client = client_for(world.therapist)
    start = reverse("cases:room_start", args=[world.case.pk, appointment.pk])
    assert client.post(start, {"slot": "A", "moment": "after"}).url == reverse("room:page")
    page = client.get(reverse("room:page")).content.decode()
    assert world.partner_a.name in page and world.partner_b.name not in page
    assert world.case.label not in page
    # Every other page leads back to the check-in while the tablet is locked.
    for url in (
        reverse("cases:detail", args=[world.case.pk]),
        reverse("cases:questionnaire", args=[world.case.pk, b_answer.pk]),
        reverse("cases:list"),
        reverse("diary:home"),
    ):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url == reverse("room:page"), url
    sent = client.post(
        reverse("room:page"), {"page": "1", "q-1": "3", "q-2": "4", "q-3": "5", "q-4": "3"}
    )
    assert sent.status_code == 302
    mine = Administration.objects.get(partner=world.partner_a, appointment=appointment)
    assert not mine.is_open and mine.answers == {"1": 3, "2": 4, "3": 5, "4": 3}
    assert AuditEvent.objects.filter(event="questionnaire.update", detail="sent in the room")
    thanks = client.get(reverse("room:page")).content.decode()
    assert 'name="q-1"' not in thanks  # locked after sending: nothing to change
    again = client.post(reverse("room:page"), {"page": "1", "q-1": "10"})
    mine.refresh_from_db()
    assert again.status_code == 200 and mine.answers["1"] == 3
    # The therapist takes it back with their password.
    wrong = client.post(reverse("room:unlock"), {"password": "not it"})
    assert wrong.status_code == 400
    assert client.get(reverse("cases:list")).status_code == 302
    back = client.post(reverse("room:unlock"), {"password": PASSWORD})
    assert back.url == reverse("cases:session", args=[world.case.pk, appointment.pk])
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(event="check_in_room.create", partner_id=world.partner_a.pk)
    # A reads it on "who has seen my data"; B's page says nothing of it.
    seen_a = client_for(world.user_a).get(reverse("rights:seen")).content.decode()
    seen_b = client_for(world.user_b).get(reverse("rights:seen")).content.decode()
    phrases = ("gaf je in de spreekkamer een tablet", "handed you a tablet in the room")
    assert any(p in seen_a for p in phrases)
    assert not any(p in seen_b for p in phrases)


def test_wrong_passwords_on_the_tablet_log_the_therapist_out(world: World) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(minutes=45), attendance="both")
    client = client_for(world.therapist)
    client.post(
        reverse("cases:room_start", args=[world.case.pk, appointment.pk]),
        {"slot": "B", "moment": "after"},
    )
    for _ in range(4):
        assert client.post(reverse("room:unlock"), {"password": "guess"}).status_code == 400
    last = client.post(reverse("room:unlock"), {"password": "guess"})
    assert last.status_code == 302 and last.url == reverse("accounts:login")
    assert client.get(reverse("cases:list")).status_code == 302  # to the login, not the case
    assert "/account/login/" in client.get(reverse("cases:list")).url


def test_a_tablet_check_in_out_of_time_is_refused(world: World) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(days=10), attendance="both")
    client = client_for(world.therapist)
    answer = client.post(
        reverse("cases:room_start", args=[world.case.pk, appointment.pk]),
        {"slot": "A", "moment": "after"},
    )
    assert answer.url == reverse("cases:session", args=[world.case.pk, appointment.pk])
    assert not Administration.objects.filter(appointment=appointment).exists()
    assert client.get(reverse("cases:list")).status_code == 200  # not locked


# --- observations and signal decisions belong to a session -------------------------------------


def test_the_observation_form_preselects_today_s_session_and_links_it(world: World) -> None:
    now = timezone.now()
    held = session(world, now - dt.timedelta(days=7), attendance="both")
    today = session(world, now - dt.timedelta(minutes=30))
    session(world, now + dt.timedelta(days=7))  # a future session is not offered
    client = client_for(world.therapist)
    url = reverse("cases:observation_new", args=[world.case.pk])
    form = client.get(url).context["form"]
    assert form["appointment"].value() == str(today.pk)
    assert [c[0] for c in form.fields["appointment"].choices] == ["", str(today.pk), str(held.pk)]
    data = {"request_id": str(uuid.uuid4()), "date": timezone.localdate().isoformat()}
    client.post(url, {**data, "appointment": str(held.pk)})
    assert Observation.objects.get().appointment == held
    for bad in ("9" * 40, "²", str(today.pk + 1000)):
        answer = client.post(url, {**data, "request_id": str(uuid.uuid4()), "appointment": bad})
        assert answer.status_code == 200  # the form again, with what was typed
    assert Observation.objects.count() == 1


def test_a_signal_decision_form_offers_the_case_s_sessions_only(world: World) -> None:
    now = timezone.now()
    held = session(world, now - dt.timedelta(days=2), attendance="A")
    data = {"request_id": str(uuid.uuid4()), "decision": "accepted", "reason": "ja"}
    form = DecisionForm({**data, "appointment": str(held.pk)}, sessions=[held], now=now)
    assert form.is_valid() and form.cleaned_data["appointment"] == held
    assert DecisionForm(initial={}, sessions=[held], now=now)["appointment"].value() == str(held.pk)
    other = DecisionForm({**data, "appointment": str(held.pk + 1)}, sessions=[held], now=now)
    assert not other.is_valid()
    none = DecisionForm({**data, "appointment": ""}, sessions=[held], now=now)
    assert none.is_valid() and none.cleaned_data["appointment"] is None


def test_an_exercise_given_belongs_to_today_s_session(world: World) -> None:
    today = session(world, timezone.now() - dt.timedelta(minutes=20))
    client = client_for(world.therapist)
    url = reverse("cases:exercises", args=[world.case.pk])
    form = client.get(url).context["form"]
    assert form["appointment"].value() == str(today.pk)
    client.post(
        url,
        {
            "request_id": str(uuid.uuid4()),
            "slug": "time-out-plan",
            "who": "couple",
            "appointment": str(today.pk),
        },
    )
    assert Assignment.objects.get().appointment == today


# --- bad input: a clear answer, never a server error ------------------------------------------

ODD_VALUES = ["", "²", "9" * 40, "-1", "0", "2026-02-30", "25:61", "<b>x</b>", "é" * 300, "1e9"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_values_in_every_session_form_are_refused_without_a_server_error(
    world: World, value: str
) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(minutes=20))
    case = world.case.pk
    therapist = client_for(world.therapist)
    therapist.raise_request_exception = True
    fields = ["date", "time", "minutes", "planned_for", "therapist", "request_id"]
    odd = dict.fromkeys(fields, value)
    assert therapist.post(reverse("cases:sessions", args=[case]), odd).status_code in (302, 400)
    detail = reverse("cases:session", args=[case, appointment.pk])
    for action in ("move", "attendance", value):
        answer = therapist.post(detail, {**odd, "action": action, "attendance": value})
        assert answer.status_code in (302, 400)
    plan = {"outcome": value, "alliance": value}
    answer = therapist.post(reverse("cases:check_in_plan", args=[case]), plan)
    assert answer.status_code in (302, 400)
    start = reverse("cases:room_start", args=[case, appointment.pk])
    assert therapist.post(start, {"slot": value, "moment": value}).status_code == 302
    partner = client_for(world.user_a)
    partner.raise_request_exception = True
    begun = partner.post(
        reverse("diary:check_in_start"),
        {"appointment": value, "moment": value, "request_id": value},
    )
    assert begun.status_code in (302, 404)
    assert Appointment.objects.count() == 1
    assert not Administration.objects.filter(appointment__isnull=False).exists()


def test_odd_values_on_the_tablet_keep_it_locked_without_a_server_error(world: World) -> None:
    appointment = session(world, timezone.now() - dt.timedelta(minutes=20))
    client = client_for(world.therapist)
    client.raise_request_exception = True
    client.post(
        reverse("cases:room_start", args=[world.case.pk, appointment.pk]),
        {"slot": "A", "moment": "after"},
    )
    for value in ODD_VALUES:
        assert client.get(reverse("room:page"), {"page": value}).status_code == 200
        answer = client.post(reverse("room:page"), {"page": value, "q-1": value, "q-2": "11"})
        assert answer.status_code in (200, 302)
    mine = Administration.objects.get(appointment=appointment)
    assert mine.is_open and mine.answers == {}
    assert client.get(reverse("cases:list")).status_code == 302  # still locked


def test_the_partner_s_home_reads_the_same_for_one_or_many_sessions_nearby(world: World) -> None:
    client = client_for(world.user_a)
    client.get(reverse("diary:home"))  # the first request reads the session and the user
    now = timezone.now()
    counts = []
    for hours in (2, 3, 4, 5):
        session(world, now - dt.timedelta(hours=hours), attendance="both")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("diary:home")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[-1], counts
