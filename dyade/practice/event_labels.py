"""Audit events in words, for the practice admin's audit log and its CSV export.

Every event name that Dyade writes (``"<area>.<verb>"``, see
:func:`dyade.audit.services.prepare`) has a short phrase here, in the reader's
language; a name without one is shown as it is stored. ``tests/test_audit_log_page.py``
finds every event name in the code and fails for one without a phrase.

The practice admin sees no client data. An event's stored detail is written by
the code (counts, ids, dates, versions), but a few details name clinical content
(an exercise, a questionnaire, a guidance signal, a track, a decision on a study):
:func:`shown_detail` passes the detail of an event about a client only when every
word of it is a number, a date, a version or one of :data:`SAFE_WORDS`, and
withholds it otherwise. Events about no client (logins, staff, studies, the log
itself) show their detail as it is.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "appointment.create": _("planned a session"),
    "appointment.list": _("opened the sessions of a case"),
    "appointment.read": _("opened a session"),
    "appointment.update": _("moved, cancelled or recorded a session"),
    "audit.read": _("read the audit log"),
    "audit.export.read": _("exported the audit log (CSV)"),
    "audit.update": _("re-encrypted stored data with new keys"),
    "auth.login": _("logged in"),
    "auth.logout": _("logged out"),
    "backup.create": _("made a backup of the whole database"),
    "brief.read": _("opened the session brief of a case"),
    "case.create": _("created a case"),
    "case.list": _("opened the list of cases"),
    "case.read": _("opened a case"),
    "case_closed.read": _("saw that their therapy was closed"),
    "case_closing.create": _("closed a case with an outcome"),
    "case_closing.delete": _("reopened a closed case"),
    "case_form.update": _("changed the case's form of work"),
    "case_therapist.create": _("added a co-therapist to a case"),
    "case_therapist.update": _("handed a case over to a colleague"),
    "check_in_plan.update": _("chose the questionnaires of the session check-ins"),
    "check_in_room.create": _("handed a check-in to a partner on a tablet in the room"),
    "check_in_room.update": _("took the tablet back after a check-in in the room"),
    "consent.create": _("decided on taking part in a study"),
    "consent.list": _("opened the studies they may take part in"),
    "consent.read": _("read about a study"),
    "consent.update": _("changed a decision on taking part in a study"),
    "cycle.create": _("saved a version of the cycle map"),
    "cycle.read": _("read the cycle map"),
    "cycle.update": _("changed the cycle map"),
    "diary.create": _("wrote a diary entry"),
    "diary.list": _("opened diary entries"),
    "diary.read": _("read a diary entry"),
    "diary.update": _("changed a diary entry"),
    "diary_items.read": _("read the case's diary questions"),
    "diary_items.update": _("changed the case's diary questions"),
    "exercise.create": _("gave an exercise"),
    "exercise.list": _("opened the exercises"),
    "exercise.read": _("opened an exercise"),
    "exercise.update": _("changed an exercise"),
    "exercise_answers.create": _("wrote answers to an exercise"),
    "exercise_answers.read": _("read answers to exercises"),
    "exercise_answers.update": _("changed answers to an exercise"),
    "exercise_log.create": _("logged a practice of an exercise"),
    "exercise_log.list": _("read practice logs of exercises"),
    "exercise_log.read": _("opened a practice log of an exercise"),
    "exercise_log.update": _("changed a practice log of an exercise"),
    "exercise_override.create": _("gave an exercise with a written reason"),
    "exercise_run.create": _("used an exercise's timer"),
    "exercise_run.update": _("continued an exercise's timer"),
    "guidance.read": _("read the guidance"),
    "instrument_text.create": _("imported the texts of a questionnaire"),
    "instrument_text.update": _("replaced the texts of a questionnaire"),
    "invitation.create": _("made an invitation link"),
    "invitation.read": _("opened an invitation link"),
    "invitation.update": _("accepted an invitation"),
    "observation.create": _("wrote session observations"),
    "observation.list": _("read session observations"),
    "partner.create": _("added a partner to a case"),
    "partner_summary.create": _("gave the partners their closing summary"),
    "partner_summary.delete": _("took back the partners' closing summary"),
    "partner_summary.read": _("read the closing summary for the partners"),
    "password.update": _("chose a new password"),
    "password_reset.create": _("asked for a link to choose a new password"),
    "practice.language.update": _("chose how Dyade addresses partners in Dutch (‘je’ or ‘u’)"),
    "progress.read": _("read progress over the sessions"),
    "progress.update": _("chose whether to share their progress chart"),
    "progress.values.create": _("entered the practice's values for reliable change"),
    "progress.values.delete": _("removed the practice's values for reliable change"),
    "progress.values.update": _("changed the practice's values for reliable change"),
    "questionnaire.create": _("gave a questionnaire"),
    "questionnaire.delete": _("removed a check-in that was not sent in time"),
    "questionnaire.list": _("opened the questionnaires"),
    "questionnaire.read": _("read a questionnaire"),
    "questionnaire.update": _("filled in or changed a questionnaire"),
    "reading.create": _("gave a page of psycho-education"),
    "reading.list": _("opened the psycho-education pages"),
    "reading.read": _("read a page of psycho-education"),
    "reading_preview.read": _("previewed a page of psycho-education before giving it"),
    "report.create": _("made a report of a case (PDF)"),
    "report.read": _("looked at a report of a case before making it"),
    "reflection.read": _("opened their own reflection profile"),
    "reflection.update": _("changed their own reflection profile"),
    "reminder.create": _("sent a reminder"),
    "reminder.read": _("opened the reminder settings"),
    "reminder.update": _("changed the reminder settings"),
    "research.data.read": _("used diary data for a study (pseudonymised)"),
    "research.export.create": _("made a research export (pseudonymised)"),
    "research.prepared.create": _("asked for a research export"),
    "research.prepared.delete": _("removed a prepared research export"),
    "research.prepared.read": _("downloaded a research export (pseudonymised)"),
    "research.study.list": _("opened the list of studies"),
    "research.study.read": _("opened a study"),
    "researcher.create": _("added a researcher"),
    "recovery_codes.create": _("made new recovery codes for two-step login"),
    "researcher.update": _("changed a researcher's account"),
    "session_exercise.create": _("recorded an exercise done in session"),
    "session_exercise.list": _("read records of exercises done in session"),
    "rights.data.read": _("opened the page with all their data"),
    "rights.export.read": _("made a copy of a person's data (download)"),
    "rights.seen.list": _("looked at who has seen their data"),
    "rights.shared.read": _("shared data went into the other partner's copy"),
    "rights.case.delete": _("destroyed the record of a case"),
    "rights.partner.delete": _("destroyed the record of one partner"),
    "rights.destroy.read": _("opened a case to destroy its record"),
    "rights.destruction.read": _("opened the account of a destroyed record"),
    "rights.retention.list": _("looked at how long closed cases are kept"),
    "rights.retention.update": _("changed how long closed cases are kept"),
    "signal.create": _("decided on a guidance signal"),
    "signal.list": _("read decisions on guidance signals"),
    "study.create": _("set up a study"),
    "study.update": _("changed a study"),
    "therapist.create": _("added a therapist"),
    "therapist.update": _("changed a therapist's account"),
    "two_factor.update": _("moved two-step login to a new authenticator"),
    "track.create": _("changed the case's track"),
    "track.list": _("read the case's track"),
}

# Words a detail of an event about a client may hold: what the code writes beside
# counts, ids, dates and versions. Anything else (an exercise's slug, an instrument,
# a signal, a track, a list of diary questions, an error text) is withheld.
SAFE_WORDS = frozenset(
    """
    a accepted analysis apim by cases cycle day download entries events exercise export
    fields from growth gone id logs map none open prefill prepared published read-only
    reopened run sent shared signals since step studies study timer truthbias unread yet
    csv parquet sav spss fhir page the phone copy
    both exercises for form note outcome pdf preview replaced withdrawn
    """.split()
)
_NUMBER = re.compile(r"\d{1,12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VERSION = re.compile(r"v\d{1,6}")
_SEPARATORS = re.compile(r"[\s,;:()]+")


def label(event: str) -> str:
    """The event in words, in the active language; the stored name if it has none."""
    phrase = LABELS.get(event)
    return str(phrase) if phrase is not None else event


def _safe_word(word: str) -> bool:
    return bool(
        word.lower() in SAFE_WORDS
        or _NUMBER.fullmatch(word)
        or _DATE.fullmatch(word)
        or _VERSION.fullmatch(word)
    )


def shown_detail(detail: str, *, about_client: bool) -> str | None:
    """The detail as the practice admin may read it; ``None`` when it is withheld."""
    if not detail or not about_client:
        return detail
    words = [word for word in _SEPARATORS.split(detail) if word]
    return detail if all(_safe_word(word) for word in words) else None
