"""CR3: a complaint naming an employee upheld by their own lead assigns a
service training, completed by the employee and confirmed by the lead; the
lead of another team cannot even see it (404)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from feedback.models import FeedbackEvent, TrainingAssignment
from feedback.services import complaint_decide, training_complete, training_confirm
from helpdesk.core.errors import ActionRefused
from tests.helpers.clock import NOW
from tests.helpers.outbox import outbox_keys

from .steps import TRAINING, complaint_about, upheld

pytestmark = pytest.mark.django_db


def test_the_lead_upholds_and_the_employee_is_told_of_the_training_due_in_the_standards_days(org, handled_ticket, standard):
    complaint = complaint_about(handled_ticket, org.customer)
    assignment = upheld(complaint, org.lead)
    complaint.refresh_from_db()
    assert complaint.upheld is True and complaint.decided_by == org.lead
    assert assignment.employee == org.engineer and assignment.training == TRAINING
    assert assignment.due_at == NOW + timedelta(days=standard.training_due_days)
    assert f"feedback:training-assigned:t{assignment.pk}:u{org.engineer.pk}:in_app" in outbox_keys()
    assert FeedbackEvent.objects.filter(feedback=complaint, kind="upheld", actor=org.lead).exists()


def test_upholding_needs_the_training_and_declining_needs_a_reason(org, handled_ticket):
    complaint = complaint_about(handled_ticket, org.customer)
    with pytest.raises(ActionRefused) as refused:
        complaint_decide(feedback=complaint, actor=org.lead, upheld=True, training=" ")
    assert refused.value.field == "training"
    with pytest.raises(ActionRefused) as refused:
        complaint_decide(feedback=complaint, actor=org.lead, upheld=False)
    assert refused.value.field == "reason"
    assert complaint_decide(feedback=complaint, actor=org.lead, upheld=False, reason="기록상 정상 응대") is None
    with pytest.raises(ActionRefused):  # decided once
        upheld(complaint, org.lead)
    assert not TrainingAssignment.objects.exists()


def test_the_section_chief_may_decide_but_not_the_employee_nor_another_teams_lead(org, handled_ticket, section_chief, net_lead):
    complaint = complaint_about(handled_ticket, org.customer)
    for outsider in (org.engineer, net_lead, org.desk_agent):
        with pytest.raises(ActionRefused):
            upheld(complaint, outsider)
    assert upheld(complaint, section_chief).employee == org.engineer


def test_another_teams_lead_gets_404_on_the_complaint_and_on_upholding_it(org, handled_ticket, net_lead, client_for):
    complaint = complaint_about(handled_ticket, org.customer)
    client = client_for(net_lead)
    assert client.get(reverse("feedback:staff_detail", args=[complaint.pk])).status_code == 404
    response = client.post(reverse("feedback:staff_decide", args=[complaint.pk]), {"upheld": "yes", "training": TRAINING})
    assert response.status_code == 404
    complaint.refresh_from_db()
    assert complaint.upheld is None


def test_the_employee_never_sees_the_complaint_about_himself_in_the_queue(org, handled_ticket, client_for):
    complaint = complaint_about(handled_ticket, org.customer)
    client = client_for(org.engineer)
    assert client.get(reverse("feedback:staff_detail", args=[complaint.pk])).status_code == 404
    assert "엔지니어가 설명 없이" not in client.get(reverse("feedback:queue")).content.decode()


def test_the_lead_upholds_from_the_page_and_a_missing_training_is_refused_beside_the_field(org, handled_ticket, en_client_for):
    complaint = complaint_about(handled_ticket, org.customer)
    client = en_client_for(org.lead)
    response = client.post(reverse("feedback:staff_decide", args=[complaint.pk]), {"upheld": "yes", "reason": "사실 확인됨"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say which service training the employee is to take." in html and "사실 확인됨" in html
    response = client.post(reverse("feedback:staff_decide", args=[complaint.pk]), {"upheld": "yes", "training": TRAINING})
    assert response.status_code == 302
    assert TrainingAssignment.objects.get().training == TRAINING


def test_the_employee_completes_the_lead_is_told_and_confirms(org, handled_ticket, client_for):
    assignment = upheld(complaint_about(handled_ticket, org.customer), org.lead)
    with pytest.raises(ActionRefused):
        training_confirm(assignment=assignment, actor=org.lead, note="개선됨")  # not completed yet
    mine = client_for(org.engineer).get(reverse("feedback:me"))
    assert TRAINING in mine.content.decode()
    response = client_for(org.engineer).post(reverse("feedback:training_done", args=[assignment.pk]), {"note": "사내 교육 4시간 이수"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.completed_by == org.engineer and assignment.done_note == "사내 교육 4시간 이수"
    assert f"feedback:training-done:t{assignment.pk}:u{org.lead.pk}:in_app" in outbox_keys()
    with pytest.raises(ActionRefused):
        training_confirm(assignment=assignment, actor=org.engineer, note="제가 확인")
    training_confirm(assignment=assignment, actor=org.lead, note="이후 응대 칭찬 접수")
    assignment.refresh_from_db()
    assert assignment.confirmed_by == org.lead and assignment.confirmed_at is not None
    assert TRAINING in client_for(org.lead).get(reverse("feedback:team")).content.decode()


def test_an_empty_completion_note_is_refused_on_the_page(org, handled_ticket, en_client_for):
    assignment = upheld(complaint_about(handled_ticket, org.customer), org.lead)
    response = en_client_for(org.engineer).post(reverse("feedback:training_done", args=[assignment.pk]), {"note": ""})
    assert response.status_code == 400 and "Say what training was done." in response.content.decode()


def test_someone_elses_training_is_a_404(org, handled_ticket, net_lead, client_for):
    assignment = upheld(complaint_about(handled_ticket, org.customer), org.lead)
    for outsider in (net_lead, org.other_engineer, org.customer):
        response = client_for(outsider).post(reverse("feedback:training_done", args=[assignment.pk]), {"note": "x"})
        assert response.status_code == 404
    with pytest.raises(ActionRefused):
        training_complete(assignment=assignment, actor=net_lead, note="x")
