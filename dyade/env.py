"""Typed helpers that read settings from the environment.

A value may come from ``NAME`` or, for secrets, from a file named by ``NAME_FILE``
(the way container secrets are usually mounted).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def envstr(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    if value is None:
        file_name = os.environ.get(f"{name}_FILE")
        if file_name:
            return Path(file_name).read_text(encoding="utf-8").strip()
        return default
    return value


def envbool(name: str, default: bool = False) -> bool:
    value = envstr(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = envstr(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: list[str] | None = None) -> list[str]:
    value = envstr(name, "")
    if value == "":
        return list(default or [])
    return [part.strip() for part in value.split(",") if part.strip()]


def local_secret(directory: Path, name: str, make: Callable[[], str] | None = None) -> str:
    """Return a secret kept in an ignored local file, creating it on first use.

    Only for a developer's machine (``make run``, ``make test``); production
    passes its secrets through the environment.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if not path.exists():
        value = make() if make else secrets.token_urlsafe(50)
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
