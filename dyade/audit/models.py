"""The audit trail of every read and write of client data, after NEN 7513.

NEN 7513 asks per event: what happened, when, about which client, by whom in
which role, from which access point, on which object, and with what outcome.
References are stored as plain ids and labels, not foreign keys, so the trail
outlives the records it speaks about and cannot be changed by deleting them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    SUCCESS = "success", _("success")
    DENIED = "denied", _("denied")
    INVALID = "invalid", _("invalid input")


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    LOGIN = "login", _("log in")
    LOGOUT = "logout", _("log out")


class AuditEvent(models.Model):
    time = models.DateTimeField(default=timezone.now, db_index=True)
    event = models.CharField(max_length=60)  # e.g. "diary.read", "case.create"
    action = models.CharField(max_length=10, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    # who
    user_id = models.BigIntegerField(null=True, blank=True)
    user_label = models.CharField(max_length=254, blank=True)
    role = models.CharField(max_length=20, blank=True)
    # where
    # Indexed by (practice_id, -time) below, which serves every look-up by practice:
    # an index of its own would only be one more to write at every event.
    practice_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    access_point = models.CharField(max_length=300, blank=True)  # method, path
    user_agent = models.CharField(max_length=200, blank=True)
    # about whom and what
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    case_label = models.CharField(max_length=200, blank=True)
    partner_id = models.BigIntegerField(null=True, blank=True)  # the client
    partner_slot = models.CharField(max_length=1, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["practice_id", "-time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.event} {self.outcome} {self.user_label}"
