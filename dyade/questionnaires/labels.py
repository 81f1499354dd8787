"""Short therapist-facing words for intake answers, positions and findings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.clinic import intake
from dyade.clinic.instruments import text_in
from dyade.content import instrument
from dyade.i18n import language as _language

FLAG_LABELS = {
    "safety.physical": gettext_lazy("Physical violence by the partner"),
    "safety.psychological": gettext_lazy("Threats, humiliation or control by the partner"),
    "safety.coercion": gettext_lazy("Sexual pressure or force by the partner"),
    "safety.own": gettext_lazy("Has physically hurt the partner"),
    "safety.fear": gettext_lazy("Afraid of the partner"),
    "safety.joint-sessions": gettext_lazy("Cannot always speak freely with the partner present"),
    "wellbeing.dark-thoughts": gettext_lazy("Thoughts that life is not worth living"),
    "health.dysfunction": gettext_lazy("Sexual dysfunction"),
    "health.illness": gettext_lazy("Illness"),
    "health.disability": gettext_lazy("Physical limitation"),
    "health.medication": gettext_lazy("Medication"),
    "health.paraphilia": gettext_lazy("Sexual interests that worry them"),
    "health.linked": gettext_lazy("Illness, disability or medication may affect their sex life"),
    "sex.pain": gettext_lazy("Pain during sex"),
}

POSITION_LABELS = {
    intake.Position.PURSUE: gettext_lazy("pursues"),
    intake.Position.WITHDRAW: gettext_lazy("withdraws"),
    intake.Position.MIXED: gettext_lazy("varies"),
    intake.Position.NONE: gettext_lazy("neither"),
}

SUBSCALE_LABELS = {
    "anxiety": gettext_lazy("attachment anxiety"),
    "avoidance": gettext_lazy("attachment avoidance"),
    "total": gettext_lazy("total"),
}

FLAG_NAMES = {"positive": gettext_lazy("positive screen")}

SUMMARY_ROWS = [
    ("wish_to_continue", gettext_lazy("Wants to go on")),
    ("love", gettext_lazy("Love felt (0-10)")),
    ("detachment", gettext_lazy("Emotionally let go (0-10)")),
    ("motivation", gettext_lazy("Willing to work on it (0-10)")),
    ("daily", gettext_lazy("In daily conflict")),
    ("sexual", gettext_lazy("Around sex")),
    ("desire", gettext_lazy("Sexual desire (0-10)")),
    ("satisfaction", gettext_lazy("Sexual satisfaction (0-10)")),
    ("approach_motives", gettext_lazy("Approach motives for sex")),
    ("avoidance_motives", gettext_lazy("Avoidance motives for sex")),
    ("referral", gettext_lazy("Possible reasons to refer")),
]


def option_label(link_id: str, code: Any) -> str:
    """The intake's own words for an answer code, in the reader's language."""
    item = instrument("dyade-intake").question(link_id)
    option = item.option(str(code)) if item is not None else None
    return text_in(option.texts, _language()) if option is not None else str(code)


def flag_line(flag: tuple[str, Any]) -> str:
    link_id, answer = flag
    return _("%(what)s: %(answer)s") % {
        "what": FLAG_LABELS.get(link_id, link_id),
        "answer": option_label(link_id, answer),
    }


def summary_value(summary: intake.PartnerSummary, key: str) -> str:
    value = getattr(summary, key)
    if value is None or value == []:
        return "–"
    if key == "wish_to_continue":
        return option_label("commitment.continue", value)
    if key in ("daily", "sexual"):
        text = str(POSITION_LABELS[value])
        if summary.flip and key == "sexual":
            text = _("%(position)s (flip)") % {"position": text}
        return text
    if key in ("approach_motives", "avoidance_motives"):
        return ", ".join(option_label("sex.motives", code) for code in value)
    if key == "referral":
        return ", ".join(str(FLAG_LABELS.get(link_id, link_id)) for link_id, _answer in value)
    return str(value)


def finding_text(finding: intake.Finding, names: dict[str, str]) -> str:
    """One plain sentence per finding, with the partners' names."""
    a, b = names.get("A", "A"), names.get("B", "B")
    values = finding.values
    if finding.kind == intake.Discrepancy.DESIRE:
        return _("Desire differs: %(a)s %(va)s, %(b)s %(vb)s (0-10).") % {
            "a": a,
            "va": values["a"],
            "b": b,
            "vb": values["b"],
        }
    if finding.kind == intake.Discrepancy.CONTINUE:
        return _("Wish to go on: %(a)s: %(va)s; %(b)s: %(vb)s.") % {
            "a": a,
            "va": option_label("commitment.continue", values["a"]) if values["a"] else "–",
            "b": b,
            "vb": option_label("commitment.continue", values["b"]) if values["b"] else "–",
        }
    if finding.kind == intake.Discrepancy.FLIP:
        parts = []
        for slot, name in (("a", a), ("b", b)):
            if values[slot]:
                daily, sexual = values[slot]
                parts.append(
                    _("%(name)s %(daily)s in daily life but %(sexual)s around sex")
                    % {
                        "name": name,
                        "daily": POSITION_LABELS[daily],
                        "sexual": POSITION_LABELS[sexual],
                    }
                )
        return _("Positions flip: %(who)s.") % {"who": "; ".join(parts)}
    domain = _("in daily conflict") if values["domain"] == "daily" else _("around sex")
    return _("Both partners %(position)s %(domain)s.") % {
        "position": POSITION_LABELS[values["position"]],
        "domain": domain,
    }
