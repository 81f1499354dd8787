"""Work on cases that spans models: done in a transaction, with its audit event."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dyade.accounts.middleware import FORMAL_DUTCH
from dyade.accounts.models import Role, User
from dyade.audit.services import record
from dyade.cases.models import (
    Case,
    CaseForm,
    CaseKind,
    Invitation,
    InvitationState,
    Partner,
    hash_token,
)
from dyade.db.once import create_once_by_request_id


@dataclass(frozen=True)
class PartnerDetails:
    name: str
    email: str = ""
    language: str = "nl"


def create_case(
    request: HttpRequest,
    *,
    label: str,
    kind: str,
    partners: list[PartnerDetails],
    co_therapists: list[User],
    request_id: uuid.UUID | None,
    form: str | None = None,
) -> tuple[Case, bool]:
    """Create a case with its partners; a repeated ``request_id`` returns the first case."""
    therapist = request.user
    expected = 2 if kind == CaseKind.COUPLE else 1
    if len(partners) != expected:
        raise ValueError(f"a {kind} case has {expected} partner(s)")

    def create() -> Case:
        case = Case.objects.create(
            practice_id=therapist.practice_id,  # type: ignore[union-attr]
            label=label,
            kind=kind,
            form=form or _default_form(kind),
            created_by=therapist,
            request_id=request_id,
        )
        case.therapists.add(therapist, *co_therapists)
        for slot, details in zip(case.slots, partners, strict=True):
            partner = Partner.objects.create(
                case=case,
                slot=slot,
                name=details.name,
                email=details.email,
                language=details.language,
            )
            record(request, "partner.create", obj=partner, partner=partner)
        record(request, "case.create", obj=case, case=case)
        return case

    # The same form sent twice at once: the other request won, and this one gets its case.
    return create_once_by_request_id(Case, request_id, create, created_by=therapist)


def _default_form(kind: str) -> str:
    return CaseForm.INDIVIDUAL if kind == CaseKind.INDIVIDUAL else CaseForm.COUPLE_THERAPY


def invitation_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accept_invitation", args=[token])


def issue_invitation(
    request: HttpRequest, partner: Partner, request_id: uuid.UUID | None = None
) -> tuple[Invitation, bool]:
    """Make a new single-use link for ``partner``, replacing any unused older one.

    If the partner has an e-mail address, the link is sent there in the
    partner's language. A repeated ``request_id`` returns the link made first, also
    when the form was sent several times at once; an id already used for another
    partner raises :class:`~dyade.db.once.RequestIdTaken`.
    """
    now = timezone.now()
    token = secrets.token_urlsafe(32)

    def create() -> Invitation:
        partner.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        made = Invitation.objects.create(
            partner=partner,
            token_hash=hash_token(token),
            token=token,
            created_by=request.user,
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.DYADE_INVITATION_DAYS),
            sent_to=partner.email,
            request_id=request_id,
        )
        record(request, "invitation.create", obj=made, partner=partner)
        return made

    invitation, created = create_once_by_request_id(Invitation, request_id, create, partner=partner)
    if created and partner.email:
        _send_invitation(invitation, token)
    return invitation, created


def _send_invitation(invitation: Invitation, token: str) -> None:
    partner = invitation.partner
    context = {
        "name": partner.name,
        "practice": partner.case.practice.name,
        "therapist": invitation.created_by,
        "link": invitation_link(token),
        "expires_at": invitation.expires_at,
    }
    language = partner.language
    if language == "nl" and partner.case.practice.formal_dutch:
        language = FORMAL_DUTCH
    with translation.override(language):
        subject = render_to_string("cases/email/invitation_subject.txt", context).strip()
        body = render_to_string("cases/email/invitation_body.txt", context)
    send_mail(subject, body, None, [partner.email])


def find_invitation(token: str) -> Invitation | None:
    """The invitation behind ``token`` if it can still be used, else None."""
    invitation = (
        Invitation.objects.select_related("partner__case__practice")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or invitation.state() != InvitationState.PENDING:
        return None
    if invitation.partner.user_id is not None:
        return None
    return invitation


def accept_invitation(
    request: HttpRequest, invitation: Invitation, *, email: str, password: str, language: str
) -> User:
    """Create the partner's account and use up the invitation, in one transaction."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state() != InvitationState.PENDING:
            raise ValueError("invitation no longer valid")
        partner = Partner.objects.select_for_update().get(pk=locked.partner_id)
        if partner.user_id is not None:
            raise ValueError("partner already has an account")
        user = User.objects.create_user(
            email=email,
            password=password,
            role=Role.PARTNER,  # no name: it stays in the encrypted Partner.name only
            practice_id=partner.case.practice_id,
            language=language,
        )
        now = timezone.now()
        partner.user = user
        partner.joined_at = now
        partner.language = language
        partner.save(update_fields=["user", "joined_at", "language"])
        locked.used_at = now
        locked.save(update_fields=["used_at"])
        record(
            request, "invitation.update", obj=locked, partner=partner, user=user, detail="accepted"
        )
    return user


def partner_status(partner: Partner) -> dict[str, object]:
    """Invitation state and the newest usable link of one partner, for their therapist."""
    if partner.user_id is not None:
        return {"state": InvitationState.ACCEPTED, "joined_at": partner.joined_at}
    latest = partner.invitations.first()
    if latest is None:
        return {"state": None}
    state = latest.state()
    result: dict[str, object] = {
        "state": state,
        "expires_at": latest.expires_at,
        "sent_to": latest.sent_to,
    }
    if state == InvitationState.PENDING:
        result["link"] = invitation_link(latest.token)
    return result
