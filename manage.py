#!/usr/bin/env python
"""Django's command-line utility for Dyade."""

from __future__ import annotations

import os
import sys

# Commands that read no database and no client data: on a developer's checkout
# they run without configured secrets (a throwaway key goes into .local/).
OFFLINE_COMMANDS = {"guidance"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dyade.settings")
    configured = os.environ.get("DYADE_SECRET_KEY") or os.environ.get("DYADE_SECRET_KEY_FILE")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS and not configured:
        os.environ.setdefault("DYADE_LOCAL", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
