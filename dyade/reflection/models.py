"""The therapist's own profile: attachment and the four points of balance.

It belongs to the therapist alone. It feeds the rules about the therapist in
the room (``therapist.collusion-risk``, ``room.level``) on that therapist's own
screens; colleagues and practice admins never see it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_ECR = [MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("7"))]
_BALANCE = [MaxValueValidator(10)]


class TherapistProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflection_profile"
    )
    attachment_anxiety = models.DecimalField(
        _("attachment anxiety (ECR-R, 1-7)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_ECR,
    )
    attachment_avoidance = models.DecimalField(
        _("attachment avoidance (ECR-R, 1-7)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_ECR,
    )
    balance_self = models.PositiveSmallIntegerField(
        _("a solid sense of self (0-10)"), null=True, blank=True, validators=_BALANCE
    )
    balance_calm = models.PositiveSmallIntegerField(
        _("a quiet mind and calm heart (0-10)"), null=True, blank=True, validators=_BALANCE
    )
    balance_grounded = models.PositiveSmallIntegerField(
        _("grounded responding (0-10)"), null=True, blank=True, validators=_BALANCE
    )
    balance_endurance = models.PositiveSmallIntegerField(
        _("meaningful endurance (0-10)"), null=True, blank=True, validators=_BALANCE
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"profile of therapist {self.user_id}"

    def as_snapshot(self) -> dict[str, object]:
        data: dict[str, object] = {}
        if self.attachment_anxiety is not None:
            data["attachment_anxiety"] = float(self.attachment_anxiety)
        if self.attachment_avoidance is not None:
            data["attachment_avoidance"] = float(self.attachment_avoidance)
        balance = {
            name: value
            for name in ("self", "calm", "grounded", "endurance")
            if (value := getattr(self, f"balance_{name}")) is not None
        }
        if balance:
            data["balance"] = balance
        return data
