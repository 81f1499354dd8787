"""Questionnaires given to partners, and item texts a practice imports for licensed scales."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.accounts.models import Practice
from dyade.cases.models import Case, Partner
from dyade.clinic.instruments import Instrument
from dyade.content import instrument as load_instrument
from dyade.crypto import EncryptedTextField


class InstrumentText(models.Model):
    """The item texts of a key-only instrument, in one language, held by one practice.

    Dyade ships only the scoring key of published instruments; a practice that
    holds the texts under licence uploads them here. They are not client data.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=60)
    version = models.CharField(max_length=20)
    language = models.CharField(max_length=5)
    items = models.JSONField()  # linkId -> text
    anchors = models.JSONField(default=dict)  # answer value (as text) -> label
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "instrument", "version", "language"],
                name="one_text_per_instrument_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.version} {self.language}"


class Status(models.TextChoices):
    OPEN = "open", _("to fill in")
    SUBMITTED = "submitted", _("submitted")


class Moment(models.TextChoices):
    """When a check-in is filled in, relative to the session it belongs to."""

    NONE = "", _("not a session check-in")
    BEFORE = "before", _("before the session")
    AFTER = "after", _("after the session")


class Administration(models.Model):
    """One instrument given to one partner: the answers so far and where they stopped.

    The answers are stored encrypted, as JSON mapping linkId to the answer (a
    whole number, an option code, a list of codes, or text). The version of the
    instrument is recorded so that an old administration is always read with
    the questions and key it was filled in with.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="administrations")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="administrations")
    instrument = models.CharField(max_length=60)
    version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answers_json = EncryptedTextField(default="{}")
    page = models.PositiveSmallIntegerField(default=0)  # 0-based page to resume at
    pages_seen = models.PositiveSmallIntegerField(default=0)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    request_id = models.UUIDField(null=True, blank=True)
    # A session check-in: the outcome measure before a session, the alliance check after it.
    appointment = models.ForeignKey(
        "dyade_sessions.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_ins",
    )
    moment = models.CharField(max_length=6, choices=Moment.choices, default="", blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "instrument"],
                condition=Q(status="open"),
                name="one_open_administration_per_instrument",
            ),
            models.UniqueConstraint(
                fields=["request_id", "partner"], name="one_administration_per_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.version} ({self.partner})"

    @property
    def answers(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.answers_json or "{}")
        return data

    def set_answers(self, answers: dict[str, Any]) -> None:
        self.answers_json = json.dumps(answers, ensure_ascii=False, sort_keys=True)

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    def definition(self) -> Instrument:
        return load_instrument(self.instrument, self.version)
