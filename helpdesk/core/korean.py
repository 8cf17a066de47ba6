"""Korean as a Korean office worker writes it: particles chosen by the word before
them, and relative times and durations written "3초 전", "2일 19시간".

Particles (조사). Korean picks 이/가, 을/를, 은/는, 과/와 and 으로/로 by whether
the syllable before ends in a consonant (받침), and 으로/로 also by whether that
consonant is ㄹ. Messages used to hedge with "이(가)"; `josa()` chooses instead.
The word is read as it is said aloud: a Hangul syllable by its final consonant
(syllable arithmetic, U+AC00 + (initial × 21 + medial) × 28 + final), a number
by its Korean reading ("#25" 이십오 → 가, "1" 일 → 이, "10" 십 → 이, "3.5"
삼 점 오 → 가), Latin capitals letter by letter ("PC" 피씨 → 가, "HTML" 에이치티엠엘
→ 이), a Latin word by a rule of thumb for how loanwords end ("Outlook" 아웃룩,
"Excel" 엑셀). Closing quotes, brackets and spaces are skipped, so
'"모니터 깜빡임"' takes the particle of 임. A word that cannot be read (empty,
Hanja, emoji) keeps the hedged form, "이(가)".

Why our own code: the rules are these few lines. On PyPI, tossi (last release
2018) and pyjosa (2021, refuses anything but Hangul) are unmaintained, and
hangulpy (maintained) is a 30-module toolkit that reads a Latin ending only
when the whole word is capitals ("노트북 LAN" → "LAN가").

Relative times and durations. Korean writes a number against its unit and lists
the parts with a space: "3초 전", "2일 19시간 전", "2일 19시간". Django's Korean
("3 초 전", "2일, 19시간 전") does neither, so for Korean these functions write
the forms themselves; every other language gets Django's own timesince and
naturaltime ("3 seconds ago").
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language

# (with a final consonant, without one); either order is accepted from callers.
PAIRS: dict[str, tuple[str, str]] = {
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "은/는": ("은", "는"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이나/나": ("이나", "나"),
    "이라/라": ("이라", "라"),
    "이에요/예요": ("이에요", "예요"),
}
for _with, _without in list(PAIRS.values()):
    PAIRS[f"{_without}/{_with}"] = (_with, _without)

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
FINAL_RIEUL = 8  # ㄹ's index among the 28 finals (0 = none)
NO_FINAL, RIEUL, OTHER_FINAL = "none", "rieul", "other"

# How each digit is read on its own (일, 이, 삼, 사, 오, 육, 칠, 팔, 구; 0 영/공).
DIGIT_FINAL = {
    "0": OTHER_FINAL, "1": RIEUL, "2": NO_FINAL, "3": OTHER_FINAL, "4": NO_FINAL,
    "5": NO_FINAL, "6": OTHER_FINAL, "7": RIEUL, "8": RIEUL, "9": NO_FINAL,
}
# A number ending in zeros is read up to its last unit: 십, 백, 천, 만, 억, 조, 경.
ZEROS_FINAL = [
    (1, OTHER_FINAL), (2, OTHER_FINAL), (3, OTHER_FINAL), (4, OTHER_FINAL),
    (8, OTHER_FINAL), (12, NO_FINAL), (16, OTHER_FINAL),
]
# Latin letters by their Korean names: L 엘, M 엠, N 엔, R 알 end in a consonant.
LETTER_FINAL = {"L": RIEUL, "R": RIEUL, "M": OTHER_FINAL, "N": OTHER_FINAL}

_TRAILING_SKIP = re.compile(r"[\s\"'“”‘’()\[\]{}<>「」『』〈〉《》.,!?~·…:;/\\-]+$")
_NUMBER_END = re.compile(r"(\d[\d,]*)(?:\.(\d+))?$")
_LATIN_END = re.compile(r"[A-Za-z]+$")


def _number_final(integer: str, fraction: str | None) -> str:
    if fraction:  # 삼 점 일사: each digit after the point is read on its own
        return DIGIT_FINAL[fraction[-1]]
    digits = integer.replace(",", "")
    stripped = digits.rstrip("0")
    if not stripped:  # 0, 00: 영
        return OTHER_FINAL
    zeros = len(digits) - len(stripped)
    if zeros == 0:
        return DIGIT_FINAL[digits[-1]]
    final = NO_FINAL
    for at_least, unit_final in ZEROS_FINAL:
        if zeros >= at_least:
            final = unit_final
    return final


def _latin_final(word: str) -> str:
    if word.isupper() or len(word) == 1:  # an acronym, read letter by letter
        return LETTER_FINAL.get(word[-1].upper(), NO_FINAL)
    lower = word.lower()  # a word, read as Korean writes loanwords
    if lower.endswith(("l", "le")):  # Excel 엑셀, Google 구글
        return RIEUL
    if lower.endswith(("m", "n", "me", "ne", "ck")):  # Zoom 줌, Chrome 크롬, iPhone 아이폰, Pack 팩
        return OTHER_FINAL
    if len(lower) > 1 and lower[-1] in "bcdgkpt" and lower[-2] in "aeiou":
        return OTHER_FINAL  # Outlook 아웃룩, Mac 맥, Web 웹, Laptop 랩톱, Internet 인터넷
    return NO_FINAL  # Windows 윈도우즈, Office 오피스, Desk 데스크, Light 라이트


def final_sound(word: object) -> str | None:
    """How `word` ends when read aloud: "none", "rieul", "other"; None when unreadable."""
    text = _TRAILING_SKIP.sub("", str(word or ""))
    if not text:
        return None
    last = text[-1]
    if HANGUL_FIRST <= ord(last) <= HANGUL_LAST:
        final = (ord(last) - HANGUL_FIRST) % 28
        return NO_FINAL if final == 0 else RIEUL if final == FINAL_RIEUL else OTHER_FINAL
    if number := _NUMBER_END.search(text):
        return _number_final(number.group(1), number.group(2))
    if latin := _LATIN_END.search(text):
        return _latin_final(latin.group(0))
    return None


def particle(word: object, pair: str) -> str:
    """The particle of `pair` ("이/가", "을/를", "은/는", "와/과", "으로/로"…) that follows `word`."""
    try:
        with_final, without_final = PAIRS[pair]
    except KeyError:
        raise ValueError(f"Unknown particle pair: {pair!r}") from None
    final = final_sound(word)
    if final is None:  # unreadable: the hedged form a reader still understands, "이(가)", "(으)로"
        if len(with_final) > len(without_final) and with_final.endswith(without_final):
            return f"({with_final[: -len(without_final)]}){without_final}"
        return f"{with_final}({without_final})"
    if with_final.startswith("으로"):
        return without_final if final in (NO_FINAL, RIEUL) else with_final
    return without_final if final == NO_FINAL else with_final


def josa(word: object, pair: str) -> str:
    """`word` followed by the right particle: josa("요청 #25", "이/가") == "요청 #25가"."""
    return f"{word}{particle(word, pair)}"


def is_korean() -> bool:
    return (get_language() or "").split("-")[0] == "ko"


def josa_if_korean(word: object, pair: str) -> str:
    """`word` with its particle while Korean is active, `word` alone otherwise.

    For a placeholder that carries its particle into a message: the English
    sentence takes the bare word, the Korean one reads "요청 #25가 …".
    """
    return josa(word, pair) if is_korean() else str(word)


# --- Relative times and durations -------------------------------------------

KO_UNITS = [("년", 365 * 86400), ("개월", 30 * 86400), ("주", 7 * 86400), ("일", 86400), ("시간", 3600), ("분", 60)]


def _korean_span(seconds: int, depth: int) -> str:
    """"2일 19시간": the largest unit and the next ones (up to `depth`), none skipped over."""
    if seconds < 60:
        return f"{seconds}초"
    parts: list[str] = []
    rest = seconds
    for index, (unit, size) in enumerate(KO_UNITS):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count}{unit}")
            # Like Django's timesince: only adjacent units, never "1년 3분".
            for next_unit, next_size in KO_UNITS[index + 1 : index + depth]:
                count, rest = divmod(rest, next_size)
                if not count:
                    break
                parts.append(f"{count}{next_unit}")
            break
    return " ".join(parts)


def duration_text(span: timedelta | None, *, depth: int = 2) -> str:
    """A span as people say it: "2일 19시간" in Korean, "2 days, 19 hours" otherwise; sign dropped."""
    if span is None:
        return ""
    seconds = abs(int(span.total_seconds()))
    if is_korean():
        return _korean_span(seconds, depth)
    now = timezone.now()
    return timesince(now - timedelta(seconds=seconds), now, depth=depth)


def time_ago(moment: datetime | None, *, now: datetime | None = None) -> str:
    """How long ago (or how soon) `moment` is: "3초 전", "2일 19시간 전", "5분 후";
    "3 seconds ago" in English. Seconds under a minute, minutes under an hour,
    hours under a day, then two units, as Django's naturaltime does."""
    if moment is None:
        return ""
    if not is_korean():
        return naturaltime(moment) if now is None else _naturaltime_at(moment, now)
    now = now or timezone.now()
    seconds = int((now - moment).total_seconds())
    suffix = "전" if seconds >= 0 else "후"
    seconds = abs(seconds)
    if seconds == 0:
        return "방금"
    if seconds < 3600:
        text = f"{seconds}초" if seconds < 60 else f"{seconds // 60}분"
    elif seconds < 86400:
        text = f"{seconds // 3600}시간"
    else:
        text = _korean_span(seconds, 2)
    return f"{text} {suffix}"


def _naturaltime_at(moment: datetime, now: datetime) -> str:
    # naturaltime reads the clock itself; tests and callers with a clock of their own shift it.
    return naturaltime(timezone.now() - (now - moment))
