"""One vocabulary: the Korean catalogue keeps to the README's glossary ("Glossary (용어)").

Each banned variant is a word the catalogue once used beside the glossary's word
for the same thing, or a form a Korean reader stumbles on; the test names the
replacement so whoever brings one back knows what to write instead.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"

# variant → the glossary's word
BANNED = {
    "처리 예정일": "처리기한 (새 처리기한 after a delay notice)",
    "약속드린 처리기한은": "약속드린 처리기한: … (no 였/이었 after a date)",
    "콜백": "회신 전화 (회신 전화 메모)",
    "근원 원인": "근본 원인",
    "근원적": "근본 원인",
    "팀장급": "팀장",
    "기초진단": "진단",
    "예상소요시간": "예상 소요 시간",
    "PC점검": "PC 점검",
    "요청 열기": "요청 접수 (filing) or 요청 보기 (opening its page)",
    "근무일": "업무일",
    "영업일": "업무일",
    "대형 작업": "대규모 작업",
    "지연사유": "지연 사유",
    "문자메시지": "문자 메시지",
    "티켓": "요청",
    "서비스 데스크에": "업무지원팀에",
    "서비스 데스크로": "업무지원팀으로",
    # A hedged particle: choose it (helpdesk.core.korean.josa) or write the sentence without one.
    "이(가)": "josa(word, '이/가')",
    "을(를)": "josa(word, '을/를')",
    "은(는)": "josa(word, '은/는')",
    "과(와)": "josa(word, '와/과')",
    "와(과)": "josa(word, '와/과')",
    "(으)로": "josa(word, '으로/로')",
}
# A number and its unit are written together: "3초", "5건", "2일 19시간".
NUMBER_SPACE_UNIT = re.compile(r"(?:\d|%\([a-z_]+\)[sd]) (?:초|분|시간|일|건|회|개|명|점|업무일)(?![가-힣])")


def korean_messages() -> list[tuple[str, str]]:
    """(msgid, msgstr) for every entry of the ko catalogue, plural forms included."""
    entries: list[tuple[str, str]] = []
    msgid, key, values = "", "", {}

    def flush() -> None:
        for name, text in values.items():
            if name.startswith("msgstr") and msgid:
                entries.append((msgid, text))

    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
        if match:
            if match.group(1) in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in values):
                flush()
                values = {}
            key = match.group(1)
            values[key] = ast.literal_eval(match.group(2))
            if key == "msgid":
                msgid = values[key]
        elif line.startswith('"'):
            values[key] += ast.literal_eval(line)
            if key == "msgid":
                msgid = values[key]
    flush()
    return entries


def test_the_catalogue_parses():
    messages = dict(korean_messages())
    assert len(messages) > 1000
    assert messages["Deadline"] == "처리기한"


@pytest.mark.parametrize(("variant", "instead"), sorted(BANNED.items()))
def test_no_banned_variant_in_the_korean_catalogue(variant, instead):
    offenders = [msgid for msgid, text in korean_messages() if variant in text]
    assert not offenders, f"{variant!r} → write {instead}: {offenders[:5]}"


def test_numbers_stick_to_their_units():
    offenders = [(msgid, text) for msgid, text in korean_messages() if NUMBER_SPACE_UNIT.search(text)]
    assert not offenders, offenders[:5]
