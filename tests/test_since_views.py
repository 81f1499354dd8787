"""The "since last session" screen: built from both diaries, for the case's therapists only."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, client_for, make_entry


def _fortnight(world: World) -> None:
    today = timezone.localdate()
    for offset in range(1, 8):
        day = today - dt.timedelta(days=offset)
        if not world.partner_a.diary_entries.filter(date=day).exists():
            make_entry(world.partner_a, day, desire=9, closeness=4, perceived_desire=8)
        if not world.partner_b.diary_entries.filter(date=day).exists():
            make_entry(world.partner_b, day, desire=2, closeness=4, perceived_desire=9)


def test_the_therapist_reads_the_summary_since_the_last_session(world: World) -> None:
    _fortnight(world)
    response = client_for(world.therapist).get(reverse("cases:since", args=[world.case.pk]))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.gaps["desire"] is not None and summary.gaps["desire"] >= 5
    assert any(key == "desire-gap" for key, _v in summary.sentences)
    body = response.content.decode()
    assert 'id="summary"' in body and "Sanne" in body and "Thomas" in body


def test_nobody_else_reaches_the_summary(world: World) -> None:
    url = reverse("cases:since", args=[world.case.pk])
    for person in (world.user_a, world.user_b, world.admin, world.researcher):
        assert client_for(person).get(url).status_code == 403
    for person in (world.colleague, world.other_therapist):
        assert client_for(person).get(url).status_code == 404


def _initiative(world: World, initiator_b: str) -> None:
    """A week in which Thomas (B) takes the initiative for sex four times."""
    today = timezone.localdate()
    for offset in range(1, 5):
        day = today - dt.timedelta(days=offset)
        for partner, initiator in ((world.partner_a, "partner"), (world.partner_b, initiator_b)):
            partner.diary_entries.filter(date=day).delete()
            make_entry(partner, day, sexual_contact=True, initiator=initiator)


def _cycle(world: World, b_sex_position: str | None) -> None:
    import json

    from dyade.sessions.models import CycleVersion

    sides = {
        "A": {"sex": {"position": "withdraw"}},
        "B": {"sex": {"position": b_sex_position}} if b_sex_position else {},
    }
    CycleVersion.objects.create(
        case=world.case, number=1, data_json=json.dumps(sides), created_by=world.therapist
    )


def _cycle_line(world: World) -> str | None:
    world.therapist.language = "en"
    world.therapist.save(update_fields=["language"])
    response = client_for(world.therapist).get(reverse("cases:since", args=[world.case.pk]))
    assert response.status_code == 200
    return response.context["cycle_line"]


def test_the_diary_initiative_is_held_against_the_cycle_map(world: World) -> None:
    _initiative(world, "me")
    assert "no positions around sex" in (_cycle_line(world) or "")  # no map yet
    _cycle(world, "pursue")
    line = _cycle_line(world) or ""
    assert "fits the cycle map" in line and "Thomas" in line


def test_a_diary_that_contradicts_the_cycle_map_says_so(world: World) -> None:
    _initiative(world, "me")
    _cycle(world, "withdraw")
    line = _cycle_line(world) or ""
    assert "does not have Thomas pursuing" in line
