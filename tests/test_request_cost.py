"""What a signed-in request and a diary submit cost, in queries (times are in bench/load.py).

A signed-in request reads its session and its user, once each, and writes
nothing unless the session changed or its expiry is due for a refresh; the
two-step login device is not looked up on every request; a diary submit is one
write transaction whose queries do not grow with the diary.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dyade.accounts import middleware, two_factor
from dyade.audit.models import AuditEvent
from dyade.diary import services
from dyade.diary.models import DiaryEntry
from tests.conftest import World, client_for, make_user
from tests.diary_data import diary_form

SUBMIT = diary_form(note="Samen gewandeld.")


def statements(run: Callable[[], HttpResponse]) -> tuple[HttpResponse, list[str]]:
    """The response of ``run()`` and the SQL of every query it made, in order."""
    with CaptureQueriesContext(connection) as captured:
        response = run()
    return response, [query["sql"] for query in captured.captured_queries]


def reads_of(table: str, sqls: list[str]) -> int:
    return sum(1 for sql in sqls if sql.startswith("SELECT") and f'FROM "{table}"' in sql)


def writes(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if sql.startswith(("INSERT", "UPDATE", "DELETE"))]


def today_url() -> str:
    return reverse("diary:entry", args=[timezone.localdate().isoformat()])


def test_the_health_view_answers_without_the_database(db: None) -> None:
    response, sqls = statements(lambda: client_for(None).get("/health/"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert sqls == []


def joined_session_reads(sqls: list[str]) -> int:
    """Reads of the session that bring its user and the user's practice in the same statement."""
    return sum(
        1
        for sql in sqls
        if sql.startswith('SELECT "accounts_session".')
        and 'JOIN "accounts_user"' in sql
        and 'JOIN "accounts_practice"' in sql
    )


@pytest.mark.parametrize("person", ["partner_a", "therapist"])
def test_a_signed_in_request_reads_session_and_user_once_and_writes_nothing(
    world: World, person: str
) -> None:
    client = client_for(world.person(person))
    for path in ("/health/", "/me/" if person == "partner_a" else "/cases/"):
        client.get(path)  # a new session is stamped once, a therapist's device looked for once
        response, sqls = statements(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        assert reads_of("accounts_session", sqls) == 1, path
        assert joined_session_reads(sqls) == 1, path  # the user and practice come with it
        assert reads_of("accounts_user", sqls) == 0, path
        assert reads_of("accounts_practice", sqls) == 0, path
        assert not [sql for sql in writes(sqls) if "_session" in sql], path
        assert not [sql for sql in sqls if "otp_" in sql], path  # no device looked up
    _response, sqls = statements(lambda: client.get("/health/"))
    assert len(sqls) == 1, sqls  # a signed-in bare view: its session, with its user


def test_a_formal_practice_costs_its_partners_no_read(world: World) -> None:
    """Whether a partner is addressed with "u" comes with the user's own read."""
    world.practice.formal_dutch = True
    world.practice.save(update_fields=["formal_dutch"])
    client = client_for(world.user_a)
    client.get("/health/")
    response, sqls = statements(lambda: client.get("/health/"))
    assert response["Content-Language"] == "nl-formal"
    assert len(sqls) == 1, sqls


def test_the_session_expiry_is_pushed_forward_only_now_and_then(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.user_a)
    client.get("/health/")
    session = client.session
    expiry = session.get_expiry_date()
    assert not writes(statements(lambda: client.get("/health/"))[1])
    # As if the last refresh was longer ago than the interval: this request writes once.
    session[middleware.REFRESHED] = int(time.time()) - settings.DYADE_SESSION_REFRESH_SECONDS - 1
    session.save()
    refreshed = writes(statements(lambda: client.get("/health/"))[1])
    assert len(refreshed) == 1 and "accounts_session" in refreshed[0]
    assert client.session.get_expiry_date() >= expiry
    assert not writes(statements(lambda: client.get("/health/"))[1])


def test_an_idle_session_still_ends(world: World) -> None:
    client = client_for(world.user_a)
    assert client.get("/me/").status_code == 200
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get("/me/").status_code == 302


def _verified_therapist(world: World, settings):  # type: ignore[no-untyped-def]
    settings.DYADE_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)
    client = client_for(world.therapist)
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"
    assert client.post(reverse("accounts:2fa_verify"), {"token": token})["Location"] == "/"
    return client, device


def test_the_verified_device_is_looked_up_once_per_interval(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    client, _device = _verified_therapist(world, settings)
    for _ in range(3):
        response, sqls = statements(lambda: client.get("/cases/"))
        assert response.status_code == 200
        assert not [sql for sql in sqls if "otp_" in sql]
    session = client.session
    session[two_factor.CHECKED] = 0  # the interval has passed
    session.save()
    _response, sqls = statements(lambda: client.get("/cases/"))
    assert len([sql for sql in sqls if "otp_totp_totpdevice" in sql]) == 1
    _response, sqls = statements(lambda: client.get("/cases/"))
    assert not [sql for sql in sqls if "otp_" in sql]


def test_a_reset_device_stops_counting_after_the_interval(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    client, device = _verified_therapist(world, settings)
    device.delete()  # a practice admin resets it
    session = client.session
    session[two_factor.CHECKED] = 0
    session.save()
    response = client.get("/cases/")
    assert response["Location"].startswith(reverse("accounts:2fa_setup"))


def test_a_therapist_without_a_device_is_not_looked_up_on_every_request(world: World) -> None:
    client = client_for(world.therapist)  # two-step login not required on this machine
    client.get("/cases/")
    _response, sqls = statements(lambda: client.get("/cases/"))
    assert not [sql for sql in sqls if "otp_" in sql]


def _diary(world: World, days: int) -> None:
    today = timezone.localdate()
    entries = [
        DiaryEntry(
            partner=partner,
            date=today - dt.timedelta(days=back),
            closeness=5,
            feeling_seen=5,
            stress=5,
            desire=5,
            sexual_contact=False,
            conflict=False,
            note="oud" if back % 3 else "",
        )
        for partner in (world.partner_a, world.partner_b)
        for back in range(1, days + 1)
    ]
    DiaryEntry.objects.bulk_create(entries, ignore_conflicts=True)  # the world's entries stay


def as_the_page_gives_it(client, answers: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """``answers`` with the hidden fields of the day's page (its request id, the version
    of the entry it shows), as the browser sends them."""
    page = client.get(today_url()).content.decode()
    hidden = dict(
        re.findall(r'<input type="hidden" name="(request_id|based_on)" value="([^"]*)"', page)
    )
    assert set(hidden) == {"request_id", "based_on"}
    return {**answers, **hidden}


def _submit_statements(world: World) -> tuple[list[str], list[str]]:
    client = client_for(world.user_a)
    client.get("/health/")
    form = as_the_page_gives_it(client, SUBMIT)
    response, created = statements(lambda: client.post(today_url(), form))
    assert response.status_code == 302
    form = as_the_page_gives_it(client, {**SUBMIT, "closeness": "2"})
    response, updated = statements(lambda: client.post(today_url(), form))
    assert response.status_code == 302
    return created, updated


def test_a_diary_submit_is_one_write_transaction_that_reads_no_entry(world: World) -> None:
    created, updated = _submit_statements(world)
    for sqls, event in ((created, "diary.create"), (updated, "diary.update")):
        assert joined_session_reads(sqls) == 1
        assert reads_of("accounts_user", sqls) == 0  # read with the session
        assert reads_of("diary_diaryentry", sqls) == 0  # nothing read, nothing decrypted
        # The tests run inside a transaction, so the submit's own is a savepoint.
        opened = [i for i, sql in enumerate(sqls) if sql.startswith("SAVEPOINT")]
        closed = [i for i, sql in enumerate(sqls) if sql.startswith("RELEASE SAVEPOINT")]
        assert len(opened) == len(closed) == 1
        inside = [i for i, sql in enumerate(sqls) if sql in writes(sqls)]
        assert inside and all(opened[0] < i < closed[0] for i in inside)
        assert not [sql for sql in writes(sqls) if "_session" in sql]
        assert AuditEvent.objects.filter(event=event, partner_id=world.partner_a.pk).exists()
    assert len(updated) <= len(created)
    assert DiaryEntry.objects.get(partner=world.partner_a, date=timezone.localdate()).closeness == 2


@pytest.mark.parametrize("days", [61, 730])
def test_a_diary_submit_costs_the_same_for_two_months_and_two_years(
    world: World, days: int
) -> None:
    baseline = [len(sqls) for sqls in _submit_statements(world)]
    DiaryEntry.objects.filter(date=timezone.localdate()).delete()
    _diary(world, days)
    assert DiaryEntry.objects.filter(partner=world.partner_a).count() >= days
    assert [len(sqls) for sqls in _submit_statements(world)] == baseline


def test_a_database_that_stays_locked_keeps_what_was_typed(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    attempts = []

    def locked(*args: object, **kwargs: object) -> object:
        attempts.append(1)
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "_write", locked)
    monkeypatch.setattr(services.time, "sleep", lambda seconds: None)
    response = client_for(world.user_a).post(today_url(), {**SUBMIT, "note": "Niet kwijtraken."})
    assert response.status_code == 503
    assert len(attempts) == services.BUSY_ATTEMPTS
    body = response.content.decode()
    assert "Niet kwijtraken." in body
    assert re.search(r'name="closeness" value="7"[^>]*checked', body)
    assert not DiaryEntry.objects.filter(partner=world.partner_a, date=timezone.localdate())


def test_another_partner_submits_only_their_own_diary(world: World) -> None:
    other = make_user("c@partner.example", "partner", world.practice, "Noor")
    response = client_for(other).post(today_url(), SUBMIT)
    assert response.status_code == 403
    assert not DiaryEntry.objects.filter(date=timezone.localdate()).exists()


def test_a_device_set_up_in_another_session_is_asked_for(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DYADE_REQUIRE_2FA = True
    client = client_for(world.therapist)
    assert client.get("/cases/")["Location"].startswith(reverse("accounts:2fa_setup"))
    TOTPDevice.objects.create(user=world.therapist, name="Dyade", confirmed=True)  # elsewhere
    setup = client.get(reverse("accounts:2fa_setup") + "?next=/cases/")
    assert setup["Location"] == "/cases/"
    assert client.get("/cases/")["Location"].startswith(reverse("accounts:2fa_verify"))


def test_a_session_whose_stored_data_was_changed_is_not_trusted(world: World) -> None:
    from dyade.accounts.models import Session

    client = client_for(world.user_a)
    assert client.get("/me/").status_code == 200  # its signed data is now known to this process
    stored = Session.objects.get(session_key=client.session.session_key)
    stored.session_data = stored.session_data[:-3] + (
        "abc" if stored.session_data[-3:] != "abc" else "xyz"
    )
    stored.save()
    assert client.get("/me/").status_code == 302  # to the login page
