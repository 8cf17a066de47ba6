"""What the directory says, onto the account (helpdesk.accounts.directory), for
the values the test directory does not carry: an employee number another
person holds, an e-mail or phone that is not one, an attribute the entry
lacks — each leaves our value as it is, and the sign-in goes on."""
from __future__ import annotations

import logging

import pytest

from helpdesk.accounts.directory import directory_profile_refresh, directory_roles_sync
from helpdesk.accounts.ldap_settings import DIRECTORY_FIELDS
from helpdesk.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_unusable_values_keep_ours_and_are_logged(org, caplog):
    customer = org.customer
    before = (customer.employee_no, customer.email, customer.phone, customer.last_name)
    attrs = {
        "employeeNumber": [org.other_customer.employee_no],  # another person's
        "mail": ["not an address"],
        "mobile": ["call me"],
        "givenName": ["민지"],
        # no sn: the family name stays
    }
    with caplog.at_level(logging.WARNING, logger="helpdesk.accounts.directory"):
        changed = directory_profile_refresh(user=customer, attrs=attrs, attr_map=DIRECTORY_FIELDS)

    assert changed == ["first_name"]
    assert (customer.employee_no, customer.email, customer.phone, customer.last_name) == before
    assert "another person holds it" in caplog.text and "not an e-mail address" in caplog.text
    assert "not a Korean phone number" in caplog.text


def test_the_same_values_change_nothing(org):
    customer = org.customer
    attrs = {"sn": [customer.last_name], "givenName": [customer.first_name], "mobile": [customer.phone_display]}
    assert directory_profile_refresh(user=customer, attrs=attrs, attr_map=DIRECTORY_FIELDS) == []


def test_a_mapping_that_decides_the_customer_role_may_take_it_away(org):
    customer = org.customer
    directory_roles_sync(user=customer, group_dns=[], group_roles={Role.CUSTOMER: ["cn=customers,dc=x"]})
    assert not customer.groups.filter(name=Role.CUSTOMER).exists()
    directory_roles_sync(user=customer, group_dns=["CN=Customers,DC=X"], group_roles={Role.CUSTOMER: ["cn=customers,dc=x"]})
    assert customer.groups.filter(name=Role.CUSTOMER).exists()
