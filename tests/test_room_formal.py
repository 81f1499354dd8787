"""The tablet in the room speaks to the partner holding it as their practice does.

The tablet runs on the therapist's account, whose own pages stay in plain Dutch; the
check-in on it is the partner's, so a practice that addresses partners with "u" has the
tablet say "u" too (its words and the questionnaire's), and one that says "je" keeps "je".
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import World, client_for
from tests.test_closing_summary_tablet import _locked_tablet
from tests.test_language_formal_pages import FORMAL, INFORMAL, _address_words


def _tablet_page(world: World, moment: str) -> str:
    client, _appointment = _locked_tablet(world, moment)
    page = client.get(reverse("room:page"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<details class="room-unlock"' in html
    # The part for the therapist (taking the tablet back) speaks to the therapist, as
    # staff pages do: only what the partner reads is looked at.
    return html.split('<details class="room-unlock"')[0]


@pytest.mark.parametrize("moment", ["before", "after"])
def test_a_formal_practice_has_the_tablet_say_u(world: World, moment: str) -> None:
    world.practice.formal_dutch = True
    world.practice.save(update_fields=["formal_dutch"])
    html = _tablet_page(world, moment)
    assert 'name="q-1"' in html
    assert _address_words(html, INFORMAL, []) == []
    assert _address_words(html, FORMAL, [])  # it does address the partner


@pytest.mark.parametrize("moment", ["before", "after"])
def test_an_informal_practice_keeps_je_on_the_tablet(world: World, moment: str) -> None:
    html = _tablet_page(world, moment)
    assert _address_words(html, FORMAL, []) == []
    assert _address_words(html, INFORMAL, [])


def test_the_therapists_own_pages_stay_plain_dutch_in_a_formal_practice(world: World) -> None:
    world.practice.formal_dutch = True
    world.practice.save(update_fields=["formal_dutch"])
    page = client_for(world.therapist).get(reverse("cases:list")).content.decode()
    assert _address_words(page, FORMAL, []) == []
