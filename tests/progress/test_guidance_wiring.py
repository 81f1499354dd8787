"""The check-ins reach the guidance snapshot, so the progress rules join the accept/dismiss flow."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dyade.sessions import case_snapshot
from dyade.sessions.models import SignalDecision
from tests.conftest import World, client_for
from tests.progress.helpers import add_sessions

pytestmark = pytest.mark.django_db


def test_the_snapshot_holds_each_partners_sessions_oldest_first(world: World) -> None:
    add_sessions(
        world.case,
        world.therapist,
        {"A": [8, 9, 10], "B": [12, None, 12]},
        {"A": [8, 8, 9], "B": [6, 5, None]},
    )
    data = case_snapshot.build(world.case, world.therapist, timezone.localdate())
    # The CSI-4 key has no published SD and reliability: no status is made up.
    assert data["partners"]["A"]["progress"] == {
        "statuses": [None, None, None],
        "alliance": [8.0, 8.0, 9.0],
    }
    assert data["partners"]["B"]["progress"] == {
        "statuses": [None, None, None],
        "alliance": [6.0, 5.0, None],
    }


def test_no_sessions_no_progress_part(world: World) -> None:
    data = case_snapshot.build(world.case, world.therapist, timezone.localdate())
    assert "progress" not in data["partners"]["A"]


def test_a_split_alliance_is_a_signal_the_therapist_can_decide_on(world: World) -> None:
    add_sessions(
        world.case,
        world.therapist,
        {"A": [10, 10, 10], "B": [10, 10, 10]},
        {"A": [9, 9, 9], "B": [8, 6, 4]},
    )
    client = client_for(world.therapist)
    html = client.get(reverse("cases:guidance", args=[world.case.pk])).content.decode()
    assert 'id="signal-alliance.split"' in html
    response = client.post(
        reverse("cases:decide_signal", args=[world.case.pk, "alliance.split"]),
        {
            "decision": "accepted",
            "reason": "Met Thomas apart besproken.",
            "request_id": uuid.uuid4(),
        },
    )
    assert response.status_code == 302
    saved = SignalDecision.objects.get(case=world.case, signal="alliance.split")
    assert saved.decision == "accepted"
    fields = {reason["field"]: reason["value"] for reason in saved.reasons}
    assert fields["partners.B.progress.alliance"] == 4.0  # B's latest check, 5 below A's 9
    assert fields["alliance.gap"] == 5.0


def test_equal_alliance_raises_no_split(world: World) -> None:
    add_sessions(
        world.case,
        world.therapist,
        {"A": [10, 10, 10], "B": [10, 10, 10]},
        {"A": [8, 8, 8], "B": [8, 8, 8]},
    )
    html = client_for(world.therapist).get(reverse("cases:guidance", args=[world.case.pk]))
    assert "signal-alliance.split" not in html.content.decode()
