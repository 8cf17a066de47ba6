"""API tokens and their people, kept in the shared cache between requests.

Reading the token's row with its person was a query, and building and compiling
it a millisecond of CPU, on every API call: at 1,000,000 tickets a third of a
ticket list's time. The row is kept under its prefix, beside a per-person
generation, both read in one cache round trip.

Nothing is trusted from the cache that the database would refuse: the secret is
still compared with the stored hash, and the token's expiry, revocation and the
person's `is_active` are still checked on every request (api.authentication).
What could make a kept copy wrong clears it at once (receivers below): the token
saved or deleted (revoking saves it), and the person saved or deleted
(deactivated, renamed, moved to another team) — their generation moves, so
every token of theirs is read afresh. Each is cleared twice, when saved and
again when the transaction commits, so a request that read the old row just
before the commit cannot keep it. A change made behind Django's back (raw SQL,
`QuerySet.update`) is picked up within API_TOKEN_CACHE_SECONDS (60 by default).

With several web processes the cache must be shared (Redis, CACHE_URL), as for
permissions and rate limits; each process's own memory would keep a revoked
token alive in the others until the entry expired.
"""
from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from helpdesk.accounts.models import User

from .models import ApiToken


# Keyed by database too: the test run's per-worker databases share one Redis.
def _token_key(prefix: str) -> str:
    return f"api-token:{connection.settings_dict['NAME']}:{prefix}"


def _person_key(user_pk: int) -> str:
    return f"api-token:{connection.settings_dict['NAME']}:user:{user_pk}"


def token_cached(prefix: str) -> ApiToken | None:
    """The kept token (with its person) that `prefix` names, or None when there
    is none or the person changed since it was kept."""
    token_key = _token_key(prefix)
    entry = cache.get(token_key)
    if entry is None:
        return None
    user_pk, generation, token = entry
    if generation is None or cache.get(_person_key(user_pk)) != generation:
        return None
    return token


def token_keep(token: ApiToken) -> None:
    """Keep `token`, read with its person (`select_related("user")`), as read:
    called before the request asks anything of the person, so no per-request
    answer (their permissions, their teams) is kept with them."""
    stale = [name for name in token.user.__dict__ if name.startswith("_") and name != "_state"]
    if stale:
        raise ValueError(f"the person carries this request's answers ({', '.join(stale)}); keep them as read")
    person_key = _person_key(token.user_id)
    generation = cache.get(person_key)
    if generation is None:
        generation = uuid.uuid4().hex
        # add, not set: a change racing this request must not be overwritten.
        if not cache.add(person_key, generation, settings.API_TOKEN_CACHE_SECONDS * 2):
            return
    cache.set(_token_key(token.prefix), (token.user_id, generation, token), settings.API_TOKEN_CACHE_SECONDS)


def _forget_now_and_at_commit(key: str) -> None:
    # Now, and again at commit: a request that read the old row before the
    # commit may keep it between the two.
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


@receiver(post_save, sender=ApiToken, dispatch_uid="api_token_cache_saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="api_token_cache_deleted")
def _token_changed(instance: ApiToken, **kwargs: Any) -> None:
    _forget_now_and_at_commit(_token_key(instance.prefix))


@receiver(post_save, sender=User, dispatch_uid="api_token_cache_person_saved")
@receiver(post_delete, sender=User, dispatch_uid="api_token_cache_person_deleted")
def _person_changed(instance: User, **kwargs: Any) -> None:
    _forget_now_and_at_commit(_person_key(instance.pk))
