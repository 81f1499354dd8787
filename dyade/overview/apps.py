from __future__ import annotations

from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """Pages that bring several apps together: the case page, since last session, the
    partner's home. They sit above every feature app and read each through its access
    module."""

    name = "dyade.overview"
    label = "overview"
    verbose_name = "Overview"
