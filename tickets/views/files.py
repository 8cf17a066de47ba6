"""Attachments are served through a view that checks who asks, never from a public URL."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from ..models import Attachment
from ..selectors import tickets_visible_to


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    user = request.user
    try:
        attachment = Attachment.objects.select_related("ticket").get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    ticket = attachment.ticket
    is_staff = user.has_perm("tickets.work_ticket") and tickets_visible_to(user).filter(pk=ticket.pk).exists()
    is_reporter = ticket.reporter_id == user.pk and attachment.is_public
    if not (is_staff or is_reporter):
        raise Http404 from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Served as a download: an uploaded HTML or SVG must never run in our origin.
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)
