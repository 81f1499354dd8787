"""How a signed-in request finds its session and its user: one read, prepared SQL.

Every signed-in request reads its session and then its user. Through the ORM
each read builds and compiles a query anew, which costs more CPU than the whole
of a bare view; here one statement, prepared once (:mod:`dyade.db.prepared`),
reads the session with the user it names and the user's practice, and its row
becomes the same objects Django would make:

* :class:`SessionStore` is Django's database session store (``SESSION_ENGINE =
  "dyade.accounts.signed_in"``) on :class:`dyade.accounts.models.Session`, which
  keeps the user's key in a column beside the signed data (written with every
  save), so the user comes with the session's read; writing is Django's.
* :func:`get_user` is ``django.contrib.auth.get_user`` (Django 5.2) step for
  step: the session names the user and the backend, the backend must still be
  configured, an inactive user counts as signed out, and the session's
  password hash must match (or match under a fallback secret key, in which case
  the session is re-keyed); otherwise the session is flushed. The user is the one
  that the signed data names: the row read with the session is taken only when
  its key is that user's, else the user is read on its own. Only the read of a
  user for Django's ModelBackend is prepared; any other backend is asked itself.
  One step is Dyade's own: a session ends ``DYADE_SESSION_MAX_SECONDS`` after its
  login however busy it is (:func:`outlived`), beside the idle timeout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import auser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.core.signing import JSONSerializer
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from dyade.accounts.models import Session
from dyade.db import prepared

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

_user_model = get_user_model()
# The user's practice comes in the same statement: whether partners are addressed with
# "u" (accounts.middleware.formal) is then known without a read of its own.
_users = prepared.Reader(_user_model, by=(_user_model._meta.pk.name,), related="practice")
# The session, the user it names and the user's practice, in one statement.
_sessions = prepared.Reader(
    Session,
    by=("session_key", "expire_date__gt"),
    fields=("session_key", "session_data", "user"),
    related="user__practice",
)
_model_backend = ModelBackend()

# In the session: when its user logged in (seconds since the epoch), set by a
# receiver of ``user_logged_in`` (dyade/accounts/signals.py).
SIGNED_IN_AT = "_dyade_signed_in_at"


def outlived(session: Any) -> bool:
    """Whether the session's login is older than ``DYADE_SESSION_MAX_SECONDS``.

    A session from before this check (no login time) counts from now.
    """
    now = int(time.time())
    started = session.get(SIGNED_IN_AT)
    if not isinstance(started, int):
        session[SIGNED_IN_AT] = now
        return False
    return now - started >= settings.DYADE_SESSION_MAX_SECONDS


def _read_user(session: Any, user_id: Any) -> Any:
    """ModelBackend.get_user: the user, or None if there is none or it is inactive.

    The user read with the session is taken when it is the one asked for.
    """
    user = getattr(session, "read_with_it", None)
    if user is None or user.pk != user_id:
        user = _users.first(user_id)
    return user if user is not None and _model_backend.user_can_authenticate(user) else None


def get_user(request: HttpRequest) -> Any:
    """The user that the request's session names, or AnonymousUser (see the module)."""
    user = None
    try:
        user_id = _user_model._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if outlived(request.session):
            request.session.flush()
            return AnonymousUser()
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            if backend_path == MODEL_BACKEND:
                user = _read_user(request.session, user_id)
            else:
                user = load_backend(backend_path).get_user(user_id)
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    verified = constant_time_compare(session_hash, session_auth_hash)
                if not verified:
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback)
                        for fallback in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def cached_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware:
    """Django's AuthenticationMiddleware, with :func:`get_user` for ``request.user``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(partial(cached_user, request))
        request.auser = partial(auser, request)  # type: ignore[attr-defined]
        return self.get_response(request)


# Session data this process has already verified and decoded, as JSON, by its signed text.
_decoded: dict[str, str] = {}
DECODED_MAX = 1024


class SessionStore(db.SessionStore):
    """Django's database session store, reading a session with one prepared SELECT.

    The signed text of a session is checked and decoded once per process; the
    same text (the session did not change) is decoded again from the JSON kept.
    """

    def decode(self, session_data: str) -> dict[str, Any]:
        known = _decoded.get(session_data)
        if known is not None:
            return json.loads(known)  # type: ignore[no-any-return]
        decoded: dict[str, Any] = super().decode(session_data)
        if decoded and self.serializer is JSONSerializer:  # JSON in, JSON kept
            if len(_decoded) >= DECODED_MAX:
                _decoded.clear()
            _decoded[session_data] = json.dumps(decoded)
        return decoded

    # The user read with this session (None: none was, or none is named).
    read_with_it: Any = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        """The row to save, naming the user that the data names (None if none)."""
        session: Session = super().create_model_instance(data)
        named = data.get(SESSION_KEY)
        session.user_id = int(named) if isinstance(named, str) and named.isdigit() else None
        return session

    def load(self) -> dict[str, Any]:
        self.read_with_it = None
        found = _sessions.first(self.session_key, timezone.now())
        if found is None:
            self._session_key = None
            return {}
        self.read_with_it = found.user
        return self.decode(found.session_data)
