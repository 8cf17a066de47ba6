"""The scoreboard's rows: one `Measure` per promise measured (IM1).

A measure reads counters of the daily rollup (`ScoreDay`) and turns them into
a figure: a share of rows that kept the promise, a count, a wait in minutes or
a mean score. Its target comes from the service standard in force when the
period ended (`StandardVersion.target_*`): a percentage or a mean is met at or
above the target, a count or a wait at or below it. A measure with nothing to
count in the period has no figure ("no data"), never a 0 % that would mean
"everyone failed".
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from standards.models import StandardVersion

Kind = Literal["rate", "count", "median", "p90", "mean"]

# The rollup's integer counters (ScoreDay columns), in the order the charter lists them.
COUNTERS: tuple[str, ...] = (
    "mt1_done", "mt1_on_time", "mt1_notices", "mt1_notices_in_advance",
    "ph1_calls", "ph1_in_time", "ph3_due", "ph3_on_time",
    "ov4_served", "sv1_started", "sv1_on_time", "sv4_unannounced",
    "mt2_first", "mt2_fixed", "mt4_repairs", "mt4_consented",
    "mt5_decided", "mt5_stopped", "mt5_resolved", "mt5_joint", "mt8_visits", "mt8_with_lead",
    "bs1_done", "bs1_on_time", "bs2_windows", "bs2_approved", "bs4_due", "bs4_on_time",
    "cr1_opened", "cr1_closed", "cr3_due", "cr3_on_time",
    "im2_sent", "im2_answered", "im2_score_sum", "cp1_due", "cp1_on_time",
)
# Walk-in waits per whole minute (rounded up), {"3": 12, …}: medians cannot be summed, histograms can.
WAIT_HISTOGRAM = "ov4_wait_minutes"


@dataclass(frozen=True)
class Measure:
    key: str
    clause: str
    label: Promise
    kind: Kind
    source: str  # charter.scoreboard.sources.SOURCES: the rows behind the figure
    total: str  # the counter of rows in the period
    hits: str | None = None  # rate: the rows that kept the promise; mean: the sum of scores
    target_field: str | None = None
    per_engineer: bool = True
    unit: Promise = _("cases")
    # For a count: what a row of its list is ("late arrivals"). For a rate: what was judged.
    note: Promise | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.kind in ("rate", "mean")

    def target(self, standard: StandardVersion | None) -> Decimal | None:
        if standard is None or self.target_field is None:
            return None
        value = getattr(standard, self.target_field, None)
        return None if value is None else Decimal(value)


MEASURES: tuple[Measure, ...] = (
    Measure(
        "mt1_on_time", "MT1", _("Work finished within its deadline"), "rate", "mt1_done", "mt1_done", "mt1_on_time",
        "target_mt1_on_time", unit=_("finished"),
        note=_("A delay announced in time moves the deadline; a notice filed after it had passed does not."),
    ),
    Measure(
        "mt1_notice", "MT1", _("Delays announced before the deadline"), "rate", "mt1_notices", "mt1_notices",
        "mt1_notices_in_advance", "target_mt1_notice", unit=_("delay notices"),
        note=_("A notice filed after the deadline counts against."),
    ),
    Measure(
        "ph1_answered", "PH1", _("Calls answered before the third ring"), "rate", "ph1_calls", "ph1_calls", "ph1_in_time",
        "target_ph1_answered", unit=_("calls"),
    ),
    Measure(
        "ph3_callbacks", "PH3", _("Callbacks made by their due time"), "rate", "ph3_callbacks", "ph3_due", "ph3_on_time",
        "target_ph3_callbacks", unit=_("callback memos"),
    ),
    Measure(
        "ov4_median", "OV4", _("Walk-in wait, median"), "median", "ov4_walk_ins", "ov4_served", None,
        "target_ov4_median", unit=_("visitors"),
    ),
    Measure(
        "ov4_p90", "OV4", _("Walk-in wait, 90th percentile"), "p90", "ov4_walk_ins", "ov4_served", None,
        "target_ov4_p90", unit=_("visitors"),
    ),
    Measure(
        "sv1_on_time", "SV1", _("Visits started at the agreed time"), "rate", "sv1_visits", "sv1_started", "sv1_on_time",
        "target_sv1_on_time", unit=_("visits"),
    ),
    Measure(
        "sv4_unannounced", "SV4", _("Late arrivals without notice"), "count", "sv4_unannounced", "sv4_unannounced", None,
        "target_sv4_unannounced", unit=_("visits"),
    ),
    Measure(
        "mt2_first_visit", "MT2", _("Resolved at the first visit"), "rate", "mt2_first_visits", "mt2_first", "mt2_fixed",
        "target_mt2_first_visit", unit=_("first visits"),
    ),
    Measure(
        "mt4_consent", "MT4", _("Repairs started with the customer's consent"), "rate", "mt4_repairs", "mt4_repairs",
        "mt4_consented", "target_mt4_consent", unit=_("repairs"),
    ),
    Measure(
        "mt5_stopped", "MT5", _("Repeat faults stopped before the threshold"), "rate", "mt5_decided", "mt5_decided",
        "mt5_stopped", "target_mt5_stopped", per_engineer=False, unit=_("repeat faults"),
    ),
    Measure(
        "mt5_joint", "MT5", _("Escalated repeat faults fixed with a joint visit"), "rate", "mt5_resolved", "mt5_resolved",
        "mt5_joint", "target_mt5_joint", per_engineer=False, unit=_("repeat faults"),
    ),
    Measure(
        "mt8_lead", "MT8", _("VIP visits led or joined by a team lead"), "rate", "mt8_vip_visits", "mt8_visits",
        "mt8_with_lead", "target_mt8_lead", unit=_("visits"),
    ),
    Measure(
        "bs1_on_time", "BS1", _("Support finished by the requested time"), "rate", "bs1_support", "bs1_done", "bs1_on_time",
        "target_bs1_on_time", unit=_("support requests"),
    ),
    Measure(
        "bs2_approved", "BS2", _("Large-scale work done under an approved plan"), "rate", "bs2_windows", "bs2_windows",
        "bs2_approved", "target_bs2_approved", unit=_("work windows"),
    ),
    Measure(
        "bs4_reports", "BS4", _("Completion reports submitted on time"), "rate", "bs4_reports", "bs4_due", "bs4_on_time",
        "target_bs4_reports", unit=_("reports due"),
    ),
    Measure(
        "cr1_corrections", "CR1", _("Corrections opened"), "count", "cr1_opened", "cr1_opened", None, None,
        unit=_("corrections"), note=_("Counted, with no target: a correction is a promise kept, not a failure."),
    ),
    Measure(
        "cr3_trainings", "CR3", _("Service trainings completed on time"), "rate", "cr3_trainings", "cr3_due", "cr3_on_time",
        "target_cr3_trainings", unit=_("trainings due"),
    ),
    Measure(
        "im2_response", "IM2", _("Survey response rate"), "rate", "im2_surveys", "im2_sent", "im2_answered",
        "target_im2_response", unit=_("surveys sent"),
    ),
    Measure(
        "im2_score", "IM2", _("Mean survey score (out of 5)"), "mean", "im2_surveys", "im2_answered", "im2_score_sum",
        "target_im2_score", unit=_("answers"),
    ),
    Measure(
        "cp1_answered", "CP1", _("Feedback answered on time"), "rate", "cp1_feedback", "cp1_due", "cp1_on_time",
        "target_cp1_answered", unit=_("feedback due"),
    ),
)
BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}
MEASURED_CLAUSES: frozenset[str] = frozenset(m.clause for m in MEASURES)
