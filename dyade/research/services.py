"""Taking a study's data out: the pseudonymous dataset, the files, the audit trail.

Everything here starts from :func:`dyade.cases.access.study_cases`, so only
couples in which both partners consented ever reach a file, and only a
researcher named in the study gets any.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dyade.audit.services import record
from dyade.cases.models import Case
from dyade.clinic import diary as diary_rules
from dyade.clinic.research import Dataset, DiaryRow, build, pseudonym
from dyade.diary.models import DiaryEntry
from dyade.research import access
from dyade.research.files import bundle
from dyade.research.models import Export, Study

_FIELDS = tuple(field.name for field in diary_rules.FIELDS if field.name != "note")


def dyad_id(study: Study, case: Case) -> str:
    return pseudonym(study.secret.encode("ascii"), f"case:{case.pk}")


def _rows(study: Study, cases: list[Case]) -> list[DiaryRow]:
    ids = {case.pk: dyad_id(study, case) for case in cases}
    entries = DiaryEntry.objects.filter(
        partner__case_id__in=ids, date__gte=study.data_from
    ).select_related("partner")
    if study.data_until is not None:
        entries = entries.filter(date__lte=study.data_until)
    rows = []
    for entry in entries.order_by("partner__case_id", "date", "partner__slot"):
        values: dict[str, object] = {name: getattr(entry, name) for name in _FIELDS}
        if study.allows_free_text:
            values["note"] = entry.note
        rows.append(
            DiaryRow(
                dyad=ids[entry.partner.case_id],
                role=entry.partner.slot,
                date=entry.date,
                values=values,
            )
        )
    return rows


@dataclass(frozen=True)
class StudyData:
    dataset: Dataset
    cases: list[Case]


def study_data(user: Any, study: Study) -> StudyData:
    """The study's dataset as ``user`` may have it (empty for anyone not named in it)."""
    cases = list(access.study_cases(user, study).order_by("pk"))
    return StudyData(build(_rows(study, cases), free_text=study.allows_free_text), cases)


def record_reads(request: HttpRequest, study: Study, cases: list[Case], detail: str) -> None:
    """One audit event per couple whose diaries left the database for this study."""
    for case in cases:
        record(request, "research.data.read", case=case, obj=study, detail=detail)


def make_export(
    request: HttpRequest, study: Study, fmt: str, request_id: uuid.UUID | None
) -> tuple[Export, bytes]:
    """Build the files and write the export record and its audit events together.

    Sending the same form twice (the same ``request_id``) makes no second
    record; the files are built again and the reads are logged again.
    """
    language = translation.get_language() or "nl"
    # Build the files before the transaction, so that a large study does not
    # hold the database's write lock; nothing leaves before the events are written.
    data = study_data(request.user, study)
    readme = render_to_string(
        "research/export_readme.txt",
        {
            "study": study,
            "data": data.dataset,
            "format": fmt,
            "made_at": timezone.now(),
            "researcher": request.user,
        },
    )
    content = bundle(data.dataset, fmt, language=language, readme=readme)
    with transaction.atomic():
        export = None
        if request_id is not None:
            export = Export.objects.filter(request_id=request_id, study=study).first()
        if export is None:
            try:
                with transaction.atomic():
                    export = Export.objects.create(
                        study=study,
                        researcher=request.user,
                        format=fmt,
                        n_dyads=data.dataset.n_dyads,
                        n_rows=len(data.dataset.long),
                        sha256=hashlib.sha256(content).hexdigest(),
                        request_id=request_id,
                    )
                    record(request, "research.export.create", obj=export, detail=fmt)
            except IntegrityError:  # the same form, sent twice at once
                export = Export.objects.get(request_id=request_id)
        record_reads(request, study, data.cases, f"study {study.pk}, export {export.pk} ({fmt})")
    return export, content
