"""Psycho-education pages a therapist gives to a partner to read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from dyade.cases.models import Partner


class ReadingAssignment(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="readings")
    slug = models.CharField(max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "slug"], name="one_reading_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.slug} for partner {self.partner_id}"
