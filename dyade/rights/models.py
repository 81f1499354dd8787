"""How long a practice keeps closed cases, and the record of what was destroyed.

The retention term runs from a closed case's last change (``Case.changed_at``,
or its closing date when that is later). The defaults and their sources are in
docs/privacy.md ("Retention"): the Netherlands 20 years after the last change
(WGBO, art. 7:454 lid 3 BW, since 1 January 2020), Belgium 30 years after the
last contact (art. 35 of the law of 22 April 2019 on the quality of health care
practice, which also allows at most 50).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.accounts.models import Practice


class Country(models.TextChoices):
    NETHERLANDS = "NL", _("the Netherlands")
    BELGIUM = "BE", _("Belgium")


# The least a practice may keep a closed case, and the most (None: no upper limit in law).
LEGAL_TERMS: dict[str, tuple[int, int | None]] = {
    Country.NETHERLANDS: (20, None),
    Country.BELGIUM: (30, 50),
}
# Beyond the legal terms a practice may choose, Dyade accepts at most this many years.
MOST_YEARS = 100


def default_years(country: str) -> int:
    return LEGAL_TERMS[country][0]


class Retention(models.Model):
    """A practice's retention term for closed cases (one row per practice; none: the default)."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="retention")
    country = models.CharField(
        _("country of the practice"),
        max_length=2,
        choices=Country.choices,
        default=Country.NETHERLANDS,
    )
    years = models.PositiveSmallIntegerField(_("years a closed case is kept"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"retention of practice {self.practice_id}: {self.years} years ({self.country})"


class Reason(models.TextChoices):
    REQUEST = "request", _("a request of the client")
    TERM = "term", _("the retention term has passed")


class Destruction(models.Model):
    """That a record was destroyed: when, by whom, why, and how many rows of which kind.

    It names nobody: the case and the partner appear only by their pseudonym, the
    same one that replaces them in the audit trail.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    pseudonym = models.CharField(max_length=60)
    scope = models.CharField(max_length=10)  # "case" or "partner"
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)
    request_id = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scope} {self.pseudonym} destroyed at {self.at:%Y-%m-%d}"
