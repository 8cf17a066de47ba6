"""The sign-in backend for company accounts (LDAP / Active Directory).

django-auth-ldap does the talking to the directory: it finds the person with
the service account, binds as them with the typed password, creates their
account on the first sign-in and populates it on every one (our
populate-user receiver, helpdesk.accounts.ldap_receivers, writes the fields
through helpdesk.accounts.directory). Two things are ours:

- Local administrators (superusers) never sign in through the directory: an
  entry in the directory that shares the administrator's username must not
  take over, or rewrite, the one account that still works when the directory
  is down. They use their local password (ModelBackend, after this one).
- Roles from directory groups need the saved user, so they are synced after
  django-auth-ldap has saved it.
"""
from __future__ import annotations

import logging
from typing import Any

import ldap
from django.conf import settings
from django_auth_ldap.backend import LDAPBackend

from . import ldap_receivers  # noqa: F401  (the directory's values onto the account; "directory down")
from .directory import directory_roles_sync

log = logging.getLogger(__name__)


class DirectoryBackend(LDAPBackend):
    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[Any, bool]:
        user, built = super().get_or_build_user(username, ldap_user)
        if not built and user.is_superuser:
            raise ldap_user.AuthenticationFailed("a local administrator signs in with the local password only")
        return user, built

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        group_roles = getattr(settings, "DIRECTORY_GROUP_ROLES", {})
        group_dns: set[str] = set()
        if group_roles:
            try:
                group_dns = set(ldap_user.group_dns)
            except ldap.LDAPError as error:
                # Signed in already; the roles stay as they were until the next sign-in.
                log.warning("directory: groups of %s not read (%s); roles unchanged", user.username, error)
                return user
        directory_roles_sync(user=user, group_dns=group_dns, group_roles=group_roles)
        return user
