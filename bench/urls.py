"""The product's URLs plus a bare view, so each page's figure can be read
against the cost of the middleware, session and user lookup alone."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BASELINE_PATH = "__bench__/baseline/"


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(BASELINE_PATH, baseline, name="bench_baseline"),
    path("", include("helpdesk.urls")),
]
