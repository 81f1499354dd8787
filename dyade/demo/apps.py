from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo practice (``manage.py seed_demo``). It sits at the top: it may use every
    app's models, and no other module imports it."""

    name = "dyade.demo"
    label = "demo"
    verbose_name = "Demo"
