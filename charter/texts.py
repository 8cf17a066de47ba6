"""The charter's own text, shown as published (Korean original, English reading)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TEXT_DIR = Path(__file__).resolve().parent / "texts"
BULLET = "•"


@dataclass(frozen=True)
class CharterLine:
    kind: str  # "heading", "paragraph" or "bullet"
    text: str


@lru_cache(maxsize=4)
def charter_lines(language: str) -> tuple[CharterLine, ...]:
    path = TEXT_DIR / f"charter-{'en' if language == 'en' else 'ko'}.txt"
    lines: list[CharterLine] = []
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    for raw in raw_lines:
        text = raw.strip()
        if not text:
            continue
        if text.startswith(BULLET):
            lines.append(CharterLine("bullet", text.lstrip(BULLET).strip()))
        elif len(text) < 40 and not text.endswith((".", "다.")):
            lines.append(CharterLine("heading", text))
        else:
            lines.append(CharterLine("paragraph", text))
    # The published text repeats its title on the first lines; show it once.
    deduped = [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]
    return tuple(deduped)
