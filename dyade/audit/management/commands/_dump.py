"""Copying the database to a file and back, for ``manage.py backup`` and ``restore``.

SQLite uses its online backup API (a consistent copy while Dyade keeps running);
PostgreSQL uses ``pg_dump --format=custom`` and ``pg_restore`` (Debian's
``postgresql-client``, of the server's major version or newer). Both keep the
stored text as it is: encrypted values stay encrypted, which is why a backup is
useless without the field keys, and why the keys must be kept apart from it.

Next to each backup file goes a manifest (``<file>.json``): when it was made, from
which kind of database, the SHA-256 of the file, the fingerprints of the field
keys it needs (never the keys) and where the operator said the keys are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

from dyade import crypto

ALIAS = "default"


def vendor() -> str:
    return str(connections[ALIAS].vendor)


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprints() -> list[str]:
    return [crypto.fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS]


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise CommandError(
            f"{name} was not found: install PostgreSQL's client programs (on Debian "
            "`apt-get install postgresql-client`) of the server's major version or newer."
        )
    return found


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connections[ALIAS].settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def dump(target: Path) -> None:
    """Write a consistent copy of the whole database to ``target``."""
    if connections[ALIAS].in_atomic_block:  # SQLite's copy would wait for this very writer
        raise CommandError("a backup cannot be made inside a transaction")
    if vendor() == "sqlite":
        connection = connections[ALIAS]
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif vendor() == "postgresql":
        args, env = _pg_args()
        name = str(connections[ALIAS].settings_dict["NAME"])
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
                name,
            ],
            env,
        )
    else:
        raise CommandError(f"backups of a {vendor()} database are not supported")


def load(source: Path) -> None:
    """Replace the database's content by the copy in ``source``."""
    connections.close_all()
    if vendor() == "sqlite":
        connection = connections[ALIAS]
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()
    elif vendor() == "postgresql":
        args, env = _pg_args()
        name = str(connections[ALIAS].settings_dict["NAME"])
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                name,
                str(source),
            ],
            env,
        )
    else:
        raise CommandError(f"restoring a {vendor()} database is not supported")
    connections.close_all()


def write_manifest(target: Path, keys_note: str) -> dict[str, Any]:
    manifest = {
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": vendor(),
        "file": target.name,
        "sha256": sha256(target),
        "field_key_fingerprints": key_fingerprints(),
        "field_keys_backed_up_at": keys_note,
    }
    manifest_path(target).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict[str, Any] | None:
    path = manifest_path(source)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"{path} is not a Dyade backup manifest")
    return data
