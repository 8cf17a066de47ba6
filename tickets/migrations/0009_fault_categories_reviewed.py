"""The reviewed fault categories per asset type (tickets.fault_categories): adds
what is missing, renames to the reviewed names, and retires duplicates (deleted
when nothing points at them, else switched off). Safe on a database that
already has them; going back leaves the categories as they are."""
from __future__ import annotations

from django.db import migrations


def review(apps, schema_editor):
    from tickets.fault_categories import fault_categories_review

    # The historical models of every app that points at a category are loaded
    # (the dependencies below), so a category still in use is never deleted.
    fault_categories_review(apps.get_model("tickets", "FaultCategory"), apps.get_model("tickets", "SymptomQuestion"))


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0008_scoreboard_indexes"),
        # Repeat faults and the standards' targets point at categories (PROTECT).
        ("charter", "0007_scoreboard"),
        ("standards", "0003_scoreboard_targets"),
    ]

    operations = [migrations.RunPython(review, migrations.RunPython.noop)]
