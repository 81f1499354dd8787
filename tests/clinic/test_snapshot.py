"""Reading the case snapshot's JSON form: what it accepts, and every way it refuses.

A refusal must name the field, so that whoever wrote the file can find the
mistake; a key it does not know is refused, because a typing error in a key
would otherwise switch a rule off without anyone noticing.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from dyade.clinic.snapshot import (
    Balance,
    CaseInfo,
    Diary,
    Health,
    Observation,
    Partner,
    Safety,
    Snapshot,
    SnapshotError,
    Therapist,
    Track,
    parse,
)


def refused(data: Any, field: str) -> str:
    """Parse ``data``, expect a SnapshotError whose message names ``field``; return it."""
    with pytest.raises(SnapshotError) as caught:
        parse(data)
    message = str(caught.value)
    assert field in message, f"{message!r} does not name {field!r}"
    return message


# --- what it accepts ----------------------------------------------------------------------


def test_an_empty_snapshot_knows_nothing() -> None:
    snapshot = parse({})
    assert snapshot == Snapshot()
    assert snapshot.partners == {}
    assert snapshot.observations == ()
    assert snapshot.latest == Observation()
    assert snapshot.partner("A") == Partner()
    assert snapshot.eft_stage is None
    assert snapshot.cycle_mapped is None


def test_null_is_the_same_as_leaving_a_field_out() -> None:
    data = {
        "partners": None,
        "diary": None,
        "observations": None,
        "therapist": None,
        "track": None,
        "cycle_mapped": None,
        "comment": None,
    }
    assert parse(data) == Snapshot()
    assert parse({"partners": {"A": {"love": None, "safety": None}}}).partner("A") == Partner()


def test_a_full_partner_is_read_into_typed_fields() -> None:
    snapshot = parse(
        {
            "comment": "any text",
            "partners": {
                "A": {
                    "wish_to_continue": "unsure",
                    "love": 0,
                    "detachment": 10,
                    "motivation": 5,
                    "daily_position": "pursue",
                    "sexual_position": "withdraw",
                    "desire": 3,
                    "sexual_satisfaction": 4,
                    "sexual_self_knowledge": 2,
                    "avoidance_motives": ["duty", "keep-peace"],
                    "attachment_anxiety": 1,
                    "attachment_avoidance": 7,
                    "balance": {"self": 0, "calm": 10, "grounded": 5, "endurance": 5},
                    "safety": {
                        "physical": "never",
                        "psychological": "once",
                        "coercion": "sometimes",
                        "own": "often",
                        "fear": "no",
                        "joint_sessions": "not-always",
                        "hits_total": 4,
                    },
                    "health": {
                        "dysfunction": "unsure",
                        "illness": "no",
                        "disability": "no",
                        "paraphilia": "no",
                        "medication": "yes",
                        "sexual_pain": "never",
                    },
                }
            },
        }
    )
    a = snapshot.partner("A")
    assert a.love == 0 and a.detachment == 10 and a.motivation == 5
    assert a.avoidance_motives == ("duty", "keep-peace")
    # ECR-R scores are means: whole numbers are read as numbers like any other
    assert a.attachment_anxiety == 1.0 and isinstance(a.attachment_anxiety, float)
    assert a.balance == Balance(self=0, calm=10, grounded=5, endurance=5)
    assert a.safety.own == "often" and a.safety.hits_total == 4
    assert a.health.medication == "yes" and a.health.sexual_pain == "never"
    assert snapshot.partner("B") == Partner()


def test_balance_mean_needs_all_four_points() -> None:
    assert Balance(self=2, calm=4, grounded=6, endurance=8).mean == 5.0
    assert Balance(self=2, calm=4, grounded=6, endurance=8).complete
    assert Balance(self=2, calm=4, grounded=6).mean is None
    assert not Balance(self=2).complete
    assert Balance(self=0, calm=0).values() == {"self": 0, "calm": 0}


def test_the_latest_observation_is_the_last_and_its_stage_counts_first() -> None:
    snapshot = parse(
        {
            "track": {"name": "eft", "stage": 1},
            "observations": [{"date": "2024-01-10", "eft_stage": 1}, {"date": "2024-02-07"}],
        }
    )
    assert snapshot.latest.date == "2024-02-07"
    # the newest observation records no stage: the track's stage stands in
    assert snapshot.eft_stage == 1
    snapshot = parse({"track": {"name": "eft", "stage": 1}, "observations": [{"eft_stage": 2}]})
    assert snapshot.eft_stage == 2


def test_a_stage_is_only_read_from_the_eft_track() -> None:
    assert parse({"track": {"name": "differentiation"}}).eft_stage is None
    assert parse({"track": {"name": "eft"}}).track == Track(name="eft")


def test_the_diary_may_count_as_many_conflict_days_as_it_has_days() -> None:
    diary = parse({"diary": {"B": {"days": 14, "conflict_days": 14, "sexual_contact_days": 0}}})
    assert diary.diary["B"].conflict_days == 14


# --- unknown keys, at every level ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"partner": {}}, "partner"),
        ({"partners": {"C": {}}}, "C"),
        ({"partners": {"A": {"lov": 5}}}, "lov"),
        ({"partners": {"A": {"balance": {"solid": 3}}}}, "solid"),
        ({"partners": {"A": {"safety": {"hits": 12}}}}, "hits"),
        ({"partners": {"A": {"health": {"pain": "often"}}}}, "pain"),
        ({"diary": {"A": {"conflicts": 2}}}, "conflicts"),
        ({"diary": {"C": {}}}, "C"),
        ({"observations": [{"hidden": True}]}, "hidden"),
        ({"therapist": {"avoidance": 5}}, "avoidance"),
        ({"therapist": {"balance": {"calmness": 5}}}, "calmness"),
        ({"track": {"phase": 2}}, "phase"),
    ],
)
def test_an_unknown_key_is_refused_and_named(data: dict[str, Any], field: str) -> None:
    message = refused(data, field)
    assert "unknown" in message


def test_the_refusal_says_where_the_unknown_key_is() -> None:
    assert refused({"partners": {"B": {"balance": {"solid": 3}}}}, "solid").startswith(
        "partners.B.balance"
    )
    assert refused({"observations": [{}, {"hidden": True}]}, "hidden").startswith("observations[1]")


# --- wrong types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "snapshot"),
        ("snapshot", "snapshot"),
        ({"partners": []}, "partners"),
        ({"partners": "A"}, "partners"),
        ({"partners": {"A": []}}, "partners.A"),
        ({"partners": {"A": {"love": "7"}}}, "partners.A.love"),
        ({"partners": {"A": {"love": 7.5}}}, "partners.A.love"),
        ({"partners": {"A": {"attachment_anxiety": "high"}}}, "partners.A.attachment_anxiety"),
        ({"partners": {"A": {"avoidance_motives": "duty"}}}, "partners.A.avoidance_motives"),
        ({"partners": {"A": {"avoidance_motives": [1]}}}, "partners.A.avoidance_motives"),
        ({"partners": {"A": {"balance": [5, 5, 5, 5]}}}, "partners.A.balance"),
        ({"partners": {"A": {"safety": "fine"}}}, "partners.A.safety"),
        ({"partners": {"A": {"health": 0}}}, "partners.A.health"),
        ({"diary": []}, "diary"),
        ({"diary": {"A": {"closeness_mean": "high"}}}, "diary.A.closeness_mean"),
        ({"observations": {}}, "observations"),
        ({"observations": {"date": "2024-01-01"}}, "observations"),
        ({"observations": ["today"]}, "observations[0]"),
        ({"observations": [{"date": 20240101}]}, "observations[0].date"),
        ({"observations": [{"hidden_agenda": "yes"}]}, "observations[0].hidden_agenda"),
        ({"observations": [{"escalation": 1}]}, "observations[0].escalation"),
        ({"therapist": []}, "therapist"),
        ({"track": "eft"}, "track"),
        ({"track": {"stage": "2", "name": "eft"}}, "track.stage"),
        ({"cycle_mapped": "yes"}, "cycle_mapped"),
        ({"cycle_mapped": 1}, "cycle_mapped"),
        ({"comment": 42}, "comment"),
    ],
)
def test_a_wrong_type_is_refused_and_named(data: Any, field: str) -> None:
    refused(data, field)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        # a JSON true is not the number 1 ...
        ({"partners": {"A": {"love": True}}}, "partners.A.love"),
        ({"partners": {"A": {"balance": {"self": False}}}}, "partners.A.balance.self"),
        ({"partners": {"A": {"attachment_avoidance": True}}}, "partners.A.attachment_avoidance"),
        ({"partners": {"A": {"safety": {"hits_total": True}}}}, "partners.A.safety.hits_total"),
        ({"diary": {"A": {"days": True}}}, "diary.A.days"),
        ({"observations": [{"motivation_a": True}]}, "observations[0].motivation_a"),
        ({"observations": [{"eft_stage": True}]}, "observations[0].eft_stage"),
        ({"track": {"name": "eft", "stage": True}}, "track.stage"),
        # ... and the number 1 or 0 is not a JSON true or false
        ({"observations": [{"love_felt": 1}]}, "observations[0].love_felt"),
        ({"observations": [{"goals_diverge": 0}]}, "observations[0].goals_diverge"),
        ({"cycle_mapped": 0}, "cycle_mapped"),
    ],
)
def test_booleans_and_numbers_are_not_interchangeable(data: Any, field: str) -> None:
    refused(data, field)


# --- out of range and unknown codes -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"partners": {"A": {"love": -1}}}, "partners.A.love"),
        ({"partners": {"A": {"love": 11}}}, "partners.A.love"),
        ({"partners": {"A": {"detachment": 11}}}, "partners.A.detachment"),
        ({"partners": {"B": {"motivation": -1}}}, "partners.B.motivation"),
        ({"partners": {"B": {"desire": 11}}}, "partners.B.desire"),
        ({"partners": {"B": {"sexual_satisfaction": 11}}}, "partners.B.sexual_satisfaction"),
        ({"partners": {"B": {"sexual_self_knowledge": -1}}}, "partners.B.sexual_self_knowledge"),
        ({"partners": {"A": {"attachment_anxiety": 0.99}}}, "partners.A.attachment_anxiety"),
        ({"partners": {"A": {"attachment_avoidance": 7.01}}}, "partners.A.attachment_avoidance"),
        ({"partners": {"A": {"balance": {"endurance": 11}}}}, "partners.A.balance.endurance"),
        ({"partners": {"A": {"safety": {"hits_total": 3}}}}, "partners.A.safety.hits_total"),
        ({"partners": {"A": {"safety": {"hits_total": 21}}}}, "partners.A.safety.hits_total"),
        ({"diary": {"A": {"days": -1}}}, "diary.A.days"),
        ({"diary": {"A": {"desire_mean": 10.5}}}, "diary.A.desire_mean"),
        ({"diary": {"A": {"closeness_mean": -0.1}}}, "diary.A.closeness_mean"),
        ({"observations": [{"motivation_b": 11}]}, "observations[0].motivation_b"),
        ({"observations": [{"eft_stage": 0}]}, "observations[0].eft_stage"),
        ({"observations": [{"eft_stage": 4}]}, "observations[0].eft_stage"),
        ({"therapist": {"attachment_anxiety": 8}}, "therapist.attachment_anxiety"),
        ({"therapist": {"balance": {"calm": -1}}}, "therapist.balance.calm"),
        ({"track": {"name": "eft", "stage": 4}}, "track.stage"),
        ({"partners": {"A": {"attachment_anxiety": float("nan")}}}, "attachment_anxiety"),
    ],
)
def test_a_number_out_of_range_is_refused_and_named(data: Any, field: str) -> None:
    refused(data, field)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"partners": {"A": {"wish_to_continue": "no"}}}, "partners.A.wish_to_continue"),
        ({"partners": {"A": {"daily_position": "both"}}}, "partners.A.daily_position"),
        ({"partners": {"A": {"sexual_position": "initiate"}}}, "partners.A.sexual_position"),
        ({"partners": {"A": {"safety": {"physical": "rarely"}}}}, "partners.A.safety.physical"),
        ({"partners": {"A": {"safety": {"fear": "never"}}}}, "partners.A.safety.fear"),
        ({"partners": {"A": {"safety": {"joint_sessions": "n"}}}}, "joint_sessions"),
        ({"partners": {"A": {"health": {"illness": True}}}}, "partners.A.health.illness"),
        ({"partners": {"A": {"health": {"sexual_pain": "yes"}}}}, "partners.A.health.sexual_pain"),
        ({"observations": [{"destructive_claim_by": "C"}]}, "destructive_claim_by"),
        ({"observations": [{"partner_left_by": "yes"}]}, "observations[0].partner_left_by"),
        ({"partners": {"A": {"health": {"linked_to_sex": "maybe"}}}}, "linked_to_sex"),
        ({"case": {"kind": "family"}}, "case.kind"),
        ({"track": {"name": "emotionally-focused"}}, "track.name"),
    ],
)
def test_an_unknown_code_is_refused_and_the_codes_listed(data: Any, field: str) -> None:
    assert "expected one of" in refused(data, field)


def test_a_stage_on_a_track_other_than_eft_is_refused() -> None:
    for name in ("differentiation", "safety", "individual"):
        refused({"track": {"name": name, "stage": 2}}, "track.stage")
    # a stage without a track is not an EFT stage either
    refused({"track": {"stage": 2}}, "track.stage")


def test_more_conflict_or_sex_days_than_diary_days_is_refused() -> None:
    message = refused({"diary": {"A": {"days": 7, "conflict_days": 8}}}, "diary.A.conflict_days")
    assert "diary.A.days" in message
    refused({"diary": {"B": {"days": 7, "sexual_contact_days": 8}}}, "diary.B.sexual_contact_days")


def test_every_message_starts_with_the_path_of_the_field() -> None:
    path = re.compile(r"^[a-z_]+(\[\d+\])?(\.[A-Za-z_]+)*:")
    for data in (
        {"partners": {"A": {"love": 11}}},
        {"observations": [{"eft_stage": 5}]},
        {"track": {"name": "safety", "stage": 1}},
        {"therapist": {"balance": {"calm": 11}}},
    ):
        with pytest.raises(SnapshotError) as caught:
            parse(data)
        assert path.match(str(caught.value)), str(caught.value)


def test_a_snapshot_error_is_a_value_error() -> None:
    assert issubclass(SnapshotError, ValueError)


# --- the documentation stays complete --------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "guidance.md"


def _example() -> dict[str, Any]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"### A complete example.*?```json\n(.*?)```", text, re.S)
    assert block is not None
    data: dict[str, Any] = json.loads(block.group(1))
    return data


def _field_names(cls: type) -> set[str]:
    return {item.name for item in fields(cls)}


def test_the_documented_example_is_a_valid_snapshot_with_every_field() -> None:
    data = _example()
    parse(data)
    assert set(data) == _field_names(Snapshot) | {"comment"}
    latest = data["observations"][-1]
    assert set(latest) == _field_names(Observation)
    assert set(data["therapist"]) == _field_names(Therapist)
    assert set(data["track"]) == _field_names(Track)
    assert set(data["case"]) == _field_names(CaseInfo)
    for slot in ("A", "B"):
        partner = data["partners"][slot]
        assert set(partner) == _field_names(Partner)
        assert set(partner["balance"]) == _field_names(Balance)
        assert set(partner["safety"]) == _field_names(Safety)
        assert set(partner["health"]) == _field_names(Health)
        assert set(data["diary"][slot]) == _field_names(Diary)


def test_every_field_has_a_row_in_the_documentation() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)`", text, re.M))
    documented |= {"motivation_a", "motivation_b"}  # documented together in one row
    for cls in (Partner, Safety, Health, Diary, Observation, Therapist, Track, CaseInfo):
        missing = _field_names(cls) - documented
        assert not missing, f"{cls.__name__}: {missing}"
    assert {"self", "calm", "grounded", "endurance"} <= set(re.findall(r"`([a-z]+)`", text))


# --- issue 13: the fields the formulation, the safety rule and the precedence need -----------


def test_the_new_fields_are_read() -> None:
    snapshot = parse(
        {
            "case": {"kind": "individual"},
            "partners": {"A": {"health": {"illness": "yes", "linked_to_sex": "unsure"}}},
            "observations": [
                {"partner_left_by": "both", "destructive_claim_by": "none", "claim_complied": False}
            ],
            "track": {
                "name": "differentiation",
                "switched_for": ["diff.switch.comfort-zone"],
                "since": "2025-02-03",
            },
        }
    )
    assert snapshot.case == CaseInfo(kind="individual")
    assert snapshot.partner("A").health.linked_to_sex == "unsure"
    latest = snapshot.latest
    assert (latest.partner_left_by, latest.destructive_claim_by, latest.claim_complied) == (
        "both",
        "none",
        False,
    )
    assert snapshot.track == Track(
        name="differentiation", switched_for=("diff.switch.comfort-zone",), since="2025-02-03"
    )
    assert snapshot.slots == ("A",) and snapshot.individual


def test_the_new_fields_are_optional() -> None:
    snapshot = parse({})
    assert snapshot.case == CaseInfo() and snapshot.track.switched_for == ()
    assert snapshot.slots == () and not snapshot.individual
    assert parse({"partners": {"B": {}}}).slots == ("B",)
    assert parse({"case": {"kind": "couple"}}).slots == ("A", "B")
    assert parse({"track": {"name": "individual"}}).individual


@pytest.mark.parametrize("bad", ["diff.switch.comfort-zone", [1], [""], {"a": 1}])
def test_switched_for_must_be_a_list_of_signal_ids(bad: Any) -> None:
    refused({"track": {"name": "differentiation", "switched_for": bad}}, "track.switched_for")


def test_a_safety_part_counts_as_answered_with_any_answer() -> None:
    assert not Safety().answered
    assert Safety(fear="no").answered and Safety(hits_total=4).answered


def test_the_eft_stage_falls_back_to_the_last_one_noted() -> None:
    notes = {"observations": [{"eft_stage": 2}, {}]}
    assert parse(notes).eft_stage == 2
    assert parse({**notes, "track": {"name": "eft"}}).eft_stage == 2
    assert parse({**notes, "track": {"name": "eft", "stage": 1}}).eft_stage == 1
    assert parse({**notes, "track": {"name": "differentiation"}}).eft_stage is None
