"""What a destruction would remove, counted by kind, for the confirmation page.

Counted the way the database will delete it (Django's deletion collector follows
every table that points at the record), so the page lists new kinds of data too.
"""

from __future__ import annotations

from django.db import router
from django.db.models import Model
from django.db.models.deletion import Collector
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dyade.cases.models import Case, Partner

# Words for the kinds a client recognises; others are named by their model.
WORDS: dict[str, Promise] = {
    "accounts.User": _("accounts"),
    "cases.Case": _("cases"),
    "cases.Partner": _("partners"),
    "cases.Invitation": _("invitation links"),
    "diary.DiaryEntry": _("diary days"),
    "questionnaires.Administration": _("questionnaires"),
    "reading.ReadingAssignment": _("pages given to read"),
    "exercises.Assignment": _("exercises given"),
    "exercises.Log": _("practice logs"),
    "exercises.Entry": _("exercise entries"),
    "exercises.Answers": _("exercise answers"),
    "exercises.Run": _("timer runs"),
    "reminders.Reminder": _("reminders"),
    "research.Consent": _("decisions on studies"),
    "progress.Sharing": _("choices to share the progress chart"),
    "dyade_sessions.Appointment": _("sessions"),
    "dyade_sessions.Observation": _("session observations"),
    "dyade_sessions.SignalDecision": _("decisions on guidance signals"),
    "dyade_sessions.TrackChange": _("changes of the track"),
    "dyade_sessions.CycleVersion": _("versions of the cycle map"),
    "dyade_sessions.PartnerSummary": _("closing summaries given to the partners"),
    "diary.DiaryItems": _("diary settings of the case"),
    "overview.AttentionState": _("places on the therapists' worklists"),
    "exercises.LadderMove": _("steps on an exercise ladder"),
    "exercises.SessionRecord": _("exercises done in session"),
    "sessions.Session": _("open logins"),
    "axes.AccessAttempt": _("failed logins"),
    "axes.AccessLog": _("login records"),
    "axes.AccessFailureLog": _("failed logins"),
    "audit.AuditEvent (pseudonymised)": _("audit events kept under a pseudonym"),
    "research.PreparedExport (file deleted)": _("prepared research files deleted"),
}


def _collect(rows: list[Model]) -> dict[str, int]:
    collector = Collector(using=router.db_for_write(rows[0].__class__))
    collector.collect(rows)
    counts: dict[str, int] = {}
    for model, instances in collector.data.items():
        counts[model._meta.label] = counts.get(model._meta.label, 0) + len(instances)
    for queryset in collector.fast_deletes:
        label = queryset.model._meta.label
        counts[label] = counts.get(label, 0) + queryset.count()
    return {label: number for label, number in counts.items() if number}


def counts(case: Case, partner: Partner | None) -> list[tuple[str, int]]:
    """``(kind in words, rows)`` that destroying ``partner`` (or, None, the case) removes."""
    found = _collect([partner if partner is not None else case])
    partners = [partner] if partner is not None else list(case.partners.all())
    accounts = sum(1 for p in partners if p.user_id is not None)
    if accounts:
        found["accounts.User"] = found.get("accounts.User", 0) + accounts
    if partner is not None:  # the partner's place stays, empty
        found.pop("cases.Partner", None)
    found = {label: n for label, n in found.items() if not label.endswith("_therapists")}
    rows = [(str(WORDS.get(label, label)), number) for label, number in found.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
