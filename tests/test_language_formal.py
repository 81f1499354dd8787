"""Formal Dutch ("u") for partners of a practice that prefers it (issue 17).

The mechanism: a second Dutch catalogue, dyade/locale/nl_Formal, holds only the partner
strings whose formal Dutch differs; the language "nl-formal" reads it first and falls back
to the ordinary Dutch catalogue for everything else (gettext's locale fallback). The
middleware activates it for partners of a practice with ``formal_dutch`` set.
"""

from __future__ import annotations

import gettext
import glob
import re
from pathlib import Path

import polib
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from tests.conftest import World, client_for
from tests.test_audit import _pending_invitation

LOCALE = Path(__file__).resolve().parent.parent / "dyade" / "locale"
FORMAL = LOCALE / "nl_Formal" / "LC_MESSAGES" / "django.po"
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _today(world: World, formal: bool) -> str:
    world.practice.formal_dutch = formal
    world.practice.save(update_fields=["formal_dutch"])
    url = reverse("diary:entry", args=[timezone.localdate().isoformat()])
    response = client_for(world.user_a).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_formal_practice_says_u_to_its_partners(world: World) -> None:
    html = _today(world, formal=True)
    assert "Hoe dicht voelde u zich vandaag bij uw partner?" in html
    assert "voelde je je" not in html
    assert '<html lang="nl">' in html
    assert "Snel weg" in html  # strings without a formal variant keep their Dutch
    assert 'value="en" class="link" lang="en">English</button>' in html  # the switch offers English


def test_an_informal_practice_says_je(world: World) -> None:
    html = _today(world, formal=False)
    assert "Hoe dicht voelde je je vandaag bij je partner?" in html
    assert "voelde u zich" not in html


def test_an_english_partner_of_a_formal_practice_reads_english(world: World) -> None:
    world.user_a.language = "en"
    world.user_a.save(update_fields=["language"])
    html = _today(world, formal=True)
    assert "How close did you feel to your partner today?" in html


def test_staff_of_a_formal_practice_keep_the_ordinary_dutch(world: World) -> None:
    world.practice.formal_dutch = True
    world.practice.save(update_fields=["formal_dutch"])
    response = client_for(world.therapist).get(reverse("cases:list"))
    assert response["Content-Language"] == "nl"


def _formal() -> polib.POFile:
    return polib.pofile(str(FORMAL))


def test_every_formal_message_exists_in_the_dutch_catalogue() -> None:
    dutch = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    stale = [e.msgid for e in _formal() if dutch.find(e.msgid, msgctxt=e.msgctxt) is None]
    assert not stale, f"formal variants of strings that no longer exist: {stale}"


def test_the_formal_catalogue_never_says_je_and_keeps_the_placeholders() -> None:
    for entry in _formal():
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert text.strip(), entry.msgid
            assert not INFORMAL.search(text), f"informal Dutch in the formal catalogue: {text}"
            assert set(PLACEHOLDER.findall(text)) <= set(
                PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or ""))
            ), text


def test_dyades_dutch_still_wins_over_djangos_in_the_formal_variant() -> None:
    """In nl-formal Django's own catalogue comes before Dyade's Dutch one, so the strings Dyade
    translates differently from Django (e.g. ``nov.``) must be repeated in the formal file."""
    dutch = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    django_nl: dict[str, str] = {}
    pattern = "**/django/**/locale/nl/LC_MESSAGES/django.mo"
    for mo in glob.glob(str(Path(polib.__file__).parent / pattern), recursive=True):
        with open(mo, "rb") as handle:
            django_nl.update(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    formal = _formal()
    missing = [
        e.msgid
        for e in dutch
        if e.msgid
        and not e.msgid_plural
        and django_nl.get(f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid, e.msgstr)
        != e.msgstr
        and formal.find(e.msgid, msgctxt=e.msgctxt) is None
    ]
    assert not missing, f"copy these from the Dutch catalogue into nl_Formal: {missing}"


def test_the_formal_catalogue_is_compiled() -> None:
    with open(FORMAL.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _formal():
        if not entry.msgid_plural and not entry.msgctxt:
            assert compiled.gettext(entry.msgid) == entry.msgstr


def test_the_invitation_of_a_formal_practice_says_u(world: World) -> None:
    world.other_practice.formal_dutch = True
    world.other_practice.save(update_fields=["formal_dutch"])
    html = client_for(None).get(_pending_invitation(world)).content.decode()
    assert "nodigt u uit voor Dyade" in html
    assert "nodigt je uit" not in html
    assert '<html lang="nl">' in html


def test_only_the_practice_admin_sets_formal_dutch_and_it_is_logged(world: World) -> None:
    url = reverse("practice:language")
    for person in (world.therapist, world.researcher, world.user_a, world.other_therapist):
        assert client_for(person).post(url, {"address": "formal"}).status_code == 403
    assert client_for(None).post(url, {"address": "formal"}).status_code == 302  # to log in
    world.practice.refresh_from_db()
    assert not world.practice.formal_dutch
    admin = client_for(world.admin)
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"address": "nonsense"}).status_code == 200  # a form error, no 500
    response = admin.post(url, {"address": "formal"})
    assert response.status_code == 302
    world.practice.refresh_from_db()
    world.other_practice.refresh_from_db()
    assert world.practice.formal_dutch and not world.other_practice.formal_dutch
    assert (
        AuditEvent.objects.filter(event="practice.language.update", user_id=world.admin.pk).count()
        == 1
    )


def test_the_invitation_email_of_a_formal_practice_says_u(world: World) -> None:
    world.other_practice.formal_dutch = True
    world.other_practice.save(update_fields=["formal_dutch"])
    world.other_partner.email = "ander@partner.example"
    world.other_partner.save(update_fields=["email"])
    _pending_invitation(world)
    message = mail.outbox[-1]
    assert message.subject.startswith("Uw uitnodiging")
    assert "nodigt u uit voor Dyade" in message.body
    assert "je " not in message.body.replace("Dyade", "")
