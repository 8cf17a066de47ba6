"""No template carries script the Content-Security-Policy would refuse: an inline
<script>, an on…= handler, a javascript: URL, htmx's hx-on or anything htmx
would have to eval, or an inline <style> element. Script lives in static files;
data for it travels in json_script (type application/json, which is data).

The scan reads every template folder of the project (templates/ and each app's
templates/), so a new template is covered the day it is written."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.services import ROOT

SKIP = {".venv", "node_modules", "staticfiles", "test-artifacts", ".git"}
TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL)
COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
RULES: list[tuple[str, re.Pattern[str]]] = [
    ("inline <script>", re.compile(r"^script$", re.IGNORECASE)),  # on the tag name, when there is no src
    ("on…= handler", re.compile(r"(?:^|\s)on[a-z]+\s*=", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"javascript\s*:", re.IGNORECASE)),
    ("hx-on", re.compile(r"(?:^|\s)(?:data-)?hx-on", re.IGNORECASE)),
    ("htmx eval (js: value)", re.compile(r"hx-(?:vals|vars|headers)\s*=\s*[\"']\s*js:", re.IGNORECASE)),
    ("htmx eval (trigger filter)", re.compile(r"hx-trigger\s*=\s*\"[^\"]*\[", re.IGNORECASE)),
    ("inline <style>", re.compile(r"^style$", re.IGNORECASE)),
]


def template_files() -> list[Path]:
    folders = [
        path for path in ROOT.rglob("templates")
        if path.is_dir() and not SKIP.intersection(path.relative_to(ROOT).parts)
    ]
    return sorted(p for folder in folders for p in folder.rglob("*") if p.suffix in (".html", ".txt"))


def inline_script_in(text: str) -> list[str]:
    """What in `text` a strict script-src (and style-src-elem) would refuse."""
    found: list[str] = []
    text = COMMENTS.sub("", text)  # a template comment is never sent to the browser
    for match in TAG.finditer(text):
        name, attributes = match.group(1), match.group(2)
        for label, rule in RULES:
            if label in ("inline <script>", "inline <style>"):
                if rule.match(name) and not re.search(r"\ssrc\s*=", attributes):
                    found.append(f"{label}: {match.group(0)[:80]}")
            elif rule.search(attributes):
                found.append(f"{label}: {match.group(0)[:80]}")
    # javascript: outside an attribute (say, in a link built by a filter) is no better.
    if not any(f.startswith("javascript") for f in found) and re.search(r"href=[\"']?\s*javascript:", text, re.I):
        found.append("javascript: URL")
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        '<select name="language" onchange="this.form.submit()">',
        "<script>window.x = 1;</script>",
        '<script type="module">import "/x.js";</script>',
        '<a href="javascript:void(0)">',
        "<button hx-on:click=\"alert(1)\">",
        "<div hx-vals='js:{a: 1}'>",
        '<input hx-trigger="keyup[key==\'Enter\']">',
        "<style>.x { color: red }</style>",
        '<body\n  onload="go()">',
    ],
)
def test_the_scan_catches(snippet: str) -> None:
    assert inline_script_in(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/dashboard.js"></script>',
        '<select name="language" data-submit-on-change>',
        '<div hx-trigger="every 60s" hx-headers=\'{"X-CSRFToken": "t"}\'>',
        '<p style="white-space: pre-wrap">{{ body }}</p>',
        '<button aria-controls="more" data-bs-toggle="collapse">',
        "<span>{% translate \"Person on=site\" %}</span>",
        "{# an old <script>alert(1)</script> #}",
    ],
)
def test_the_scan_lets_pass(snippet: str) -> None:
    assert inline_script_in(snippet) == []


def test_the_scan_reads_every_template_folder() -> None:
    files = template_files()
    folders = {p.relative_to(ROOT).parts[0] for p in files}

    assert ROOT / "templates" / "base.html" in files
    assert "templates" in folders and len(files) > 100


def test_no_template_has_inline_script() -> None:
    offences = {
        str(path.relative_to(ROOT)): found
        for path in template_files()
        if (found := inline_script_in(path.read_text(encoding="utf-8")))
    }

    assert offences == {}, "move these into static JavaScript (data through json_script)"
