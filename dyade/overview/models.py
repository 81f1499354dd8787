"""The caseload's order by attention, stored per therapist and case.

The worklist works out what each case needs (``dyade/overview/worklist.py``) for
the cases of the page it shows. To show the whole caseload in that order, one
page at a time and at the same cost for 100 cases as for 10,000, each of a
therapist's assignments keeps the number that order sorts by
(:func:`dyade.clinic.attention_order.stored`). It is kept per therapist, not per
case, because the guidance reads the viewing therapist's own profile: two
therapists of one case may see different signals.

A row holds nothing but that number, when it was worked out and two counters
that say whether it may be out of date: ``marks`` goes up with every write that
can change what the case needs (``dyade/overview/freshness.py``), and
``computed_marks`` is the value ``marks`` had when the number was worked out.
Beside them a copy of the case's current track (the name only, as the
caseload's own column shows it), so the track filter reads the page's own
index (``dyade/overview/tracks.py`` keeps it equal to the newest track change).
No answer, signal or note is stored here (docs/privacy.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dyade.cases.models import Case


class AttentionState(models.Model):
    # No index of their own: the unique constraint leads with the case, the page's
    # index with the therapist.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attention_states", db_index=False
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The id of the therapist's assignment to the case (Case.therapists' own table):
    # ties in the order go to the newest assignment, as the caseload always did.
    assignment_id = models.BigIntegerField(unique=True)
    # Larger needs attention sooner; 0 a closed case, 1 never worked out.
    rank = models.IntegerField(default=1)
    computed_at = models.DateTimeField(null=True, blank=True)
    # The case's current track (TrackName), "" for none: written with every track change.
    track = models.CharField(max_length=20, blank=True, default="")
    marks = models.PositiveIntegerField(default=1)
    computed_marks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "therapist"], name="attention_one_per_assignment"
            )
        ]
        indexes = [
            # The caseload's page: one therapist's rows by rank, then newest assignment.
            models.Index(fields=["therapist", "rank", "assignment_id"], name="attention_page"),
            # The therapist's newest state: assignments after it have none yet.
            models.Index(fields=["therapist", "assignment_id"], name="attention_newest"),
            # The caseload filtered by track: the same order within one track.
            models.Index(
                fields=["therapist", "track", "rank", "assignment_id"], name="attention_track"
            ),
        ]

    def __str__(self) -> str:
        return f"attention of case {self.case_id} for therapist {self.therapist_id}: {self.rank}"

    @property
    def is_stale(self) -> bool:
        return self.computed_at is None or self.marks != self.computed_marks
