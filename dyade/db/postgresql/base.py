"""PostgreSQL for Dyade: a kept connection is checked when it may have gone stale.

Each gunicorn worker keeps its connection between requests (``CONN_MAX_AGE``), and
Django's health check (``CONN_HEALTH_CHECKS``) sends ``SELECT 1`` before the first
statement of every request that reuses it, so that a restarted database server costs
no failed request. That is a round trip on every signed-in request: a third of a
signed-in bare view's statements, about a tenth of its CPU in the worker.

Here the check is left out when the same connection was opened or ran a statement less
than :data:`RECENT` seconds before; otherwise it runs as Django's does. A busy worker, whose
requests follow each other within milliseconds, so checks its connection only when it
has been idle; a worker that has been idle (or that used its connection only when it
started) checks it as before. A request that met an error is looked at by Django at its
end, and a connection that fails that look is closed, which ends the trust. What this
gives up: a server that goes away *and* comes back within those :data:`RECENT` seconds
(no PostgreSQL restart is that quick; a connection ended by ``pg_terminate_backend``
can be) costs the next request of each worker one failed request, after which Django
drops the connection and the next request opens a new one. Everything else is Django's
backend.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

# Seconds after a statement on the connection in which the next request trusts it
# without a round trip. Short: only a busy worker gains.
RECENT = 0.25


class DatabaseWrapper(base.DatabaseWrapper):
    used_at: float | None = None  # time.monotonic(): opened, or asked for a statement

    def close_if_health_check_failed(self) -> None:
        """Django's check, before each statement (it looks once per request), left out
        for a connection opened or used less than :data:`RECENT` seconds ago."""
        recent = self.used_at is not None and time.monotonic() - self.used_at < RECENT
        if recent and self.connection is not None and not self.health_check_done:
            self.health_check_done = True  # trusted for this request
        else:
            super().close_if_health_check_failed()
        if self.connection is not None:
            self.used_at = time.monotonic()

    def connect(self) -> None:
        super().connect()
        self.used_at = time.monotonic()  # the server has just answered

    def close(self) -> None:
        self.used_at = None  # a closed connection is trusted no more
        super().close()
