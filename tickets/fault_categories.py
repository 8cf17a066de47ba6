"""The reviewed fault categories: what a Korean corporate IT department's
customers report, per asset type, each with one to three symptom questions (MT3).

Reference data like the PC checklist (visits/seed.py): typed in Korean with an
English name, seeded by a data migration (tickets 0009), which calls
`fault_categories_review` with its historical models; `seed_demo` and tests
call it again after a transactional test has flushed the tables. Admins edit
the categories afterwards in the admin (names, order, questions, active).

The review is safe to run on any database, as often as wanted:
- a category is found by its code, else by its name (or a former name) among
  the active ones of its asset type, and brought to the reviewed name, English
  name and order (switched off by an admin, it stays off); questions are added
  only to a category that has none (an admin's stay);
- what is missing is added;
- two active categories of one asset type whose names differ only in spacing
  or punctuation are duplicates: the reviewed one (else the oldest) stays, the
  other is deleted when nothing points at it, else only switched off
  (`active=False`), so old tickets keep their category;
- categories an admin added that are not duplicates are left alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Question:
    text: str
    text_en: str
    answer_type: str = "yes_no"  # yes_no | choice | text
    choices: str = ""
    required: bool = True


@dataclass(frozen=True)
class Category:
    code: str
    asset_type: str
    name: str
    name_en: str
    questions: tuple[Question, ...]
    # Names it had before the review (or that admins commonly type), found and renamed.
    formerly: tuple[str, ...] = ()


POWER_LAMP = Question("전원 버튼을 누르면 전원 램프가 켜집니까?", "Does the power lamp light up when you press the button?")
CABLE = Question("전원 케이블이 콘센트에 단단히 꽂혀 있습니까?", "Is the power cable firmly plugged in?")
ERROR_TEXT = Question(
    "화면에 표시된 오류 메시지가 있으면 적어 주십시오.", "If an error message is shown, please write it down.", "text",
    required=False,
)
SINCE = Question(
    "증상이 언제부터 나타났습니까?", "Since when has this happened?", "choice", "오늘부터|이번 주부터|한 달 이상"
)
OTHERS_TOO = Question("같은 사무실의 다른 사람도 같은 증상이 있습니까?", "Do others in the same office have the same problem?")
LAN_LAMP = Question("랜 케이블 포트의 불빛이 깜빡입니까?", "Is the light on the network port blinking?")
BOOT_STOPS = Question(
    "부팅 중 어느 단계에서 멈춥니까?", "Where does start-up stop?", "choice",
    "제조사 로고|Windows 로고|검은 화면|반복 재시작",
)
SLOW_ONE_PROGRAM = Question("특정 프로그램을 쓸 때만 느립니까?", "Is it slow only with a particular program?")
STOP_CODE = Question(
    "파란 화면에 표시된 중지 코드가 있으면 적어 주십시오.", "If the blue screen shows a stop code, please write it down.",
    "text", required=False,
)
NEW_INSTALL = Question(
    "최근 새 프로그램이나 장치를 설치했습니까?", "Did you recently install new software or a device?"
)
NOISE = Question(
    "어떤 증상입니까?", "What is the problem?", "choice", "팬 소음|딸깍거리는 소리|삐 소리|본체가 뜨거움"
)
SOFTWARE_NAME = Question(
    "설치할 프로그램의 이름과 버전을 적어 주십시오.", "Which program (and version) should be installed?", "text"
)
SOFTWARE_LICENCE = Question(
    "회사에서 구매(라이선스)를 승인한 프로그램입니까?", "Has the company approved (licensed) the program?", "choice",
    "예|아니요|모름",
)
VIRUS_SIGNS = Question(
    "어떤 증상입니까?", "What have you noticed?", "choice",
    "백신 경고 창|모르는 프로그램 실행|파일이 열리지 않음|광고 창 반복",
)
VIRUS_MAIL = Question(
    "의심스러운 메일의 첨부 파일이나 링크를 열었습니까?", "Did you open a suspicious e-mail attachment or link?"
)
SCREEN_SIGNS = Question(
    "어떤 증상입니까?", "What do you see?", "choice", "화면이 안 나옴|깜빡임|줄·얼룩|화면 깨짐|해상도·글자 크기 이상"
)


def _pc(prefix: str, asset_type: str, *, laptop: bool) -> list[Category]:
    """What desktops and laptops share, in the order customers look for it."""
    screen_check = (
        Question(
            "외부 모니터를 연결하면 화면이 나옵니까?", "Does an external monitor show a picture?", "choice",
            "예|아니요|연결해 보지 않음",
        )
        if laptop
        else Question("모니터 전원 램프가 켜져 있습니까?", "Is the monitor's power lamp on?")
    )
    return [
        Category(
            f"{prefix}-no-power", asset_type, "전원 불량", "No power",
            (POWER_LAMP, Question("충전기를 연결해도 켜지지 않습니까?", "Does it stay off with the charger connected?"))
            if laptop
            else (POWER_LAMP, CABLE),
            formerly=("전원 안 켜짐",),
        ),
        Category(f"{prefix}-no-boot", asset_type, "부팅 불가", "Does not boot", (BOOT_STOPS, ERROR_TEXT)),
        Category(f"{prefix}-display", asset_type, "화면 이상", "Screen problem", (SCREEN_SIGNS, screen_check),
                 formerly=("화면 불량",)),
        Category(f"{prefix}-slow", asset_type, "속도 저하", "Slow", (SINCE, SLOW_ONE_PROGRAM), formerly=("느려짐",)),
        Category(f"{prefix}-blue-screen", asset_type, "블루스크린", "Blue screen", (STOP_CODE, NEW_INSTALL)),
        Category(f"{prefix}-noise", asset_type, "소음/발열", "Noise or overheating", (NOISE,),
                 formerly=("소음 발생", "소음", "발열")),
    ]


CATALOGUE: tuple[Category, ...] = (
    # Desktop PCs.
    *_pc("pc", "desktop", laptop=False),
    Category(
        "pc-input", "desktop", "키보드·마우스", "Keyboard or mouse",
        (
            Question("어느 장치입니까?", "Which device?", "choice", "키보드|마우스|둘 다"),
            Question("무선 제품입니까?", "Is it wireless?"),
        ),
        formerly=("키보드 불량", "마우스 불량"),
    ),
    Category("pc-software", "desktop", "소프트웨어 설치", "Software installation", (SOFTWARE_NAME, SOFTWARE_LICENCE)),
    Category("pc-virus", "desktop", "바이러스 의심", "Suspected virus", (VIRUS_SIGNS, VIRUS_MAIL)),
    Category("pc-no-network", "desktop", "네트워크 연결 불가", "No network", (LAN_LAMP, OTHERS_TOO)),
    # Laptops: the same as desktops, and what only laptops have.
    *_pc("nb", "laptop", laptop=True),
    Category(
        "nb-keyboard", "laptop", "키보드·터치패드", "Keyboard or touchpad",
        (Question("작동하지 않는 키나 증상을 적어 주십시오.", "Which keys, or what, does not work?", "text"),),
        formerly=("키보드 불량",),
    ),
    Category(
        "nb-battery", "laptop", "배터리 충전 불가", "Battery does not charge",
        (Question("충전기 연결 시 충전 표시등이 켜집니까?", "Does the charging light come on with the charger?"),),
    ),
    Category(
        "nb-wifi", "laptop", "무선랜 연결 불가", "No Wi-Fi",
        (Question("무선 네트워크 목록에 회사 네트워크가 보입니까?", "Is the company network listed?"), OTHERS_TOO),
    ),
    Category("nb-software", "laptop", "소프트웨어 설치", "Software installation", (SOFTWARE_NAME, SOFTWARE_LICENCE)),
    Category("nb-virus", "laptop", "바이러스 의심", "Suspected virus", (VIRUS_SIGNS, VIRUS_MAIL)),
    # Monitors.
    Category(
        "mn-no-picture", "monitor", "화면 안 나옴", "No picture",
        (
            Question("모니터 전원 램프가 켜져 있습니까?", "Is the monitor's power lamp on?"),
            Question("모니터 케이블 종류는 무엇입니까?", "Which cable connects the monitor?", "choice",
                     "HDMI|DP|DVI|RGB(D-SUB)|USB-C|모름"),
        ),
    ),
    Category("mn-flicker", "monitor", "화면 깜빡임", "Flickering", (SINCE,)),
    Category(
        "mn-lines", "monitor", "화면 줄·얼룩", "Lines or spots on screen",
        (Question("어떤 모양입니까?", "What does it look like?", "choice", "가로줄|세로줄|얼룩·멍|점(불량 화소)"),),
        formerly=("화면 줄 생김",),
    ),
    # Printers and multifunction devices.
    Category(
        "pr-paper-jam", "printer", "용지 걸림", "Paper jam",
        (
            Question("용지가 걸린 위치는 어디입니까?", "Where is the paper stuck?", "choice", "급지함|내부|배출구|모름"),
            Question("걸린 용지를 직접 제거해 보셨습니까?", "Have you tried to remove the paper?"),
        ),
    ),
    Category(
        "pr-toner", "printer", "토너/잉크", "Toner or ink",
        (
            Question("프린터 모델명이나 자산 번호를 적어 주십시오.", "The printer's model or asset tag?", "text"),
            Question("필요한 색상은 무엇입니까?", "Which colour is needed?", "choice", "검정|컬러|모름"),
        ),
        formerly=("토너 교체", "잉크 교체"),
    ),
    Category(
        "pr-quality", "printer", "인쇄 품질 불량", "Poor print quality",
        (
            Question("어떤 증상입니까?", "What does the print look like?", "choice", "흐림|줄 생김|번짐|색상 이상"),
            Question("토너 잔량 경고가 표시됩니까?", "Is a low-toner warning shown?"),
        ),
    ),
    Category(
        "pr-no-print", "printer", "인쇄 안 됨", "Does not print",
        (Question("프린터 화면에 오류가 표시됩니까?", "Does the printer show an error?"), OTHERS_TOO, ERROR_TEXT),
    ),
    Category(
        "pr-scan", "printer", "스캔 불가", "Cannot scan",
        (Question("스캔 결과를 받는 방법은 무엇입니까?", "How do you receive scans?", "choice", "이메일|공유 폴더|USB"),),
    ),
    Category(
        "pr-setup", "printer", "프린터 연결·드라이버 설치", "Printer set-up or driver",
        (Question("연결할 프린터의 위치나 자산 번호를 적어 주십시오.", "Where is the printer, or its asset tag?", "text"),),
    ),
    # The network.
    Category("nw-no-link", "network", "네트워크 끊김", "Network drops", (OTHERS_TOO, LAN_LAMP),
             formerly=("네트워크 연결 불가",)),
    Category("nw-slow", "network", "네트워크 속도 저하", "Slow network", (SINCE, OTHERS_TOO), formerly=("네트워크 느림",)),
    Category(
        "nw-wifi-weak", "network", "무선랜 불량", "Wi-Fi problem",
        (Question("신호가 약하거나 끊기는 위치를 적어 주십시오.", "Where is the signal weak or dropping?", "text"),),
        formerly=("무선 신호 약함",),
    ),
    Category(
        "nw-device-down", "network", "네트워크 장비 고장", "Network device down",
        (Question("장비의 전원 램프가 켜져 있습니까?", "Is the device's power lamp on?"), OTHERS_TOO),
        formerly=("장비 다운",),
    ),
    Category(
        "nw-vpn", "network", "VPN 접속 불가", "Cannot connect to VPN",
        (Question("어디에서 접속하십니까?", "Where are you connecting from?", "choice", "사내|재택|출장지"), ERROR_TEXT),
    ),
    # Everything else: accounts, meeting rooms, phones.
    Category(
        "etc-account", "other", "계정/비밀번호", "Account or password",
        (
            Question("어떤 계정입니까?", "Which account?", "choice", "Windows 로그인|사내 메일|그룹웨어|VPN|업무 시스템"),
            Question("어떤 문제입니까?", "What is the problem?", "choice", "비밀번호 분실·초기화|계정 잠김|새 계정·권한 신청"),
        ),
        formerly=("계정 잠김", "비밀번호 초기화"),
    ),
    Category(
        "etc-meeting-room", "other", "프로젝터·회의실 장비", "Projector or meeting-room equipment",
        (
            Question("회의실 위치를 적어 주십시오.", "Which meeting room?", "text"),
            Question("어떤 장비입니까?", "Which equipment?", "choice", "프로젝터|TV·디스플레이|화상회의 장비|음향 장비"),
        ),
    ),
    Category(
        "etc-phone", "other", "사무실 전화기", "Desk phone",
        (
            Question("전화기의 내선 번호를 적어 주십시오.", "The phone's extension number?", "text"),
            Question("어떤 증상입니까?", "What is the problem?", "choice", "발신 불가|수신 불가|통화 품질 불량|전원 꺼짐"),
        ),
    ),
    Category(
        "other-fault", "other", "기타 장애", "Other fault",
        (Question("장비 종류와 증상을 적어 주십시오.", "Describe the equipment and the problem.", "text"),),
    ),
)

_NOISE = re.compile(r"[\s·/,.()\-_]+")


def name_key(name: str) -> str:
    """Names equal but for spacing and punctuation ("소음/발열", "소음 발열") are the same name."""
    return _NOISE.sub("", name or "").casefold()


def fault_categories_review(
    category_model: Any = None,
    question_model: Any = None,
    *,
    referenced: Callable[[Any], bool] | None = None,
) -> dict[str, Any]:
    """Bring the categories to the reviewed set (see the module's docstring);
    return the reviewed categories by code. `referenced(category)` says whether
    anything still points at a category (default: the live models' relations)."""
    if category_model is None or question_model is None:
        from .models import FaultCategory, SymptomQuestion

        category_model, question_model = FaultCategory, SymptomQuestion
    if referenced is None:
        referenced = _pointed_at_by(_relations(category_model, question_model))
    reviewed: dict[str, Any] = {}
    for order, spec in enumerate(CATALOGUE):
        category = _find(category_model, spec)
        if category is None:
            category = category_model.objects.create(
                code=spec.code, asset_type=spec.asset_type, name=spec.name, name_en=spec.name_en, order=order
            )
        else:
            # `active` stays as it is: an admin who switched a category off meant it.
            wanted = {"code": spec.code, "asset_type": spec.asset_type, "name": spec.name, "name_en": spec.name_en,
                      "order": order}
            changed = [field for field, value in wanted.items() if getattr(category, field) != value]
            for field in changed:
                setattr(category, field, wanted[field])
            if changed:
                category.save(update_fields=changed)
        if not question_model.objects.filter(category_id=category.pk).exists():
            question_model.objects.bulk_create(
                question_model(
                    category_id=category.pk, text=q.text, text_en=q.text_en, answer_type=q.answer_type,
                    choices=q.choices, required=q.required, order=i,
                )
                for i, q in enumerate(spec.questions)
            )
        reviewed[spec.code] = category
    _duplicates_retire(category_model, reviewed, referenced)
    return reviewed


def _find(category_model: Any, spec: Category) -> Any:
    by_code = category_model.objects.filter(code=spec.code).first()
    if by_code is not None:
        return by_code
    keys = {name_key(spec.name), *(name_key(n) for n in spec.formerly)}
    taken = {c.code for c in CATALOGUE}
    # The oldest active one of that name; a row holding another reviewed code is
    # that one's, and a row switched off stays off (a new one is made instead).
    for category in category_model.objects.filter(asset_type=spec.asset_type, active=True).order_by("pk"):
        if category.code not in taken and name_key(category.name) in keys:
            return category
    return None


def _duplicates_retire(category_model: Any, reviewed: dict[str, Any], referenced: Callable[[Any], bool]) -> None:
    kept: dict[tuple[str, str], Any] = {(c.asset_type, name_key(c.name)): c for c in reviewed.values() if c.active}
    for category in category_model.objects.filter(active=True).order_by("pk"):
        key = (category.asset_type, name_key(category.name))
        first = kept.setdefault(key, category)
        if first.pk == category.pk:
            continue
        if referenced(category):
            category.active = False
            category.save(update_fields=["active"])
        else:
            category.delete()


def _relations(category_model: Any, question_model: Any) -> list[tuple[Any, str]]:
    """(model, field name) of every foreign key to a category, but its own questions'."""
    return [
        (rel.related_model, rel.field.name)
        for rel in category_model._meta.related_objects
        if (rel.one_to_many or rel.one_to_one) and rel.related_model is not question_model
    ]


def _pointed_at_by(relations: Iterable[tuple[Any, str]]) -> Callable[[Any], bool]:
    relations = list(relations)

    def referenced(category: Any) -> bool:
        return any(model._base_manager.filter(**{field: category.pk}).exists() for model, field in relations)

    return referenced
