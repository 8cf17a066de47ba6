"""The charter's 'PC점검 체크리스트' (MT6), seeded for desktops and laptops as version 1.

Stored as written (Korean with an English name), like other reference data an
admin would type; admins make new versions in the admin afterwards. The data
migration calls this with its historical models; tests call it again after a
transactional test has flushed the tables.
"""
from __future__ import annotations

from typing import Any

NAME = "PC점검 체크리스트"
NAME_EN = "PC inspection checklist"
# (Korean, English, note rule). 'when_fixed': say what was fixed;
# 'when_fixed_or_na': also say why it does not apply.
ITEMS: list[tuple[str, str, str]] = [
    ("전원/케이블 연결 상태", "Power and cable connections", "when_fixed"),
    ("부팅 및 POST 확인", "Boot and POST check", "when_fixed"),
    ("디스크 상태(SMART)", "Disk health (SMART)", "when_fixed"),
    ("메모리 점검", "Memory check", "when_fixed"),
    ("바이러스 백신 업데이트", "Antivirus up to date", "when_fixed_or_na"),
    ("윈도우 보안 업데이트", "Windows security updates", "when_fixed_or_na"),
    ("네트워크 연결", "Network connection", "when_fixed"),
    ("프린터 연결", "Printer connection", "when_fixed"),
    ("불필요 프로그램 정리", "Unneeded programs removed", "when_fixed"),
    ("사용자 데이터 백업 안내", "User told how to back up data", "never"),
]
ASSET_TYPES = ("desktop", "laptop")


def pc_checklist_seed(template_model: Any = None, item_model: Any = None) -> int:
    """Create version 1 for each PC asset type that has no checklist yet; return how many were made."""
    if template_model is None or item_model is None:
        from .models import ChecklistItem, ChecklistTemplate

        template_model, item_model = ChecklistTemplate, ChecklistItem
    made = 0
    for asset_type in ASSET_TYPES:
        if template_model.objects.filter(asset_type=asset_type).exists():
            continue
        template = template_model.objects.create(
            asset_type=asset_type, name=NAME, name_en=NAME_EN, version=1, is_current=True
        )
        item_model.objects.bulk_create(
            [
                item_model(template=template, order=(i + 1) * 10, text=text, text_en=text_en, note_rule=rule)
                for i, (text, text_en, rule) in enumerate(ITEMS)
            ]
        )
        made += 1
    return made
