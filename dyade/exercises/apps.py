from __future__ import annotations

from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "dyade.exercises"
    label = "exercises"
    verbose_name = "Exercises and homework"
