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
