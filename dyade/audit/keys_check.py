"""Refuse to start when stored text cannot be read with the configured field keys.

A database restored without its encryption keys (or started with a key list
that lost an old key before ``rotate_field_keys`` ran) used to answer the case
page and the partner's home with a server error. Now Dyade tries, before it
serves anything, to decrypt the oldest and the newest stored value of every
encrypted column:

* ``manage.py check`` (and ``runserver``, ``db_worker`` and other commands that
  run Django's system checks) reports ``dyade.E001`` naming each column that
  cannot be read and when its value was written, which tells the operator which
  key is missing;
* ``dyade.wsgi`` calls :func:`refuse_without_keys`, so gunicorn's worker does
  not boot and gunicorn stops with the same message.

A database with migrations still to apply is not checked (``migrate`` itself
must be able to run, and a migration may be what encrypts a column). A page
that still meets a value no key reads (a row in the middle of a table) gets a
plain 503 page from :class:`UnreadableTextMiddleware`, never a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dyade import crypto

log = logging.getLogger("dyade.keys")


@dataclass(frozen=True)
class Unreadable:
    column: str  # table.column
    pk: Any
    written: str  # "at 2026-11-02 14:03 UTC"


def _migrated(alias: str = "default") -> bool:
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def unreadable_samples() -> list[Unreadable]:
    """The oldest and newest stored value of each encrypted column that no key decrypts."""
    found = []
    for model, field in crypto.encrypted_fields():
        rows = (
            model._base_manager.alias(_stored_raw=crypto.stored(field))
            .exclude(_stored_raw="")
            .exclude(_stored_raw=None)
            .annotate(_stored_text=crypto.stored(field))
        )
        for order in ("pk", "-pk"):
            sample = rows.order_by(order).values_list("pk", "_stored_text").first()
            if sample is None:
                break
            pk, token = sample
            try:
                crypto.decrypt(token)
            except crypto.UnreadableText as exc:
                column = f"{model._meta.db_table}.{field.column}"
                found.append(Unreadable(column, pk, crypto.when(exc.written_at)))
                break
    return found


def explain(found: list[Unreadable]) -> str:
    keys = settings.FIELD_ENCRYPTION_KEYS
    prints = ", ".join(crypto.fingerprint(key) for key in keys)
    columns = "; ".join(f"{item.column} (row {item.pk}, written {item.written})" for item in found)
    return (
        f"Stored text cannot be decrypted with the {len(keys)} key(s) in DYADE_FIELD_KEYS "
        f"(fingerprints {prints}): {columns}. The key that was in use when these values were "
        "written is missing. Put it back in DYADE_FIELD_KEYS, after the newest key, from where "
        "the keys are backed up (docs/operations.md, 'Backups'); then restart."
    )


def problems() -> str:
    """What is wrong with the keys, or "" when every sample reads (or nothing can be checked)."""
    try:
        if not _migrated():
            return ""
        found = unreadable_samples()
    except DatabaseError:  # no database yet, or not reachable: nothing to check against
        return ""
    return explain(found) if found else ""


@checks.register("dyade_keys")
def field_keys_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    message = problems()
    if not message:
        return []
    return [checks.Error(message, id="dyade.E001")]


def refuse_without_keys() -> None:
    """Stop the web server before it serves a page it could not read."""
    message = problems()
    if message:
        raise ImproperlyConfigured(message)


class UnreadableTextMiddleware:
    """A value no key decrypts: a plain page that says so, and the details in the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, crypto.UnreadableText):
            return None
        log.error(
            "stored text in %s (written %s) cannot be decrypted: a field key is missing "
            "from DYADE_FIELD_KEYS",
            exception.where or "an encrypted column",
            crypto.when(exception.written_at),
        )
        # The page says what is wrong but not what or when: that is for the operator's log.
        return render(request, "errors/keys.html", status=503)
