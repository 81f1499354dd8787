"""Shared helpers for the direct tests of the policy core and the access modules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import RequestFactory

from dyade.accounts.models import Role, User
from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, CaseKind, Partner
from tests.conftest import World, make_user

# Everyone who has no business with the couple's client data.
OUTSIDERS = ["colleague", "other_therapist", "admin", "researcher", "stranger"]


def user_of(world: World, name: str) -> Any:
    """A named person of the world; the stranger is an anonymous user."""
    return world.person(name) or AnonymousUser()


def request_for(user: Any, path: str = "/somewhere/") -> HttpRequest:
    request = RequestFactory().get(path)
    request.user = user if user is not None else AnonymousUser()
    return request


def denied_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(outcome="denied"))


def deactivated(user: User) -> User:
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def without_practice(email: str, role: str) -> User:
    return User.objects.create_user(email=email, password="x-long-password-1", role=role)


def other_couple(w: World) -> tuple[Case, Partner, Partner]:
    """A second couple in the SAME practice, with its own therapist (the colleague)."""
    case = Case.objects.create(
        practice=w.practice, label="Noor & Sem", kind=CaseKind.COUPLE, created_by=w.colleague
    )
    case.therapists.add(w.colleague)
    user_c = make_user("c@partner.example", Role.PARTNER, w.practice, "Noor")
    user_d = make_user("d@partner.example", Role.PARTNER, w.practice, "Sem")
    partner_c = Partner.objects.create(case=case, slot="A", name="Noor", user=user_c)
    partner_d = Partner.objects.create(case=case, slot="B", name="Sem", user=user_d)
    return case, partner_c, partner_d
