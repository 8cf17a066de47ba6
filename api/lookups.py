"""The reads an API view needs to find its object, through the UI's own
selectors: staff see what the staff pages show, everyone else what the
portal shows, and someone else's object is a 404."""
from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from helpdesk.accounts.models import User
from tickets.lifecycle import CUSTOMER, STAFF
from tickets.models import Ticket
from tickets.permissions import is_staff
from tickets.selectors import ticket_for_customer, ticket_for_staff

# Django's own words (and translations) for an id that is not among the choices.
INVALID_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]


def ticket_lookup(user: User, pk: int) -> tuple[Ticket, str]:
    """The ticket as the caller's pages show it, and the side they act on:
    staff through the staff page's selector, anyone else through the portal's."""
    if is_staff(user):
        return ticket_for_staff(user, pk), STAFF
    return ticket_for_customer(user, pk), CUSTOMER


def chosen(queryset: QuerySet[Any], pk: int | None, *, field: str) -> Any:
    """The object `pk` names among `queryset` (the form's own choices), or a 400 beside `field`."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [str(INVALID_CHOICE)]})
    return found
