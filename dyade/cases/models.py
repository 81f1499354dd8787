"""Cases, the partners in them, and invitations for partners to join.

A case is a couple (partners A and B, of any genders) or an individual
relationship therapy (partner A only). It belongs to one practice and is
assigned to one or more of that practice's therapists.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.accounts.models import Language, Practice
from dyade.crypto import EncryptedTextField


class CaseKind(models.TextChoices):
    COUPLE = "couple", _("Couple")
    INDIVIDUAL = "individual", _("Individual relationship therapy")


class CaseForm(models.TextChoices):
    """The form of work (seed 004), chosen with the couple and changeable later."""

    COUPLE_THERAPY = "couple", _("Couple therapy")
    INDIVIDUAL = "individual", _("Individual relationship therapy")
    SEPARATION = "separation", _("Separation guidance (a respectful ending)")
    INFIDELITY = "infidelity", _("Therapy after infidelity")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    GROWN_CLOSER = "grown_closer", _("grown closer")
    ENDED_RESPECTFULLY = "ended_respectfully", _("ended respectfully")
    REFERRED = "referred", _("referred")
    STOPPED_EARLY = "stopped_early", _("stopped early")


class StoppedBy(models.TextChoices):
    PARTNER_A = "A", _("partner A")
    PARTNER_B = "B", _("partner B")
    BOTH = "both", _("both partners")
    THERAPIST = "therapist", _("the therapist")


class Case(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="cases")
    # Plain text on purpose: the caseload sorts and searches it in SQL and the audit
    # trail copies it; the form asks for a code or initials (docs/privacy.md).
    label = models.CharField(_("case name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    therapists = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_cases", verbose_name=_("therapists")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Makes a double-submitted creation form return the first case instead of a second.
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    form = models.CharField(
        _("form of work"), max_length=12, choices=CaseForm.choices, default=CaseForm.COUPLE_THERAPY
    )
    # Open until the therapist closes it with an outcome; reopened when a couple returns.
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    stopped_by = models.CharField(
        _("who stopped"), max_length=10, choices=StoppedBy.choices, blank=True
    )
    closing_note = EncryptedTextField(_("closing note"), blank=True)
    # The last change to the case's record; retention terms run from here once it is closed.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def slots(self) -> list[str]:
        return ["A", "B"] if self.kind == CaseKind.COUPLE else ["A"]


def touch_case(case: Case) -> None:
    """Note a change to the case's record now: a closed case's retention term runs from it.

    Call it inside the transaction of the change (closing, reopening, a handover).
    """
    case.changed_at = timezone.now()
    case.save(update_fields=["changed_at"])


class Slot(models.TextChoices):
    A = "A", _("Partner A")
    B = "B", _("Partner B")


class Partner(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partners")
    slot = models.CharField(max_length=1, choices=Slot.choices)
    # Encrypted at rest: nothing looks a partner up by name or address (docs/privacy.md).
    name = EncryptedTextField(_("first name or nickname"))
    email = EncryptedTextField(_("e-mail address"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_profile",
    )
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["case", "slot"], name="one_partner_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slot})"

    @property
    def other(self) -> Partner | None:
        return self.case.partners.exclude(pk=self.pk).first()


class InvitationState(models.TextChoices):
    PENDING = "pending", _("invited, not yet accepted")
    ACCEPTED = "accepted", _("accepted")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("replaced by a newer link")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Invitation(models.Model):
    """A single-use, expiring link that lets one partner create their account.

    The token is looked up by its hash; the therapist may copy the link again
    from the case page until it is used, so it is also kept encrypted.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    token = EncryptedTextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_to = EncryptedTextField(blank=True)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"invitation {self.pk} for partner {self.partner_id}"

    def state(self, now: dt.datetime | None = None) -> InvitationState:
        now = now or timezone.now()
        if self.used_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.PENDING
