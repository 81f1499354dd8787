"""The session is read with its user in one statement; the user is the one its signed data names.

``accounts_session`` keeps the user's key in a column beside the signed session
data (dyade/accounts/signed_in.py). That column only saves a read: these tests
change it behind the session's back and check that it never decides who is
signed in, and that the column follows logins, logouts and deleted accounts.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dyade.accounts.models import Session
from dyade.accounts.signed_in import _sessions
from tests.conftest import PASSWORD, World

moving = importlib.import_module("dyade.accounts.migrations.0003_signed_in_sessions")


def signed_in(email: str) -> Client:
    client = Client()
    assert (
        client.post("/account/login/", {"username": email, "password": PASSWORD}).status_code == 302
    )
    return client


def test_a_login_names_its_user_beside_the_data_and_a_logout_takes_the_row(world: World) -> None:
    client = signed_in(world.user_a.email)
    key = client.session.session_key
    assert Session.objects.get(session_key=key).user_id == world.user_a.pk
    client.post("/account/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_the_column_never_decides_who_is_signed_in(world: World) -> None:
    client = signed_in(world.user_a.email)
    assert client.get("/me/").status_code == 200
    # Someone changes the column to the therapist's key; the signed data still names A.
    Session.objects.filter(session_key=client.session.session_key).update(
        user_id=world.therapist.pk
    )
    with CaptureQueriesContext(connection) as captured:
        home = client.get("/me/")
    assert home.status_code == 200  # still partner A's own home
    assert home.wsgi_request.user.pk == world.user_a.pk
    # A is read on their own, as the row read with the session was somebody else.
    users = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert any(sql.startswith('SELECT "accounts_user".') for sql in users)
    assert client.get("/cases/").status_code in (302, 403)  # no therapist page for A


def test_a_session_whose_column_names_nobody_still_finds_its_user(world: World) -> None:
    client = signed_in(world.user_b.email)
    Session.objects.filter(session_key=client.session.session_key).update(user_id=None)
    response = client.get("/me/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == world.user_b.pk


def test_deleting_an_account_deletes_its_sessions(world: World) -> None:
    client = signed_in(world.researcher.email)
    assert Session.objects.filter(user=world.researcher).count() == 1
    world.researcher.delete()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()


def test_one_statement_reads_the_session_its_user_and_the_practice(world: World) -> None:
    client = signed_in(world.therapist.email)
    found = _sessions.first(client.session.session_key, timezone.now())
    assert found.user == world.therapist
    assert found.user.practice == world.practice
    with CaptureQueriesContext(connection) as captured:
        assert found.user.practice.name == world.practice.name  # nothing left to read
    assert captured.captured_queries == []


def test_a_row_that_is_not_there_leaves_the_rest_of_the_way_unread(world: World) -> None:
    anonymous = Session.objects.create(
        session_key="a" * 32, session_data="", expire_date=timezone.now() + timedelta(hours=1)
    )
    assert _sessions.first(anonymous.session_key, timezone.now()).user is None
    world.admin.practice = None
    world.admin.save(update_fields=["practice"])
    client = Client()
    client.force_login(world.admin)
    found = _sessions.first(client.session.session_key, timezone.now())
    assert found.user == world.admin and found.user.practice is None


@pytest.mark.parametrize("alive", [True, False], ids=["live", "expired"])
def test_the_upgrade_moves_each_live_session_with_its_user(world: World, alive: bool) -> None:
    old = DjangoStore()  # as Django's own store wrote a login before the upgrade
    old[SESSION_KEY] = str(world.user_a.pk)
    old[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    old[HASH_SESSION_KEY] = world.user_a.get_session_auth_hash()
    old.create()
    expiry = timezone.now() + (timedelta(hours=1) if alive else -timedelta(hours=1))
    DjangoSession.objects.filter(session_key=old.session_key).update(expire_date=expiry)

    stored = DjangoSession.objects.get(session_key=old.session_key).session_data

    moving.move_live_sessions(apps, None)

    assert not DjangoSession.objects.exists()  # no copy left behind, live or expired

    copied = Session.objects.filter(session_key=old.session_key).first()
    if not alive:
        assert copied is None
        return
    assert copied.user_id == world.user_a.pk
    assert copied.session_data == stored
    # The copied session signs A in, as before the upgrade.
    client = Client()
    client.cookies["sessionid"] = old.session_key
    assert client.get("/me/").wsgi_request.user.pk == world.user_a.pk
