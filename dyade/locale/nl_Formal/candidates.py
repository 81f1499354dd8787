"""List the Dutch messages that still say "je" to a partner and have no formal variant yet.

Run from the repository root: ``.venv/bin/python dyade/locale/nl_Formal/candidates.py``.
A candidate is a message of dyade/locale/nl whose Dutch addresses the reader informally
(je, jij, jou, jouw, jezelf, jullie) and that is not yet in nl_Formal. Each is printed
with the source files its msgid appears in, marked PARTNER when one of them is a page,
view, form or e-mail a partner reaches (the rule is ``_partner_facing`` below), so the
formal catalogue can be completed by hand. Therapist-only messages are listed last.
The script reads files only; it changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[3]
DYADE = ROOT / "dyade"
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
# Python modules and template folders a partner reaches (the rest is for staff).
PARTNER_PY = re.compile(
    r"(partner_views|partner_forms|forms|channels|tasks|checkin\w*|accept\w*|labels|"
    r"diary/\w+|rights/\w+|reminders/\w+|research/partner\w*|accounts/\w+)\.py$"
)
PARTNER_TEMPLATES = (
    "diary/", "exercises/my_", "exercises/exercise", "exercises/log_form", "exercises/timer",
    "progress/my_", "questionnaires/list", "questionnaires/page", "questionnaires/review",
    "reading/my_", "reading/page", "reminders/", "research/my_", "rights/my_", "rights/seen",
    "sessions/my_", "sessions/partner", "partner_base", "accounts/", "cases/email/",
    "cases/accept", "cases/invitation", "includes/", "errors/", "base.html",
)  # fmt: skip


def _sources() -> dict[Path, str]:
    files = [*DYADE.rglob("*.py"), *DYADE.rglob("*.html"), *DYADE.rglob("*.txt")]
    return {p: p.read_text(encoding="utf-8") for p in files if "migrations" not in p.parts}


def _partner_facing(path: Path) -> bool:
    relative = path.relative_to(DYADE).as_posix()
    if relative.startswith("templates/"):
        name = relative.removeprefix("templates/")
        return name.startswith(PARTNER_TEMPLATES) or "partner" in name
    return bool(PARTNER_PY.search(relative))


def _where(msgid: str, sources: dict[Path, str]) -> list[Path]:
    probe = msgid.split("%(")[0].split("{")[0][:60] or msgid[:60]
    variants = {probe, probe.replace('"', '\\"'), probe.replace("'", "\\'")}
    return [p for p, text in sources.items() if any(v in text for v in variants)]


def main() -> int:
    dutch = polib.pofile(str(DYADE / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    formal = polib.pofile(str(DYADE / "locale" / "nl_Formal" / "LC_MESSAGES" / "django.po"))
    done = {(e.msgctxt, e.msgid) for e in formal}
    sources = _sources()
    partner, staff = [], []
    for entry in dutch:
        text = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
        if not INFORMAL.search(text) or (entry.msgctxt, entry.msgid) in done:
            continue
        where = _where(entry.msgid, sources)
        names = [p.relative_to(DYADE).as_posix() for p in where]
        line = f"{entry.msgid!r}\n    -> {text!r}\n    in {', '.join(names) or '?'}"
        (partner if any(_partner_facing(p) for p in where) or not where else staff).append(line)
    print(f"PARTNER ({len(partner)})")
    print("\n".join(partner))
    print(f"\nSTAFF ONLY ({len(staff)})")
    print("\n".join(staff))
    return 0


if __name__ == "__main__":
    sys.exit(main())
