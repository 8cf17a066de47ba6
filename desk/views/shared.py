"""Helpers several desk pages share: posting a form to a service, the employee
lookup, picked people and paging (safe redirects: helpdesk.core.redirects).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from helpdesk.accounts.selectors import LOOKUP_LIMIT, employee_search
from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import id_param
from tickets.forms.staff import LookupForm
from tickets.models import Ticket
from tickets.selectors import tickets_visible_to

PAGE_SIZE = 25

Subject = TypeVar("Subject")
FormT = TypeVar("FormT", bound=forms.Form)
Action = Callable[[HttpRequest, Subject, FormT], HttpResponse]


def submit(
    form: forms.Form,
    act: Callable[[], HttpResponse],
    redraw: Callable[[], HttpResponse],
    rename: Mapping[str, str] | None = None,
) -> HttpResponse:
    """Run `act` on a valid form; a refusal goes onto the form, which is drawn
    again with everything typed kept."""
    if form.is_valid():
        try:
            return act()
        except ActionRefused as exc:
            exc.show_on(form, rename)
    return redraw()


def form_action(
    fetch: Callable[[HttpRequest, int], Subject],
    redraw: Callable[..., HttpResponse],
    name: str,
    build: Callable[[HttpRequest, Subject], FormT],
    rename: Mapping[str, str] | None = None,
) -> Callable[[Action[Subject, FormT]], Callable[[HttpRequest, int], HttpResponse]]:
    """Turn `act(request, subject, form)` into a signed-in, POST-only view at `<pk>/`.

    Pages like the call and the ticket's gates post each form to its own URL;
    this fetches the subject, builds the form from the POST and runs `act` on it.
    On an invalid form or a refusal, `redraw(request, subject, **{name: form})`
    draws the subject's page again with this form bound.
    """

    def decorate(act: Action[Subject, FormT]) -> Callable[[HttpRequest, int], HttpResponse]:
        @login_required
        @require_POST
        @wraps(act)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            subject = fetch(request, pk)
            form = build(request, subject)
            return submit(
                form,
                lambda: act(request, subject, form),
                lambda: redraw(request, subject, **{name: form}),
                rename,
            )

        return view

    return decorate


def person(raw: Any) -> User | None:
    """An active employee picked from a lookup (the id travels in a hidden field)."""
    pk = id_param(raw)
    if pk is None:
        return None
    return User.objects.select_related("department", "position").filter(pk=pk, is_active=True).first()


def person_initial(
    who: User | None, *, pk: str, name: str, department: str, phone: str | None = None
) -> dict[str, Any]:
    """A form's starting values for a picked employee; each form names the fields its own way."""
    if who is None:
        return {}
    initial: dict[str, Any] = {pk: who.pk, name: who.display_name, department: who.department_id}
    if phone is not None:
        initial[phone] = phone_format(who.phone)
    return initial


def lookup(request: HttpRequest) -> dict[str, Any]:
    """The phone/name/employee-number search shared by the phone, call, memo and walk-in pages."""
    found = LookupForm(request.GET)
    q = found.cleaned_data["q"] if found.is_valid() else ""
    matches = list(employee_search(q)) if q else []
    return {"lookup": found, "q": q, "matches": matches, "too_many": len(matches) >= LOOKUP_LIMIT}


def page(request: HttpRequest, qs: Any) -> Page:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def visible_ticket(user: User, number: int) -> Ticket:
    """The ticket with that number, refused on the form's ticket field when the user cannot see it."""
    ticket = tickets_visible_to(user).filter(pk=number).first()
    if ticket is None:
        raise ActionRefused(_("There is no ticket with that number that you can see."), field="ticket")
    return ticket
