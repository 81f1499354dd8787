"""The translation catalogues are complete, compiled, and actually used.

Dyade is Dutch first: every user-facing string in code and templates must have
a Dutch translation in ``dyade/locale/nl``, and the committed ``.mo`` files must
match their ``.po`` sources (``make run`` uses them without needing gettext).
After changing user-facing text, run ``make messages``, translate, and commit.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from dyade.accounts.models import Practice, Role, User
from dyade.cases.models import Case, CaseKind, Partner

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PROJECT_DIR / "dyade" / "locale"
LANGUAGE_CODES = ("nl", "en")

# What makemessages reads (its default extensions) and what a copy can leave out.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIPPED_NAMES = {"__pycache__", "locale", "staticfiles", "screenshots", "node_modules"}

# printf-style placeholders as gettext's python-format knows them: %(name)s, %d, ...
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")
PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


# --- A small reader for .po files (only what makemessages writes) -------------------------


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return context + repr(self.msgid)


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{where}: expected a quoted string, got {text!r}")

    def unescape(match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in PO_ESCAPES:
            raise ValueError(f"{where}: unknown escape \\{char}")
        return PO_ESCAPES[char]

    return re.sub(r"\\(.)", unescape, text[1:-1])


def parse_po(path: Path) -> list[PoEntry]:
    """Read the entries of a .po file, the header (msgid "") included."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    started = False  # has ``entry`` got a msgid or msgctxt yet?
    target: str | None = None  # the field that continuation lines extend
    plural_index = 0

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = PoEntry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            if not obsolete:
                finish()
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if target is not None and target.startswith("msgstr"):
                    finish()  # flags of the next entry, without a blank line before them
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue

        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: continuation line without a keyword")
            value = _unquote(line, where)
        elif keyword == "msgctxt" or (keyword == "msgid" and target != "msgctxt"):
            if target is not None and target.startswith("msgstr"):
                finish()  # the next entry, without a blank line before it
            started, target, value = True, keyword, _unquote(rest, where)
        elif keyword in {"msgid", "msgid_plural", "msgstr"}:
            target, value = keyword, _unquote(rest, where)
        elif (match := re.fullmatch(r"msgstr\[(\d+)\]", keyword)) is not None:
            target, plural_index, value = "msgstr[]", int(match.group(1)), _unquote(rest, where)
            entry.msgstr_plural.setdefault(plural_index, "")
        else:
            raise ValueError(f"{where}: cannot read {raw!r}")
        entry.obsolete = entry.obsolete or obsolete

        if target == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif target == "msgid":
            entry.msgid += value
        elif target == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif target == "msgstr":
            entry.msgstr += value
        else:
            entry.msgstr_plural[plural_index] += value
    finish()
    return entries


def header_fields(entries: list[PoEntry]) -> dict[str, str]:
    headers = [entry for entry in entries if entry.is_header]
    assert len(headers) == 1, "the catalogue needs exactly one header entry"
    pairs = (line.partition(":") for line in headers[0].msgstr.splitlines() if line)
    return {name.strip(): value.strip() for name, _colon, value in pairs}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def messages(entries: list[PoEntry]) -> dict[tuple[str | None, str], PoEntry]:
    return {entry.key: entry for entry in entries if not entry.is_header and not entry.obsolete}


def require_gettext_tools() -> None:
    missing = [
        tool for tool in ("xgettext", "msgmerge", "msguniq", "msgfmt") if not shutil.which(tool)
    ]
    assert not missing, (
        f"GNU gettext is needed ({', '.join(missing)} missing): run `make system-deps`"
    )


# --- Fixtures ------------------------------------------------------------------------------


def _ignore_for_extraction(directory: str, names: list[str]) -> set[str]:
    """Leave out what makemessages skips anyway, and whatever it cannot read."""
    ignored: set[str] = set()
    for name in names:
        path = Path(directory) / name
        if name.startswith(".") or name in SKIPPED_NAMES or name.startswith("db.sqlite3"):
            ignored.add(name)
        elif path.is_file() and path.suffix not in SOURCE_SUFFIXES:
            ignored.add(name)
    return ignored


@pytest.fixture(scope="module")
def extracted_nl(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str | None, str], PoEntry]:
    """What ``make messages`` would put in the Dutch catalogue from today's sources.

    makemessages walks the current directory and writes into LOCALE_PATHS, so it
    runs in a copy of the project's sources with LOCALE_PATHS pointing into the copy:
    the committed catalogues are never touched.
    """
    require_gettext_tools()
    copy = tmp_path_factory.mktemp("extract") / "project"
    shutil.copytree(PROJECT_DIR, copy, ignore=_ignore_for_extraction)
    locale_dir = copy / "dyade" / "locale"
    locale_dir.mkdir()
    stderr = io.StringIO()
    with override_settings(LOCALE_PATHS=[locale_dir]), contextlib.chdir(copy):
        call_command(
            "makemessages",
            locale=["nl"],
            no_location=True,
            no_obsolete=True,
            verbosity=0,
            stdout=io.StringIO(),
            stderr=stderr,
        )
    extracted = locale_dir / "nl" / "LC_MESSAGES" / "django.po"
    assert extracted.is_file(), f"makemessages wrote no catalogue: {stderr.getvalue()}"
    return messages(parse_po(extracted))


@pytest.fixture(scope="module")
def committed() -> dict[str, list[PoEntry]]:
    return {language: parse_po(po_path(language)) for language in LANGUAGE_CODES}


# --- a) The Dutch catalogue is complete ----------------------------------------------------


def test_catalogues_are_the_ones_django_uses() -> None:
    assert LOCALE_DIR in [Path(path) for path in settings.LOCALE_PATHS]
    assert settings.LANGUAGE_CODE == "nl"
    assert sorted(code for code, _name in settings.LANGUAGES) == sorted(LANGUAGE_CODES)
    for language in LANGUAGE_CODES:
        assert po_path(language).is_file(), f"{po_path(language)} is missing: run `make messages`"


def test_every_source_string_is_in_the_dutch_catalogue(
    extracted_nl: dict[tuple[str | None, str], PoEntry], committed: dict[str, list[PoEntry]]
) -> None:
    in_catalogue = messages(committed["nl"])
    missing = [entry.label() for key, entry in extracted_nl.items() if key not in in_catalogue]
    assert not missing, (
        f"{len(missing)} translatable string(s) are not in the Dutch catalogue; "
        "run `make messages` and translate them:\n" + "\n".join(missing)
    )
    wrong_plural = [
        entry.label()
        for key, entry in extracted_nl.items()
        if in_catalogue[key].msgid_plural != entry.msgid_plural
    ]
    assert not wrong_plural, "plural forms changed; run `make messages`:\n" + "\n".join(
        wrong_plural
    )


def test_the_dutch_catalogue_has_no_stale_strings(
    extracted_nl: dict[tuple[str | None, str], PoEntry], committed: dict[str, list[PoEntry]]
) -> None:
    stale = [
        entry.label() for key, entry in messages(committed["nl"]).items() if key not in extracted_nl
    ]
    assert not stale, (
        "strings no longer in the sources are still in the Dutch catalogue; "
        "run `make messages`:\n" + "\n".join(stale)
    )
    obsolete = [entry.label() for entry in committed["nl"] if entry.obsolete]
    assert not obsolete, "obsolete (#~) entries left in the catalogue:\n" + "\n".join(obsolete)


def test_english_catalogue_has_the_same_strings(committed: dict[str, list[PoEntry]]) -> None:
    assert messages(committed["en"]).keys() == messages(committed["nl"]).keys(), (
        "the English and Dutch catalogues differ; run `make messages`"
    )


def test_every_dutch_string_is_translated_and_none_is_fuzzy(
    committed: dict[str, list[PoEntry]],
) -> None:
    entries = committed["nl"]
    nplurals_match = re.search(r"nplurals\s*=\s*(\d+)", header_fields(entries)["Plural-Forms"])
    assert nplurals_match is not None, "the Dutch header needs a Plural-Forms line"
    nplurals = int(nplurals_match.group(1))
    assert header_fields(entries)["Language"] == "nl"

    untranslated = []
    for entry in messages(entries).values():
        if entry.msgid_plural is None:
            complete = bool(entry.msgstr)
        else:
            forms = entry.msgstr_plural
            complete = sorted(forms) == list(range(nplurals)) and all(forms.values())
        if not complete:
            untranslated.append(entry.label())
    assert not untranslated, "Dutch translations are missing for:\n" + "\n".join(untranslated)

    for language, language_entries in committed.items():
        fuzzy = [entry.label() for entry in language_entries if "fuzzy" in entry.flags]
        assert not fuzzy, f"fuzzy entries in the {language} catalogue:\n" + "\n".join(fuzzy)


def test_dutch_translations_keep_the_placeholders(committed: dict[str, list[PoEntry]]) -> None:
    wrong = []
    for entry in messages(committed["nl"]).values():
        if entry.msgid_plural is None:
            pairs = [(entry.msgid, entry.msgstr)]
        else:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in entry.msgstr_plural.items()
            ]
        for source, translation in pairs:
            if translation and Counter(PLACEHOLDER.findall(source)) != Counter(
                PLACEHOLDER.findall(translation)
            ):
                wrong.append(f"{entry.label()} -> {translation!r}")
    assert not wrong, "placeholders differ between source and translation:\n" + "\n".join(wrong)


# --- b) The committed .mo files are compiled from the committed .po files ------------------


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_compiled_catalogue_matches_its_source(language: str, tmp_path: Path) -> None:
    require_gettext_tools()
    source = po_path(language)
    committed_mo = source.with_suffix(".mo")
    assert committed_mo.is_file(), f"{committed_mo} is missing: run `make messages`"
    fresh_mo = tmp_path / "django.mo"
    # The same call compilemessages makes, so format errors fail here too.
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh_mo), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejects {source}:\n{result.stderr}"

    with committed_mo.open("rb") as handle:
        in_repo = gettext.GNUTranslations(handle)
    with fresh_mo.open("rb") as handle:
        from_source = gettext.GNUTranslations(handle)
    assert in_repo._catalog == from_source._catalog, (  # type: ignore[attr-defined]
        f"{committed_mo} is out of date with {source.name}: "
        "run `manage.py compilemessages` (or `make messages`) and commit the .mo"
    )
    assert [in_repo.plural(n) for n in range(200)] == [  # type: ignore[attr-defined]
        from_source.plural(n)  # type: ignore[attr-defined]
        for n in range(200)
    ]


# --- c) Pages come out in the right language -----------------------------------------------


@pytest.mark.django_db
def test_login_page_is_dutch_by_default(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in html
    assert "Inloggen bij Dyade" in html
    assert "Wachtwoord vergeten?" in html
    assert "Log in to Dyade" not in html


@pytest.mark.django_db
def test_login_page_ignores_the_browser_language(client: Client) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "Inloggen bij Dyade" in response.content.decode()


@pytest.mark.django_db
def test_login_page_is_english_with_the_language_cookie(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Log in to Dyade" in html
    assert "Forgot your password?" in html
    assert "Inloggen bij Dyade" not in html


@pytest.fixture
def partner_user(db: None) -> User:
    practice = Practice.objects.create(name="Praktijk De Linde")
    therapist = User.objects.create_user(
        "therapeut@example.invalid", role=Role.THERAPIST, practice=practice, name="Ans"
    )
    case = Case.objects.create(
        practice=practice, label="Sam & Noor", kind=CaseKind.COUPLE, created_by=therapist
    )
    case.therapists.add(therapist)
    user = User.objects.create_user(
        "sam@example.invalid", role=Role.PARTNER, practice=practice, name="Sam"
    )
    Partner.objects.create(case=case, slot="A", name="Sam", user=user)
    Partner.objects.create(case=case, slot="B", name="Noor")
    return user


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("nl", ["Hallo Sam", "Vul het dagboek van vandaag in", "Snel weg", "Uitloggen"]),
        ("en", ["Hello Sam", "Fill in today's diary", "Quick exit", "Log out"]),
    ],
)
def test_partner_home_follows_the_partners_language(
    client: Client, partner_user: User, language: str, phrases: list[str]
) -> None:
    partner_user.language = language
    partner_user.save(update_fields=["language"])
    client.force_login(partner_user)
    # The signed-in user's own language wins over a cookie left on a shared device.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en" if language == "nl" else "nl"
    response = client.get(reverse("diary:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    for phrase in phrases:
        assert phrase in html
