"""MT3: the fault category's symptom questions and the customer's answers are shown
to the agent and the engineer, and the agent can complete them during the call."""
from __future__ import annotations

import pytest
from django.urls import reverse

from desk.services import symptom_answers_record
from helpdesk.core.errors import ActionRefused
from tests import factories as f
from tests.desk.helpers import phone_fault_make
from tickets.models import SymptomQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(org):
    """The category's yes/no question (required), plus a choice and a free-text one."""
    power = org.category.questions.get()
    beeps = f.SymptomQuestionFactory(
        category=org.category, text="부팅 시 삐 소리가 납니까?", text_en="Any beeps at start?",
        answer_type=SymptomQuestion.AnswerType.CHOICE, choices="없음|한 번|여러 번", required=False, order=2,
    )
    since = f.SymptomQuestionFactory(
        category=org.category, text="언제부터입니까?", text_en="Since when?",
        answer_type=SymptomQuestion.AnswerType.TEXT, required=False, order=3,
    )
    return power, beeps, since


@pytest.fixture
def fault(org, frozen, questions):
    return phone_fault_make(org, assignee=org.engineer)


def test_mt3_the_agent_completes_the_answers_and_they_are_kept_with_the_question(org, fault, questions):
    power, beeps, since = questions
    ticket = symptom_answers_record(ticket=fault, actor=org.desk_agent, answers={power.pk: "no", beeps.pk: "여러 번"})
    assert ticket.symptom_answers == [
        {"question_id": power.pk, "question": power.text, "answer": "no"},
        {"question_id": beeps.pk, "question": beeps.text, "answer": "여러 번"},
    ]
    # A blank leaves the earlier answer; a new answer replaces it.
    ticket = symptom_answers_record(ticket=fault, actor=org.engineer, answers={power.pk: "", beeps.pk: "한 번", since.pk: "어제 오후"})
    assert [a["answer"] for a in ticket.symptom_answers] == ["no", "한 번", "어제 오후"]
    events = fault.events.filter(kind="symptoms_recorded").order_by("pk")
    assert [(e.is_public, e.data["count"]) for e in events] == [(False, 2), (False, 2)]


def test_mt3_saving_the_same_answers_again_writes_nothing(org, fault, questions):
    power, _beeps, _since = questions
    symptom_answers_record(ticket=fault, actor=org.desk_agent, answers={power.pk: "yes"})
    symptom_answers_record(ticket=fault, actor=org.desk_agent, answers={power.pk: "yes"})
    assert fault.events.filter(kind="symptoms_recorded").count() == 1


@pytest.mark.parametrize(
    ("which", "value"),
    [(0, "maybe"), (1, "세 번"), (2, "x" * 501)],
)
def test_mt3_an_answer_that_does_not_fit_the_question_is_refused(org, fault, questions, which, value):
    power = questions[0]
    question = questions[which]
    answers = {power.pk: "yes", question.pk: value} if which else {question.pk: value}
    with pytest.raises(ActionRefused) as refused:
        symptom_answers_record(ticket=fault, actor=org.desk_agent, answers=answers)
    assert refused.value.field == f"q_{question.pk}"
    fault.refresh_from_db()
    assert fault.symptom_answers == []


def test_mt3_a_required_question_must_be_answered(org, fault, questions):
    _power, beeps, _since = questions
    with pytest.raises(ActionRefused) as refused:
        symptom_answers_record(ticket=fault, actor=org.desk_agent, answers={beeps.pk: "없음"})
    assert refused.value.field == f"q_{questions[0].pk}"


def test_mt3_questions_of_another_category_or_no_category_are_refused(org, fault, frozen):
    other = f.SymptomQuestionFactory()
    with pytest.raises(ActionRefused):
        symptom_answers_record(ticket=fault, actor=org.desk_agent, answers={other.pk: "yes"})
    no_category = phone_fault_make(org, category=None)
    with pytest.raises(ActionRefused):
        symptom_answers_record(ticket=no_category, actor=org.desk_agent, answers={})
    with pytest.raises(ActionRefused):
        symptom_answers_record(ticket=fault, actor=org.customer, answers={})


def test_the_panel_shows_the_questions_with_the_answers_given_and_saves_new_ones(org, fault, questions, client_for):
    power, beeps, _since = questions
    symptom_answers_record(ticket=fault, actor=org.desk_agent, answers={power.pk: "yes"})
    client = client_for(org.engineer)
    page = client.get(reverse("desk:ticket_gates", args=[fault.pk])).content.decode()
    assert power.text in page and beeps.text in page
    assert f'name="q_{power.pk}" value="yes"' in page and "checked" in page.split(f'name="q_{power.pk}" value="yes"')[1][:40]
    response = client.post(
        reverse("desk:symptoms_record", args=[fault.pk]), {f"q_{power.pk}": "yes", f"q_{beeps.pk}": "한 번"}
    )
    assert response.status_code == 302
    fault.refresh_from_db()
    assert [a["answer"] for a in fault.symptom_answers] == ["yes", "한 번"]


def test_a_bad_choice_on_the_panel_keeps_the_other_answers(org, fault, questions, client_for):
    power, beeps, since = questions
    response = client_for(org.desk_agent).post(
        reverse("desk:symptoms_record", args=[fault.pk]),
        {f"q_{power.pk}": "yes", f"q_{beeps.pk}": "열 번", f"q_{since.pk}": "지난주"},
    )
    assert response.status_code == 400
    assert 'value="지난주"' in response.content.decode()
    fault.refresh_from_db()
    assert fault.symptom_answers == []
