"""Encryption at rest for free text, with key rotation (MultiFernet).

``settings.FIELD_ENCRYPTION_KEYS`` lists Fernet keys, newest first: the newest
encrypts, every listed key decrypts. ``manage.py rotate_field_keys`` re-encrypts
stored values with the newest key; ``dyade.keys_check`` refuses to start when
stored values cannot be read with the configured keys (docs/operations.md).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models


class UnreadableText(ValueError):
    """Stored text that none of the configured keys decrypts (a key is missing)."""

    def __init__(self, token: str, where: str = "") -> None:
        self.where = where
        self.written_at = written_at(token)
        super().__init__("stored text cannot be decrypted with the configured keys")


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


@cache
def _newest(key: str) -> Fernet:
    return Fernet(key.encode())


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, where: str = "") -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise UnreadableText(token, where) from exc


def rotate(token: str) -> str:
    """The same text encrypted with the newest key (UnreadableText when no key reads it)."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise UnreadableText(token) from exc


def on_newest_key(token: str) -> bool:
    """Whether the newest key already decrypts this value (rotation leaves it alone)."""
    try:
        _newest(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def fingerprint(key: str) -> str:
    """A short name for a key that gives nothing of it away (SHA-256, first 8 hex digits)."""
    return hashlib.sha256(key.strip().encode()).hexdigest()[:8]


def written_at(token: str) -> dt.datetime | None:
    """When a value was encrypted: Fernet puts the time in clear in every token."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    if len(raw) < 9:
        return None
    return dt.datetime.fromtimestamp(int.from_bytes(raw[1:9], "big"), tz=dt.UTC)


def when(moment: dt.datetime | None) -> str:
    return f"at {moment:%Y-%m-%d %H:%M} UTC" if moment else "at an unknown time"


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; the empty string stays empty (nothing to hide)."""

    encrypted_at_rest = True

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value, f"{self.model._meta.db_table}.{self.column}")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def encrypted_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every stored field that Dyade encrypts, in a stable order."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "encrypted_at_rest", False)
    ]


def stored(field: models.Field[Any, Any]) -> models.Expression:
    """The column as stored (the ciphertext), for reading and comparing without decrypting."""
    return models.ExpressionWrapper(models.F(field.name), output_field=models.TextField())
