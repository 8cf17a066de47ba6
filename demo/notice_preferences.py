"""The demo's notice choices and an example AlimTalk template (issue 14),
written through the notifications' services: `chief` reads the day's e-mail as
one digest each working morning, `customer` gets no text message about
surveys, and a KakaoTalk template for delay notices waits in the admin (it
carries them once SOLAPI_KAKAO_PF_ID is set; its templateId is an example, to
be replaced by the one SOLAPI gives). Safe to run twice: a second save changes
nothing."""
from __future__ import annotations

from helpdesk.accounts.models import User
from helpdesk.notifications.models import KakaoTemplate
from helpdesk.notifications.preferences import notice_preferences_save

DELAY_TEMPLATE = "delay_notice"
DELAY_CONTENT = (
    "[업무지원팀] #{요청번호} 지연 안내\n"
    "요청하신 \"#{제목}\" 작업이 약속드린 처리기한보다 늦어집니다.\n"
    "새 처리기한: #{새처리기한}\n"
    "지연 사유: #{지연사유}\n"
    "문의: #{연락처}\n"
    "자세히 보기: #{링크}"
)
DELAY_VARIABLES = {
    "요청번호": "ticket_number",
    "제목": "ticket_title",
    "새처리기한": "new_date",
    "지연사유": "reason",
    "연락처": "handler_phone",
    "링크": "link",
}


def notice_preferences_demo_ensure(people: dict[str, User]) -> None:
    chief, customer = people["chief"], people["customer"]
    notice_preferences_save(user=chief, actor=chief, chosen={}, digest=True)
    notice_preferences_save(user=customer, actor=customer, chosen={("customer.surveys", "sms"): False})
    if not KakaoTemplate.objects.filter(template=DELAY_TEMPLATE).exists():
        template = KakaoTemplate(
            name="지연 안내 (예시: SOLAPI에서 받은 templateId로 바꾸세요)",
            template=DELAY_TEMPLATE,
            template_id="KA01TP-EXAMPLE-DELAY",
            content=DELAY_CONTENT,
            variables=DELAY_VARIABLES,
        )
        template.full_clean()
        template.save()
