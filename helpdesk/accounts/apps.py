from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    # Permissions exist only after post_migrate has created them, so the role
    # groups are written here rather than in a data migration.
    from .roles import roles_sync

    roles_sync(using=kwargs.get("using", "default"))


class AccountsConfig(AppConfig):
    name = "helpdesk.accounts"
    label = "accounts"
    verbose_name = _("Users and organisation")

    def ready(self) -> None:
        from django.apps import apps

        # Other apps declare the permissions (tickets, largework); auth's own
        # post_migrate handler creates each app's just before that app's signal,
        # so the roles are written after the last of them.
        last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(_sync_roles, sender=last, dispatch_uid="accounts_roles_sync")
        from django.db.models.signals import post_delete, post_save

        from helpdesk.core.reference_names import reference_names_changed

        from . import permission_cache  # noqa: F401  (its receivers clear cached permissions)
        from .models import Department, Team

        # Lists name teams and departments from each process's copy (helpdesk.core.reference_names).
        for model in (Team, Department):
            post_save.connect(reference_names_changed, sender=model, dispatch_uid=f"names_{model.__name__}_saved")
            post_delete.connect(reference_names_changed, sender=model, dispatch_uid=f"names_{model.__name__}_deleted")
        # Directory sign-in's receivers are connected by its backend's module
        # (ldap_backend), loaded only when LDAP_SERVER_URI puts it in
        # AUTHENTICATION_BACKENDS: python-ldap is an optional install.
