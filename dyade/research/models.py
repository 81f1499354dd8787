"""Studies, the partners' consent to them, and the exports researchers made.

A practice runs a study; its practice admin sets it up and names the
researchers. Each partner decides for themselves whether their diary may be
used; a couple's data reaches a study only when both partners said yes.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.accounts.models import Practice
from dyade.cases.models import Partner


def new_secret() -> str:
    return secrets.token_hex(32)


class StudyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: not shown to partners yet")
    OPEN = "open", _("Open: partners can take part")
    CLOSED = "closed", _("Closed: no new participants")


class Study(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="studies")
    title = models.CharField(_("title"), max_length=200)
    information_nl = models.TextField(_("information for partners (Dutch)"))
    information_en = models.TextField(_("information for partners (English)"), blank=True)
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="studies",
        blank=True,
        verbose_name=_("researchers"),
    )
    allows_free_text = models.BooleanField(
        _("the study may receive diary notes (free text)"), default=False
    )
    data_from = models.DateField(_("diary days from"))
    data_until = models.DateField(_("diary days until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StudyStatus.choices, default=StudyStatus.DRAFT
    )
    # Key of the pseudonyms: the same couple keeps its id within this study and
    # cannot be linked across studies. Never shown to anyone.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return self.title

    def information(self, language: str) -> str:
        return (self.information_en if language == "en" else "") or self.information_nl


class Consent(models.Model):
    """One partner's current decision about one study (the audit log keeps the history)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="consents")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="consents")
    given = models.BooleanField()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["study", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["study", "partner"], name="one_consent_per_study"),
        ]

    def __str__(self) -> str:
        return f"consent of partner {self.partner_id} to study {self.study_id}: {self.given}"


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (any program)")
    PARQUET = "parquet", _("Parquet (R arrow, Python pandas)")
    SAV = "sav", _("SPSS (.sav, with labels)")


class Export(models.Model):
    """What a researcher took out of a study, and when (the files are not kept)."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="exports")
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    created_at = models.DateTimeField(default=timezone.now)
    n_dyads = models.PositiveIntegerField(default=0)
    n_rows = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"export {self.pk} of study {self.study_id}"


def new_token() -> str:
    return secrets.token_hex(16)


class PreparedStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("could not be prepared")
    GONE = "gone", _("deleted")


class PreparedExport(models.Model):
    """An export of a large study, built in the background for the researcher who asked.

    The zip waits in a private folder (``DYADE_EXPORT_DIR``, never served by the
    web server) under a random name until it expires; only that researcher can
    download it, after the same access check as a direct download.
    """

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="prepared_exports")
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    language = models.CharField(max_length=8, default="nl")
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    status = models.CharField(
        max_length=10, choices=PreparedStatus.choices, default=PreparedStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    export = models.OneToOneField(
        Export, on_delete=models.PROTECT, null=True, blank=True, related_name="prepared"
    )
    # The couples in the file (case ids, never shown): each download is logged
    # for each of them, and a file with a couple that has since taken its
    # consent back is deleted instead of handed out.
    cases = models.JSONField(default=list, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"prepared export {self.pk} of study {self.study_id}"

    @property
    def practice_id(self) -> int:
        """The study's practice (for the audit trail)."""
        return self.study.practice_id

    @property
    def file_name(self) -> str:
        return f"{self.token}.zip"
