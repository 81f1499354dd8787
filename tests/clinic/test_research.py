"""The research export's tables and codebook (pure, no database).

Every expectation below is written out by hand from the small diary study in
``ROWS``, not taken from the code's own output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping

import pandas as pd
import pytest

from dyade.clinic import research
from dyade.clinic.diary import FIELDS
from dyade.clinic.research import DiaryRow, build, pseudonym

COUPLE = "D1111111111"
SINGLE = "D2222222222"  # an individual case: only role A


def stored(**values: object) -> dict[str, object]:
    """A complete stored entry: the required fields, optional ones empty unless given."""
    base: dict[str, object] = {
        "closeness": 5,
        "feeling_seen": 5,
        "stress": 5,
        "desire": 5,
        "sexual_contact": False,
        "conflict": False,
        "note": "",
        "note_visibility": "private",
        "contact_kind": "",
        "initiator": "",
        "bid_answer": "",
        "sexual_satisfaction": None,
        "motive": "",
        "perceived_desire": None,
        "perceived_mood": None,
    }
    base.update(values)
    return base


# B starts a day before A, so the couple's day 0 is B's first entry.
ROWS = (
    DiaryRow(
        COUPLE,
        "A",
        dt.date(2026, 3, 2),  # a Monday
        stored(
            closeness=7,
            feeling_seen=6,
            stress=1,
            desire=9,
            sexual_contact=True,
            contact_kind="intercourse",
            initiator="partner",
            bid_answer="accepted",
            sexual_satisfaction=8,
            motive="avoid-fight",
            perceived_desire=5,
            perceived_mood=7,
        ),
    ),
    DiaryRow(
        COUPLE,
        "B",
        dt.date(2026, 3, 1),  # a Sunday
        stored(
            closeness=4,
            feeling_seen=3,
            stress=8,
            desire=2,
            conflict=True,
            note="B wrote first",
            note_visibility="shared",
            bid_answer="declined",
            perceived_desire=6,
        ),
    ),
    DiaryRow(
        COUPLE,
        "B",
        dt.date(2026, 3, 2),
        stored(
            closeness=6,
            feeling_seen=5,
            stress=2,
            desire=4,
            sexual_contact=True,
            note="B again",
            contact_kind="touch",
            initiator="me",
            bid_answer="loving-boundary",
            sexual_satisfaction=10,
            motive="closeness",
            perceived_desire=9,
            perceived_mood=0,
        ),
    ),
    DiaryRow(COUPLE, "A", dt.date(2026, 3, 10), stored(closeness=0, bid_answer="no-bid")),  # Tue
    DiaryRow(SINGLE, "A", dt.date(2026, 2, 27), stored(closeness=3)),  # a Friday
)
DATES = {row.date for row in ROWS}
VARIABLES = [
    "closeness",
    "feeling_seen",
    "stress",
    "desire",
    "sexual_contact",
    "conflict",
    "contact_kind",
    "initiator",
    "bid_answer",
    "sexual_satisfaction",
    "motive",
    "perceived_desire",
    "perceived_mood",
]


def _cells(frame: pd.DataFrame, columns: list[str]) -> list[tuple[object, ...]]:
    """The rows of ``frame`` as tuples of plain values, ``None`` for missing."""
    return [
        tuple(None if pd.isna(value) else value for value in row)
        for row in frame[columns].itertuples(index=False)
    ]


@pytest.fixture(scope="module")
def dataset() -> research.Dataset:
    return build(ROWS, free_text=True)


# -- The three files ------------------------------------------------------------------


def test_long_has_one_row_per_entry_sorted_by_dyad_day_and_role(dataset: research.Dataset) -> None:
    assert list(dataset.long.columns) == [
        "dyad",
        "person",
        "role",
        "day",
        "weekday",
        "closeness",
        "feeling_seen",
        "stress",
        "desire",
        "sexual_contact",
        "conflict",
        "note",
        "contact_kind",
        "initiator",
        "bid_answer",
        "sexual_satisfaction",
        "motive",
        "perceived_desire",
        "perceived_mood",
    ]
    assert _cells(dataset.long, ["dyad", "person", "role", "day", "weekday"]) == [
        (COUPLE, f"{COUPLE}-B", "B", 0, 7),
        (COUPLE, f"{COUPLE}-A", "A", 1, 1),
        (COUPLE, f"{COUPLE}-B", "B", 1, 1),
        (COUPLE, f"{COUPLE}-A", "A", 9, 2),
        (SINGLE, f"{SINGLE}-A", "A", 0, 5),
    ]
    assert list(dataset.long.index) == [0, 1, 2, 3, 4]


def test_long_encodes_ratings_yes_no_and_choices(dataset: research.Dataset) -> None:
    assert _cells(dataset.long, VARIABLES)[1] == (7, 6, 1, 9, 1, 0, 3, 2, 2, 8, 3, 5, 7)
    assert _cells(dataset.long, VARIABLES)[2] == (6, 5, 2, 4, 1, 0, 2, 1, 3, 10, 1, 9, 0)
    # a day without contact: yes/no as 0/1, empty choices and ratings missing
    assert _cells(dataset.long, VARIABLES)[0] == (
        4,
        3,
        8,
        2,
        0,
        1,
        None,
        None,
        4,
        None,
        None,
        6,
        None,
    )
    assert _cells(dataset.long, ["bid_answer"])[3] == (1,)  # no bid
    for name in VARIABLES:
        assert str(dataset.long[name].dtype) == "Int64"


def test_pairwise_puts_the_partners_value_of_the_same_day_next_to_ones_own(
    dataset: research.Dataset,
) -> None:
    columns = ["person", "day", "weekday", "closeness", "closeness_p", "bid_answer", "bid_answer_p"]
    assert _cells(dataset.pairwise, columns) == [
        # day 0: only B wrote, A still gets a row with their own values missing
        (f"{COUPLE}-A", 0, 7, None, 4, None, 4),
        (f"{COUPLE}-B", 0, 7, 4, None, 4, None),
        (f"{COUPLE}-A", 1, 1, 7, 6, 2, 3),
        (f"{COUPLE}-B", 1, 1, 6, 7, 3, 2),
        (f"{COUPLE}-A", 9, 2, 0, None, 1, None),
        (f"{COUPLE}-B", 9, 2, None, 0, None, 1),
        # the individual case: its one role only, the partner's columns empty
        (f"{SINGLE}-A", 0, 5, 3, None, None, None),
    ]
    day_one = _cells(dataset.pairwise, [f"{name}_p" for name in VARIABLES])[2:4]
    assert day_one == [
        (6, 5, 2, 4, 1, 0, 2, 1, 3, 10, 1, 9, 0),  # A's row: B's answers
        (7, 6, 1, 9, 1, 0, 3, 2, 2, 8, 3, 5, 7),  # B's row: A's answers
    ]


def test_every_partner_column_holds_the_other_roles_own_value(dataset: research.Dataset) -> None:
    own: dict[tuple[str, int, str], Mapping[str, object]] = {}
    for _, row in dataset.pairwise.iterrows():
        own[(row["dyad"], row["day"], row["role"])] = row
    checked = 0
    for (dyad, day, role), row in own.items():
        other = own.get((dyad, day, "B" if role == "A" else "A"))
        for name in VARIABLES:
            expected = None if other is None else other[name]
            got = row[f"{name}_p"]
            if expected is None or pd.isna(expected):
                assert pd.isna(got), (dyad, day, role, name)
            else:
                assert got == expected, (dyad, day, role, name)
                checked += 1
    assert checked > 20


def test_pairwise_columns_are_ids_own_variables_then_partner_variables(
    dataset: research.Dataset,
) -> None:
    assert list(dataset.pairwise.columns) == [
        "dyad",
        "person",
        "role",
        "day",
        "weekday",
        *VARIABLES,
        *(f"{name}_p" for name in VARIABLES),
    ]


def test_dyad_has_one_row_per_dyad_day_with_both_partners(dataset: research.Dataset) -> None:
    assert list(dataset.dyad.columns) == [
        "dyad",
        "day",
        "weekday",
        *(f"{name}_{role}" for name in VARIABLES for role in ("A", "B")),
    ]
    columns = ["dyad", "day", "weekday", "closeness_A", "closeness_B", "motive_A", "motive_B"]
    assert _cells(dataset.dyad, columns) == [
        (COUPLE, 0, 7, None, 4, None, None),
        (COUPLE, 1, 1, 7, 6, 3, 1),
        (COUPLE, 9, 2, 0, None, None, None),
        (SINGLE, 0, 5, 3, None, None, None),
    ]


def test_the_order_of_the_rows_given_does_not_matter(dataset: research.Dataset) -> None:
    shuffled = build(reversed(ROWS), free_text=True)
    pd.testing.assert_frame_equal(shuffled.long, dataset.long)
    pd.testing.assert_frame_equal(shuffled.pairwise, dataset.pairwise)
    pd.testing.assert_frame_equal(shuffled.dyad, dataset.dyad)


def test_counts(dataset: research.Dataset) -> None:
    assert (dataset.n_dyads, dataset.n_persons) == (2, 3)


# -- No calendar dates ------------------------------------------------------------------


def test_no_date_column_and_no_date_anywhere(dataset: research.Dataset) -> None:
    spelled = {date.isoformat() for date in DATES} | {str(date) for date in DATES}
    for frame in (dataset.long, dataset.pairwise, dataset.dyad):
        for column in frame.columns:
            assert not pd.api.types.is_datetime64_any_dtype(frame[column]), column
            assert "date" not in column
            for value in frame[column]:
                assert not isinstance(value, dt.date)
                assert str(value) not in spelled
        assert not any(date in frame.to_csv() for date in spelled)


def test_day_counts_from_the_couples_own_first_entry() -> None:
    rows = [
        DiaryRow("DX", "A", dt.date(2025, 12, 30), stored()),  # a Tuesday
        DiaryRow("DX", "A", dt.date(2026, 1, 4), stored()),  # a Sunday, across the new year
        DiaryRow("DY", "B", dt.date(2026, 1, 3), stored()),  # a Saturday, its own day 0
    ]
    long = build(rows, free_text=False).long
    assert _cells(long, ["dyad", "day", "weekday"]) == [("DX", 0, 2), ("DX", 5, 7), ("DY", 0, 6)]


# -- The note -------------------------------------------------------------------------------


def test_the_note_only_with_free_text_and_only_in_long(dataset: research.Dataset) -> None:
    assert _cells(dataset.long, ["person", "note"]) == [
        (f"{COUPLE}-B", "B wrote first"),
        (f"{COUPLE}-A", None),
        (f"{COUPLE}-B", "B again"),
        (f"{COUPLE}-A", None),
        (f"{SINGLE}-A", None),
    ]
    for frame in (dataset.pairwise, dataset.dyad):
        assert not [column for column in frame.columns if column.startswith("note")]
    assert [v.files for v in dataset.codebook if v.name.startswith("note")] == [("long",)]


def test_without_free_text_no_note_at_all() -> None:
    dataset = build(ROWS, free_text=False)
    for frame in (dataset.long, dataset.pairwise, dataset.dyad):
        assert not [column for column in frame.columns if column.startswith("note")]
        assert "B wrote first" not in frame.to_csv()
    assert not [v for v in dataset.codebook if v.name.startswith("note")]


# -- Refusals -------------------------------------------------------------------------------


def test_an_unknown_field_is_refused_by_name() -> None:
    row = DiaryRow("DX", "A", dt.date(2026, 1, 1), stored(safety_flag=True))
    with pytest.raises(ValueError, match="safety_flag"):
        build([row], free_text=False)


def test_two_entries_of_one_person_on_one_day_are_refused() -> None:
    rows = [
        DiaryRow("DX", "A", dt.date(2026, 1, 1), stored()),
        DiaryRow("DX", "B", dt.date(2026, 1, 1), stored()),
        DiaryRow("DX", "A", dt.date(2026, 1, 1), stored(closeness=1)),
    ]
    with pytest.raises(ValueError, match="two diary rows"):
        build(rows, free_text=False)


@pytest.mark.parametrize("role", ["C", "a", "", "AB"])
def test_a_role_other_than_a_or_b_is_refused(role: str) -> None:
    with pytest.raises(ValueError, match="role"):
        build([DiaryRow("DX", role, dt.date(2026, 1, 1), stored())], free_text=False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("closeness", 11),
        ("closeness", -1),
        ("closeness", True),
        ("closeness", "7"),
        ("sexual_contact", 1),
        ("bid_answer", "maybe"),
        ("motive", "Closeness"),
    ],
)
def test_a_value_that_cannot_be_encoded_is_refused(name: str, value: object) -> None:
    row = DiaryRow("DX", "A", dt.date(2026, 1, 1), stored(**{name: value}))
    with pytest.raises(ValueError, match=name):
        build([row], free_text=False)


def test_no_rows_give_empty_tables_with_all_columns(dataset: research.Dataset) -> None:
    empty = build([], free_text=True)
    assert (empty.n_dyads, empty.n_persons) == (0, 0)
    for got, full in zip(
        (empty.long, empty.pairwise, empty.dyad),
        (dataset.long, dataset.pairwise, dataset.dyad),
        strict=True,
    ):
        assert len(got) == 0
        assert list(got.columns) == list(full.columns)
        assert got.dtypes.to_dict() == full.dtypes.to_dict()
    assert empty.codebook == dataset.codebook


# -- Pseudonyms -----------------------------------------------------------------------------


def test_pseudonym_is_a_keyed_hash() -> None:
    expected = hmac.new(b"study-1", b"case-17", hashlib.sha256).hexdigest()[:10].upper()
    assert pseudonym(b"study-1", "case-17") == "D" + expected
    assert pseudonym(b"study-1", "case-17", prefix="P") == "P" + expected


def test_pseudonym_is_stable_per_study_and_unlinkable_across_studies() -> None:
    first = pseudonym(b"study-1", "case-17")
    assert re.fullmatch(r"D[0-9A-F]{10}", first)
    assert pseudonym(b"study-1", "case-17") == first
    assert pseudonym(b"study-2", "case-17") != first
    assert pseudonym(b"study-1", "case-18") != first
    assert "case-17" not in first


# -- Codebook -------------------------------------------------------------------------------


def test_the_codebook_has_a_line_for_every_column_and_no_other(dataset: research.Dataset) -> None:
    names = [variable.name for variable in dataset.codebook]
    assert len(names) == len(set(names))
    # The fourth file, sessions, is made apart from the diary's three (its columns are
    # the layout's); a column in both is listed with all the files that hold it.
    session_columns = research.layout(free_text=True).sessions  # as the fixture
    files = {"long": dataset.long, "pairwise": dataset.pairwise, "dyad": dataset.dyad}
    in_files = {
        column: tuple(name for name, frame in files.items() if column in frame.columns)
        + (("sessions",) if column in session_columns else ())
        for frame in [*files.values(), pd.DataFrame(columns=list(session_columns))]
        for column in frame.columns
    }
    assert set(names) == set(in_files)
    for variable in dataset.codebook:
        assert variable.files == in_files[variable.name], variable.name
        assert variable.label_en and variable.label_nl
        assert variable.label_en != variable.label_nl
        assert variable.type in {"string", "numeric"}
        assert variable.measure in {"nominal", "ordinal", "scale"}
        if variable.files == ("sessions",):
            continue  # the sessions file is not part of the in-memory dataset
        frame = files[variable.files[0]]
        is_text = pd.api.types.is_string_dtype(frame[variable.name])
        assert (variable.type == "string") == is_text, variable.name


def test_every_diary_field_but_the_note_appears_four_times(dataset: research.Dataset) -> None:
    names = {variable.name for variable in dataset.codebook}
    for field in FIELDS:
        if field.name == "note":
            continue
        assert {field.name, f"{field.name}_p", f"{field.name}_A", f"{field.name}_B"} <= names
    assert "note_visibility" not in names


def test_codebook_labels_and_values(dataset: research.Dataset) -> None:
    by_name = {variable.name: variable for variable in dataset.codebook}
    assert by_name["bid_answer"].value_labels("en") == {
        1: "no bid",
        2: "accepted",
        3: "loving boundary",
        4: "declined",
    }
    assert by_name["bid_answer_B"].value_labels("nl")[1] == "geen toenadering"
    assert by_name["sexual_contact_p"].value_labels("nl") == {0: "nee", 1: "ja"}
    assert by_name["weekday"].value_labels("en")[1] == "Monday"
    assert by_name["weekday"].value_labels("nl")[7] == "zondag"
    assert [code for code, _, _ in by_name["motive"].values] == [1, 2, 3, 4, 5]
    assert by_name["desire_p"].label("en").endswith("(partner)")
    assert by_name["desire_A"].label("nl").endswith("(partner A)")
    assert by_name["desire"].label("nl").startswith("Seksueel verlangen")
    assert "gender" in by_name["role"].label("en")
    assert by_name["closeness"].measure == "scale"
    assert by_name["initiator"].measure == "nominal"
    with pytest.raises(ValueError, match="language"):
        by_name["desire"].label("de")


def test_missing_texts_follow_the_diary_rules(dataset: research.Dataset) -> None:
    by_name = {variable.name: variable for variable in dataset.codebook}
    for name in ("contact_kind", "initiator", "sexual_satisfaction", "motive"):
        assert "no sexual contact" in by_name[name].missing_en
        assert "geen seksueel contact" in by_name[f"{name}_p"].missing_nl
        assert "switched off" in by_name[f"{name}_A"].missing_en
    for name in ("bid_answer", "perceived_desire", "perceived_mood"):
        assert "switched off" in by_name[name].missing_en
        assert "sexual contact" not in by_name[name].missing_en
    assert "switched off" not in by_name["closeness"].missing_en
    assert "Never empty in long" in by_name["closeness"].missing_en
    assert "partner wrote no diary" in by_name["closeness_p"].missing_en
    assert "partner B" in by_name["stress_B"].missing_en
    assert by_name["dyad"].missing_en == ""
