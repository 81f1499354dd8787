"""Dyade's SQLite backend: a block takes the write lock at its first write, never to read.

Each test opens a scratch database file with the backend (WAL, as in
production) next to a plain ``sqlite3`` connection that plays another worker.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, transaction
from django.utils import timezone

ALIAS = "scratch"


@pytest.fixture
def scratch(tmp_path: Path, django_db_blocker) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    path = tmp_path / "scratch.sqlite3"
    settings = {
        "ENGINE": "dyade.db.sqlite",
        "NAME": str(path),
        "OPTIONS": {"timeout": 0.3, "init_command": "PRAGMA journal_mode=WAL;"},
    }
    both = connections.configure_settings(
        {"default": connections.settings["default"], ALIAS: settings}
    )
    connections.settings[ALIAS] = both[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
            cursor.execute("INSERT INTO note (text) VALUES ('first')")
        yield path
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def other_worker(path: Path) -> sqlite3.Connection:
    """Another process's connection; it gives up at once when the database is locked."""
    return sqlite3.connect(path, timeout=0, isolation_level=None)


def run(sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if sql.lstrip().upper().startswith("SELECT") else []


def can_write(path: Path) -> bool:
    other = other_worker(path)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_a_block_that_only_reads_leaves_the_write_lock_free(scratch: Path) -> None:
    with transaction.atomic(using=ALIAS):
        assert run("SELECT COUNT(*) FROM note") == [(1,)]
        assert can_write(scratch)
        other = other_worker(scratch)
        other.execute("INSERT INTO note (text) VALUES ('from another worker')")
        other.close()
        # Each read sees what was committed before it (READ COMMITTED, as on PostgreSQL).
        assert run("SELECT COUNT(*) FROM note") == [(2,)]
        assert can_write(scratch)


def test_a_block_takes_the_lock_at_its_first_write_and_keeps_it_to_the_end(scratch: Path) -> None:
    with transaction.atomic(using=ALIAS):
        run("SELECT text FROM note")
        assert can_write(scratch)
        run("INSERT INTO note (text) VALUES ('mine')")
        assert not can_write(scratch)
        run("SELECT text FROM note")
        assert not can_write(scratch)
    assert can_write(scratch)
    assert run("SELECT COUNT(*) FROM note") == [(2,)]


def test_a_plain_deferred_transaction_fails_where_this_one_does_not(scratch: Path) -> None:
    """Read, another worker commits, then write: SQLite's own BEGIN fails at once."""
    plain = sqlite3.connect(scratch, timeout=5, isolation_level=None)
    plain.execute("BEGIN")
    plain.execute("SELECT COUNT(*) FROM note").fetchall()
    other = other_worker(scratch)
    other.execute("INSERT INTO note (text) VALUES ('meanwhile')")
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # a stale snapshot
        plain.execute("INSERT INTO note (text) VALUES ('too late')")
    plain.execute("ROLLBACK")
    plain.close()

    with transaction.atomic(using=ALIAS):
        assert run("SELECT COUNT(*) FROM note") == [(2,)]
        other.execute("INSERT INTO note (text) VALUES ('meanwhile again')")
        run("INSERT INTO note (text) VALUES ('in time')")
    other.close()
    assert run("SELECT COUNT(*) FROM note") == [(4,)]


def test_a_writer_waits_for_the_writer_before_it(scratch: Path) -> None:
    holder = sqlite3.connect(scratch, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO note (text) VALUES ('held')")
    release = threading.Timer(0.1, holder.execute, ["COMMIT"])
    release.start()
    with transaction.atomic(using=ALIAS):
        run("INSERT INTO note (text) VALUES ('after it')")  # waits within the busy timeout
    release.join()
    holder.close()
    assert run("SELECT text FROM note ORDER BY id") == [("first",), ("held",), ("after it",)]


def test_savepoints_asked_for_before_the_first_write_still_work(scratch: Path) -> None:
    with transaction.atomic(using=ALIAS):
        run("SELECT 1")
        with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
            run("INSERT INTO note (text) VALUES ('undone')")
            raise RuntimeError
        with transaction.atomic(using=ALIAS):
            run("SELECT 1")  # a nested block that only reads
        with transaction.atomic(using=ALIAS):
            run("INSERT INTO note (text) VALUES ('kept')")
        run("INSERT INTO note (text) VALUES ('outer')")
    assert run("SELECT text FROM note ORDER BY id") == [("first",), ("kept",), ("outer",)]


def test_an_inner_block_rolled_back_after_the_outer_one_wrote(scratch: Path) -> None:
    with transaction.atomic(using=ALIAS):
        with transaction.atomic(using=ALIAS):
            run("SELECT 1")
            with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
                run("INSERT INTO note (text) VALUES ('undone')")
                raise RuntimeError
        run("INSERT INTO note (text) VALUES ('outer')")
    assert run("SELECT text FROM note ORDER BY id") == [("first",), ("outer",)]


def test_select_for_update_takes_the_write_lock(scratch: Path) -> None:
    with connections[ALIAS].schema_editor() as editor:
        editor.create_model(Session)
    Session.objects.using(ALIAS).create(
        session_key="k" * 32, session_data="x", expire_date=timezone.now()
    )
    with transaction.atomic(using=ALIAS):
        Session.objects.using(ALIAS).filter(session_key="k" * 32).first()
        assert can_write(scratch)
        Session.objects.using(ALIAS).select_for_update().filter(session_key="k" * 32).first()
        assert not can_write(scratch)
    assert can_write(scratch)


def test_a_locked_database_leaves_the_block_as_it_was(scratch: Path) -> None:
    """ "database is locked" is raised when the lock cannot be had: nothing was written,
    and the same block can be tried again, savepoints and all."""
    holder = other_worker(scratch)
    holder.execute("BEGIN IMMEDIATE")
    with transaction.atomic(using=ALIAS):
        run("SELECT 1")
        with pytest.raises(OperationalError, match="locked"), transaction.atomic(using=ALIAS):
            run("INSERT INTO note (text) VALUES ('refused')")
        holder.execute("ROLLBACK")
        with transaction.atomic(using=ALIAS):
            run("INSERT INTO note (text) VALUES ('again')")
    holder.close()
    assert run("SELECT text FROM note ORDER BY id") == [("first",), ("again",)]


def test_writes_outside_a_block_commit_at_once(scratch: Path) -> None:
    run("INSERT INTO note (text) VALUES ('autocommit')")
    assert can_write(scratch)
    other = other_worker(scratch)
    assert other.execute("SELECT COUNT(*) FROM note").fetchone() == (2,)
    other.close()


def test_writers_of_this_backend_take_turns_on_the_lock_file(scratch: Path) -> None:
    """A second connection of the backend waits for the first one's block, then writes."""
    second = f"{ALIAS}-2"
    connections.settings[second] = connections.settings[ALIAS]
    done: list[str] = []

    def write_later() -> None:
        with transaction.atomic(using=second), connections[second].cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('second')")
        done.append("second")
        connections[second].close()

    with transaction.atomic(using=ALIAS):
        run("INSERT INTO note (text) VALUES ('first writer')")
        writer = threading.Thread(target=write_later)
        writer.start()
        writer.join(0.05)
        assert not done  # waiting its turn
    writer.join()
    del connections.settings[second]  # its connection was the writer thread's own
    assert done == ["second"]
    assert run("SELECT text FROM note ORDER BY id")[-2:] == [("first writer",), ("second",)]


def test_a_writer_that_waits_too_long_gets_database_is_locked(scratch: Path) -> None:
    import fcntl
    import os

    holder = os.open(f"{scratch}-writer", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(OperationalError, match="locked"), transaction.atomic(using=ALIAS):
            run("INSERT INTO note (text) VALUES ('refused')")
    finally:
        os.close(holder)
    with transaction.atomic(using=ALIAS):
        run("INSERT INTO note (text) VALUES ('now')")
    assert run("SELECT text FROM note ORDER BY id") == [("first",), ("now",)]


def test_the_lock_file_is_free_after_a_commit_and_after_a_rollback(scratch: Path) -> None:
    import fcntl
    import os

    def free() -> bool:
        probe = os.open(f"{scratch}-writer", os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(probe)

    with transaction.atomic(using=ALIAS):
        run("INSERT INTO note (text) VALUES ('kept')")
        assert not free()
    assert free()
    with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
        run("INSERT INTO note (text) VALUES ('undone')")
        raise RuntimeError
    assert free()
