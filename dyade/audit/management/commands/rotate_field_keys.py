"""Re-encrypt every encrypted value with the newest key of DYADE_FIELD_KEYS."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from dyade.audit.services import record
from dyade.crypto import EncryptedTextField


def encrypted_fields() -> list[tuple[Any, str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


class Command(BaseCommand):
    help = "Re-encrypt stored free text with the newest field key (run after adding a key)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, name in encrypted_fields():
            count = 0
            with transaction.atomic():
                # Reading decrypts with any listed key; writing encrypts with the newest.
                for pk, value in model.objects.values_list("pk", name).iterator():
                    if value:
                        model.objects.filter(pk=pk).update(**{name: value})
                        count += 1
            self.stdout.write(f"{model._meta.label}.{name}: {count} value(s) re-encrypted")
            total += count
        record(None, "audit.update", anonymous=True, detail=f"field keys rotated: {total} values")
