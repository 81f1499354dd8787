"""The rules on the session check-ins (issue 14), firing and not firing at their thresholds."""

from __future__ import annotations

from typing import Any

import pytest

from dyade.clinic import guidance, guidance_progress
from dyade.clinic.guidance import RULES_BY_ID, evaluate
from dyade.clinic.snapshot import SnapshotError, parse

Data = dict[str, Any]

DETERIORATION = RULES_BY_ID["progress.deterioration"]
NOT_ON_TRACK = RULES_BY_ID["progress.not-on-track"]
SPLIT = RULES_BY_ID["alliance.split"]
COLLUSION = RULES_BY_ID["therapist.collusion-risk"]


def couple(a: Data | None = None, b: Data | None = None, **extra: Any) -> Data:
    partners = {}
    if a is not None:
        partners["A"] = {"progress": a}
    if b is not None:
        partners["B"] = {"progress": b}
    return {"case": {"kind": "couple"}, "partners": partners, **extra}


def statuses(*values: str | None) -> Data:
    return {"statuses": [None, *values]}  # the first session is the baseline


def alliance(*values: float | None) -> Data:
    return {"alliance": list(values)}


def fired(rule: guidance.Rule, data: Data) -> list[tuple[str, Any]] | None:
    signal = rule(parse(data))
    return None if signal is None else [(r.field, r.value) for r in signal.reasons]


# --- the snapshot fields ------------------------------------------------------------------


def test_progress_is_read_strictly() -> None:
    parse(couple(statuses("unchanged", "improved"), {"alliance": [7, 8.5, None]}))
    for bad in (
        {"statuses": ["better"]},
        {"statuses": "unchanged"},
        {"alliance": [11]},
        {"alliance": [-1]},
        {"alliance": [True]},
        {"alliance": ["8"]},
        {"trend": []},
        {"statuses": [None] * 1001},
    ):
        with pytest.raises(SnapshotError, match=r"partners\.A\.progress"):
            parse(couple(bad))


# --- progress.deterioration --------------------------------------------------------------


def test_deterioration_fires_on_the_latest_status() -> None:
    data = couple(statuses("unchanged", "deteriorated"), statuses("improved"))
    assert fired(DETERIORATION, data) == [
        ("partners.A.progress.status", "deteriorated"),
        ("partners.A.progress.sessions", 3),
    ]
    signal = DETERIORATION(parse(data))
    assert signal is not None and signal.slot == "A" and signal.kind == "progress"


def test_deterioration_is_about_now_not_the_past() -> None:
    assert fired(DETERIORATION, couple(statuses("deteriorated", "unchanged"))) is None
    # a missed check-in after it does not hide it
    assert fired(DETERIORATION, couple(statuses("deteriorated", None))) is not None
    assert fired(DETERIORATION, couple(statuses(None, None))) is None
    assert fired(DETERIORATION, couple({})) is None


def test_deterioration_comes_right_after_safety() -> None:
    data = couple(statuses("deteriorated"), statuses("unchanged"))
    data["partners"]["A"]["safety"] = {"fear": "sometimes"}
    data["partners"]["B"]["safety"] = {"fear": "no"}
    shown = [signal.id for signal in evaluate(parse(data))]
    assert shown[:3] == ["safety.timeout-programme", "safety.review", "progress.deterioration"]


# --- progress.not-on-track ----------------------------------------------------------------

FIVE_UNCHANGED = ("unchanged",) * guidance_progress.NOT_ON_TRACK_SESSIONS


def test_not_on_track_after_five_judged_check_ins_for_both() -> None:
    assert guidance_progress.NOT_ON_TRACK_SESSIONS == 5
    data = couple(statuses(*FIVE_UNCHANGED), statuses(*FIVE_UNCHANGED[:-1], "deteriorated"))
    assert fired(NOT_ON_TRACK, data) == [
        ("partners.A.progress.status", "unchanged"),
        ("partners.A.progress.followups", 5),
        ("partners.B.progress.status", "deteriorated"),
        ("partners.B.progress.followups", 5),
    ]


def test_not_on_track_waits_for_five() -> None:
    four = FIVE_UNCHANGED[:-1]
    assert fired(NOT_ON_TRACK, couple(statuses(*four), statuses(*FIVE_UNCHANGED))) is None
    # missed check-ins do not count
    gaps = statuses(*four, None, None)
    assert fired(NOT_ON_TRACK, couple(gaps, statuses(*FIVE_UNCHANGED))) is None


@pytest.mark.parametrize("latest", ["improved", "recovered"])
def test_not_on_track_stays_silent_when_either_partner_improves(latest: str) -> None:
    data = couple(statuses(*FIVE_UNCHANGED), statuses(*FIVE_UNCHANGED[:-1], latest))
    assert fired(NOT_ON_TRACK, data) is None


def test_not_on_track_needs_both_partners_of_a_couple() -> None:
    assert fired(NOT_ON_TRACK, couple(statuses(*FIVE_UNCHANGED))) is None
    # statuses unknown (an instrument without published values): silent
    nothing = {"statuses": [None] * 8}
    assert fired(NOT_ON_TRACK, couple(nothing, nothing)) is None


def test_not_on_track_in_an_individual_case() -> None:
    data = {
        "case": {"kind": "individual"},
        "partners": {"A": {"progress": statuses(*FIVE_UNCHANGED)}},
    }
    assert fired(NOT_ON_TRACK, data) is not None


# --- alliance.split -----------------------------------------------------------------------


def test_split_at_two_points() -> None:
    assert fired(SPLIT, couple(alliance(8, 6), alliance(8, 8))) == [
        ("partners.A.progress.alliance", 6.0),
        ("alliance.gap", 2.0),
    ]
    assert fired(SPLIT, couple(alliance(8, 6.1), alliance(8, 8))) is None
    signal = SPLIT(parse(couple(alliance(9), alliance(6.5))))
    assert signal is not None and signal.slot == "B"


def test_split_reads_the_latest_session_both_checked_in() -> None:
    # B missed the latest check: the one before counts, where they lay 3 apart
    assert fired(SPLIT, couple(alliance(5, 9), alliance(8, None))) == [
        ("partners.A.progress.alliance", 5.0),
        ("alliance.gap", 3.0),
    ]
    assert fired(SPLIT, couple(alliance(5, 9), alliance(8, 9))) is None


def test_a_fall_against_the_partners_own_earlier_checks() -> None:
    # earlier mean 8.5; latest 6.5 is exactly 2 lower
    assert fired(SPLIT, couple(alliance(8, 9, 6.5), alliance(8, 8, 7))) == [
        ("partners.A.progress.alliance", 6.5),
        ("partners.A.progress.alliance_earlier_mean", 8.5),
    ]
    assert fired(SPLIT, couple(alliance(8, 9, 6.6), alliance(8, 8, 7))) is None
    # one earlier check is not enough to speak of a fall
    assert fired(SPLIT, couple(alliance(9, 6.5), alliance(None, None))) is None


def test_split_and_fall_together_name_each_reason_once() -> None:
    reasons = fired(SPLIT, couple(alliance(9, 9, 5), alliance(9, 9, 9)))
    assert reasons == [
        ("partners.A.progress.alliance", 5.0),
        ("alliance.gap", 4.0),
        ("partners.A.progress.alliance_earlier_mean", 9.0),
    ]


def test_no_split_in_individual_work() -> None:
    data = couple(alliance(9, 9, 5), alliance(9, 9, 9))
    data["case"] = {"kind": "individual"}
    assert fired(SPLIT, data) is None
    data["case"] = {"kind": "couple"}
    data["track"] = {"name": "individual"}
    assert fired(SPLIT, data) is None
    # kind unknown and only one partner known: not a couple
    assert fired(SPLIT, {"partners": {"A": {"progress": alliance(9, 9, 5)}}}) is None


# --- the avoidant therapist and a therapy that is not on track -------------------------------


def test_collusion_names_a_therapy_that_is_not_on_track() -> None:
    stuck = couple(statuses(*FIVE_UNCHANGED), statuses(*FIVE_UNCHANGED))
    avoidant = {**stuck, "therapist": {"attachment_avoidance": 5.2}}
    assert fired(COLLUSION, avoidant) == [
        ("progress.not_on_track", True),
        ("therapist.attachment_avoidance", 5.2),
    ]
    # not avoidant (4 is the midpoint, not above it): the not-on-track signal alone
    assert fired(COLLUSION, {**stuck, "therapist": {"attachment_avoidance": 4.0}}) is None
    # avoidant, but the therapy is on track: nothing here
    moving = couple(statuses(*FIVE_UNCHANGED), statuses(*FIVE_UNCHANGED[:-1], "improved"))
    assert fired(COLLUSION, {**moving, "therapist": {"attachment_avoidance": 5.2}}) is None


def test_the_three_rules_cite_and_label_what_is_dyades_own() -> None:
    for rule in (DETERIORATION, NOT_ON_TRACK, SPLIT):
        source = rule.source
        assert source.seeds[0] == "000"
        assert source.judgement is not None and "Dyade's own judgement" in source.judgement
    assert "Anker, Duncan & Sparks (2009)" in SPLIT.source.literature
    assert "Jacobson & Truax (1991)" in DETERIORATION.source.literature
    assert "001" in SPLIT.source.seeds
