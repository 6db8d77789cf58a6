//! End-to-end tests of the customer operations, and of the `ListRequest` members (paging,
//! sorting, specific ids) that every list operation shares, shown on `ListCustomers`.

mod common;

use std::time::Duration;

use common::{error_body, field_error_body, id_of, item_ids, sorted, with_query, TestServer};
use evo_integrations::domain::MAX_CUSTOMER_DEPTH;
use reqwest::Method;
use serde_json::{json, Value};

/// Sends `GET /customers?{query}` and returns the list, expecting 200.
async fn list_customers(server: &TestServer, query: &str) -> Value {
    server
        .get(&format!("/customers?{query}"))
        .await
        .expect(200)
        .json()
}

/// Waits long enough for the millisecond timestamps to change.
async fn next_millisecond() {
    tokio::time::sleep(Duration::from_millis(5)).await;
}

/// Customers of the default account: `A > A1 > A11`, `A > A2`, `B > B1` and `C`.
struct Tree {
    account: String,
    a: String,
    a1: String,
    a11: String,
    a2: String,
    b: String,
    b1: String,
    c: String,
}

async fn new_tree(server: &TestServer) -> Tree {
    let account = server.default_account().await;
    let a = server.new_customer(&account, "A", None).await;
    let a1 = server.new_customer(&account, "A1", Some(&a)).await;
    let a11 = server.new_customer(&account, "A11", Some(&a1)).await;
    let a2 = server.new_customer(&account, "A2", Some(&a)).await;
    let b = server.new_customer(&account, "B", None).await;
    let b1 = server.new_customer(&account, "B1", Some(&b)).await;
    let c = server.new_customer(&account, "C", None).await;
    Tree {
        account,
        a,
        a1,
        a11,
        a2,
        b,
        b1,
        c,
    }
}

// NewCustomer.

#[tokio::test]
async fn new_customer_fills_every_field() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let status = server.get("/auth/status").await.expect(200).json();
    let admin_id = status["userId"].as_str().unwrap();
    let top = server.new_customer(&account, "Acme", None).await;

    let info = server
        .post(
            "/customers",
            json!({
                "accountId": account,
                "name": "Acme Dallas",
                "parentCustomerId": top,
                "referenceId": "crm-42",
            }),
        )
        .await
        .expect(200)
        .json();

    let id = info["id"].as_str().unwrap();
    assert_eq!(info["accountId"], account);
    assert_eq!(info["accountName"], "Default");
    assert_eq!(info["parentCustomerId"], top);
    assert_eq!(
        info["breadcrumb"],
        json!([{ "id": top, "name": "Acme" }, { "id": id, "name": "Acme Dallas" }])
    );
    assert_eq!(info["isStaging"], false);
    assert_eq!(info["name"], "Acme Dallas");
    assert_eq!(info["referenceId"], "crm-42");
    assert_eq!(info["data"], json!({}));
    assert!(info.get("integrationData").is_none(), "{info}");
    assert_eq!(id.len(), 26, "{id}");
    assert_eq!(info["dateCreated"], info["dateLastModified"]);
    assert_eq!(info["createdBy"], admin_id);
    assert_eq!(info["lastModifiedBy"], admin_id);
}

#[tokio::test]
async fn new_customer_members_follow_dto_order() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Acme", None).await;
    let reply = server
        .post(
            "/customers",
            json!({ "name": "Child", "parentCustomerId": top, "referenceId": "r" }),
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
            "parentCustomerId",
            "breadcrumb",
            "isStaging",
            "name",
            "referenceId",
            "data",
            "id",
            "dateCreated",
            "dateLastModified",
            "createdBy",
            "lastModifiedBy",
        ]
    );
    assert!(reply.content_type().starts_with("application/json"));
}

#[tokio::test]
async fn new_customer_defaults_to_callers_account() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    server.new_account("Second").await;
    let info = server
        .post("/customers", json!({ "name": "No account given" }))
        .await
        .expect(200)
        .json();
    assert_eq!(info["accountId"], account);
    assert_eq!(info["accountName"], "Default");
    assert!(info.get("parentCustomerId").is_none(), "{info}");
    assert!(info.get("referenceId").is_none(), "{info}");
    let id = info["id"].as_str().unwrap();
    assert_eq!(
        info["breadcrumb"],
        json!([{ "id": id, "name": "No account given" }])
    );
}

#[tokio::test]
async fn new_customer_in_named_account() {
    let server = TestServer::start().await;
    let other = server.new_account("Other").await;
    let info = server
        .post(
            "/customers",
            json!({ "accountId": other, "name": "Elsewhere" }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(info["accountId"], other);
    assert_eq!(info["accountName"], "Other");
}

#[tokio::test]
async fn new_customer_without_name_is_400() {
    let server = TestServer::start().await;
    let expected = field_error_body("NotEmpty", "Name", "'Name' must not be empty.");
    for body in [json!({}), json!({ "name": "" }), json!({ "name": "   " })] {
        let reply = server.post("/customers", body.clone()).await.expect(400);
        assert_eq!(reply.text, expected, "request: {body}");
    }
    let list = list_customers(&server, "").await;
    assert_eq!(list["totalCount"], 0);
}

#[tokio::test]
async fn new_customer_name_is_trimmed() {
    let server = TestServer::start().await;
    let info = server
        .post("/customers", json!({ "name": "  Acme  " }))
        .await
        .expect(200)
        .json();
    assert_eq!(info["name"], "Acme");
}

#[tokio::test]
async fn new_customer_name_over_200_is_400() {
    let server = TestServer::start().await;
    let longest = "é".repeat(200);
    let info = server
        .post("/customers", json!({ "name": longest }))
        .await
        .expect(200)
        .json();
    assert_eq!(info["name"], longest.as_str());

    let reply = server
        .post("/customers", json!({ "name": "x".repeat(201) }))
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "MaximumLength",
            "Name",
            "The length of 'Name' must be 200 characters or fewer. You entered 201 characters."
        )
    );
}

#[tokio::test]
async fn new_customer_parent_of_other_account_is_400() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let other = server.new_account("Other").await;
    let foreign = server.new_customer(&other, "Elsewhere", None).await;
    let reply = server
        .post(
            "/customers",
            json!({ "accountId": account, "name": "x", "parentCustomerId": foreign }),
        )
        .await
        .expect(400);
    let message = format!("Customer '{foreign}' does not belong to account '{account}'.");
    assert_eq!(
        reply.text,
        field_error_body("NotInAccount", "ParentCustomerId", &message)
    );
}

#[tokio::test]
async fn new_customer_unknown_parent_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/customers",
            json!({ "name": "x", "parentCustomerId": "nope" }),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Customer 'nope' was not found.")
    );
    let list = list_customers(&server, "").await;
    assert_eq!(list["totalCount"], 0);
}

#[tokio::test]
async fn new_customer_unknown_account_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .post("/customers", json!({ "name": "x", "accountId": "nope" }))
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Account 'nope' was not found.")
    );
}

#[tokio::test]
async fn new_customer_round_trips_data() {
    let server = TestServer::start().await;
    let data = json!({
        "plan": { "stringValue": "gold" },
        "active": { "boolValue": true },
        "seats": { "numberValue": 42 },
        "ratio": { "numberValue": 0.25 },
        "balance": { "numberValue": -3 },
        "contacts": { "listValue": [
            { "name": { "stringValue": "Ann" } },
            { "name": { "stringValue": "Bo" }, "primary": { "boolValue": false } },
        ] },
        "address": { "structValue": {
            "city": { "stringValue": "Dallas" },
            "zip": { "numberValue": 75201 },
        } },
        "unset": {},
    });
    let created = server
        .post(
            "/customers",
            json!({ "name": "Data", "referenceId": "crm-7", "data": data }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(created["data"], data);
    assert_eq!(created["referenceId"], "crm-7");
    let keys: Vec<&String> = created["data"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["plan", "active", "seats", "ratio", "balance", "contacts", "address", "unset"]
    );

    let id = created["id"].as_str().unwrap();
    let fetched = server
        .get(&format!("/customers/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched["data"], data);
    assert_eq!(fetched["referenceId"], "crm-7");
}

#[tokio::test]
async fn new_customer_binds_any_case() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Top", None).await;
    let info = server
        .post(
            "/customers",
            json!({
                "NAME": "Shouty",
                "ReferenceID": "R-1",
                "parentcustomerid": top,
                "Data": { "Color": { "StringValue": "red" } },
            }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(info["name"], "Shouty");
    assert_eq!(info["referenceId"], "R-1");
    assert_eq!(info["parentCustomerId"], top);
    // Data keys are names the client chose, so they keep their case.
    assert_eq!(info["data"], json!({ "Color": { "stringValue": "red" } }));
}

#[tokio::test]
async fn breadcrumb_runs_from_top_down() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let info = server
        .get(&format!("/customers/{}", tree.a11))
        .await
        .expect(200)
        .json();
    assert_eq!(
        info["breadcrumb"],
        json!([
            { "id": tree.a, "name": "A" },
            { "id": tree.a1, "name": "A1" },
            { "id": tree.a11, "name": "A11" },
        ])
    );
    let top = server
        .get(&format!("/customers/{}", tree.a))
        .await
        .expect(200)
        .json();
    assert_eq!(top["breadcrumb"], json!([{ "id": tree.a, "name": "A" }]));
}

// GetCustomer.

#[tokio::test]
async fn get_customer_returns_what_new_returned() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Top", None).await;
    let created = server
        .post(
            "/customers",
            json!({
                "name": "Child",
                "parentCustomerId": top,
                "referenceId": "r-1",
                "data": { "a": { "boolValue": true } },
            }),
        )
        .await
        .expect(200)
        .json();
    let id = created["id"].as_str().unwrap();
    let fetched = server
        .get(&format!("/customers/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn get_unknown_customer_is_404() {
    let server = TestServer::start().await;
    let reply = server.get("/customers/missing").await.expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Customer 'missing' was not found.")
    );
}

// PatchCustomer.

#[tokio::test]
async fn patch_customer_renames_and_touches_audit() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Old name", None).await;
    let child = server.new_customer(&account, "Child", Some(&top)).await;
    let path = format!("/customers/{top}");
    let before = server.get(&path).await.expect(200).json();
    next_millisecond().await;

    let patched = server
        .patch(&path, json!({ "name": " New name " }))
        .await
        .expect(200)
        .json();

    assert_eq!(patched["name"], "New name");
    assert_eq!(
        patched["breadcrumb"],
        json!([{ "id": top, "name": "New name" }])
    );
    assert_eq!(patched["dateCreated"], before["dateCreated"]);
    assert_ne!(patched["dateLastModified"], before["dateLastModified"]);
    assert!(
        patched["dateLastModified"].as_str() > before["dateLastModified"].as_str(),
        "{patched}"
    );
    assert_eq!(server.get(&path).await.expect(200).json(), patched);
    let child_info = server
        .get(&format!("/customers/{child}"))
        .await
        .expect(200)
        .json();
    assert_eq!(child_info["breadcrumb"][0]["name"], "New name");
}

#[tokio::test]
async fn patch_customer_keeps_left_out_members() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Top", None).await;
    let created = server
        .post(
            "/customers",
            json!({
                "name": "Child",
                "parentCustomerId": top,
                "referenceId": "r-1",
                "data": { "a": { "stringValue": "kept" } },
            }),
        )
        .await
        .expect(200)
        .json();
    let path = format!("/customers/{}", created["id"].as_str().unwrap());

    // A member sent as null is the same as one left out.
    let patched = server
        .patch(
            &path,
            json!({ "name": "Renamed", "parentCustomerId": null, "referenceId": null }),
        )
        .await
        .expect(200)
        .json();

    assert_eq!(patched["name"], "Renamed");
    assert_eq!(patched["parentCustomerId"], top);
    assert_eq!(patched["referenceId"], "r-1");
    assert_eq!(patched["data"], json!({ "a": { "stringValue": "kept" } }));
    assert_eq!(patched["accountId"], account);
}

#[tokio::test]
async fn patch_customer_moves_subtree() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let moved = server
        .patch(
            &format!("/customers/{}", tree.a1),
            json!({ "parentCustomerId": tree.b }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(moved["parentCustomerId"], tree.b);
    assert_eq!(
        moved["breadcrumb"],
        json!([{ "id": tree.b, "name": "B" }, { "id": tree.a1, "name": "A1" }])
    );

    let grandchild = server
        .get(&format!("/customers/{}", tree.a11))
        .await
        .expect(200)
        .json();
    assert_eq!(
        grandchild["breadcrumb"],
        json!([
            { "id": tree.b, "name": "B" },
            { "id": tree.a1, "name": "A1" },
            { "id": tree.a11, "name": "A11" },
        ])
    );
    let below_a = list_customers(&server, &format!("parentCustomerIds={}", tree.a)).await;
    assert_eq!(item_ids(&below_a), [tree.a2.as_str()]);
}

#[tokio::test]
async fn patch_customer_empty_parent_makes_top_level() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let patched = server
        .patch(
            &format!("/customers/{}", tree.a1),
            json!({ "parentCustomerId": "" }),
        )
        .await
        .expect(200)
        .json();
    assert!(patched.get("parentCustomerId").is_none(), "{patched}");
    assert_eq!(
        patched["breadcrumb"],
        json!([{ "id": tree.a1, "name": "A1" }])
    );
    let fetched = server
        .get(&format!("/customers/{}", tree.a1))
        .await
        .expect(200)
        .json();
    assert!(fetched.get("parentCustomerId").is_none(), "{fetched}");
}

#[tokio::test]
async fn patch_customer_as_own_parent_is_400() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let reply = server
        .patch(
            &format!("/customers/{}", tree.a),
            json!({ "parentCustomerId": tree.a }),
        )
        .await
        .expect(400);
    let message = format!(
        "Customer '{0}' is '{0}' itself or one of its descendants, so it cannot be its parent.",
        tree.a
    );
    assert_eq!(
        reply.text,
        field_error_body("InvalidParent", "ParentCustomerId", &message)
    );
}

#[tokio::test]
async fn patch_customer_under_descendant_is_400() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let path = format!("/customers/{}", tree.a);
    let before = server.get(&path).await.expect(200).json();

    let reply = server
        .patch(&path, json!({ "parentCustomerId": tree.a11 }))
        .await
        .expect(400);

    let message = format!(
        "Customer '{}' is '{}' itself or one of its descendants, so it cannot be its parent.",
        tree.a11, tree.a
    );
    assert_eq!(
        reply.text,
        field_error_body("InvalidParent", "ParentCustomerId", &message)
    );
    assert_eq!(server.get(&path).await.expect(200).json(), before);
}

#[tokio::test]
async fn concurrent_reparenting_never_forms_loop() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    for round in 0..20 {
        let a = server.new_customer(&account, "A", None).await;
        let b = server.new_customer(&account, "B", None).await;
        let (a_path, b_path) = (format!("/customers/{a}"), format!("/customers/{b}"));

        let (a_under_b, b_under_a) = tokio::join!(
            server.patch(&a_path, json!({ "parentCustomerId": b })),
            server.patch(&b_path, json!({ "parentCustomerId": a })),
        );

        let mut statuses = [a_under_b.status.as_u16(), b_under_a.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 400],
            "round {round}: exactly one move may succeed, else {a} and {b} form a loop. \
             Replies: {} / {}",
            a_under_b.text,
            b_under_a.text
        );
    }
}

/// Creates `Top` with a chain of `levels` customers below it and returns (top, deepest).
async fn deep_chain(server: &TestServer, levels: usize) -> (String, String) {
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Top", None).await;
    let mut deepest = top.clone();
    for level in 1..=levels {
        let name = format!("Level {level}");
        deepest = server.new_customer(&account, &name, Some(&deepest)).await;
    }
    (top, deepest)
}

#[tokio::test]
async fn breadcrumb_of_deepest_customer_starts_at_top() {
    let server = TestServer::start().await;
    let (top, deepest) = deep_chain(&server, MAX_CUSTOMER_DEPTH - 1).await;
    let info = server
        .get(&format!("/customers/{deepest}"))
        .await
        .expect(200)
        .json();
    let breadcrumb = info["breadcrumb"].as_array().unwrap();
    assert_eq!(
        breadcrumb[0]["id"],
        top.as_str(),
        "first: {}",
        breadcrumb[0]
    );
    assert_eq!(breadcrumb.len(), MAX_CUSTOMER_DEPTH);
}

#[tokio::test]
async fn customer_below_depth_limit_is_400() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let (_, deepest) = deep_chain(&server, MAX_CUSTOMER_DEPTH - 1).await;
    let reply = server
        .post(
            "/customers",
            json!({ "accountId": account, "name": "Too deep", "parentCustomerId": deepest }),
        )
        .await
        .expect(400);
    let message = format!(
        "A customer tree may be at most {MAX_CUSTOMER_DEPTH} levels deep; this change would make \
         it {} levels deep.",
        MAX_CUSTOMER_DEPTH + 1
    );
    assert_eq!(
        reply.text,
        field_error_body("MaximumDepth", "ParentCustomerId", &message)
    );
}

#[tokio::test]
async fn moving_subtree_past_depth_limit_is_400() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let (_, deepest) = deep_chain(&server, MAX_CUSTOMER_DEPTH - 2).await;
    let branch = server.new_customer(&account, "Branch", None).await;
    server.new_customer(&account, "Leaf", Some(&branch)).await;
    let reply = server
        .patch(
            &format!("/customers/{branch}"),
            json!({ "parentCustomerId": deepest }),
        )
        .await
        .expect(400);
    assert_eq!(reply.json()["responseStatus"]["errorCode"], "MaximumDepth");
}

#[tokio::test]
async fn patch_customer_under_deep_descendant_is_400() {
    let server = TestServer::start().await;
    let (top, deepest) = deep_chain(&server, MAX_CUSTOMER_DEPTH - 1).await;
    let reply = server
        .patch(
            &format!("/customers/{top}"),
            json!({ "parentCustomerId": deepest }),
        )
        .await;
    let start_of_body: String = reply.text.chars().take(300).collect();
    assert_eq!(reply.status.as_u16(), 400, "body: {start_of_body}");
    assert_eq!(reply.json()["responseStatus"]["errorCode"], "InvalidParent");
}

#[tokio::test]
async fn patch_customer_parent_of_other_account_is_400() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let other = server.new_account("Other").await;
    let foreign = server.new_customer(&other, "Elsewhere", None).await;
    let customer = server.new_customer(&account, "Here", None).await;
    let reply = server
        .patch(
            &format!("/customers/{customer}"),
            json!({ "parentCustomerId": foreign }),
        )
        .await
        .expect(400);
    let message = format!("Customer '{foreign}' does not belong to account '{account}'.");
    assert_eq!(
        reply.text,
        field_error_body("NotInAccount", "ParentCustomerId", &message)
    );
}

#[tokio::test]
async fn patch_customer_unknown_parent_is_404() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Here", None).await;
    let reply = server
        .patch(
            &format!("/customers/{customer}"),
            json!({ "parentCustomerId": "nope" }),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Customer 'nope' was not found.")
    );
}

#[tokio::test]
async fn patch_customer_empty_reference_clears_it() {
    let server = TestServer::start().await;
    let created = server
        .post("/customers", json!({ "name": "x", "referenceId": "crm-1" }))
        .await
        .expect(200)
        .json();
    let path = format!("/customers/{}", created["id"].as_str().unwrap());

    let changed = server
        .patch(&path, json!({ "referenceId": " crm-2 " }))
        .await
        .expect(200)
        .json();
    assert_eq!(changed["referenceId"], "crm-2");

    let cleared = server
        .patch(&path, json!({ "referenceId": "" }))
        .await
        .expect(200)
        .json();
    assert!(cleared.get("referenceId").is_none(), "{cleared}");
    let fetched = server.get(&path).await.expect(200).json();
    assert!(fetched.get("referenceId").is_none(), "{fetched}");
}

#[tokio::test]
async fn patch_customer_replaces_data() {
    let server = TestServer::start().await;
    let created = server
        .post(
            "/customers",
            json!({ "name": "x", "data": { "a": { "stringValue": "1" }, "b": { "boolValue": true } } }),
        )
        .await
        .expect(200)
        .json();
    let path = format!("/customers/{}", created["id"].as_str().unwrap());
    let patched = server
        .patch(&path, json!({ "data": { "c": { "numberValue": 3 } } }))
        .await
        .expect(200)
        .json();
    assert_eq!(patched["data"], json!({ "c": { "numberValue": 3 } }));
}

#[tokio::test]
async fn patch_customer_blank_name_is_400() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Kept", None).await;
    let path = format!("/customers/{customer}");
    let reply = server
        .patch(&path, json!({ "name": " " }))
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        field_error_body("NotEmpty", "Name", "'Name' must not be empty.")
    );
    assert_eq!(server.get(&path).await.expect(200).json()["name"], "Kept");
}

#[tokio::test]
async fn patch_unknown_customer_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .patch("/customers/missing", json!({ "name": "x" }))
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Customer 'missing' was not found.")
    );
}

// DeleteCustomer.

#[tokio::test]
async fn delete_customer_is_204_then_404() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Doomed", None).await;
    let path = format!("/customers/{customer}");

    let reply = server.delete(&path).await.expect(204);
    assert_eq!(reply.text, "");

    let reply = server.get(&path).await.expect(404);
    let expected = error_body("NotFound", &format!("Customer '{customer}' was not found."));
    assert_eq!(reply.text, expected);
    let reply = server.delete(&path).await.expect(404);
    assert_eq!(reply.text, expected);
    assert_eq!(list_customers(&server, "").await["totalCount"], 0);
}

/// Builds the 409 body for a customer that is still in use.
fn in_use_body(id: &str, children: u32, endpoints: u32, integrations: u32) -> String {
    error_body(
        "InUse",
        &format!(
            "Customer '{id}' is still in use (child customers: {children}, endpoints: \
             {endpoints}, integrations: {integrations}); delete or move those first."
        ),
    )
}

#[tokio::test]
async fn delete_customer_with_child_is_409() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Top", None).await;
    let child = server.new_customer(&account, "Child", Some(&top)).await;

    let reply = server
        .delete(&format!("/customers/{top}"))
        .await
        .expect(409);
    assert_eq!(reply.text, in_use_body(&top, 1, 0, 0));
    server.get(&format!("/customers/{top}")).await.expect(200);

    server
        .delete(&format!("/customers/{child}"))
        .await
        .expect(204);
    server
        .delete(&format!("/customers/{top}"))
        .await
        .expect(204);
}

#[tokio::test]
async fn delete_customer_with_endpoint_is_409() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Owner", None).await;
    let endpoint = server
        .new_endpoint(json!({ "displayName": "Ann", "customerId": customer }))
        .await;

    let reply = server
        .delete(&format!("/customers/{customer}"))
        .await
        .expect(409);
    assert_eq!(reply.text, in_use_body(&customer, 0, 1, 0));

    let endpoint_id = endpoint["id"].as_str().unwrap();
    server
        .delete(&format!("/endpoints/{endpoint_id}"))
        .await
        .expect(204);
    server
        .delete(&format!("/customers/{customer}"))
        .await
        .expect(204);
}

#[tokio::test]
async fn delete_customer_with_integration_is_409() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Owner", None).await;
    let integration = server
        .new_integration(json!({ "type": "Zoho", "name": "Z", "customerId": customer }))
        .await;

    let reply = server
        .delete(&format!("/customers/{customer}"))
        .await
        .expect(409);
    assert_eq!(reply.text, in_use_body(&customer, 0, 0, 1));

    let integration_id = integration["id"].as_str().unwrap();
    server
        .delete(&format!("/integrations/{integration_id}"))
        .await
        .expect(204);
    server
        .delete(&format!("/customers/{customer}"))
        .await
        .expect(204);
}

#[tokio::test]
async fn delete_customer_in_use_counts_everything() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Busy", None).await;
    server.new_customer(&account, "One", Some(&customer)).await;
    server.new_customer(&account, "Two", Some(&customer)).await;
    for name in ["Ann", "Bo", "Cy"] {
        server
            .new_endpoint(json!({ "displayName": name, "customerId": customer }))
            .await;
    }
    server
        .new_integration(json!({ "type": "Zoho", "name": "Z", "customerId": customer }))
        .await;

    let reply = server
        .delete(&format!("/customers/{customer}"))
        .await
        .expect(409);
    assert_eq!(reply.text, in_use_body(&customer, 2, 3, 1));
}

// ListCustomers filters.

#[tokio::test]
async fn list_customers_filters_by_account() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let other = server.new_account("Other").await;
    let third = server.new_account("Third").await;
    let in_default = server.new_customer(&account, "Here", None).await;
    let in_other = server.new_customer(&other, "There", None).await;
    let elsewhere = server.new_customer(&third, "Elsewhere", None).await;

    let list = list_customers(&server, &format!("accountIds={other}")).await;
    assert_eq!(item_ids(&list), [in_other.as_str()]);
    assert_eq!(list["totalCount"], 1);
    assert_eq!(list["items"][0]["accountName"], "Other");

    let list = list_customers(&server, &format!("accountIds={account},{third}")).await;
    assert_eq!(sorted(&item_ids(&list)), sorted(&[in_default, elsewhere]));

    let everything = list_customers(&server, "").await;
    assert_eq!(everything["totalCount"], 3);
}

#[tokio::test]
async fn list_customers_name_filter_ignores_case() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let acme = server.new_customer(&account, "ACME Corp", None).await;
    let acme_labs = server.new_customer(&account, "Labs of Acme", None).await;
    let doctors = server.new_customer(&account, "Ärzte Berlin", None).await;
    let bakery = server.new_customer(&account, "Bäckerei", None).await;

    let cases: [(&str, Vec<&String>); 6] = [
        ("acme", vec![&acme, &acme_labs]),
        ("ACME", vec![&acme, &acme_labs]),
        ("Ärzte", vec![&doctors]),
        ("ärzte", vec![&doctors]),
        ("ÄRZTE BERLIN", vec![&doctors]),
        ("ä", vec![&doctors, &bakery]),
    ];
    for (filter, expected) in cases {
        let path = with_query("/customers", &[("nameFilter", filter)]);
        let list = server.get(&path).await.expect(200).json();
        assert_eq!(
            sorted(&item_ids(&list)),
            sorted(&expected),
            "nameFilter {filter}"
        );
    }

    let list = list_customers(&server, "nameFilter=zzz").await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(list["totalCount"], 0);
}

#[tokio::test]
async fn list_customers_name_filter_has_no_wildcards() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let percent = server.new_customer(&account, "50% off", None).await;
    let underscore = server.new_customer(&account, "a_b", None).await;
    server.new_customer(&account, "axb 50 off", None).await;

    let list = server
        .get(&with_query("/customers", &[("nameFilter", "%")]))
        .await
        .expect(200)
        .json();
    assert_eq!(item_ids(&list), [percent.as_str()]);
    let list = list_customers(&server, "nameFilter=_").await;
    assert_eq!(item_ids(&list), [underscore.as_str()]);
}

#[tokio::test]
async fn list_customers_parent_filter_covers_subtree() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;

    let list = list_customers(&server, &format!("parentCustomerIds={}", tree.a)).await;
    assert_eq!(
        sorted(&item_ids(&list)),
        sorted(&[&tree.a1, &tree.a11, &tree.a2])
    );
    assert_eq!(list["totalCount"], 3);

    let list = list_customers(&server, &format!("parentCustomerIds={}", tree.c)).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn list_customers_shallow_parent_gives_children() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let query = format!("parentCustomerIds={}&shallowParent=true", tree.a);
    let list = list_customers(&server, &query).await;
    assert_eq!(sorted(&item_ids(&list)), sorted(&[&tree.a1, &tree.a2]));
    assert_eq!(list["totalCount"], 2);

    let query = format!("parentCustomerIds={}&shallowParent=false", tree.a);
    let list = list_customers(&server, &query).await;
    assert_eq!(list["totalCount"], 3);
}

#[tokio::test]
async fn list_customers_parent_ids_in_query_forms() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let subtree = sorted(&[&tree.a1, &tree.a11, &tree.a2, &tree.b1]);
    let children = sorted(&[&tree.a1, &tree.a2, &tree.b1]);
    let (a, b) = (&tree.a, &tree.b);

    for ids in [format!("{a},{b}"), format!("[{a},{b}]")] {
        let list = list_customers(&server, &format!("parentCustomerIds={ids}")).await;
        assert_eq!(sorted(&item_ids(&list)), subtree, "parentCustomerIds={ids}");

        let query = format!("parentCustomerIds={ids}&ShallowParent=true");
        let list = list_customers(&server, &query).await;
        assert_eq!(sorted(&item_ids(&list)), children, "{query}");
    }
}

#[tokio::test]
async fn list_customers_parent_ids_in_json_body() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let list = server
        .post(
            "/api/ListCustomers",
            json!({ "parentCustomerIds": [tree.a, tree.b], "shallowParent": true }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        sorted(&item_ids(&list)),
        sorted(&[&tree.a1, &tree.a2, &tree.b1])
    );
}

#[tokio::test]
async fn list_customers_filters_by_reference_ids() {
    let server = TestServer::start().await;
    let mut ids = Vec::new();
    for reference in ["crm-1", "crm-2", "crm-3"] {
        let reply = server
            .post(
                "/customers",
                json!({ "name": reference, "referenceId": reference }),
            )
            .await;
        ids.push(id_of(reply.expect(200)));
    }
    server
        .post("/customers", json!({ "name": "none" }))
        .await
        .expect(200);

    let list = list_customers(&server, "referenceIds=crm-1,crm-3").await;
    assert_eq!(sorted(&item_ids(&list)), sorted(&[&ids[0], &ids[2]]));
    let list = list_customers(&server, "referenceIds=CRM-1").await;
    assert_eq!(list["totalCount"], 0, "reference ids match exactly");
}

#[tokio::test]
async fn list_customers_combines_filters() {
    let server = TestServer::start().await;
    let tree = new_tree(&server).await;
    let query = format!(
        "parentCustomerIds={}&nameFilter=a1&accountIds={}",
        tree.a, tree.account
    );
    let list = list_customers(&server, &query).await;
    assert_eq!(sorted(&item_ids(&list)), sorted(&[&tree.a1, &tree.a11]));
}

// ListRequest members, shown on ListCustomers.

/// Creates seven customers in the default account and returns their ids in creation order.
///
/// Some names are equal but for case, and some customers have no reference id.
async fn seven_customers(server: &TestServer) -> Vec<String> {
    let rows = [
        ("Bravo", Some("r5")),
        ("alpha", None),
        ("Charlie", Some("r1")),
        ("Alpha", Some("r5")),
        ("bravo", None),
        ("ALPHA", Some("r2")),
        ("Delta", Some("r0")),
    ];
    let mut ids = Vec::new();
    for (name, reference) in rows {
        let reply = server
            .post(
                "/customers",
                json!({ "name": name, "referenceId": reference }),
            )
            .await;
        ids.push(id_of(reply.expect(200)));
    }
    ids
}

/// Returns the sort key of `item` for `field` as the API sorts it.
///
/// Names ignore case, and a missing value sorts before every present one.
fn sort_key(item: &Value, field: &str) -> (Option<String>, String) {
    let value = match field {
        "Name" => item["name"].as_str().map(str::to_lowercase),
        "ReferenceId" => item["referenceId"].as_str().map(str::to_owned),
        "ParentCustomerId" => item["parentCustomerId"].as_str().map(str::to_owned),
        "AccountId" => item["accountId"].as_str().map(str::to_owned),
        "IsStaging" => Some(item["isStaging"].to_string()),
        "Id" => item["id"].as_str().map(str::to_owned),
        "DateCreated" => item["dateCreated"].as_str().map(str::to_owned),
        "DateLastModified" => item["dateLastModified"].as_str().map(str::to_owned),
        "CreatedBy" => item["createdBy"].as_str().map(str::to_owned),
        "LastModifiedBy" => item["lastModifiedBy"].as_str().map(str::to_owned),
        other => panic!("no sort key for {other}"),
    };
    (value, item["id"].as_str().expect("an id").to_owned())
}

const CUSTOMER_SORT_FIELDS: [&str; 10] = [
    "Name",
    "AccountId",
    "ParentCustomerId",
    "ReferenceId",
    "IsStaging",
    "Id",
    "DateCreated",
    "DateLastModified",
    "CreatedBy",
    "LastModifiedBy",
];

#[tokio::test]
async fn list_default_order_is_name_then_id() {
    let server = TestServer::start().await;
    seven_customers(&server).await;
    let list = list_customers(&server, "").await;
    let items = list["items"].as_array().unwrap();
    let mut expected = items.clone();
    expected.sort_by_key(|item| sort_key(item, "Name"));
    assert_eq!(item_ids(&list), item_ids(&json!({ "items": expected })));
    // Names compare ignoring case; equal names are ordered by id, which is random.
    let names: Vec<String> = items
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(
        names,
        ["alpha", "alpha", "alpha", "bravo", "bravo", "charlie", "delta"]
    );
}

#[tokio::test]
async fn list_pages_cover_each_item_once() {
    let server = TestServer::start().await;
    let ids = seven_customers(&server).await;
    let everything = list_customers(&server, "all=true").await;
    let items = everything["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 7);

    for field in CUSTOMER_SORT_FIELDS {
        let mut expected_items = items.clone();
        expected_items.sort_by_key(|item| sort_key(item, field));
        let ascending = item_ids(&json!({ "items": expected_items }));
        let descending: Vec<String> = ascending.iter().rev().cloned().collect();

        for (order, expected) in [("Ascend", &ascending), ("Descend", &descending)] {
            let mut paged = Vec::new();
            for page in 0..3 {
                let query =
                    format!("sortField={field}&sortOrder={order}&countPerPage=3&page={page}");
                let list = list_customers(&server, &query).await;
                let context = format!("{query}: {list}");
                assert_eq!(list["totalCount"], 7, "{context}");
                assert_eq!(list["totalPages"], 3, "{context}");
                assert_eq!(list["hasMorePages"], page < 2, "{context}");
                let page_ids = item_ids(&list);
                assert_eq!(page_ids.len(), if page < 2 { 3 } else { 1 }, "{context}");
                paged.extend(page_ids);
            }
            assert_eq!(&paged, expected, "sortField={field}&sortOrder={order}");
            assert_eq!(
                sorted(&paged),
                sorted(&ids),
                "{field} {order} covers every id"
            );
        }
    }
}

#[tokio::test]
async fn list_page_is_zero_based() {
    let server = TestServer::start().await;
    seven_customers(&server).await;
    let everything = item_ids(&list_customers(&server, "all=true").await);

    let first = list_customers(&server, "countPerPage=2").await;
    assert_eq!(item_ids(&first), everything[0..2]);
    let page_zero = list_customers(&server, "countPerPage=2&page=0").await;
    assert_eq!(item_ids(&page_zero), everything[0..2]);
    let page_one = list_customers(&server, "countPerPage=2&page=1").await;
    assert_eq!(item_ids(&page_one), everything[2..4]);
    let last = list_customers(&server, "countPerPage=2&page=3").await;
    assert_eq!(item_ids(&last), everything[6..7]);
    assert_eq!(last["hasMorePages"], false);
}

#[tokio::test]
async fn list_page_past_end_is_empty() {
    let server = TestServer::start().await;
    seven_customers(&server).await;
    let list = list_customers(&server, "countPerPage=3&page=5").await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(list["totalCount"], 7);
    assert_eq!(list["totalPages"], 3);
    assert_eq!(list["hasMorePages"], false);
}

#[tokio::test]
async fn list_negative_page_is_400() {
    let server = TestServer::start().await;
    let reply = server.get("/customers?page=-1").await.expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "GreaterThanOrEqual",
            "Page",
            "'Page' must be greater than or equal to '0'."
        )
    );
}

#[tokio::test]
async fn list_count_per_page_defaults_to_25() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    for index in 0..27 {
        server
            .new_customer(&account, &format!("Customer {index:02}"), None)
            .await;
    }

    let first = list_customers(&server, "").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 25);
    assert_eq!(first["totalCount"], 27);
    assert_eq!(first["totalPages"], 2);
    assert_eq!(first["hasMorePages"], true);
    assert_eq!(first["items"][0]["name"], "Customer 00");

    let second = list_customers(&server, "page=1").await;
    let names: Vec<&str> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Customer 25", "Customer 26"]);
    assert_eq!(second["hasMorePages"], false);
}

#[tokio::test]
async fn list_bad_count_per_page_is_400() {
    let server = TestServer::start().await;
    for count in [0, -1, 1001] {
        let reply = server
            .get(&format!("/customers?countPerPage={count}"))
            .await
            .expect(400);
        let message = format!("'Count Per Page' must be between 1 and 1000. You entered {count}.");
        assert_eq!(
            reply.text,
            field_error_body("InclusiveBetween", "CountPerPage", &message)
        );
    }
    for count in [1, 1000] {
        server
            .get(&format!("/customers?countPerPage={count}"))
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn list_all_ignores_paging() {
    let server = TestServer::start().await;
    let ids = seven_customers(&server).await;
    let list = list_customers(&server, "all=true&countPerPage=3&page=1").await;
    assert_eq!(sorted(&item_ids(&list)), sorted(&ids));
    assert_eq!(list["totalCount"], 7);
    assert_eq!(list["totalPages"], 1);
    assert_eq!(list["hasMorePages"], false);
}

#[tokio::test]
async fn list_specific_ids_keep_sort_order() {
    let server = TestServer::start().await;
    let ids = seven_customers(&server).await;
    // Charlie, alpha, Delta, in an order that is not the sort order.
    let requested = [&ids[2], &ids[1], &ids[6]];
    let specific = format!(
        "specificIds={},{},{}",
        requested[0], requested[1], requested[2]
    );

    let list = list_customers(&server, &specific).await;
    assert_eq!(
        item_ids(&list),
        [&ids[1], &ids[2], &ids[6]].map(String::as_str)
    );
    assert_eq!(list["totalCount"], 3);

    let list = list_customers(&server, &format!("{specific}&sortOrder=Descend")).await;
    assert_eq!(
        item_ids(&list),
        [&ids[6], &ids[2], &ids[1]].map(String::as_str)
    );

    let query = format!("{specific}&sortField=ReferenceId");
    let list = list_customers(&server, &query).await;
    // alpha has no reference id, then Delta (r0), then Charlie (r1).
    assert_eq!(
        item_ids(&list),
        [&ids[1], &ids[6], &ids[2]].map(String::as_str)
    );

    let list = list_customers(&server, "specificIds=unknown").await;
    assert_eq!(list["totalCount"], 0);
}

#[tokio::test]
async fn list_specific_ids_combine_with_filters() {
    let server = TestServer::start().await;
    let ids = seven_customers(&server).await;
    let query = format!(
        "specificIds={},{},{}&nameFilter=alpha",
        ids[0], ids[1], ids[3]
    );
    let list = list_customers(&server, &query).await;
    assert_eq!(sorted(&item_ids(&list)), sorted(&[&ids[1], &ids[3]]));
}

#[tokio::test]
async fn list_sort_field_ignores_case() {
    let server = TestServer::start().await;
    seven_customers(&server).await;
    let by_name = item_ids(&list_customers(&server, "sortField=Name").await);
    for field in ["name", "NAME", " nAmE "] {
        let path = with_query("/customers", &[("sortField", field)]);
        let list = server.get(&path).await.expect(200).json();
        assert_eq!(item_ids(&list), by_name, "sortField {field:?}");
    }
    let by_date = item_ids(&list_customers(&server, "sortField=DateCreated").await);
    let lowercase = item_ids(&list_customers(&server, "sortField=datecreated").await);
    assert_eq!(lowercase, by_date);
}

#[tokio::test]
async fn list_unknown_sort_field_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .get("/customers?sortField=Password")
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "InvalidSortField",
            "SortField",
            "'Password' cannot be sorted by; use one of Name, AccountId, ParentCustomerId, \
             ReferenceId, IsStaging, Id, DateCreated, DateLastModified, CreatedBy, LastModifiedBy."
        )
    );
}

#[tokio::test]
async fn list_unknown_sort_order_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .get("/customers?sortOrder=Sideways")
        .await
        .expect(400);
    let status = &reply.json()["responseStatus"];
    assert_eq!(status["errorCode"], "SerializationException");
    assert_eq!(status["errors"][0]["fieldName"], "SortOrder");
}

#[tokio::test]
async fn list_descend_reverses_ascend() {
    let server = TestServer::start().await;
    seven_customers(&server).await;
    let ascending = item_ids(&list_customers(&server, "sortOrder=Ascend").await);
    let descending = item_ids(&list_customers(&server, "sortOrder=Descend").await);
    let reversed: Vec<String> = ascending.iter().rev().cloned().collect();
    assert_eq!(descending, reversed);
    assert_eq!(
        ascending,
        item_ids(&list_customers(&server, "").await),
        "Ascend is the default"
    );
}

#[tokio::test]
async fn list_simplified_paging_skips_counts() {
    let server = TestServer::start().await;
    seven_customers(&server).await;
    let everything = item_ids(&list_customers(&server, "all=true").await);
    let mut paged = Vec::new();
    for page in 0..3 {
        let query = format!("simplifiedPaging=true&countPerPage=3&page={page}");
        let list = list_customers(&server, &query).await;
        assert_eq!(list["totalCount"], 0, "{query}");
        assert_eq!(list["totalPages"], 0, "{query}");
        assert_eq!(list["hasMorePages"], page < 2, "{query}");
        paged.extend(item_ids(&list));
    }
    assert_eq!(paged, everything);

    // Exactly one full page: nothing follows it.
    let list = list_customers(&server, "simplifiedPaging=true&countPerPage=7").await;
    assert_eq!(list["hasMorePages"], false);
    assert_eq!(item_ids(&list), everything);
}

#[tokio::test]
async fn list_envelope_members_are_fixed() {
    let server = TestServer::start().await;
    let reply = server.get("/customers").await.expect(200);
    assert_eq!(
        reply.text,
        r#"{"items":[],"totalCount":0,"totalPages":0,"hasMorePages":false}"#
    );
}

// Predefined routes and authentication.

#[tokio::test]
async fn customer_operations_on_predefined_routes() {
    let server = TestServer::start().await;
    let account = server.default_account().await;

    let top = server
        .post("/api/NewCustomer", json!({ "name": "Via api" }))
        .await
        .expect(200)
        .json();
    let top_id = top["id"].as_str().unwrap();
    assert_eq!(top["accountId"], account);
    let child = server
        .post(
            "/json/reply/NewCustomer",
            json!({ "name": "Via reply", "parentCustomerId": top_id }),
        )
        .await
        .expect(200)
        .json();
    let child_id = child["id"].as_str().unwrap();

    let fetched = server
        .get(&format!("/api/GetCustomer?customerId={top_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, top);
    let fetched = server
        .get(&format!("/json/reply/GetCustomer?CustomerId={child_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, child);

    let list = server
        .get(&format!("/api/ListCustomers?parentCustomerIds={top_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(item_ids(&list), [child_id]);
    let list = server
        .get("/json/reply/ListCustomers?nameFilter=via")
        .await
        .expect(200)
        .json();
    assert_eq!(list["totalCount"], 2);

    let patched = server
        .post(
            "/api/PatchCustomer",
            json!({ "customerId": child_id, "name": "Patched by api" }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(patched["name"], "Patched by api");
    let patched = server
        .post(
            "/json/reply/PatchCustomer",
            json!({ "customerId": child_id, "parentCustomerId": "" }),
        )
        .await
        .expect(200)
        .json();
    assert!(patched.get("parentCustomerId").is_none(), "{patched}");

    let reply = server
        .post("/api/DeleteCustomer", json!({ "customerId": top_id }))
        .await
        .expect(204);
    assert_eq!(reply.text, "");
    server
        .post(
            "/json/reply/DeleteCustomer",
            json!({ "customerId": child_id }),
        )
        .await
        .expect(204);
    assert_eq!(list_customers(&server, "").await["totalCount"], 0);
}

#[tokio::test]
async fn customer_operations_without_credentials_are_401() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Private", None).await;
    let path = format!("/customers/{customer}");
    let requests = [
        (
            Method::POST,
            "/customers".to_owned(),
            Some(json!({ "name": "x" })),
        ),
        (Method::GET, "/customers".to_owned(), None),
        (Method::GET, path.clone(), None),
        (Method::PATCH, path.clone(), Some(json!({ "name": "x" }))),
        (Method::DELETE, path.clone(), None),
        (
            Method::POST,
            "/api/NewCustomer".to_owned(),
            Some(json!({ "name": "x" })),
        ),
        (Method::GET, "/json/reply/ListCustomers".to_owned(), None),
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
    assert_eq!(info["name"], "Private");
    assert_eq!(list_customers(&server, "").await["totalCount"], 1);
}

#[tokio::test]
async fn customer_operations_with_wrong_key_are_401() {
    let server = TestServer::start().await;
    let reply = server
        .send(Method::GET, "/customers", None, Some("evo_wrong_key"))
        .await;
    assert_eq!(reply.status.as_u16(), 401, "{}", reply.text);
    assert_eq!(
        reply.text,
        error_body(
            "Unauthorized",
            "The API key is invalid, revoked or expired."
        )
    );
    assert_eq!(
        reply.headers.get("www-authenticate").unwrap(),
        r#"credentials realm="/auth/credentials""#
    );
}
