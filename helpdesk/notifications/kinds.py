"""The kinds of notice a person can reason about, and which notices each covers.

Every notice has an idempotency key `<app>:<event>:<ids>` (the staff door adds
`:u<pk>`); a kind covers a few `<app>:<event>` prefixes. People choose channels
per kind (`NoticePreference`), admins limit them per kind (`NoticeRule`), the
doors look the kind up once per call with `kind_for`.

Some prefixes serve both audiences (a visit, a reopened request: the customer
and the engineer both hear of it), so the doors ask for the kind *for an
audience*: the same `visit:` key is the customer's "Visits" and the engineer's
"Visits", two choices a person who is both can make apart.

A kind that cannot be turned off is one the charter or the work depends on
(delay notices before the deadline, deadline warnings and escalations, repeat
faults, misconduct reports). Such a kind never waits for a digest either, so a
door telling it reads no preferences at all: the deadline sweep's thousand
notices cost not one query more.
tests/notifications/test_kinds.py walks every key prefix the code uses and fails
on one no kind covers.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

STAFF = "staff"
CUSTOMER = "customer"
AUDIENCES = (STAFF, CUSTOMER)

EMAIL, SMS, KAKAO = "email", "sms", "kakao"
# In-app notices are always on: the bell is where everything can be found again.
# A customer's phone channels: KakaoTalk takes the text message's place when it
# can (helpdesk.notifications.kakao), so both are offered.
CUSTOMER_CHOICES = (EMAIL, SMS, KAKAO)

# What may be asked of a person's rights to show them a staff kind: whoever can
# receive it (an approver hears of plans, an auditor of misconduct reports).
WORK = "tickets.work_ticket"
LEAD = "tickets.lead_team"
APPROVE = "largework.approve_plan"
AUDIT = "audits.handle_case"
FILE = "tickets.file_ticket"
ANY_STAFF = (WORK, APPROVE, AUDIT)


@dataclass(frozen=True)
class Kind:
    code: str
    audience: str
    label: str | Promise
    help: str | Promise
    prefixes: tuple[str, ...]
    # The channels a notice of this kind may go by, besides the app.
    channels: tuple[str, ...] = (EMAIL,)
    may_turn_off: bool = True
    digestible: bool = False
    # Anyone holding one of these permissions may receive it (and sees it on the settings page).
    shown_to: tuple[str, ...] = (FILE,)
    # Why a kind that cannot be turned off stays on, beside its locked choices.
    always_because: str | Promise = ""

    def covers(self, key: str) -> bool:
        """Whether `key` starts with one of the prefixes, at a `:` boundary
        ("surveys:follow-up" does not cover "surveys:follow-up-done:f1")."""
        return any(key == p or key.startswith(p + ":") for p in self.prefixes)

    def match_length(self, key: str) -> int:
        return max((len(p) for p in self.prefixes if key == p or key.startswith(p + ":")), default=0)

    @property
    def reads_choices(self) -> bool:
        """Whether a door must read preferences and rules to tell it: not for a kind
        that cannot be turned off and never waits for a digest."""
        return self.may_turn_off or self.digestible


KINDS: tuple[Kind, ...] = (
    # --- customers -------------------------------------------------------------
    Kind(
        "customer.progress", CUSTOMER, _("Progress of my requests"),
        _("Who handles your request and how to reach them, messages from staff, a request handed to another "
          "team, reopened or cancelled, and a request for your consent to a repair."),
        ("tickets:handler", "tickets:comment-public", "tickets:team-moved", "tickets:reopened",
         "tickets:cancelled", "desk:consent-ask", "desk:vip-received"),
        channels=CUSTOMER_CHOICES,
    ),
    Kind(
        "customer.mail", CUSTOMER, _("Answers to my e-mails"),
        _("What became of an e-mail you sent us: the request it made or the comment it added, and why an "
          "attachment or a mail could not be taken."),
        ("conversations",), channels=CUSTOMER_CHOICES,
    ),
    Kind(
        "customer.resolved", CUSTOMER, _("Finished requests"),
        _("When the work on your request is finished, with how to reopen it."),
        ("tickets:resolved",), channels=CUSTOMER_CHOICES,
    ),
    Kind(
        "customer.delay", CUSTOMER, _("Delay notices"),
        _("When we cannot finish by the deadline we promised, we tell you before it passes, with the new "
          "deadline and the reason."),
        ("charter:delay_notice",), channels=CUSTOMER_CHOICES, may_turn_off=False,
        always_because=_("Always sent: we promised to tell you of a delay before the deadline passes."),
    ),
    Kind(
        "customer.visits", CUSTOMER, _("Visits"),
        _("An engineer's visit proposed, confirmed, moved or cancelled, and a late arrival."),
        ("visit",), channels=CUSTOMER_CHOICES,
    ),
    Kind(
        "customer.surveys", CUSTOMER, _("Satisfaction surveys"),
        _("The survey after finished work, its reminder, and what we did about a low score."),
        ("surveys:sent", "surveys:reminder", "surveys:follow-up-done"), channels=CUSTOMER_CHOICES,
    ),
    Kind(
        "customer.answers", CUSTOMER, _("Answers to my feedback and corrections"),
        _("Our answer to your suggestion or complaint, and a correction of finished work."),
        ("feedback:answered", "corrections:closed"), channels=CUSTOMER_CHOICES,
    ),
    Kind(
        "customer.large_work", CUSTOMER, _("Large-scale work in my department"),
        _("An approved work plan, each work window, and the completion report."),
        ("largework:approved-contact", "largework:report-contact", "largework:window"), channels=CUSTOMER_CHOICES,
    ),
    Kind(
        "customer.other", CUSTOMER, _("Other notices"),
        _("Anything else about your requests."),
        (), channels=CUSTOMER_CHOICES,
    ),
    # --- staff -----------------------------------------------------------------
    Kind(
        "staff.assigned", STAFF, _("Work assigned to me"),
        _("Work assigned to you or handed over to your team, and your work reopened or cancelled by the customer."),
        ("tickets:assigned", "tickets:team-moved", "tickets:reopened", "tickets:cancelled"),
        digestible=True, shown_to=(WORK,),
    ),
    Kind(
        "staff.customer_replies", STAFF, _("Customer comments and consent"),
        _("A customer's comment on your work, and a customer agreeing to a repair."),
        ("tickets:comment-customer", "desk:consent"), digestible=True, shown_to=(WORK,),
    ),
    Kind(
        "staff.deadlines", STAFF, _("Deadline warnings, breaches and escalations"),
        _("A deadline coming close or passed, and work brought to a team lead, so that no promise to a "
          "customer passes unnoticed."),
        ("charter:respond", "charter:warning", "charter:breach", "charter:escalation"),
        may_turn_off=False, shown_to=(WORK,),
        always_because=_("Always sent at once: a deadline promised to a customer must not pass unnoticed."),
    ),
    Kind(
        "staff.repeat_vip", STAFF, _("Repeat faults and VIP work"),
        _("The same fault on the same equipment again, and a VIP customer's request, for the team lead to take up."),
        ("charter:repeat_at_risk", "charter:repeat_escalated", "charter:vip_opened"),
        may_turn_off=False, shown_to=(WORK,),
        always_because=_("Always sent at once: the team lead takes these up in person."),
    ),
    Kind(
        "staff.desk", STAFF, _("Callback memos and walk-in visitors"),
        _("A callback memo for you, its reminder and an overdue one, and a visitor waiting at the desk."),
        ("desk:callback", "desk:walkin"), shown_to=(WORK,),
    ),
    Kind(
        "staff.visits", STAFF, _("Visits"),
        _("Your visits confirmed, moved or cancelled, and the reminder before you set out."),
        ("visit",), channels=(EMAIL, SMS), shown_to=(WORK,),
    ),
    Kind(
        "staff.large_work", STAFF, _("Large-scale work plans, approvals and reports"),
        _("A plan sent for approval, approved or returned, messages on it, and its completion report."),
        ("largework:submitted", "largework:approved", "largework:returned", "largework:message",
         "largework:report", "largework:report-reminder", "largework:report-late"),
        digestible=True, shown_to=(WORK, APPROVE),
    ),
    Kind(
        "staff.feedback", STAFF, _("Customer feedback, follow-ups and service training"),
        _("Feedback and commendations, low-score follow-ups, and service training assigned or due."),
        ("feedback:filed", "feedback:commended", "feedback:overdue", "feedback:training-assigned",
         "feedback:training-done", "feedback:training-overdue", "surveys:follow-up", "surveys:follow-up-late"),
        digestible=True, shown_to=(WORK,),
    ),
    Kind(
        "staff.audits", STAFF, _("Misconduct reports"),
        _("A customer's report of misconduct, for the auditors to take up at once."),
        ("audits:reported",), may_turn_off=False, shown_to=(AUDIT,),
        always_because=_("Always sent at once: every report of misconduct is taken up."),
    ),
    Kind(
        "staff.reports", STAFF, _("Monthly charter report"),
        _("Last month's charter report, once it is ready."),
        ("charter:monthly-report",), digestible=True, shown_to=(LEAD,),
    ),
    Kind(
        "staff.other", STAFF, _("Other notices"),
        _("Anything else about your work."),
        (), digestible=True, shown_to=ANY_STAFF,
    ),
)

BY_CODE: dict[str, Kind] = {k.code: k for k in KINDS}
OTHER: dict[str, Kind] = {STAFF: BY_CODE["staff.other"], CUSTOMER: BY_CODE["customer.other"]}


def _check_registry() -> None:
    # A kind that cannot be turned off is never held for a digest: the doors
    # then read no preferences for it (see `Kind.reads_choices`).
    for kind in KINDS:
        assert kind.audience in AUDIENCES, kind.code
        assert kind.may_turn_off or not kind.digestible, kind.code
        assert kind.audience == STAFF or not kind.digestible, kind.code
    assert len(BY_CODE) == len(KINDS)


_check_registry()


def kind_for(key: str, audience: str | None = None) -> Kind:
    """The kind of a notice by its key: the kind with the longest matching
    prefix, among the audience's kinds when one is given; unknown keys are
    "other" (the audience's, or the customers' when none is given)."""
    candidates = [k for k in KINDS if audience is None or k.audience == audience]
    best = max(candidates, key=lambda k: k.match_length(key), default=None)
    if best is not None and best.match_length(key) > 0:
        return best
    return OTHER[audience or CUSTOMER]


def kind_get(code: str) -> Kind | None:
    return BY_CODE.get(code)


def kinds_of(audience: str) -> list[Kind]:
    return [k for k in KINDS if k.audience == audience]


def kind_choices(kinds: Iterable[Kind] = KINDS) -> list[tuple[str, str | Promise]]:
    """(code, "audience: label") for a form's choices (the models keep the code
    without choices, so a new kind needs no migration)."""
    names = {STAFF: _("Staff"), CUSTOMER: _("Customers")}
    return [(k.code, format_lazy("{}: {}", names[k.audience], k.label)) for k in kinds]
