"""Running one of the hot paths' statements on the database driver's own cursor.

Django runs every statement through its cursor wrapper: a wrapper object per
cursor, the execute wrappers, the error translation, and on SQLite a rewrite of
the statement's placeholders each time. For the few statements that every
request runs (dyade.db.prepared) that costs more than the statement itself.
:func:`execute` keeps what matters and skips the rest:

* the connection's health check, its opening and the broken-transaction check
  are Django's own, as is the error translation (a driver's IntegrityError is
  raised as ``django.db.IntegrityError``);
* on Dyade's SQLite backend a write first takes the write lock that an
  ``atomic()`` block owes (dyade/db/sqlite/base.py), as its cursor would;
* whenever queries are being counted or logged (``CaptureQueriesContext``,
  ``DEBUG``) or an execute wrapper is installed, the statement goes through
  Django's cursor after all, so every query-count test and wrapper sees it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

_WRITES = ("INSERT", "UPDATE", "DELETE")


@functools.lru_cache(maxsize=256)
def _qmark(sql: str) -> str:
    """A statement with Django's "%s" placeholders in SQLite's "?" style."""
    if "%%" in sql:
        raise ValueError("a literal percent sign has no place in a prepared statement")
    return sql.replace("%s", "?")


def execute(connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> Any:
    """Run ``sql`` with ``params`` on ``connection``; the driver's cursor, to fetch from.

    ``sql`` uses Django's ``%s`` placeholders. The caller closes the cursor.
    """
    if connection.queries_logged or connection.execute_wrappers:
        cursor = connection.cursor()
        cursor.execute(sql, params)
        return cursor
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    driver = connection.connection
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":
            if getattr(driver, "begin_owed", False) and sql.lstrip().startswith(_WRITES):
                driver.pay()  # the atomic block's BEGIN IMMEDIATE, as its cursor would
            return driver.execute(_qmark(sql), params)
        cursor = connection.create_cursor()
        cursor.execute(sql, params)
        return cursor
