"""The pure rules behind the caseload: forms of work and their tracks, the attention order.

No database: ``dyade.clinic.caseload`` imports nothing of Django.
"""

from __future__ import annotations

from dyade.clinic import caseload as rules
from dyade.clinic.caseload import Attention


def test_separation_guidance_is_not_eft() -> None:
    # Seed 001: when the goals lie too far apart "stopt het eft-verhaal".
    assert not rules.fits(rules.SEPARATION, rules.EFT)
    assert rules.fits(rules.SEPARATION, rules.DIFFERENTIATION)
    assert rules.fits(rules.SEPARATION, rules.SAFETY)


def test_couple_therapy_starts_with_eft_and_may_switch() -> None:
    assert rules.FITTING_TRACKS[rules.COUPLE][0] == rules.EFT
    assert rules.fits(rules.COUPLE, rules.DIFFERENTIATION)
    assert not rules.fits(rules.COUPLE, rules.INDIVIDUAL_WORK)


def test_every_form_fits_safety_first_and_unknown_forms_fit_nothing() -> None:
    assert all(rules.fits(form, rules.SAFETY) for form in rules.FITTING_TRACKS)
    assert not rules.fits("weekend", rules.EFT)


def test_one_partner_has_individual_therapy_only() -> None:
    assert rules.forms_for("individual") == (rules.INDIVIDUAL,)
    assert rules.INDIVIDUAL not in rules.forms_for("couple")
    assert set(rules.forms_for("couple")) == {rules.COUPLE, rules.SEPARATION, rules.INFIDELITY}


def test_safety_comes_before_any_signal_and_signals_by_urgency() -> None:
    order = rules.by_attention(
        [
            (1, Attention(signal_kinds=("sex",))),
            (2, Attention()),
            (3, Attention(signal_kinds=("switch", "contraindication"))),
            (4, Attention(safety=True)),
            (5, Attention(no_diary_this_week=True)),
            (6, Attention(progress="deteriorated")),
            (7, Attention(signal_kinds=("safety",))),
        ]
    )
    assert order == [4, 7, 3, 1, 6, 5, 2]


def test_the_most_urgent_kind_names_the_signals() -> None:
    assert Attention(signal_kinds=("sex", "stop", "indication")).first_kind == "stop"
    assert Attention().first_kind is None and Attention().signals == 0


def test_ties_keep_their_order_and_more_signals_come_first() -> None:
    same = [(n, Attention(signal_kinds=("switch",))) for n in (9, 8, 7)]
    assert rules.by_attention(same) == [9, 8, 7]
    more = [(1, Attention(signal_kinds=("switch",))), (2, Attention(signal_kinds=("switch",) * 2))]
    assert rules.by_attention(more) == [2, 1]
