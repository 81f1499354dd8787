from __future__ import annotations

from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "dyade.diary"
    label = "diary"
    verbose_name = "Diary"
