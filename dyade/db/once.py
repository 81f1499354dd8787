"""The record that won: one form sent several times at once makes one record.

Forms that create something carry a ``request_id`` (a UUID made when the form
was shown) that the database keeps unique. A resend finds the first record by
that id; senders that arrive at the same moment all miss it, all try to
insert, and the database lets exactly one of them through. :func:`create_once`
gives every other sender the record that won instead of a server error.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model

T = TypeVar("T")


class RequestIdTaken(ValueError):
    """The request id belongs to a record this sender may not reach (a replayed or forged id)."""


def _before(find: Callable[[], T | None]) -> T | None:
    """The look-up before the insert (a test replaces it to play senders that arrive at once)."""
    return find()


def create_once(
    find: Callable[[], T | None],
    create: Callable[[], T],
    taken: Callable[[], bool] | None = None,
) -> tuple[T, bool]:
    """``(record, True)`` if ``create()`` made it, or ``(the record that won, False)``.

    ``find`` looks the record up by its request id within what the sender may
    reach; ``create`` inserts it (with its audit event) and runs in its own
    transaction (a savepoint inside an outer one), so a loser leaves nothing
    behind. ``taken`` tells whether the request id is held by any record at
    all: if it is, but not by one ``find`` reaches, :class:`RequestIdTaken` is
    raised; any other integrity error is a bug and goes up unchanged.
    """
    found = _before(find)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        found = find()
        if found is not None:
            return found, False
        if taken is not None and taken():
            raise RequestIdTaken("this request id belongs to another record") from None
        raise


def find_by_request_id(
    model: type[Model], request_id: uuid.UUID | None, **scope: Any
) -> Callable[[], Any]:
    """A ``find`` for :func:`create_once`: the record of ``model`` made by the form
    ``request_id`` within ``scope`` (e.g. ``case=case``), or None without an id."""

    def find() -> Any:
        if request_id is None:
            return None
        return model._default_manager.filter(request_id=request_id, **scope).first()

    return find


def create_once_by_request_id(
    model: type[Model],
    request_id: uuid.UUID | None,
    create: Callable[[], T],
    *,
    refuse_taken: bool = True,
    **scope: Any,
) -> tuple[T, bool]:
    """:func:`create_once` for a ``model`` whose ``request_id`` column is unique.

    The sender reaches the records within ``scope``; with ``refuse_taken`` an id
    held by a record outside it raises :class:`RequestIdTaken`.
    """

    def taken() -> bool:
        return (
            request_id is not None and model._default_manager.filter(request_id=request_id).exists()
        )

    find = find_by_request_id(model, request_id, **scope)
    return create_once(find, create, taken if refuse_taken else None)
