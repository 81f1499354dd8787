from __future__ import annotations

from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """Pages that bring several apps together: the case page, since last session, the
    partner's home. They sit above every feature app and read each through its access
    module. The caseload's stored order by attention lives here too."""

    name = "dyade.overview"
    label = "overview"
    verbose_name = "Overview"

    def ready(self) -> None:
        from dyade.overview import freshness

        freshness.connect()
