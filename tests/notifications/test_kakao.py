"""KakaoTalk AlimTalk for customers: once configured, a customer notice that an
active template serves goes by KakaoTalk instead of a text message, with the
template's variables filled from the notice; when the provider refuses it, the
SMS template's text goes to the same number, and the row says so. Quiet hours
hold it like a text message. The SOLAPI request is tested against a local
stand-in server (tests/notifications/solapi_standin.py)."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from helpdesk.notifications.doors import tell_customer
from helpdesk.notifications.models import KakaoTemplate, Notification
from helpdesk.notifications.preferences import notice_preferences_save
from helpdesk.notifications.services import notification_deliver
from helpdesk.notifications.sms import ConsoleSMSBackend, LocMemSMSBackend, get_sms_backend
from tests import factories as f
from tests.notifications.solapi_standin import SolapiStandIn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_hours_from_settings", "frozen")]

SEOUL = ZoneInfo("Asia/Seoul")
NIGHT = datetime(2026, 12, 1, 23, 0, tzinfo=SEOUL)
MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=SEOUL)
CONTENT = "[업무지원팀] #{고객명}님, 요청 #{요청번호} 안내입니다.\n#{내용}\n자세히 보기: #{링크}"



@pytest.fixture(autouse=True)
def _everyone_on_kakao():
    LocMemSMSBackend.not_on_kakao.clear()
    yield
    LocMemSMSBackend.not_on_kakao.clear()


@pytest.fixture
def ticket(org):
    return f.TicketFactory(reporter=org.customer, team=org.team, contact_phone="010-5555-1234", title="모니터 깜빡임")


@pytest.fixture
def progress_template(settings):
    settings.SOLAPI_KAKAO_PF_ID = "KA01PF2026TEST"
    return KakaoTemplate.objects.create(
        name="진행 안내", kind="customer.progress", template_id="KA01TP-PROGRESS", content=CONTENT,
        variables={"고객명": "recipient_name", "요청번호": "ticket_number", "내용": "subject", "링크": "link"},
    )


def tell(org, ticket, key: str = "tickets:handler:t1:1", **kwargs) -> dict[str, Notification]:
    tell_customer(key=key, recipient=org.customer, template="generic", context={"subject": "담당자가 배정되었습니다."},
                  ticket=ticket, link=f"/my/tickets/{ticket.pk}/", **kwargs)
    return {r.channel: r for r in Notification.objects.filter(key__startswith=key)}


def test_without_a_channel_id_customers_get_text_messages_as_before(org, ticket, progress_template, settings):
    settings.SOLAPI_KAKAO_PF_ID = ""
    assert set(tell(org, ticket)) == {"email", "sms", "in_app"}


def test_a_served_notice_goes_by_kakaotalk_instead_of_a_text_message(org, ticket, progress_template):
    rows = tell(org, ticket)
    assert set(rows) == {"email", "kakao", "in_app"}
    kakao = rows["kakao"]
    assert (kakao.to_phone, kakao.kakao_template, kakao.customer_facing) == ("01055551234", progress_template, True)
    # A notice no template serves stays a text message.
    assert "sms" in tell(org, ticket, key="surveys:sent:s1")


def test_a_template_for_our_template_wins_over_the_kinds(org, ticket, progress_template):
    own = KakaoTemplate.objects.create(
        name="방문 확정", template="visit_confirmed", template_id="KA01TP-VISIT", content="#{요청번호} 방문 확정",
        variables={"요청번호": "ticket_number"},
    )
    KakaoTemplate.objects.create(name="방문", kind="customer.visits", template_id="KA01TP-VISITS", content="방문 안내")
    tell_customer(key="visit:1:v1:confirmed", recipient=org.customer, template="visit_confirmed", context={},
                  ticket=ticket)
    assert Notification.objects.get(key="visit:1:v1:confirmed:kakao").kakao_template == own


def test_the_customers_choices_pick_the_phone_channel(org, ticket, progress_template):
    notice_preferences_save(user=org.customer, actor=org.customer, chosen={("customer.progress", "kakao"): False})
    assert "sms" in tell(org, ticket, key="tickets:handler:t1:2")
    notice_preferences_save(
        user=org.customer, actor=org.customer,
        chosen={("customer.progress", "kakao"): True, ("customer.progress", "sms"): False},
    )
    rows = tell(org, ticket, key="tickets:handler:t1:3")
    assert "kakao" in rows and rows["kakao"].context["sms_fallback"] is False


def test_delivered_by_kakaotalk_with_the_variables_filled_in(org, ticket, progress_template, sms_outbox, settings):
    kakao = tell(org, ticket)["kakao"]
    assert notification_deliver(notification_id=kakao.pk)
    (sent,) = sms_outbox
    link = settings.SITE_URL.rstrip("/") + f"/my/tickets/{ticket.pk}/"
    assert sent["type"] == "ATA" and (sent["pf_id"], sent["template_id"]) == ("KA01PF2026TEST", "KA01TP-PROGRESS")
    assert sent["variables"] == {
        "#{고객명}": org.customer.display_name, "#{요청번호}": f"#{ticket.pk}",
        "#{내용}": "담당자가 배정되었습니다.", "#{링크}": link,
    }
    assert sent["text"] == (
        f"[업무지원팀] {org.customer.display_name}님, 요청 #{ticket.pk} 안내입니다.\n담당자가 배정되었습니다.\n자세히 보기: {link}"
    )
    kakao.refresh_from_db()
    assert (kakao.state, kakao.sent_via, kakao.provider_id, kakao.body) == ("sent", "kakao", sent["id"], sent["text"])
    assert sent["sms_fallback"] is True


def test_a_moment_is_written_in_local_time(org, ticket, progress_template, sms_outbox):
    progress_template.content = "#{요청번호} 새 처리기한: #{기한}"
    progress_template.variables = {"요청번호": "ticket_number", "기한": "new_date"}
    progress_template.save()
    tell_customer(key="tickets:handler:t1:9", recipient=org.customer, template="generic",
                  context={"new_date": "2026-12-03T08:00:00+00:00"}, ticket=ticket)
    notification_deliver(notification_id=Notification.objects.get(key="tickets:handler:t1:9:kakao").pk)
    assert sms_outbox[0]["variables"]["#{기한}"] == "2026-12-03 17:00"


def test_refused_it_goes_as_the_sms_templates_text_and_the_row_says_so(org, ticket, progress_template, sms_outbox):
    LocMemSMSBackend.not_on_kakao.add("01055551234")
    kakao = tell(org, ticket)["kakao"]
    assert notification_deliver(notification_id=kakao.pk)
    (sent,) = sms_outbox
    assert "type" not in sent and sent["text"].startswith("담당자가 배정되었습니다.")  # templates/sms/generic.txt
    kakao.refresh_from_db()
    assert (kakao.state, kakao.sent_via, kakao.provider_id) == ("sent", "sms", sent["id"])
    # The note is written in the customer's language (Korean, the default).
    assert "cannot receive KakaoTalk" in kakao.last_error and "대신 문자 메시지로 보냈습니다" in kakao.last_error


def test_a_value_the_notice_lacks_sends_the_text_message_instead(org, ticket, progress_template, sms_outbox):
    progress_template.content = "#{요청번호} 방문 #{방문일시}"
    progress_template.variables = {"요청번호": "ticket_number", "방문일시": "visit_start"}
    progress_template.save()
    kakao = tell(org, ticket)["kakao"]
    notification_deliver(notification_id=kakao.pk)
    kakao.refresh_from_db()
    assert kakao.sent_via == "sms" and "visit_start" in kakao.last_error
    assert [m.get("type") for m in sms_outbox] == [None]


def test_refused_without_text_messages_allowed_it_gives_up_with_the_reason(org, ticket, progress_template, sms_outbox):
    notice_preferences_save(user=org.customer, actor=org.customer, chosen={("customer.progress", "sms"): False})
    LocMemSMSBackend.not_on_kakao.add("01055551234")
    kakao = tell(org, ticket)["kakao"]
    assert not notification_deliver(notification_id=kakao.pk)
    kakao.refresh_from_db()
    assert kakao.state == "dead" and "문자 메시지를 꺼 두어" in kakao.last_error
    assert sms_outbox == []


def test_kakaotalk_waits_out_the_night_like_a_text_message(org, ticket, progress_template, sms_outbox):
    with time_machine.travel(NIGHT, tick=False):
        kakao = tell(org, ticket)["kakao"]
        assert (kakao.state, kakao.next_attempt_at) == ("held", MORNING)
    with time_machine.travel(MORNING + timedelta(minutes=1), tick=False):
        assert notification_deliver(notification_id=kakao.pk)
    assert sms_outbox[0]["type"] == "ATA"


@pytest.fixture
def solapi(settings):
    with SolapiStandIn() as standin:
        settings.SMS_BACKEND = "helpdesk.notifications.sms.SolapiSMSBackend"
        settings.SOLAPI_API_KEY, settings.SOLAPI_API_SECRET = standin.api_key, standin.api_secret
        settings.SOLAPI_BASE_URL = standin.base_url
        settings.SMS_SENDER = "0522030656"
        yield standin


def test_solapi_receives_the_alimtalk_in_its_format(org, ticket, progress_template, solapi):
    kakao = tell(org, ticket)["kakao"]
    assert notification_deliver(notification_id=kakao.pk)
    (body,) = solapi.received
    message = body["message"]
    assert (message["to"], message["from"], message["type"]) == ("01055551234", "0522030656", "ATA")
    assert message["kakaoOptions"]["pfId"] == "KA01PF2026TEST"
    assert message["kakaoOptions"]["templateId"] == "KA01TP-PROGRESS"
    # SOLAPI's own substitute text message covers a KakaoTalk failure after it accepted the message.
    assert message["kakaoOptions"]["disableSms"] is False
    assert message["kakaoOptions"]["variables"]["#{요청번호}"] == f"#{ticket.pk}"
    kakao.refresh_from_db()
    assert (kakao.sent_via, kakao.provider_id) == ("kakao", "M4V2026STANDIN0001")


def test_solapi_refusing_the_template_gets_the_text_message(org, ticket, progress_template, solapi):
    solapi.refused_templates.add("KA01TP-PROGRESS")
    kakao = tell(org, ticket)["kakao"]
    assert notification_deliver(notification_id=kakao.pk)
    (sms,) = solapi.received  # the refused AlimTalk is not received
    assert "kakaoOptions" not in sms["message"] and sms["message"]["text"].startswith("담당자가 배정되었습니다.")
    kakao.refresh_from_db()
    assert (kakao.state, kakao.sent_via, kakao.provider_id) == ("sent", "sms", "M4V2026STANDIN0001")
    assert "검수 승인되지 않은 알림톡 템플릿입니다." in kakao.last_error


def test_solapi_down_is_retried_as_kakaotalk_later_not_sent_as_a_text(org, ticket, progress_template, solapi):
    solapi.fail_with = 503
    kakao = tell(org, ticket)["kakao"]
    assert not notification_deliver(notification_id=kakao.pk)
    kakao.refresh_from_db()
    assert kakao.state == "failed" and "HTTP 503" in kakao.last_error and kakao.next_attempt_at is not None
    assert solapi.received == []


def test_a_wrong_secret_is_refused_by_the_stand_in_and_retried(org, ticket, progress_template, solapi, settings):
    settings.SOLAPI_API_SECRET = "not-the-secret"
    kakao = tell(org, ticket)["kakao"]
    assert not notification_deliver(notification_id=kakao.pk)
    kakao.refresh_from_db()
    assert kakao.state == "failed" and "HTTP 401" in kakao.last_error


def test_the_demo_backends_keep_an_alimtalk_too(tmp_path, settings):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    args = {"pf_id": "KA01PF", "template_id": "KA01TP", "variables": {"#{번호}": "#7"}, "text": "#7 안내"}
    get_sms_backend("helpdesk.notifications.sms.FileSMSBackend").send_alimtalk("01012345678", **args)
    (line,) = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["type"] == "ATA" and json.loads(line)["variables"] == {"#{번호}": "#7"}
    stream = io.StringIO()
    ConsoleSMSBackend(stream=stream).send_alimtalk("01012345678", **args)
    assert "KakaoTalk AlimTalk" in stream.getvalue() and "KA01TP" in stream.getvalue()
