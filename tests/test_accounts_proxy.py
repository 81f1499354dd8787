"""The client's address behind a trusted proxy, for the audit trail and the lockouts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from dyade.audit.client_ip import client_ip
from dyade.audit.models import AuditEvent
from tests.conftest import PASSWORD, World

ROOT = Path(__file__).resolve().parent.parent


def ip_of(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.fixture
def proxied(settings):  # type: ignore[no-untyped-def]
    settings.DYADE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


# --- Which address ------------------------------------------------------------------------


def test_without_trusted_proxies_the_header_is_ignored(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DYADE_TRUSTED_PROXIES = []
    assert ip_of("127.0.0.1", "203.0.113.5") == "127.0.0.1"
    assert ip_of("198.51.100.7", "203.0.113.5") == "198.51.100.7"


def test_a_trusted_proxy_gives_the_client_it_saw(proxied: None) -> None:
    assert ip_of("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    # Two trusted hops (10.1.2.3 is a load balancer in front of the local proxy).
    assert ip_of("127.0.0.1", "203.0.113.5, 10.1.2.3") == "203.0.113.5"
    assert ip_of("127.0.0.1", "2001:db8::7") == "2001:db8::7"
    assert ip_of("127.0.0.1", "203.0.113.5:51000") == "203.0.113.5"
    assert ip_of("127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert ip_of("::ffff:127.0.0.1", "203.0.113.5") == "203.0.113.5"  # IPv4 written as IPv6


def test_what_a_client_sends_in_the_header_itself_is_not_believed(proxied: None) -> None:
    # The client sent "X-Forwarded-For: 192.0.2.66"; the proxy appended the real address.
    assert ip_of("127.0.0.1", "192.0.2.66, 203.0.113.5") == "203.0.113.5"
    # A peer that is not a trusted proxy gets no say at all.
    assert ip_of("198.51.100.7", "192.0.2.66") == "198.51.100.7"
    assert ip_of("198.51.100.7", "127.0.0.1") == "198.51.100.7"


@pytest.mark.parametrize(
    "header", ["", "not-an-address", "203.0.113.5, <script>", "999.1.1.1", "unknown", " , "]
)
def test_a_header_that_is_not_an_address_leaves_the_last_trusted_hop(
    proxied: None, header: str
) -> None:
    assert ip_of("127.0.0.1", header) == "127.0.0.1"


def test_the_address_is_always_a_valid_ip_or_none(proxied: None, settings) -> None:  # type: ignore[no-untyped-def]
    assert ip_of("") is None
    assert ip_of("garbage", "203.0.113.5") is None
    settings.DYADE_TRUSTED_PROXIES = ["unix"]  # a proxy on a Unix socket: no peer address
    assert ip_of("", "203.0.113.5") == "203.0.113.5"
    assert ip_of("", "nonsense") is None


def test_a_setting_that_is_not_an_address_stops_the_start() -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DYADE_")}
    result = subprocess.run(
        [sys.executable, "-c", "import dyade.settings"],
        cwd=ROOT,
        env={**base, "DYADE_LOCAL": "1", "DYADE_TRUSTED_PROXIES": "127.0.0.1,proxy.local"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DYADE_TRUSTED_PROXIES" in result.stderr and "proxy.local" in result.stderr


# --- The audit trail ----------------------------------------------------------------------


def login(client: Client, email: str, password: str, forwarded: str, remote: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_the_audit_trail_stores_the_client_behind_the_proxy(world: World, proxied: None) -> None:
    assert login(Client(), world.therapist.email, PASSWORD, "203.0.113.5").status_code == 302
    event = AuditEvent.objects.filter(event="auth.login", user_id=world.therapist.pk).latest("id")
    assert event.ip_address == "203.0.113.5"


def test_a_spoofed_header_never_reaches_the_audit_trail(world: World, proxied: None) -> None:
    login(Client(), world.therapist.email, PASSWORD, "<not an ip>")
    login(Client(), world.colleague.email, PASSWORD, "203.0.113.9", remote="198.51.100.7")
    stored = set(AuditEvent.objects.values_list("ip_address", flat=True))
    assert stored == {"127.0.0.1", "198.51.100.7"}


# --- Lockouts: by account and client address ----------------------------------------------


def test_a_locked_account_is_locked_only_for_the_client_that_failed(
    world: World, proxied: None
) -> None:
    attacker, owner = Client(), Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert login(attacker, world.therapist.email, "wrong", "203.0.113.5").status_code == 200
    assert login(attacker, world.therapist.email, "wrong", "203.0.113.5").status_code == 429
    # The attacker's address is locked out, even with the right password...
    locked = login(attacker, world.therapist.email, PASSWORD, "203.0.113.5")
    assert locked.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # ...and cannot escape by making up a header: the proxy appends the real address.
    escape = login(attacker, world.therapist.email, PASSWORD, "192.0.2.1, 203.0.113.5")
    assert escape.status_code == 429
    # The owner, behind the same proxy from another address, logs in.
    assert login(owner, world.therapist.email, PASSWORD, "203.0.113.6").status_code == 302
    assert owner.session["_auth_user_id"] == str(world.therapist.pk)


def test_without_a_trusted_proxy_a_made_up_header_does_not_escape_a_lockout(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DYADE_TRUSTED_PROXIES = []
    attacker = Client()
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        login(attacker, world.therapist.email, "wrong", f"203.0.113.{n}", remote="198.51.100.7")
    again = login(attacker, world.therapist.email, PASSWORD, "203.0.113.99", remote="198.51.100.7")
    assert again.status_code == 429
