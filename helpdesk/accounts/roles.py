"""Roles are groups; what a role may do is the permissions the group holds.

The mapping lives here, in one table, and `roles_sync()` writes it to the
database (run by a migration and by `seed_demo`). Views check permissions,
never group names, so an admin can grant a single permission to one person.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    DESK_AGENT = "desk_agent", _("Desk agent")
    ENGINEER = "engineer", _("Engineer")
    TEAM_LEAD = "team_lead", _("Team lead")
    SECTION_CHIEF = "section_chief", _("Section chief")
    APPROVER = "approver", _("Approver")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


# Permission codenames are "app_label.codename"; the custom ones are declared
# in tickets.models.Ticket.Meta.permissions.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CUSTOMER: ["tickets.file_ticket"],
    Role.DESK_AGENT: [
        "tickets.file_ticket",
        "tickets.work_ticket",
        "tickets.intake_ticket",
        "tickets.view_all_tickets",
    ],
    Role.ENGINEER: ["tickets.file_ticket", "tickets.work_ticket", "tickets.view_team_tickets"],
    Role.TEAM_LEAD: [
        "tickets.file_ticket",
        "tickets.work_ticket",
        "tickets.view_team_tickets",
        "tickets.lead_team",
    ],
    Role.SECTION_CHIEF: [
        "tickets.file_ticket",
        "tickets.work_ticket",
        "tickets.view_team_tickets",
        "tickets.lead_team",
        "tickets.view_department_tickets",
    ],
    Role.APPROVER: ["tickets.file_ticket", "largework.approve_plan"],
    # CR2: the only role that reads misconduct cases (audits.selectors.may_handle_cases).
    Role.AUDITOR: ["tickets.file_ticket", "audits.handle_case"],
    Role.ADMIN: [
        "tickets.file_ticket",
        "tickets.work_ticket",
        "tickets.intake_ticket",
        "tickets.view_all_tickets",
        "tickets.lead_team",
    ],
}


def roles_sync(using: str = "default") -> None:
    """Create the role groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(
                Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
