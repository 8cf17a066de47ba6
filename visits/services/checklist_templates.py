"""Checklist templates by asset type (MT6): the version a visit takes at check-in,
and the admin's new versions."""
from __future__ import annotations

from django.db import transaction

from tickets.models import Ticket

from ..models import ChecklistItem, ChecklistTemplate


def checklist_template_for(ticket: Ticket) -> ChecklistTemplate | None:
    asset = ticket.asset
    if asset is None:
        return None
    return ChecklistTemplate.objects.filter(asset_type=asset.asset_type, is_current=True).first()


@transaction.atomic
def checklist_template_new_version(*, template: ChecklistTemplate) -> ChecklistTemplate:
    """Copy a template and its items as the next version, which becomes current.
    Visits that started with the old version keep it (their entries point at its items)."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    latest = (
        ChecklistTemplate.objects.filter(asset_type=template.asset_type).order_by("-version").values_list(
            "version", flat=True
        ).first()
        or 0
    )
    ChecklistTemplate.objects.filter(asset_type=template.asset_type, is_current=True).update(is_current=False)
    copy = ChecklistTemplate.objects.create(
        asset_type=template.asset_type,
        name=template.name,
        name_en=template.name_en,
        version=latest + 1,
        is_current=True,
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(template=copy, order=i.order, text=i.text, text_en=i.text_en, note_rule=i.note_rule)
            for i in template.items.all()
        ]
    )
    return copy


@transaction.atomic
def checklist_template_register(*, template: ChecklistTemplate) -> ChecklistTemplate:
    """Save a template an admin added as the newest version for its asset type, and make it current."""
    latest = (
        ChecklistTemplate.objects.select_for_update()
        .filter(asset_type=template.asset_type)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    )
    ChecklistTemplate.objects.filter(asset_type=template.asset_type, is_current=True).update(is_current=False)
    template.version = latest + 1
    template.is_current = True
    template.save()
    return template
