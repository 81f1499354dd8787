"""SQLite for Dyade: a transaction takes the write lock only once it writes.

SQLite has one write lock for the whole database. Django opens an ``atomic()``
block on SQLite with ``BEGIN`` (deferred) or ``BEGIN IMMEDIATE``; neither suits
a site where many requests read and a few write:

* ``BEGIN IMMEDIATE`` takes the write lock at once, so a block that only reads
  waits behind every writer and holds up every other writer;
* ``BEGIN`` (deferred) takes a read snapshot at the first SELECT. When the block
  then writes, SQLite must upgrade that snapshot to the write lock; if another
  connection committed in between, the upgrade fails at once with SQLITE_BUSY
  ("database is locked"): the busy timeout cannot help, the snapshot is stale.

This backend opens the SQLite transaction lazily. An ``atomic()`` block starts
with no SQLite transaction at all; its SELECTs run as single statements, each
seeing everything committed before it (what PostgreSQL's default READ COMMITTED
gives; Dyade's code runs on both). At the block's first write, or at its first
``select_for_update()``, the backend issues ``BEGIN IMMEDIATE``: the write lock
is taken under the busy timeout (a writer waits its turn instead of failing),
there is no old snapshot to upgrade, and from then on the block holds the lock
until it ends, so the rest of it is serialised. Savepoints asked for before the
first write are kept and set right after ``BEGIN IMMEDIATE``; releasing or
rolling back to one of them before anything was written needs no SQL.

A block that only reads therefore never takes the write lock, and a block that
writes cannot fail for a stale snapshot. Any statement that is not a plain
SELECT (a PRAGMA, a CTE, raw SQL) counts as a write: when in doubt, lock.

Writers queue on a lock file next to the database (``<name>-writer``) before
``BEGIN IMMEDIATE``. SQLite's own busy handler waits for the lock by sleeping
1, 2, 5, 10, 15, 20, 25 ... 100 ms between tries, so under load a writer often
sleeps far longer than the write before it took; on the lock file a writer
looks again within 2 ms. It waits at most the connection's ``timeout`` (the
busy timeout, 5 s by default) and then fails as SQLite would, with "database
is locked"; nothing was written. Writes outside a transaction, and other
programs, still meet SQLite's own lock and busy timeout, so nothing depends on
the lock file for safety: it only decides who goes next.
"""

from __future__ import annotations

import fcntl
import functools
import os
import sqlite3
import time
from typing import Any

from django.db.backends.sqlite3 import base, features, operations

# Put in the SQL of select_for_update() querysets (SQLite has no FOR UPDATE).
FOR_UPDATE = "/* dyade: for update */"


class WriterQueue:
    """Writers to one database file take turns on a lock file (see the module)."""

    FIRST_PAUSE = 0.0002
    LONGEST_PAUSE = 0.002

    def __init__(self, path: str, wait: float) -> None:
        self.path, self.wait = f"{path}-writer", wait
        self.fd: int | None = None
        self.held = False

    def enter(self) -> None:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait
        pause = self.FIRST_PAUSE
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(2 * pause, self.LONGEST_PAUSE)
            else:
                self.held = True
                return

    def leave(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)  # type: ignore[arg-type]

    def close(self) -> None:
        self.leave()
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Connection(sqlite3.Connection):
    """The driver's connection, remembering an atomic block's owed ``BEGIN IMMEDIATE``."""

    begin_owed = False
    savepoints_owed: list[tuple[str, str]]
    queue: WriterQueue | None = None

    def owe_begin(self) -> None:
        self.begin_owed = True
        self.savepoints_owed = []

    def pay(self) -> None:
        """Take the write lock now, and set the savepoints that were asked for until now.

        If the lock cannot be had within the busy timeout ("database is locked"),
        nothing was written and the BEGIN stays owed.
        """
        if self.queue is not None:
            self.queue.enter()
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.leave_queue()
            raise
        owed, self.savepoints_owed = self.savepoints_owed, []
        self.begin_owed = False
        for _name, sql in owed:
            self.execute(sql)

    def leave_queue(self) -> None:
        if self.queue is not None:
            self.queue.leave()

    def commit(self) -> None:
        self.begin_owed = False
        try:
            super().commit()
        finally:
            self.leave_queue()

    def rollback(self) -> None:
        self.begin_owed = False
        try:
            super().rollback()
        finally:
            self.leave_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.queue is not None:
                self.queue.close()

    def handled(self, query: str) -> bool:
        """Meet ``query`` while the BEGIN is owed: True if it needs no SQL at all.

        A plain SELECT runs without the lock; a savepoint is kept for later, and
        releasing or rolling back to one needs nothing, as nothing was written.
        Anything else may write: the owed BEGIN IMMEDIATE is paid first.
        """
        head = query.lstrip()[:10].upper()
        if head.startswith("SELECT") and FOR_UPDATE not in query:
            return False
        words = query.split()
        if head.startswith("SAVEPOINT") and len(words) == 2:
            self.savepoints_owed.append((words[1], query))
            return True
        if head.startswith("RELEASE") and len(words) >= 2:
            names = [name for name, _sql in self.savepoints_owed]
            if words[-1] in names:
                del self.savepoints_owed[names.index(words[-1]) :]
            return True
        if head.startswith("ROLLBACK") and len(words) >= 3 and words[1].upper() == "TO":
            return True
        self.pay()
        return False


@functools.lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    """A "format"-style query in SQLite's "qmark" style, as Django's wrapper writes it.

    Django runs a regular expression over every query's text on every execution;
    the same few hundred statements come by again and again, so each is converted once.
    """
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class Cursor(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)  # type: ignore[no-any-return]

    def execute(self, query: str, params: Any = None) -> Any:
        connection = self.connection
        if connection.begin_owed and connection.handled(query):  # type: ignore[attr-defined]
            return self
        return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        connection = self.connection
        if connection.begin_owed:  # type: ignore[attr-defined]
            connection.pay()  # type: ignore[attr-defined]
        return super().executemany(query, param_list)


class DatabaseFeatures(features.DatabaseFeatures):
    # select_for_update() takes the write lock (see FOR_UPDATE); the whole database
    # is locked, so OF (...) asks for nothing more.
    has_select_for_update = True
    has_select_for_update_of = True


class DatabaseOperations(operations.DatabaseOperations):
    def for_update_sql(
        self, nowait: bool = False, skip_locked: bool = False, of: Any = (), no_key: bool = False
    ) -> str:
        return FOR_UPDATE


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params: dict[str, Any]) -> Connection:
        connection: Connection = super().get_new_connection({**conn_params, "factory": Connection})
        name = str(self.settings_dict["NAME"])
        if not self.is_in_memory_db() and not name.startswith("file:"):
            connection.queue = WriterQueue(name, float(conn_params.get("timeout", 5.0)))
        return connection

    def create_cursor(self, name: str | None = None) -> Cursor:
        return self.connection.cursor(factory=Cursor)  # type: ignore[no-any-return]

    def _start_transaction_under_autocommit(self) -> None:
        self.connection.owe_begin()
