"""What the company directory says about a person, written onto their account.

Directory sign-in (django-auth-ldap, configured in helpdesk.accounts.ldap_settings)
calls these on every sign-in: `directory_profile_refresh` from its
populate-user signal (helpdesk.accounts.ldap_receivers), before it saves the
user; `directory_roles_sync` from helpdesk.accounts.ldap_backend once the user
is saved (roles are rows that need the user's id).

The directory is trusted for what it knows and only for that: a value it does
not have leaves ours as it is, and a value we cannot use — a department code no
department has, a position we do not know, a number that is not a phone number,
an employee number another person holds — is logged and leaves ours as it is,
so that one bad entry never blocks a sign-in or wipes a good value.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Department, User
from .phones import phone_parse
from .roles import Role
from .selectors import position_named

log = logging.getLogger(__name__)

NAME_MAX = User._meta.get_field("first_name").max_length or 150
EMPLOYEE_NO_MAX = User._meta.get_field("employee_no").max_length or 20


def _first(attrs: Mapping[str, Sequence[str]], attribute: str) -> str:
    values = attrs.get(attribute) or []
    return str(values[0]).strip() if values else ""


def directory_profile_refresh(
    *, user: User, attrs: Mapping[str, Sequence[str]], attr_map: Mapping[str, str]
) -> list[str]:
    """Set `user`'s name, e-mail, employee number, department, position and
    phones from the directory entry `attrs` (attribute -> values), read through
    `attr_map` (field -> attribute). The caller saves. Returns the fields changed."""
    changed: list[str] = []

    def put(field: str, value: object) -> None:
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)

    def unusable(field: str, value: str, why: str) -> None:
        log.warning("directory: %s of %s: %r kept as it was, %s", field, user.username, value, why)

    for field, attribute in attr_map.items():
        value = _first(attrs, attribute)
        if not value:
            continue
        if field in ("first_name", "last_name"):
            put(field, value[:NAME_MAX])
        elif field == "email":
            try:
                validate_email(value)
            except ValidationError:
                unusable(field, value, "not an e-mail address")
            else:
                put(field, value)
        elif field == "employee_no":
            if len(value) > EMPLOYEE_NO_MAX:
                unusable(field, value, "too long")
            elif User.objects.filter(employee_no=value).exclude(pk=user.pk).exists():
                unusable(field, value, "another person holds it")
            else:
                put(field, value)
        elif field == "department":
            department = Department.objects.filter(code=value).first()
            if department is None:
                unusable(field, value, "no department has this code")
            elif user.department_id != department.pk:
                user.department = department
                changed.append(field)
        elif field == "position":
            position = position_named(value)
            if position is None:
                unusable(field, value, "no such position")
            elif user.position_id != position.pk:
                user.position = position
                changed.append(field)
        elif field in ("phone", "office_phone"):
            number = phone_parse(value)
            if number is None:
                unusable(field, value, "not a Korean phone number")
            elif getattr(getattr(user, field), "as_e164", getattr(user, field) or "") != number:
                setattr(user, field, number)
                changed.append(field)
    if changed:
        log.info("directory: %s refreshed %s", user.username, ", ".join(changed))
    return changed


@transaction.atomic
def directory_roles_sync(*, user: User, group_dns: Iterable[str], group_roles: Mapping[str, Sequence[str]]) -> None:
    """Give `user` each role of `group_roles` (role -> group DNs) whose group
    holds them, and take away the mapped roles whose groups no longer do. Roles
    the mapping does not name stay as admins set them. Everyone who signs in
    with a company account files tickets: the customer role is kept unless the
    mapping itself decides it."""
    member_of = {dn.lower() for dn in group_dns}
    managed = set(group_roles)
    wanted = {role for role, dns in group_roles.items() if member_of & {dn.lower() for dn in dns}}
    if Role.CUSTOMER not in managed:
        wanted.add(Role.CUSTOMER)
    groups = {group.name: group for group in Group.objects.filter(name__in=managed | wanted)}
    held = set(user.groups.filter(name__in=groups).values_list("name", flat=True))
    grant = [groups[name] for name in wanted - held if name in groups]
    revoke = [groups[name] for name in (managed - wanted) & held]
    if grant:
        user.groups.add(*grant)
    if revoke:
        user.groups.remove(*revoke)
    if grant or revoke:
        # User.has_role and Django's has_perm cache per object.
        for cache in ("_role_cache", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            user.__dict__.pop(cache, None)
        log.info(
            "directory: %s roles +%s -%s",
            user.username, [g.name for g in grant], [g.name for g in revoke],
        )
