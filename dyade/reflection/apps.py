from __future__ import annotations

from django.apps import AppConfig


class ReflectionConfig(AppConfig):
    name = "dyade.reflection"
    label = "reflection"
    verbose_name = "The therapist's self-reflection"
