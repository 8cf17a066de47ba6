"""Each person's permissions, kept in the shared cache between requests.

Django's ModelBackend reads a person's permissions with two queries (their own,
their groups') on the first `has_perm` of every request. Every page and API
call asks at least once, so at a million tickets those two queries and their
compilation were a tenth of a fast page's time. This backend sits before
ModelBackend in AUTHENTICATION_BACKENDS: it fills the per-request
`_perm_cache` that ModelBackend itself uses from the cache, or lets ModelBackend
read it and keeps the answer. ModelBackend stays where it was, so sessions
signed in through it remain valid and superusers still hold every permission.

What can change a person's permissions clears the cache (receivers below):
their groups or own permissions (m2m_changed), a group's permissions, a group
or permission deleted or saved, the person saved (is_active, is_superuser), and
a migration (roles_sync rewrites the role groups). Entries also expire after
PERMISSION_CACHE_SECONDS, so a change made behind Django's back (raw SQL) is
picked up within that time.
"""
from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from .models import User

_model_backend = ModelBackend()


# Keyed by database too: two databases behind one Redis (the test run's
# per-worker databases) have different people under the same id.
def _generation_key() -> str:
    return f"perms:{connection.settings_dict['NAME']}:generation"


def _user_key(pk: int) -> str:
    return f"perms:{connection.settings_dict['NAME']}:user:{pk}"


class CachedPermissionBackend:
    """Answers has_perm from the shared cache. It signs nobody in and loads nobody
    (no get_user: a session never names it, and the test client's force_login
    passes it by)."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: object = None) -> bool:
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return user_obj.is_active and any(p[: p.index(".")] == app_label for p in self.get_all_permissions(user_obj))

    def get_all_permissions(self, user_obj: Any, obj: object = None) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if hasattr(user_obj, "_perm_cache"):
            return user_obj._perm_cache
        key = _user_key(user_obj.pk)
        found = cache.get_many([_generation_key(), key])
        generation = found.get(_generation_key())
        entry = found.get(key)
        if generation is not None and entry is not None and entry[0] == generation and entry[1] == user_obj.is_superuser:
            user_obj._perm_cache = set(entry[2])
            return user_obj._perm_cache
        perms = _model_backend.get_all_permissions(user_obj)  # two queries; sets user_obj._perm_cache
        if generation is None:
            generation = _generation_new()
        cache.set(key, (generation, user_obj.is_superuser, frozenset(perms)), settings.PERMISSION_CACHE_SECONDS)
        return perms


def _generation_new() -> str:
    generation = uuid.uuid4().hex
    cache.set(_generation_key(), generation, None)
    return generation


def permissions_forget(*, user_pk: int | None = None) -> None:
    """Forget one person's cached permissions, or everyone's."""
    if user_pk is not None:
        cache.delete(_user_key(user_pk))
    else:
        _generation_new()


_PERSON_M2M = {"accounts.User_groups", "accounts.User_user_permissions"}


@receiver(m2m_changed, dispatch_uid="perms_cache_m2m")
def _m2m_changed(sender: Any, action: str, instance: Any, reverse: bool, pk_set: set[int] | None, **kwargs: Any) -> None:
    # Any sender: migrations' historical through models are other classes with the same label.
    if not action.startswith("post_"):
        return
    label = sender._meta.label
    if label in _PERSON_M2M:
        if not reverse:  # person.groups.add(…): that person only
            permissions_forget(user_pk=instance.pk)
        elif pk_set:  # group.user_set.add(people…)
            for pk in pk_set:
                permissions_forget(user_pk=pk)
        else:  # group.user_set.clear(): who they were is not told
            permissions_forget()
    elif label == "auth.Group_permissions":
        permissions_forget()


@receiver(post_save, sender=Group, dispatch_uid="perms_cache_group_saved")
@receiver(post_delete, sender=Group, dispatch_uid="perms_cache_group_deleted")
@receiver(post_save, sender=Permission, dispatch_uid="perms_cache_permission_saved")
@receiver(post_delete, sender=Permission, dispatch_uid="perms_cache_permission_deleted")
def _group_or_permission_changed(**kwargs: Any) -> None:
    permissions_forget()


@receiver(post_save, sender=User, dispatch_uid="perms_cache_user_saved")
@receiver(post_delete, sender=User, dispatch_uid="perms_cache_user_deleted")
def _user_changed(instance: User, **kwargs: Any) -> None:
    permissions_forget(user_pk=instance.pk)


@receiver(post_migrate, dispatch_uid="perms_cache_migrated")
def _migrated(**kwargs: Any) -> None:
    permissions_forget()
