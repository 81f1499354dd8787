from __future__ import annotations

from django.apps import AppConfig


class PracticeConfig(AppConfig):
    """The practice admin's pages: therapists, researchers and the audit trail."""

    name = "dyade.practice"
    label = "practice"
    verbose_name = "Practice"
