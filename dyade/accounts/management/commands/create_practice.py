"""Create a practice with its first practice admin, and print a link to set a password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dyade.accounts.links import set_password_link
from dyade.accounts.models import Practice, Role, User


class Command(BaseCommand):
    help = "Create a practice and its practice admin; prints a single-use set-password link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True, help="the practice's name")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--language", choices=["nl", "en"], default="nl")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["admin_email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"there is already an account for {email}")
        with transaction.atomic():
            practice = Practice.objects.create(name=options["name"])
            admin = User.objects.create_user(
                email=email,
                name=options["admin_name"],
                role=Role.PRACTICE_ADMIN,
                practice=practice,
                language=options["language"],
            )
        self.stdout.write(f"Practice {practice.name!r} created (id {practice.pk}).")
        self.stdout.write(f"The practice admin sets a password here: {set_password_link(admin)}")
