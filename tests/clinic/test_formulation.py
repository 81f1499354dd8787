"""The case formulation: findings folded from the session notes, remembered until changed.

What is tested comes from issue 13 ("a case formulation that remembers"): each
finding is present, gone or unknown; it carries the date and the place of the
note that last confirmed it; a blank in a later note changes nothing; and
missing stays unknown, never "no".
"""

from __future__ import annotations

from typing import Any

import pytest

from dyade.clinic.formulation import GONE, PRESENT, SPECS, UNKNOWN, formulation, last_noted
from dyade.clinic.guidance import RULES_BY_ID
from dyade.clinic.snapshot import Observation, parse

Data = dict[str, Any]
FINDINGS = [
    "partner_left",
    "goals_diverge",
    "hidden_agenda",
    "love_not_found",
    "destructive_claim",
    "claim_complied",
    "powerlessness",
    "connection_not_in_daily_life",
    "approval_dependence",
    "comfort_zone",
    "switched_for",
]
FLAGS = {
    "goals_diverge": "goals_diverge",
    "hidden_agenda": "hidden_agenda",
    "powerlessness": "powerlessness",
    "connection_not_in_daily_life": "connection_not_in_daily_life",
    "approval_dependence": "approval_dependence",
    "comfort_zone": "comfort_zone_routine",
    "claim_complied": "claim_complied",
}


def form(*notes: Data, **snapshot: Any) -> Any:
    return formulation(parse({"observations": list(notes), **snapshot}))


def test_the_formulation_has_every_finding_of_the_issue_in_order() -> None:
    assert [finding.id for finding in form()] == FINDINGS
    for spec in SPECS:
        assert spec.field in Observation.__dataclass_fields__, spec.field


def test_without_notes_everything_is_unknown() -> None:
    for finding in form():
        assert finding.state == UNKNOWN
        assert (finding.value, finding.date, finding.index, finding.since) == (None,) * 4
    assert form({"date": "2024-01-01"})["goals_diverge"].state == UNKNOWN


@pytest.mark.parametrize(("finding", "field"), FLAGS.items())
def test_a_flag_holds_until_a_later_note_changes_it(finding: str, field: str) -> None:
    notes = [
        {"date": "2024-01-08", field: True},
        {"date": "2024-01-22"},  # a blank: nothing changes
        {"date": "2024-02-05", "escalation": False},
    ]
    held = form(*notes)[finding]
    assert (held.state, held.value, held.date, held.index) == (PRESENT, True, "2024-01-08", 0)
    notes.append({"date": "2024-02-19", field: False})
    gone = form(*notes)[finding]
    assert (gone.state, gone.value, gone.date, gone.index) == (GONE, False, "2024-02-19", 3)


def test_confirming_a_finding_again_moves_its_date_but_not_its_start() -> None:
    found = form(
        {"date": "2024-01-08", "powerlessness": True},
        {"date": "2024-01-22", "powerlessness": True},
        {"date": "2024-02-05"},
    )["powerlessness"]
    assert (found.date, found.index, found.since) == ("2024-01-22", 1, "2024-01-08")
    changed = form(
        {"date": "2024-01-08", "powerlessness": True},
        {"date": "2024-01-22", "powerlessness": False},
    )["powerlessness"]
    assert changed.since == "2024-01-22"


def test_the_love_finding_is_that_the_therapist_cannot_find_it() -> None:
    assert form({"love_felt": False})["love_not_found"].state == PRESENT
    assert form({"love_felt": True})["love_not_found"].state == GONE
    assert form({"love_felt": False}, {"love_felt": True})["love_not_found"].gone


@pytest.mark.parametrize(
    ("finding", "field"),
    [("partner_left", "partner_left_by"), ("destructive_claim", "destructive_claim_by")],
)
def test_who_is_remembered_and_none_means_gone(finding: str, field: str) -> None:
    for who in ("A", "B", "both"):
        found = form({"date": "2024-03-04", field: who}, {})[finding]
        assert (found.state, found.value, found.date) == (PRESENT, who, "2024-03-04")
    gone = form({field: "A"}, {field: "none"})[finding]
    assert (gone.state, gone.value) == (GONE, "none")
    # a different partner is a new run of the finding
    other = form({"date": "d1", field: "A"}, {"date": "d2", field: "B"})[finding]
    assert (other.value, other.since) == ("B", "d2")


def test_going_along_with_a_claim_ends_with_the_claim() -> None:
    notes: list[Data] = [{"destructive_claim_by": "A", "claim_complied": True}]
    assert form(*notes)["claim_complied"].present
    notes.append({"destructive_claim_by": "none"})
    assert form(*notes)["claim_complied"].state == UNKNOWN
    # unless the same note says otherwise
    notes.append({"destructive_claim_by": "none", "claim_complied": False})
    assert form(*notes)["claim_complied"].gone


def test_why_the_case_switched_comes_from_the_track() -> None:
    track = {
        "name": "differentiation",
        "since": "2024-04-01",
        "switched_for": ["diff.switch.comfort-zone"],
    }
    found = form(track=track)["switched_for"]
    assert (found.state, found.value, found.date) == (
        PRESENT,
        ("diff.switch.comfort-zone",),
        "2024-04-01",
    )
    assert found.as_json()["value"] == ["diff.switch.comfort-zone"]
    assert form(track={"name": "differentiation"})["switched_for"].state == UNKNOWN


def test_as_json_for_the_observation_form() -> None:
    data = form({"date": "2024-01-08", "goals_diverge": True}).as_json()
    assert [item["id"] for item in data] == FINDINGS
    goals = data[1]
    assert goals == {
        "id": "goals_diverge",
        "field": "goals_diverge",
        "state": "present",
        "value": True,
        "date": "2024-01-08",
        "index": 0,
        "since": "2024-01-08",
    }


def test_last_noted() -> None:
    snapshot = parse({"observations": [{"motivation_a": 4}, {"motivation_a": 7}, {}]})
    assert last_noted(snapshot, "motivation_a") == (7, 1)
    assert last_noted(snapshot, "motivation_b") == (None, None)


# --- the rules read the formulation, not only the latest session ---------------------------

EFT = {"name": "eft"}


@pytest.mark.parametrize(
    ("rule", "note", "track"),
    [
        ("eft.contra.goals", {"goals_diverge": True}, None),
        ("eft.contra.detachment", {"partner_left_by": "B"}, None),
        ("eft.stop.hidden-agenda", {"hidden_agenda": True}, EFT),
        ("eft.stop.hidden-agenda", {"love_felt": False}, EFT),
        ("eft.stop.destructive-claim", {"destructive_claim_by": "A"}, EFT),
        ("diff.switch.comfort-zone", {"comfort_zone_routine": True}, EFT),
        (
            "diff.switch.approval-dependence",
            {"connection_not_in_daily_life": True, "approval_dependence": True},
            EFT,
        ),
        ("diff.switch.powerlessness", {"powerlessness": True, "eft_stage": 2}, EFT),
    ],
)
def test_a_finding_from_an_earlier_session_still_fires_its_rule(
    rule: str, note: Data, track: Data | None
) -> None:
    data: Data = {"observations": [note, {"date": "later"}]}
    if track is not None:
        data["track"] = track
    assert RULES_BY_ID[rule](parse(data)) is not None
    # and stops once noted otherwise
    undone = {
        key: (False if isinstance(value, bool) else "none")
        for key, value in note.items()
        if key != "eft_stage"
    }
    if "love_felt" in undone:
        undone["love_felt"] = True
    data["observations"].append(undone)
    assert RULES_BY_ID[rule](parse(data)) is None


def test_a_missing_value_is_never_read_as_no() -> None:
    # nothing noted about the goals: the contraindication is silent, and so is the
    # return to EFT, which needs a reason recorded as gone
    snapshot = parse(
        {"observations": [{"emotional_safety": True}], "track": {"name": "differentiation"}}
    )
    assert formulation(snapshot)["goals_diverge"].state == UNKNOWN
    assert RULES_BY_ID["eft.contra.goals"](snapshot) is None
    assert RULES_BY_ID["eft.return"](snapshot) is None
