"""Feedback made through the real services, for the folder's tests."""
from __future__ import annotations

from feedback.models import Feedback, FeedbackKind, TrainingAssignment
from feedback.services import complaint_decide, feedback_file

COMPLAINT = "엔지니어가 설명 없이 돌아갔습니다."
TRAINING = "고객 응대 예절 교육"


def complaint_about(ticket, customer, **extra) -> Feedback:
    """The customer's complaint about their request (which names its handler)."""
    return feedback_file(actor=customer, kind=FeedbackKind.COMPLAINT, body=COMPLAINT, ticket=ticket, **extra)


def upheld(feedback: Feedback, lead) -> TrainingAssignment:
    assignment = complaint_decide(feedback=feedback, actor=lead, upheld=True, training=TRAINING)
    assert assignment is not None
    return assignment
