"""Every partner page and partner e-mail says "u" for a formal practice and "je" otherwise.

Issue 17: informal Dutch throughout the partner pages, formal where the practice prefers it.
Partner A of the shared test world (tests/conftest.py) walks every page reachable from the GET
URLs that tests/test_audit.py lists for a partner, the URLs that need no argument or only the
case, and every same-site link on the pages reached (the walk of tests/test_language_pages.py).
Each page's visible Dutch is searched for words that address the reader:

- formal practice: none of je, jij, jou, jouw, jezelf, jullie (as whole words: "jeugd" or
  "bijeen" do not count);
- informal practice: none of u, uw, uzelf.

Exempt, as in the language walk: what people typed (read from every text column), text in
``<cite>``, text in an element with another ``lang``, and words quoted as words. Also exempt:
text inside typographic single quotes, which is speech a partner says or thinks to the other
(partners say "je" to each other, whatever the practice says to them). The partner e-mails
(invitation, reminders, a new password) and the README of a partner's copy of their data are
checked for the same two practices.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.tasks import send_password_link
from dyade.cases.models import Case, CaseStatus
from dyade.exercises.models import Assignment
from dyade.reminders.channels import send_email
from dyade.reminders.models import Reminder, Topic
from tests.conftest import World, client_for
from tests.test_audit import CLIENT_DATA, _pending_invitation
from tests.test_language_pages import _guessable_urls, _Text, _typed_by_people, walk_pages

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
ADDRESS = {True: INFORMAL, False: FORMAL}  # formal practice -> the words it must not use
QUOTED = re.compile(r"‘[^’]*’")
MIN_PAGES = 18  # the walk reaches more than this many kinds of partner page today


def _address_words(html: str, words: re.Pattern[str], typed: list[str]) -> list[str]:
    """The address words of ``words`` in the page's visible Dutch, with a little context."""
    parser = _Text("nl")
    parser.feed(html)
    text = "\n".join(parser.parts)
    for phrase in typed:
        text = text.replace(phrase, " ")
    text = QUOTED.sub(" ", text)
    text = re.sub(r"‘[^’\s]{1,12}’|'[^'\s]{1,12}'", " ", text)
    found = []
    for match in words.finditer(text):
        start, end = max(0, match.start() - 40), match.end() + 40
        found.append(" ".join(text[start:end].split()))
    return found


def _walk(
    client: Client, starts: list[str], words: re.Pattern[str]
) -> tuple[dict[str, Collection[str]], set[str]]:
    """The language walk of tests/test_language_pages.py, checking each page for ``words``."""
    typed = _typed_by_people()
    return walk_pages(client, starts, lambda html: _address_words(html, words, typed))


def _starts(world: World) -> list[str]:
    """The partner's GET URLs of the audit walks (building one may add what it needs to the
    world; a walk that closes the case is left out here, and its page walked on its own)."""
    Assignment.objects.create(case=world.case, slug="sensate-focus", assigned_by=world.therapist)
    urls = []
    for walks in CLIENT_DATA.values():
        for walk in walks:
            if walk.person != "partner_a" or walk.method != "get":
                continue
            url = walk.url(world)
            world.case.refresh_from_db()
            if world.case.status == CaseStatus.OPEN:
                urls.append(url)
            else:
                Case.objects.filter(pk=world.case.pk).update(status=CaseStatus.OPEN, closed_at=None)
    return ["/", "/me/", *urls, *_guessable_urls(world)]


def _set_practice(world: World, formal: bool) -> None:
    world.practice.formal_dutch = formal
    world.practice.save(update_fields=["formal_dutch"])
    world.user_a.language = "nl"
    world.user_a.save(update_fields=["language"])


@pytest.mark.parametrize("formal", [True, False], ids=["formal", "informal"])
def test_every_partner_page_addresses_the_partner_as_the_practice_prefers(
    world: World, formal: bool
) -> None:
    _set_practice(world, formal)
    problems, checked = _walk(client_for(world.user_a), _starts(world), ADDRESS[formal])
    assert len(checked) >= MIN_PAGES, f"only {sorted(checked)} were reached"
    report = "\n".join(f"{path}: {found}" for path, found in sorted(problems.items()))
    kind = "informal" if formal else "formal"
    assert not problems, f"{kind} address on the pages of a partner:\n{report}"
    # The home page of a partner whose case was closed.
    Case.objects.filter(pk=world.case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    closed, checked = _walk(client_for(world.user_a), ["/me/"], ADDRESS[formal])
    assert "diary:home" in checked and not closed, closed


def test_the_check_finds_je_and_u_and_leaves_quotes_and_typed_text() -> None:
    page = (
        "<p>Hoe voelde je je vandaag?</p><p>Jeugd en bijeen tellen niet.</p>"
        "<p>Zeg dan: ‘ik mis je’.</p><p lang='en'>you</p><p>Mijn eigen notitie: jij</p>"
    )
    assert len(_address_words(page, INFORMAL, ["Mijn eigen notitie: jij"])) == 2
    assert _address_words("<p>Hoe voelde u zich? Uw partner.</p>", FORMAL, [])
    assert not _address_words("<p>Hoe voelde je je vandaag?</p>", FORMAL, [])


def _emails(world: World) -> list[str]:
    """Every e-mail Dyade sends a partner, rendered for partner A (the invitation to the
    world's other practice's partner, whose practice gets the same setting)."""
    mail.outbox.clear()
    Assignment.objects.create(case=world.case, slug="sensate-focus", assigned_by=world.therapist)
    for topic in Topic.values:
        Reminder.objects.create(partner=world.partner_a, topic=topic, active=True)
    for reminder in Reminder.objects.filter(partner=world.partner_a):
        assert send_email(reminder)
    send_password_link.call(world.user_a.pk)
    world.other_partner.email = "ander@partner.example"
    world.other_partner.save(update_fields=["email"])
    _pending_invitation(world)
    return [f"{message.subject}\n{message.body}" for message in mail.outbox]


@pytest.mark.parametrize("formal", [True, False], ids=["formal", "informal"])
def test_every_partner_email_addresses_the_partner_as_the_practice_prefers(
    world: World, formal: bool
) -> None:
    _set_practice(world, formal)
    world.other_practice.formal_dutch = formal
    world.other_practice.save(update_fields=["formal_dutch"])
    texts = _emails(world)
    assert len(texts) == len(Topic.values) + 2
    wrong = ADDRESS[formal]
    right = ADDRESS[not formal]
    for text in texts:
        words = re.sub(r"https?://\S+", " ", text)  # a link's random token may hold "-u-"
        assert not wrong.search(words), text
        assert right.search(words), text


@pytest.mark.parametrize("formal", [True, False], ids=["formal", "informal"])
def test_the_readme_of_a_partners_copy_addresses_them_as_the_practice_prefers(
    world: World, formal: bool
) -> None:
    _set_practice(world, formal)
    response = client_for(world.user_a).get(reverse("rights:download"))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        text = QUOTED.sub(" ", archive.read("README.txt").decode())
    assert not ADDRESS[formal].search(text), text
    assert ADDRESS[not formal].search(text), text
