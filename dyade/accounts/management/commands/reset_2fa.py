"""Remove a user's authenticator and recovery codes (for example a practice's only admin
who lost their phone and their codes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dyade.accounts import two_factor
from dyade.accounts.models import User
from dyade.audit.services import record


class Command(BaseCommand):
    help = "Reset two-step login for one account; they set it up again at the next login."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"no account for {email}")
        removed = two_factor.remove_devices(user)
        record(
            None,
            "therapist.update",
            obj=user,
            anonymous=True,
            detail="two-step login reset by an operator",
        )
        self.stdout.write(f"Removed {removed} authenticator(s) of {user.email}.")
