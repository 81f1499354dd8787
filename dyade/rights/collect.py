"""Everything Dyade holds about one partner, as that partner sees it (GDPR art. 15 and 20).

The copy is collected with the partner's own account as the viewer, through each
app's access module, so it holds exactly what that partner can see in Dyade:

==================  ===================================================================
section             read through
==================  ===================================================================
person, case        the policy core (the partner's own record)
diary               ``diary.access.visible_entries``
questionnaires      ``questionnaires.access.own_administrations`` and ``answer_view``
exercises           ``exercises.access.own_assignments``, ``log_view``, ``answers_view``,
                    ``entry_view``
readings            ``reading.access.own_readings``
pattern_maps        ``sessions.access.case_cycle_versions`` (published ones only)
closing_summary     ``sessions.access.given_summary`` (given and not withdrawn)
reminders, research the partner's own records (:mod:`dyade.rights.sources`)
shared_with_me      the same access modules, reading the other partner's data
==================  ===================================================================

Not in it: the other partner's private data (the access modules give the reader
none), the therapist's clinical notes and guidance, and, in the copy a partner takes
from their phone, the safety part of the questionnaires: those answers are not
shown back to the partner once saved, so that nobody who picks up the phone can read
them. A copy made by the practice on a written request holds them (``written=True``).
The sections are listed in :data:`SECTIONS`. Erasure (:mod:`dyade.rights.erasure`) does
not walk them: it follows every table that points at the partner or the case, so it
also reaches what the copy leaves out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.cases import policy
from dyade.cases.models import Partner
from dyade.clinic.instruments import Item, text_in
from dyade.clinic.visibility import Relation
from dyade.content import exercise_text, exercises, instrument_in, readings
from dyade.diary import access as diary_access
from dyade.diary.forms import DiaryForm
from dyade.exercises import access as exercises_access
from dyade.exercises import display as exercise_display
from dyade.i18n import content_language
from dyade.overview.closed_copy import KIND_WORDS
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import services as questionnaire_services
from dyade.questionnaires.display import answer_text
from dyade.reading import access as reading_access
from dyade.rights import sources
from dyade.sessions import access as sessions_access
from dyade.sessions import services as session_services
from dyade.sessions.forms import POSITION_CHOICES

SCHEMA = "dyade-my-data"
VERSION = 1
SECTIONS = (
    "person",
    "case",
    "diary",
    "questionnaires",
    "exercises",
    "readings",
    "reminders",
    "research",
    "pattern_maps",
    "closing_summary",
    "shared_with_me",
)
_CHOICE_FIELDS = ("note_visibility", "contact_kind", "initiator", "bid_answer", "motive")


def header(kind: str, language: str, reference: str) -> dict[str, Any]:
    return {
        "format": SCHEMA,
        "version": VERSION,
        "subject": kind,
        "made": timezone.localtime(),
        "made_for": "written_request" if reference else "self",
        "reference": reference,
        "language": language,
    }


def partner_copy(user: Any, *, language: str, reference: str = "") -> dict[str, Any]:
    """The copy of the partner whose account is ``user`` ({} for any other account).

    ``reference`` names the written request a practice admin made it for; such a
    copy also holds the safety part of the questionnaires. Words are in the active
    language: call it inside ``translation.override(language)``.
    """
    partner = policy.own_partner(user)
    if partner is None:
        return {}
    other = partner.other
    written = bool(reference)
    copy = header("partner", language, reference)
    copy["person"] = {
        "name": partner.name,
        "email": user.email,
        "language": user.get_language_display(),
        "joined": partner.joined_at,
    }
    copy["case"] = {
        "case": partner.case.label,
        "therapists": [t.name or t.email for t in partner.case.therapists.order_by("name")],
        "partner": other.name if other is not None else "",
    }
    copy["diary"] = [_diary_words(view) for view in diary_access.visible_entries(user, partner)]
    copy["questionnaires"] = _questionnaires(user, language, written=written)
    mine, theirs = _exercises(user, partner, other, language)
    copy["exercises"] = mine
    copy["readings"] = [
        {
            "page": readings()[r.slug].in_language(content_language())["title"]
            if r.slug in readings()
            else r.slug,
            "given": r.assigned_at,
            "read": r.read_at,
        }
        for r in reading_access.own_readings(user).order_by("assigned_at", "pk")
    ]
    copy["reminders"] = sources.reminders(partner)
    copy["research"] = sources.consents(partner)
    copy["pattern_maps"] = _pattern_maps(user, partner)
    copy["closing_summary"] = _closing_summary(user)
    copy["shared_with_me"] = {}
    if other is not None:
        copy["shared_with_me"] = {
            "from": other.name,
            "diary": [
                _diary_words(view, other_name=other.name)
                for view in diary_access.visible_entries(user, other)
            ],
            "exercises": theirs,
        }
    return copy


def _choice_words(name: str) -> dict[str, str]:
    return {str(code): str(label) for code, label in DiaryForm.base_fields[name].choices}


def _diary_words(view: dict[str, Any], other_name: str = "") -> dict[str, Any]:
    """One visible diary entry with its coded answers in words.

    On the other partner's entry, "who took the initiative" is said from the reader's
    side: "I did" there means the other partner.
    """
    words = dict(view)
    if other_name:
        words.pop("note_visibility", None)  # always shared when it is shown, and said by them
    for name in _CHOICE_FIELDS:
        if name in words:
            labels = _choice_words(name)
            if other_name and name == "initiator":
                labels = {"me": other_name, "partner": _("you"), "both": _("both of you")}
            words[name] = labels.get(words[name], words[name])
    return words


def _answer(
    item: Item, value: Any, texts: dict[str, str], anchors: dict[int, str], language: str
) -> dict[str, Any]:
    return {
        "id": item.link_id,
        "question": texts.get(item.link_id) or text_in(item.texts, language) or item.link_id,
        "answer": answer_text(item, value, language, anchors),
    }


def _questionnaires(user: Any, language: str, *, written: bool) -> list[dict[str, Any]]:
    rows = []
    for administration in questionnaires_access.own_administrations(user).order_by(
        "assigned_at", "pk"
    ):
        instrument = instrument_in(administration.definition(), content_language())
        shown = questionnaires_access.answer_view(user, administration, instrument)
        texts = questionnaire_services.question_texts(administration, language)
        anchors = questionnaire_services.anchor_texts(administration, language)
        answered = administration.answers
        held_back = [
            item
            for item in instrument.questions
            if item.link_id in answered and item.link_id not in shown
        ]
        row: dict[str, Any] = {
            "questionnaire": text_in(instrument.titles, language),
            "instrument": f"{administration.instrument} {administration.version}",
            "status": administration.get_status_display(),
            "given": administration.assigned_at,
            "sent": administration.submitted_at,
            "answers": [
                _answer(item, shown[item.link_id], texts, anchors, language)
                for item in instrument.questions
                if item.link_id in shown
            ],
        }
        if held_back and written:
            row["safety_part"] = [
                _answer(item, answered[item.link_id], texts, anchors, language)
                for item in held_back
            ]
        elif held_back:
            row["safety_part_left_out"] = True
        rows.append(row)
    return rows


def _run(run: Any, names: dict[str, str]) -> dict[str, Any] | None:
    try:
        return exercise_display.run_summary(run, names)
    except ValueError:  # events the timer could not make sense of: leave the summary out
        return None


def _log(view: dict[str, Any], run: Any, names: dict[str, str]) -> dict[str, Any]:
    words = exercise_display.in_words(view, run, names)
    if isinstance(words.get("date"), str):
        words["date"] = dt.date.fromisoformat(words["date"])
    summary = words.pop("summary", None)
    words.pop("run", None)
    if summary is not None:
        words["timer"] = summary
    return words


def _exercises(
    user: Any, partner: Partner, other: Partner | None, language: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The partner's exercises with their own logs and answers, and what the other
    partner shares of the couple's exercises (only logs with something shared in them)."""
    library = exercises()
    names = {p.slot: p.name for p in (partner, other) if p is not None}
    mine_rel = policy.relation(user, partner)
    other_rel = policy.relation(user, other) if other is not None else Relation.NONE
    assignments = (
        exercises_access.own_assignments(user)
        .prefetch_related("logs__run", "entries", "answers", "runs")
        .order_by("assigned_at", "pk")
    )
    mine: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    for assignment in assignments:
        text = (
            exercise_text(assignment.slug, content_language()) if assignment.slug in library else {}
        )
        title = text.get("title", assignment.slug)
        labels = {field["id"]: field["label"] for field in text.get("fields") or []}
        row: dict[str, Any] = {
            "exercise": title,
            "for": _("both of you") if assignment.partner_id is None else _("you"),
            "given": assignment.assigned_at,
            "active": assignment.active,
        }
        for name in ("step", "frequency", "minutes", "review_date"):
            if getattr(assignment, name):
                row[name] = getattr(assignment, name)
        row["agreements"] = [
            item["text"]
            for item in text.get("agreements") or []
            if item["id"] in assignment.agreements
        ] + [line.strip() for line in assignment.own_agreements.splitlines() if line.strip()]
        row["logs"] = [
            {
                **_log(exercises_access.log_view(user, log, mine_rel), log.run, names),
                "shared": log.shared,
            }
            for log in assignment.logs.all()
            if log.partner_id == partner.pk
        ]
        row["entries"] = [
            _entry(user, entry, partner, labels)
            for entry in assignment.entries.all()
            if entry.partner_id == partner.pk
        ]
        row["answers"] = _answers(user, assignment, partner, labels)
        row["timer_runs"] = [
            summary
            for run in assignment.runs.all()
            if run.partner_id == partner.pk and (summary := _run(run, names))
        ]
        mine.append(row)
        if other is not None and assignment.partner_id is None:
            shared = _shared_exercise(user, assignment, other, other_rel, names, labels)
            if shared:
                theirs.append({"exercise": title, **shared})
    return mine, theirs


def _entry(user: Any, entry: Any, author: Partner, labels: dict[str, Any]) -> dict[str, Any]:
    entry.partner = author  # already loaded: no query per entry
    view = exercises_access.entry_view(user, entry)
    words = {str(labels.get(key, key)): value for key, value in view.items() if key != "date"}
    return {"date": view["date"], **words, "shared": entry.shared} if view else {}


def _answers(user: Any, assignment: Any, author: Partner, labels: dict[str, Any]) -> dict[str, Any]:
    for answers in assignment.answers.all():
        if answers.partner_id == author.pk:
            answers.partner = author
            view = exercises_access.answers_view(user, answers)
            return {str(labels.get(key, key)): value for key, value in view.items()}
    return {}


def _shared_exercise(
    user: Any,
    assignment: Any,
    other: Partner,
    rel: Relation,
    names: dict[str, str],
    labels: dict[str, Any],
) -> dict[str, Any]:
    """What ``other`` shares of one couple exercise; {} when they share nothing of it.

    A log counts only when something beyond its day is shown: a log whose shared
    fields are all empty must not tell the reader that the other partner practised.
    """
    logs = []
    for log in assignment.logs.all():
        if log.partner_id != other.pk:
            continue
        log.partner = other
        view = exercises_access.log_view(user, log, rel)
        if set(view) - {"date"}:
            logs.append(_log(view, log.run, names))
    entries = [
        view
        for entry in assignment.entries.all()
        if entry.partner_id == other.pk and entry.shared
        if (view := _entry(user, entry, other, labels))
    ]
    for view in entries:
        view.pop("shared", None)
    answers = _answers(user, assignment, other, labels)
    found = {"logs": logs, "entries": entries, "answers": answers}
    return {key: value for key, value in found.items() if value}


def _pattern_maps(user: Any, partner: Partner) -> list[dict[str, Any]]:
    """The cycle maps the therapist published, with their date (never a version number)."""
    case = partner.case
    names = {p.slot: p.name for p in case.partners.all()}
    positions = {code: str(words) for code, words in POSITION_CHOICES if code}
    rows = []
    for version in sessions_access.case_cycle_versions(user, case).filter(
        published_at__isnull=False
    ):
        cycle = session_services.cycle_of(version, case).as_json()
        for sides in cycle.values():
            for side in sides.values():
                side["position"] = positions.get(side["position"] or "", side["position"])
        rows.append(
            {
                "published": version.published_at,
                "map": {names.get(slot, slot): sides for slot, sides in cycle.items()},
            }
        )
    return rows


def _closing_summary(user: Any) -> list[dict[str, Any]]:
    """The closing summary given to both partners when the therapy ended (none, or one)."""
    given = sessions_access.given_summary(user)
    if given is None:
        return []
    known = exercises()
    language = content_language()
    cycle = given.cycle_version
    return [
        {
            "given": given.given_at,
            "outcome": str(KIND_WORDS.get(given.outcome, "")),
            "note": given.note,
            "pattern_map_of": cycle.published_at if cycle is not None else None,
            "exercises": [
                exercise_text(slug, language)["title"] for slug in given.exercises if slug in known
            ],
        }
    ]
