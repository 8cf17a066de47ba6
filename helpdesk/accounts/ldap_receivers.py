"""Directory sign-in's receivers, connected by AccountsConfig.ready().

- django-auth-ldap's populate-user signal: the directory's values go onto the
  account (helpdesk.accounts.directory) on every sign-in, before it is saved.
- A directory that cannot be asked (down, timing out, refusing the service
  account) makes django-auth-ldap report an LDAP error and answer "no such
  user", which would read as a wrong password. The error marks the request;
  when the sign-in then fails altogether (a local account may still succeed
  through ModelBackend), the sign-in page says what really happened.
"""
from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_auth_ldap.backend import ldap_error, populate_user

from .directory import directory_profile_refresh

log = logging.getLogger(__name__)

DIRECTORY_UNREACHABLE = _(
    "The company directory cannot be reached, so company accounts cannot sign in right now. "
    "Please try again in a few minutes, or call the service desk."
)


@receiver(populate_user, dispatch_uid="accounts_directory_profile")
def profile_from_directory(sender: Any, user: Any, ldap_user: Any, **kwargs: Any) -> None:
    directory_profile_refresh(
        user=user, attrs=ldap_user.attrs or {}, attr_map=getattr(settings, "DIRECTORY_ATTR_MAP", {})
    )


@receiver(ldap_error, dispatch_uid="accounts_directory_unreachable")
def directory_error_noted(sender: Any, context: str, user: Any, exception: Exception, request: Any = None, **kwargs: Any) -> None:
    log.error("directory: LDAP error %s: %r", context, exception)
    if request is not None:
        request.directory_unreachable = True


@receiver(user_login_failed, dispatch_uid="accounts_directory_unreachable_message")
def directory_unreachable_told(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if request is not None and getattr(request, "directory_unreachable", False):
        messages.error(request, DIRECTORY_UNREACHABLE, fail_silently=True)
