from __future__ import annotations

from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "dyade.progress"
    label = "progress"
    verbose_name = "Progress over sessions"

    def ready(self) -> None:
        from dyade.progress import change_values

        change_values.register()
