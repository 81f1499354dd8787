"""A person's own records that no access module offers: reminders, research decisions,
the research downloads made while a partner took part, and a therapist's own profile.

Each is read from the data subject's own record (the partner, or the therapist's
account), so nobody else's data is reachable from here. The research downloads are
worked out from the partner's OWN decisions only, never from the other partner's: a
couple is in a study only when both said yes, so listing the downloads that held the
couple would tell a partner what the other decided (see docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dyade.audit.models import AuditEvent, Outcome
from dyade.cases.models import Partner

CONSENT_EVENTS = ("consent.create", "consent.update")


def reminders(partner: Partner) -> list[dict[str, Any]]:
    return [
        {
            "about": reminder.get_topic_display(),
            "at": reminder.at.strftime("%H:%M"),
            "by": reminder.get_channel_display(),
            "on": reminder.active,
            "last_sent_on": reminder.last_sent_on,
        }
        for reminder in partner.reminders.order_by("topic")
    ]


def consents(partner: Partner) -> list[dict[str, Any]]:
    return [
        {"study": consent.study.title, "taking_part": consent.given, "decided": consent.decided_at}
        for consent in partner.consents.select_related("study").order_by("study__title", "pk")
    ]


Period = tuple[dt.datetime, dt.datetime | None]


def _periods(partner: Partner) -> dict[int, list[Period]]:
    """Per study id, the spans in which ``partner`` said yes, from their own decisions.

    The audit trail keeps each decision (``consent.create``/``update``, detail yes or
    no); a decision without a trail (made before it was kept) counts from its time.
    """
    found: dict[int, list[Period]] = {}
    current = {consent.pk: consent for consent in partner.consents.all()}
    decisions = (
        AuditEvent.objects.filter(
            case_id=partner.case_id,
            partner_id=partner.pk,
            event__in=CONSENT_EVENTS,
            outcome=Outcome.SUCCESS,
            object_type="research.Consent",
        )
        .order_by("time", "id")
        .values_list("object_id", "time", "detail")
    )
    trail: dict[str, list[tuple[dt.datetime, bool]]] = {}
    for object_id, time, detail in decisions:
        trail.setdefault(object_id, []).append((time, detail == "yes"))
    for consent in current.values():
        steps = trail.get(str(consent.pk)) or [(consent.decided_at, consent.given)]
        spans: list[Period] = []
        start: dt.datetime | None = None
        for time, given in steps:
            if given and start is None:
                start = time
            elif not given and start is not None:
                spans.append((start, time))
                start = None
        if start is not None:
            spans.append((start, None))
        found[consent.study_id] = spans
    return found


def research_downloads(partner: Partner) -> list[dict[str, Any]]:
    """The downloads of each study made while ``partner`` said yes to it, newest first.

    Whether the couple was in a download depends on the other partner's decision too,
    so that is not said: the list is the same whatever the other partner decided.
    """
    rows: list[dict[str, Any]] = []
    periods = _periods(partner)
    for consent in partner.consents.select_related("study"):
        spans = periods.get(consent.study_id) or []
        if not spans:
            continue
        exports = consent.study.exports.filter(created_at__gte=spans[0][0]).select_related(
            "researcher"
        )
        for export in exports:
            if any(
                start <= export.created_at and (end is None or export.created_at < end)
                for start, end in spans
            ):
                rows.append(
                    {
                        "time": export.created_at,
                        "study": consent.study.title,
                        "researcher": export.researcher.name or export.researcher.email,
                    }
                )
    rows.sort(key=lambda row: row["time"], reverse=True)
    return rows


def therapist_profile(user: Any) -> dict[str, Any]:
    """A therapist's own profile (attachment, the points of balance), or {} without one."""
    profile = getattr(user, "reflection_profile", None)
    if profile is None:
        return {}
    values: dict[str, Any] = {}
    for name in (
        "attachment_anxiety",
        "attachment_avoidance",
        "balance_self",
        "balance_calm",
        "balance_grounded",
        "balance_endurance",
    ):
        value = getattr(profile, name)
        if value is not None:
            values[name] = float(value) if name.startswith("attachment") else value
    values["changed"] = timezone.localtime(profile.updated_at)
    return values
