"""Writes to the service standards: the default version, and the admin's copy and activate actions."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused

from .models import EscalationLevel, ResolutionTarget, StandardVersion
from .selectors import standards_changed
from .validation import version_problems


@transaction.atomic
def standard_activate(*, version: StandardVersion) -> StandardVersion:
    """Make `version` the one new tickets follow; tickets keep the version they have."""
    version = StandardVersion.objects.select_for_update().get(pk=version.pk)
    problems = version_problems(version)
    if problems:
        raise ActionRefused(problems[0])
    now = timezone.now()
    StandardVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(
        is_active=False, retired_at=now, updated_at=now
    )
    version.is_active = True
    version.effective_from = now
    version.retired_at = None
    version.save(update_fields=["is_active", "effective_from", "retired_at", "updated_at"])
    transaction.on_commit(standards_changed)
    return version


@transaction.atomic
def standard_copy(*, version: StandardVersion) -> StandardVersion:
    """A new inactive draft with the same numbers, to edit and then activate."""
    number = (StandardVersion.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    source_targets = list(version.targets.all())
    source_levels = list(version.levels.all())
    copy = StandardVersion.objects.get(pk=version.pk)
    copy.pk = None
    copy.id = None
    copy.number = number
    copy.label = _("Copy of %(label)s") % {"label": version.label}
    copy.is_active = False
    copy.retired_at = None
    copy.save()
    ResolutionTarget.objects.bulk_create(
        ResolutionTarget(
            standard=copy,
            kind=t.kind,
            priority=t.priority,
            category_id=t.category_id,
            respond_hours=t.respond_hours,
            resolve_hours=t.resolve_hours,
        )
        for t in source_targets
    )
    EscalationLevel.objects.bulk_create(
        EscalationLevel(
            standard=copy,
            level=lv.level,
            trigger=lv.trigger,
            value=lv.value,
            notify_handler=lv.notify_handler,
            notify_team_lead=lv.notify_team_lead,
            notify_section_chief=lv.notify_section_chief,
            only_without_notice=lv.only_without_notice,
        )
        for lv in source_levels
    )
    return copy


DEFAULT_TARGETS: tuple[tuple[str, str, str, str], ...] = (
    # kind, priority ("" = any), respond hours, resolve hours
    ("fault", "urgent", "1", "4"),
    ("fault", "high", "2", "8"),
    ("fault", "normal", "4", "16"),
    ("fault", "low", "8", "40"),
    ("fault", "", "4", "16"),
    # BS1: the customer's requested completion time comes first; 24h when none.
    ("support", "", "4", "24"),
    ("large_work", "", "8", "120"),
)
DEFAULT_LEVELS: tuple[dict[str, Any], ...] = (
    {"level": 1, "trigger": "warning_point", "value": Decimal("0"), "notify_handler": True},
    {"level": 2, "trigger": "after_deadline", "value": Decimal("0"), "notify_team_lead": True, "only_without_notice": True},
    {"level": 3, "trigger": "after_deadline", "value": Decimal("4"), "notify_section_chief": True},
)


def default_standard_seed(
    version_model: type[StandardVersion] = StandardVersion,
    target_model: type[ResolutionTarget] = ResolutionTarget,
    level_model: type[EscalationLevel] = EscalationLevel,
) -> StandardVersion:
    """Create the default version (v1, active) unless one exists. Takes the model
    classes so the data migration can pass its historical models."""
    existing = version_model.objects.filter(number=1).first()
    if existing is not None:
        return existing
    version = version_model.objects.create(
        number=1,
        label="기본 서비스 이행표준",
        is_active=not version_model.objects.filter(is_active=True).exists(),
    )
    target_model.objects.bulk_create(
        target_model(
            standard=version,
            kind=kind,
            priority=priority,
            respond_hours=Decimal(respond),
            resolve_hours=Decimal(resolve),
        )
        for kind, priority, respond, resolve in DEFAULT_TARGETS
    )
    level_model.objects.bulk_create(level_model(standard=version, **row) for row in DEFAULT_LEVELS)
    return version
