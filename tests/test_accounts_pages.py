"""The account page of every role, changing one's password, failed logins in the audit log,
the lockout page and the staff page's "invited"."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from dyade.accounts.models import Role, User
from dyade.audit.models import AuditEvent
from tests.conftest import PASSWORD, World, client_for

NEW = "een-heel-nieuw-wachtwoord-42"
MENU = re.compile(r'<nav class="menu"[^>]*>(.*?)</nav>', re.S)


def login(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


# --- The account page, from every role's menu ---------------------------------------------


@pytest.mark.parametrize(
    "person,start",
    [
        ("therapist", "/cases/"),
        ("admin", "/practice/"),
        ("researcher", "/research/"),
        ("partner_a", "/me/"),
    ],
)
def test_every_role_reaches_its_account_page_from_the_menu(
    world: World, person: str, start: str
) -> None:
    client = client_for(world.person(person))
    menu = MENU.search(client.get(start).content.decode())
    assert menu is not None and reverse("accounts:account") in menu.group(1)
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("accounts:password_change") in body
    # Two-step login is for staff; partners are deliberately not asked for a second device.
    assert (reverse("accounts:2fa_setup") in body) == (person != "partner_a")


def test_a_stranger_is_sent_to_log_in(db: None) -> None:
    for name in ("account", "password_change", "2fa_new_phone"):
        response = Client().get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- Changing one's password ---------------------------------------------------------------


def test_changing_the_password_is_audited_and_ends_other_sessions(world: World) -> None:
    phone, laptop = Client(), Client()
    login(phone, world.user_a.email)
    login(laptop, world.user_a.email)
    response = phone.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == reverse("accounts:account")
    world.user_a.refresh_from_db()
    assert world.user_a.check_password(NEW)
    assert phone.get("/me/").status_code == 200  # this session stays
    assert laptop.get("/me/").status_code == 302  # the other one ends
    event = AuditEvent.objects.get(event="password.update", user_id=world.user_a.pk)
    assert event.detail == "changed on the account page"


def test_a_wrong_current_password_counts_as_a_failed_login(world: World) -> None:
    client = client_for(world.therapist)
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
        )
        assert response.status_code == 200
        assert "old_password" in response.context["form"].errors
        assert response.context["form"]["new_password1"].value() == NEW  # what was typed stays
    denied = AuditEvent.objects.filter(
        event="auth.login", outcome="denied", user_id=world.therapist.pk
    )
    assert denied.count() == django_settings.AXES_FAILURE_LIMIT - 1
    # One more and this client is locked out, as at the login page.
    locked = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert locked.status_code == 429
    world.therapist.refresh_from_db()
    assert world.therapist.check_password(PASSWORD)


def test_the_password_help_speaks_to_a_partner_informally(world: World) -> None:
    page = client_for(world.user_a).get(reverse("accounts:password_change")).content.decode()
    assert "Minstens 10 tekens" in page
    assert "Uw wachtwoord" not in page  # Django's own help text is formal Dutch


def test_a_weak_new_password_is_refused_with_a_message(world: World) -> None:
    response = client_for(world.user_b).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


# --- Failed logins in the practice's audit log --------------------------------------------


def test_a_failed_login_is_attributed_to_the_account_it_targeted(world: World) -> None:
    login(Client(), world.colleague.email, "wrong")
    event = AuditEvent.objects.get(event="auth.login", outcome="denied")
    assert event.user_id == world.colleague.pk
    assert event.practice_id == world.practice.pk
    assert event.detail == "wrong password"
    # The practice admin sees it in the audit log; the other practice does not.
    page = client_for(world.admin).get(reverse("practice:audit")).content.decode()
    assert world.colleague.name in page
    other_admin = User.objects.create_user(
        "admin@two.example", PASSWORD, role=Role.PRACTICE_ADMIN, practice=world.other_practice
    )
    other = client_for(other_admin).get(reverse("practice:audit")).content.decode()
    assert world.colleague.email not in other


def test_nothing_tells_the_attacker_whether_the_account_exists(world: World) -> None:
    known = login(Client(), world.colleague.email, "wrong")
    unknown = login(Client(), "nobody@one.example", "wrong")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    stranger = AuditEvent.objects.filter(event="auth.login", outcome="denied", user_id=None)
    (event,) = stranger
    assert event.practice_id is None
    assert "nobody" not in str(AuditEvent.objects.filter(pk=event.pk).values().get())


# --- The lockout page ----------------------------------------------------------------------


@pytest.mark.parametrize("email", ["therapist@one.example", "nobody@one.example"])
def test_the_lockout_page_offers_a_way_back_and_says_the_same_for_everyone(
    world: World, email: str
) -> None:
    client = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = login(client, email, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert re.search(r"\b\d{2}:\d{2}\b", page)  # when it lifts
    assert reverse("accounts:password_reset") in page  # the link to a new password
    assert "practice admin" in page or "praktijkbeheerder" in page  # who can help
    assert email not in page
    minutes = int(django_settings.AXES_COOLOFF_TIME * 60)
    assert f"{minutes} minut" in page  # "30 minuten" / "30 minutes"


def test_the_lockout_page_is_the_same_for_an_account_and_for_no_account(world: World) -> None:
    def locked_page(email: str) -> str:
        client = Client()
        for _ in range(django_settings.AXES_FAILURE_LIMIT):
            response = login(client, email, "wrong")
        page = response.content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        return re.sub(r"\b\d{2}:\d{2}\b", "HH:MM", page)

    assert locked_page(world.therapist.email) == locked_page("nobody@one.example")


# --- The staff page: invited, active, deactivated -----------------------------------------


def test_a_therapist_who_never_set_a_password_is_shown_as_invited(world: World) -> None:
    admin = client_for(world.admin)
    admin.post(
        reverse("practice:therapists"),
        {"name": "Nieuwe Collega", "email": "nieuw@one.example", "language": "nl"},
    )
    admin.post(reverse("practice:toggle", args=[world.colleague.pk]))  # deactivated
    page = admin.get(reverse("practice:therapists")).content.decode()
    rows = {
        name: re.search(rf"<td>{name}</td>.*?</td>\s*<td>(\w+)</td>", page, re.S)
        for name in ("Nieuwe Collega", "Eva", "Joris")
    }
    status = {name: found.group(1) for name, found in rows.items() if found}
    assert status == {"Nieuwe Collega": "uitgenodigd", "Eva": "actief", "Joris": "gedeactiveerd"}
