"""Saving the therapist's own profile: one row per therapist, however often it is sent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dyade.reflection.models import TherapistProfile


def save_attachment(user: Any, anxiety: float, avoidance: float) -> TherapistProfile:
    """Write the two ECR-R means into the therapist's profile, creating it if needed.

    Two sends at once make one profile: the loser of the insert updates the row
    the winner made.
    """
    values = {
        "attachment_anxiety": Decimal(str(anxiety)),
        "attachment_avoidance": Decimal(str(avoidance)),
        "updated_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            profile, _created = TherapistProfile.objects.update_or_create(
                user=user, defaults=values
            )
    except IntegrityError:
        with transaction.atomic():
            profile = TherapistProfile.objects.select_for_update().get(user=user)
            for name, value in values.items():
                setattr(profile, name, value)
            profile.save(update_fields=list(values))
    return profile
