from __future__ import annotations

from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "dyade.reading"
    label = "reading"
    verbose_name = "Psycho-education"
