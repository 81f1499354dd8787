"""A partner's reminders: what about, at what time, and by which channel."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.cases.models import Partner


class Topic(models.TextChoices):
    EXERCISES = "exercises", _("my exercises")
    DIARY = "diary", _("my diary")
    CHECK_INS = "check_ins", _("my check-ins before and after a session")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")  # more channels (push, text message) can be added here


class Reminder(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="reminders")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    at = models.TimeField(_("at"), default=dt.time(20, 0))
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    active = models.BooleanField(_("on"), default=False)
    last_sent_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "topic"], name="one_reminder_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.topic} reminder of partner {self.partner_id}"
