from __future__ import annotations

from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "dyade.research"
    label = "research"
    verbose_name = "Research"
