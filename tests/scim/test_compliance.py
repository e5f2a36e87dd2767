"""scim2-tester, the SCIM compliance checker, against Lodestar's SCIM service on a live server.

It reads the discovery endpoints, then for Users and Groups creates, reads, lists with
``attributes``/``excludedAttributes``, searches with POST /.search, replaces, deletes, and PATCHes
(add, remove, replace) every attribute the published schemas call writable, with random values,
and checks each answer. Every check must pass (none skipped), 60 and more."""

import collections

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from lodestar.core.scoping import all_organizations
from lodestar.scim import services
from tests.conftest import make_organization

# The checks scim2-tester runs, by title: those it counted as passed must cover these.
EXPECTED_CHECKS = {
    "service_provider_config_endpoint",
    "service_provider_config_endpoint_methods",
    "query_all_resource_types",
    "query_resource_type_by_id",
    "access_invalid_resource_type",
    "resource_types_endpoint_methods",
    "resource_types_schema_validation",
    "query_all_schemas",
    "access_schema_by_id",
    "access_invalid_schema",
    "schemas_endpoint_methods",
    "random_url",
    "object_creation",
    "object_query",
    "object_query_without_id",
    "object_query_with_attributes",
    "object_list_with_attributes",
    "search_with_attributes",
    "object_replacement",
    "object_deletion",
    "check_add_attribute",
    "check_remove_attribute",
    "check_replace_attribute",
}


@pytest.fixture
def token(transactional_db, settings):
    settings.LODESTAR_SCIM_RATE = "100000/min"
    with all_organizations():
        organization, owner = make_organization("Acme", "acme", "owner@acme.test")
        _token, text = services.create_token(actor=owner, organization=organization, name="scim2-tester")
    return text


def test_scim2_tester_passes_every_check(live_server, token):
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2", headers={"Authorization": f"Bearer {token}"}, timeout=120
    )
    client = SyncSCIMClient(http)
    results = check_server(client)
    failed = [
        f"{result.title} [{result.resource_type}]: {result.reason}"
        for result in results
        if result.status not in (Status.SUCCESS, Status.COMPLIANT)
    ]
    assert not failed, "\n".join(failed)
    passed = collections.Counter(result.title for result in results if result.status == Status.SUCCESS)
    assert set(passed) >= EXPECTED_CHECKS, sorted(EXPECTED_CHECKS - set(passed))
    assert sum(passed.values()) >= 60  # every attribute's PATCH, for Users and Groups
