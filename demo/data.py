"""Reference data for the demo organisation.

Names, rules and questions are data an administrator would type, so they are
stored as written (Korean, with English where the model has a column for it)
rather than passed through gettext.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tickets.models import AssetType

# (name, English name, rank). VIP_MIN_RANK=50 makes 부장 and above VIP (MT8).
POSITIONS: list[tuple[str, str, int]] = [
    ("사원", "Staff", 10),
    ("대리", "Assistant Manager", 20),
    ("과장", "Manager", 30),
    ("차장", "Deputy General Manager", 40),
    ("부장", "General Manager", 50),
    ("부서장", "Head of Department", 55),
    ("상무", "Managing Director", 60),
    ("전무", "Senior Managing Director", 70),
    ("사장", "President", 80),
]

# Position weights for generated customers: mostly working staff, a few heads.
CUSTOMER_POSITION_WEIGHTS: list[tuple[str, int]] = [
    ("사원", 34),
    ("대리", 26),
    ("과장", 18),
    ("차장", 12),
    ("부장", 6),
    ("부서장", 3),
    ("상무", 1),
]

DIVISIONS: list[tuple[str, str]] = [
    ("PROD", "생산사업부"),
    ("MGMT", "경영지원사업부"),
    ("RND", "연구개발사업부"),
    ("SALES", "영업사업부"),
]


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    division: str
    name: str
    visit_rules: str = ""
    customers: bool = True  # generated customers are spread over these


DEPARTMENTS: list[DepartmentSpec] = [
    DepartmentSpec(
        "PROD1", "PROD", "생산1부",
        "생산 라인 출입 시 안전모와 안전화를 반드시 착용합니다. 방문 전 라인 반장(내선 3101)에게 연락하고, "
        "가동 중인 설비 주변 작업은 교대 시간(08:00, 16:00) 전후 30분을 피합니다.",
    ),
    DepartmentSpec(
        "PROD2", "PROD", "생산2부",
        "도장 공정 구역은 방진복 착용 후 출입합니다. 휴대전화 카메라에 보안 스티커를 부착합니다.",
    ),
    DepartmentSpec("QA", "PROD", "품질관리부"),
    DepartmentSpec(
        "MAINT", "PROD", "설비보전부",
        "설비 제어실(PLC실) 출입은 보전 담당자 동행이 필요합니다.",
    ),
    DepartmentSpec("PTECH", "PROD", "생산기술부"),
    DepartmentSpec("HR", "MGMT", "인사부"),
    DepartmentSpec(
        "FIN", "MGMT", "재무부",
        "월말 결산 기간(25일~말일)에는 오전 방문을 삼가고, 작업 전 부서 서무에게 알립니다.",
    ),
    DepartmentSpec("GA", "MGMT", "총무부"),
    DepartmentSpec("PUR", "MGMT", "구매부"),
    DepartmentSpec("ITS", "MGMT", "정보전략부"),
    DepartmentSpec(
        "AUD", "MGMT", "감사부",
        "보안 구역입니다. 출입 대장에 기록하고, 부서 직원 입회하에만 작업합니다.",
    ),
    DepartmentSpec("SVC", "MGMT", "서비스지원부", customers=False),
    DepartmentSpec(
        "RES", "RND", "선행연구부",
        "연구동 출입 시 보안 서약서를 작성하고, 저장 매체(USB) 반입·반출을 금지합니다.",
    ),
    DepartmentSpec("DEV", "RND", "제품개발부"),
    DepartmentSpec(
        "LAB", "RND", "시험분석부",
        "실험실은 실험복과 보안경을 착용한 뒤 출입합니다. 시험 중(적색등 점등)에는 입실할 수 없습니다.",
    ),
    DepartmentSpec("DSALES", "SALES", "국내영업부"),
    DepartmentSpec("OSALES", "SALES", "해외영업부"),
]

MAINTENANCE_DEPARTMENT = "SVC"
# Approves the customer departments' large-scale work plans (BS2).
SUPERVISING_DEPARTMENT = "ITS"


@dataclass(frozen=True)
class TeamSpec:
    code: str
    name: str
    phone: str
    serves: tuple[str, ...]
    # The asset types whose faults this team usually fixes; the bulk generator
    # routes work by it, as the desk does when it assigns.
    asset_types: tuple[str, ...] = ()


TEAMS: list[TeamSpec] = [
    TeamSpec("DESK", "업무지원팀", "052-203-0656", ("HR", "FIN", "AUD")),
    TeamSpec(
        "PC", "PC지원팀", "052-203-0661",
        ("PROD1", "PROD2", "QA", "PTECH", "GA", "PUR", "ITS", "DEV", "DSALES", "OSALES"),
        (AssetType.DESKTOP, AssetType.LAPTOP, AssetType.MONITOR, AssetType.OTHER),
    ),
    TeamSpec("NET", "네트워크팀", "052-203-0671", ("MAINT", "LAB"), (AssetType.NETWORK,)),
    TeamSpec("PRN", "프린터지원팀", "052-203-0681", ("RES",), (AssetType.PRINTER,)),
]


@dataclass(frozen=True)
class PersonSpec:
    username: str
    last_name: str
    first_name: str
    department: str
    position: str
    roles: tuple[str, ...]
    team: str | None = None
    leads: str | None = None
    phone: str = ""
    is_admin: bool = False
    language: str = "ko"


# The named people. The first seven are the documented demo logins.
PEOPLE: list[PersonSpec] = [
    PersonSpec("customer", "김", "민수", "QA", "대리", ("customer",), phone="010-2345-6789"),
    PersonSpec("vip", "이", "정호", "PROD1", "부서장", ("customer",), phone="010-3456-7890"),
    PersonSpec("desk", "한", "지민", "SVC", "대리", ("desk_agent",), team="DESK", phone="010-4567-8901"),
    PersonSpec("engineer", "박", "준호", "SVC", "대리", ("engineer",), team="PC", phone="010-5678-9012"),
    PersonSpec("lead", "정", "세훈", "SVC", "차장", ("team_lead",), team="PC", leads="PC", phone="010-6789-0123"),
    PersonSpec("chief", "조", "현우", "SVC", "과장", ("section_chief",), team="DESK", phone="010-7890-1234"),
    PersonSpec(
        "admin", "배", "성진", "SVC", "과장", ("admin",), team="DESK", phone="010-8901-2345", is_admin=True
    ),
    # Everyone else who makes the organisation whole.
    PersonSpec("approver", "문", "상철", "ITS", "부장", ("approver",), phone="010-1357-2468"),
    PersonSpec("auditor", "남", "지현", "AUD", "차장", ("auditor",), phone="010-2468-1357"),
    PersonSpec("customer2", "이", "영희", "QA", "사원", ("customer",), phone="010-3141-5926"),
    PersonSpec("customer3", "최", "서연", "FIN", "과장", ("customer",), phone="010-2718-2818", language="en"),
    PersonSpec("customer4", "강", "도윤", "LAB", "대리", ("customer",), phone="010-1618-0339"),
    PersonSpec("vip2", "윤", "태식", "DEV", "상무", ("customer",), phone="010-1414-2135"),
    PersonSpec("desk2", "윤", "서아", "SVC", "사원", ("desk_agent",), team="DESK", phone="010-9012-3456"),
    PersonSpec(
        "desklead", "송", "재원", "SVC", "차장", ("team_lead", "desk_agent"), team="DESK", leads="DESK",
        phone="010-9123-4567",
    ),
    PersonSpec("engineer2", "오", "세진", "SVC", "사원", ("engineer",), team="PC", phone="010-9234-5678"),
    PersonSpec("engineer3", "임", "도현", "SVC", "과장", ("engineer",), team="PC", phone="010-9345-6789"),
    PersonSpec("netlead", "강", "태윤", "SVC", "차장", ("team_lead",), team="NET", leads="NET", phone="010-9456-7890"),
    PersonSpec("neteng", "최", "동욱", "SVC", "대리", ("engineer",), team="NET", phone="010-9567-8901"),
    PersonSpec("neteng2", "서", "민재", "SVC", "사원", ("engineer",), team="NET", phone="010-9678-9012"),
    PersonSpec("prnlead", "권", "혁준", "SVC", "과장", ("team_lead",), team="PRN", leads="PRN", phone="010-9789-0123"),
    PersonSpec("prneng", "황", "지성", "SVC", "대리", ("engineer",), team="PRN", phone="010-9890-1234"),
    PersonSpec("prneng2", "안", "유진", "SVC", "사원", ("engineer",), team="PRN", phone="010-9901-2345"),
]

LOGINS: list[tuple[str, Any, str]] = [
    ("customer", _("Customer"), "품질관리부"),
    ("vip", _("VIP customer"), "생산1부 부서장"),
    ("desk", _("Desk agent"), "업무지원팀"),
    ("engineer", _("Engineer"), "PC지원팀"),
    ("lead", _("Team lead"), "PC지원팀"),
    ("chief", _("Section chief"), "서비스지원부 직책과장"),
    ("admin", _("Administrator"), "Django admin"),
    ("approver", _("Approver"), "정보전략부"),
    ("auditor", _("Auditor"), "감사부"),
    ("netlead", _("Team lead"), "네트워크팀"),
]

# The engineer away this week and who covers (OV5).
ABSENT = ("engineer2", "engineer", "연차 휴가")

# Korean family names by rough frequency, and common given names.
FAMILY_NAMES: list[tuple[str, int]] = [
    ("김", 215), ("이", 147), ("박", 84), ("최", 47), ("정", 44), ("강", 23), ("조", 21), ("윤", 20),
    ("장", 19), ("임", 17), ("한", 15), ("오", 15), ("서", 14), ("신", 14), ("권", 14), ("황", 13),
    ("안", 13), ("송", 13), ("류", 12), ("전", 11), ("홍", 11), ("고", 9), ("문", 9), ("양", 9),
    ("손", 9), ("배", 8), ("백", 8), ("허", 6), ("유", 6), ("남", 5), ("심", 5), ("노", 4),
    ("하", 4), ("곽", 4), ("성", 4), ("차", 4), ("주", 4), ("우", 4), ("구", 4), ("민", 3),
    ("남궁", 1), ("황보", 1), ("제갈", 1), ("선우", 1),
]
GIVEN_NAMES: list[str] = (
    "민준 서준 도윤 예준 시우 하준 주원 지호 지후 준서 준우 현우 도현 지훈 건우 우진 선우 서진 민재 현준 "
    "연우 유준 정우 승우 승현 시윤 준혁 은우 지환 승민 지우 유찬 윤우 민성 준영 시후 진우 지원 수현 재윤 "
    "서연 서윤 지우 서현 민서 하은 하윤 윤서 지유 지민 채원 지윤 은서 수아 다은 예은 수빈 소율 예린 지아 "
    "영수 영호 영철 정희 미경 미숙 경숙 상훈 성호 성민 동현 재현 혜진 은정 수진 지영 현정 태호 기현 상민"
).split()

MODELS: dict[str, list[str]] = {
    AssetType.DESKTOP: ["삼성 DM500SFA", "LG 15U70Q", "Dell OptiPlex 7010", "HP ProDesk 400 G9", "삼보 TG 모델 B75"],
    AssetType.LAPTOP: ["LG gram 16Z90S", "삼성 갤럭시북4 Pro", "Lenovo ThinkPad T14 Gen 4", "Dell Latitude 5440"],
    AssetType.MONITOR: ["LG 27MP500", "삼성 S24C310", "Dell P2422H", "LG 24MK430H"],
    AssetType.PRINTER: ["HP LaserJet Pro M404dn", "Canon iR-ADV C3530", "신도리코 D420", "삼성 SL-M4020ND", "Epson L6270"],
    AssetType.NETWORK: ["Cisco Catalyst 2960-X", "HPE Aruba 2930F", "다산 V5124F", "Cisco Aironet 2802i", "ipTIME T5008"],
}
TAG_PREFIX: dict[str, str] = {
    AssetType.DESKTOP: "PC",
    AssetType.LAPTOP: "NB",
    AssetType.MONITOR: "MN",
    AssetType.PRINTER: "PR",
    AssetType.NETWORK: "NW",
    AssetType.OTHER: "ET",
}
ASSET_TYPE_KO: dict[str, str] = {
    AssetType.DESKTOP: "데스크톱",
    AssetType.LAPTOP: "노트북",
    AssetType.MONITOR: "모니터",
    AssetType.PRINTER: "프린터",
    AssetType.NETWORK: "네트워크 장비",
    AssetType.OTHER: "기타 장비",
}
LOCATIONS = ["본관 {f}층", "제1공장 {f}층", "연구동 {f}층", "별관 {f}층"]


# The fault categories are the reviewed set (tickets/fault_categories.py), seeded
# by a data migration; demo.org.categories_ensure makes sure they are there.

SUPPORT_TITLES = [
    "신규 입사자 PC 설치 요청",
    "한글 2024 설치 요청",
    "회의실 프로젝터 연결 지원 요청",
    "VPN 계정 신청",
    "공유 폴더 접근 권한 요청",
    "자리 이동에 따른 PC 이전 설치",
    "모니터 추가 설치 요청",
    "화상회의 장비 설치 지원",
    "업무용 프로그램 업데이트 요청",
    "퇴사자 PC 데이터 백업 요청",
]
LARGE_WORK_TITLES = [
    "사업부 PC 일괄 교체 작업",
    "사무실 이전에 따른 전산 장비 이설",
    "Windows 11 일괄 업그레이드",
    "층별 네트워크 스위치 교체",
    "사업부 프린터 일괄 교체",
]
FAULT_DESCRIPTIONS = [
    "오늘 아침부터 증상이 있습니다. 확인 부탁드립니다.",
    "업무에 지장이 있어 빠른 처리 부탁드립니다.",
    "재부팅해 보았지만 같은 증상입니다.",
    "어제 오후부터 간헐적으로 발생합니다.",
    "옆자리 동료는 문제가 없습니다.",
    "",
]
