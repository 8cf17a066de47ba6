"""Demo satisfaction surveys (IM2, P4): the stories' resolved tickets already
sent their surveys through the ticket hooks (one per customer within the quiet
period); here each is answered a couple of hours after it was sent — good
scores with their optional part, and the newest a low score whose follow-up
waits, open, for `lead`. Written through the services; a second run changes nothing."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from helpdesk.accounts.models import User
from surveys.models import FollowUp, Survey
from surveys.services import survey_answer, survey_details_add

# (overall, speed, kindness, result, comment)
GOOD = (
    (5, 5, 5, 5, "빠르게 와 주셔서 감사합니다."),
    (4, 4, 5, None, ""),
)
LOW = (1, 1, 3, 2, "두 번이나 다시 요청해야 했습니다. 처음에 제대로 고쳐 주세요.")
ANSWER_AFTER = timedelta(hours=2)


def surveys_demo_ensure(people: dict[str, User]) -> None:
    """Answer the demo's surveys once; one of `lead`'s team gets the low score."""
    if Survey.objects.filter(answered_at__isnull=False).exists() or FollowUp.objects.exists():
        return
    waiting = list(Survey.objects.filter(answered_at__isnull=True).select_related("team").order_by("sent_at", "pk"))
    if not waiting:
        return
    # The low score: the newest survey of `lead`'s team (so the demo lead sees it), else the newest.
    lead = people.get("lead")
    ours = [s for s in waiting if lead is not None and s.team is not None and s.team.lead_id == lead.pk]
    low = (ours or waiting)[-1]
    now = timezone.now()
    for n, survey in enumerate(waiting):
        overall, speed, kindness, result, comment = LOW if survey is low else GOOD[n % len(GOOD)]
        at = min(now, survey.sent_at + ANSWER_AFTER)
        survey_answer(survey_id=survey.pk, overall=overall, at=at)
        survey_details_add(survey_id=survey.pk, speed=speed, kindness=kindness, result=result, comment=comment, at=at)
