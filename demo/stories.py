"""Demo tickets told through the real services, so each timeline is one the
product itself would have written: the same events, actors and guards.

Each story runs at its own moment in the past (the clock is frozen at every
step), so received/assigned/resolved times and timeline events agree.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from demo import desk_steps as desk_demo
from demo import large_work_steps as large_work
from helpdesk.accounts.models import Department, User
from tickets.lifecycle import Status
from tickets.models import Asset, AssetType, Channel, FaultCategory, Kind, Priority, SymptomQuestion, Ticket
from tickets.services import comment_add, ticket_assign, ticket_create, ticket_set_priority, ticket_transition


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Freeze the clock at `moment` for the services called inside.

    time-machine is a dev dependency; where only the runtime requirements are
    installed, patching Django's clock is enough, because every service and
    auto_now field reads the time through django.utils.timezone.now.
    """
    try:
        import time_machine
    except ImportError:  # pragma: no cover - exercised only without dev extras
        from unittest import mock

        with mock.patch("django.utils.timezone.now", return_value=moment):
            yield
        return
    with time_machine.travel(moment, tick=False):
        yield


@dataclass(frozen=True)
class Step:
    after: int  # minutes after the previous step
    op: str  # assign | say | memo | priority | call | <lifecycle action>
    actor: str
    text: str = ""
    to: str = ""
    # For op "call": any other service, e.g. a later issue's identity check or
    # consent (MT3, MT4) that the lifecycle starts to require.
    fn: Callable[[Ticket, User, dict[str, User]], object] | None = None


def assign(after: int, by: str, to: str) -> Step:
    return Step(after, "assign", by, to=to)


def act(after: int, by: str, action: str, note: str = "") -> Step:
    return Step(after, action, by, text=note)


def say(after: int, by: str, text: str) -> Step:
    """A comment the customer sees."""
    return Step(after, "say", by, text=text)


def memo(after: int, by: str, text: str) -> Step:
    """An internal note, staff only."""
    return Step(after, "memo", by, text=text)


def priority(after: int, by: str, to: str) -> Step:
    return Step(after, "priority", by, to=to)


def call(after: int, by: str, fn: Callable[[Ticket, User, dict[str, User]], object]) -> Step:
    """Run fn(ticket, actor, people) at this moment."""
    return Step(after, "call", by, fn=fn)


@dataclass(frozen=True)
class Story:
    title: str
    reporter: str | None  # a username; None for a walk-in without an account
    asset: str | None  # the reporter's asset of this type (a shared one for printers/network)
    category: str | None
    days_ago: int
    hour: int
    status: Status  # where the steps leave it; checked, so a changed rule is noticed
    steps: tuple[Step, ...] = ()
    kind: str = Kind.FAULT
    channel: str = Channel.WEB
    priority: str = Priority.NORMAL
    description: str = ""
    created_by: str | None = None
    reporter_name: str = ""
    department: str = ""
    asset_other: str = ""
    requested_days: int | None = None


S = Status

STORIES: list[Story] = [
    Story("모니터 화면이 깜빡입니다", "customer2", AssetType.MONITOR, "mn-flicker", 0, 9, S.RECEIVED,
          description="오전부터 화면이 몇 초 간격으로 깜빡입니다."),
    Story("실험실 네트워크가 자주 끊깁니다", "customer4", AssetType.NETWORK, "nw-slow", 0, 10, S.RECEIVED,
          channel=Channel.PHONE, created_by="desk", priority=Priority.HIGH,
          description="전화 접수: 시험 데이터 전송 중 연결이 끊긴다고 하심."),
    Story("프린터 용지 걸림", "customer", AssetType.PRINTER, "pr-paper-jam", 1, 14, S.ASSIGNED,
          (assign(12, "desk", "prneng"), say(3, "prneng", "오늘 오후 4시에 방문하겠습니다. 프린터지원팀 황지성입니다.")),
          description="2번 급지함에서 용지가 계속 걸립니다."),
    Story("PC 부팅이 되지 않습니다", "customer3", AssetType.DESKTOP, "pc-no-boot", 0, 11, S.ASSIGNED,
          # engineer2 is away this week: the assignment routes to the backup (OV5).
          (assign(8, "desk", "engineer2"),),
          description="Windows 로고에서 멈춥니다."),
    Story("PC가 너무 느립니다", "customer", AssetType.DESKTOP, "pc-slow", 2, 9, S.DIAGNOSING,
          (assign(25, "lead", "engineer"), act(40, "engineer", "diagnose"),
           memo(20, "engineer", "원격 점검: 디스크 사용률 100%, 백신 전체 검사가 업무 시간에 실행되도록 설정되어 있음."),
           say(5, "engineer", "원격으로 점검 중입니다. 잠시만 기다려 주십시오."))),
    Story("노트북 배터리가 충전되지 않습니다", "vip", AssetType.LAPTOP, "nb-battery", 1, 10, S.DIAGNOSING,
          # MT8: a VIP's work goes to the team lead, who visits in person.
          (priority(5, "desk", Priority.HIGH), assign(2, "desk", "lead"), act(30, "lead", "diagnose"),
           say(10, "lead", "PC지원팀장 정세훈입니다. 11시에 직접 방문하여 점검하겠습니다.")),
          priority=Priority.NORMAL, description="충전기를 꽂아도 충전 표시등이 켜지지 않습니다."),
    Story("블루스크린이 반복됩니다", "customer", AssetType.DESKTOP, "pc-blue-screen", 3, 13, S.AWAITING_CONSENT,
          (assign(15, "desk", "engineer"), act(60, "engineer", "diagnose"),
           memo(30, "engineer", "메모리 테스트 오류. 메인보드 슬롯 불량 가능성."),
           call(10, "engineer", desk_demo.diagnosis("메모리 모듈 불량. 모듈 교체 필요.", 60, ask_consent=True)),
           say(1, "engineer", "메모리 모듈 교체가 필요합니다. 예상 소요 시간은 약 1시간이며, 작업 중 PC를 사용하실 수 "
                              "없습니다. 진행해도 될지 답변 부탁드립니다.")),
          description="하루에 두세 번 파란 화면이 뜨고 재시작됩니다."),
    Story("모니터에 세로 줄이 생겼습니다", "customer3", AssetType.MONITOR, "mn-lines", 4, 15, S.AWAITING_CONSENT,
          (assign(20, "desk", "engineer3"), act(90, "engineer3", "diagnose"),
           call(15, "engineer3", desk_demo.diagnosis("패널 불량. 모니터 교체 필요.", 30, ask_consent=True)),
           say(1, "engineer3", "패널 불량으로 모니터 교체가 필요합니다. 교체에 30분 정도 걸립니다."))),
    Story("노트북 무선랜 연결이 안 됩니다", "vip2", AssetType.LAPTOP, "nb-wifi", 1, 9, S.IN_PROGRESS,
          (priority(3, "desk", Priority.URGENT), assign(2, "desk", "engineer3"),
           say(5, "engineer3", "PC지원팀 임도현입니다. 팀장님과 함께 10시에 방문하겠습니다."),
           act(55, "engineer3", "diagnose"), call(15, "engineer3", desk_demo.diagnosis("무선랜 드라이버 손상. 재설치 필요.", 30)),
           call(4, "engineer3", desk_demo.consent_in_person()),
           memo(6, "lead", "VIP 건: 팀장 동행 방문 완료(MT8)."))),
    Story("신규 입사자 PC 설치 요청", "customer", None, None, 2, 10, S.IN_PROGRESS,
          (assign(30, "desk", "engineer"), act(120, "engineer", "diagnose"), act(10, "engineer", "start_work"),
           say(5, "engineer", "PC와 모니터를 준비했습니다. 내일 오전에 설치하겠습니다.")),
          # Asked for five days on, so its deadline is still ahead whenever the demo is
          # seeded: demo.delay_notice files the demo's advance delay notice on it (MT1).
          kind=Kind.SUPPORT, requested_days=5, description="다음 주 월요일 입사자 1명, 자리는 품질관리부 3번 책상입니다."),
    Story("회의실 네트워크 포트가 연결되지 않습니다", "customer4", AssetType.NETWORK, "nw-no-link", 4, 11, S.WAITING_CUSTOMER,
          (assign(10, "desk", "neteng"), act(45, "neteng", "diagnose"),
           call(3, "neteng", desk_demo.diagnosis("벽면 포트 배선 단선. 재결선 필요.", 60)),
           call(1, "neteng", desk_demo.consent_by_phone()),
           act(41, "neteng", "wait_customer", "회의실 사용 중으로 작업 불가. 고객과 재방문 시간 조율 중."),
           say(2, "neteng", "회의실이 사용 중이라 작업하지 못했습니다. 가능한 시간을 알려주시면 다시 방문하겠습니다."))),
    Story("PC 전원이 켜지지 않습니다", "customer2", AssetType.DESKTOP, "pc-no-power", 5, 9, S.WAITING_PARTS,
          (assign(15, "desk", "engineer"), act(50, "engineer", "diagnose"),
           call(20, "engineer", desk_demo.diagnosis("파워서플라이 불량. 부품 교체 필요.", 40, ask_consent=True)),
           say(1, "engineer", "파워서플라이 교체가 필요합니다. 부품 입고 후 약 40분 소요됩니다."),
           say(30, "customer2", "네, 진행해 주세요."),
           call(1, "customer2", desk_demo.consent_in_portal()),
           act(14, "engineer", "wait_parts", "파워서플라이 주문, 입고 예정 3일."),
           memo(2, "engineer", "구매 요청서 번호 PO-2024-1182."))),
    Story("프린터 인쇄 품질 불량", "customer", AssetType.PRINTER, "pr-quality", 2, 15, S.RESOLVED,
          (assign(10, "desk", "prneng2"), act(40, "prneng2", "diagnose"),
           call(3, "prneng2", desk_demo.diagnosis("토너 소진, 드럼 오염.", 30)),
           call(1, "prneng2", desk_demo.consent_by_phone()),
           act(31, "prneng2", "resolve", "토너 교체 및 드럼 청소 후 시험 인쇄 정상."),
           say(1, "prneng2", "토너를 교체했습니다. 이용해 주셔서 감사합니다."))),
    Story("노트북 키보드 일부 키가 눌리지 않습니다", None, None, "nb-keyboard", 6, 13, S.RESOLVED,
          (assign(1, "desk", "desk"), call(1, "desk", desk_demo.identity_in_person()), act(2, "desk", "diagnose"),
           act(15, "desk", "resolve", "키보드 청소 후 정상 동작 확인.")),
          channel=Channel.WALK_IN, created_by="desk", reporter_name="홍길동", department="PROD2",
          asset_other="개인 지급 노트북 (LG gram)", description="방문 접수: Q, W 키가 간헐적으로 입력되지 않음."),
    Story("모니터 화면이 안 나옵니다", "customer", AssetType.MONITOR, "mn-no-picture", 14, 10, S.CLOSED,
          (assign(20, "desk", "engineer"), act(30, "engineer", "diagnose"),
           call(3, "engineer", desk_demo.diagnosis("DP 케이블 불량. 케이블 교체 필요.", 20)),
           call(1, "engineer", desk_demo.consent_by_phone()),
           act(26, "engineer", "resolve", "DP 케이블 불량, 교체 완료."),
           say(1, "engineer", "케이블을 교체했습니다. 감사합니다."),
           act(60 * 3, "customer", "close"))),
    Story("생산라인 PC 네트워크 연결 불가", "vip", AssetType.DESKTOP, "pc-no-network", 21, 8, S.CLOSED,
          (priority(2, "desk", Priority.URGENT), assign(3, "desk", "lead"),
           memo(5, "lead", "VIP 건: 팀장 직접 방문(MT8). 네트워크팀 협조 요청."),
           act(20, "lead", "diagnose"), call(8, "lead", desk_demo.diagnosis("허브 포트 불량. 포트 변경 필요.", 30)),
           call(1, "lead", desk_demo.consent_in_person()),
           act(41, "lead", "resolve", "허브 포트 불량. 포트 변경 후 정상."),
           act(60 * 24 * 3, "lead", "close"))),
    # BS2–BS4 now: a division-wide PC replacement under way, a plan waiting for
    # the approver, and a finished one whose completion report is due soon.
    Story("생산사업부 PC 일괄 교체 (1단계: 생산1부 60석)", "vip", None, None, 4, 9, S.IN_PROGRESS,
          (assign(30, "desk", "lead"), act(60, "lead", "diagnose"),
           call(60, "lead", large_work.plan_written(seats=60, windows=6)),
           call(60 * 3, "approver", large_work.plan_approved()),
           act(60, "lead", "start_work"),
           call(60 * 24 * 3, "lead", large_work.windows_done())),
          kind=Kind.LARGE_WORK, channel=Channel.WRITTEN, created_by="desk", requested_days=30,
          description="생산사업부 전 좌석 PC 교체 중 1단계. 생산1부 60석, 6차례 나누어 교체."),
    Story("품질관리부 모니터 일괄 교체", "customer", None, None, 1, 10, S.DIAGNOSING,
          (assign(30, "desk", "lead"), act(60, "lead", "diagnose"),
           call(60, "lead", large_work.plan_written(seats=30, windows=3))),
          kind=Kind.LARGE_WORK, channel=Channel.WRITTEN, created_by="desk", requested_days=21,
          description="품질관리부 모니터 30대를 27인치로 교체."),
    Story("재무부 PC 운영체제 일괄 업그레이드", "customer3", None, None, 6, 9, S.IN_PROGRESS,
          (assign(30, "desk", "lead"), act(60, "lead", "diagnose"),
           call(60, "lead", large_work.plan_written(seats=18, windows=2)),
           call(60 * 2, "approver", large_work.plan_approved()),
           act(30, "lead", "start_work"),
           call(60 * 24 * 3, "lead", large_work.windows_done())),
          kind=Kind.LARGE_WORK, channel=Channel.WRITTEN, created_by="desk", requested_days=14,
          description="재무부 PC 18대 운영체제 업그레이드. 결산 기간을 피해 작업."),
    Story("생산1부 Windows 11 일괄 업그레이드", "vip", None, None, 35, 9, S.CLOSED,
          (assign(60, "desk", "lead"), act(60 * 24, "lead", "diagnose"),
           call(60, "lead", large_work.plan_written(seats=42, windows=2, off_hours=True)),
           memo(1, "lead", "작업 계획서 작성, 정보전략부 승인 요청(BS2)."),
           call(60 * 4, "approver", large_work.plan_approved()),
           act(60, "lead", "start_work"),
           say(60, "lead", "계획대로 이틀에 나누어 작업하겠습니다. 작업 전날 퇴근 전 PC 전원을 켜 두십시오."),
           call(60 * 24 * 7, "lead", large_work.windows_done()),
           call(60 * 24, "lead", large_work.report_filed()),
           act(10, "lead", "resolve", "PC 42대 업그레이드 완료. 완료 보고서 제출(BS3)."),
           act(60 * 24 * 2, "lead", "close")),
          kind=Kind.LARGE_WORK, channel=Channel.WRITTEN, created_by="desk", requested_days=14,
          description="생산1부 전 PC(42대) Windows 11 업그레이드."),
    Story("프린터에서 인쇄가 되지 않습니다 (반복 발생)", "customer", AssetType.PRINTER, "pr-no-print", 28, 9, S.CLOSED,
          # The long timeline: the ticket page benchmark opens the ticket with the most events.
          (assign(10, "desk", "prneng"),
           say(5, "prneng", "프린터지원팀 황지성입니다. 30분 내 방문하겠습니다."),
           act(30, "prneng", "diagnose"),
           memo(10, "prneng", "인쇄 대기열 멈춤. 스풀러 재시작으로 임시 조치."),
           say(2, "prneng", "인쇄 대기열을 정리했습니다. 다시 인쇄해 보시겠어요?"),
           say(15, "customer", "한 장은 나왔는데 두 번째부터 다시 멈춥니다."),
           memo(5, "prneng", "드라이버 버전 불일치 의심. 제조사 최신 드라이버 확인 필요."),
           call(15, "prneng", desk_demo.diagnosis("프린터 드라이버 버전 불일치. 드라이버 재설치 필요.", 40)),
           call(4, "prneng", desk_demo.consent_by_phone()),
           say(41, "prneng", "드라이버를 다시 설치했습니다. 확인 부탁드립니다."),
           act(10, "prneng", "resolve", "프린터 드라이버 재설치."),
           say(60 * 20, "customer", "오늘 아침 다시 같은 증상입니다."),
           act(2, "customer", "reopen", "같은 증상이 다시 발생했습니다."),
           memo(30, "prnlead", "동일 장애 2회째. 3회를 넘기지 않도록 팀장 동행 방문 예정(MT5)."),
           say(5, "prnlead", "프린터지원팀장 권혁준입니다. 오늘 오후 담당 엔지니어와 함께 방문하겠습니다."),
           memo(120, "prneng", "메인보드 네트워크 모듈 불량 확인. 부품 주문."),
           act(5, "prneng", "wait_parts", "네트워크 모듈 주문, 입고 예정 2일."),
           say(1, "prneng", "부품을 주문했습니다. 입고되는 대로 교체하겠습니다. 그동안 3층 공용 프린터를 이용해 주십시오."),
           act(60 * 24 * 2, "prneng", "resume"),
           memo(30, "prneng", "네트워크 모듈 교체 완료. 100장 연속 인쇄 시험 정상."),
           act(5, "prneng", "resolve", "네트워크 모듈 교체(근본 원인 조치)."),
           say(1, "prneng", "부품 교체를 마쳤습니다. 불편을 드려 죄송합니다. 이용해 주셔서 감사합니다."),
           say(60 * 4, "customer", "이제 잘 됩니다. 감사합니다."),
           act(1, "customer", "close")),
          description="인쇄 버튼을 눌러도 프린터가 반응하지 않습니다."),
    Story("스캔이 되지 않습니다", "customer2", AssetType.PRINTER, "pr-scan", 9, 16, S.CANCELLED,
          (act(40, "customer2", "cancel", "공유 폴더 경로를 다시 설정하니 해결되었습니다."),)),
    Story("네트워크 느림 (중복 접수)", "customer4", AssetType.NETWORK, "nw-slow", 10, 11, S.CANCELLED,
          (memo(10, "desk", "같은 날 접수된 건과 중복."),
           act(1, "desk", "cancel_staff", "중복 접수로 취소합니다. 먼저 접수된 건에서 처리합니다."))),
    Story("PC 소음이 심합니다", "customer3", AssetType.DESKTOP, "pc-noise", 45, 14, S.CLOSED,
          (assign(30, "desk", "engineer2"), act(60 * 3, "engineer2", "diagnose"),
           call(3, "engineer2", desk_demo.diagnosis("CPU 쿨러 팬 베어링 마모. 팬 교체 필요.", 20)),
           call(1, "engineer2", desk_demo.consent_by_phone()),
           act(21, "engineer2", "resolve", "CPU 쿨러 팬 교체."), act(60 * 24, "customer3", "close"))),
    Story("VPN 계정 신청", "customer3", None, None, 7, 10, S.RESOLVED,
          (assign(5, "desk", "desk2"), act(10, "desk2", "diagnose"),
           act(30, "desk2", "resolve", "VPN 계정 발급, 접속 안내 메일 발송."),
           say(1, "desk2", "VPN 계정을 발급했습니다. 안내 메일을 확인해 주십시오.")),
          kind=Kind.SUPPORT, requested_days=2),
    Story("층 스위치 장비 다운", "customer4", AssetType.NETWORK, "nw-device-down", 3, 8, S.DIAGNOSING,
          (call(1, "desk2", desk_demo.identity_by_phone()), priority(0, "netlead", Priority.URGENT),
           assign(2, "netlead", "neteng2"), act(15, "neteng2", "diagnose")),
          channel=Channel.PHONE, created_by="desk2", description="시험분석부 2층 전체 네트워크 불통."),
]


def _answers(category: FaultCategory | None) -> list[dict[str, Any]]:
    if category is None:
        return []
    out = []
    for q in category.questions.all():
        if q.answer_type == SymptomQuestion.AnswerType.YES_NO:
            answer = "예"
        elif q.answer_type == SymptomQuestion.AnswerType.CHOICE:
            answer = q.choice_list[0] if q.choice_list else ""
        else:
            answer = "" if not q.required else "모름"
        out.append({"question_id": q.pk, "question": q.text, "answer": answer})
    return out


def _asset_for(reporter: User | None, asset_type: str | None) -> Asset | None:
    if reporter is None or asset_type is None:
        return None
    owned = Asset.objects.filter(owner=reporter, asset_type=asset_type).order_by("tag").first()
    return owned or Asset.objects.filter(
        department_id=reporter.department_id, asset_type=asset_type
    ).order_by("tag").first()


def _start(story: Story, now: datetime) -> datetime:
    day = timezone.localdate(now) - timedelta(days=story.days_ago)
    while day.weekday() >= 5:  # stories happen on working days
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(story.hour, 7)))


def _moments(story: Story, now: datetime) -> list[datetime]:
    moments = [_start(story, now)]
    for step in story.steps:
        moments.append(moments[-1] + timedelta(minutes=step.after))
    # A story set "today at 10:00" told at 08:00 must not happen in the future.
    latest = now - timedelta(minutes=5)
    if moments[-1] > latest:
        shift = moments[-1] - latest
        moments = [m - shift for m in moments]
    return moments


def story_tell(story: Story, people: dict[str, User], departments: dict[str, Department], now: datetime) -> Ticket | None:
    """Open and work one story's ticket; None when it already exists."""
    reporter = people.get(story.reporter) if story.reporter else None
    reporter_name = reporter.display_name if reporter else story.reporter_name
    if Ticket.objects.filter(title=story.title, reporter_name=reporter_name).exists():
        return None
    department = reporter.department if reporter else departments[story.department]
    category = FaultCategory.objects.filter(code=story.category).first() if story.category else None
    asset = _asset_for(reporter, story.asset)
    moments = _moments(story, now)
    actor = people[story.created_by] if story.created_by else reporter
    assert actor is not None, story.title
    with frozen_at(moments[0]):
        ticket = ticket_create(
            actor=actor,
            title=story.title,
            reporter=reporter,
            reporter_name=reporter_name,
            reporter_department=department,
            kind=story.kind,
            channel=story.channel,
            priority=story.priority,
            description=story.description,
            asset=asset,
            asset_other=story.asset_other or ("" if asset or story.kind != Kind.FAULT else "기타 장비"),
            category=category,
            symptom_answers=_answers(category),
            requested_by=moments[0] + timedelta(days=story.requested_days) if story.requested_days else None,
        )
    for step, moment in zip(story.steps, moments[1:], strict=True):
        by = people[step.actor]
        with frozen_at(moment):
            if step.op == "assign":
                ticket_assign(ticket=ticket, assignee=people[step.to], actor=by)
            elif step.op in ("say", "memo"):
                comment_add(ticket=ticket, author=by, body=step.text, is_public=step.op == "say")
            elif step.op == "priority":
                ticket_set_priority(ticket=ticket, priority=step.to, actor=by)
            elif step.op == "call":
                assert step.fn is not None
                step.fn(Ticket.objects.get(pk=ticket.pk), by, people)
            else:
                ticket_transition(ticket=ticket, action=step.op, actor=by, note=step.text)
    ticket.refresh_from_db()
    if ticket.status != story.status:
        raise RuntimeError(f"Demo story {story.title!r} ended {ticket.status}, expected {story.status}")
    return ticket


def stories_tell(people: dict[str, User], departments: dict[str, Department]) -> int:
    now = timezone.now()
    told = 0
    for story in STORIES:
        if story_tell(story, people, departments, now) is not None:
            told += 1
    return told
