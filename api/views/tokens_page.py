"""/api/tokens/: people make, see and revoke their own API tokens. A new
token's secret is shown once, on the answer to the form, and never again."""
from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text

from ..forms import TokenForm
from ..selectors import token_of, tokens_of
from ..services import api_token_create, api_token_revoke

LIST_LIMIT = 100


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    made = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                token, raw = api_token_create(
                    user=request.user,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                )
            except ActionRefused as exc:
                exc.show_on(form, {"expires_at": "days"})
            else:
                made = {"token": token, "secret": raw.text}
                form = TokenForm()
                status = 201
    now = timezone.now()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "made": made,
            "tokens": list(tokens_of(request.user)[:LIST_LIMIT]),
            "now": now,
            "schema_url": reverse("api:schema"),
            "docs_url": reverse("api:docs"),
            "api_root": request.build_absolute_uri(reverse("api:tickets")),
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = token_of(request.user, pk)
    try:
        api_token_revoke(token=token, actor=request.user)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Token %(name)s revoked at %(at)s; requests with it are refused from now on.")
            % {"name": token.name, "at": local_text(timezone.now())},
        )
    return redirect("api:tokens")
