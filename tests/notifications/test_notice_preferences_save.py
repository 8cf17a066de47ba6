"""Saving a person's choices: only changes are written, each with its history
(who, when); what the person may not choose is refused and nothing is saved."""
from __future__ import annotations

import pytest

from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.choices import choices_read, kinds_shown
from helpdesk.notifications.kinds import kind_get
from helpdesk.notifications.models import NoticePreference, NoticeRule
from helpdesk.notifications.preferences import notice_preferences_save

pytestmark = pytest.mark.django_db


def test_only_what_differs_is_written_with_its_history(org):
    saved = notice_preferences_save(
        user=org.customer, actor=org.customer,
        chosen={("customer.visits", "sms"): False, ("customer.visits", "email"): True},
    )
    assert saved == 1  # e-mail was on already
    row = NoticePreference.objects.get(user=org.customer)
    assert (row.kind, row.channel, row.enabled) == ("customer.visits", "sms", False)
    assert notice_preferences_save(user=org.customer, actor=org.customer, chosen={("customer.visits", "sms"): False}) == 0

    assert notice_preferences_save(user=org.customer, actor=org.admin, chosen={("customer.visits", "sms"): True}) == 1
    history = list(row.history.order_by("history_date").values_list("history_type", "enabled", "history_user_id"))
    assert history == [("+", False, org.customer.pk), ("~", True, org.admin.pk)]


def test_the_digest_is_off_until_chosen_and_is_staffs_only(org):
    assert notice_preferences_save(user=org.engineer, actor=org.engineer, chosen={}, digest=False) == 0
    assert notice_preferences_save(user=org.engineer, actor=org.engineer, chosen={}, digest=True) == 1
    choices = choices_read(kinds=[kind_get("staff.assigned")], user_ids=[org.engineer.pk])
    assert choices.digest_on(org.engineer.pk) and choices.digests(org.engineer.pk, kind_get("staff.assigned"))
    assert not choices.digests(org.engineer.pk, kind_get("staff.visits"))
    with pytest.raises(ActionRefused, match="staff e-mail"):
        notice_preferences_save(user=org.customer, actor=org.customer, chosen={}, digest=True)


@pytest.mark.parametrize(
    ("who", "kind", "channel", "message"),
    [
        ("customer", "staff.assigned", "email", "not one you receive"),  # a customer never has staff kinds
        ("customer", "no.such", "email", "not one you receive"),
        ("customer", "customer.delay", "sms", "always sent"),  # the charter's promise
        ("engineer", "staff.deadlines", "email", "always sent"),
        ("engineer", "staff.assigned", "sms", "not sent by that channel"),  # staff assignments are e-mail only
        ("engineer", "customer.visits", "in_app", "not sent by that channel"),  # the app is always on
    ],
)
def test_a_choice_the_person_cannot_make_is_refused_and_nothing_is_saved(org, who, kind, channel, message):
    person = getattr(org, who)
    with pytest.raises(ActionRefused, match=message):
        notice_preferences_save(
            user=person, actor=person, chosen={("customer.visits", "email"): False, (kind, channel): False}
        )
    assert not NoticePreference.objects.exists()


def test_the_admins_lock_and_their_channels_are_refused_too(org):
    NoticeRule.objects.create(kind="customer.surveys", may_turn_off=False)
    NoticeRule.objects.create(kind="customer.answers", sms=False)
    with pytest.raises(ActionRefused, match="always sent"):
        notice_preferences_save(user=org.customer, actor=org.customer, chosen={("customer.surveys", "email"): False})
    with pytest.raises(ActionRefused, match="not sent by that channel"):
        notice_preferences_save(user=org.customer, actor=org.customer, chosen={("customer.answers", "sms"): False})


def test_who_sees_which_kinds(org, approver, auditor, section_chief):
    def codes(person) -> set[str]:
        return {k.code for k in kinds_shown(person) if k.audience == "staff"}

    assert codes(org.customer) == set()
    assert "customer.delay" in {k.code for k in kinds_shown(org.customer)}
    assert codes(approver) == {"staff.large_work", "staff.other"}
    assert codes(auditor) == {"staff.audits", "staff.other"}
    assert "staff.reports" in codes(section_chief) and "staff.reports" not in codes(org.engineer)
    assert {"staff.deadlines", "staff.assigned", "staff.visits"} <= codes(org.engineer)
