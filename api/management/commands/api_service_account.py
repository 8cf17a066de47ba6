"""Make a service account's token from the command line (the admin does the
same): `manage.py api_service_account phone-system --scopes calls --days 365`.

The system's user is made if missing, with no usable password (it signs in
only with its token) and the roles given (a phone system posting calls needs
the desk agent's role, as the phone page does). The token is printed once."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role
from helpdesk.core.errors import ActionRefused

from ...scopes import ALL_SCOPES, Scope
from ...services import api_token_create


class Command(BaseCommand):
    help = "Make a service account's API token (printed once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--scopes", default=Scope.CALLS, help=f"comma-separated, of {', '.join(ALL_SCOPES)}")
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--role", action="append", default=None, choices=list(Role.values),
            help="roles of a user made now (default: desk_agent when the scopes include calls)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            user = User(username=options["username"], first_name=options["username"])
            user.set_unusable_password()
            user.save()
            roles = options["role"] or ([Role.DESK_AGENT] if Scope.CALLS in scopes else [])
            user.groups.add(*Group.objects.filter(name__in=roles))
            self.stderr.write(f"made user {user.username} (roles: {', '.join(roles) or 'none'})")
        try:
            token, raw = api_token_create(
                user=user,
                actor=user,
                name=options["name"] or f"{user.username} service account",
                expires_at=timezone.now() + timedelta(days=options["days"]),
                scopes=scopes,
            )
        except ActionRefused as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"token {token.name} ({', '.join(token.scopes)}), expires {token.expires_at:%Y-%m-%d}:")
        self.stdout.write(raw.text)
