"""dyade.sessions.access: clinical records for therapists; published cycle maps for partners."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from dyade.cases.models import Case
from dyade.sessions import access
from dyade.sessions.models import CycleVersion, Observation, SignalDecision, TrackChange
from tests.access.helpers import OUTSIDERS, deactivated, other_couple, user_of
from tests.conftest import World

NOON = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class Records:
    observation: Observation
    track: TrackChange
    decision: SignalDecision
    elsewhere: tuple[Observation, TrackChange, SignalDecision]


def records_of(w: World, case: Case) -> tuple[Observation, TrackChange, SignalDecision]:
    by = case.therapists.first()
    return (
        Observation.objects.create(case=case, created_by=by),
        TrackChange.objects.create(case=case, track="eft", reason="why", changed_by=by),
        SignalDecision.objects.create(
            case=case,
            signal="s",
            kind="k",
            fingerprint="f",
            decision="accepted",
            reason="because",
            decided_by=by,
        ),
    )


@pytest.fixture
def rec(world: World) -> Records:
    observation, track, decision = records_of(world, world.case)
    return Records(observation, track, decision, records_of(world, world.other_case))


def version(w: World, case: Case, number: int, published_at: dt.datetime | None) -> CycleVersion:
    return CycleVersion.objects.create(
        case=case,
        number=number,
        data_json="{}",
        created_by=w.therapist,
        published_at=published_at,
        published_by=w.therapist if published_at else None,
    )


# --- clinical records ------------------------------------------------------------------


def test_clinical_records_for_the_case_therapist_only_of_the_case(
    world: World, rec: Records
) -> None:
    assert access.can_use_guidance(world.therapist, world.case) is True
    assert list(access.case_observations(world.therapist, world.case)) == [rec.observation]
    assert list(access.case_track_changes(world.therapist, world.case)) == [rec.track]
    assert list(access.case_signal_decisions(world.therapist, world.case)) == [rec.decision]
    obs, track, decision = rec.elsewhere
    assert list(access.case_observations(world.other_therapist, world.other_case)) == [obs]
    assert list(access.case_track_changes(world.other_therapist, world.other_case)) == [track]
    other = list(access.case_signal_decisions(world.other_therapist, world.other_case))
    assert other == [decision]


@pytest.mark.parametrize("name", ["partner_a", "partner_b", *OUTSIDERS])
def test_clinical_records_for_nobody_else(world: World, rec: Records, name: str) -> None:
    user = user_of(world, name)
    assert access.can_use_guidance(user, world.case) is False
    assert list(access.case_observations(user, world.case)) == []
    assert list(access.case_track_changes(user, world.case)) == []
    assert list(access.case_signal_decisions(user, world.case)) == []


# --- cycle map versions -----------------------------------------------------------------


@pytest.fixture
def versions(world: World) -> dict[str, CycleVersion]:
    return {
        "v1": version(world, world.case, 1, NOON),
        "v2": version(world, world.case, 2, NOON + dt.timedelta(days=7)),
        "v3": version(world, world.case, 3, None),  # a draft, the newest
        "elsewhere": version(world, world.other_case, 1, NOON + dt.timedelta(days=30)),
    }


def test_case_cycle_versions_every_version_for_the_therapist(
    world: World, versions: dict[str, CycleVersion]
) -> None:
    found = set(access.case_cycle_versions(world.therapist, world.case))
    assert found == {versions["v1"], versions["v2"], versions["v3"]}


@pytest.mark.parametrize("name", ["partner_a", "partner_b"])
def test_case_cycle_versions_only_published_ones_for_the_partners(
    world: World, versions: dict[str, CycleVersion], name: str
) -> None:
    found = set(access.case_cycle_versions(world.person(name), world.case))
    assert found == {versions["v1"], versions["v2"]}


def test_case_cycle_versions_not_of_another_case(
    world: World, versions: dict[str, CycleVersion]
) -> None:
    case_c, partner_c, _ = other_couple(world)
    version(world, case_c, 1, NOON)
    assert list(access.case_cycle_versions(partner_c.user, world.case)) == []
    assert list(access.case_cycle_versions(world.user_a, case_c)) == []
    assert list(access.case_cycle_versions(world.user_a, world.other_case)) == []


@pytest.mark.parametrize("name", OUTSIDERS)
def test_case_cycle_versions_none_for_outsiders(
    world: World, versions: dict[str, CycleVersion], name: str
) -> None:
    assert list(access.case_cycle_versions(user_of(world, name), world.case)) == []


def test_case_cycle_versions_none_for_an_inactive_partner(
    world: World, versions: dict[str, CycleVersion]
) -> None:
    assert list(access.case_cycle_versions(deactivated(world.user_a), world.case)) == []


def test_published_cycle_the_newest_published_version_of_the_own_case(
    world: World, versions: dict[str, CycleVersion]
) -> None:
    assert access.published_cycle(world.user_a) == versions["v2"]
    assert access.published_cycle(world.user_b) == versions["v2"]


def test_published_cycle_by_publication_time_then_number(world: World) -> None:
    later = version(world, world.case, 1, NOON + dt.timedelta(days=1))  # re-published later
    version(world, world.case, 2, NOON)
    assert access.published_cycle(world.user_a) == later
    same_time = version(world, world.case, 3, NOON + dt.timedelta(days=1))
    assert access.published_cycle(world.user_a) == same_time


def test_published_cycle_none_without_a_published_version(world: World) -> None:
    version(world, world.case, 1, None)
    assert access.published_cycle(world.user_a) is None


@pytest.mark.parametrize("name", ["therapist", *OUTSIDERS])
def test_published_cycle_none_for_non_partners(
    world: World, versions: dict[str, CycleVersion], name: str
) -> None:
    assert access.published_cycle(user_of(world, name)) is None


def test_published_cycle_not_of_another_couple(
    world: World, versions: dict[str, CycleVersion]
) -> None:
    _, partner_c, _ = other_couple(world)
    assert access.published_cycle(partner_c.user) is None
