from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.core.errors import ActionRefused
from tickets.uploads import upload_check


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("a.png", b"\x89PNG\r\n\x1a\n....", True),
        ("a.jpg", b"\xff\xd8\xff\xe0....", True),
        ("a.pdf", b"%PDF-1.7 ....", True),
        ("error.log", "부팅 오류 0x0000007B".encode(), True),
        ("a.png", b"<html>not a png</html>", False),
        ("a.pdf", b"MZ\x90\x00 windows exe", False),
        ("run.exe", b"MZ\x90\x00", False),
        ("page.html", b"<script>alert(1)</script>", False),
        ("noext", b"hello", False),
        ("a.txt", b"bin\x00ary", False),
        ("empty.txt", b"", False),
    ],
)
def test_upload_check(name, content, ok, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    f = SimpleUploadedFile(name, content)
    if ok:
        assert upload_check(f)
        assert f.tell() == 0  # the sniff must not consume the file
    else:
        with pytest.raises(ActionRefused):
            upload_check(f)


def test_too_large_message_names_the_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ActionRefused) as refused:
        upload_check(SimpleUploadedFile("big.txt", b"a" * 2048))
    assert "1.0" in refused.value.message and refused.value.field == "file"
