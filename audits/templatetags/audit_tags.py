"""The navigation asks here whether to show the audit cases: `perms` would say
yes to every superuser, and CR2's cases are for auditors only."""
from __future__ import annotations

from django import template

from ..selectors import may_handle_cases

register = template.Library()


@register.simple_tag
def may_audit(user) -> bool:
    return bool(user.is_authenticated and may_handle_cases(user))
