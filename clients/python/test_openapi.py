"""Checks /openapi.json with openapi-spec-validator and against /types/metadata, and checks
real response bodies against the document's schemas. scripts/client-tests.sh starts the server
and sets the environment."""

import os
import uuid

import pytest
import requests
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

BASE_URL = os.environ["EVO_TEST_URL"]
API_KEY = os.environ["EVO_TEST_API_KEY"]
COMPONENTS = "#/components/schemas/"


@pytest.fixture(scope="module")
def openapi():
    response = requests.get(f"{BASE_URL}/openapi.json", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture(scope="module")
def metadata():
    response = requests.get(f"{BASE_URL}/types/metadata", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def operation(metadata, name):
    matches = [op for op in metadata["operations"] if op["request"]["name"] == name]
    assert len(matches) == 1, f"{len(matches)} operations named {name}"
    return matches[0]


def schema_of(openapi, reference):
    assert reference.startswith(COMPONENTS), reference
    return openapi["components"]["schemas"][reference[len(COMPONENTS):]]


def body_validator(openapi, reference):
    """A JSON Schema 2020-12 validator for the component `reference`, with the document's
    components beside it so that its `$ref`s resolve."""
    schema = {"$ref": reference, "components": openapi["components"]}
    return Draft202012Validator(schema)


def test_openapi_is_valid_3_1(openapi):
    assert openapi["openapi"].startswith("3.1.")
    validate(openapi, cls=OpenAPIV31SpecValidator)


def test_openapi_names_service_and_server(openapi):
    assert openapi["info"]["title"] == "Evo Voice"
    assert openapi["info"]["version"]
    assert openapi["servers"] == [{"url": BASE_URL}]


def test_every_operation_appears_on_its_routes(openapi, metadata):
    operations = metadata["operations"]
    assert len(operations) >= 20
    for op in operations:
        name = op["request"]["name"]
        routes = op["routes"] or [{"path": f"/json/reply/{name}", "verbs": "POST"}]
        for route in routes:
            path = route["path"].replace("*}", "}")
            assert path in openapi["paths"], f"{name}: {path} missing"
            for verb in route["verbs"].split(","):
                entry = openapi["paths"][path].get(verb.lower())
                assert entry is not None, f"{name}: {verb} {path} missing"
                assert entry["operationId"].startswith(name), entry["operationId"]


def test_operation_ids_are_unique(openapi):
    ids = [entry["operationId"] for item in openapi["paths"].values() for entry in item.values()]
    assert len(ids) == len(set(ids))


def test_new_integration_request_schema(openapi):
    post = openapi["paths"]["/integrations"]["post"]
    assert post["operationId"] == "NewIntegration"
    reference = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = schema_of(openapi, reference)
    properties = schema["properties"]
    assert list(properties) == ["accountId", "type", "name", "customerId"]
    assert properties["accountId"]["type"] == "string"
    assert properties["name"]["type"] == "string"
    assert properties["customerId"]["type"] == "string"
    integration_types = schema_of(openapi, properties["type"]["$ref"])
    assert integration_types["type"] == "string"
    assert integration_types["enum"] == ["HostedSuite", "OfficeRnd", "Zoho"]


def test_get_integration_has_path_parameter(openapi):
    get = openapi["paths"]["/integrations/{IntegrationId}"]["get"]
    parameters = [(p["name"], p["in"], p["required"]) for p in get["parameters"]]
    assert parameters == [("IntegrationId", "path", True)]
    assert "requestBody" not in get


def test_list_integrations_has_query_parameters(openapi):
    get = openapi["paths"]["/integrations"]["get"]
    names = {p["name"] for p in get["parameters"] if p["in"] == "query"}
    assert {"customerIds", "nameFilter", "types", "page", "countPerPage"} <= names
    response = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert response == f"{COMPONENTS}ListResponse_IntegrationInfo_"


def test_delete_returns_204(openapi):
    responses = openapi["paths"]["/integrations/{IntegrationId}"]["delete"]["responses"]
    assert "204" in responses
    assert "200" not in responses
    for status in ["400", "401", "403", "404", "409"]:
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"{COMPONENTS}ErrorResponse"}


def test_security_is_lifted_for_anonymous_operations(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert schemes["Bearer"] == {"type": "http", "scheme": "bearer",
                                 "description": schemes["Bearer"]["description"]}
    assert schemes["Basic"]["scheme"] == "basic"
    assert (schemes["Session"]["type"], schemes["Session"]["in"], schemes["Session"]["name"]) == (
        "apiKey", "cookie", "ss-id")
    assert openapi["security"] == [{"Bearer": []}, {"Basic": []}, {"Session": []}]
    assert openapi["paths"]["/auth/status"]["get"]["security"] == []
    assert openapi["paths"]["/auth"]["post"]["security"] == []
    assert "security" not in openapi["paths"]["/integrations"]["post"]


def test_error_body_matches_error_schema(openapi):
    response = requests.post(f"{BASE_URL}/integrations", json={"name": ""}, timeout=30,
                             headers={"Authorization": f"Bearer {API_KEY}"})
    assert response.status_code == 400
    validator = body_validator(openapi, f"{COMPONENTS}ErrorResponse")
    errors = [error.message for error in validator.iter_errors(response.json())]
    assert errors == []
    # The schema is not so loose that anything passes.
    assert not validator.is_valid({"responseStatus": {"message": "no code"}})


def test_response_bodies_match_their_schemas(openapi):
    headers = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
    suffix = uuid.uuid4().hex[:8]
    customer = requests.post(f"{BASE_URL}/customers", json={"name": f"Schema {suffix}"},
                             headers=headers, timeout=30)
    assert customer.status_code == 200
    created = requests.post(f"{BASE_URL}/integrations", headers=headers, timeout=30,
                            json={"type": "Zoho", "name": f"Schema {suffix}",
                                  "customerId": customer.json()["id"]})
    assert created.status_code == 200
    listed = requests.get(f"{BASE_URL}/integrations", headers=headers, timeout=30,
                          params={"customerIds": customer.json()["id"]})
    assert listed.status_code == 200
    assert listed.json()["totalCount"] == 1

    for body, path, method in [(created.json(), "/integrations", "post"),
                               (listed.json(), "/integrations", "get")]:
        entry = openapi["paths"][path][method]
        reference = entry["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        validator = body_validator(openapi, reference)
        errors = [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(body)]
        assert errors == [], f"{method.upper()} {path}"
    wrong = dict(created.json(), type="Salesforce")
    assert not body_validator(openapi, f"{COMPONENTS}IntegrationInfo").is_valid(wrong)


def test_types_metadata_new_integration(metadata):
    new_integration = operation(metadata, "NewIntegration")
    assert new_integration["routes"] == [{"path": "/integrations", "verbs": "POST"}]
    assert new_integration["method"] == "POST"
    assert new_integration["requiresAuth"] is True
    assert new_integration["returnsVoid"] is False
    assert new_integration["returnType"]["name"] == "IntegrationInfo"
    names = [p["name"] for p in new_integration["request"]["properties"]]
    assert names == ["AccountId", "Type", "Name", "CustomerId"]
    assert metadata["config"]["baseUrl"] == BASE_URL


def test_types_metadata_inheritance(metadata):
    info = operation(metadata, "NewIntegration")["response"]
    assert info["name"] == "IntegrationInfo"
    assert info["inherits"]["name"] == "EntityInfo"
    assert "Id" not in [p["name"] for p in info["properties"]]
    entity = [t for t in metadata["types"] if t["name"] == "EntityInfo"]
    assert len(entity) == 1
    assert [p["name"] for p in entity[0]["properties"]][0] == "Id"


def test_types_metadata_enum_and_generics(metadata):
    integration_types = [t for t in metadata["types"] if t["name"] == "IntegrationTypes"]
    assert len(integration_types) == 1
    assert integration_types[0]["isEnum"] is True
    assert integration_types[0]["enumNames"] == ["HostedSuite", "OfficeRnd", "Zoho"]
    list_integrations = operation(metadata, "ListIntegrations")
    assert list_integrations["returnType"]["name"] == "ListResponse`1"
    assert list_integrations["returnType"]["genericArgs"] == ["IntegrationInfo"]
    assert list_integrations["request"]["inherits"]["name"] == "ListRequest`1"
    assert operation(metadata, "DeleteIntegration")["returnsVoid"] is True
    assert operation(metadata, "GetAuthStatus")["requiresAuth"] is False
