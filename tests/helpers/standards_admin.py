"""The standards' admin change form as the admin submits it (standards.admin),
for the admin tests and the admin's property-based test."""
from __future__ import annotations

from typing import Any

from standards.models import StandardVersion


def form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "strftime") and hasattr(value, "hour") and not hasattr(value, "year"):
        return value.strftime("%H:%M:%S")
    return str(value)


def admin_post(version: StandardVersion, **changes: Any) -> dict[str, str]:
    """The change form as the admin would submit it, with `changes` applied.
    Keys like targets__0__resolve_hours or levels__1__value edit inline rows."""
    data: dict[str, str] = {
        "number": str(version.number),
        "label": version.label,
        "effective_from_0": version.effective_from.strftime("%Y-%m-%d"),
        "effective_from_1": version.effective_from.strftime("%H:%M:%S"),
    }
    for name in (
        "warning_percent", "callback_due_minutes", "visit_tolerance_minutes", "visit_prompt_minutes",
        "report_due_business_days", "quiet_start", "quiet_end", "repeat_window_days", "repeat_threshold",
        "day_start", "day_end", "lunch_start", "lunch_end",
        "survey_quiet_days", "survey_reminder_hours", "survey_valid_days", "low_score_threshold",
        "follow_up_due_business_days", "feedback_due_business_days", "training_due_days",
        *(f.name for f in StandardVersion._meta.fields if f.name.startswith("target_")),
    ):
        data[name] = form_value(getattr(version, name))
    targets = list(version.targets.order_by("pk"))
    levels = list(version.levels.order_by("level"))
    for prefix, rows, fields in (
        ("targets", targets, ("kind", "priority", "category", "respond_hours", "resolve_hours")),
        ("levels", levels, ("level", "trigger", "value", "notify_handler", "notify_team_lead", "notify_section_chief", "only_without_notice")),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = str(row.pk)
            data[f"{prefix}-{i}-standard"] = str(version.pk)
            for name in fields:
                value = getattr(row, f"{name}_id" if name == "category" else name)
                text = form_value(value)
                if text:
                    data[f"{prefix}-{i}-{name}"] = text
    for key, value in changes.items():
        if "__" in key:
            prefix, index, name = key.split("__")
            key = f"{prefix}-{index}-{name}"
        if value is None or value is False:
            data.pop(key, None)
        else:
            data[key] = form_value(value)
    return data
