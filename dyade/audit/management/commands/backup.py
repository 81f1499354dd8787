"""``manage.py backup FILE --keys-backed-up-at NOTE``: a consistent copy of the database.

The backup holds the stored text encrypted, so it cannot be read without the
field keys; the keys must therefore be backed up too, but separately (whoever
holds both can read every note). The command refuses to run until the operator
says where the keys are kept (``--keys-backed-up-at`` or ``DYADE_KEYS_BACKED_UP_AT``);
the answer goes into the manifest next to the file. See docs/operations.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dyade.audit.management.commands import _dump
from dyade.audit.services import record

REFUSAL = (
    "Say where the field encryption keys (DYADE_FIELD_KEYS) are backed up, with "
    '--keys-backed-up-at "…" or DYADE_KEYS_BACKED_UP_AT. This backup cannot be read without '
    "them, and they must not be stored with it: keep them apart (a password manager, a safe, "
    "another machine). See docs/operations.md, 'Backups'."
)


class Command(BaseCommand):
    help = "Back up the whole database to a file (the field keys must be backed up separately)."
    requires_system_checks: list[str] = []  # a database the keys cannot read is backed up too

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="the backup file to write (must not exist)")
        parser.add_argument(
            "--keys-backed-up-at",
            default=os.environ.get("DYADE_KEYS_BACKED_UP_AT", ""),
            help="where the field keys are kept, apart from this backup (required)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        note = options["keys_backed_up_at"].strip()
        if not note:
            raise CommandError(REFUSAL)
        target: Path = options["file"]
        if target.exists() or _dump.manifest_path(target).exists():
            raise CommandError(f"{target} exists already; choose a new name")
        if not target.parent.is_dir():
            raise CommandError(f"the folder {target.parent} does not exist")
        record(None, "backup.create", anonymous=True, detail=f"database backup to {target.name}")
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            _dump.dump(partial)
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
        target.chmod(0o600)
        manifest = _dump.write_manifest(target, note)
        self.stdout.write(
            f"Backed up the {manifest['database']} database to {target} "
            f"(SHA-256 {manifest['sha256'][:12]}…, manifest {_dump.manifest_path(target).name}).\n"
            f"It needs the field keys with fingerprints "
            f"{', '.join(manifest['field_key_fingerprints'])}, kept at: {note}"
        )
