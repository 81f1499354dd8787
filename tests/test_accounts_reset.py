"""Forgot your password: audited, limited, and the same answer for every address."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from dyade.accounts import reset
from dyade.accounts.models import Role, User
from dyade.audit.models import AuditEvent
from tests.conftest import PASSWORD, World

RESET = "/account/password-reset/"
NEW = "een-heel-nieuw-wachtwoord-42"


def ask(email: str, ip: str = "203.0.113.5", client: Client | None = None):  # type: ignore[no-untyped-def]
    client = client or Client()
    return client.post(RESET, {"email": email}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ip)


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):  # type: ignore[no-untyped-def]
    settings.DYADE_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.DYADE_PASSWORD_RESET_PER_ACCOUNT = 3
    settings.DYADE_PASSWORD_RESET_PER_CLIENT = 10


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=reset.EVENT).order_by("id"))


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found is not None
    return urlparse(found.group(0)).path


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def answer(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, response["Location"]


# --- The request ---------------------------------------------------------------------------


def test_a_known_address_gets_a_link_and_the_request_is_audited(world: World) -> None:
    response = ask("Therapist@One.example ")
    assert answer(response) == (302, reverse("accounts:password_reset_done"))
    (message,) = mail.outbox
    assert message.to == [world.therapist.email]
    (event,) = events()
    assert event.user_id == world.therapist.pk
    assert event.practice_id == world.practice.pk  # the practice sees it in its audit log
    assert event.outcome == "success" and event.detail == reset.SENT
    assert event.ip_address == "203.0.113.5"


def test_no_user_enumeration_an_unknown_address_gets_the_same_answer(world: World) -> None:
    known = ask(world.therapist.email)
    unknown = ask("nobody@one.example")
    assert answer(known) == answer(unknown)
    done_known = without_token(Client().get(known["Location"]).content.decode())
    done_unknown = without_token(Client().get(unknown["Location"]).content.decode())
    assert done_known == done_unknown
    assert len(mail.outbox) == 1  # only the real account got mail
    event = events()[-1]
    assert event.user_id is None and event.practice_id is None
    assert event.detail == reset.NO_ACCOUNT
    # The typed address is stored nowhere in the audit trail.
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any("nobody" in str(value) for value in stored.values())


def test_the_limit_per_account_sends_nothing_more_and_says_nothing(world: World) -> None:
    answers = [answer(ask(world.therapist.email, ip=f"203.0.113.{n}")) for n in range(5)]
    assert len(set(answers)) == 1  # every request got the same answer
    assert len(mail.outbox) == 3  # DYADE_PASSWORD_RESET_PER_ACCOUNT
    outcomes = [(event.outcome, event.detail) for event in events()]
    assert outcomes == [("success", reset.SENT)] * 3 + [("denied", reset.ACCOUNT_LIMIT)] * 2
    assert {event.user_id for event in events()} == {world.therapist.pk}
    # Another account is not held back by this one's limit.
    ask(world.colleague.email)
    assert len(mail.outbox) == 4


def test_the_limit_per_client_holds_across_addresses(world: World) -> None:
    for n in range(10):
        ask(f"someone{n}@one.example", ip="198.51.100.7")
    limited = ask(world.therapist.email, ip="198.51.100.7")
    assert answer(limited) == (302, reverse("accounts:password_reset_done"))
    assert mail.outbox == []
    assert (events()[-1].outcome, events()[-1].detail) == ("denied", reset.CLIENT_LIMIT)
    assert events()[-1].user_id == world.therapist.pk  # the target's practice sees it
    # Another client behind the same proxy is not held back.
    ask(world.therapist.email, ip="198.51.100.8")
    assert len(mail.outbox) == 1


def test_the_window_is_an_hour(world: World) -> None:
    import datetime as dt

    for _ in range(3):
        ask(world.therapist.email)
    AuditEvent.objects.filter(event=reset.EVENT).update(
        time=AuditEvent.objects.first().time - dt.timedelta(hours=1, seconds=1)  # type: ignore[union-attr]
    )
    ask(world.therapist.email)
    assert len(mail.outbox) == 4


def test_an_inactive_account_gets_nothing(world: World) -> None:
    world.colleague.is_active = False
    world.colleague.save(update_fields=["is_active"])
    assert answer(ask(world.colleague.email)) == (302, reverse("accounts:password_reset_done"))
    assert mail.outbox == []
    assert events()[-1].detail == reset.INACTIVE


def test_an_invited_therapist_who_lost_the_welcome_link_can_ask_again(world: World) -> None:
    invited = User.objects.create_user(
        "nieuw@one.example", role=Role.THERAPIST, practice=world.practice, name="Nieuw"
    )
    assert not invited.has_usable_password()
    ask(invited.email)
    (message,) = mail.outbox
    client = Client()
    form = client.get(link_in(message), follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(NEW)
    event = AuditEvent.objects.get(event="password.update", user_id=invited.pk)
    assert event.detail == "first password chosen with the link"


@pytest.mark.parametrize("typed", ["", "not-an-address", "a@" + "b" * 300 + ".nl", "a@b@c.nl"])
def test_bad_input_gets_a_message_not_an_error(world: World, typed: str) -> None:
    response = ask(typed)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert mail.outbox == []


# --- The change ----------------------------------------------------------------------------


def test_the_change_is_audited_and_the_link_works_once(world: World) -> None:
    ask(world.therapist.email)
    path = link_in(mail.outbox[0])
    client = Client()
    form = client.get(path, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("accounts:login")
    event = AuditEvent.objects.get(event="password.update", user_id=world.therapist.pk)
    assert event.practice_id == world.practice.pk
    assert event.detail == "new password chosen with the link"
    again = Client().get(path, follow=True)
    assert again.context["validlink"] is False


def test_choosing_a_new_password_lifts_the_lockout(world: World) -> None:
    """The way back from a lockout: the link, then logging in from the same client."""
    client = Client()
    login = reverse("accounts:login")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": world.therapist.email, "password": "wrong"})
    locked = client.post(login, {"username": world.therapist.email, "password": PASSWORD})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert reverse("accounts:password_reset") in page  # the lockout page offers the link
    ask(world.therapist.email, client=client)
    form = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    back = client.post(login, {"username": world.therapist.email, "password": NEW})
    assert back.status_code == 302
    assert client.session["_auth_user_id"] == str(world.therapist.pk)
