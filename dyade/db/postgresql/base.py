"""PostgreSQL for Dyade: a kept connection is checked when it may have gone stale.

Each gunicorn worker keeps its connection between requests (``CONN_MAX_AGE``), and
Django's health check (``CONN_HEALTH_CHECKS``) sends ``SELECT 1`` before the first
statement of every request that reuses it, so that a restarted database server costs
no failed request. That is a round trip on every signed-in request: a third of a
signed-in bare view's statements, about a tenth of its CPU in the worker.

Here the check is left out when the connection answered a whole request without an
error less than :data:`RECENT` seconds before (the end of the last request that used
it); otherwise it runs as Django's does. A busy worker, whose requests follow each other
within milliseconds, so checks its connection only when it has been idle; a worker that
has been idle checks it as before. What this gives up: a server that goes away *and*
comes back within those :data:`RECENT` seconds (no PostgreSQL restart is that quick;
a connection ended by ``pg_terminate_backend`` can be) costs the next request of each
worker one failed request, after which Django drops the connection and the next
request opens a new one. Everything else is Django's backend.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

# Seconds after a request that the connection served without an error in which the
# next request trusts it without a round trip. Short: only a busy worker gains.
RECENT = 0.25


class DatabaseWrapper(base.DatabaseWrapper):
    answered_at: float | None = None  # time.monotonic() at the end of that request

    def close_if_unusable_or_obsolete(self) -> None:
        """Django's, at the start and at the end of each request. At the end of one that
        used the connection (checked or trusted: ``health_check_done``), the time is kept
        if the connection is still there without an error: Django has just checked one
        that met an error, and dropped it if it failed."""
        used = self.connection is not None and self.health_check_done
        super().close_if_unusable_or_obsolete()
        if self.connection is None:
            self.answered_at = None
        elif used and not self.errors_occurred:
            self.answered_at = time.monotonic()

    def close_if_health_check_failed(self) -> None:
        recent = self.answered_at is not None and time.monotonic() - self.answered_at < RECENT
        if recent and self.connection is not None and not self.health_check_done:
            self.health_check_done = True  # trusted for this request
            return
        super().close_if_health_check_failed()

    def connect(self) -> None:
        self.answered_at = None
        super().connect()
