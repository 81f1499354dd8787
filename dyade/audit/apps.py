from __future__ import annotations

from django.apps import AppConfig

from dyade.audit import keys_check  # noqa: F401 - registers the field key check (dyade.E001)


class AuditConfig(AppConfig):
    name = "dyade.audit"
    label = "audit"
    verbose_name = "Audit"
