from __future__ import annotations

from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "dyade.progress"
    label = "progress"
    verbose_name = "Progress over sessions"
