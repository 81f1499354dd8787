"""The keys of the CSI-4, FSFI, IIEF-5 and GMSEX against their publications.

Each key is written out here again from the publication (cited per test), not
read from the instrument file, and every item, weight, range, cut-off and band
is checked against it. Scores are worked by hand from the published rules.
"""

from __future__ import annotations

import pytest

from dyade.clinic.instrument_key import Direction
from dyade.clinic.scoring import bands, flags, score_key
from dyade.content import instrument, score_instrument

# --- CSI-4: Funk & Rogge (2007), J Fam Psychol 21(4):572-583 ----------------------------
# Item 1 is answered 0-6, items 2-4 0-5; no reverse items; total = sum, 0-21;
# a total below 13.5 points to relationship distress.


def test_csi4_key_as_published() -> None:
    key = instrument("csi-4")
    assert key.item_count == 4
    assert key.item_range(1) == (0, 6)
    assert [key.item_range(n) for n in (2, 3, 4)] == [(0, 5)] * 3
    assert key.reverse == frozenset()
    assert [(s.id, s.items, s.method.value) for s in key.subscales] == [
        ("total", (1, 2, 3, 4), "sum")
    ]
    assert [(c.subscale, c.below, c.above, c.flag) for c in key.cutoffs] == [
        ("total", 13.5, None, "distress")
    ]
    assert key.change is not None
    assert key.change.direction == Direction.HIGHER_BETTER
    assert key.change.cutoff == 13.5
    # No published SD and reliability could be verified: none ship.
    assert (key.change.sd, key.change.reliability) == (None, None)
    assert not key.key_only


# The authors' wording, as two independent reproductions of their form give it (the psytools
# package's CSI-16 items 1, 5, 7, 10 and the Sparq app's CSI-4): stems and answer words.
CSI4_ENGLISH = {
    1: "Please indicate the degree of happiness, all things considered, of your relationship.",
    2: "I have a warm and comfortable relationship with my partner",
    3: "How rewarding is your relationship with your partner?",
    4: "In general, how satisfied are you with your relationship?",
}
CSI4_ANSWERS_1 = [
    "Extremely Unhappy",
    "Fairly Unhappy",
    "A Little Unhappy",
    "Happy",
    "Very Happy",
    "Extremely Happy",
    "Perfect",
]
CSI4_ANSWERS_2 = [
    "Not at all TRUE",
    "A little TRUE",
    "Somewhat TRUE",
    "Mostly TRUE",
    "Almost Completely TRUE",
    "Completely TRUE",
]
CSI4_ANSWERS_3_4 = [
    "Not at all",
    "A little",
    "Somewhat",
    "Mostly",
    "Almost Completely",
    "Completely",
]


def test_csi4_texts_are_the_authors_and_the_dutch_is_labelled_as_dyades() -> None:
    key = instrument("csi-4")
    questions = {item.number: item for item in key.questions}
    assert {n: q.texts["en"] for n, q in questions.items()} == CSI4_ENGLISH
    expected = {1: CSI4_ANSWERS_1, 2: CSI4_ANSWERS_2, 3: CSI4_ANSWERS_3_4, 4: CSI4_ANSWERS_3_4}
    for number, words in expected.items():
        options = questions[number].options
        assert [o.texts["en"] for o in options] == words, number
        # each answer scores as its position: 0 for the first word
        assert [(o.code, o.value) for o in options] == [(str(v), v) for v in range(len(words))]
        assert all(o.texts["nl"] for o in options)
    assert "Dyade's own translation" in key.descriptions["en"]
    assert "eigen vertaling" in key.descriptions["nl"]
    assert "freely available" in key.licence


def test_csi4_range_is_0_to_21() -> None:
    assert score_instrument("csi-4", {1: 0, 2: 0, 3: 0, 4: 0}) == {"total": 0.0}
    assert score_instrument("csi-4", {1: 6, 2: 5, 3: 5, 4: 5}) == {"total": 21.0}


@pytest.mark.parametrize(
    ("answers", "total", "distress"),
    [
        ({1: 3, 2: 3, 3: 3, 4: 4}, 13.0, True),  # 13 < 13.5
        ({1: 4, 2: 3, 3: 3, 4: 4}, 14.0, False),  # 14 > 13.5
    ],
)
def test_csi4_distress_cutoff(answers: dict[int, int], total: float, distress: bool) -> None:
    key = instrument("csi-4")
    scores = score_key(key, answers)
    assert scores == {"total": total}
    assert ("distress" in flags(key, scores)) is distress


def test_csi4_item_1_takes_6_but_items_2_to_4_do_not() -> None:
    key = instrument("csi-4")
    score_key(key, {1: 6})
    for number in (2, 3, 4):
        with pytest.raises(ValueError, match="outside 0 to 5"):
            score_key(key, {number: 6})
    with pytest.raises(ValueError, match="outside 0 to 6"):
        score_key(key, {1: 7})
    with pytest.raises(ValueError, match="outside"):
        score_key(key, {1: -1})


def test_csi4_needs_all_four_answers() -> None:
    assert score_instrument("csi-4", {1: 3, 2: 3, 3: 3, 4: None}) == {"total": None}
    assert score_instrument("csi-4", {1: 3, 2: 3, 3: 3}) == {"total": None}


@pytest.mark.parametrize(
    "bad", [{5: 1}, {0: 1}, {True: 1}, {"1": 1}, {1: "3"}, {1: 2.5}, {1: True}]
)
def test_csi4_refuses_what_does_not_fit(bad: dict[object, object]) -> None:
    with pytest.raises(ValueError):
        score_instrument("csi-4", bad)  # type: ignore[arg-type]


# --- CSI-16: Funk & Rogge (2007) -------------------------------------------------------------
# Item 1 0-6, items 2-16 0-5, total 0-81, distress below 51.5. Answers are the position from
# the left of the authors' form; item 2 and the semantic differentials 11, 13, 14, 16 print
# the positive end first, so they are reverse-keyed; 12 and 15 print it last.

CSI16_REVERSED = {2, 11, 13, 14, 16}


def _csi16_best() -> dict[int, int | None]:
    best: dict[int, int | None] = {1: 6}
    for number in range(2, 17):
        best[number] = 0 if number in CSI16_REVERSED else 5
    return best


def test_csi16_key_as_published() -> None:
    key = instrument("csi-16")
    assert key.item_count == 16
    assert key.item_range(1) == (0, 6)
    assert [key.item_range(n) for n in range(2, 17)] == [(0, 5)] * 15
    assert key.reverse == frozenset(CSI16_REVERSED)
    assert [(c.subscale, c.below, c.flag) for c in key.cutoffs] == [("total", 51.5, "distress")]
    assert key.change is not None and key.change.cutoff == 51.5
    assert (key.change.sd, key.change.reliability) == (None, None)


def test_csi16_range_and_cutoff() -> None:
    key = instrument("csi-16")
    best = _csi16_best()
    assert score_key(key, best) == {"total": 81.0}
    worst = {n: (5 if n in CSI16_REVERSED else 0) for n in range(2, 17)}
    assert score_key(key, {1: 0, **worst}) == {"total": 0.0}
    # 30 points less than the best: 81 - 30 = 51, below 51.5
    lower = dict(best)
    for number in (3, 4, 5, 6, 7, 8):
        lower[number] = 0
    scores = score_key(key, lower)
    assert scores == {"total": 51.0}
    assert flags(key, scores) == ["distress"]
    lower[3] = 1  # 52: above the cut-off
    assert flags(key, score_key(key, lower)) == []


def test_csi16_reverse_items_count_five_minus_the_position() -> None:
    key = instrument("csi-16")
    best = _csi16_best()
    for number in CSI16_REVERSED:
        moved = dict(best)
        moved[number] = 2  # two positions away from the positive end: 3 points, not 5
        assert score_key(key, moved) == {"total": 79.0}, number
    moved = dict(best)
    moved[12] = 3  # bad-good is not reversed: 3 points
    assert score_key(key, moved) == {"total": 79.0}


# --- FSFI: Rosen et al. (2000), J Sex Marital Ther 26(2):191-208 ---------------------------
# Items 1, 2, 15, 16 are 1-5; the other fifteen 0-5 (0 = no sexual activity).
# Domain = sum x factor; full scale = sum of domains (2-36).
# Cut-off: full scale <= 26.55 (Wiegel, Meston & Rosen 2005, J Sex Marital Ther 31(1):1-20).

FSFI_DOMAINS = {
    "desire": ((1, 2), 0.6, (1.2, 6.0)),
    "arousal": ((3, 4, 5, 6), 0.3, (0.0, 6.0)),
    "lubrication": ((7, 8, 9, 10), 0.3, (0.0, 6.0)),
    "orgasm": ((11, 12, 13), 0.4, (0.0, 6.0)),
    "satisfaction": ((14, 15, 16), 0.4, (0.8, 6.0)),
    "pain": ((17, 18, 19), 0.4, (0.0, 6.0)),
}
FSFI_ONE_TO_FIVE = (1, 2, 15, 16)


def _fsfi_low() -> dict[int, int | None]:
    return {n: (1 if n in FSFI_ONE_TO_FIVE else 0) for n in range(1, 20)}


def test_fsfi_key_as_published() -> None:
    key = instrument("fsfi")
    assert key.item_count == 19
    for number in range(1, 20):
        expected = (1, 5) if number in FSFI_ONE_TO_FIVE else (0, 5)
        assert key.item_range(number) == expected, number
    domains = {s.id: (s.items, s.weight) for s in key.subscales if not s.of}
    assert domains == {name: (items, w) for name, (items, w, _r) in FSFI_DOMAINS.items()}
    total = next(s for s in key.subscales if s.id == "total")
    assert set(total.of) == set(FSFI_DOMAINS)
    assert key.reverse == frozenset()
    assert [(c.subscale, c.below, c.flag) for c in key.cutoffs] == [("total", 26.55, "dysfunction")]


def test_fsfi_domain_and_full_scale_ranges() -> None:
    low = score_instrument("fsfi", _fsfi_low())
    high = score_instrument("fsfi", {n: 5 for n in range(1, 20)})
    for name, (_items, _w, (lowest, highest)) in FSFI_DOMAINS.items():
        assert low[name] == pytest.approx(lowest), name
        assert high[name] == pytest.approx(highest), name
    assert low["total"] == pytest.approx(2.0)
    assert high["total"] == pytest.approx(36.0)


def test_fsfi_worked_example() -> None:
    # Every item 3, except desire 4 and 4 and pain 5, 5, 4:
    # desire 8 x .6 = 4.8; arousal 12 x .3 = 3.6; lubrication 12 x .3 = 3.6;
    # orgasm 9 x .4 = 3.6; satisfaction 9 x .4 = 3.6; pain 14 x .4 = 5.6; total 24.8.
    answers: dict[int, int | None] = {n: 3 for n in range(1, 20)}
    answers.update({1: 4, 2: 4, 17: 5, 18: 5, 19: 4})
    scores = score_instrument("fsfi", answers)
    assert scores == {
        "desire": 4.8,
        "arousal": 3.6,
        "lubrication": 3.6,
        "orgasm": 3.6,
        "satisfaction": 3.6,
        "pain": 5.6,
        "total": 24.8,
    }
    assert flags(instrument("fsfi"), scores) == ["dysfunction"]


def test_fsfi_cutoff_either_side() -> None:
    key = instrument("fsfi")
    # all 4s and 5s: desire (5+5)*.6 = 6, arousal 16*.3 = 4.8, lubrication 4.8,
    # orgasm 12*.4 = 4.8, satisfaction 12*.4 = 4.8, pain 12*.4 = 4.8: 30.0
    answers: dict[int, int | None] = {n: 4 for n in range(1, 20)}
    answers.update({1: 5, 2: 5})
    assert score_key(key, answers)["total"] == pytest.approx(30.0)
    assert flags(key, score_key(key, answers)) == []
    # arousal answered 1, 1, 1, 1: 4 x .3 = 1.2, so the total is 30 - 4.8 + 1.2 = 26.4
    answers.update({3: 1, 4: 1, 5: 1, 6: 1})
    scores = score_key(key, answers)
    assert scores["total"] == pytest.approx(26.4)
    assert flags(key, scores) == ["dysfunction"]
    answers.update({3: 2})  # arousal 5 x .3 = 1.5: total 26.7
    scores = score_key(key, answers)
    assert scores["total"] == pytest.approx(26.7)
    assert flags(key, scores) == []


def test_fsfi_zero_means_no_activity_and_counts_as_zero() -> None:
    answers = {n: 5 for n in range(1, 20)}
    answers.update({17: 0, 18: 0, 19: 0})  # did not attempt intercourse
    scores = score_instrument("fsfi", dict(answers))
    assert scores["pain"] == 0.0
    assert scores["total"] == pytest.approx(30.0)


def test_fsfi_zero_is_refused_where_the_item_has_no_zero() -> None:
    key = instrument("fsfi")
    for number in FSFI_ONE_TO_FIVE:
        with pytest.raises(ValueError, match="outside 1 to 5"):
            score_key(key, {number: 0})
    with pytest.raises(ValueError, match="outside 0 to 5"):
        score_key(key, {3: 6})


def test_fsfi_a_missing_item_leaves_its_domain_and_the_total_unscored() -> None:
    answers = {n: 4 for n in range(1, 20)}
    answers_with_gap: dict[int, int | None] = dict(answers)
    answers_with_gap[12] = None
    scores = score_instrument("fsfi", answers_with_gap)
    assert scores["orgasm"] is None
    assert scores["total"] is None
    assert scores["desire"] == pytest.approx(4.8)


# --- IIEF-5: Rosen et al. (1999), Int J Impot Res 11(6):319-326 ------------------------------
# Five items 1-5, total 5-25; bands 22-25 none, 17-21 mild, 12-16 mild to moderate,
# 8-11 moderate, 5-7 severe.

IIEF_BANDS = [
    (5, "severe"),
    (7, "severe"),
    (8, "moderate"),
    (11, "moderate"),
    (12, "mild-to-moderate"),
    (16, "mild-to-moderate"),
    (17, "mild"),
    (21, "mild"),
    (22, "none"),
    (25, "none"),
]


def _iief_answers(total: int) -> dict[int, int | None]:
    """Five answers 1-5 that add up to ``total``."""
    answers: dict[int, int | None] = {}
    rest = total
    for number in range(1, 6):
        left = 5 - number  # items still to fill after this one
        value = min(5, rest - left)
        answers[number] = value
        rest -= value
    assert rest == 0
    return answers


@pytest.mark.parametrize(("total", "band"), IIEF_BANDS)
def test_iief5_bands_at_every_edge(total: int, band: str) -> None:
    key = instrument("iief-5")
    scores = score_key(key, _iief_answers(total))
    assert scores == {"total": float(total)}
    assert bands(key, scores) == {"total": band}


def test_iief5_key_as_published() -> None:
    key = instrument("iief-5")
    assert key.item_count == 5
    assert [key.item_range(n) for n in range(1, 6)] == [(1, 5)] * 5
    assert key.reverse == frozenset()
    with pytest.raises(ValueError, match="outside 1 to 5"):
        score_key(key, {2: 0})
    assert score_key(key, {1: 5, 2: 5, 3: 5, 4: 5}) == {"total": None}


# --- GMSEX: Lawrance & Byers (1995), Personal Relationships 2(4):267-285 --------------------
# Five 7-point bipolar scales; total = sum, 5-35; higher is more satisfied.


def test_gmsex_key_as_published() -> None:
    key = instrument("gmsex")
    assert key.item_count == 5
    assert [key.item_range(n) for n in range(1, 6)] == [(1, 7)] * 5
    assert score_instrument("gmsex", {n: 1 for n in range(1, 6)}) == {"total": 5.0}
    assert score_instrument("gmsex", {n: 7 for n in range(1, 6)}) == {"total": 35.0}
    assert score_instrument("gmsex", {1: 6, 2: 5, 3: 7, 4: 4, 5: 6}) == {"total": 28.0}
    assert score_instrument("gmsex", {1: 6, 2: 5, 3: 7, 4: 4}) == {"total": None}
    with pytest.raises(ValueError, match="outside 1 to 7"):
        score_instrument("gmsex", {1: 8})


def test_every_new_key_names_its_source_and_licence() -> None:
    for instrument_id in ("csi-4", "csi-16", "fsfi", "iief-5", "gmsex"):
        key = instrument(instrument_id)
        assert key.kind == "validated"
        assert key.key_only == (instrument_id != "csi-4")
        assert key.source and key.licence
