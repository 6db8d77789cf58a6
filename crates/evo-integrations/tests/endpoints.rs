//! End-to-end tests of the endpoint operations (users only) over a real socket.

mod common;

use std::time::Duration;

use common::{error_body, field_error_body, item_ids, sorted, with_query, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

/// Sends `GET /endpoints?{query}` and returns the list, expecting 200.
async fn list_endpoints(server: &TestServer, query: &str) -> Value {
    server
        .get(&format!("/endpoints?{query}"))
        .await
        .expect(200)
        .json()
}

/// Builds the 409 body for a reference id that another endpoint of the account has.
fn duplicate_body() -> String {
    error_body(
        "Duplicate",
        "Another endpoint of this account has the same ReferenceId.",
    )
}

/// Returns the `id` of an endpoint reply.
fn endpoint_id(info: &Value) -> String {
    info["id"].as_str().expect("an id").to_owned()
}

/// Creates a user endpoint named `display_name`, on `customer` when given.
async fn new_user(server: &TestServer, display_name: &str, customer: Option<&str>) -> String {
    let info = server
        .new_endpoint(json!({ "displayName": display_name, "customerId": customer }))
        .await;
    endpoint_id(&info)
}

/// Creates customers `Acme > Acme Dallas` in the default account and returns (account, top, child).
async fn two_level_customers(server: &TestServer) -> (String, String, String) {
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Acme", None).await;
    let child = server
        .new_customer(&account, "Acme Dallas", Some(&top))
        .await;
    (account, top, child)
}

// NewEndpoint.

#[tokio::test]
async fn new_endpoint_fills_every_field() {
    let server = TestServer::start().await;
    let (account, top, child) = two_level_customers(&server).await;
    let status = server.get("/auth/status").await.expect(200).json();
    let admin_id = status["userId"].as_str().unwrap();

    let info = server
        .new_endpoint(json!({
            "accountId": account,
            "customerId": child,
            "referenceId": "crm-user-1",
            "displayName": "Ann Lee (Sales)",
            "type": "User",
            "userFirstName": "Ann",
            "userLastName": "Lee",
            "userEmailAddress": "ann@example.com",
            "phoneNumber": "+12145550100",
        }))
        .await;

    assert_eq!(info["accountId"], account);
    assert_eq!(info["accountName"], "Default");
    assert_eq!(info["customerId"], child);
    assert_eq!(info["customerName"], "Acme Dallas");
    assert_eq!(
        info["customerBreadcrumb"],
        json!([{ "id": top, "name": "Acme" }, { "id": child, "name": "Acme Dallas" }])
    );
    assert_eq!(info["referenceId"], "crm-user-1");
    assert_eq!(info["displayName"], "Ann Lee (Sales)");
    assert_eq!(info["type"], "User");
    assert_eq!(info["userFirstName"], "Ann");
    assert_eq!(info["userLastName"], "Lee");
    assert_eq!(info["userEmailAddress"], "ann@example.com");
    assert_eq!(info["phoneNumber"], "+12145550100");
    assert_eq!(endpoint_id(&info).len(), 26, "{info}");
    assert_eq!(info["dateCreated"], info["dateLastModified"]);
    assert_eq!(info["createdBy"], admin_id);
    assert_eq!(info["lastModifiedBy"], admin_id);
}

#[tokio::test]
async fn new_endpoint_members_follow_dto_order() {
    let server = TestServer::start().await;
    let (_, _, child) = two_level_customers(&server).await;
    let reply = server
        .post(
            "/endpoints",
            json!({
                "customerId": child,
                "referenceId": "r",
                "userFirstName": "Ann",
                "userLastName": "Lee",
                "userEmailAddress": "ann@example.com",
                "phoneNumber": "+1",
            }),
        )
        .await
        .expect(200);
    let info: serde_json::Map<String, Value> = serde_json::from_str(&reply.text).unwrap();
    let keys: Vec<&str> = info.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "accountId",
            "accountName",
            "customerId",
            "customerName",
            "customerBreadcrumb",
            "referenceId",
            "displayName",
            "type",
            "userFirstName",
            "userLastName",
            "userEmailAddress",
            "phoneNumber",
            "id",
            "dateCreated",
            "dateLastModified",
            "createdBy",
            "lastModifiedBy",
        ]
    );
}

#[tokio::test]
async fn new_endpoint_defaults_type_and_account() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let info = server
        .new_endpoint(json!({ "displayName": "Front desk" }))
        .await;
    assert_eq!(info["type"], "User");
    assert_eq!(info["accountId"], account);
    assert_eq!(info["accountName"], "Default");
    assert_eq!(info["customerBreadcrumb"], json!([]));
    for member in [
        "customerId",
        "customerName",
        "referenceId",
        "userFirstName",
        "userLastName",
        "userEmailAddress",
        "phoneNumber",
    ] {
        assert!(info.get(member).is_none(), "{member} in {info}");
    }
}

#[tokio::test]
async fn new_endpoint_type_binds_any_case() {
    let server = TestServer::start().await;
    let info = server
        .new_endpoint(json!({ "TYPE": "user", "DisplayName": "Shouty" }))
        .await;
    assert_eq!(info["type"], "User");
    assert_eq!(info["displayName"], "Shouty");
}

#[tokio::test]
async fn new_endpoint_other_type_is_400() {
    let server = TestServer::start().await;
    for endpoint_type in [
        "PhoneNumber",
        "FaxNumber",
        "EmailAddress",
        "Team",
        "Assistant",
    ] {
        let reply = server
            .post(
                "/endpoints",
                json!({ "type": endpoint_type, "displayName": "x" }),
            )
            .await
            .expect(400);
        let message =
            format!("Only endpoints of type User can be created here, not {endpoint_type}.");
        assert_eq!(
            reply.text,
            field_error_body("NotSupported", "Type", &message),
            "type {endpoint_type}"
        );
    }
    assert_eq!(list_endpoints(&server, "").await["totalCount"], 0);
}

#[tokio::test]
async fn new_endpoint_unknown_type_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .post("/endpoints", json!({ "type": "Robot", "displayName": "x" }))
        .await
        .expect(400);
    let status = &reply.json()["responseStatus"];
    assert_eq!(status["errorCode"], "SerializationException");
    assert_eq!(status["errors"][0]["fieldName"], "Type");
}

#[tokio::test]
async fn new_endpoint_display_name_from_user_names() {
    let server = TestServer::start().await;
    let cases = [
        (
            json!({ "userFirstName": "Ann", "userLastName": "Lee" }),
            "Ann Lee",
        ),
        (
            json!({ "userFirstName": " Ann ", "userLastName": " Lee " }),
            "Ann Lee",
        ),
        (json!({ "userFirstName": "Ann" }), "Ann"),
        (json!({ "userLastName": "Lee" }), "Lee"),
        (json!({ "userFirstName": "", "userLastName": "Lee" }), "Lee"),
        (
            json!({ "displayName": "  ", "userFirstName": "Ann", "userLastName": "Lee" }),
            "Ann Lee",
        ),
        (
            json!({ "displayName": "Boss", "userFirstName": "Ann", "userLastName": "Lee" }),
            "Boss",
        ),
        (json!({ "displayName": "  Trimmed  " }), "Trimmed"),
    ];
    for (body, expected) in cases {
        let info = server.new_endpoint(body.clone()).await;
        assert_eq!(info["displayName"], expected, "request: {body}");
    }
}

#[tokio::test]
async fn new_endpoint_without_any_name_is_400() {
    let server = TestServer::start().await;
    let expected = field_error_body(
        "NotEmpty",
        "DisplayName",
        "'Display Name' must not be empty: give it, or UserFirstName or UserLastName.",
    );
    for body in [
        json!({}),
        json!({ "displayName": "" }),
        json!({ "displayName": " ", "userFirstName": " ", "userLastName": "" }),
        json!({ "userEmailAddress": "ann@example.com" }),
    ] {
        let reply = server.post("/endpoints", body.clone()).await.expect(400);
        assert_eq!(reply.text, expected, "request: {body}");
    }
}

#[tokio::test]
async fn new_endpoint_bad_email_is_400() {
    let server = TestServer::start().await;
    for email in ["not-an-email", "@example.com", "ann@"] {
        let reply = server
            .post(
                "/endpoints",
                json!({ "displayName": "x", "userEmailAddress": email }),
            )
            .await
            .expect(400);
        let message = "'User Email Address' is not a valid email address.".to_owned();
        assert_eq!(
            reply.text,
            field_error_body("EmailAddress", "UserEmailAddress", &message),
            "email {email}"
        );
    }
    let info = server
        .new_endpoint(json!({ "displayName": "x", "userEmailAddress": " ann@example.com " }))
        .await;
    assert_eq!(info["userEmailAddress"], "ann@example.com");
}

#[tokio::test]
async fn new_endpoint_email_with_two_at_signs_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/endpoints",
            json!({ "displayName": "x", "userEmailAddress": "ann@example@com" }),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 400, "body: {}", reply.text);
    assert_eq!(
        reply.json()["responseStatus"]["errors"][0]["fieldName"],
        "UserEmailAddress"
    );
}

#[tokio::test]
async fn new_endpoint_lists_every_failure() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/endpoints",
            json!({ "type": "Team", "userEmailAddress": "nope" }),
        )
        .await
        .expect(400);
    let fields: Vec<String> = reply.json()["responseStatus"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["fieldName"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["Type", "UserEmailAddress", "DisplayName"]);
}

#[tokio::test]
async fn new_endpoint_foreign_customer_is_400() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let other = server.new_account("Other").await;
    let foreign = server.new_customer(&other, "Elsewhere", None).await;
    let reply = server
        .post(
            "/endpoints",
            json!({ "accountId": account, "displayName": "x", "customerId": foreign }),
        )
        .await
        .expect(400);
    let message = format!("Customer '{foreign}' does not belong to account '{account}'.");
    assert_eq!(
        reply.text,
        field_error_body("NotInAccount", "CustomerId", &message)
    );
}

#[tokio::test]
async fn new_endpoint_unknown_customer_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/endpoints",
            json!({ "displayName": "x", "customerId": "nope" }),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Customer 'nope' was not found.")
    );
    assert_eq!(list_endpoints(&server, "").await["totalCount"], 0);
}

#[tokio::test]
async fn new_endpoint_unknown_account_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/endpoints",
            json!({ "displayName": "x", "accountId": "nope" }),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Account 'nope' was not found.")
    );
}

#[tokio::test]
async fn new_endpoint_in_other_account() {
    let server = TestServer::start().await;
    let other = server.new_account("Other").await;
    let customer = server.new_customer(&other, "Elsewhere", None).await;
    let info = server
        .new_endpoint(json!({ "accountId": other, "customerId": customer, "displayName": "x" }))
        .await;
    assert_eq!(info["accountId"], other);
    assert_eq!(info["accountName"], "Other");
    assert_eq!(info["customerName"], "Elsewhere");
}

// ReferenceId uniqueness.

#[tokio::test]
async fn duplicate_reference_in_account_is_409() {
    let server = TestServer::start().await;
    let first = server
        .new_endpoint(json!({ "displayName": "First", "referenceId": "crm-1" }))
        .await;

    for reference in ["crm-1", "  crm-1 "] {
        let reply = server
            .post(
                "/endpoints",
                json!({ "displayName": "Second", "referenceId": reference }),
            )
            .await
            .expect(409);
        assert_eq!(reply.text, duplicate_body(), "referenceId {reference:?}");
    }
    let list = list_endpoints(&server, "").await;
    assert_eq!(item_ids(&list), [endpoint_id(&first)]);
}

#[tokio::test]
async fn concurrent_duplicate_references_create_one() {
    let server = TestServer::start().await;
    let body = json!({ "displayName": "Racer", "referenceId": "crm-race" });
    let replies =
        futures::future::join_all((0..6).map(|_| server.post("/endpoints", body.clone()))).await;

    let created = replies.iter().filter(|reply| reply.status == 200).count();
    assert_eq!(created, 1, "{replies:?}");
    for reply in replies.iter().filter(|reply| reply.status != 200) {
        assert_eq!(reply.status.as_u16(), 409, "{}", reply.text);
        assert_eq!(reply.text, duplicate_body());
    }
    assert_eq!(
        list_endpoints(&server, "referenceIds=crm-race").await["totalCount"],
        1
    );
}

#[tokio::test]
async fn same_reference_in_other_account_is_allowed() {
    let server = TestServer::start().await;
    let other = server.new_account("Other").await;
    server
        .new_endpoint(json!({ "displayName": "Here", "referenceId": "crm-1" }))
        .await;
    let info = server
        .new_endpoint(json!({ "accountId": other, "displayName": "There", "referenceId": "crm-1" }))
        .await;
    assert_eq!(info["referenceId"], "crm-1");
    assert_eq!(info["accountId"], other);
}

#[tokio::test]
async fn endpoints_without_reference_do_not_collide() {
    let server = TestServer::start().await;
    server.new_endpoint(json!({ "displayName": "One" })).await;
    server
        .new_endpoint(json!({ "displayName": "Two", "referenceId": "" }))
        .await;
    server.new_endpoint(json!({ "displayName": "Three" })).await;
    assert_eq!(list_endpoints(&server, "").await["totalCount"], 3);
}

#[tokio::test]
async fn patch_to_duplicate_reference_is_409() {
    let server = TestServer::start().await;
    server
        .new_endpoint(json!({ "displayName": "First", "referenceId": "crm-1" }))
        .await;
    let second = server
        .new_endpoint(json!({ "displayName": "Second", "referenceId": "crm-2" }))
        .await;
    let path = format!("/endpoints/{}", endpoint_id(&second));
    let reply = server
        .patch(&path, json!({ "referenceId": "crm-1" }))
        .await
        .expect(409);
    assert_eq!(reply.text, duplicate_body());
    assert_eq!(server.get(&path).await.expect(200).json(), second);

    // A cleared reference frees the id for another endpoint.
    server
        .patch(&path, json!({ "referenceId": "" }))
        .await
        .expect(200);
    server
        .new_endpoint(json!({ "displayName": "Third", "referenceId": "crm-2" }))
        .await;
}

// GetEndpoint.

#[tokio::test]
async fn get_endpoint_returns_what_new_returned() {
    let server = TestServer::start().await;
    let (_, _, child) = two_level_customers(&server).await;
    let created = server
        .new_endpoint(json!({
            "customerId": child,
            "userFirstName": "Ann",
            "userEmailAddress": "ann@example.com",
            "referenceId": "crm-1",
        }))
        .await;
    let fetched = server
        .get(&format!("/endpoints/{}", endpoint_id(&created)))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn get_unknown_endpoint_is_404() {
    let server = TestServer::start().await;
    let reply = server.get("/endpoints/missing").await.expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Endpoint 'missing' was not found.")
    );
}

// PatchEndpoint.

#[tokio::test]
async fn patch_endpoint_changes_given_members() {
    let server = TestServer::start().await;
    let (_, top, child) = two_level_customers(&server).await;
    let created = server
        .new_endpoint(json!({
            "customerId": child,
            "displayName": "Ann",
            "userFirstName": "Ann",
            "referenceId": "crm-1",
        }))
        .await;
    let path = format!("/endpoints/{}", endpoint_id(&created));
    tokio::time::sleep(Duration::from_millis(5)).await;

    let patched = server
        .patch(
            &path,
            json!({
                "customerId": top,
                "displayName": " Ann Lee ",
                "userLastName": "Lee",
                "userEmailAddress": "ann@example.com",
                "phoneNumber": "+12145550100",
            }),
        )
        .await
        .expect(200)
        .json();

    assert_eq!(patched["customerId"], top);
    assert_eq!(patched["customerName"], "Acme");
    assert_eq!(
        patched["customerBreadcrumb"],
        json!([{ "id": top, "name": "Acme" }])
    );
    assert_eq!(patched["displayName"], "Ann Lee");
    assert_eq!(patched["userFirstName"], "Ann");
    assert_eq!(patched["userLastName"], "Lee");
    assert_eq!(patched["userEmailAddress"], "ann@example.com");
    assert_eq!(patched["phoneNumber"], "+12145550100");
    assert_eq!(patched["referenceId"], "crm-1");
    assert_eq!(patched["type"], "User");
    assert_eq!(patched["dateCreated"], created["dateCreated"]);
    assert!(
        patched["dateLastModified"].as_str() > created["dateLastModified"].as_str(),
        "{patched}"
    );
    assert_eq!(server.get(&path).await.expect(200).json(), patched);
}

#[tokio::test]
async fn patch_endpoint_empty_customer_detaches() {
    let server = TestServer::start().await;
    let (_, _, child) = two_level_customers(&server).await;
    let id = new_user(&server, "Ann", Some(&child)).await;
    let path = format!("/endpoints/{id}");

    let patched = server
        .patch(&path, json!({ "customerId": "" }))
        .await
        .expect(200)
        .json();
    assert!(patched.get("customerId").is_none(), "{patched}");
    assert!(patched.get("customerName").is_none(), "{patched}");
    assert_eq!(patched["customerBreadcrumb"], json!([]));

    // The customer no longer has the endpoint, so it can be deleted.
    server
        .delete(&format!("/customers/{child}"))
        .await
        .expect(204);
}

#[tokio::test]
async fn patch_endpoint_empty_strings_clear_members() {
    let server = TestServer::start().await;
    let created = server
        .new_endpoint(json!({
            "displayName": "Ann Lee",
            "referenceId": "crm-1",
            "userFirstName": "Ann",
            "userLastName": "Lee",
            "userEmailAddress": "ann@example.com",
            "phoneNumber": "+12145550100",
        }))
        .await;
    let path = format!("/endpoints/{}", endpoint_id(&created));

    let patched = server
        .patch(
            &path,
            json!({
                "referenceId": "",
                "userFirstName": "",
                "userLastName": " ",
                "userEmailAddress": "",
                "phoneNumber": "",
            }),
        )
        .await
        .expect(200)
        .json();

    for member in [
        "referenceId",
        "userFirstName",
        "userLastName",
        "userEmailAddress",
        "phoneNumber",
    ] {
        assert!(patched.get(member).is_none(), "{member} in {patched}");
    }
    assert_eq!(patched["displayName"], "Ann Lee");
    assert_eq!(server.get(&path).await.expect(200).json(), patched);
}

#[tokio::test]
async fn patch_endpoint_keeps_left_out_members() {
    let server = TestServer::start().await;
    let (_, _, child) = two_level_customers(&server).await;
    let created = server
        .new_endpoint(json!({
            "customerId": child,
            "displayName": "Ann",
            "referenceId": "crm-1",
            "userEmailAddress": "ann@example.com",
        }))
        .await;
    let path = format!("/endpoints/{}", endpoint_id(&created));
    let patched = server
        .patch(&path, json!({ "phoneNumber": "+1", "customerId": null }))
        .await
        .expect(200)
        .json();
    assert_eq!(patched["customerId"], child);
    assert_eq!(patched["displayName"], "Ann");
    assert_eq!(patched["referenceId"], "crm-1");
    assert_eq!(patched["userEmailAddress"], "ann@example.com");
    assert_eq!(patched["phoneNumber"], "+1");
}

#[tokio::test]
async fn patch_endpoint_blank_display_name_is_400() {
    let server = TestServer::start().await;
    let id = new_user(&server, "Kept", None).await;
    let path = format!("/endpoints/{id}");
    let reply = server
        .patch(&path, json!({ "displayName": "  " }))
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "NotEmpty",
            "DisplayName",
            "'Display Name' must not be empty."
        )
    );
    assert_eq!(
        server.get(&path).await.expect(200).json()["displayName"],
        "Kept"
    );
}

#[tokio::test]
async fn patch_endpoint_bad_email_is_400() {
    let server = TestServer::start().await;
    let id = new_user(&server, "Ann", None).await;
    let reply = server
        .patch(
            &format!("/endpoints/{id}"),
            json!({ "userEmailAddress": "ann.example.com" }),
        )
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "EmailAddress",
            "UserEmailAddress",
            "'User Email Address' is not a valid email address."
        )
    );
}

#[tokio::test]
async fn patch_endpoint_foreign_customer_is_400() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let other = server.new_account("Other").await;
    let foreign = server.new_customer(&other, "Elsewhere", None).await;
    let id = new_user(&server, "Ann", None).await;
    let reply = server
        .patch(
            &format!("/endpoints/{id}"),
            json!({ "customerId": foreign }),
        )
        .await
        .expect(400);
    let message = format!("Customer '{foreign}' does not belong to account '{account}'.");
    assert_eq!(
        reply.text,
        field_error_body("NotInAccount", "CustomerId", &message)
    );
}

#[tokio::test]
async fn patch_unknown_endpoint_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .patch("/endpoints/missing", json!({ "displayName": "x" }))
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Endpoint 'missing' was not found.")
    );
}

// DeleteEndpoint.

#[tokio::test]
async fn delete_endpoint_is_204_then_404() {
    let server = TestServer::start().await;
    let id = new_user(&server, "Doomed", None).await;
    let path = format!("/endpoints/{id}");

    let reply = server.delete(&path).await.expect(204);
    assert_eq!(reply.text, "");

    let expected = error_body("NotFound", &format!("Endpoint '{id}' was not found."));
    assert_eq!(server.get(&path).await.expect(404).text, expected);
    assert_eq!(server.delete(&path).await.expect(404).text, expected);
    assert_eq!(list_endpoints(&server, "").await["totalCount"], 0);
}

// ListEndpoints filters.

/// Endpoints on the customer tree `A > A1 > A11` and `B`, plus one without a customer.
struct Spread {
    account: String,
    a: String,
    a1: String,
    b: String,
    on_a: String,
    on_a1: String,
    on_a11: String,
    on_b: String,
    loose: String,
}

async fn new_spread(server: &TestServer) -> Spread {
    let account = server.default_account().await;
    let a = server.new_customer(&account, "A", None).await;
    let a1 = server.new_customer(&account, "A1", Some(&a)).await;
    let a11 = server.new_customer(&account, "A11", Some(&a1)).await;
    let b = server.new_customer(&account, "B", None).await;
    Spread {
        on_a: new_user(server, "On A", Some(&a)).await,
        on_a1: new_user(server, "On A1", Some(&a1)).await,
        on_a11: new_user(server, "On A11", Some(&a11)).await,
        on_b: new_user(server, "On B", Some(&b)).await,
        loose: new_user(server, "Loose", None).await,
        account,
        a,
        a1,
        b,
    }
}

#[tokio::test]
async fn list_endpoints_customer_filter_covers_subtree() {
    let server = TestServer::start().await;
    let spread = new_spread(&server).await;

    let list = list_endpoints(&server, &format!("customerIds={}", spread.a)).await;
    assert_eq!(
        sorted(&item_ids(&list)),
        sorted(&[&spread.on_a, &spread.on_a1, &spread.on_a11])
    );

    let query = format!("customerIds={},{}", spread.a1, spread.b);
    let list = list_endpoints(&server, &query).await;
    assert_eq!(
        sorted(&item_ids(&list)),
        sorted(&[&spread.on_a1, &spread.on_a11, &spread.on_b])
    );
}

#[tokio::test]
async fn list_endpoints_shallow_parent_matches_exactly() {
    let server = TestServer::start().await;
    let spread = new_spread(&server).await;

    let query = format!("customerIds={}&shallowParent=true", spread.a);
    let list = list_endpoints(&server, &query).await;
    assert_eq!(item_ids(&list), [spread.on_a.as_str()]);

    let query = format!(
        "customerIds=[{},{}]&shallowParent=true",
        spread.a1, spread.b
    );
    let list = list_endpoints(&server, &query).await;
    assert_eq!(
        sorted(&item_ids(&list)),
        sorted(&[&spread.on_a1, &spread.on_b])
    );
}

#[tokio::test]
async fn list_endpoints_filters_by_account() {
    let server = TestServer::start().await;
    let spread = new_spread(&server).await;
    let other = server.new_account("Other").await;
    let elsewhere = server
        .new_endpoint(json!({ "accountId": other, "displayName": "Elsewhere" }))
        .await;

    let list = list_endpoints(&server, &format!("accountIds={other}")).await;
    assert_eq!(item_ids(&list), [endpoint_id(&elsewhere)]);
    assert_eq!(list["items"][0]["accountName"], "Other");

    let list = list_endpoints(&server, &format!("accountIds={}", spread.account)).await;
    assert_eq!(list["totalCount"], 5);
    let list = list_endpoints(&server, &format!("accountIds={},{other}", spread.account)).await;
    assert_eq!(list["totalCount"], 6);
}

#[tokio::test]
async fn list_endpoints_filters_by_reference_ids() {
    let server = TestServer::start().await;
    let mut ids = Vec::new();
    for reference in ["crm-1", "crm-2", "crm-3"] {
        let info = server
            .new_endpoint(json!({ "displayName": reference, "referenceId": reference }))
            .await;
        ids.push(endpoint_id(&info));
    }
    new_user(&server, "No reference", None).await;

    let list = list_endpoints(&server, "referenceIds=crm-3,crm-1").await;
    assert_eq!(sorted(&item_ids(&list)), sorted(&[&ids[0], &ids[2]]));
    let list = list_endpoints(&server, "referenceIds=[crm-2]").await;
    assert_eq!(item_ids(&list), [ids[1].as_str()]);
}

#[tokio::test]
async fn list_endpoints_name_filter_ignores_case() {
    let server = TestServer::start().await;
    let ann = new_user(&server, "Ann Lee", None).await;
    let joann = new_user(&server, "JOANN Smith", None).await;
    let jurgen = new_user(&server, "Jürgen Groß", None).await;

    let cases: [(&str, Vec<&String>); 5] = [
        ("ann", vec![&ann, &joann]),
        ("ANN", vec![&ann, &joann]),
        ("jürgen", vec![&jurgen]),
        ("JÜRGEN", vec![&jurgen]),
        ("groß", vec![&jurgen]),
    ];
    for (filter, expected) in cases {
        let path = with_query("/endpoints", &[("nameFilter", filter)]);
        let list = server.get(&path).await.expect(200).json();
        assert_eq!(
            sorted(&item_ids(&list)),
            sorted(&expected),
            "nameFilter {filter}"
        );
    }
}

#[tokio::test]
async fn list_endpoints_filters_by_type() {
    let server = TestServer::start().await;
    let spread = new_spread(&server).await;
    let everyone = sorted(&[
        &spread.on_a,
        &spread.on_a1,
        &spread.on_a11,
        &spread.on_b,
        &spread.loose,
    ]);

    let cases: [(&str, bool); 8] = [
        ("type=User", true),
        ("type=user", true),
        ("type=PhoneNumber", false),
        ("types=User", true),
        ("types=PhoneNumber,Team", false),
        ("types=[PhoneNumber,User]", true),
        ("types=[Team]", false),
        ("Types=FaxNumber,User", true),
    ];
    for (query, matches_users) in cases {
        let list = list_endpoints(&server, query).await;
        let expected = if matches_users {
            everyone.clone()
        } else {
            Vec::new()
        };
        assert_eq!(sorted(&item_ids(&list)), expected, "{query}");
    }
}

#[tokio::test]
async fn list_endpoints_sorts_by_display_name() {
    let server = TestServer::start().await;
    for name in ["charlie", "Alpha", "bravo"] {
        new_user(&server, name, None).await;
    }
    let names = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["displayName"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = list_endpoints(&server, "").await;
    assert_eq!(names(&list), ["Alpha", "bravo", "charlie"]);
    let list = list_endpoints(&server, "sortField=displayName&sortOrder=Descend").await;
    assert_eq!(names(&list), ["charlie", "bravo", "Alpha"]);

    let list = list_endpoints(&server, "countPerPage=2&page=1").await;
    assert_eq!(names(&list), ["charlie"]);
    assert_eq!(list["totalCount"], 3);
    assert_eq!(list["totalPages"], 2);
    assert_eq!(list["hasMorePages"], false);
}

#[tokio::test]
async fn list_endpoints_unknown_sort_field_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .get("/endpoints?sortField=Password")
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "InvalidSortField",
            "SortField",
            "'Password' cannot be sorted by; use one of DisplayName, Name, AccountId, \
             CustomerId, Type, ReferenceId, UserFirstName, UserLastName, UserEmailAddress, \
             PhoneNumber, Id, DateCreated, DateLastModified, CreatedBy, LastModifiedBy."
        )
    );
}

// Predefined routes and authentication.

#[tokio::test]
async fn endpoint_operations_on_predefined_routes() {
    let server = TestServer::start().await;
    let (_, top, child) = two_level_customers(&server).await;

    let first = server
        .post(
            "/api/NewEndpoint",
            json!({ "displayName": "Via api", "customerId": top }),
        )
        .await
        .expect(200)
        .json();
    let first_id = endpoint_id(&first);
    let second = server
        .post(
            "/json/reply/NewEndpoint",
            json!({ "userFirstName": "Via", "userLastName": "Reply", "customerId": child }),
        )
        .await
        .expect(200)
        .json();
    let second_id = endpoint_id(&second);
    assert_eq!(second["displayName"], "Via Reply");

    let fetched = server
        .get(&format!("/api/GetEndpoint?endpointId={first_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, first);
    let fetched = server
        .get(&format!("/json/reply/GetEndpoint?EndpointId={second_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, second);

    let list = server
        .get(&format!(
            "/json/reply/ListEndpoints?customerIds={top}&shallowParent=true"
        ))
        .await
        .expect(200)
        .json();
    assert_eq!(item_ids(&list), [first_id.as_str()]);
    let list = server
        .get(&format!("/api/ListEndpoints?customerIds={top}&type=User"))
        .await
        .expect(200)
        .json();
    assert_eq!(sorted(&item_ids(&list)), sorted(&[&first_id, &second_id]));

    let patched = server
        .post(
            "/api/PatchEndpoint",
            json!({ "endpointId": first_id, "displayName": "Patched by api" }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(patched["displayName"], "Patched by api");
    let patched = server
        .post(
            "/json/reply/PatchEndpoint",
            json!({ "endpointId": second_id, "customerId": "" }),
        )
        .await
        .expect(200)
        .json();
    assert!(patched.get("customerId").is_none(), "{patched}");

    let reply = server
        .post("/api/DeleteEndpoint", json!({ "endpointId": first_id }))
        .await
        .expect(204);
    assert_eq!(reply.text, "");
    server
        .post(
            "/json/reply/DeleteEndpoint",
            json!({ "endpointId": second_id }),
        )
        .await
        .expect(204);
    assert_eq!(list_endpoints(&server, "").await["totalCount"], 0);
}

#[tokio::test]
async fn endpoint_operations_without_credentials_are_401() {
    let server = TestServer::start().await;
    let id = new_user(&server, "Private", None).await;
    let path = format!("/endpoints/{id}");
    let body = json!({ "displayName": "x" });
    let requests = [
        (Method::POST, "/endpoints".to_owned(), Some(body.clone())),
        (Method::GET, "/endpoints".to_owned(), None),
        (Method::GET, path.clone(), None),
        (Method::PATCH, path.clone(), Some(body.clone())),
        (Method::DELETE, path.clone(), None),
        (Method::POST, "/api/NewEndpoint".to_owned(), Some(body)),
        (
            Method::GET,
            "/json/reply/ListEndpoints?type=User".to_owned(),
            None,
        ),
        (
            Method::GET,
            format!("/api/GetEndpoint?endpointId={id}"),
            None,
        ),
    ];
    for (method, target, body) in requests {
        let reply = server.send(method.clone(), &target, body, None).await;
        let context = format!("{method} {target}");
        assert_eq!(reply.status.as_u16(), 401, "{context}: {}", reply.text);
        assert_eq!(
            reply.text,
            error_body(
                "Unauthorized",
                "Authentication required: send 'Authorization: Bearer <API key>' or Basic \
                 credentials."
            ),
            "{context}"
        );
        assert_eq!(
            reply.headers.get("www-authenticate").unwrap(),
            r#"credentials realm="/auth/credentials""#,
            "{context}"
        );
    }
    let info = server.get(&path).await.expect(200).json();
    assert_eq!(info["displayName"], "Private");
}
