"""Who may change what: every write endpoint outside the ticket pages, against every role.

The ticket pages have their own table (tests/tickets/test_authorization_matrix.py);
this one covers the desk, visits, the charter's pages, notifications, large
work and the exports. The rule it keeps: an object is looked up for a write
through the same visibility as the list it comes from, so someone who cannot
see it in their list gets a 404 (its existence does not leak), a page a role
may not use at all is a 403, and anonymous people are sent to sign in.

Each role's request runs inside a savepoint that is rolled back, so every role
meets the same objects in the same state; a write that was let through is
"OK" whatever the form then said about the data.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from desk.services import calls, walkins
from feedback.models import FeedbackKind
from feedback.services.intake import feedback_file
from feedback.services.trainings import complaint_decide
from helpdesk.accounts.roles import Role
from helpdesk.notifications.models import Notification, NotificationChannel, NotificationState
from largework.services import plans
from surveys.models import Survey
from surveys.services.answers import survey_answer
from tests import factories as f
from tests.charter.repeat_helpers import check, fault
from tests.helpers.clock import kst
from tests.helpers.gates import identity_confirmed
from tests.helpers.large_work import content, windows
from tickets.lifecycle import Status
from tickets.models import Kind
from tickets.services import ticket_transition
from visits import services as visit_services

ROLES = [
    "anonymous", "customer", "other_customer", "engineer", "other_engineer", "lead", "other_lead",
    "desk_agent", "section_chief", "approver", "auditor", "admin",
]
LOGIN = "login"  # a 302 to the sign-in page
OK = "ok"  # let through: carried out, or refused by the form for its data
NOW = kst(2026, 3, 10, 9)  # a Tuesday morning; the visit is that afternoon

# endpoint → the answer for each role, in ROLES order.
MATRIX: dict[str, list[str | int]] = {
    #                       anon   cust  other  eng   o-eng lead  o-lead desk  chief appr  audit admin
    # --- the desk (PH1–PH3, OV1–OV5, MT3, MT4) ---
    "desk:phone":          [LOGIN, 403,  403,   403,  403,  403,  403,   OK,   403,  403,  403,  OK],
    "desk:call_caller":    [LOGIN, 404,  404,   404,  404,  404,  404,   OK,   404,  404,  404,  OK],
    "desk:call_ticket_new": [LOGIN, 404, 404,   404,  404,  404,  404,   OK,   404,  404,  404,  OK],
    "desk:call_attach":    [LOGIN, 404,  404,   404,  404,  404,  404,   OK,   404,  404,  404,  OK],
    "desk:call_transfer":  [LOGIN, 404,  404,   404,  404,  404,  404,   OK,   404,  404,  404,  OK],
    "desk:call_callback":  [LOGIN, 404,  404,   404,  404,  404,  404,   OK,   404,  404,  404,  OK],
    "desk:callback_new":   [LOGIN, 403,  403,   OK,   OK,   OK,   OK,    OK,   OK,   403,  403,  OK],
    "desk:callback_close": [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "desk:walk_ins":       [LOGIN, 403,  403,   OK,   OK,   OK,   OK,    OK,   OK,   403,  403,  OK],
    "desk:walk_in_serve":  [LOGIN, 404,  404,   OK,   404,  404,  404,   OK,   404,  404,  404,  OK],
    "desk:identity_record": [LOGIN, 404, 404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "desk:symptoms_record": [LOGIN, 404, 404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "desk:diagnosis_record": [LOGIN, 404, 404,  OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "desk:consent_record": [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "desk:consent":        [LOGIN, OK,   404,   404,  404,  404,  404,   404,  404,  404,  404,  404],
    # --- visits (MT2, MT6, MT7) ---
    "visits:book":         [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:staff_confirm": [LOGIN, 404, 404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:staff_propose": [LOGIN, 404, 404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:staff_companion": [LOGIN, 404, 404, OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:staff_cancel": [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:check_in":     [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:late_notice":  [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:checklist":    [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:resolve":      [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:follow_up":    [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:absent":       [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:new_request":  [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:files":        [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "visits:customer_confirm": [LOGIN, OK, 404, 404,  404,  404,  404,   404,  404,  404,  404,  404],
    "visits:customer_propose": [LOGIN, OK, 404, 404,  404,  404,  404,   404,  404,  404,  404,  404],
    "visits:customer_cancel": [LOGIN, OK, 404,  404,  404,  404,  404,   404,  404,  404,  404,  404],
    "visits:customer_rebook": [LOGIN, OK, 404,  404,  404,  404,  404,   404,  404,  404,  404,  404],
    # --- the charter's pages (MT1, MT5, P5) ---
    "charter:delay_notice_file": [LOGIN, 404, 404, OK, 404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "charter:dashboard:root_cause": [LOGIN, 404, 404, OK, 404, OK, 404,   OK,   OK,   404,  404,  OK],
    # IM1: whoever reads the scoreboard's team figures sees the reports; only a section chief or an admin generates one.
    "charter:scoreboard:report_generate": [LOGIN, 404, 404, 404, 404, 403, 403, 404, OK,  404,  404,  OK],
    # --- notifications ---
    "notifications:read":  [LOGIN, OK,   404,   404,  404,  404,  404,   404,  404,  404,  404,  404],
    "notifications:read_all": [LOGIN, OK, OK,   OK,   OK,   OK,   OK,    OK,   OK,   OK,   OK,   OK],
    # Everyone's own notice choices (the form refuses what a role may not choose).
    "notifications:settings": [LOGIN, OK, OK,   OK,   OK,   OK,   OK,    OK,   OK,   OK,   OK,   OK],
    # --- large work (BS2–BS4) ---
    # An approval is in the queue of the supervising department's approvers:
    # the admin holds the permission but belongs elsewhere, so the plan is not theirs.
    "largework:plan_open": [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "largework:plan_edit": [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "largework:plan_submit": [LOGIN, 404, 404,  OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "largework:plan_message": [LOGIN, 404, 404, OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    "largework:approval_approve": [LOGIN, 403, 403, 403, 403, 403, 403,  403,  403,  OK,   403,  404],
    "largework:approval_return": [LOGIN, 403, 403, 403, 403, 403,  403,  403,  403,  OK,   403,  404],
    "largework:approval_message": [LOGIN, 403, 403, 403, 403, 403, 403,  403,  403,  OK,   403,  404],
    # --- the customer's voice (P4, CP1, CC1, CC3, CR1, CR3) ---
    # The follow-up is the team lead's (and the section chief's above); a complaint
    # is never shown to the engineer it names, only the training it led to; only
    # a lead confirms the improvement. The admin, like everywhere, sees all teams.
    "surveys:follow_up":   [LOGIN, 403,  403,   403,  403,  OK,   404,   403,  OK,   403,  403,  OK],
    "feedback:my_new":     [LOGIN, OK,   OK,    OK,   OK,   OK,   OK,    OK,   OK,   OK,   OK,   OK],
    "feedback:desk_new":   [LOGIN, 403,  403,   403,  403,  403,  403,   OK,   403,  403,  403,  OK],
    "feedback:staff_review": [LOGIN, 404, 404,  404,  404,  OK,   404,   404,  OK,   404,  404,  OK],
    "feedback:staff_answer": [LOGIN, 404, 404,  404,  404,  OK,   404,   404,  OK,   404,  404,  OK],
    "feedback:staff_reflect": [LOGIN, 404, 404, 404,  404,  OK,   404,   404,  OK,   404,  404,  OK],
    "feedback:staff_decide": [LOGIN, 404, 404,  404,  404,  OK,   404,   404,  OK,   404,  404,  OK],
    "feedback:training_done": [LOGIN, 404, 404, OK,   404,  OK,   404,   404,  OK,   404,  404,  OK],
    "feedback:training_confirm": [LOGIN, 403, 403, 403, 403, OK,   404,   403,  OK,   403,  403,  OK],
    "corrections:open":    [LOGIN, 404,  404,   OK,   404,  OK,   404,   OK,   OK,   404,  404,  OK],
    # --- exports ---
    "export:dashboard_csv": [LOGIN, 403, 403,   403,  403,  OK,   OK,    403,  OK,   403,  403,  OK],
    "export:dashboard_xlsx": [LOGIN, 403, 403,  403,  403,  OK,   OK,    403,  OK,   403,  403,  OK],
}

# Write endpoints that are not in the table, and why.
NOT_IN_TABLE = {
    "login", "logout", "set_language",  # no object, anyone
    "password_reset", "password_reset_confirm",  # anyone, by e-mail and a signed link
    "desk:api_calls",  # the phone system's token, not a role (tests/desk/test_phone_system_api.py)
    "surveys:answer", "surveys:details",  # a signed link, no sign-in (tests/surveys/test_survey_link.py)
    # only auditors, never a superuser without the role: tests/audits/test_audits_authorization.py
    "audits:report", "audits:case_take", "audits:case_findings", "audits:case_decide",
    # the ticket pages' own table: tests/tickets/test_authorization_matrix.py
    "portal:ticket_new", "portal:ticket_new_fields", "portal:ticket_comment", "portal:ticket_action",
    "staff:intake", "staff:ticket_assign", "staff:ticket_transition", "staff:ticket_priority",
    "staff:ticket_comment", "staff:ticket_team_move",
    # the desk's mail page walks its roles: tests/conversations/mail_in/test_desk_page.py
    "conversations:mail_file_ticket", "conversations:mail_set_aside",
    # the windows and the report are the plan page's, with the plan's scope
    # (tests/largework/test_staff_pages.py walks them as each role)
    "largework:plan_report", "largework:window_record", "largework:window_visit",
    # the REST API and its tokens page: their own table, every role against every
    # endpoint, by token and by session (tests/api/test_authorization_matrix.py)
    "api:tickets", "api:ticket_comment", "api:ticket_assign", "api:ticket_transition", "api:ticket_priority",
    "api:ticket_team_move", "api:ticket_visits", "api:visit_outcome", "api:calls", "api:callbacks",
    "api:callback_close", "api:tokens", "api:token_revoke",
}


@dataclass
class World:
    ticket: Any
    visit: Any
    call: Any
    memo: Any
    walk_in: Any
    notification: Any
    plan: Any
    repeat: Any
    follow_up: Any
    complaint: Any
    training: Any
    finished: Any


@pytest.fixture
def other_lead(org):
    lead = f.UserFactory(
        username="netlead", last_name="오", first_name="상철", department=org.maintenance_dept,
        team=org.other_team, roles=[Role.TEAM_LEAD],
    )
    org.other_team.lead = lead
    org.other_team.save()
    return lead


@pytest.fixture
def world(org, frozen, desk_agent, engineer, other_lead, section_chief, approver, auditor) -> World:
    frozen.move_to(NOW)
    ticket = f.TicketFactory(
        reporter=org.customer, team=org.team, asset=org.asset, category=org.category,
        assignee=org.engineer, status=Status.ASSIGNED, contact_phone="010-5555-1234",
        title="3층 프린터 용지 걸림",
    )
    identity_confirmed(ticket)
    visit = visit_services.visit_book(
        ticket=ticket, engineer=org.engineer, companion=None, actor=org.desk_agent,
        start=kst(2026, 3, 10, 14), end=kst(2026, 3, 10, 15), purpose="프린터 점검", agreed_by_phone=False,
    )
    call, _created = calls.call_record(agent=org.desk_agent, rings=2, caller=org.customer, caller_number="010-5555-1234")
    memo = calls.callback_memo_create(
        actor=org.desk_agent, handler=org.engineer, caller_name="김민수", department=org.customer_dept,
        phone="010-5555-1234", matter="프린터 문의", caller=org.customer,
    )
    walk_in = walkins.walk_in_log(
        actor=org.desk_agent, handler=org.engineer, visitor_name="김민수", department=org.customer_dept,
        matter="노트북 점검", visitor=org.customer,
    )
    notification = Notification.objects.create(
        recipient=org.customer, channel=NotificationChannel.IN_APP, template="test", key="matrix-1",
        context={"link": reverse("portal:ticket_detail", args=[ticket.pk])}, ticket=ticket,
        state=NotificationState.SENT,
    )
    org.customer_dept.supervisor = approver.department
    org.customer_dept.save(update_fields=["supervisor"])
    work = f.TicketFactory(
        kind=Kind.LARGE_WORK, reporter=org.customer, team=org.team, assignee=org.lead,
        status=Status.DIAGNOSING, title="품질관리부 PC 일괄 교체",
    )
    plan = plans.plan_create(ticket=work, actor=org.lead, contact=org.customer)
    plans.plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(16, 17)))
    plans.plan_submit(plan=plan, actor=org.lead)
    plan.refresh_from_db()
    # MT5: a third fault on another PC within the period, which asks for a root cause.
    pc = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="PC-000777")
    for week in range(3):
        repeat = fault(org, kst(2026, 2, 2, 10) + timedelta(days=7 * week), asset=pc)
        check(repeat)
    # P4: a resolved ticket's survey answered with a low score opens the lead's follow-up.
    finished = f.TicketFactory(
        reporter=org.customer, reporter_department=org.customer_dept, team=org.team, assignee=org.engineer,
        status=Status.IN_PROGRESS, title="모니터 교체",
    )
    ticket_transition(ticket=finished, action="resolve", actor=org.engineer, note="모니터 교체 완료")
    finished.refresh_from_db()
    survey = survey_answer(survey_id=Survey.objects.get(ticket=finished).pk, overall=1)
    # CR3: a complaint about the engineer's work, and one upheld into a training.
    complaint = feedback_file(
        actor=org.customer, customer=org.customer, kind=FeedbackKind.COMPLAINT, body="불친절했습니다", ticket=finished,
    )
    upheld = feedback_file(
        actor=org.customer, customer=org.customer, kind=FeedbackKind.COMPLAINT, body="설명이 없었습니다", ticket=finished,
    )
    training = complaint_decide(feedback=upheld, actor=org.lead, upheld=True, training="고객 응대 교육")
    return World(
        ticket, visit, call, memo, walk_in, notification, plan, repeat, survey.follow_up, complaint, training, finished,
    )


def request_for(endpoint: str, w: World, org) -> tuple[str, str, dict]:
    t, v = w.ticket.pk, w.visit.pk
    tomorrow = (date(2026, 3, 11)).isoformat()
    file = SimpleUploadedFile("note.txt", b"on-site note", content_type="text/plain")
    post: dict[str, tuple[str, dict]] = {
        "desk:phone": (reverse("desk:phone"), {"caller_number": "010-5555-1234", "rings": "2"}),
        "desk:call_caller": (reverse("desk:call_caller", args=[w.call.pk]), {"caller": org.customer.pk}),
        "desk:call_ticket_new": (reverse("desk:call_ticket_new", args=[w.call.pk]), {"title": "모니터 깜빡임"}),
        "desk:call_attach": (reverse("desk:call_attach", args=[w.call.pk]), {"ticket": t}),
        "desk:call_transfer": (reverse("desk:call_transfer", args=[w.call.pk]), {"to": org.engineer.pk, "topic": "프린터"}),
        "desk:call_callback": (
            reverse("desk:call_callback", args=[w.call.pk]),
            {"caller_name": "김민수", "phone": "010-5555-1234", "matter": "회신 요청", "handler": org.engineer.pk},
        ),
        "desk:callback_new": (
            reverse("desk:callback_new"),
            {"caller_name": "김민수", "phone": "010-5555-1234", "matter": "회신 요청", "handler": org.engineer.pk},
        ),
        "desk:callback_close": (reverse("desk:callback_close", args=[w.memo.pk]), {"note": "통화 완료"}),
        "desk:walk_ins": (reverse("desk:walk_ins"), {"visitor_name": "이영희", "matter": "문의", "handler": org.engineer.pk}),
        "desk:walk_in_serve": (reverse("desk:walk_in_serve", args=[w.walk_in.pk]), {}),
        "desk:identity_record": (reverse("desk:identity_record", args=[t]), {"method": "phone", "phone": "010-5555-1234"}),
        "desk:symptoms_record": (reverse("desk:symptoms_record", args=[t]), {}),
        "desk:diagnosis_record": (reverse("desk:diagnosis_record", args=[t]), {"findings": "롤러 마모", "duration": "1"}),
        "desk:consent_record": (reverse("desk:consent_record", args=[t]), {"given_by": "김민수", "how": "phone"}),
        "desk:consent": (reverse("desk:consent", args=[t]), {"agree": "on"}),
        "visits:book": (reverse("visits:book", args=[t]), {"start": "2026-03-11T10:00", "end": "2026-03-11T11:00"}),
        "visits:staff_confirm": (reverse("visits:staff_confirm", args=[v]), {}),
        "visits:staff_propose": (reverse("visits:staff_propose", args=[v]), {"start": f"{tomorrow}T10:00", "end": f"{tomorrow}T11:00"}),
        "visits:staff_companion": (reverse("visits:staff_companion", args=[v]), {"companion": org.lead.pk}),
        "visits:staff_cancel": (reverse("visits:staff_cancel", args=[v]), {"reason": "일정 변경"}),
        "visits:check_in": (reverse("visits:check_in", args=[v]), {}),
        "visits:late_notice": (reverse("visits:late_notice", args=[v]), {"minutes": "15", "reason": "교통 정체"}),
        "visits:checklist": (reverse("visits:checklist", args=[v]), {}),
        "visits:resolve": (reverse("visits:resolve", args=[v]), {"summary": "롤러 교체"}),
        "visits:follow_up": (reverse("visits:follow_up", args=[v]), {"reason": "부품 대기"}),
        "visits:absent": (reverse("visits:absent", args=[v]), {"note": "부재"}),
        "visits:new_request": (reverse("visits:new_request", args=[v]), {"title": "스캐너 점검"}),
        "visits:files": (reverse("visits:files", args=[v]), {"file": file}),
        "visits:customer_confirm": (reverse("visits:customer_confirm", args=[v]), {}),
        "visits:customer_propose": (
            reverse("visits:customer_propose", args=[v]), {"start": f"{tomorrow}T10:00", "end": f"{tomorrow}T11:00"},
        ),
        "visits:customer_cancel": (reverse("visits:customer_cancel", args=[v]), {"reason": "해결됨"}),
        "visits:customer_rebook": (reverse("visits:customer_rebook", args=[v]), {}),
        "charter:delay_notice_file": (
            reverse("charter:delay_notice_file", args=[t]), {"reason": "부품 입고 지연", "new_date": "2026-03-13"},
        ),
        "charter:dashboard:root_cause": (
            reverse("charter:dashboard:root_cause", args=[w.repeat.pk]),
            {"cause": "전원부 열화", "action_taken": "파워 교체", "prevention": "분기 점검"},
        ),
        "charter:scoreboard:report_generate": (reverse("charter:scoreboard:report_generate"), {"month": "2026-02"}),
        "notifications:read": (reverse("notifications:read", args=[w.notification.pk]), {}),
        "notifications:read_all": (reverse("notifications:read_all"), {}),
        "notifications:settings": (reverse("notifications:settings"), {}),
        "surveys:follow_up": (reverse("surveys:follow_up", args=[w.follow_up.pk]), {"outcome": "call", "action": "사과"}),
        "feedback:my_new": (reverse("feedback:my_new"), {"kind": "suggestion", "body": "안내 문자가 좋았습니다"}),
        "feedback:desk_new": (
            reverse("feedback:desk_new"), {"kind": "suggestion", "channel": "phone", "customer_name": "김민수", "body": "x"},
        ),
        "feedback:staff_review": (reverse("feedback:staff_review", args=[w.complaint.pk]), {"note": "확인 중"}),
        "feedback:staff_answer": (reverse("feedback:staff_answer", args=[w.complaint.pk]), {"reply": "죄송합니다"}),
        "feedback:staff_reflect": (reverse("feedback:staff_reflect", args=[w.complaint.pk]), {"reflected": "no"}),
        "feedback:staff_decide": (
            reverse("feedback:staff_decide", args=[w.complaint.pk]), {"decision": "no", "reason": "사실과 다름"},
        ),
        "feedback:training_done": (reverse("feedback:training_done", args=[w.training.pk]), {"note": "교육 이수"}),
        "feedback:training_confirm": (reverse("feedback:training_confirm", args=[w.training.pk]), {"note": "개선됨"}),
        "corrections:open": (
            reverse("corrections:open", args=[w.finished.pk]), {"reason": "설정 누락", "what_was_wrong": "드라이버 미설치"},
        ),
        "largework:plan_open": (reverse("largework:plan_open", args=[w.plan.ticket_id]), {}),
        "largework:plan_edit": (reverse("largework:plan_edit", args=[w.plan.pk]), {"title": "층 전체 PC 교체"}),
        "largework:plan_submit": (reverse("largework:plan_submit", args=[w.plan.pk]), {}),
        "largework:plan_message": (reverse("largework:plan_message", args=[w.plan.pk]), {"body": "확인 부탁드립니다"}),
        "largework:approval_approve": (reverse("largework:approval_approve", args=[w.plan.pk]), {"note": "승인"}),
        "largework:approval_return": (reverse("largework:approval_return", args=[w.plan.pk]), {"note": "보완 요청"}),
        "largework:approval_message": (reverse("largework:approval_message", args=[w.plan.pk]), {"body": "질문"}),
    }
    if endpoint in post:
        path, data = post[endpoint]
        return "post", path, data
    export = {"export:dashboard_csv": "csv", "export:dashboard_xlsx": "xlsx"}[endpoint]
    path = reverse("charter:dashboard:list", args=["open"])
    return "get", path, {"format": export, "team": str(org.team.pk)}


def outcome(response) -> str | int:
    if response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next="):
        return LOGIN
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code < 500, response.content[:500]
    return OK


def test_write_matrix(org, world, request):
    """Every role tries every endpoint on the same objects (each try rolled back)."""
    people = {
        role: request.getfixturevalue({"admin": "admin_user"}.get(role, role)) for role in ROLES if role != "anonymous"
    }
    clients = {"anonymous": Client()}
    for role, person in people.items():
        clients[role] = Client()
        clients[role].force_login(person)
    wrong = []
    for endpoint, expected in MATRIX.items():
        for role, want in zip(ROLES, expected, strict=True):
            method, path, data = request_for(endpoint, world, org)  # a fresh upload each time
            with transaction.atomic():
                got = outcome(getattr(clients[role], method)(path, data))
                transaction.set_rollback(True)
            if got != want:
                wrong.append(f"{endpoint} as {role}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_exports_carry_only_the_teams_one_leads(org, world, client_for, other_lead, lead):
    """The other team's lead asking for this team's list gets their own team's (none of these rows)."""
    path = reverse("charter:dashboard:list", args=["open"])
    own = client_for(lead).get(path, {"format": "csv", "team": str(org.team.pk)})
    theirs = client_for(other_lead).get(path, {"format": "csv", "team": str(org.team.pk)})
    assert "3층 프린터 용지 걸림" in b"".join(own.streaming_content).decode("utf-8-sig")
    assert "3층 프린터 용지 걸림" not in b"".join(theirs.streaming_content).decode("utf-8-sig")


def _named_patterns() -> list[tuple[str, URLPattern]]:
    """Every named URL outside the admin, with its namespace."""
    found: list[tuple[str, URLPattern]] = []

    def walk(resolver: URLResolver, ns: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if not str(p.pattern).startswith("admin/"):
                    walk(p, ns + (f"{p.namespace}:" if p.namespace else ""))
            elif p.name:
                found.append((ns + p.name, p))

    walk(get_resolver(), "")
    return found


SAMPLE_ARGS = {"int": 999999, "id": 999999, "slug": "open", "string": "x", "path": "x"}


def test_every_write_endpoint_is_in_a_table(org, admin_user):
    """A new endpoint that takes POST must join this table (or say where its own
    table is). Asked as an admin, so sign-in and permissions do not answer
    first: 405 means the view refuses POST, anything else may write."""
    http = Client()
    http.force_login(admin_user)
    posting = set()
    for name, pattern in _named_patterns():
        if name == "logout":  # it would sign the prober out
            continue
        kwargs = {
            key: SAMPLE_ARGS[type(converter).__name__.removesuffix("Converter").lower()]
            for key, converter in pattern.pattern.converters.items()
        }
        if http.post(reverse(name, kwargs=kwargs), {}).status_code != 405:
            posting.add(name)
    missing = posting - set(MATRIX) - NOT_IN_TABLE
    assert not missing, f"write endpoints without a row: {sorted(missing)}"
    read_only_rows = set(MATRIX) - posting - {"export:dashboard_csv", "export:dashboard_xlsx"}
    assert not read_only_rows, f"rows for endpoints that refuse POST: {sorted(read_only_rows)}"


def test_the_table_is_whole():
    assert all(len(row) == len(ROLES) for row in MATRIX.values())
