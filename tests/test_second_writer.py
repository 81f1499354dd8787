"""The tests that need a second writer, on SQLite in a file as production runs it.

The suite's SQLite test database lives in memory, where threads share one database with
table locks; the tests marked ``second_writer`` (ten senders at once, writers during a key
rotation) are therefore left out of an in-memory run (``tests/conftest.py``) and run here
in a pytest of their own on a SQLite test database in a file, whatever database the suite
itself uses. On PostgreSQL the same tests also run in the suite itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ["tests/test_sent_at_once.py", "tests/test_rotate_keys.py"]


def test_second_writer_tests_pass_on_sqlite_in_a_file(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'dyade.sqlite3'}"
    env["DYADE_TEST_SQLITE_PATH"] = str(tmp_path / "test.sqlite3")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "second_writer",
            *FILES,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "2 passed" in summary and "skipped" not in summary, summary
