"""``manage.py restore FILE --yes``: replace the database by a backup of ``manage.py backup``.

Stop Dyade (gunicorn, the task worker, cron) first. The backup's manifest names
the fingerprints of the field keys it needs; the restore refuses when one of
them is not in ``DYADE_FIELD_KEYS`` (``--without-all-keys`` restores anyway),
and afterwards tries to read the restored data with the configured keys
(:mod:`dyade.audit.keys_check`). See docs/operations.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dyade.audit import keys_check
from dyade.audit.management.commands import _dump


class Command(BaseCommand):
    help = "Replace the database by a backup made with manage.py backup (stop Dyade first)."
    requires_system_checks: list[str] = []  # the database may be empty or unreadable now

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="a backup file made by manage.py backup")
        parser.add_argument(
            "--yes", action="store_true", help="yes, replace everything in the database"
        )
        parser.add_argument(
            "--without-all-keys",
            action="store_true",
            help="restore even when a key the backup needs is not configured",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"{source} is not a file")
        manifest = _dump.read_manifest(source)
        if manifest is not None:
            self._compare(source, manifest, options["without_all_keys"])
        if not options["yes"]:
            raise CommandError(
                "This replaces everything in the database by the backup. Stop Dyade, "
                "then run the command again with --yes."
            )
        _dump.load(source)
        self.stdout.write(f"Restored {source}.")
        problem = keys_check.problems()
        if problem:
            raise CommandError(f"The database was restored, but: {problem}")

    def _compare(self, source: Path, manifest: dict[str, Any], without_keys: bool) -> None:
        if manifest.get("database") != _dump.vendor():
            raise CommandError(
                f"{source} is a {manifest.get('database')} backup; this Dyade uses {_dump.vendor()}"
            )
        if manifest.get("sha256") != _dump.sha256(source):
            raise CommandError(f"{source} is not the file its manifest describes (SHA-256)")
        needed = [str(item) for item in manifest.get("field_key_fingerprints", [])]
        missing = [item for item in needed if item not in _dump.key_fingerprints()]
        if missing and not without_keys:
            raise CommandError(
                f"This backup needs the field keys with fingerprints {', '.join(needed)}; "
                f"{', '.join(missing)} is not in DYADE_FIELD_KEYS. The keys were kept at: "
                f"{manifest.get('field_keys_backed_up_at', '(not said)')}. Add the missing "
                "key(s), or restore with --without-all-keys if you know they are not needed."
            )
