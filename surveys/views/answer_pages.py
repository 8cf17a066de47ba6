"""The survey page behind the signed link (IM2): no login, phone first.

GET shows five big score buttons; one tap POSTs the overall score, which is
recorded once, and the answer page then offers the optional scores and a
comment carrying a short-lived token only that answer handed out (the same
visit). A used link, an expired one and a tampered one each get a friendly
page and record nothing; an out-of-range score is refused beside the buttons.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.core.errors import ActionRefused

from ..forms import DetailsForm, OverallForm
from ..links import details_survey_id, details_token, survey_link
from ..models import SCORE_MAX, SCORE_MIN, Survey
from ..selectors import LinkState, open_surveys_for, survey_by_link
from ..services import SurveyUnavailable, survey_answer, survey_details_add
from ..services.common import ticket_of

PAGE_SIZE = 20
SCORES = list(range(SCORE_MIN, SCORE_MAX + 1))
# A used, expired or unknown link is not an error of the server: 200 with a kind page, nothing recorded.
CLOSED_TEMPLATE = "surveys/answer_closed.html"


def _about(survey: Survey) -> dict[str, Any]:
    ticket = ticket_of(survey)
    return {"survey": survey, "ticket": ticket, "handler": survey.handler}


def _closed(request: HttpRequest, state: str, survey: Survey | None = None) -> HttpResponse:
    return render(request, CLOSED_TEMPLATE, {"state": state, "survey": survey})


def _ask(request: HttpRequest, token: str, link: LinkState, form: OverallForm, status: int = 200) -> HttpResponse:
    context = {**_about(link.survey), "token": token, "form": form, "scores": SCORES}
    return render(request, "surveys/answer.html", context, status=status)


def _details(request: HttpRequest, survey: Survey, form: DetailsForm, status: int = 200) -> HttpResponse:
    return render(request, "surveys/answer_details.html", {**_about(survey), "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    link = survey_by_link(token)
    if link.state != "open":
        return _closed(request, link.state, link.survey)
    if request.method == "GET":
        return _ask(request, token, link, OverallForm())
    form = OverallForm(request.POST)
    form.is_valid()
    try:
        survey = survey_answer(survey_id=link.survey.pk, overall=form.cleaned_data.get("overall", request.POST.get("overall")))
    except SurveyUnavailable as refused:
        return _closed(request, refused.reason, link.survey)
    except ActionRefused as refused:
        refused.show_on(form)
        return _ask(request, token, link, form, status=400)
    return _details(request, survey, DetailsForm(initial={"details": details_token(survey.pk)}))


@require_POST
def details(request: HttpRequest) -> HttpResponse:
    form = DetailsForm(request.POST)
    survey_id = details_survey_id(str(request.POST.get("details", ""))[:500])
    survey = (
        Survey.objects.select_related("ticket", "work_plan__ticket", "handler").filter(pk=survey_id).first()
        if survey_id
        else None
    )
    if survey is None:
        # Tampered, or the answering visit is over: the overall score stays as it was.
        return _closed(request, "details_closed")
    if not form.is_valid():
        return _details(request, survey, form, status=400)
    data = form.cleaned_data
    try:
        survey_details_add(
            survey_id=survey.pk,
            speed=data["speed"],
            kindness=data["kindness"],
            result=data["result"],
            comment=data["comment"],
        )
    except SurveyUnavailable:
        return _closed(request, "answered", survey)
    except ActionRefused as refused:
        refused.show_on(form)
        return _details(request, survey, form, status=400)
    return render(request, "surveys/answer_thanks.html", _about(survey))


@login_required
@require_GET
def my_surveys(request: HttpRequest) -> HttpResponse:
    """The signed-in customer's surveys to answer (in the app); each opens its signed link."""
    page = Paginator(open_surveys_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"survey": s, "ticket": ticket_of(s), "link": survey_link(s.pk)} for s in page.object_list]
    return render(request, "surveys/my_surveys.html", {"page": page, "rows": rows})
