"""Fetches the generated Python DTOs from a running server, imports them as a module and drives the
server with them through the PyPI package servicestack, as a user of Add ServiceStack Reference
would. scripts/client-tests.sh starts the server and sets the environment."""

import importlib.util
import os
import re
import sys
import urllib.error
import urllib.request
import uuid

import pytest
from servicestack import JsonServiceClient, WebServiceException

BASE_URL = os.environ["EVO_TEST_URL"]
API_KEY = os.environ["EVO_TEST_API_KEY"]

# The request and response of NewIntegration and every type they use, directly or indirectly.
NEW_INTEGRATION_TYPES = {
    "NewIntegration", "IntegrationInfo", "EntityInfo", "IntegrationTypes", "IntegrationStatuses",
    "IntegrationFeatures", "CustomerBreadcrumb", "DataType", "DataField", "ValueTypes", "UIHints",
    "DataFieldUniqueness", "UserDataFieldModes", "Value", "Struct",
}


def fetch(query=""):
    with urllib.request.urlopen(f"{BASE_URL}/types/python{query}") as response:
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        return response.read().decode("utf-8")


def load_module(source, name, folder):
    path = folder / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    # The client evaluates quoted annotations in the module it finds in sys.modules.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def defined_names(source):
    """The classes and aliases the module defines at its top level."""
    return set(re.findall(r"^class (\w+)", source, re.MULTILINE)) | set(
        re.findall(r"^(\w+) = Dict\[", source, re.MULTILINE))


def bearer_client():
    client = JsonServiceClient(BASE_URL)
    client.bearer_token = API_KEY
    return client


@pytest.fixture(scope="module")
def dtos(tmp_path_factory):
    return load_module(fetch(), "generated_dtos", tmp_path_factory.mktemp("all"))


def test_header_lists_options():
    source = fetch()
    lines = source.splitlines()
    assert lines[0] == '""" Options:'
    assert f"BaseUrl: {BASE_URL}" in lines
    assert "#IncludeTypes: " in lines
    assert "#AddDescriptionAsComments: True" in lines
    assert lines.index('"""') > lines.index("#IncludeTypes: ")


def test_integration_round_trip(dtos):
    client = bearer_client()
    suffix = uuid.uuid4().hex[:8]
    customer = client.post(dtos.NewCustomer(name=f"Generated {suffix}"))
    assert isinstance(customer, dtos.CustomerInfo)
    assert customer.account_id

    created = client.post(dtos.NewIntegration(
        account_id=customer.account_id, customer_id=customer.id,
        type=dtos.IntegrationTypes.ZOHO, name=f"Generated Zoho {suffix}"))
    assert isinstance(created, dtos.IntegrationInfo)
    assert created.name == f"Generated Zoho {suffix}"
    assert created.type == dtos.IntegrationTypes.ZOHO
    assert created.account_id == customer.account_id
    assert created.customer_id == customer.id
    assert isinstance(created.status, dtos.IntegrationStatuses)
    assert [crumb.id for crumb in created.customer_breadcrumb] == [customer.id]
    fields = created.settings_data_type.fields
    assert all(isinstance(field, dtos.DataField) for field in fields)
    assert [field.id for field in fields] == ["ClientId", "ClientSecret", "AccountsServer", "ApiDomain"]
    assert isinstance(fields[0].type, dtos.ValueTypes)
    assert isinstance(created.settings["AccountsServer"], dtos.Value)
    assert created.settings["AccountsServer"].string_value == "https://accounts.zoho.com"

    read = client.get(dtos.GetIntegration(integration_id=created.id))
    assert isinstance(read, dtos.IntegrationInfo)
    assert read.id == created.id
    assert read.name == created.name
    assert read.customer_name == f"Generated {suffix}"
    assert read.date_created == created.date_created

    listed = client.get(dtos.ListIntegrations(customer_ids=[customer.id], count_per_page=5))
    assert isinstance(listed, dtos.ListResponse)
    assert listed.total_count == 1
    assert [item.id for item in listed.items] == [created.id]
    assert isinstance(listed.items[0], dtos.IntegrationInfo)
    assert listed.items[0].type == dtos.IntegrationTypes.ZOHO

    patched = client.patch(dtos.PatchIntegration(
        integration_id=created.id, settings={"ClientId": dtos.Value(string_value="1000.GENERATED")}))
    assert patched.settings["ClientId"].string_value == "1000.GENERATED"

    client.delete(dtos.DeleteIntegration(integration_id=created.id))
    with pytest.raises(WebServiceException) as raised:
        client.get(dtos.GetIntegration(integration_id=created.id))
    assert raised.value.status_code == 404


def test_include_types_selects_operation(tmp_path):
    source = fetch("?IncludeTypes=NewIntegration.*")
    assert "IncludeTypes: NewIntegration.*" in source.splitlines()
    assert defined_names(source) == NEW_INTEGRATION_TYPES

    module = load_module(source, "generated_new_integration", tmp_path)
    assert not hasattr(module, "ListIntegrations")
    assert not hasattr(module, "NewCustomer")
    created = bearer_client().post(module.NewIntegration(
        type=module.IntegrationTypes.HOSTED_SUITE, name="Included types"))
    assert isinstance(created, module.IntegrationInfo)
    assert created.type == module.IntegrationTypes.HOSTED_SUITE


def test_exclude_types_removes_types():
    source = fetch("?ExcludeTypes=GetIntegrationLog,IntegrationLogEntry")
    assert "ExcludeTypes: GetIntegrationLog,IntegrationLogEntry" in source.splitlines()
    names = defined_names(source)
    assert "GetIntegrationLog" not in names
    assert "IntegrationLogEntry" not in names
    assert "ListIntegrations" in names


def test_invalid_option_is_400():
    with pytest.raises(urllib.error.HTTPError) as raised:
        fetch("?AddDescriptionAsComments=maybe")
    assert raised.value.code == 400
    assert "AddDescriptionAsComments" in raised.value.read().decode("utf-8")
