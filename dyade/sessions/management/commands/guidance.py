"""``manage.py guidance --snapshot FILE.json``: run the guidance rules on a snapshot file.

For testing and research: it reads no database. The snapshot format is in
``docs/guidance.md``. Prints ``{"signals": [...]}`` as JSON; a file that cannot
be read or a snapshot that is not valid ends with status 2 and a plain message.
With ``--formulation`` it also prints the case formulation (each finding's state
and the date it was last confirmed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dyade.clinic import guidance
from dyade.clinic.snapshot import SnapshotError, parse


class Command(BaseCommand):
    help = "Run the guidance rules on a case snapshot (JSON) and print the signals as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--snapshot", required=True, help="the snapshot file, or - for stdin")
        parser.add_argument(
            "--formulation",
            action="store_true",
            help="also print the case formulation folded from the session notes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["snapshot"]
        try:
            if source == "-":
                import sys

                data = json.load(sys.stdin)
            else:
                data = json.loads(Path(source).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"cannot read {source}: {error.strerror}", returncode=2) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{source} is not valid JSON: {error}", returncode=2) from None
        try:
            snapshot = parse(data)
        except SnapshotError as error:
            raise CommandError(f"{source}: {error}", returncode=2) from None
        result = guidance.as_json(guidance.evaluate(snapshot))
        if options["formulation"]:
            result["formulation"] = guidance.formulation(snapshot).as_json()
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
