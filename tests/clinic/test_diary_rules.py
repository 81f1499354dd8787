"""Diary rules: fields and their visibility, the edit window, rating bounds (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyade.clinic import diary
from dyade.clinic.visibility import Visibility

TODAY = dt.date(2026, 11, 21)


def test_the_issue_fields_are_all_there() -> None:
    assert [f.name for f in diary.FIELDS] == [
        "closeness",
        "feeling_seen",
        "stress",
        "desire",
        "sexual_contact",
        "conflict",
        "note",
        # issue 6: around sex, and how one reads the partner (optional per case)
        "contact_kind",
        "initiator",
        "bid_answer",
        "sexual_satisfaction",
        "motive",
        "perceived_desire",
        "perceived_mood",
    ]


def test_how_one_reads_the_partner_and_why_one_had_sex_stay_private() -> None:
    for name in ("motive", "sexual_satisfaction", "perceived_desire", "perceived_mood"):
        assert diary.FIELDS_BY_NAME[name].visibility is diary.Visibility.PRIVATE
    for name in ("contact_kind", "initiator", "bid_answer"):
        assert diary.FIELDS_BY_NAME[name].visibility is diary.Visibility.SHARED


def test_optional_items_are_checked() -> None:
    assert diary.check_optional({"motive": "closeness"}, sexual_contact=True) == {}
    assert "motive" in diary.check_optional({"motive": "closeness"}, sexual_contact=False)
    assert "motive" in diary.check_optional({"motive": "duty"}, sexual_contact=True)
    assert "perceived_desire" in diary.check_optional(
        {"perceived_desire": 11}, sexual_contact=False
    )
    assert diary.check_optional({"bid_answer": "declined"}, sexual_contact=False) == {}


def test_the_note_is_private_by_default_and_only_the_note_can_be_shared() -> None:
    assert diary.field_visibility("note") is Visibility.PRIVATE
    assert diary.field_visibility("note", Visibility.SHARED) is Visibility.SHARED
    assert [f.name for f in diary.FIELDS if f.author_may_share] == ["note"]


def test_a_partner_cannot_make_the_note_clinical_or_change_other_fields() -> None:
    with pytest.raises(ValueError):
        diary.field_visibility("note", Visibility.CLINICAL)
    assert diary.field_visibility("desire", Visibility.SHARED) is Visibility.PRIVATE


@pytest.mark.parametrize(
    ("days_ago", "editable"), [(-1, False), (0, True), (1, True), (2, False), (30, False)]
)
def test_today_and_yesterday_are_editable(days_ago: int, editable: bool) -> None:
    assert diary.is_editable(TODAY - dt.timedelta(days=days_ago), TODAY) is editable


@given(st.integers(min_value=-1000, max_value=1000))
def test_scale_accepts_exactly_zero_to_ten(value: int) -> None:
    if 0 <= value <= 10:
        assert diary.check_scale(value) == value
    else:
        with pytest.raises(ValueError):
            diary.check_scale(value)


@pytest.mark.parametrize("value", [True, 5.0, "5", None])
def test_scale_refuses_what_is_not_a_whole_number(value: object) -> None:
    with pytest.raises(ValueError):
        diary.check_scale(value)  # type: ignore[arg-type]


def test_streak_counts_back_from_today_or_yesterday() -> None:
    days = {TODAY - dt.timedelta(days=n) for n in (1, 2, 3, 5)}
    assert diary.streak(days, TODAY) == 3
    assert diary.streak(days | {TODAY}, TODAY) == 4
    assert diary.streak(set(), TODAY) == 0
    assert diary.streak({TODAY - dt.timedelta(days=2)}, TODAY) == 0
