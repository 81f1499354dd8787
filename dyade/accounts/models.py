"""People and practices.

Every user has exactly one role. Therapists, practice admins and researchers
belong to a practice; a partner belongs to the practice of their case. Tenancy
is by practice and enforced in ``dyade.cases.policy``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Practice(models.Model):
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    # Partners are addressed with "je" unless the practice prefers "u" (dyade/locale/nl_Formal).
    formal_dutch = models.BooleanField(_("address partners formally in Dutch (u)"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    THERAPIST = "therapist", _("Therapist")
    PRACTICE_ADMIN = "practice_admin", _("Practice administrator")
    RESEARCHER = "researcher", _("Researcher")
    PARTNER = "partner", _("Partner")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.PRACTICE_ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def is_practice_admin(self) -> bool:
        return self.role == Role.PRACTICE_ADMIN

    @property
    def is_researcher(self) -> bool:
        return self.role == Role.RESEARCHER


class Session(AbstractBaseSession):
    """A session of Django's database store that also names its signed-in user.

    The user's key sits in the signed session data as well (where Django reads it
    and checks it); the column beside it lets one statement read the session with
    its user and practice (``dyade.accounts.signed_in``), and takes a user's
    sessions with the account when the account is deleted.
    """

    # No constraint in the database: a session saved while its account is being deleted
    # must not fail the request; deleting an account deletes its sessions (Django's own
    # cascade).
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls) -> Any:
        """For ``get_decoded()``: Django's store decodes as Dyade's does (which only remembers)."""
        return db.SessionStore
