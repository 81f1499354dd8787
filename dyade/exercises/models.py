"""Exercises the therapist gives, and what each partner logs of them.

An assignment belongs to the couple (``partner`` empty) or to one partner. Each
partner logs each practice separately; inner experience in a log is private to
its author and the therapist unless the author shares it (see
:mod:`dyade.clinic.exercises`). Timer runs are stored as the events the phone
recorded, keyed by an id the phone made, so a resend is harmless.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from dyade.cases.models import Case, Partner
from dyade.crypto import EncryptedTextField


class Assignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exercise_assignments")
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )  # empty: for the couple
    slug = models.CharField(max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    step = models.PositiveSmallIntegerField(null=True, blank=True)  # ladder exercises
    frequency = models.CharField(max_length=120, blank=True)
    agreements = models.JSONField(default=list, blank=True)  # ids of the library's agreements
    own_agreements = EncryptedTextField(blank=True)  # the couple's own, one per line
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)  # guided exercises
    review_date = models.DateField(null=True, blank=True)
    # Why the therapist gave a touch or sexual exercise while a safety screen showed a sign
    # (the exercises page asks for it; guidance.sex_work_blocked says when).
    safety_override = EncryptedTextField(blank=True)
    active = models.BooleanField(default=True)
    # Ended when done as planned, withdrawn when it did not fit; either way inactive.
    ended_at = models.DateTimeField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)
    end_note = EncryptedTextField(blank=True)
    # The session it was given in, when it was given in one.
    appointment = models.ForeignKey(
        "dyade_sessions.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-assigned_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.slug} for case {self.case_id}"

    def is_for(self, partner: Partner) -> bool:
        return partner.case_id == self.case_id and self.partner_id in (None, partner.pk)


class LadderMove(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="moves")
    from_step = models.PositiveSmallIntegerField()
    to_step = models.PositiveSmallIntegerField()
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"step {self.from_step} -> {self.to_step}"


class Run(models.Model):
    """One run of a guided exercise on a partner's phone, as its events."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="runs")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    run_id = models.CharField(max_length=64, unique=True)  # made on the phone
    events_json = models.TextField(default="[]")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.run_id}"

    @property
    def events(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads(self.events_json or "[]")
        return data


class Log(models.Model):
    """One partner's log of one practice."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="logs")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    values_json = EncryptedTextField(default="{}")
    shared = models.BooleanField(default=False)  # the author shares the inner fields
    run = models.OneToOneField(
        Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    created_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"log {self.pk} of partner {self.partner_id}"

    @property
    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.values_json or "{}")
        return data


class Answers(models.Model):
    """A partner's answers to an inventory or plan (turn-on/turn-off, time-out plan)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    values_json = EncryptedTextField(default="{}")
    shared = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "partner"], name="one_answer_set")
        ]

    def __str__(self) -> str:
        return f"answers of partner {self.partner_id}"

    @property
    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.values_json or "{}")
        return data


class SessionRecord(models.Model):
    """The therapist's observation of an exercise done in the session (clinical)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="session_exercises")
    slug = models.CharField(max_length=60)
    date = models.DateField(default=timezone.localdate)
    values_json = EncryptedTextField(default="{}")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.slug} in session, case {self.case_id}"

    @property
    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.values_json or "{}")
        return data


class Entry(models.Model):
    """One line of a log exercise (a bid for sex and its answer), by one partner."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="entries")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    values_json = EncryptedTextField(default="{}")
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"entry {self.pk} of partner {self.partner_id}"

    @property
    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.values_json or "{}")
        return data
