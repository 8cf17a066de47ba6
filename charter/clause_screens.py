"""Every clause of the charter that the product keeps, for the charter page, in
the charter's order: the screens a person may follow (a customer sees where to
speak up; staff see the queues; the auditors their cases), and either the
scoreboard rows that measure the clause or why it has no figure.

The clauses are those of the clause list (`../shared/charter/clauses.md`)
without the H ones (human conduct: nothing for software to keep). A clause's
scoreboard rows are derived from `charter.scoreboard.measures.MEASURES` by its
code, never listed here, so a new measure appears on the charter page by
itself; a clause without one says honestly why it has no figure.

With `SCOREBOARD_PUBLIC` on, everyone (signed-out visitors too) also sees last
month's department figure next to each measured clause (`public_summary`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audits.selectors import may_handle_cases
from helpdesk.accounts.models import User

from .scoreboard.measures import MEASURES, Measure
from .scoreboard.periods import last_month
from .scoreboard.rollup import local_today
from .scoreboard.selectors import Board, Row, Scope, board_for, may_view_board

BOARD_URL_NAME = "charter:scoreboard:board"


def everyone(user: User) -> bool:
    return True


def anyone(user: User) -> bool:
    return user.is_authenticated


def filers(user: User) -> bool:
    return user.has_perm("tickets.file_ticket")


def staff(user: User) -> bool:
    return user.has_perm("tickets.work_ticket")


def desk_agents(user: User) -> bool:
    return user.has_perm("tickets.intake_ticket")


def leads(user: User) -> bool:
    return user.has_perm("tickets.lead_team")


def approvers(user: User) -> bool:
    return user.has_perm("largework.approve_plan")


@dataclass(frozen=True)
class Screen:
    url_name: str
    label: Promise
    shown_to: Callable[[User], bool]


@dataclass(frozen=True)
class Clause:
    code: str
    promise: Promise
    screens: tuple[Screen, ...] = ()
    # Why the clause has no figure on the scoreboard; None when MEASURES measures it.
    reason: Promise | None = None
    # IM1: the clause is the scoreboard itself, linked whole rather than row by row.
    is_board: bool = False

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for m in MEASURES if m.clause == self.code)


# Labels are the menu's own words (templates/base.html), so a screen reads the same everywhere.
SURVEYS = Screen("surveys:mine", _("Surveys to answer"), anyone)
FEEDBACK_NEW = Screen("feedback:my_new", _("Suggestion, complaint or commendation"), anyone)
FEEDBACK_MINE = Screen("feedback:my_list", _("My feedback"), anyone)
FEEDBACK_QUEUE = Screen("feedback:queue", _("Customer feedback"), staff)
MY_REQUESTS = Screen("portal:ticket_list", _("My requests"), anyone)
REPORT_FAULT = Screen("portal:ticket_new", _("Report a fault"), filers)
QUEUE = Screen("staff:queue", _("Work queue"), staff)
PHONE = Screen("desk:phone", _("Phone calls"), desk_agents)
CALLBACKS = Screen("desk:callbacks", _("Callbacks"), staff)
WALK_INS = Screen("desk:walk_ins", _("Walk-ins"), staff)
# Any signed-in person may open the directory (OV1: customers find their handler there).
DIRECTORY = Screen("desk:directory", _("Staff directory"), anyone)
VISITS = Screen("visits:day", _("My visits"), staff)
ESCALATED = Screen("charter:escalated", _("Escalated work"), leads)
DASHBOARD = Screen("charter:dashboard:index", _("Dashboard"), leads)
APPROVALS = Screen("largework:approvals", _("Plans to approve"), approvers)
STANDARDS = Screen("standards", _("Service performance standards"), everyone)

CLAUSES: tuple[Clause, ...] = (
    # --- Pledges (P2 is H) ---
    Clause(
        "P1",
        _("We listen to the customer's voice."),
        (SURVEYS, FEEDBACK_NEW, FEEDBACK_QUEUE),
        _("Counted where the voice arrives: survey responses and scores (IM2), feedback answered on time (CP1)."),
    ),
    Clause(
        "P3",
        _("We handle work quickly and fairly, in an efficient work system."),
        (QUEUE,),
        _(
            "Fair by construction: queues run in deadline order, then arrival, and every change is in the "
            "ticket's timeline. Its speed is counted under MT1 and BS1."
        ),
    ),
    Clause(
        "P4",
        _("We prevent complaints and solve problems until the customer is satisfied."),
        (Screen("surveys:follow_ups", _("Low-score follow-ups"), leads),),
        _(
            "Done automatically: a low survey score opens a follow-up for the team lead. "
            "Delays announced in advance, which prevent complaints, are counted under MT1."
        ),
    ),
    Clause(
        "P5",
        _("We set concrete service standards and keep them strictly."),
        (STANDARDS,),
        _("The standards themselves: every figure on the scoreboard is judged against the version in force (IM1)."),
    ),
    # --- When the customer visits our office (OV6 is H) ---
    Clause(
        "OV1",
        _("Customers can easily find the person in charge."),
        (DIRECTORY, MY_REQUESTS),
        _("The handler's name, team and phone are shown on every ticket the customer sees; nothing to count."),
    ),
    Clause(
        "OV2",
        _("The first staff member to see a visitor greets them and guides them to the person in charge."),
        (WALK_INS,),
        _("Any staff member logs the walk-in and routes it to the handler; the wait that follows is counted under OV4."),
    ),
    Clause(
        "OV3",
        _("A visitor's business comes before other work."),
        (WALK_INS, QUEUE),
        _(
            "An obligation the product enforces: walk-in work goes to the head of the handler's queue, "
            "so there is nothing to miss."
        ),
    ),
    Clause("OV4", _("Visitors never wait long."), (WALK_INS,)),
    Clause(
        "OV5",
        _("If the person in charge is busy or absent, another staff member serves the visitor."),
        (DIRECTORY, WALK_INS),
        _("Done automatically: work for an absent handler goes to the named backup, so there is nothing to miss."),
    ),
    # --- When our staff visit the customer (SV2 is H) ---
    Clause("SV1", _("Before a visit we agree the time with the customer and arrive at the agreed time."), (VISITS,)),
    Clause(
        "SV3",
        _("Visiting staff introduce themselves and work politely and quickly."),
        (VISITS, MY_REQUESTS),
        _(
            "The engineer's name, team and contact are shown in every visit notice and on the customer's "
            "ticket page; nothing to count."
        ),
    ),
    Clause("SV4", _("We keep appointment times; if a delay is unavoidable, we phone in advance."), (VISITS,)),
    Clause(
        "SV5",
        _("We follow the visited department's rules."),
        (VISITS,),
        _("Each department's visit rules are shown on the engineer's visit card; nothing to count."),
    ),
    Clause(
        "SV6",
        _("We support quickly and thank the customer after finishing."),
        (VISITS,),
        _("Done automatically: the thank-you notice goes out when a visit is completed."),
    ),
    Clause(
        "SV7",
        _("A customer's request or opinion during a visit is handled quickly."),
        (VISITS,),
        _("One step from the visit card opens the new request, which then runs to its own deadline (MT1)."),
    ),
    # --- When the customer phones (PH4 is H) ---
    Clause("PH1", _("We answer before the third ring and say our team and name."), (PHONE,)),
    Clause(
        "PH2",
        _("Whoever answers replies directly, or names the right handler and transfers the call accurately."),
        (PHONE, DIRECTORY),
        _("Transfers are recorded with the handler named; the charter sets no figure for them."),
    ),
    Clause(
        "PH3",
        _("If the handler cannot take the call, we note the matter and call back as soon as possible."),
        (CALLBACKS,),
    ),
    # --- Maintenance service ---
    Clause(
        "MT1",
        _("All work is done within its deadline; an unavoidable delay is announced in advance with its reason and new date."),
        (QUEUE, ESCALATED),
    ),
    Clause("MT2", _("Work is resolved in one visit; if more is needed, the customer is told why."), (VISITS,)),
    Clause(
        "MT3",
        _("At a fault report we confirm who is reporting and understand the symptoms."),
        (QUEUE,),
        _(
            "An obligation the product enforces: work cannot start without the identity check, "
            "so there is nothing to miss."
        ),
    ),
    Clause(
        "MT4",
        _("After diagnosis we explain the expected time and get the customer's consent before the work."),
        (QUEUE,),
    ),
    Clause(
        "MT5",
        _(
            "The same fault on the same equipment never goes beyond three times: a team lead and the engineer "
            "fix its root cause together."
        ),
        (DASHBOARD,),
    ),
    Clause(
        "MT6",
        _("The PC inspection checklist keeps the service reliable whoever the engineer is."),
        (VISITS,),
        _(
            "An obligation the product enforces: a visit cannot be completed without its checklist, "
            "so there is nothing to miss."
        ),
    ),
    Clause(
        "MT7",
        _("If the customer is absent, we phone, send a text message and leave a note with our card."),
        (VISITS,),
        _("Done automatically: the text message goes out when a visit is recorded as 'customer absent'."),
    ),
    Clause(
        "MT8",
        _("For VIP customers a section chief or team lead visits, or goes with the engineer."),
        (DASHBOARD,),
    ),
    # --- Customer business support ---
    Clause("BS1", _("Support requests are completed within the requested time."), (QUEUE,)),
    Clause(
        "BS2",
        _("Large-scale work starts only after its plan is approved by the supervising department."),
        (APPROVALS,),
    ),
    Clause(
        "BS3",
        _("Large-scale work spares the customer's schedule and closes with a written completion report."),
        (),
        _(
            "An obligation the product enforces: large-scale work cannot be closed without its completion "
            "report, so there is nothing to miss."
        ),
    ),
    Clause("BS4", _("Report submission deadlines are kept.")),
    # --- Correction and compensation ---
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
        _("Reports go to the auditors alone, as confidential cases; no figure is published."),
    ),
    Clause(
        "CR3",
        _("A complaint about unkindness or the service leads to service training for the employee."),
        (FEEDBACK_NEW, Screen("feedback:team", _("Team record"), leads)),
    ),
    # --- Improving the service ---
    Clause(
        "IM1",
        _("We check often that the promised standards are kept."),
        (DASHBOARD,),
        # Shown to whoever may not open the scoreboard; the others get the link.
        _("Kept by the charter scoreboard, for staff: every promise with a figure, by period, team and engineer."),
        is_board=True,
    ),
    Clause("IM2", _("We monitor customer satisfaction regularly."), (SURVEYS,)),
    # --- Customer participation and cooperation ---
    Clause("CP1", _("Suggestions for improvement are reviewed and reflected."), (FEEDBACK_NEW, FEEDBACK_MINE, FEEDBACK_QUEUE)),
    Clause(
        "CC1",
        _("Customers point out what is wrong and say what they want."),
        (FEEDBACK_NEW, FEEDBACK_MINE),
        _("A complaint or a wish is feedback like any other: counted as feedback answered on time (CP1)."),
    ),
    Clause(
        "CC2",
        _("Customers give their team and name so the work is handled correctly."),
        (REPORT_FAULT,),
        _(
            "An obligation the product enforces: a request cannot be filed without the reporter's department "
            "and name, so there is nothing to miss."
        ),
    ),
    Clause(
        "CC3",
        _("Customers recommend kind staff."),
        (FEEDBACK_NEW, Screen("feedback:me", _("My record"), staff)),
        _("Commendations go on the employee's record; how often customers give them is theirs to choose, so there is no target."),
    ),
    Clause(
        "CT1",
        _("The department in charge can be reached by phone and e-mail."),
        (),
        _("Shown at the foot of every page; nothing to count."),
    ),
)


# --- What a person sees -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseFigure:
    """A scoreboard row of a clause: its link for people who may open the board,
    and last month's figure when the summary is public."""

    measure: Measure
    url: str | None
    row: Row | None


@dataclass(frozen=True)
class ClauseLinks:
    code: str
    promise: Promise
    links: list[tuple[str, Promise]]
    figures: list[ClauseFigure]
    board_url: str | None  # IM1: the scoreboard itself
    reason: Promise | None


def public_summary() -> Board | None:
    """Last month's figures of the whole department for the charter page, when
    SCOREBOARD_PUBLIC makes them public; None (and nothing read) when not. The
    board costs the same few queries whatever the number of clauses and measures."""
    if not settings.SCOREBOARD_PUBLIC:
        return None
    return board_for(Scope(), last_month(local_today()))


def clause_links(user: User, summary: Board | None = None) -> list[ClauseLinks]:
    """Every clause with the screens this person may open (a clause none of
    whose screens they may open is still listed: the promise is public), its
    scoreboard rows (linked for whoever may view the board; with last month's
    figures when `summary` is given) or why it has none."""
    board = reverse(BOARD_URL_NAME) if may_view_board(user) else None
    rows = {row.key: row for row in summary.rows} if summary is not None else {}
    result = []
    for clause in CLAUSES:
        figures = [
            ClauseFigure(m, f"{board}#row-{m.key}" if board else None, rows.get(m.key)) for m in clause.measures
        ]
        board_url = board if clause.is_board else None
        result.append(
            ClauseLinks(
                code=clause.code,
                promise=clause.promise,
                links=[(reverse(s.url_name), s.label) for s in clause.screens if s.shown_to(user)],
                figures=figures,
                board_url=board_url,
                # IM1's reason stands in for the link it cannot give.
                reason=None if figures or board_url else clause.reason,
            )
        )
    return result
