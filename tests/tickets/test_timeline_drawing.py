"""The timeline drawn in Python (ticket_tags.timeline_items): what people typed
is escaped, files link to the permission-checked download, notes and internal
marks show, and the customer's page shows only what is public."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets import services


@pytest.fixture
def ticket(org):
    return services.ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="화면 깜빡임", asset=org.asset,
    )


def test_the_staff_timeline_escapes_and_links(org, ticket, client_for):
    services.comment_add(
        ticket=ticket, author=org.engineer, body="<b>굵게</b> & 확인", is_public=True,
        attachments=[SimpleUploadedFile("<사진>.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2048)],
    )
    services.comment_add(ticket=ticket, author=org.engineer, body="내부 확인 사항", is_public=False)
    services.ticket_transition(ticket=ticket, action="cancel_staff", actor=org.engineer, note="<i>중복</i> 접수")
    html = client_for(org.engineer).get(reverse("staff:ticket_detail", args=[ticket.pk])).content.decode()
    timeline = html.split('id="timeline"')[1].split("</ol>")[0]
    assert "&lt;b&gt;굵게&lt;/b&gt; &amp; 확인" in timeline and "<b>" not in timeline
    attachment = ticket.attachments.get()
    assert f'href="{reverse("attachment_download", args=[attachment.pk])}"' in timeline
    assert "&lt;사진&gt;.png" in timeline and "2.0\xa0KB" in timeline
    assert "&lt;i&gt;중복&lt;/i&gt; 접수" in timeline  # the reason given
    assert timeline.count('class="internal"') >= 1 and "내부 확인 사항" in timeline
    assert org.engineer.display_name in timeline


def test_the_customers_timeline_has_no_internal_entry(org, ticket, client_for):
    services.comment_add(ticket=ticket, author=org.engineer, body="고객에게 보이는 답변", is_public=True)
    services.comment_add(ticket=ticket, author=org.engineer, body="내부 확인 사항", is_public=False)
    html = client_for(org.customer).get(reverse("portal:ticket_detail", args=[ticket.pk])).content.decode()
    assert "고객에게 보이는 답변" in html and "내부 확인 사항" not in html
    assert 'class="internal"' not in html
