"""The intake summary: positions, the flip of seed 002, discrepancies and flags."""

from __future__ import annotations

from dyade.clinic import intake
from dyade.clinic.intake import Discrepancy, Position


def test_a_daily_pursuer_who_avoids_sex_flips() -> None:
    summary = intake.summarise({"conflict.position": "pursue", "sex.position": "avoid"})
    assert (summary.daily, summary.sexual, summary.flip) == (
        Position.PURSUE,
        Position.WITHDRAW,
        True,
    )
    summary = intake.summarise({"conflict.position": "withdraw", "sex.position": "initiate"})
    assert summary.flip


def test_same_position_in_both_domains_or_a_missing_answer_is_no_flip() -> None:
    assert not intake.summarise({"conflict.position": "pursue", "sex.position": "initiate"}).flip
    assert not intake.summarise({"conflict.position": "pursue"}).flip
    assert not intake.summarise({"conflict.position": "both", "sex.position": "avoid"}).flip
    assert not intake.summarise({}).flip


def test_discrepancies_between_partners() -> None:
    a = intake.summarise(
        {"sex.desire": 8, "commitment.continue": "yes", "conflict.position": "pursue"}
    )
    b = intake.summarise(
        {"sex.desire": 5, "commitment.continue": "leaving", "conflict.position": "pursue"}
    )
    kinds = [finding.kind for finding in intake.discrepancies(a, b)]
    assert kinds == [Discrepancy.DESIRE, Discrepancy.CONTINUE, Discrepancy.SAME_POSITION]


def test_small_desire_gaps_and_shared_wish_to_go_on_raise_nothing() -> None:
    a = intake.summarise({"sex.desire": 6, "commitment.continue": "yes"})
    b = intake.summarise({"sex.desire": 4, "commitment.continue": "yes"})
    assert intake.discrepancies(a, b) == []
    assert intake.discrepancies(intake.summarise({}), intake.summarise({})) == []


def test_safety_flags_any_violence_above_never() -> None:
    answers = {
        "safety.physical": "once",
        "safety.psychological": "never",
        "safety.coercion": "sometimes",
        "safety.fear": "no",
        "safety.joint-sessions": "no",
    }
    assert intake.safety_flags(answers) == [
        ("safety.physical", "once"),
        ("safety.coercion", "sometimes"),
        ("safety.joint-sessions", "no"),
    ]
    assert intake.safety_flags({"safety.physical": "never", "safety.fear": "no"}) == []


def test_referral_and_motives() -> None:
    answers = {
        "health.dysfunction": "unsure",
        "health.paraphilia": "rather-not-say",
        "sex.pain": "often",
        "sex.motives": ["closeness", "keep-peace", "duty", "please-partner"],
    }
    assert [flag[0] for flag in intake.referral_flags(answers)] == [
        "health.dysfunction",
        "sex.pain",
    ]
    assert intake.motives(answers) == (["closeness"], ["keep-peace", "duty"])
