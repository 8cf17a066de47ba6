"""The service standards moved from `charter` to `standards` (migrations
standards/0001, tickets/0007, charter/0006): a database on the previous schema,
with data in it, migrates forward with every row, link and permission kept."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from standards.models import ClosureDay, StandardVersion
from tests import factories as f
from tickets.models import Ticket

BEFORE = [
    ("charter", "0005_drop_redundant_fk_indexes"),
    ("tickets", "0006_drop_redundant_fk_indexes"),
    ("standards", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_on_the_previous_schema_keeps_its_standards_rows():
    org = f.org_make()
    ticket = f.TicketFactory(reporter=org.customer, team=org.team)
    # A database from before the move has no content types for `standards` yet.
    ContentType.objects.filter(app_label="standards").delete()

    old = _migrate(BEFORE)
    OldVersion = old.get_model("charter", "StandardVersion")
    OldTarget = old.get_model("charter", "ResolutionTarget")
    OldLevel = old.get_model("charter", "EscalationLevel")
    OldClosure = old.get_model("charter", "ClosureDay")
    OldTicket = old.get_model("tickets", "Ticket")
    version = OldVersion.objects.create(number=9, label="구 이행표준", is_active=False)
    OldTarget.objects.create(standard=version, kind="fault", priority="high", respond_hours=Decimal("1"), resolve_hours=Decimal("6.5"))
    OldLevel.objects.create(standard=version, level=1, trigger="warning_point", value=Decimal("0"), notify_handler=True)
    OldClosure.objects.create(date="2026-05-04", reason="창립기념일")
    OldTicket.objects.filter(pk=ticket.pk).update(standard_version_id=version.pk)
    old_ct = ContentType.objects.create(app_label="charter", model="standardversion")
    permission = Permission.objects.create(content_type=old_ct, codename="change_standardversion", name="Can change")
    group = Group.objects.create(name="standards editors")
    group.permissions.add(permission)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = StandardVersion.objects.get(number=9)
    assert moved.pk == version.pk and moved.label == "구 이행표준"
    target = moved.targets.get()
    assert (target.kind, target.priority, target.resolve_hours) == ("fault", "high", Decimal("6.50"))
    assert moved.levels.get().notify_handler is True
    assert ClosureDay.objects.get(date="2026-05-04").reason == "창립기념일"
    assert Ticket.objects.get(pk=ticket.pk).standard_version == moved
    # The history table came along too (simple-history rows are written on save).
    moved.label = "개정"
    moved.save()
    assert moved.history.count() >= 1
    # The permission a role holds now belongs to the moved model.
    permission.refresh_from_db()
    assert permission.content_type.app_label == "standards"
    assert group.permissions.filter(content_type__app_label="standards", codename="change_standardversion").exists()
