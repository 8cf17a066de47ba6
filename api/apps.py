from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (issue 15): every floor's selectors and services behind
    JSON, with personal and service tokens. No app imports it."""

    name = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # drf-spectacular finds the bearer-token scheme through this registration.
        from . import (
            schema,  # noqa: F401
            token_cache,  # noqa: F401  (its receivers clear kept tokens)
        )
