"""Retention: closed cases are destroyed when their practice's term has passed, and no sooner.

Terms (docs/privacy.md): the Netherlands 20 years after the last change (WGBO art.
7:454 lid 3 BW, since 2020), Belgium at least 30 and at most 50 years after the last
contact (law of 22 April 2019 on the quality of health care practice, art. 35).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, CaseStatus, touch_case
from dyade.rights import retention, tasks
from dyade.rights.models import Country, Destruction, Reason, Retention, default_years
from tests.conftest import World


def _closed(case: Case, years_ago: float, *, changed_years_ago: float | None = None) -> None:
    now = timezone.now()
    case.status = CaseStatus.CLOSED
    case.closed_at = now - dt.timedelta(days=365.25 * years_ago)
    changed = years_ago if changed_years_ago is None else changed_years_ago
    case.changed_at = now - dt.timedelta(days=365.25 * changed)
    case.save()


def test_the_defaults_are_the_legal_terms() -> None:
    assert default_years(Country.NETHERLANDS) == 20
    assert default_years(Country.BELGIUM) == 30


def test_add_years_keeps_the_day_or_the_end_of_february() -> None:
    leap = dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC)
    assert retention.add_years(leap, 20) == dt.datetime(2044, 2, 29, 12, tzinfo=dt.UTC)
    assert retention.add_years(leap, 1) == dt.datetime(2025, 2, 28, 12, tzinfo=dt.UTC)
    assert retention.add_years(leap, -30) == dt.datetime(1994, 2, 28, 12, tzinfo=dt.UTC)


def test_a_dutch_case_goes_after_twenty_years_from_its_last_change(world: World) -> None:
    _closed(world.case, 21, changed_years_ago=19)  # changed after closing: the change counts
    assert retention.due() == []
    _closed(world.case, 21)
    assert retention.due() == [world.case]


def test_an_open_case_is_never_due(world: World) -> None:
    Case.objects.filter(pk=world.case.pk).update(
        changed_at=timezone.now() - dt.timedelta(days=365 * 40)
    )
    assert retention.due() == []


def test_the_practices_own_term_counts(world: World) -> None:
    Retention.objects.create(practice=world.practice, country=Country.BELGIUM, years=30)
    _closed(world.case, 25)
    _closed(world.other_case, 25)  # the other practice keeps the Dutch default
    assert retention.due() == [world.other_case]
    Retention.objects.filter(practice=world.practice).update(years=24)
    assert set(retention.due()) == {world.case, world.other_case}


def test_the_command_destroys_what_is_due_and_logs_it(world: World) -> None:
    _closed(world.case, 22)
    _closed(world.other_case, 5)
    out = io.StringIO()
    call_command("destroy_expired_records", "--dry-run", stdout=out)
    assert "1 closed case(s) past their term" in out.getvalue()
    assert Case.objects.filter(pk=world.case.pk).exists()
    call_command("destroy_expired_records", stdout=out)
    assert "1 closed case(s) destroyed" in out.getvalue()
    assert not Case.objects.filter(pk=world.case.pk).exists()
    assert Case.objects.filter(pk=world.other_case.pk).exists()
    destruction = Destruction.objects.get()
    assert destruction.reason == Reason.TERM and destruction.by is None
    event = AuditEvent.objects.get(event="rights.case.delete")
    assert event.user_id is None and event.access_point == "system"
    assert event.practice_id == world.practice.pk


@pytest.mark.django_db
def test_the_task_does_the_same(world: World) -> None:
    _closed(world.case, 30)
    assert tasks.destroy_expired_records.call() == 1
    assert not Case.objects.filter(pk=world.case.pk).exists()


def test_touching_a_case_restarts_its_term(world: World) -> None:
    _closed(world.case, 21)
    touch_case(world.case)
    assert retention.due() == []
    until = retention.kept_until(world.case, 20)
    assert until is not None and until > timezone.now() + dt.timedelta(days=365 * 19)


def test_a_case_the_database_will_not_let_go_does_not_stop_the_others(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _closed(world.case, 25)
    _closed(world.other_case, 26)
    real = retention.destroy_case

    def refuse_one(request: object, case: Case, **kwargs: object) -> object:
        if case.pk == world.other_case.pk:
            raise ProtectedError("still pointed at", set())
        return real(request, case, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(retention, "destroy_case", refuse_one)
    assert retention.destroy_due() == 1
    assert Case.objects.filter(pk=world.other_case.pk).exists()
    assert not Case.objects.filter(pk=world.case.pk).exists()
