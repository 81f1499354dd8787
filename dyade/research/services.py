"""Taking a study's data out: the pseudonymous dataset, the files, the audit trail.

Everything here starts from :func:`dyade.research.access.study_cases`, so only
couples in which both partners consented ever reach a file, and only a
researcher named in the study gets any.

The export streams: the couples are read from the database in batches of about
:data:`BATCH_ROWS` diary rows, in the order of their pseudonyms, and each
couple's rows go straight to the files (:class:`dyade.research.files.ExportFiles`),
so memory holds one batch whatever the size of the study. Only the diary items
the study receives are read: the note (stored encrypted) only when the study
allows free text.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dyade.audit.services import prepare, record, record_many
from dyade.cases.models import Case
from dyade.clinic.research import CoupleTables, Dataset, Layout, couple_tables, layout, pseudonym
from dyade.clinic.research.tables import dataset_of
from dyade.diary.models import DiaryEntry
from dyade.research import access, session_series
from dyade.research.files import Counts, ExportFiles
from dyade.research.models import Export, Study

BATCH_ROWS = 20_000  # diary rows read from the database at once, at most (about)
BATCH_COUPLES = 500  # and at most this many couples (the ids go into the query)


def dyad_id(study: Study, case: Case) -> str:
    return pseudonym(study.secret.encode("ascii"), f"case:{case.pk}")


def export_dir() -> Path:
    """The private folder of the export files (never served by the web server)."""
    configured = getattr(settings, "DYADE_EXPORT_DIR", None)
    path = Path(configured) if configured else Path(settings.LOCAL_DIR) / "exports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Couple:
    case: Case
    dyad: str  # its pseudonym in the study
    rows: int  # its diary rows in the study period


@dataclass(frozen=True)
class Plan:
    """The couples of one export, in the order of their pseudonyms, and their diary rows."""

    study: Study
    couples: list[Couple] = field(default_factory=list)

    @property
    def cases(self) -> list[Case]:
        return [couple.case for couple in self.couples]

    @property
    def n_rows(self) -> int:
        return sum(couple.rows for couple in self.couples)

    def batches(self) -> Iterator[list[Couple]]:
        """Runs of couples with about :data:`BATCH_ROWS` diary rows together."""
        batch: list[Couple] = []
        rows = 0
        for couple in self.couples:
            if batch and (rows + couple.rows > BATCH_ROWS or len(batch) == BATCH_COUPLES):
                yield batch
                batch, rows = [], 0
            batch.append(couple)
            rows += couple.rows
        if batch:
            yield batch


def _period(study: Study) -> Q:
    period = Q(date__gte=study.data_from)
    if study.data_until is not None:
        period &= Q(date__lte=study.data_until)
    return period


def plan(user: Any, study: Study) -> Plan:
    """Who is in an export of ``study`` by ``user`` (nobody for anyone not named in it).

    Two queries (more above 2,000 couples): the consenting couples, and the
    number of diary rows of each.
    """
    cases = list(access.study_cases(user, study).only("id", "label", "practice_id"))
    counts: dict[int, int] = {}
    for start in range(0, len(cases), 2_000):
        ids = [case.pk for case in cases[start : start + 2_000]]
        counts.update(
            DiaryEntry.objects.filter(_period(study), partner__case_id__in=ids)
            .order_by()
            .values_list("partner__case_id")
            .annotate(n=Count("id"))
        )
    couples = [Couple(case, dyad_id(study, case), counts.get(case.pk, 0)) for case in cases]
    return Plan(study, sorted(couples, key=lambda couple: couple.dyad))


def couples_tables(study_plan: Plan, shape: Layout, *, csv: bool = False) -> Iterator[CoupleTables]:
    """Each couple's rows of the three tables, in the order of the plan.

    One query per batch; only the columns of ``shape`` are read, so the note is
    neither read nor decrypted unless the study receives it. The rows are ordered
    by couple only: :func:`couple_tables` puts each couple's entries in order of
    day and role itself, so the database need not sort them.
    """
    columns = ("partner__case_id", "partner__slot", "date", *shape.source)
    for batch in study_plan.batches():
        ids = [couple.case.pk for couple in batch if couple.rows]
        by_case: dict[int, list[tuple[object, ...]]] = {}
        if ids:
            entries = (
                DiaryEntry.objects.filter(_period(study_plan.study), partner__case_id__in=ids)
                .order_by("partner__case_id")
                .values_list(*columns)
            )
            for case_id, rows in groupby(entries.iterator(chunk_size=2_000), key=itemgetter(0)):
                by_case[case_id] = [row[1:] for row in rows]
        for couple in batch:
            yield couple_tables(shape, couple.dyad, by_case.pop(couple.case.pk, []), csv=csv)


@dataclass(frozen=True)
class StudyData:
    dataset: Dataset
    cases: list[Case]


def study_data(user: Any, study: Study) -> StudyData:
    """The study's numbers in memory, for the models (never the notes)."""
    study_plan = plan(user, study)
    shape = layout(False)
    return StudyData(dataset_of(shape, couples_tables(study_plan, shape)), study_plan.cases)


def record_reads(
    request: HttpRequest | None, study: Study, cases: list[Case], detail: str, *, user: Any = None
) -> None:
    """One audit event per couple whose diaries left the database for this study.

    Written together (:func:`dyade.audit.services.record_many`), 500 at a time:
    a study of 3,000 couples costs a few statements, not 3,000.
    """
    for start in range(0, len(cases), 500):
        record_many(
            prepare(request, "research.data.read", case=case, obj=study, user=user, detail=detail)
            for case in cases[start : start + 500]
        )


@dataclass(frozen=True)
class Built:
    counts: Counts
    sha256: str


def write_zip(
    study_plan: Plan, fmt: str, out: BinaryIO, *, researcher: Any, language: str
) -> Built:
    """Write the export's ZIP to ``out`` (a seekable file), streaming couple by couple."""
    study = study_plan.study
    shape = layout(study.allows_free_text)
    with tempfile.TemporaryDirectory(prefix="dyade-export-", dir=export_dir()) as directory:
        files = ExportFiles(shape, fmt, language, Path(directory))
        for tables in couples_tables(study_plan, shape, csv=True):
            files.add(tables)
        for rows in session_series.couple_rows(study_plan):
            files.add_sessions(rows)
        with translation.override(language):
            readme = render_to_string(
                "research/export_readme.txt",
                {
                    "study": study,
                    "data": files.counts,
                    "format": fmt,
                    "made_at": timezone.now(),
                    "researcher": researcher,
                },
            )
        files.finish(readme, out)
    out.flush()
    out.seek(0)
    digest = hashlib.sha256()
    while block := out.read(1 << 20):
        digest.update(block)
    out.seek(0)
    return Built(files.counts, digest.hexdigest())


def make_export(
    request: HttpRequest,
    study: Study,
    fmt: str,
    request_id: uuid.UUID | None,
    study_plan: Plan | None = None,
) -> tuple[Export, bytes]:
    """Build the files and write the export record and its audit events together.

    Sending the same form twice (the same ``request_id``) makes no second
    record; the files are built again and the reads are logged again. The ZIP
    is built in a private temporary file; it is returned as bytes because this
    path only serves studies below the background threshold (see
    :mod:`dyade.research.prepared`).
    """
    language = translation.get_language() or "nl"
    language = language if language in ("en", "nl") else "nl"
    study_plan = study_plan or plan(request.user, study)
    # Build the files before the transaction, so that a large study does not
    # hold the database's write lock; nothing leaves before the events are written.
    with tempfile.TemporaryFile(dir=export_dir()) as out:
        built = write_zip(study_plan, fmt, out, researcher=request.user, language=language)
        content = out.read()
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
                        n_dyads=built.counts.n_dyads,
                        n_rows=built.counts.n_rows,
                        sha256=built.sha256,
                        request_id=request_id,
                    )
                    record(request, "research.export.create", obj=export, detail=fmt)
            except IntegrityError:  # the same form, sent twice at once
                export = Export.objects.get(request_id=request_id)
        record_reads(
            request, study, study_plan.cases, f"study {study.pk}, export {export.pk} ({fmt})"
        )
    return export, content
