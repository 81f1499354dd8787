"""Production settings pass ``manage.py check --deploy`` but for deliberate exceptions.

The one exception left is HSTS preload (security.W021): asking browsers to hard-code
HTTPS for a domain binds every subdomain of the practice's domain for months, which
is the operator's decision, not Dyade's (docs/operations.md, "Production checks").
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
DELIBERATE = {"security.W021"}


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DYADE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        DYADE_SECRET_KEY=secrets.token_urlsafe(50),
        DYADE_FIELD_KEYS=Fernet.generate_key().decode(),
        DYADE_ALLOWED_HOSTS="dyade.praktijk.example",
        DYADE_CSRF_TRUSTED_ORIGINS="https://dyade.praktijk.example",
        DYADE_SITE_URL="https://dyade.praktijk.example",
        DYADE_LOCAL_DIR=str(tmp_path / "local"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    env.update(extra)
    return env


def deploy_check(env: dict[str, str]) -> tuple[int, set[str], str]:
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    return done.returncode, set(re.findall(r"\(([a-z_]+\.[A-Z]\d{3})\)", output)), output


def test_production_settings_leave_only_the_deliberate_warnings(tmp_path: Path) -> None:
    code, found, output = deploy_check(production_env(tmp_path))
    assert found == DELIBERATE, output
    assert code == 1  # warnings fail at --fail-level WARNING: the one left is real


def test_debug_and_plain_http_in_production_are_reported(tmp_path: Path) -> None:
    env = production_env(tmp_path, DYADE_DEBUG="1", DYADE_SSL_REDIRECT="0")
    _, found, output = deploy_check(env)
    assert found == DELIBERATE | {"security.W018", "security.W008"}, output


@pytest.fixture
def secure(settings):  # type: ignore[no-untyped-def]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    return settings


def test_plain_http_is_redirected_but_the_health_check(secure, db: None) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.get("/account/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/account/login/"
    assert client.get("/health/").status_code == 200


def test_behind_the_proxy_a_request_over_https_is_served_with_hsts(secure, db: None) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/account/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
