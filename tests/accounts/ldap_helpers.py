"""The tests' company directory: the private OpenLDAP that .ci/slapd/start runs
on 127.0.0.1:3389 (LDAP_TEST_URI), seeded from .ci/slapd/seed.ldif.

Tests that change the directory add people of their own (a fresh uid, deleted
afterwards) as the directory's administrator, so tests in parallel workers
never change what another reads. When the server does not answer the test
fails under CI=true and is skipped elsewhere."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import ldap
import ldap.modlist
import pytest

from tests.helpers.services import IN_CI

BASE = "dc=charterdesk,dc=test"
PEOPLE = f"ou=people,{BASE}"
GROUPS = f"ou=groups,{BASE}"
LEADS_GROUP = f"cn=it-leads,{GROUPS}"
ENGINEERS_GROUP = f"cn=engineers,{GROUPS}"
SERVICE_DN = f"cn=charterdesk,ou=services,{BASE}"
SERVICE_PASSWORD = "service-pw-1"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "directory-admin"
# Every seeded person's directory password (.ci/slapd/seed.ldif).
DIRECTORY_PASSWORD = "directory-pw-1"


def ldap_uri() -> str:
    return os.environ.get("LDAP_TEST_URI", "ldap://127.0.0.1:3389")


def ldap_required() -> str:
    """The server's URI; fail (CI) or skip (elsewhere) when it does not answer as seeded."""
    uri = ldap_uri()
    problem = ""
    try:
        conn = ldap.initialize(uri)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 2)
        conn.simple_bind_s(SERVICE_DN, SERVICE_PASSWORD)
        if not conn.search_s(PEOPLE, ldap.SCOPE_ONELEVEL, "(uid=minji.kim)", ["uid"]):
            problem = "the seeded people are missing"
        conn.unbind_s()
    except ldap.LDAPError as exc:
        problem = repr(exc)
    if problem:
        message = f"no test directory at {uri} ({problem}); start it with `bash .ci/slapd/start`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return uri


def directory_environment(uri: str, **extra: str) -> dict[str, str]:
    """The variables a deployment would set for this directory (README "Directory sign-in")."""
    return {
        "LDAP_SERVER_URI": uri,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_SEARCH_BASE": PEOPLE,
        "LDAP_USER_FILTER": "(uid=%(user)s)",
        "LDAP_GROUP_SEARCH_BASE": GROUPS,
        "LDAP_GROUP_ROLES": f"team_lead:{LEADS_GROUP};engineer:{ENGINEERS_GROUP}",
        "LDAP_TIMEOUT": "3",
        **extra,
    }


def admin_connection() -> ldap.ldapobject.LDAPObject:
    conn = ldap.initialize(ldap_uri())
    conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 3)
    conn.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
    return conn


def entry_set(dn: str, **attributes: str | list[str]) -> None:
    """Replace attributes of an entry (an empty list removes one)."""
    conn = admin_connection()
    try:
        changes = [
            (ldap.MOD_REPLACE, name, [v.encode() for v in ([value] if isinstance(value, str) else value)] or None)
            for name, value in attributes.items()
        ]
        conn.modify_s(dn, changes)
    finally:
        conn.unbind_s()


def group_member(group_dn: str, member_dn: str, *, add: bool) -> None:
    conn = admin_connection()
    try:
        conn.modify_s(group_dn, [(ldap.MOD_ADD if add else ldap.MOD_DELETE, "member", [member_dn.encode()])])
    finally:
        conn.unbind_s()


@contextmanager
def directory_person(**attributes: str) -> Iterator[tuple[str, str]]:
    """A person of the test's own in the directory: (uid, dn); removed afterwards,
    and from every group the test put them in."""
    uid = f"t{uuid.uuid4().hex[:10]}"
    dn = f"uid={uid},{PEOPLE}"
    entry = {
        "objectClass": ["inetOrgPerson"],
        "uid": uid,
        "cn": "시험사용자",
        "sn": "시",
        "givenName": "험",
        "userPassword": DIRECTORY_PASSWORD,
        **attributes,
    }
    conn = admin_connection()
    try:
        conn.add_s(dn, ldap.modlist.addModlist({k: [v.encode()] if isinstance(v, str) else [x.encode() for x in v] for k, v in entry.items()}))
        yield uid, dn
    finally:
        for group in (LEADS_GROUP, ENGINEERS_GROUP):
            try:
                conn.modify_s(group, [(ldap.MOD_DELETE, "member", [dn.encode()])])
            except ldap.LDAPError:
                pass
        conn.delete_s(dn)
        conn.unbind_s()
