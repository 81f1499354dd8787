"""One diary entry per partner per day (the database enforces it)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.cases.models import Partner
from dyade.clinic import diary as rules
from dyade.clinic.visibility import Visibility
from dyade.crypto import EncryptedTextField

_SCALE = [MinValueValidator(rules.SCALE_MIN), MaxValueValidator(rules.SCALE_MAX)]


class NoteVisibility(models.TextChoices):
    PRIVATE = Visibility.PRIVATE.value, _("Only me and my therapist")
    SHARED = Visibility.SHARED.value, _("Shared with my partner (and my therapist)")


class DiaryEntry(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="diary_entries")
    date = models.DateField()
    closeness = models.PositiveSmallIntegerField(_("closeness"), validators=_SCALE)
    feeling_seen = models.PositiveSmallIntegerField(_("feeling seen"), validators=_SCALE)
    stress = models.PositiveSmallIntegerField(_("stress"), validators=_SCALE)
    desire = models.PositiveSmallIntegerField(_("sexual desire"), validators=_SCALE)
    sexual_contact = models.BooleanField(_("sexual contact"))
    conflict = models.BooleanField(_("conflict"))
    note = EncryptedTextField(_("note"), blank=True)
    note_visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.PRIVATE
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partner", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "date"], name="one_entry_per_partner_per_day"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(
                        **{f"{name}__gte": rules.SCALE_MIN, f"{name}__lte": rules.SCALE_MAX}
                    ),
                    name=f"diary_{name}_in_scale",
                )
                for name in ("closeness", "feeling_seen", "stress", "desire")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.date}"
