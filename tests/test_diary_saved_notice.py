"""After a diary send the home thanks the partner, named in its address (diary/notices.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, client_for
from tests.diary_data import diary_form

THANKS = "Opgeslagen. Bedankt voor het invullen van je dagboek."


def _entry_url() -> str:
    return reverse("diary:entry", args=[timezone.localdate().isoformat()])


def _messages(html: str) -> str:
    start = html.find('<ul class="messages">')
    return html[start : html.find("</ul>", start)] if start >= 0 else ""


def test_the_first_send_of_a_day_thanks_and_a_change_says_saved(world: World) -> None:
    client = client_for(world.user_a)
    first = client.post(_entry_url(), diary_form())
    assert first.status_code == 302
    assert first["Location"] == reverse("diary:home") + "?saved=new"
    assert "messages" not in first.cookies  # no signed message cookie to write and check
    home = client.get(first["Location"])
    thanks = _messages(home.content.decode())
    assert THANKS in thanks
    changed = client.post(_entry_url(), diary_form(closeness="9"))
    assert changed["Location"] == reverse("diary:home") + "?saved=changed"
    said = _messages(client.get(changed["Location"]).content.decode())
    assert "Je wijzigingen zijn opgeslagen" in said
    assert "Bedankt" not in said


def test_the_home_without_the_word_or_with_another_says_nothing(world: World) -> None:
    client = client_for(world.user_a)
    for address in ("", "?saved=", "?saved=yes", "?saved=%3Cscript%3E", "?other=new"):
        html = client.get(reverse("diary:home") + address).content.decode()
        assert _messages(html) == "", address


def test_a_refused_send_is_not_thanked(world: World) -> None:
    client = client_for(world.user_a)
    refused = client.post(_entry_url(), diary_form(closeness="11"))
    assert refused.status_code == 200
    assert "Bedankt" not in refused.content.decode()
