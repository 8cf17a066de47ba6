"""The one safe-redirect rule: go back only to this site, never elsewhere."""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_target(request: HttpRequest, target: str) -> bool:
    """A path on this site, or an absolute link to it (the request's host or
    SITE_URL's, which notifications link to); over HTTPS when the request was."""
    if not target:
        return False
    hosts = {request.get_host()}
    site_host = urlsplit(settings.SITE_URL).netloc
    if site_host:
        hosts.add(site_host)
    return url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure())


def safe_next(request: HttpRequest, default: str, *, param: str = "next") -> str:
    """The `next` a form or link asks for when it is safe, else `default`."""
    target = request.POST.get(param) or request.GET.get(param) or ""
    return target if is_safe_target(request, target) else default
