"""A partner's choice to show their own progress chart to the other partner.

The chart itself is made from the session check-ins (``questionnaires``) and
the sessions (``sessions``); this app stores only the choice. No row means
"not shared": nothing is shown to the other partner until the partner says so.
The alliance answers are never shared, whatever is chosen here.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from dyade.cases.models import Partner


class Sharing(models.Model):
    partner = models.OneToOneField(
        Partner, on_delete=models.CASCADE, related_name="progress_sharing"
    )
    shared = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"progress of partner {self.partner_id} {'shared' if self.shared else 'own'}"


class ChangeValues(models.Model):
    """A practice's own SD and reliability of an outcome measure, for reliable change.

    Only for a measure whose file ships no such values: the file always wins.
    ``source`` says where the numbers come from (a publication, or the
    practice's own norm data); every page that shows a status built on them
    names it.
    """

    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.CASCADE, related_name="change_values"
    )
    instrument = models.CharField(max_length=64)
    sd = models.FloatField()
    reliability = models.FloatField()
    source = models.TextField(max_length=1000)
    request_id = models.UUIDField(null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "instrument"], name="progress_change_values_once"
            )
        ]

    def __str__(self) -> str:
        return f"change values of {self.instrument} for practice {self.practice_id}"
