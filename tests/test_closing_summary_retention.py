"""The partners keep their copy of the closing summary until the retention term: then it goes.

Destroying a case (by hand or by the practice's term) removes the summaries given to
its partners with everything else; destroying one partner of a couple keeps the
summary, which is the other partner's record too.
"""

from __future__ import annotations

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone

from dyade.cases.models import Case, CaseStatus
from dyade.rights import erasure, retention
from dyade.sessions import summaries
from dyade.sessions.models import PartnerSummary
from tests.conftest import World, client_for
from tests.erasure_seed import client_tables

NOTE = "summary-retention-marker"


def _given(world: World, years_ago: float) -> PartnerSummary:
    moment = timezone.now() - dt.timedelta(days=365.25 * years_ago)
    Case.objects.filter(pk=world.case.pk).update(
        status=CaseStatus.CLOSED, closed_at=moment, changed_at=moment, outcome="grown_closer"
    )
    world.case.refresh_from_db()
    return PartnerSummary.objects.create(
        case=world.case, outcome="grown_closer", note=NOTE, given_by=world.therapist
    )


def test_the_erasure_search_covers_the_summaries() -> None:
    assert PartnerSummary in client_tables()


def test_within_the_term_the_partner_keeps_the_copy(world: World) -> None:
    summary = _given(world, 19)
    assert retention.destroy_due() == 0
    assert PartnerSummary.objects.filter(pk=summary.pk).exists()
    assert NOTE in client_for(world.user_a).get("/me/").content.decode()


def test_after_the_term_the_summary_goes_with_the_case(world: World) -> None:
    _given(world, 21)
    assert retention.destroy_due() == 1
    assert not PartnerSummary.objects.exists()
    assert not Case.objects.filter(pk=world.case.pk).exists()


def test_destroying_one_partner_keeps_the_summary_of_the_other(world: World) -> None:
    summary = _given(world, 1)
    erasure.destroy_partner(None, world.partner_a, by=world.admin)
    assert PartnerSummary.objects.filter(pk=summary.pk).exists()
    assert NOTE in client_for(world.user_b).get("/me/").content.decode()


def test_giving_a_summary_restarts_the_term(world: World) -> None:
    """Giving one is a change to the record: the term runs from it, as from the closing."""
    _given(world, 21)
    request = RequestFactory().post("/")
    request.user = world.therapist
    summaries.give(request, world.case, note="", cycle=None, exercises=[], request_id=None)
    assert retention.destroy_due() == 0
    assert Case.objects.filter(pk=world.case.pk).exists()
