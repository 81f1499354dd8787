"""A partner's choice to share their progress chart, saved with its audit event."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases.models import Partner
from dyade.progress.models import Sharing


def set_sharing(request: HttpRequest, partner: Partner, shared: bool) -> Sharing:
    """Save ``partner``'s choice; the same choice sent twice leaves one row, as chosen."""
    now = timezone.now()
    with transaction.atomic():
        changed = Sharing.objects.filter(partner=partner).update(shared=shared, changed_at=now)
        if not changed:
            try:
                with transaction.atomic():
                    Sharing.objects.create(partner=partner, shared=shared, changed_at=now)
            except IntegrityError:  # the same form, sent twice at once
                Sharing.objects.filter(partner=partner).update(shared=shared, changed_at=now)
        record(
            request,
            "progress.update",
            partner=partner,
            detail="shared with the other partner" if shared else "not shared",
        )
        return Sharing.objects.get(partner=partner)
