"""MT6 in one tap: "all OK" marks every checklist item OK, except the items the
engineer marked otherwise first; then the sign-off opens, with the signer's name
already the customer's."""
from __future__ import annotations

import pytest
from django.urls import reverse

from helpdesk.core.errors import ActionRefused
from visits import services
from visits.models import ChecklistMark, VisitEvent, VisitState

pytestmark = pytest.mark.django_db


def entries_of(visit):
    return list(visit.checklist_entries.select_related("item").order_by("item__order", "item_id"))


def test_all_ok_marks_every_item_in_one_step_with_one_event(checked_in, org):
    services.visit_checklist_all_ok(visit=checked_in, actor=org.engineer)
    entries = entries_of(checked_in)
    assert len(entries) == 10
    assert {e.mark for e in entries} == {ChecklistMark.OK}
    assert {e.marked_by for e in entries} == {org.engineer}
    event = VisitEvent.objects.get(visit=checked_in, kind=VisitEvent.Kind.CHECKLIST)
    assert event.data == {"changed": 10, "open": 0, "all_ok": True, "exceptions": 0}
    assert services.checklist_problems(entries) == []


def test_the_exceptions_keep_their_mark_and_note_and_the_rest_are_ok(checked_in, org):
    entries = entries_of(checked_in)
    fixed, not_applicable = entries[3], entries[7]
    services.visit_checklist_all_ok(
        visit=checked_in,
        actor=org.engineer,
        exceptions={
            fixed.item_id: (ChecklistMark.FIXED, "메모리 재장착"),
            not_applicable.item_id: (ChecklistMark.NOT_APPLICABLE, "프린터 없음"),
            entries[0].item_id: ("", ""),  # left blank: OK like the rest
        },
    )
    marks = {e.item_id: (e.mark, e.note) for e in entries_of(checked_in)}
    assert marks[fixed.item_id] == (ChecklistMark.FIXED, "메모리 재장착")
    assert marks[not_applicable.item_id][0] == ChecklistMark.NOT_APPLICABLE
    assert sum(1 for mark, _note in marks.values() if mark == ChecklistMark.OK) == 8
    assert VisitEvent.objects.get(visit=checked_in, kind=VisitEvent.Kind.CHECKLIST).data["exceptions"] == 2


def test_an_exception_saved_earlier_stays_one(checked_in, org):
    entries = entries_of(checked_in)
    services.visit_checklist_fill(
        visit=checked_in, actor=org.engineer, marks={entries[2].item_id: (ChecklistMark.FIXED, "팬 청소")}
    )
    services.visit_checklist_all_ok(visit=checked_in, actor=org.engineer)
    marks = {e.item_id: (e.mark, e.note) for e in entries_of(checked_in)}
    assert marks[entries[2].item_id] == (ChecklistMark.FIXED, "팬 청소")
    assert [m for m, _n in marks.values()].count(ChecklistMark.OK) == 9


def test_a_fixed_item_without_its_note_refuses_the_whole_step(checked_in, org):
    entries = entries_of(checked_in)
    with pytest.raises(ActionRefused) as refused:
        services.visit_checklist_all_ok(
            visit=checked_in, actor=org.engineer, exceptions={entries[3].item_id: (ChecklistMark.FIXED, "")}
        )
    assert refused.value.field == f"note_{entries[3].item_id}"
    assert not checked_in.checklist_entries.exclude(mark="").exists()
    assert not VisitEvent.objects.filter(visit=checked_in, kind=VisitEvent.Kind.CHECKLIST).exists()


def test_all_ok_only_on_site_and_only_for_the_people_on_the_visit(confirmed, checked_in, org):
    with pytest.raises(ActionRefused):
        services.visit_checklist_all_ok(visit=checked_in, actor=org.other_engineer)
    assert not checked_in.checklist_entries.exclude(mark="").exists()


def test_all_ok_before_check_in_is_refused(confirmed, org):
    with pytest.raises(ActionRefused):
        services.visit_checklist_all_ok(visit=confirmed, actor=org.engineer)
    assert confirmed.state == VisitState.CONFIRMED


def test_tapping_all_ok_saves_and_opens_the_sign_off_with_the_customers_name(checked_in, org, client_for):
    client = client_for(org.engineer)
    entries = entries_of(checked_in)
    data = {"all_ok": "1", f"mark_{entries[3].item_id}": "fixed", f"note_{entries[3].item_id}": "메모리 재장착"}
    response = client.post(reverse("visits:checklist", args=[checked_in.pk]), data)
    card = reverse("visits:staff_visit", args=[checked_in.pk])
    assert response.status_code == 302 and response["Location"] == f"{card}?open=resolve#resolve"
    assert [e.mark for e in entries_of(checked_in)].count(ChecklistMark.OK) == 9

    page = client.get(response["Location"])
    html = page.content.decode()
    assert '<details class="mb-2" open id="resolve">' in html
    # SV6: the signer is the customer who reported it, already written in.
    assert page.context["resolve_form"]["signoff_name"].value() == checked_in.ticket.reporter_name
    assert f'value="{checked_in.ticket.reporter_name}"' in html


def test_the_all_ok_button_sits_outside_the_item_form_and_submits_it(checked_in, org, client_for):
    html = client_for(org.engineer).get(reverse("visits:staff_visit", args=[checked_in.pk])).content.decode()
    button = html.index('id="all-ok-button"')
    form = html.index('id="checklist-form"')
    # Above the items, tied to their form (so the form's own "save" stays the form's first button).
    assert button < form
    assert 'form="checklist-form" name="all_ok" value="1"' in html


def test_a_refused_all_ok_shows_the_item_that_needs_a_note(checked_in, org, client_for):
    entries = entries_of(checked_in)
    response = client_for(org.engineer).post(
        reverse("visits:checklist", args=[checked_in.pk]), {"all_ok": "1", f"mark_{entries[3].item_id}": "fixed"}
    )
    assert response.status_code == 200
    assert f"note_{entries[3].item_id}" in response.context["checklist_form"].errors
    assert not checked_in.checklist_entries.exclude(mark="").exists()
