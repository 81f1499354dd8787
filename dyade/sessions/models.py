"""What the therapist records about a case: session observations, decisions on
guidance signals, the track of the therapy and versions of the cycle map.

All of it is clinical: only the case's therapists see it, except cycle map
versions that a therapist has published to the partners and the closing summary a
therapist has given them.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dyade.cases.models import Case
from dyade.crypto import EncryptedTextField

# Who a finding is about; blank means "not noted" (unknown), "none" that nobody is.
BY_WHOM = [
    ("A", _("Partner A")),
    ("B", _("Partner B")),
    ("both", _("both partners")),
    ("none", _("neither")),
]


class Attendance(models.TextChoices):
    PLANNED = "planned", _("planned")
    BOTH = "both", _("both partners")
    A = "A", _("partner A alone")
    B = "B", _("partner B alone")
    CANCELLED = "cancelled", _("did not take place")


class PlannedFor(models.TextChoices):
    BOTH = "both", _("both partners")
    A = "A", _("partner A alone")
    B = "B", _("partner B alone")


class Appointment(models.Model):
    """One therapy session of a case: planned ahead, then recorded as held.

    Observations, signal decisions and exercises given link to the session
    they belong to; check-ins before and after it hang on it too.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("date and time"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=50)
    planned_for = models.CharField(
        _("planned with"), max_length=4, choices=PlannedFor.choices, default=PlannedFor.BOTH
    )
    attendance = models.CharField(
        _("who attended"), max_length=10, choices=Attendance.choices, default=Attendance.PLANNED
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("therapist"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["case", "starts_at"], name="appointment_case_start")]

    def __str__(self) -> str:
        return f"session {self.pk} of case {self.case_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class CheckInPlan(models.Model):
    """A case's session check-ins: which outcome measure before a session.

    Without a row the case uses the defaults (``dyade.sessions.check_ins``).
    An empty ``outcome`` or ``alliance`` switches that check-in off.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="check_in_plan")
    outcome = models.CharField(_("before the session"), max_length=60, blank=True)
    alliance = models.CharField(_("after the session"), max_length=60, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"check-ins of case {self.case_id}: {self.outcome or '-'} / {self.alliance or '-'}"


class Observation(models.Model):
    """The therapist's short structured notes after one session.

    Every yes/no item has three states: yes, no, and "not noted" (``None``).
    A rule only fires on what was noted.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="observations")
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    date = models.DateField(_("session date"), default=timezone.localdate)
    love_felt = models.BooleanField(_("I can feel love between them"), null=True, blank=True)
    motivation_a = models.PositiveSmallIntegerField(
        _("motivation of partner A (0-10)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )
    motivation_b = models.PositiveSmallIntegerField(
        _("motivation of partner B (0-10)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )
    hidden_agenda = models.BooleanField(_("I suspect a hidden agenda"), null=True, blank=True)
    goals_diverge = models.BooleanField(
        _("their own goals lie too far apart"), null=True, blank=True
    )
    powerlessness = models.BooleanField(
        _("powerlessness: anxiety as a third person only the partner could remove"),
        null=True,
        blank=True,
    )
    needs_encouragement = models.BooleanField(
        _("the couple needs encouragement to persevere"), null=True, blank=True
    )
    destructive_claim_by = models.CharField(
        _("a partner lays too destructive a claim on the other"),
        max_length=4,
        blank=True,
        choices=BY_WHOM,
    )
    claim_complied = models.BooleanField(
        _("the other goes along with that claim"), null=True, blank=True
    )
    partner_left_by = models.CharField(
        _("a partner has emotionally left the relationship, as I see it"),
        max_length=4,
        blank=True,
        choices=BY_WHOM,
    )
    connection_not_in_daily_life = models.BooleanField(
        _("connection in the session does not reach daily life"), null=True, blank=True
    )
    approval_dependence = models.BooleanField(
        _("both hang on the other's approval"), null=True, blank=True
    )
    comfort_zone_routine = models.BooleanField(
        _("comfort zone: they spare each other, sex is a routine"), null=True, blank=True
    )
    sex_disrupted_by_attachment = models.BooleanField(
        _("attachment problems disrupt their sex"), null=True, blank=True
    )
    emotional_safety = models.BooleanField(
        _("emotional safety is established"), null=True, blank=True
    )
    escalation = models.BooleanField(
        _("escalation or verbal aggression in the session"), null=True, blank=True
    )
    painful_subject_avoided = models.BooleanField(
        _("we kept away from a painful subject"), null=True, blank=True
    )
    eft_stage = models.PositiveSmallIntegerField(
        _("EFT stage"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        choices=[(1, _("1 de-escalation")), (2, _("2 restructuring")), (3, _("3 consolidation"))],
    )
    note = EncryptedTextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    FLAGS = (
        "love_felt",
        "hidden_agenda",
        "goals_diverge",
        "powerlessness",
        "needs_encouragement",
        "connection_not_in_daily_life",
        "approval_dependence",
        "comfort_zone_routine",
        "sex_disrupted_by_attachment",
        "emotional_safety",
        "escalation",
        "painful_subject_avoided",
        "claim_complied",
    )

    class Meta:
        ordering = ["date", "created_at", "pk"]

    def __str__(self) -> str:
        return f"observation {self.pk} of case {self.case_id}"

    def as_snapshot(self) -> dict[str, Any]:
        """The observation in the snapshot's JSON form, without what was not noted."""
        data: dict[str, Any] = {"date": self.date.isoformat()}
        for name in (*self.FLAGS, "motivation_a", "motivation_b", "eft_stage"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        for name in ("destructive_claim_by", "partner_left_by"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data


class Decision(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("signal decision", "accepted")
    DISMISSED = "dismissed", pgettext_lazy("signal decision", "dismissed")


class SignalDecision(models.Model):
    """A therapist accepting or dismissing one guidance signal, with the reason.

    The inputs that fired the signal are kept with the decision, so the
    history shows what the therapist was looking at.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signal_decisions")
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    signal = models.CharField(max_length=60)
    kind = models.CharField(max_length=20)
    fingerprint = models.CharField(max_length=64)  # of the reasons at the time
    reasons_json = EncryptedTextField(default="[]")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = EncryptedTextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.signal} {self.decision}"

    @property
    def reasons(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads(self.reasons_json or "[]")
        return data


class TrackName(models.TextChoices):
    EFT = "eft", _("EFT")
    DIFFERENTIATION = "differentiation", _("Differentiation")
    SAFETY = "safety", _("Safety first")
    INDIVIDUAL = "individual", _("Individual work")


class TrackChange(models.Model):
    """The case moving onto a track (or to another EFT stage), and why.

    The newest change is the current track; all of them form the timeline.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="track_changes")
    track = models.CharField(_("track"), max_length=20, choices=TrackName.choices)
    stage = models.PositiveSmallIntegerField(
        _("EFT stage"),
        null=True,
        blank=True,
        choices=[(1, _("1 de-escalation")), (2, _("2 restructuring")), (3, _("3 consolidation"))],
    )
    focus = models.JSONField(default=list, blank=True)  # points of balance in focus
    signals = models.JSONField(default=list, blank=True)  # ids of the signals behind it
    reason = EncryptedTextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.track} {self.stage or ''}".strip()


class CycleVersion(models.Model):
    """One saved version of the case's cycle map; a published one reaches the partners."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cycle_versions")
    number = models.PositiveIntegerField()
    data_json = EncryptedTextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_cycle_version_number")
        ]

    def __str__(self) -> str:
        return f"cycle map v{self.number} of case {self.case_id}"

    @property
    def data(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.data_json or "{}")
        return value


class PartnerSummary(models.Model):
    """The closing summary written for the partners, given by an explicit action.

    What it holds is what was given: the outcome as it was then, the text the therapist
    wrote for the partners (not the internal closing note), the published cycle map
    version and the exercises given to both. Withdrawing keeps the row (the audit trail
    refers to it) but takes it away from the partners.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_summaries")
    outcome = models.CharField(max_length=30)
    note = EncryptedTextField(blank=True)
    cycle_version = models.ForeignKey(
        CycleVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exercises = models.JSONField(default=list, blank=True)  # slugs of the exercises for both
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-given_at", "-pk"]

    def __str__(self) -> str:
        return f"closing summary {self.pk} of case {self.case_id}"
