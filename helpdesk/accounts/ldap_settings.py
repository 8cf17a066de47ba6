"""Directory sign-in (LDAP / Active Directory) configured from the environment.

`helpdesk/settings.py` calls `directory_settings(os.environ)` and takes the
result as settings: django-auth-ldap's `AUTH_LDAP_*` and our own
`DIRECTORY_*`. A pure function of the environment, so a test builds the very
settings a deployment would from the variables it writes down (and CI's
private slapd is reached the way a company's server is).

With `LDAP_SERVER_URI` empty (the default) sign-in is local passwords only and
nothing here touches python-ldap. A misspelt value stops the start-up with the
variable's name instead of failing at the first sign-in.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .roles import Role

# What the directory can refresh on sign-in, and the attribute each is read from
# unless LDAP_ATTR_MAP says otherwise (inetOrgPerson's names; AD has the same
# ones except `department` for the department code in many companies).
DIRECTORY_FIELDS: dict[str, str] = {
    "first_name": "givenName",
    "last_name": "sn",
    "email": "mail",
    "employee_no": "employeeNumber",
    "department": "departmentNumber",
    "position": "title",
    "phone": "mobile",
    "office_phone": "telephoneNumber",
}

GROUP_TYPES = (
    "groupOfNames", "nestedGroupOfNames", "groupOfUniqueNames", "posixGroup",
    "activeDirectory", "nestedActiveDirectory",
)

BACKEND = "helpdesk.accounts.ldap_backend.DirectoryBackend"


def _text(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return environ.get(name, default).strip()


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _text(environ, name, str(default)).lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _secret(environ: Mapping[str, str], name: str) -> str:
    """NAME, or the contents of the file NAME_FILE names (a mounted secret)."""
    path = _text(environ, f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error}") from error
    return environ.get(name, "")


def attr_map_parse(raw: str) -> dict[str, str]:
    """`field=attribute,…` over the defaults; an unknown field is a typo, not ignored."""
    mapping = dict(DIRECTORY_FIELDS)
    for item in filter(None, (part.strip() for part in raw.split(","))):
        field, sep, attribute = (s.strip() for s in item.partition("="))
        if not sep or field not in DIRECTORY_FIELDS:
            raise ImproperlyConfigured(
                f"LDAP_ATTR_MAP: {item!r} is not field=attribute with a field among {', '.join(DIRECTORY_FIELDS)}"
            )
        # An empty attribute switches the field off: the directory never changes it.
        mapping[field] = attribute
    return {field: attribute for field, attribute in mapping.items() if attribute}


def group_roles_parse(raw: str) -> dict[str, list[str]]:
    """`role:group DN;role:group DN` — a role once per group that grants it.
    DNs are compared case-insensitively, as directories do."""
    roles: dict[str, list[str]] = {}
    for item in filter(None, (part.strip() for part in raw.split(";"))):
        role, sep, dn = (s.strip() for s in item.partition(":"))
        if not sep or not dn or role not in Role.values:
            raise ImproperlyConfigured(
                f"LDAP_GROUP_ROLES: {item!r} is not role:group DN with a role among {', '.join(Role.values)}"
            )
        roles.setdefault(role, []).append(dn.lower())
    return roles


def directory_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings directory sign-in needs, from the environment."""
    uri = _text(environ, "LDAP_SERVER_URI")
    if not uri:
        return {"DIRECTORY_SIGN_IN": False, "DIRECTORY_ATTR_MAP": {}, "DIRECTORY_GROUP_ROLES": {}}

    try:
        import ldap
        from django_auth_ldap import config
    except ImportError as exc:
        raise ImproperlyConfigured(
            "LDAP_SERVER_URI is set but directory sign-in is not installed: "
            "pip install -r requirements-ldap.txt (needs libldap2-dev and libsasl2-dev)"
        ) from exc

    search_base = _text(environ, "LDAP_USER_SEARCH_BASE")
    if not search_base:
        raise ImproperlyConfigured("LDAP_USER_SEARCH_BASE is required with LDAP_SERVER_URI")
    user_filter = _text(environ, "LDAP_USER_FILTER", "(uid=%(user)s)")
    if "%(user)s" not in user_filter:
        raise ImproperlyConfigured("LDAP_USER_FILTER must contain %(user)s, where the typed username goes")
    try:
        timeout = int(_text(environ, "LDAP_TIMEOUT", "5"))
    except ValueError:
        timeout = 0
    if timeout < 1:
        raise ImproperlyConfigured("LDAP_TIMEOUT must be a whole number of seconds, 1 or more")

    out: dict[str, Any] = {
        "DIRECTORY_SIGN_IN": True,
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": _text(environ, "LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": _secret(environ, "LDAP_BIND_PASSWORD"),
        "AUTH_LDAP_START_TLS": _bool(environ, "LDAP_START_TLS", False),
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(search_base, ldap.SCOPE_SUBTREE, user_filter),
        # Every attribute goes through helpdesk.accounts.directory (checked,
        # looked up, logged when unknown), none straight onto the user.
        "AUTH_LDAP_USER_ATTR_MAP": {},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            # AD answers searches at the domain root with referrals python-ldap would chase anonymously.
            ldap.OPT_REFERRALS: 0,
            # A directory that does not answer must not hold the sign-in page for minutes.
            ldap.OPT_NETWORK_TIMEOUT: timeout,
            ldap.OPT_TIMEOUT: timeout,
        },
        "DIRECTORY_ATTR_MAP": attr_map_parse(_text(environ, "LDAP_ATTR_MAP")),
        "DIRECTORY_GROUP_ROLES": group_roles_parse(_text(environ, "LDAP_GROUP_ROLES")),
    }
    ca_file = _text(environ, "LDAP_TLS_CA_FILE")
    if ca_file:
        out["AUTH_LDAP_GLOBAL_OPTIONS"] = {ldap.OPT_X_TLS_CACERTFILE: ca_file, ldap.OPT_X_TLS_NEWCTX: 0}

    group_base = _text(environ, "LDAP_GROUP_SEARCH_BASE")
    group_type = _text(environ, "LDAP_GROUP_TYPE", "groupOfNames")
    if group_type not in GROUP_TYPES:
        raise ImproperlyConfigured(f"LDAP_GROUP_TYPE must be one of {', '.join(GROUP_TYPES)}, not {group_type!r}")
    if group_base:
        default_filter = {
            "posixGroup": "(objectClass=posixGroup)",
            "groupOfUniqueNames": "(objectClass=groupOfUniqueNames)",
            "activeDirectory": "(objectClass=group)",
            "nestedActiveDirectory": "(objectClass=group)",
        }.get(group_type, "(objectClass=groupOfNames)")
        out["AUTH_LDAP_GROUP_SEARCH"] = config.LDAPSearch(
            group_base, ldap.SCOPE_SUBTREE, _text(environ, "LDAP_GROUP_FILTER", default_filter)
        )
        out["AUTH_LDAP_GROUP_TYPE"] = {
            "groupOfNames": config.GroupOfNamesType,
            "nestedGroupOfNames": config.NestedGroupOfNamesType,
            "groupOfUniqueNames": config.GroupOfUniqueNamesType,
            "posixGroup": config.PosixGroupType,
            "activeDirectory": config.ActiveDirectoryGroupType,
            "nestedActiveDirectory": config.NestedActiveDirectoryGroupType,
        }[group_type]()
    for name in ("LDAP_REQUIRE_GROUP", "LDAP_DENY_GROUP"):
        dn = _text(environ, name)
        if dn and not group_base:
            raise ImproperlyConfigured(f"{name} needs LDAP_GROUP_SEARCH_BASE")
        if dn:
            out[f"AUTH_{name}"] = dn
    if out["DIRECTORY_GROUP_ROLES"] and not group_base:
        raise ImproperlyConfigured("LDAP_GROUP_ROLES needs LDAP_GROUP_SEARCH_BASE")
    return out
