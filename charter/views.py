from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .texts import charter_lines


def charter_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    return render(
        request,
        "charter/charter.html",
        {"lines": charter_lines(language), "original": charter_lines("ko") if language == "en" else None},
    )
