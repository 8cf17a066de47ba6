"""BS3: where staff go to the customers' desks, each window of the approved plan
becomes a visit of the request (confirmed at once: its time was agreed with the
customer), and a plan change cancels the visits of the windows it drops."""
from __future__ import annotations

import pytest
from django.urls import reverse

from helpdesk.core.errors import ActionRefused
from largework.models import PlanWindow
from largework.services import plan_save, window_visit_book
from tests.helpers.large_work import content, windows
from visits.models import Visit, VisitState

pytestmark = pytest.mark.django_db


def plan_windows(plan):
    return list(PlanWindow.objects.filter(version=plan.current).order_by("starts_at"))


def test_each_window_gets_its_confirmed_visit(approved, org):
    first, second = plan_windows(approved)
    window_visit_book(window=first, engineer=org.engineer, actor=org.lead)
    window_visit_book(window=second, engineer=org.engineer, actor=org.lead)  # large work: a visit per window
    visits = list(Visit.objects.filter(ticket=approved.ticket).order_by("agreed_start"))
    assert [(v.state, v.agreed_start, v.engineer) for v in visits] == [
        (VisitState.CONFIRMED, first.starts_at, org.engineer),
        (VisitState.CONFIRMED, second.starts_at, org.engineer),
    ]
    first.refresh_from_db()
    assert first.visit == visits[0]
    with pytest.raises(ActionRefused, match="already has its visit"):
        window_visit_book(window=first, engineer=org.engineer, actor=org.lead)


def test_no_visit_before_approval_nor_by_someone_who_cannot_edit(plan, org):
    window = plan_windows(plan)[0]
    with pytest.raises(ActionRefused, match="approved plan"):
        window_visit_book(window=window, engineer=org.engineer, actor=org.lead)
    with pytest.raises(ActionRefused, match="owner or a team lead"):
        window_visit_book(window=window, engineer=org.engineer, actor=org.engineer)


def test_a_plan_change_cancels_the_visits_of_the_windows_it_drops(approved, org):
    first, _second = plan_windows(approved)
    window_visit_book(window=first, engineer=org.engineer, actor=org.lead)
    plan_save(plan=approved, actor=org.lead, **content(org, windows=windows(9, 10)))
    assert Visit.objects.get(ticket=approved.ticket).state == VisitState.CANCELLED


def test_the_plan_page_books_the_visit_of_a_window(approved, org, client_for):
    window = plan_windows(approved)[0]
    client = client_for(org.lead)
    page = client.get(reverse("largework:plan", args=[approved.pk])).content.decode()
    assert reverse("largework:window_visit", args=[window.pk]) in page
    response = client.post(reverse("largework:window_visit", args=[window.pk]), {"engineer": org.engineer.pk})
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.visit is not None and window.visit.engineer == org.engineer
    page = client.get(reverse("largework:plan", args=[approved.pk])).content.decode()
    assert reverse("visits:staff_visit", args=[window.visit.pk]) in page
    # Someone outside the team is not offered and not accepted.
    other = plan_windows(approved)[1]
    client.post(reverse("largework:window_visit", args=[other.pk]), {"engineer": org.other_engineer.pk})
    other.refresh_from_db()
    assert other.visit is None


def test_a_customer_cannot_book_a_window_visit(approved, org, client_for):
    window = plan_windows(approved)[0]
    response = client_for(org.customer).post(reverse("largework:window_visit", args=[window.pk]), {"engineer": org.engineer.pk})
    assert response.status_code == 404


def test_the_window_forms_carry_the_csrf_token(approved, org):
    """A browser's POST needs the token: the window forms are included `only`."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.lead)
    page = client.get(reverse("largework:plan", args=[approved.pk])).content.decode()
    forms = page.split('class="window-record')[1:] + page.split('align-items-center mt-1 window-visit')[1:]
    assert len(forms) == 4  # two windows: a record form and a visit form each
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form.split("</form>")[0]
