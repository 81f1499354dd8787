"""One diary entry per partner per day (the database enforces it)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dyade.cases.models import Case, Partner
from dyade.clinic import diary as rules
from dyade.clinic.visibility import Visibility
from dyade.crypto import EncryptedTextField

_SCALE = [MinValueValidator(rules.SCALE_MIN), MaxValueValidator(rules.SCALE_MAX)]


class NoteVisibility(models.TextChoices):
    PRIVATE = Visibility.PRIVATE.value, _("Only me and my therapist")
    SHARED = Visibility.SHARED.value, _("Shared with my partner (and my therapist)")


class DiaryEntry(models.Model):
    # No index of its own: the unique (partner, date) below leads with the partner, and a
    # second index would only be one more to write at every new entry.
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="diary_entries", db_index=False
    )
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
    # Optional items (a case's therapist may switch them off; see clinic.diary).
    contact_kind = models.CharField(_("kind of sexual contact"), max_length=20, blank=True)
    initiator = models.CharField(_("who took the initiative"), max_length=20, blank=True)
    bid_answer = models.CharField(_("how a bid for sex was answered"), max_length=20, blank=True)
    sexual_satisfaction = models.PositiveSmallIntegerField(
        _("sexual satisfaction"), null=True, blank=True, validators=_SCALE
    )
    motive = models.CharField(_("motive for sex"), max_length=20, blank=True)
    perceived_desire = models.PositiveSmallIntegerField(
        _("partner's desire as I read it"), null=True, blank=True, validators=_SCALE
    )
    perceived_mood = models.PositiveSmallIntegerField(
        _("partner's mood as I read it"), null=True, blank=True, validators=_SCALE
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Which saved state a form was filled in on (see dyade.diary.services): 1 for
    # the first save, one more for every save that changed the entry.
    version = models.PositiveIntegerField(default=1)
    # The form (a UUID made when its page was shown) whose answers were saved last.
    request_id = models.UUIDField(null=True, blank=True, editable=False)

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
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": rules.SCALE_MIN, f"{name}__lte": rules.SCALE_MAX}),
                    name=f"diary_{name}_in_scale",
                )
                for name in ("sexual_satisfaction", "perceived_desire", "perceived_mood")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.date}"


class DiaryItems(models.Model):
    """Which optional diary items a case's therapist has switched off."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="diary_items")
    disabled = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"diary items of case {self.case_id}"
