"""dyade.db.postgresql: a kept connection is checked when it has been idle, not before every
request of a busy worker.

Django calls ``close_if_unusable_or_obsolete`` at the start and the end of each request and
``close_if_health_check_failed`` before the first statement of a request. The wrapper here
is given a stand-in for psycopg's connection and a clock, so every rule is tried on each
run, on SQLite as on PostgreSQL; Django's own check (``is_usable``, ``SELECT 1``) is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from dyade.db.postgresql import base
from dyade.db.sqlite import base as sqlite_base


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Server:
    """What Django's check would find, and how often it looked."""

    def __init__(self) -> None:
        self.up = True
        self.checks = 0


@dataclass
class Worker:
    """A worker's connection, the clock it reads and the server behind it."""

    wrapper: base.DatabaseWrapper
    clock: Clock
    server: Server


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Worker:
    clock, server = Clock(), Server()
    monkeypatch.setattr(base.time, "monotonic", clock)

    def is_usable(self: base.DatabaseWrapper) -> bool:
        server.checks += 1
        return server.up

    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", is_usable)
    return Worker(_wrapper(monkeypatch), clock, server)


def _wrapper(monkeypatch: pytest.MonkeyPatch) -> base.DatabaseWrapper:
    settings = {
        "ENGINE": "dyade.db.postgresql",
        "NAME": "dyade",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }
    wrapper = base.DatabaseWrapper(settings, alias="health-check-test")

    # Django's own connect() and close(), without a server under them.
    monkeypatch.setattr(base.DatabaseWrapper, "get_new_connection", lambda self, params: object())
    monkeypatch.setattr(base.DatabaseWrapper, "_set_autocommit", lambda self, on: None)
    monkeypatch.setattr(base.DatabaseWrapper, "init_connection_state", lambda self: None)
    monkeypatch.setattr(base.DatabaseWrapper, "_close", lambda self: None)
    monkeypatch.setattr(base.DatabaseWrapper, "ensure_connection", lambda self: None)
    return wrapper


def _request(wrapper: base.DatabaseWrapper, *, error: bool = False) -> None:
    """One request as Django's handler runs it, with one statement (Django asks for the
    check before each statement; a new connection needs none)."""
    wrapper.close_if_unusable_or_obsolete()  # request_started
    if wrapper.connection is None:
        wrapper.connect()
    else:
        wrapper.close_if_health_check_failed()  # before the request's first statement
        if wrapper.connection is None:
            wrapper.connect()
    if error:
        wrapper.errors_occurred = True
    wrapper.close_if_unusable_or_obsolete()  # request_finished


def test_a_busy_worker_does_not_check_before_every_request(worker: Worker) -> None:
    wrapper, clock, server = worker.wrapper, worker.clock, worker.server
    _request(wrapper)  # connects: nothing to check
    for _ in range(100):  # a second in all, four times the time trusted
        clock.now += 0.01
        _request(wrapper)
    assert server.checks == 0


def test_an_idle_connection_is_checked_as_django_does(worker: Worker) -> None:
    wrapper, clock, server = worker.wrapper, worker.clock, worker.server
    _request(wrapper)
    clock.now += base.RECENT
    _request(wrapper)
    assert server.checks == 1
    clock.now += 0.01  # just checked and used: trusted again
    _request(wrapper)
    assert server.checks == 1


def test_a_connection_opened_at_start_up_and_idle_since_is_checked(worker: Worker) -> None:
    wrapper, clock, server = worker.wrapper, worker.clock, worker.server
    wrapper.connect()  # the worker's start-up reads the database, outside any request
    clock.now += 5
    _request(wrapper)
    assert server.checks == 1


def test_a_server_that_went_away_while_idle_costs_no_failed_request(worker: Worker) -> None:
    wrapper, clock, server = worker.wrapper, worker.clock, worker.server
    _request(wrapper)
    first = wrapper.connection
    server.up = False  # restarted while the worker was idle
    clock.now += 5
    _request(wrapper)
    assert server.checks == 1
    assert wrapper.connection is not None and wrapper.connection is not first  # a new one


def test_after_an_error_django_looks_and_a_broken_connection_is_replaced(worker: Worker) -> None:
    wrapper, clock, server = worker.wrapper, worker.clock, worker.server
    _request(wrapper)
    first = wrapper.connection
    clock.now += 0.01
    server.up = False
    _request(wrapper, error=True)  # Django looks at the end of such a request
    assert server.checks == 1
    assert wrapper.connection is None and wrapper.used_at is None
    server.up = True
    clock.now += 0.01
    _request(wrapper)  # the next request opens a new connection
    assert wrapper.connection is not None and wrapper.connection is not first


def test_after_an_error_a_connection_that_passed_djangos_look_is_trusted(worker: Worker) -> None:
    wrapper, clock, server = worker.wrapper, worker.clock, worker.server
    _request(wrapper)
    clock.now += 0.01
    _request(wrapper, error=True)
    assert server.checks == 1  # just looked at: no second look right after
    clock.now += 0.01
    _request(wrapper)
    assert server.checks == 1


def test_a_request_that_did_not_use_the_connection_does_not_renew_the_trust(worker: Worker) -> None:
    wrapper, clock, server = worker.wrapper, worker.clock, worker.server
    _request(wrapper)
    for _ in range(10):  # pages without a statement, e.g. the health endpoint
        clock.now += 0.1
        wrapper.close_if_unusable_or_obsolete()
        wrapper.close_if_unusable_or_obsolete()
    _request(wrapper)
    assert server.checks == 1


def test_the_suite_runs_on_dyades_own_backend() -> None:
    expected: dict[str, Any] = {
        "postgresql": base.DatabaseWrapper,
        "sqlite": sqlite_base.DatabaseWrapper,
    }
    default = connections[DEFAULT_DB_ALIAS]
    assert type(default) is expected[default.vendor]
