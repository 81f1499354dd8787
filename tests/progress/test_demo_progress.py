"""The demo's two couples with sessions: one improves, one is not on track with a split alliance."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import User
from dyade.cases.models import Case
from dyade.progress.models import ChangeValues
from dyade.questionnaires.models import Administration
from dyade.sessions import case_snapshot
from dyade.sessions.models import Appointment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
CSI4_CUTOFF = 13.5  # Funk & Rogge (2007)


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _scores(case: Case, slot: str) -> list[int]:
    check_ins = Administration.objects.filter(
        case=case, partner__slot=slot, moment="before"
    ).order_by("appointment__starts_at")
    return [sum(a.answers.values()) for a in check_ins]


def test_sanne_and_thomas_move_from_distress_to_above_the_cutoff() -> None:
    seed()
    case = Case.objects.get(label="Sanne & Thomas")
    for slot in ("A", "B"):
        scores = _scores(case, slot)
        assert len(scores) == 7
        assert scores[0] < CSI4_CUTOFF < scores[-1]
    eva = User.objects.get(email="eva.dewit@verbinding.example")
    html = client_for(eva).get(reverse("cases:progress", args=[case.pk])).content.decode()
    assert re.findall(r"<tr>\s*<td>(\d+)</td>", html) == [str(n) for n in range(1, 8)]
    guidance = client_for(eva).get(reverse("cases:guidance", args=[case.pk])).content.decode()
    assert "signal-alliance.split" not in guidance
    assert "signal-progress.not-on-track" not in guidance
    # The demo practice's illustrative SD 4 and reliability 0.90 (labelled as such): both
    # partners gain more than 1.96 x 4 x sqrt(2) x sqrt(0.1) = 3.51 points and cross 13.5.
    data = case_snapshot.build(case, eva, timezone.localdate())
    for slot in ("A", "B"):
        assert data["partners"][slot]["progress"]["statuses"][-1] == "recovered"
    for part in html.split('id="progress-')[1:3]:
        assert "illustratieve waarden, niet uit een publicatie" in part.split("</section>")[0]


def test_daan_and_yusuf_stay_below_the_cutoff_and_their_alliance_splits() -> None:
    seed()
    case = Case.objects.get(label="Daan & Yusuf")
    for slot in ("A", "B"):
        assert max(_scores(case, slot)) < CSI4_CUTOFF
    eva = User.objects.get(email="eva.dewit@verbinding.example")
    html = client_for(eva).get(reverse("cases:guidance", args=[case.pk])).content.decode()
    assert 'id="signal-alliance.split"' in html
    assert 'id="signal-progress.not-on-track"' in html
    data = case_snapshot.build(case, eva, timezone.localdate())
    for slot in ("A", "B"):
        assert data["partners"][slot]["progress"]["statuses"] == [None] + ["unchanged"] * 6


def test_sanne_shares_her_chart_with_thomas_but_not_the_other_way_round() -> None:
    seed()
    thomas = client_for(User.objects.get(email="thomas@partner.example"))
    sanne = client_for(User.objects.get(email="sanne@partner.example"))
    assert 'id="theirs"' in thomas.get("/me/progress/").content.decode()
    assert 'id="theirs"' not in sanne.get("/me/progress/").content.decode()


def test_seeding_again_adds_no_sessions_or_check_ins() -> None:
    seed()
    counts = Appointment.objects.count(), Administration.objects.count()
    seed()
    assert (Appointment.objects.count(), Administration.objects.count()) == counts
    assert counts[0] == 16  # seven held and one planned, for each couple
    values = ChangeValues.objects.get()
    assert (values.instrument, values.sd, values.reliability) == ("csi-4", 4.0, 0.9)
    assert "Demo practice: illustrative values, not from a publication" in values.source
    assert "replace before clinical use" in values.source
