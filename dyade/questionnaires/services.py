"""Giving, filling in, sending and reopening questionnaires; each step audited.

Every function changes data inside one transaction together with its audit
event. Views call these and never save the models themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.accounts.models import Practice
from dyade.audit.services import record
from dyade.cases.models import Case, Partner
from dyade.clinic.instruments import LANGUAGES, Instrument, Kind
from dyade.clinic.scoring import Scores, flags, score_key
from dyade.content import current_instruments
from dyade.questionnaires.models import Administration, InstrumentText, Status


class Locked(Exception):
    """The questionnaire has been sent; only a therapist can open it again."""


# --- which instruments a practice can give ----------------------------------


def imported_texts(practice_id: int, instrument: Instrument) -> dict[str, InstrumentText]:
    """The item texts a practice imported for ``instrument``, by language."""
    rows = InstrumentText.objects.filter(
        practice_id=practice_id, instrument=instrument.id, version=instrument.version
    )
    return {row.language: row for row in rows}


@dataclass(frozen=True)
class Offer:
    instrument: Instrument
    languages: tuple[str, ...]  # languages in which the questions can be shown

    @property
    def available(self) -> bool:
        return bool(self.languages)


def offers(practice_id: int) -> list[Offer]:
    """Every current instrument with the languages the practice can give it in."""
    found = []
    for instrument in current_instruments():
        if instrument.key_only:
            languages = tuple(sorted(imported_texts(practice_id, instrument)))
        else:
            languages = tuple(lang for lang in LANGUAGES if lang in instrument.titles)
        found.append(Offer(instrument, languages))
    return found


def shown_language(administration: Administration, language: str) -> str:
    """The language the questions are shown in: ``language`` when they exist in it.

    A key-only instrument whose practice imported its items in one language only, or an
    own instrument without a translation, falls back; the page then says so (issue 17).
    """
    instrument = administration.definition()
    if instrument.key_only:
        available = imported_texts(administration.case.practice_id, instrument)
    else:
        available = instrument.titles
    if not available or language in available:
        return language
    return "nl" if "nl" in available else next(iter(available))


def question_texts(administration: Administration, language: str) -> dict[str, str]:
    """Question texts for a key-only instrument, in ``language`` or the practice's other one."""
    instrument = administration.definition()
    if not instrument.key_only:
        return {}
    texts = imported_texts(administration.case.practice_id, instrument)
    chosen = texts.get(language) or next(iter(texts.values()), None)
    return dict(chosen.items) if chosen is not None else {}


def anchor_texts(administration: Administration, language: str) -> dict[int, str]:
    """Labels for answer values: imported ones first, else the key's own short anchors."""
    instrument = administration.definition()
    anchors = dict(instrument.anchors.get(language) or instrument.anchors.get("nl") or {})
    if instrument.key_only:
        texts = imported_texts(administration.case.practice_id, instrument)
        chosen = texts.get(language) or next(iter(texts.values()), None)
        if chosen is not None:
            anchors.update({int(value): label for value, label in chosen.anchors.items()})
    return anchors


# --- giving --------------------------------------------------------------------


def assign(
    request: HttpRequest,
    case: Case,
    partners: Iterable[Partner],
    instrument: Instrument,
    request_id: uuid.UUID,
) -> list[tuple[Administration, bool]]:
    """Give ``instrument`` to each of ``partners``; (administration, created) for each.

    Harmless to repeat: the same request (a double click) returns what the
    first made, and a partner who already has this instrument open keeps it.
    """
    results = []
    with transaction.atomic():
        for partner in partners:
            existing = (
                Administration.objects.filter(partner=partner, request_id=request_id).first()
                or Administration.objects.filter(
                    partner=partner, instrument=instrument.id, status=Status.OPEN
                ).first()
            )
            if existing is not None:
                results.append((existing, False))
                continue
            administration = Administration.objects.create(
                case=case,
                partner=partner,
                instrument=instrument.id,
                version=instrument.version,
                assigned_by=request.user,
                request_id=request_id,
            )
            record(
                request,
                "questionnaire.create",
                obj=administration,
                partner=partner,
                detail=f"{instrument.id} v{instrument.version}",
            )
            results.append((administration, True))
    return results


# --- filling in ----------------------------------------------------------------


def open_for_reading(request: HttpRequest, administration: Administration) -> Administration:
    """Audit that the author or a therapist read an administration's answers."""
    record(
        request,
        "questionnaire.read",
        obj=administration,
        partner=administration.partner,
        detail=administration.instrument,
    )
    return administration


def save_page(
    request: HttpRequest,
    administration: Administration,
    page_index: int,
    values: Mapping[str, Any],
    next_page: int,
) -> Administration:
    """Store the answers of one page and remember where to resume.

    ``values`` maps each linkId of the page to its answer, or to None for no
    answer. An answer the partner cannot see back (clinical items) is never
    cleared by an empty field: the field was shown empty on purpose.
    """
    instrument = administration.definition()
    page = instrument.pages[page_index]
    with transaction.atomic():
        current = Administration.objects.select_for_update().get(pk=administration.pk)
        if not current.is_open:
            raise Locked
        answers = current.answers
        for item in page.questions:
            value = values.get(item.link_id)
            if value in (None, "", []):
                if item.visibility != "clinical":
                    answers.pop(item.link_id, None)
            else:
                answers[item.link_id] = value
        current.set_answers(answers)
        current.page = max(0, min(next_page, len(instrument.pages) - 1))
        current.pages_seen = max(current.pages_seen, page_index + 1)
        current.updated_at = timezone.now()
        current.save(update_fields=["answers_json", "page", "pages_seen", "updated_at"])
        record(
            request,
            "questionnaire.update",
            obj=current,
            partner=current.partner,
            detail=f"page {page_index + 1}",
        )
    return current


def submit(request: HttpRequest, administration: Administration) -> bool:
    """Send the questionnaire to the therapist and lock it. False if it was already sent."""
    with transaction.atomic():
        current = Administration.objects.select_for_update().get(pk=administration.pk)
        if not current.is_open:
            return False
        current.status = Status.SUBMITTED
        current.submitted_at = current.updated_at = timezone.now()
        current.save(update_fields=["status", "submitted_at", "updated_at"])
        record(request, "questionnaire.update", obj=current, partner=current.partner, detail="sent")
    return True


def reopen(request: HttpRequest, administration: Administration) -> bool:
    """Let the partner change a sent questionnaire again. False if it was open already."""
    try:
        with transaction.atomic():
            current = Administration.objects.select_for_update().get(pk=administration.pk)
            if current.is_open:
                return False
            current.status = Status.OPEN
            current.reopened_count += 1
            current.page = 0
            current.updated_at = timezone.now()
            current.save(update_fields=["status", "reopened_count", "page", "updated_at"])
            record(
                request,
                "questionnaire.update",
                obj=current,
                partner=current.partner,
                detail="reopened",
            )
    except IntegrityError:
        # The partner already has another open copy of this instrument.
        return False
    return True


# --- scores --------------------------------------------------------------------


def numbered_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[int, int | None]:
    """Answers of a validated instrument as item number -> whole number, for scoring."""
    numbered: dict[int, int | None] = {}
    for item in instrument.questions:
        if item.number is None:
            continue
        value = answers.get(item.link_id)
        numbered[item.number] = int(value) if isinstance(value, int) else None
    return numbered


def scores_of(administration: Administration) -> tuple[Scores, list[str]] | None:
    """Scores and raised cut-off flags of a scored instrument; None for unscored ones."""
    instrument = administration.definition()
    if not instrument.scored or instrument.kind != Kind.VALIDATED:
        return None
    scores = score_key(instrument, numbered_answers(instrument, administration.answers))
    return scores, flags(instrument, scores)


# --- item texts a practice imports ----------------------------------------------


def import_texts(
    request: HttpRequest,
    practice: Practice,
    instrument: Instrument,
    language: str,
    items: Mapping[str, str],
    anchors: Mapping[str, str],
) -> tuple[InstrumentText, bool]:
    """Store (or replace) a practice's item texts of ``instrument`` in ``language``."""
    with transaction.atomic():
        row, created = InstrumentText.objects.update_or_create(
            practice=practice,
            instrument=instrument.id,
            version=instrument.version,
            language=language,
            defaults={
                "items": dict(items),
                "anchors": dict(anchors),
                "uploaded_by": request.user,
                "uploaded_at": timezone.now(),
            },
        )
        record(
            request,
            "instrument_text.create" if created else "instrument_text.update",
            obj=row,
            detail=f"{instrument.id} v{instrument.version} {language}",
        )
    return row, created
