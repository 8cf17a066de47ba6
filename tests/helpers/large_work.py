"""Large-scale work plans for tests: windows on March 2026 days, and a plan's whole content."""
from __future__ import annotations

from largework.services import WindowData
from tests.helpers.clock import kst


def windows(*days: int, hours: tuple[int, int] = (10, 12), off_hours: bool = False) -> list[WindowData]:
    return [
        WindowData(
            starts_at=kst(2026, 3, day, hours[0]), ends_at=kst(2026, 3, day, hours[1]),
            what=f"{day}일 PC 교체", seats_out_minutes=30, off_hours_requested=off_hours,
        )
        for day in days
    ]


def content(org, **changes):
    values = {
        "title": "품질관리부 PC 일괄 교체",
        "departments": [org.customer_dept],
        "scope": "품질관리부 전 좌석 PC 40대 교체",
        "seats": 40,
        "staffing": "PC지원팀 3명",
        "risks": "데이터 이전 실패 시 기존 PC로 원복",
        "customer_notice": "교체 시간 동안 좌석을 비워 주십시오.",
        "windows": windows(5, 6),
    }
    values.update(changes)
    return values
