from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The top floor: `manage.py seed_demo`, the demo stories and the bulk
    generator the benchmarks use. It may use every app below it; none uses it."""

    name = "demo"
    verbose_name = _("Demo data")
