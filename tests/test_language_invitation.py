"""The invitation page speaks the partner's language, and Django's own messages speak Dutch.

Issue 17: an English-speaking partner opened the invitation page in Dutch, and Django's
password messages appeared in English inside Dutch pages.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from dyade.cases.models import Case, Invitation
from tests.conftest import World, client_for

COUPLE = {
    "label": "Noor & Fleur",
    "kind": "couple",
    "a_name": "Noor",
    "a_email": "noor@partner.example",
    "a_language": "nl",
    "b_name": "Fleur",
    "b_email": "",
    "b_language": "en",
}


def _links(world: World) -> dict[str, str]:
    therapist = client_for(world.therapist)
    therapist.post(reverse("cases:create"), {**COUPLE, "request_id": str(uuid.uuid4())})
    case = Case.objects.get(label="Noor & Fleur")
    for slot in ("A", "B"):
        therapist.post(
            reverse("cases:invite", args=[case.pk, slot]), {"request_id": str(uuid.uuid4())}
        )
    return {
        inv.partner.slot: reverse("accept_invitation", args=[inv.token])
        for inv in Invitation.objects.filter(partner__case=case)
    }


def test_the_english_partner_opens_the_invitation_in_english(world: World) -> None:
    links = _links(world)
    visitor = client_for(None)
    # A Dutch cookie left on a shared computer does not decide the partner's language.
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = visitor.get(links["B"])
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert response["Content-Language"] == "en"
    assert "Create my account" in html
    assert "Maak mijn account" not in html


def test_the_dutch_partner_opens_it_in_dutch_even_with_an_english_cookie(world: World) -> None:
    links = _links(world)
    visitor = client_for(None)
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = visitor.get(links["A"])
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert response["Content-Language"] == "nl"
    assert "Create my account" not in html


def test_django_password_and_required_messages_are_dutch_on_a_dutch_page(world: World) -> None:
    links = _links(world)
    response = client_for(None).post(
        links["A"],
        {
            "email": "noor@partner.example",
            "password1": "kort",
            "password2": "kort",
            "language": "nl",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort" in html
    assert "too short" not in html
    assert "noor@partner.example" in html  # what was typed is kept
    empty = client_for(None).post(links["A"], {"language": "nl"}).content.decode()
    assert "Dit veld is verplicht." in empty
    assert "This field is required" not in empty


def test_a_partner_who_picks_english_in_the_form_sees_the_errors_in_english(world: World) -> None:
    links = _links(world)
    response = client_for(None).post(
        links["A"],
        {
            "email": "noor@partner.example",
            "password1": "kort",
            "password2": "kort",
            "language": "en",
        },
    )
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "This password is too short" in html


def test_one_date_format_per_language() -> None:
    day = dt.date(2026, 11, 10)
    with translation.override("nl"):
        assert formats.date_format(day) == "10 nov. 2026"
        assert formats.date_format(dt.date(2026, 5, 10)) == "10 mei 2026"
        assert formats.date_format(dt.datetime(2026, 11, 10, 14, 5), "DATETIME_FORMAT") == (
            "10 nov. 2026, 14:05"
        )
    with translation.override("en"):
        assert formats.date_format(day) == "10 Nov 2026"
        assert formats.date_format(dt.datetime(2026, 11, 10, 14, 5), "DATETIME_FORMAT") == (
            "10 Nov 2026, 14:05"
        )
