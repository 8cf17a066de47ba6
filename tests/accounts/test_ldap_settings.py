"""Directory sign-in's settings from the environment (helpdesk.accounts.ldap_settings):
off unless LDAP_SERVER_URI is set, the Active Directory example of the README
as it reads, and a misspelt value stopping the start-up with its name."""
from __future__ import annotations

import ldap
import pytest
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap.config import NestedActiveDirectoryGroupType

from helpdesk.accounts.ldap_settings import DIRECTORY_FIELDS, directory_settings

# The README's Active Directory example.
AD = {
    "LDAP_SERVER_URI": "ldap://dc1.corp.example.com ldap://dc2.corp.example.com",
    "LDAP_START_TLS": "true",
    "LDAP_BIND_DN": "CN=svc-charterdesk,OU=Service Accounts,DC=corp,DC=example,DC=com",
    "LDAP_BIND_PASSWORD": "s3cret",
    "LDAP_USER_SEARCH_BASE": "OU=Staff,DC=corp,DC=example,DC=com",
    "LDAP_USER_FILTER": "(&(sAMAccountName=%(user)s)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
    "LDAP_ATTR_MAP": "department=department,office_phone=telephoneNumber",
    "LDAP_GROUP_SEARCH_BASE": "OU=Groups,DC=corp,DC=example,DC=com",
    "LDAP_GROUP_TYPE": "nestedActiveDirectory",
    "LDAP_GROUP_ROLES": (
        "team_lead:CN=IT-Leads,OU=Groups,DC=corp,DC=example,DC=com;"
        "engineer:CN=IT-Engineers,OU=Groups,DC=corp,DC=example,DC=com;"
        "team_lead:CN=Network-Leads,OU=Groups,DC=corp,DC=example,DC=com"
    ),
}


def test_without_a_server_sign_in_stays_local():
    values = directory_settings({})
    assert values["DIRECTORY_SIGN_IN"] is False
    assert not any(name.startswith("AUTH_LDAP_") for name in values)


def test_the_readme_active_directory_example():
    values = directory_settings(AD)

    assert values["DIRECTORY_SIGN_IN"] is True
    assert values["AUTH_LDAP_SERVER_URI"] == AD["LDAP_SERVER_URI"]
    assert values["AUTH_LDAP_START_TLS"] is True
    assert values["AUTH_LDAP_USER_SEARCH"].filterstr == AD["LDAP_USER_FILTER"]
    assert values["AUTH_LDAP_USER_SEARCH"].base_dn == AD["LDAP_USER_SEARCH_BASE"]
    assert isinstance(values["AUTH_LDAP_GROUP_TYPE"], NestedActiveDirectoryGroupType)
    assert values["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=group)"
    assert values["DIRECTORY_GROUP_ROLES"] == {
        "team_lead": ["cn=it-leads,ou=groups,dc=corp,dc=example,dc=com", "cn=network-leads,ou=groups,dc=corp,dc=example,dc=com"],
        "engineer": ["cn=it-engineers,ou=groups,dc=corp,dc=example,dc=com"],
    }
    # The department code from AD's own attribute; everything else as inetOrgPerson names it.
    assert values["DIRECTORY_ATTR_MAP"] == {**DIRECTORY_FIELDS, "department": "department"}
    # A directory that does not answer gives up within the timeout, and AD's referrals are not chased.
    options = values["AUTH_LDAP_CONNECTION_OPTIONS"]
    assert options[ldap.OPT_NETWORK_TIMEOUT] == 5 and options[ldap.OPT_REFERRALS] == 0
    # Nothing goes straight from the directory onto the user: every value is checked first.
    assert values["AUTH_LDAP_USER_ATTR_MAP"] == {}


def test_the_bind_password_can_come_from_a_file(tmp_path):
    secret = tmp_path / "bind-password"
    secret.write_text("from-a-file\n", encoding="utf-8")
    values = directory_settings({**AD, "LDAP_BIND_PASSWORD": "", "LDAP_BIND_PASSWORD_FILE": str(secret)})
    assert values["AUTH_LDAP_BIND_PASSWORD"] == "from-a-file"


def test_an_empty_attribute_switches_a_field_off():
    values = directory_settings({**AD, "LDAP_ATTR_MAP": "position="})
    assert "position" not in values["DIRECTORY_ATTR_MAP"]


@pytest.mark.parametrize(
    ("variable", "value", "names"),
    [
        ("LDAP_START_TLS", "ture", "LDAP_START_TLS"),
        ("LDAP_USER_SEARCH_BASE", "", "LDAP_USER_SEARCH_BASE"),
        ("LDAP_USER_FILTER", "(uid=%(username)s)", "LDAP_USER_FILTER"),
        ("LDAP_ATTR_MAP", "mobile=mobile", "LDAP_ATTR_MAP"),
        ("LDAP_GROUP_ROLES", "lead:CN=IT-Leads,DC=corp", "LDAP_GROUP_ROLES"),
        ("LDAP_GROUP_TYPE", "activedirectory", "LDAP_GROUP_TYPE"),
        ("LDAP_TIMEOUT", "0", "LDAP_TIMEOUT"),
        ("LDAP_GROUP_SEARCH_BASE", "", "LDAP_GROUP_ROLES needs LDAP_GROUP_SEARCH_BASE"),
    ],
)
def test_a_misspelt_value_stops_the_start_up_with_its_name(variable, value, names):
    with pytest.raises(ImproperlyConfigured, match=names):
        directory_settings({**AD, variable: value})
