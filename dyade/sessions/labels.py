"""Plain-language labels for the inputs behind a guidance signal."""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.clinic import guidance
from dyade.sessions.models import TrackName

TRACKS = dict(TrackName.choices)  # a track's code in a reason ("differentiation") in words


def rule_title(signal_id: str) -> str | None:
    """The title of a guidance rule in the reader's language, or None for no rule id."""
    rule = guidance.RULES_BY_ID.get(signal_id)
    return _(rule.title) if rule is not None else None


def rule_label(signal_id: str) -> str:
    """A rule's title; for an id no rule has any more (an old record), words, never the id."""
    return rule_title(signal_id) or _("a signal that Dyade no longer gives")


KINDS = {
    "safety": gettext_lazy("safety"),
    "indication": gettext_lazy("indication"),
    "contraindication": gettext_lazy("contraindication"),
    "stop": gettext_lazy("stop"),
    "switch": gettext_lazy("switch"),
    "sex": gettext_lazy("sex"),
    "referral": gettext_lazy("referral"),
    "therapist": gettext_lazy("the therapist"),
    "progress": gettext_lazy("progress"),
}

FIELDS = {
    "love": gettext_lazy("love for the partner (intake, 0-10)"),
    "detachment": gettext_lazy("has let go of the relationship (intake, 0-10)"),
    "motivation": gettext_lazy("motivation (intake, 0-10)"),
    "wish_to_continue": gettext_lazy("wants to go on together (intake)"),
    "desire_gap": gettext_lazy("difference in sexual desire (intake, points)"),
    "sexual_satisfaction": gettext_lazy("sexual satisfaction (intake, 0-10)"),
    "sexual_self_knowledge": gettext_lazy("knows what they need to get in the mood (intake, 0-10)"),
    "avoidance_motives": gettext_lazy("sex to avoid something (intake)"),
    "attachment_anxiety": gettext_lazy("attachment anxiety (ECR-R, 1-7)"),
    "attachment_avoidance": gettext_lazy("attachment avoidance (ECR-R, 1-7)"),
    "safety.physical": gettext_lazy("physical violence (safety screen)"),
    "safety.psychological": gettext_lazy("psychological violence (safety screen)"),
    "safety.coercion": gettext_lazy("pressed into sex (safety screen)"),
    "safety.own": gettext_lazy("own violence towards the partner (safety screen)"),
    "safety.fear": gettext_lazy("afraid of the partner (safety screen)"),
    "safety.joint_sessions": gettext_lazy("safe to speak freely together (safety screen)"),
    "safety.hits_total": gettext_lazy("HITS total (above 10 is positive)"),
    "health.dysfunction": gettext_lazy("sexual dysfunction (intake)"),
    "health.illness": gettext_lazy("illness (intake)"),
    "health.disability": gettext_lazy("physical disability (intake)"),
    "health.paraphilia": gettext_lazy("paraphilia (intake)"),
    "health.medication": gettext_lazy("medication (intake)"),
    "health.sexual_pain": gettext_lazy("pain during sex (intake)"),
    "health.linked_to_sex": gettext_lazy("illness, disability or medication bears on sex (intake)"),
    "safety.weight": gettext_lazy("safety signs added up (weight; 4 or more counts as violence)"),
    "safety.answered": gettext_lazy("has answered the safety part alone"),
    "flip": gettext_lazy("position flips around sex (withdraws in bed / pursues in bed)"),
    "partner_left_by": gettext_lazy("has emotionally left the relationship, as you saw it"),
    "claim_complied": gettext_lazy("the other goes along with the claim"),
    "track.switched_for": gettext_lazy("the case switched to this track for"),
    "balance.self": gettext_lazy("a solid sense of self (0-10)"),
    "balance.mean": gettext_lazy("four points of balance, mean (0-10)"),
    "conflict_days": gettext_lazy("days with conflict in the diary"),
    "love_felt": gettext_lazy("you could feel love between them"),
    "motivation_a": gettext_lazy("motivation of partner A as you saw it"),
    "motivation_b": gettext_lazy("motivation of partner B as you saw it"),
    "hidden_agenda": gettext_lazy("hidden agenda suspected"),
    "goals_diverge": gettext_lazy("own goals too far apart"),
    "powerlessness": gettext_lazy("powerlessness, anxiety as a third person"),
    "needs_encouragement": gettext_lazy("needs encouragement to persevere"),
    "destructive_claim_by": gettext_lazy("too destructive a claim on the other, by"),
    "connection_not_in_daily_life": gettext_lazy("connection does not reach daily life"),
    "approval_dependence": gettext_lazy("both hang on the other's approval"),
    "comfort_zone_routine": gettext_lazy("comfort zone, sexual routine"),
    "sex_disrupted_by_attachment": gettext_lazy("attachment problems disrupt sex"),
    "emotional_safety": gettext_lazy("emotional safety established"),
    "escalation": gettext_lazy("escalation or verbal aggression in the session"),
    "painful_subject_avoided": gettext_lazy("a painful subject was avoided"),
    "eft_stage": gettext_lazy("EFT stage"),
    "cycle_mapped": gettext_lazy("the cycle map has been made"),
    "track.name": gettext_lazy("current track"),
    "room.lowest": gettext_lazy("lowest level of differentiation in the room"),
    "sex_disrupted_by_attachment.earlier": gettext_lazy(
        "attachment problems disrupted sex earlier"
    ),
    "progress.status": gettext_lazy("status after the latest check-in (against the first)"),
    "progress.sessions": gettext_lazy("sessions so far"),
    "progress.followups": gettext_lazy("check-ins judged after the first"),
    "progress.alliance": gettext_lazy("alliance after the latest session (0-10)"),
    "progress.alliance_earlier_mean": gettext_lazy("alliance in earlier sessions, mean (0-10)"),
    "alliance.gap": gettext_lazy("difference in alliance between the partners (points)"),
    "progress.not_on_track": gettext_lazy("the therapy is not on track (check-ins)"),
}


def who(path: str, names: dict[str, str]) -> tuple[str, str]:
    """Split a snapshot path into (whose, the rest), e.g. ("Sanne (A)", "safety.physical")."""
    parts = path.split(".")
    if parts[0] == "partners" and len(parts) > 2:
        return names.get(parts[1], parts[1]), ".".join(parts[2:])
    if parts[0] == "diary" and len(parts) > 2:
        return names.get(parts[1], parts[1]), ".".join(parts[2:])
    if parts[0] == "therapist":
        return _("you"), ".".join(parts[1:])
    if parts[0] == "observation":
        return _("your observation"), ".".join(parts[1:])
    if parts[0] == "observations":
        return _("your observations"), parts[1] + ".earlier"
    if path == "partners.desire_gap":
        return "", "desire_gap"
    return "", path


# Answer codes of the intake and the observations, in words.
VALUES = {
    "never": gettext_lazy("never"),
    "once": gettext_lazy("once"),
    "sometimes": gettext_lazy("sometimes"),
    "often": gettext_lazy("often"),
    "yes": gettext_lazy("yes"),
    "no": gettext_lazy("no"),
    "unsure": gettext_lazy("not sure"),
    "not-always": gettext_lazy("not always"),
    "leaving": gettext_lazy("wants to leave"),
    "pursue": gettext_lazy("pursues"),
    "withdraw": gettext_lazy("withdraws"),
    "both": gettext_lazy("both partners"),
    "none": gettext_lazy("neither"),
    "missing": gettext_lazy("not answered yet"),
    "recovered": gettext_lazy("recovered"),
    "improved": gettext_lazy("improved"),
    "unchanged": gettext_lazy("unchanged"),
    "deteriorated": gettext_lazy("deteriorated"),
}


def value_text(value: Any, names: dict[str, str]) -> str:
    from_rules = rule_title(value) if isinstance(value, str) else None
    if from_rules is not None:
        return from_rules
    if isinstance(value, str) and value in VALUES and value not in names:
        return str(VALUES[value])
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(value_text(item, names) for item in value)
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, str) and value in TRACKS:
        return str(TRACKS[value])
    if isinstance(value, str) and "+" in value:
        return " + ".join(value_text(part, names) for part in value.split("+"))
    if value == "therapist":
        return _("you")
    if isinstance(value, float):
        return formats.localize(value)
    return str(value)


def reason_lines(reasons: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, str]]:
    """Each reason as whose, what and the value, in words."""
    lines = []
    for reason in reasons:
        owner, rest = who(reason["field"], names)
        label = FIELDS.get(rest) or FIELDS.get(rest.split(".")[-1]) or rest
        lines.append(
            {"who": owner, "what": str(label), "value": value_text(reason["value"], names)}
        )
    return lines
