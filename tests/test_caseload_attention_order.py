"""The stored number keeps the caseload's order by attention exactly (no database).

The order itself is Dyade's own judgement (``dyade.clinic.caseload``); these tests
only hold that one whole number sorts cases as ``Attention.rank()`` does, with
closed and never-worked-out cases below every open case worked out.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dyade.clinic import attention_order
from dyade.clinic.caseload import PRIORITY, Attention

KINDS = [*PRIORITY, "unheard-of"]

attentions = st.builds(
    Attention,
    safety=st.booleans(),
    signal_kinds=st.lists(st.sampled_from(KINDS), max_size=30).map(tuple),
    progress=st.sampled_from(["", "deteriorated", "not_on_track"]),
    questionnaires_waiting=st.integers(min_value=0, max_value=999),
    no_diary_this_week=st.booleans(),
)


@given(attentions, attentions)
def test_the_number_sorts_as_the_rank_does(a: Attention, b: Attention) -> None:
    stored_a = attention_order.stored(a, is_open=True)
    stored_b = attention_order.stored(b, is_open=True)
    # rank(): smaller needs attention sooner; stored(): larger needs attention sooner.
    assert (a.rank() < b.rank()) == (stored_a > stored_b)
    assert (a.rank() == b.rank()) == (stored_a == stored_b)


@given(attentions)
def test_open_cases_sit_above_never_worked_out_and_closed_ones(a: Attention) -> None:
    number = attention_order.stored(a, is_open=True)
    assert attention_order.CLOSED < attention_order.UNKNOWN < number < attention_order.HIGHEST
    assert attention_order.stored(a, is_open=False) == attention_order.CLOSED


def test_the_steps_in_the_order_the_caseload_documents() -> None:
    # dyade.clinic.caseload: safety first; then the most urgent open signal; then a
    # course that goes the wrong way; then a diary that stopped; nothing open last.
    ladder = [
        Attention(safety=True),
        Attention(signal_kinds=("contraindication",)),
        Attention(signal_kinds=("stop",)),
        Attention(signal_kinds=("switch",)),
        Attention(signal_kinds=("indication",)),
        Attention(signal_kinds=("sex",)),
        Attention(progress="deteriorated"),
        Attention(progress="not_on_track"),
        Attention(signal_kinds=("unheard-of",)),  # an unknown kind: after known ones
        Attention(no_diary_this_week=True),
        Attention(),
    ]
    numbers = [attention_order.stored(a, is_open=True) for a in ladder]
    assert numbers == sorted(numbers, reverse=True)
    assert len(set(numbers)) == len(numbers)


def test_within_a_step_more_signals_then_more_questionnaires_come_first() -> None:
    one = Attention(signal_kinds=("sex",), questionnaires_waiting=5)
    two = Attention(signal_kinds=("sex", "sex"))
    waiting = Attention(signal_kinds=("sex",), questionnaires_waiting=6)
    assert attention_order.stored(two, is_open=True) > attention_order.stored(waiting, is_open=True)
    assert attention_order.stored(waiting, is_open=True) > attention_order.stored(one, is_open=True)


def test_counts_past_the_cap_only_tie_and_never_jump_a_step() -> None:
    many = Attention(questionnaires_waiting=5000)
    cap = Attention(questionnaires_waiting=attention_order.COUNTS - 1)
    quiet_diary = Attention(no_diary_this_week=True)
    assert attention_order.stored(many, is_open=True) == attention_order.stored(cap, is_open=True)
    assert attention_order.stored(many, is_open=True) < attention_order.stored(
        quiet_diary, is_open=True
    )
