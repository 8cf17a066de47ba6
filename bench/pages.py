"""The `pages` scenario: server time and query count of the main pages,
in-process with Django's test client, through the full middleware stack.

Each item is a small function that picks the person and the URL a real user
would open on this data set (the customer with the most tickets, the lead of
the busiest team…) and returns a `Page`; `@page_item` registers it. Items
whose subject does not exist in the data set return None and are skipped.
Work some items need first (the scoreboard's rollup) is a `@page_setup`,
run once before the first of its items.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from helpdesk.accounts.models import Team, User
from helpdesk.accounts.roles import Role
from tickets.models import Ticket, TicketEvent

from .runner import Context, scenario, timed


@dataclass
class Page:
    user: User | None
    url: str
    headers: dict[str, str] = field(default_factory=dict)  # the API items' bearer token (bench/api_items.py)


PageItem = Callable[[], "Page | None"]
PAGE_ITEMS: dict[str, PageItem] = {}


def page_item(name: str) -> Callable[[PageItem], PageItem]:
    def register(fn: PageItem) -> PageItem:
        PAGE_ITEMS[name] = fn
        return fn

    return register


# Work some items need done before they are measured (a rollup to fill…), run
# once before the first of them; a dict it returns is printed as its own line.
PageSetup = Callable[[Context], "dict[str, Any] | None"]
PAGE_SETUPS: list[tuple[frozenset[str], PageSetup]] = []


def page_setup(*items: str) -> Callable[[PageSetup], PageSetup]:
    def register(fn: PageSetup) -> PageSetup:
        PAGE_SETUPS.append((frozenset(items), fn))
        return fn

    return register


def _person(username: str, role: str) -> User | None:
    """The demo login if present, else anyone with the role."""
    user = User.objects.filter(username=username, groups__name=role, is_active=True).first()
    return user or User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()


def desk_agent() -> User | None:
    return _person("desk", Role.DESK_AGENT)


def section_chief() -> User | None:
    return _person("chief", Role.SECTION_CHIEF)


def busiest_customer() -> User | None:
    top = (
        Ticket.objects.filter(reporter__isnull=False)
        .values("reporter")
        .annotate(n=Count("pk"))
        .order_by("-n", "reporter")
        .first()
    )
    return User.objects.get(pk=top["reporter"]) if top else None


def busiest_team() -> Team | None:
    top = (
        Ticket.objects.filter(team__lead__isnull=False)
        .values("team")
        .annotate(n=Count("pk"))
        .order_by("-n", "team")
        .first()
    )
    return Team.objects.select_related("lead").get(pk=top["team"]) if top else None


def longest_timeline(**ticket_filter: Any) -> int | None:
    top = (
        TicketEvent.objects.filter(**{f"ticket__{k}": v for k, v in ticket_filter.items()})
        .values("ticket")
        .annotate(n=Count("pk"))
        .order_by("-n", "ticket")
        .first()
    )
    return top["ticket"] if top else None


@page_item("baseline")
def baseline() -> Page | None:
    # Logged in, so the session and user lookups every page pays are counted here too.
    from .urls import BASELINE_PATH

    return Page(desk_agent(), "/" + BASELINE_PATH)


@page_item("customer_list")
def customer_list() -> Page | None:
    customer = busiest_customer()
    return Page(customer, reverse("portal:ticket_list")) if customer else None


@page_item("staff_queue")
def staff_queue() -> Page | None:
    team = busiest_team()
    return Page(team.lead, reverse("staff:queue") + "?tab=team") if team and team.lead else None


@page_item("staff_queue_all")
def staff_queue_all() -> Page | None:
    agent = desk_agent()
    return Page(agent, reverse("staff:queue") + "?tab=all") if agent else None


@page_item("ticket_page")
def ticket_page() -> Page | None:
    agent, pk = desk_agent(), longest_timeline()
    return Page(agent, reverse("staff:ticket_detail", args=[pk])) if agent and pk else None


@page_item("customer_ticket_page")
def customer_ticket_page() -> Page | None:
    pk = longest_timeline(reporter__isnull=False)
    if pk is None:
        return None
    reporter = Ticket.objects.select_related("reporter").get(pk=pk).reporter
    return Page(reporter, reverse("portal:ticket_detail", args=[pk]))


@page_setup("scoreboard", "scoreboard_year")
def scoreboard_rollup_ready(ctx: Context) -> dict[str, Any] | None:
    # The board reads only the daily rollup: fill it in over the whole data set first.
    from .scoreboard_setup import rollup_backfill

    return rollup_backfill(ctx.log)


@page_item("scoreboard")
def scoreboard() -> Page | None:
    chief = section_chief()
    return Page(chief, reverse("charter:scoreboard:board") + "?period=month") if chief else None


@page_item("scoreboard_year")
def scoreboard_year() -> Page | None:
    chief = section_chief()
    return Page(chief, reverse("charter:scoreboard:board") + "?period=year") if chief else None


def page_measure(page: Page, ctx: Context) -> dict[str, Any]:
    client = Client()
    if page.user is not None:
        client.force_login(page.user)
    status: list[int] = []

    def get() -> None:
        # secure=True: a production-like SECURE_SSL_REDIRECT must not turn every request into a redirect.
        status.append(client.get(page.url, secure=True, headers=page.headers).status_code)

    timing = timed(get, repeat=ctx.repeat, warmup=ctx.warmup)
    # Counted on a separate, warm request so recording queries never weighs on the timing.
    with CaptureQueriesContext(connection) as queries:
        get()
    return {
        "median_ms": round(timing.median_ms, 2),
        "p90_ms": round(timing.p90_ms, 2),
        "queries": len(queries.captured_queries),
        # Database share of one warm request, to tell slow SQL from slow rendering.
        "db_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 2),
        "status": status[-1],
        "repeat": ctx.repeat,
        "url": page.url,
    }


@scenario("pages")
def pages(ctx: Context) -> Iterator[dict[str, Any]]:
    hosts = list(settings.ALLOWED_HOSTS)
    if "testserver" not in hosts and "*" not in hosts:
        hosts.append("testserver")
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=hosts):
        set_up: set[int] = set()
        for name, make in PAGE_ITEMS.items():
            if not ctx.wants(name):
                continue
            for i, (items, setup) in enumerate(PAGE_SETUPS):
                if name in items and i not in set_up:
                    set_up.add(i)
                    record = setup(ctx)
                    if record is not None:
                        yield record
            page = make()
            if page is None:
                ctx.note(f"pages: {name} skipped (nothing to measure in this data set)")
                continue
            result = page_measure(page, ctx)
            if result["status"] != 200:
                ctx.note(f"pages: {name} answered {result['status']} for {page.url}")
            yield {"item": name, **result}
