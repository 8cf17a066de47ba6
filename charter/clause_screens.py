"""The screens that keep the charter's promises, clause by clause, for the
charter page: each clause with the links a person may follow (a customer sees
where to speak up; staff see the queues; the auditors their cases)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audits.selectors import may_handle_cases
from helpdesk.accounts.models import User


def anyone(user: User) -> bool:
    return user.is_authenticated


def staff(user: User) -> bool:
    return user.has_perm("tickets.work_ticket")


def leads(user: User) -> bool:
    return user.has_perm("tickets.lead_team")


@dataclass(frozen=True)
class Screen:
    url_name: str
    label: Promise
    shown_to: Callable[[User], bool]


@dataclass(frozen=True)
class Clause:
    code: str
    promise: Promise
    screens: tuple[Screen, ...]


SURVEYS = Screen("surveys:mine", _("Surveys to answer"), anyone)
FEEDBACK_NEW = Screen("feedback:my_new", _("Suggestion, complaint or commendation"), anyone)
FEEDBACK_MINE = Screen("feedback:my_list", _("My feedback"), anyone)
FEEDBACK_QUEUE = Screen("feedback:queue", _("Customer feedback"), staff)

CLAUSES: tuple[Clause, ...] = (
    Clause("P1", _("We listen to the customer's voice."), (SURVEYS, FEEDBACK_NEW, FEEDBACK_QUEUE)),
    Clause(
        "P4",
        _("We prevent complaints and solve problems until the customer is satisfied."),
        (Screen("surveys:follow_ups", _("Low-score follow-ups"), leads),),
    ),
    Clause("IM2", _("We monitor customer satisfaction regularly."), (SURVEYS,)),
    Clause("CP1", _("Suggestions for improvement are reviewed and reflected."), (FEEDBACK_NEW, FEEDBACK_MINE, FEEDBACK_QUEUE)),
    Clause("CC1", _("Customers point out what is wrong and say what they want."), (FEEDBACK_NEW, FEEDBACK_MINE)),
    Clause(
        "CC3",
        _("Customers recommend kind staff."),
        (FEEDBACK_NEW, Screen("feedback:me", _("My record"), staff)),
    ),
    Clause(
        "CR1",
        _("Wrong work is re-examined and corrected before the customer asks, and the result told at once."),
        (Screen("corrections:list", _("Corrections"), leads),),
    ),
    Clause(
        "CR2",
        _("Money or favours asked in return for work are audited and strictly dealt with."),
        (
            Screen("audits:report", _("Report misconduct"), anyone),
            Screen("audits:cases", _("Misconduct audit cases"), may_handle_cases),
        ),
    ),
    Clause(
        "CR3",
        _("A complaint about unkindness or the service leads to service training for the employee."),
        (FEEDBACK_NEW, Screen("feedback:team", _("Team record"), leads)),
    ),
)


@dataclass(frozen=True)
class ClauseLinks:
    code: str
    promise: Promise
    links: list[tuple[str, Promise]]


def clause_links(user: User) -> list[ClauseLinks]:
    """Every clause with the screens this person may open (a clause none of
    whose screens they may open is still listed: the promise is public)."""
    return [
        ClauseLinks(
            clause.code,
            clause.promise,
            [(reverse(s.url_name), s.label) for s in clause.screens if s.shown_to(user)],
        )
        for clause in CLAUSES
    ]
