"""Large exports in the background: queue, build, hand out, delete.

A study with more diary rows than ``DYADE_EXPORT_BACKGROUND_ROWS`` is
not built while the researcher waits. The request makes a
:class:`~dyade.research.models.PreparedExport` and queues
:func:`dyade.research.tasks.build_export`; the task checks the researcher's
access again, writes the zip into ``DYADE_EXPORT_DIR`` (a private folder the
web server never serves) under a random name, and logs the export like a
direct one. The study page then shows a download link, to that researcher
only. Each download goes through the same access check, is logged per couple,
and is refused (and the file deleted) when a couple in it has since taken
their consent back. Files are deleted ``DYADE_EXPORT_KEEP_HOURS`` after they
were made (:func:`delete_expired`, run by a task and by
``manage.py delete_expired_exports``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.cases.models import Case
from dyade.research import access, services
from dyade.research.models import Export, PreparedExport, PreparedStatus, Study, StudyStatus

logger = logging.getLogger(__name__)

BACKGROUND_ROWS = 20_000
KEEP_HOURS = 24
_OUR_FILE = re.compile(r"^[0-9a-f]{32}\.zip(\.part)?$")


class NotAvailable(Exception):
    """The prepared file cannot be handed out; the message says why."""


def background_rows(fmt: str) -> int:
    """Above this many diary rows an export in ``fmt`` is built in the background.

    The same for every format: all of them stream (SPSS too, since Dyade writes it itself).
    """
    del fmt
    return int(getattr(settings, "DYADE_EXPORT_BACKGROUND_ROWS", BACKGROUND_ROWS))


def keep_for() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "DYADE_EXPORT_KEEP_HOURS", KEEP_HOURS)))


def needs_background(study_plan: services.Plan, fmt: str) -> bool:
    return study_plan.n_rows > background_rows(fmt)


def _path(prepared: PreparedExport) -> Path:
    return services.export_dir() / prepared.file_name


def current(user: Any, study: Study) -> list[PreparedExport]:
    """The researcher's own prepared exports of a study that still have a state to show."""
    return list(
        PreparedExport.objects.filter(study=study, researcher=user)
        .exclude(status=PreparedStatus.GONE)
        .order_by("-created_at", "-pk")[:10]
    )


def queue(
    request: HttpRequest, study: Study, fmt: str, request_id: uuid.UUID | None
) -> tuple[PreparedExport, bool]:
    """Ask for an export in the background; ``True`` when a new one must be queued.

    The same form sent twice, or a second request while one in the same format
    is still being prepared, makes nothing new.
    """
    language = translation.get_language() or "nl"
    with transaction.atomic():
        mine = PreparedExport.objects.filter(study=study, researcher=request.user)
        found = None
        if request_id is not None:
            found = mine.filter(request_id=request_id).first()
        found = found or mine.filter(format=fmt, status=PreparedStatus.PENDING).first()
        if found is not None:
            return found, False
        try:
            with transaction.atomic():
                prepared = PreparedExport.objects.create(
                    study=study,
                    researcher=request.user,
                    format=fmt,
                    language=language if language in ("en", "nl") else "nl",
                    request_id=request_id,
                )
                record(request, "research.prepared.create", obj=prepared, detail=fmt)
        except IntegrityError:  # the same form, sent twice at once
            return PreparedExport.objects.get(request_id=request_id), False
    return prepared, True


def failed(prepared: PreparedExport, reason: str) -> None:
    prepared.status = PreparedStatus.FAILED
    prepared.save(update_fields=["status"])
    logger.warning("prepared export %s failed: %s", prepared.pk, reason)


def _open_private(path: Path) -> BinaryIO:
    """A new file only its owner can read."""
    return os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600), "w+b")


def build(prepared_id: int) -> str:
    """Build a queued export (the task's work); returns what became of it."""
    prepared = (
        PreparedExport.objects.select_related("study", "researcher")
        .filter(pk=prepared_id, status=PreparedStatus.PENDING)
        .first()
    )
    if prepared is None:
        return "gone"
    study, researcher = prepared.study, prepared.researcher
    allowed = study.status != StudyStatus.DRAFT and (
        access.research_studies(researcher).filter(pk=study.pk).exists()
    )
    if not allowed:  # named no longer, deactivated, or the study is in draft
        record(
            None,
            "research.export.create",
            user=researcher,
            obj=study,
            outcome=Outcome.DENIED,
            detail=f"prepared export {prepared.pk}: no longer allowed",
        )
        failed(prepared, "the researcher may no longer export this study")
        return "refused"
    study_plan = services.plan(researcher, study)
    target = _path(prepared)
    part = target.with_name(target.name + ".part")
    try:
        with _open_private(part) as out:
            built = services.write_zip(
                study_plan, prepared.format, out, researcher=researcher, language=prepared.language
            )
        part.replace(target)
    except Exception:
        part.unlink(missing_ok=True)
        logger.exception("prepared export %s could not be built", prepared.pk)
        failed(prepared, "the files could not be built")
        return "failed"
    now = timezone.now()
    with transaction.atomic():
        export = Export.objects.create(
            study=study,
            researcher=researcher,
            format=prepared.format,
            n_dyads=built.counts.n_dyads,
            n_rows=built.counts.n_rows,
            sha256=built.sha256,
        )
        record(None, "research.export.create", user=researcher, obj=export, detail=prepared.format)
        services.record_reads(
            None,
            study,
            study_plan.cases,
            f"study {study.pk}, export {export.pk} ({prepared.format}), prepared",
            user=researcher,
        )
        prepared.status = PreparedStatus.READY
        prepared.export = export
        prepared.cases = [case.pk for case in study_plan.cases]
        prepared.ready_at = now
        prepared.expires_at = now + keep_for()
        prepared.size = target.stat().st_size
        prepared.save()
    return "ready"


def hand_out(request: HttpRequest, study: Study, token: str) -> tuple[PreparedExport, Path]:
    """The researcher's own prepared file, with its download logged per couple.

    Raises
    ------
    Http404
        (logged as denied) for a file that is not this researcher's of this study.
    NotAvailable
        for a file not ready, expired, or holding a couple that took consent back.
    """
    prepared = (
        PreparedExport.objects.filter(study=study, researcher=request.user, token=token)
        .select_related("study", "export")
        .first()
    )
    if prepared is None:
        policy.refuse(request, "research.prepared.read", f"study {study.pk}, prepared export")
    if prepared.status == PreparedStatus.PENDING:
        raise NotAvailable(_("The file is still being prepared. Try again in a minute."))
    if prepared.status != PreparedStatus.READY:
        raise NotAvailable(_("This file is no longer available. Prepare the download again."))
    if prepared.expires_at is None or prepared.expires_at <= timezone.now():
        delete(prepared, "expired")
        raise NotAvailable(_("This file has expired and was deleted. Prepare it again."))
    in_study = set(access.study_cases(request.user, study).values_list("pk", flat=True))
    if not set(prepared.cases) <= in_study:
        delete(prepared, "a couple took back consent after it was prepared")
        raise NotAvailable(
            _(
                "Since this file was prepared, a couple in it has taken back their consent, "
                "so it was deleted. Prepare the download again."
            )
        )
    path = _path(prepared)
    if not path.is_file():
        delete(prepared, "the file was missing")
        raise NotAvailable(_("This file is no longer available. Prepare the download again."))
    cases = list(Case.objects.filter(pk__in=prepared.cases).only("id", "label", "practice_id"))
    with transaction.atomic():
        record(request, "research.prepared.read", obj=prepared, detail=prepared.format)
        services.record_reads(
            request,
            study,
            cases,
            f"study {study.pk}, export {prepared.export_id} ({prepared.format}), download",
        )
    return prepared, path


def chunks(path: Path, size: int = 1 << 16) -> Iterator[bytes]:
    """The file in blocks; it is opened on the first block and closed after the last."""
    with path.open("rb") as handle:
        while block := handle.read(size):
            yield block


def delete(prepared: PreparedExport, reason: str) -> None:
    """Delete a prepared file and say so in the audit trail."""
    path = _path(prepared)
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".part").unlink(missing_ok=True)
    prepared.status = PreparedStatus.GONE
    prepared.save(update_fields=["status"])
    record(None, "research.prepared.delete", obj=prepared, detail=reason)


def delete_expired(now: dt.datetime | None = None) -> int:
    """Delete expired files, files of builds that never finished, and stray files.

    Returns how many prepared exports were deleted.
    """
    now = now or timezone.now()
    keep = keep_for()
    stale = (
        PreparedExport.objects.filter(
            Q(status=PreparedStatus.READY, expires_at__lte=now)
            | Q(
                status__in=[PreparedStatus.PENDING, PreparedStatus.FAILED],
                created_at__lte=now - keep,
            )
        )
        .select_related("study")
        .order_by("pk")
    )
    count = 0
    for prepared in stale:
        delete(prepared, "expired" if prepared.status == PreparedStatus.READY else "never finished")
        count += 1
    live = set(
        PreparedExport.objects.filter(
            status__in=[PreparedStatus.PENDING, PreparedStatus.READY]
        ).values_list("token", flat=True)
    )
    oldest = (now - keep).timestamp()
    for path in services.export_dir().iterdir():
        if path.stat().st_mtime > oldest:
            continue
        if path.is_file() and _OUR_FILE.match(path.name) and path.name[:32] not in live:
            path.unlink(missing_ok=True)
        elif path.is_dir() and path.name.startswith("dyade-export-"):  # a crashed build
            shutil.rmtree(path, ignore_errors=True)
    return count
