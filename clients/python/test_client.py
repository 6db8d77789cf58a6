"""Drives a running server with the PyPI package servicestack, as existing Evo Voice clients do.
scripts/client-tests.sh starts the server and sets the environment."""

import os
import uuid

import pytest
from servicestack import JsonServiceClient, WebServiceException

from dtos import (Authenticate, DeleteIntegration, GetIntegration, IntegrationTypes, ListIntegrations,
                  NewCustomer, NewIntegration, PatchIntegration, Value)

BASE_URL = os.environ["EVO_TEST_URL"]
API_KEY = os.environ["EVO_TEST_API_KEY"]
PASSWORD = os.environ["EVO_TEST_PASSWORD"]


def bearer_client():
    client = JsonServiceClient(BASE_URL)
    client.bearer_token = API_KEY
    return client


def basic_client():
    client = JsonServiceClient(BASE_URL)
    client.set_credentials("admin", PASSWORD)
    return client


@pytest.mark.parametrize("make_client", [bearer_client, basic_client], ids=["bearer", "basic"])
def test_integration_lifecycle(make_client):
    client = make_client()
    suffix = uuid.uuid4().hex[:8]
    top = client.post(NewCustomer(name=f"Acme {suffix}"))
    child = client.post(NewCustomer(name=f"Dallas {suffix}", parent_customer_id=top.id))

    created = client.post(NewIntegration(type=IntegrationTypes.ZOHO, name=f"Zoho {suffix}",
                                         customer_id=child.id))
    assert created.name == f"Zoho {suffix}"
    assert created.type == IntegrationTypes.ZOHO
    assert [crumb.id for crumb in created.customer_breadcrumb] == [top.id, child.id]
    assert [field.id for field in created.settings_data_type.fields] == [
        "ClientId", "ClientSecret", "AccountsServer", "ApiDomain"]
    assert created.settings["AccountsServer"].string_value == "https://accounts.zoho.com"

    read = client.get(GetIntegration(integration_id=created.id))
    assert read.id == created.id
    assert read.customer_name == f"Dallas {suffix}"

    subtree = client.get(ListIntegrations(customer_ids=[top.id], count_per_page=10, page=0))
    assert subtree.total_count == 1
    assert subtree.items[0].id == created.id
    shallow = client.get(ListIntegrations(customer_ids=[top.id], shallow_parent=True))
    assert shallow.total_count == 0

    patched = client.patch(PatchIntegration(
        integration_id=created.id, name=f"Renamed {suffix}",
        settings={"ClientSecret": Value(string_value="python-client-secret")}))
    assert patched.name == f"Renamed {suffix}"
    assert patched.settings["ClientSecret"].string_value == "********"

    client.delete(DeleteIntegration(integration_id=created.id))
    with pytest.raises(WebServiceException) as raised:
        client.get(GetIntegration(integration_id=created.id))
    assert raised.value.status_code == 404
    assert raised.value.response_status.error_code == "NotFound"


def test_validation_errors_carry_field_errors():
    client = bearer_client()
    with pytest.raises(WebServiceException) as raised:
        client.post(NewIntegration(name=""))
    status = raised.value.response_status
    assert raised.value.status_code == 400
    assert status.error_code == "NotEmpty"
    assert [error.field_name for error in status.errors] == ["Type", "Name"]
    assert status.errors[1].message == "'Name' must not be empty."


def test_wrong_password_is_401():
    client = JsonServiceClient(BASE_URL)
    client.set_credentials("admin", "wrong password")
    with pytest.raises(WebServiceException) as raised:
        client.get(ListIntegrations())
    assert raised.value.status_code == 401
    assert raised.value.response_status.message == "Invalid Username or Password"


def test_credentials_login_keeps_session():
    client = JsonServiceClient(BASE_URL)
    session = client.post(Authenticate(provider="credentials", user_name="admin",
                                       password=PASSWORD, remember_me=True))
    assert session.user_name == "admin"
    assert session.session_id
    assert client.get(ListIntegrations(count_per_page=1)).total_count >= 0
    client.post(Authenticate(provider="logout"))
    with pytest.raises(WebServiceException) as raised:
        client.get(ListIntegrations())
    assert raised.value.status_code == 401
