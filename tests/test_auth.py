"""Logging in, password hashing, lockout, languages, sessions and settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings as django_settings
from django.urls import reverse

from dyade.accounts.models import Role, User
from tests.conftest import PASSWORD, World, client_for

ROOT = Path(__file__).resolve().parent.parent


def login(client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_with_email_and_password(world: World) -> None:
    client = client_for(None)
    response = login(client, "Therapist@One.example")
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/cases/"


def test_a_wrong_password_says_so_without_saying_which_part(world: World) -> None:
    response = login(client_for(None), "therapist@one.example", "wrong")
    assert response.status_code == 200
    body = response.content.decode()
    assert "therapist@one.example" in body  # what was typed is kept
    unknown = login(client_for(None), "nobody@one.example", "wrong").content.decode()

    def errors(html: str) -> str:
        return html.split('class="form-errors"')[1].split("</div>")[0]

    assert errors(unknown) == errors(body)


def test_passwords_are_hashed_with_argon2(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = django_settings.PASSWORD_HASHERS[1:]
    user = User.objects.create_user("x@one.example", PASSWORD, role=Role.THERAPIST)
    assert user.password.startswith("argon2")


def test_repeated_failures_lock_the_login(world: World) -> None:
    client = client_for(None)
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        login(client, "therapist@one.example", "wrong")
    locked = login(client, "therapist@one.example")
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_sessions_expire(world: World) -> None:
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = client_for(world.therapist)
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get("/cases/").status_code == 302


def test_dutch_is_the_default_and_english_can_be_chosen(world: World) -> None:
    client = client_for(world.user_a)
    assert client.get("/me/")["Content-Language"] == "nl"
    client.post(reverse("accounts:language"), {"language": "en", "next": "/me/"})
    world.user_a.refresh_from_db()
    assert world.user_a.language == "en"
    assert client.get("/me/")["Content-Language"] == "en"
    # The browser's own preference does not override Dutch for a visitor.
    anonymous = client_for(None).get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert anonymous["Content-Language"] == "nl"


def test_language_switch_does_not_redirect_off_site(world: World) -> None:
    response = client_for(None).post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_security_headers(world: World) -> None:
    response = client_for(world.user_a).get("/me/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def _settings_import(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DYADE_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import dyade.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _settings_import({})
    assert result.returncode != 0
    assert "DYADE_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked() -> None:
    key = "k" * 50
    fernet = "x7Fq9GHz3bN2cW8dR1tY6uI0oP5aS4dF3gH2jK1lZ0M="
    result = _settings_import({"DYADE_SECRET_KEY": key, "DYADE_FIELD_KEYS": fernet})
    assert result.stdout.strip() == "False", result.stderr
    result = _settings_import(
        {"DYADE_SECRET_KEY": key, "DYADE_FIELD_KEYS": fernet, "DYADE_DEBUG": "1"}
    )
    assert result.stdout.strip() == "True", result.stderr


def test_create_practice_makes_an_admin_who_can_set_a_password(db: None) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "create_practice", name="Praktijk Drie", admin_email="Beheer@Drie.example", stdout=out
    )
    admin = User.objects.get(email="beheer@drie.example")
    assert admin.role == Role.PRACTICE_ADMIN
    assert admin.practice is not None and admin.practice.name == "Praktijk Drie"
    link = out.getvalue().split("here: ")[1].strip()
    path = urlparse(link).path
    client = client_for(None)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new = "een-nieuw-wachtwoord-77"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    admin.refresh_from_db()
    assert admin.check_password(new)


def test_static_assets_are_served(db: None) -> None:
    client = client_for(None)
    for path in ("/static/dyade/dyade.css", "/static/dyade/dyade.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
