"""dyade.db.direct: the hot paths' statements on the driver's cursor keep Django's guarantees.

The scratch database (a file, WAL, Dyade's SQLite backend) and the other worker's
connection come from tests/test_sqlite_transactions.py. Queries are not captured
here, so the statements take the direct way, not Django's cursor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from dyade.db import direct
from tests.test_sqlite_transactions import ALIAS, can_write, run, scratch  # noqa: F401

pytestmark = pytest.mark.django_db


def _direct(sql: str, params: list[object]) -> list[tuple[object, ...]]:
    connection = connections[ALIAS]
    assert not connection.queries_logged  # the direct way, not Django's cursor
    cursor = direct.execute(connection, sql, params)
    try:
        return list(cursor.fetchall())
    finally:
        cursor.close()


def test_a_direct_read_in_a_block_leaves_the_write_lock_free(scratch: Path) -> None:  # noqa: F811
    with transaction.atomic(using=ALIAS):
        assert _direct("SELECT text FROM note WHERE id = %s", [1]) == [("first",)]
        assert can_write(scratch)


def test_a_direct_write_in_a_block_takes_the_write_lock_until_the_block_ends(
    scratch: Path,  # noqa: F811
) -> None:
    with transaction.atomic(using=ALIAS):
        _direct("UPDATE note SET text = %s WHERE id = %s", ["changed", 1])
        assert not can_write(scratch)
    assert can_write(scratch)
    assert run("SELECT text FROM note") == [("changed",)]


def test_a_direct_write_is_undone_with_its_block(scratch: Path) -> None:  # noqa: F811
    with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
        _direct("INSERT INTO note (id, text) VALUES (%s, %s)", [2, "second"])
        raise RuntimeError("the block fails after the write")
    assert run("SELECT COUNT(*) FROM note") == [(1,)]


def test_a_driver_error_is_raised_as_djangos(scratch: Path) -> None:  # noqa: F811
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        _direct("INSERT INTO note (id, text) VALUES (%s, %s)", [1, "the same key"])


def test_a_broken_block_refuses_a_direct_statement(scratch: Path) -> None:  # noqa: F811
    with transaction.atomic(using=ALIAS):
        try:
            with transaction.atomic(using=ALIAS):
                run("INSERT INTO note (id, text) VALUES (1, 'the same key')")
        except IntegrityError:
            pass
        connections[ALIAS].needs_rollback = True
        with pytest.raises(TransactionManagementError):
            _direct("SELECT COUNT(*) FROM note WHERE id > %s", [0])


def test_counted_queries_and_execute_wrappers_see_a_direct_statement(
    scratch: Path,  # noqa: F811
) -> None:
    connection = connections[ALIAS]
    with CaptureQueriesContext(connection) as captured:
        cursor = direct.execute(connection, "SELECT text FROM note WHERE id = %s", [1])
        cursor.close()
    assert [query["sql"] for query in captured.captured_queries] == [
        "SELECT text FROM note WHERE id = 1"
    ]
    seen: list[str] = []

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        direct.execute(connection, "SELECT text FROM note WHERE id = %s", [1]).close()
    assert seen == ["SELECT text FROM note WHERE id = %s"]


def test_a_literal_percent_sign_is_refused() -> None:
    with pytest.raises(ValueError, match="percent"):
        direct._qmark("SELECT '100%%' FROM note WHERE id = %s")
