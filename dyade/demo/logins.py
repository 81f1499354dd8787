"""New passwords for the demo accounts, and the list of logins to print.

Passwords are never fixed in code: every run of ``seed_demo`` gives every demo
account a new one.
"""

from __future__ import annotations

import secrets

from dyade.accounts.models import Role, User
from dyade.cases.models import Partner
from dyade.demo import closed
from dyade.demo.couples import CASES
from dyade.demo.people import STAFF


def _password() -> str:
    return secrets.token_urlsafe(12)


def renew_passwords() -> list[dict[str, str]]:
    """Give each demo account that exists a new password; return the logins in order."""
    accounts: list[dict[str, str]] = []
    demo_emails = [row[0] for row in STAFF]
    demo_emails += [p.email for demo in CASES for p in demo.partners]
    demo_emails += closed.PARTNER_EMAILS
    users = User.objects.filter(email__in=demo_emails).select_related("practice")
    by_email = {user.email: user for user in users}
    for email in demo_emails:
        user = by_email.get(email)
        if user is None:
            continue
        password = _password()
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        account = {
            "email": user.email,
            "password": password,
            "role": user.role,
            "practice": user.practice.name if user.practice else "",
        }
        if user.role == Role.PARTNER:
            partner = Partner.objects.select_related("case").get(user=user)
            account["case"] = partner.case.label
            account["partner"] = partner.slot
        accounts.append(account)
    return accounts
