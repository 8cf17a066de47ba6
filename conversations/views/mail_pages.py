"""The desk's "Mail waiting for the desk": the list, one mail, and its two
actions (file a ticket, set aside). Desk agents, team leads and admins only;
anyone else gets a 404 (mail_in.selectors)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from desk.views.shared import submit

from ..mail_in import selectors
from ..mail_in.desk_handling import inbound_mail_file_ticket, inbound_mail_set_aside
from ..mail_in.forms import FileTicketForm, SetAsideForm, mail_prefill
from ..mail_in.services import ticket_title
from ..models import InboundMail

PAGE_SIZE = 24


@login_required
@require_GET
def mail_waiting(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.mail_waiting(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conversations/mail_waiting.html", {"page_obj": page})


def _detail_page(
    request: HttpRequest,
    mail: InboundMail,
    *,
    file_form: FileTicketForm | None = None,
    aside_form: SetAsideForm | None = None,
) -> HttpResponse:
    accounts = selectors.users_with_address(mail.from_address)
    if file_form is None:
        title = ticket_title(subject=mail.subject, text=mail.text)
        initial = mail_prefill(subject_title=title, from_name=mail.from_name, accounts=accounts)
        file_form = FileTicketForm(initial=initial, accounts=accounts)
    return render(
        request,
        "conversations/mail_detail.html",
        {"mail": mail, "file_form": file_form, "aside_form": aside_form or SetAsideForm(), "accounts": accounts},
        status=400 if (file_form.is_bound or aside_form is not None) else 200,
    )


@login_required
@require_GET
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.mail_for_desk(request.user, pk))


@login_required
@require_POST
def mail_file_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    mail = selectors.mail_for_desk(request.user, pk, waiting_only=False)
    accounts = selectors.users_with_address(mail.from_address)
    form = FileTicketForm(request.POST, accounts=accounts)

    def act() -> HttpResponse:
        data = form.cleaned_data
        ticket = inbound_mail_file_ticket(
            mail=mail,
            actor=request.user,
            reporter=data["reporter"],
            reporter_department=data["reporter_department"],
            reporter_name=data["reporter_name"],
            title=data["title"],
        )
        messages.success(request, _("Request %(number)s filed from the mail.") % {"number": ticket.number})
        return redirect("conversations:mail_waiting")

    return submit(form, act, lambda: _detail_page(request, mail, file_form=form))


@login_required
@require_POST
def mail_set_aside(request: HttpRequest, pk: int) -> HttpResponse:
    mail = selectors.mail_for_desk(request.user, pk, waiting_only=False)
    form = SetAsideForm(request.POST)

    def act() -> HttpResponse:
        inbound_mail_set_aside(mail=mail, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The mail was set aside."))
        return redirect("conversations:mail_waiting")

    return submit(form, act, lambda: _detail_page(request, mail, aside_form=form))
