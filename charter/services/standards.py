"""Writes to the service standards (the admin's actions call these)."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused

from ..models import EscalationLevel, ResolutionTarget, StandardVersion
from ..standards import standards_changed
from ..validation import version_problems


@transaction.atomic
def standard_activate(*, version: StandardVersion) -> StandardVersion:
    """Make `version` the one new tickets follow; tickets keep the version they have."""
    version = StandardVersion.objects.select_for_update().get(pk=version.pk)
    problems = version_problems(version)
    if problems:
        raise ActionRefused(problems[0])
    StandardVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    version.is_active = True
    version.effective_from = timezone.now()
    version.save(update_fields=["is_active", "effective_from", "updated_at"])
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
