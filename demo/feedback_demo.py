"""The demo's customer feedback (CP1, CC1, CC3, CR3), written through the
feedback services: a complaint about `engineer` upheld by `lead` with a service
training in progress, two commendations, and a suggestion taken by the desk by
phone, answered and reflected in the service. Safe to run twice."""
from __future__ import annotations

from feedback.models import Feedback, FeedbackChannel, FeedbackKind
from feedback.services import complaint_decide, feedback_answer, feedback_file, feedback_review
from helpdesk.accounts.models import User
from tickets.models import Ticket

COMPLAINT = "프린터 수리 후 설명 없이 돌아가셔서 다시 전화해야 했습니다. 처리 결과를 알려 주셨으면 합니다."
TRAINING = "고객 응대 기본 교육 (작업 후 결과 설명)"
COMMEND_TICKET = "노트북 교체를 빠르고 친절하게 해 주셨습니다. 감사합니다."
COMMEND_DIRECTORY = "회의 직전 급한 요청에도 침착하게 도와주셨습니다."
SUGGESTION = "처리 완료 안내를 문자로도 받을 수 있으면 좋겠습니다."


def feedback_demo_ensure(people: dict[str, User]) -> None:
    if Feedback.objects.filter(body=COMPLAINT).exists():
        return  # made already
    customer, engineer, lead = people["customer"], people["engineer"], people["lead"]
    ticket = Ticket.objects.filter(reporter=customer, assignee=engineer).order_by("pk").first()
    complaint = feedback_file(
        actor=customer, kind=FeedbackKind.COMPLAINT, body=COMPLAINT, ticket=ticket, employee=None if ticket else engineer
    )
    if complaint.employee_id == engineer.pk:
        complaint_decide(feedback=complaint, actor=lead, upheld=True, training=TRAINING)
        feedback_answer(
            feedback=complaint,
            actor=lead,
            reply="불편을 드려 죄송합니다. 담당 엔지니어가 고객 응대 교육을 받고 있으며, 작업 후 결과를 꼭 설명드리겠습니다.",
        )
    feedback_file(
        actor=customer, kind=FeedbackKind.COMMENDATION, body=COMMEND_TICKET, ticket=ticket, employee=engineer
    )
    feedback_file(
        actor=people.get("vip", customer), kind=FeedbackKind.COMMENDATION, body=COMMEND_DIRECTORY,
        employee=people.get("engineer2", engineer),
    )
    desk = people["desk"]
    asker = people.get("customer2", customer)
    suggestion = feedback_file(
        actor=desk, kind=FeedbackKind.SUGGESTION, channel=FeedbackChannel.PHONE, body=SUGGESTION, customer=asker
    )
    handler = suggestion.handler or people.get("desklead") or lead
    feedback_review(feedback=suggestion, actor=handler, note="문자 발송 비용과 수신 동의 확인")
    feedback_answer(
        feedback=suggestion,
        actor=handler,
        reply="좋은 의견 감사합니다. 이번 달부터 처리 완료를 문자로도 알려 드립니다.",
        reflected=True,
        reflected_what="처리 완료 문자 안내 추가",
    )
