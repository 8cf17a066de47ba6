"""Seed the charter's 'PC점검 체크리스트' (MT6) for desktops and laptops, version 1."""
from __future__ import annotations

from django.db import migrations


def seed(apps, schema_editor):
    from visits.seed import pc_checklist_seed

    pc_checklist_seed(apps.get_model("visits", "ChecklistTemplate"), apps.get_model("visits", "ChecklistItem"))


def unseed(apps, schema_editor):
    from visits.seed import NAME

    Template = apps.get_model("visits", "ChecklistTemplate")
    Template.objects.filter(name=NAME, version=1, visits__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
