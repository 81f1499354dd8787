from __future__ import annotations

from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "dyade.sessions"
    label = "dyade_sessions"  # "sessions" is Django's own session app
    verbose_name = "Sessions and guidance"
