"""The stored order by attention goes out of date with every write that can change it,
and the background refresh (task and command) works it out again.

Each kind of write is made as the product makes it (the partner's diary page, the
services of questionnaires, sessions and the case's life, or a model save where
the product saves the model itself), then the state must be out of date; the
refresh must make it fresh again.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import uuid
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import Role
from dyade.cases import lifecycle
from dyade.cases.models import Case, CaseKind, Outcome, Partner
from dyade.clinic import attention_order
from dyade.diary.models import DiaryEntry
from dyade.overview import attention, refresh, tasks
from dyade.overview.models import AttentionState
from dyade.progress.models import ChangeValues
from dyade.questionnaires import services as questionnaires
from dyade.reflection.models import TherapistProfile
from dyade.sessions import appointments
from dyade.sessions import services as sessions
from dyade.sessions.models import CycleVersion, SignalDecision
from tests.conftest import World, client_for, make_administration, make_user
from tests.diary_data import diary_form


def _request(user: object) -> object:
    request = RequestFactory().get("/")
    request.user = user
    return request


def _state(world: World) -> AttentionState:
    return AttentionState.objects.get(case=world.case, therapist=world.therapist)


def _diary_today(world: World) -> None:
    day = timezone.localdate().isoformat()
    response = client_for(world.user_b).post(reverse("diary:entry", args=[day]), diary_form())
    assert response.status_code == 302


def _diary_changed(world: World) -> None:
    """The same day sent again: the diary's prepared update, with no save() to see."""
    day = timezone.localdate().isoformat()
    client = client_for(world.user_b)
    client.post(reverse("diary:entry", args=[day]), diary_form())
    refresh.refresh()
    assert not _state(world).is_stale
    response = client.post(reverse("diary:entry", args=[day]), diary_form(closeness="1"))
    assert response.status_code == 302
    assert DiaryEntry.objects.get(partner=world.partner_b, date=day).closeness == 1


def _diary_deleted(world: World) -> None:
    world.entry_b.delete()


def _questionnaire_sent(world: World) -> None:
    assert questionnaires.submit(_request(world.user_b), world.intake_b)


def _questionnaire_given(world: World) -> None:
    make_administration(world.partner_b, "hits", {}, sent=False)


def _questionnaire_reopened(world: World) -> None:
    assert questionnaires.reopen(_request(world.therapist), world.intake_a)


def _signal_decided(world: World) -> None:
    SignalDecision.objects.create(
        case=world.case,
        signal="eft.indicated",
        kind="indication",
        fingerprint="0" * 64,
        decision="dismissed",
        decided_by=world.therapist,
    )


def _session_planned(world: World) -> None:
    appointments.plan(
        _request(world.therapist),
        world.case,
        starts_at=timezone.now() + dt.timedelta(days=3),
        minutes=50,
        planned_for="both",
        therapist=world.therapist,
        request_id=uuid.uuid4(),
    )


def _observation(world: World) -> None:
    sessions.record_observation(
        _request(world.therapist),
        world.case,
        {"date": timezone.localdate(), "love_felt": True},
        uuid.uuid4(),
    )


def _track_changed(world: World) -> None:
    sessions.change_track(
        _request(world.therapist),
        world.case,
        track="eft",
        stage=1,
        focus=[],
        reason="begin",
        signal_ids=[],
        request_id=uuid.uuid4(),
    )


def _cycle_mapped(world: World) -> None:
    CycleVersion.objects.create(
        case=world.case, number=1, data_json="{}", created_by=world.therapist
    )


def _closed(world: World) -> None:
    lifecycle.close(
        _request(world.therapist),
        world.case,
        outcome=Outcome.GROWN_CLOSER,
        stopped_by="",
        note="",
    )


def _reopened(world: World) -> None:
    _closed(world)
    refresh.refresh()
    assert _state(world).rank == attention_order.CLOSED
    lifecycle.reopen(_request(world.therapist), world.case)


def _co_therapist_added(world: World) -> None:
    lifecycle.add_therapist(_request(world.therapist), world.case, world.colleague)
    assert AttentionState.objects.get(case=world.case, therapist=world.colleague).is_stale


def _partner_joined(world: World) -> None:
    account = make_user("new@partner.example", Role.PARTNER, world.practice, "Nieuw")
    Partner.objects.filter(pk=world.partner_b.pk).update(user=None)
    partner = Partner.objects.get(pk=world.partner_b.pk)
    refresh.refresh()
    partner.user = account
    partner.save(update_fields=["user"])


def _own_profile(world: World) -> None:
    TherapistProfile.objects.create(user=world.therapist, attachment_anxiety=Decimal("5.5"))


def _practice_values(world: World) -> None:
    ChangeValues.objects.create(
        practice=world.practice, instrument="csi-4", sd=4.0, reliability=0.9, source="test"
    )


WRITES: dict[str, Callable[[World], None]] = {
    "diary entry": _diary_today,
    "diary entry changed": _diary_changed,
    "diary entry deleted": _diary_deleted,
    "questionnaire sent": _questionnaire_sent,
    "questionnaire given": _questionnaire_given,
    "questionnaire reopened": _questionnaire_reopened,
    "signal decision": _signal_decided,
    "session planned": _session_planned,
    "observation": _observation,
    "track change": _track_changed,
    "cycle map": _cycle_mapped,
    "case closed": _closed,
    "case reopened": _reopened,
    "co-therapist added": _co_therapist_added,
    "partner joined": _partner_joined,
    "therapist's own profile": _own_profile,
    "practice's values for reliable change": _practice_values,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=list(WRITES))
def test_each_write_makes_the_order_out_of_date_and_the_refresh_makes_it_fresh(
    world: World, write: Callable[[World], None]
) -> None:
    refresh.refresh()
    assert not _state(world).is_stale
    other = AttentionState.objects.get(case=world.other_case)
    write(world)
    assert _state(world).is_stale
    assert not AttentionState.objects.get(pk=other.pk).is_stale  # another practice's case
    refresh.refresh()
    assert not _state(world).is_stale


def test_the_order_follows_what_was_written(world: World) -> None:
    refresh.refresh()
    open_rank = _state(world).rank
    assert open_rank > attention_order.UNKNOWN  # the safety answer of partner A
    _closed(world)
    refresh.refresh()
    assert _state(world).rank == attention_order.CLOSED
    lifecycle.reopen(_request(world.therapist), world.case)
    refresh.refresh()
    assert _state(world).rank == open_rank


def test_a_write_while_the_order_is_worked_out_leaves_it_out_of_date(world: World) -> None:
    refresh.refresh()
    attention.mark_cases([world.case.pk])
    read_at = timezone.now()
    states = list(AttentionState.objects.filter(case=world.case))  # read before the write
    attention.mark_cases([world.case.pk])  # a write lands while the data is read
    assert attention.refresh_states(states, read_at) == 1
    assert _state(world).is_stale  # the second write is not taken for worked out
    refresh.refresh()
    assert not _state(world).is_stale


def test_a_state_worked_out_before_today_is_due_again(world: World) -> None:
    refresh.refresh()
    yesterday = timezone.now() - dt.timedelta(days=1, hours=1)
    AttentionState.objects.filter(case=world.case).update(computed_at=yesterday)
    assert list(attention.due()) == [_state(world)]
    refresh.refresh()
    assert not attention.due().exists()


def test_the_command_creates_missing_states_and_drops_ended_ones(world: World) -> None:
    through = Case.therapists.through
    AttentionState.objects.filter(case=world.case).delete()
    through.objects.filter(case=world.other_case).delete()  # no signal: its state is left
    out = io.StringIO()
    call_command("refresh_attention", stdout=out)
    assert "1 state(s) created, 1 dropped" in out.getvalue()
    assert not _state(world).is_stale
    assert not AttentionState.objects.filter(case=world.other_case).exists()
    again = io.StringIO()
    call_command("refresh_attention", stdout=again)
    assert again.getvalue().startswith("0 state(s) created, 0 dropped, 0 ")


def test_the_command_can_leave_the_work_to_the_task_worker(world: World) -> None:
    out = io.StringIO()
    call_command("refresh_attention", "--queue", stdout=out)  # the tests' worker runs at once
    assert "queued" in out.getvalue()
    assert not _state(world).is_stale


def test_the_task_works_out_due_states_or_those_of_given_cases(world: World) -> None:
    attention.mark_cases([world.case.pk, world.other_case.pk])
    result = tasks.refresh_attention.enqueue(case_ids=[world.case.pk])
    assert result.return_value == 1
    assert not _state(world).is_stale
    assert AttentionState.objects.get(case=world.other_case).is_stale
    assert tasks.refresh_attention.enqueue().return_value == 1
    assert not AttentionState.objects.get(case=world.other_case).is_stale


def test_a_new_case_is_worked_out_once_its_transaction_commits(
    world: World, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        case = Case.objects.create(
            practice=world.practice, label="Nieuw", kind=CaseKind.COUPLE, created_by=world.therapist
        )
        case.therapists.add(world.therapist)
        Partner.objects.create(case=case, slot="A", name="Nieuw A")
    state = AttentionState.objects.get(case=case, therapist=world.therapist)
    assert not state.is_stale and state.rank > attention_order.UNKNOWN


def test_the_migration_gives_every_existing_assignment_a_state(world: World) -> None:
    from django.apps import apps

    migration = importlib.import_module(
        "dyade.overview.migrations.0002_states_for_existing_assignments"
    )
    Case.objects.filter(pk=world.other_case.pk).update(status="closed")
    AttentionState.objects.all().delete()
    migration.create_states(apps, None)
    through = Case.therapists.through
    stored = {
        (s.case_id, s.therapist_id, s.assignment_id): (s.rank, s.is_stale)
        for s in AttentionState.objects.all()
    }
    assert stored == {
        (row.case_id, row.user_id, row.pk): (
            attention_order.CLOSED
            if row.case_id == world.other_case.pk
            else attention_order.UNKNOWN,
            True,
        )
        for row in through.objects.all()
    }
    assert (
        migration.CLOSED == attention_order.CLOSED and migration.UNKNOWN == attention_order.UNKNOWN
    )
