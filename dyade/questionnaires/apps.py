from __future__ import annotations

from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "dyade.questionnaires"
    default_auto_field = "django.db.models.BigAutoField"
