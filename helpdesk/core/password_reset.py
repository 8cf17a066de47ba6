"""Password reset: Django's four views, with our templates, the e-mail in the
account's own language, and the request form limited (helpdesk.core.reset_limits).

What stays Django's, on purpose: the token (single use, since it is built from
the password hash and the last sign-in), the same "check your e-mail" page
whether or not the address has an account, and no sign-in after the new
password is set (`post_reset_login` stays off), so signing in always goes
through the login form, where django-axes may still refuse it.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .context_processors import service_contacts
from .reset_limits import password_reset_limited


def language_of(user: Any) -> str:
    """The account's saved language when the site offers it, else the site's (Korean)."""
    language = getattr(user, "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ResetRequestForm(PasswordResetForm):
    """Django's form; its e-mail is written in the recipient's language, with the
    service contacts of every e-mail and a link built on SITE_URL, never on the
    Host header of the request that asked for it."""

    request: HttpRequest | None = None

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with translation.override(language_of(context["user"])):
            path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
            written = {
                **context,
                **service_contacts(self.request),
                "link": settings.SITE_URL.rstrip("/") + path,
            }
            written["subject"] = "".join(render_to_string(subject_template_name, written).splitlines())
            super().send_mail(
                subject_template_name, email_template_name, written, from_email, to_email, html_email_template_name
            )


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if password_reset_limited(request, email=request.POST.get("email", "")):
            # The form again, with what was typed and why nothing was sent.
            context = self.get_context_data(form=self.get_form(), limited=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    # Never sign in here: the login form, and axes' lockout, stay the only way in.
    post_reset_login = False


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
