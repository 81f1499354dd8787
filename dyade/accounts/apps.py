from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dyade.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from dyade.accounts import signals  # noqa: F401
