"""Reads of notifications, scoped to the person who asks."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Model, QuerySet
from django.http import Http404

from helpdesk.core.compiled_query import CompiledQuery

from .models import Notification, NotificationChannel, NotificationState

if TYPE_CHECKING:
    from helpdesk.accounts.models import User


def in_app_for(user: User) -> QuerySet[Notification]:
    """The user's own in-app notifications that have been delivered, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(
        recipient_id=user.pk, channel=NotificationChannel.IN_APP, state=NotificationState.SENT
    ).order_by("-created_at", "-pk")


def _unread_query(user_pk: int) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(
            recipient_id=user_pk, channel=NotificationChannel.IN_APP, state=NotificationState.SENT, read_at__isnull=True
        )
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


# On every signed-in page: compiled once per process (helpdesk.core.compiled_query).
_UNREAD = CompiledQuery(_unread_query, 1)


def unread_count(user: User) -> int:
    """One COUNT over a partial index, for the navbar bell."""
    if not user.is_authenticated:
        return 0
    rows = _UNREAD.rows(user.pk)
    return int(rows[0]["n"]) if rows else 0


def notification_for(user: User, pk: int) -> Notification:
    """One of the user's in-app notifications; anyone else's is a 404."""
    try:
        return in_app_for(user).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


def notifications_for_ticket(ticket: Model, *, customer_facing_only: bool = False) -> QuerySet[Notification]:
    """What the outbox holds for a ticket (staff see every channel and state)."""
    qs = Notification.objects.filter(ticket_id=ticket.pk).select_related("recipient")
    if customer_facing_only:
        qs = qs.filter(customer_facing=True)
    return qs.order_by("-created_at", "-pk")
