"""Sessions end after a fixed lifetime however busy; DYADE_DEBUG keeps secure cookies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from dyade.accounts.signed_in import SIGNED_IN_AT
from tests.conftest import PASSWORD, World

ROOT = Path(__file__).resolve().parent.parent


def logged_in(email: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    return client


def login_was(client: Client, seconds_ago: int) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - seconds_ago
    session.save()


def test_the_lifetime_is_twelve_hours_beside_the_idle_timeout() -> None:
    assert django_settings.DYADE_SESSION_MAX_SECONDS == 12 * 3600
    assert django_settings.SESSION_COOKIE_AGE < django_settings.DYADE_SESSION_MAX_SECONDS


def test_a_busy_session_ends_when_its_lifetime_is_over(world: World) -> None:
    for person in ("therapist", "partner_a"):
        user = world.person(person)
        assert user is not None
        client = logged_in(user.email)
        start = "/cases/" if person == "therapist" else "/me/"
        login_was(client, 12 * 3600 - 60)
        assert client.get(start).status_code == 200  # a minute to go: still in
        login_was(client, 12 * 3600)
        response = client.get(start)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session  # the session itself is gone


def test_the_lifetime_counts_from_the_login_not_from_use(world: World) -> None:
    client = logged_in(world.therapist.email)
    stamp = client.session[SIGNED_IN_AT]
    assert abs(stamp - time.time()) < 60
    client.get("/cases/")
    assert client.session[SIGNED_IN_AT] == stamp  # using the session does not extend it


def test_a_session_from_before_the_lifetime_counts_from_now(world: World) -> None:
    client = logged_in(world.therapist.email)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get("/cases/").status_code == 200
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 60


def _settings(env: dict[str, str]) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DYADE_", "DATABASE_URL"))}
    code = (
        "import dyade.settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


SECRETS = {
    "DYADE_SECRET_KEY": "k" * 50,
    "DYADE_FIELD_KEYS": "x7Fq9GHz3bN2cW8dR1tY6uI0oP5aS4dF3gH2jK1lZ0M=",
}


def test_debug_does_not_switch_off_secure_cookies_and_hsts() -> None:
    assert _settings(SECRETS) == "False True True True"
    assert _settings({**SECRETS, "DYADE_DEBUG": "1"}) == "True True True True"


def test_only_a_developer_machine_or_the_named_setting_relaxes_them() -> None:
    assert _settings({"DYADE_LOCAL": "1"}) == "False False False False"
    assert _settings({**SECRETS, "DYADE_SECURE": "0"}) == "False False False False"
