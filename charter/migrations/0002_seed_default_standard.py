"""Seed the default service standard (v1, active) so a fresh install keeps deadlines."""
from __future__ import annotations

from django.db import migrations


def seed(apps, schema_editor):
    from standards.services import default_standard_seed

    default_standard_seed(
        apps.get_model("charter", "StandardVersion"),
        apps.get_model("charter", "ResolutionTarget"),
        apps.get_model("charter", "EscalationLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
