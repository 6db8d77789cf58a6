//! End-to-end tests of the account operations over a real socket.

mod common;

use common::{error_body, field_error_body, id_of, item_ids, sorted, with_query, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

/// Returns the names of a list reply's items, in order.
fn item_names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["name"].as_str().expect("a name").to_owned())
        .collect()
}

/// Sends `GET /accounts?{query}` and returns the list, expecting 200.
async fn list_accounts(server: &TestServer, query: &str) -> Value {
    server
        .get(&format!("/accounts?{query}"))
        .await
        .expect(200)
        .json()
}

/// Creates an account under `parent` and returns its reply.
async fn new_child_account(server: &TestServer, name: &str, parent: &str) -> Value {
    server
        .post(
            "/accounts",
            json!({ "name": name, "parentAccountId": parent }),
        )
        .await
        .expect(200)
        .json()
}

// NewAccount.

#[tokio::test]
async fn new_account_fills_every_field() {
    let server = TestServer::start().await;
    let status = server.get("/auth/status").await.expect(200).json();
    let admin_id = status["userId"].as_str().unwrap();

    let reply = server
        .post("/accounts", json!({ "name": "Acme Holdings" }))
        .await
        .expect(200);

    let info = reply.json();
    assert_eq!(info["name"], "Acme Holdings");
    assert!(info.get("parentAccountId").is_none(), "{info}");
    assert_eq!(info["ancestorIds"], json!([]));
    assert_eq!(info["id"].as_str().unwrap().len(), 26, "{info}");
    assert_eq!(info["dateCreated"], info["dateLastModified"]);
    assert_eq!(info["createdBy"], admin_id);
    assert_eq!(info["lastModifiedBy"], admin_id);
    let members: serde_json::Map<String, Value> = serde_json::from_str(&reply.text).unwrap();
    let keys: Vec<&str> = members.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "name",
            "ancestorIds",
            "id",
            "dateCreated",
            "dateLastModified",
            "createdBy",
            "lastModifiedBy",
        ]
    );
}

#[tokio::test]
async fn new_account_without_name_is_400() {
    let server = TestServer::start().await;
    let expected = field_error_body("NotEmpty", "Name", "'Name' must not be empty.");
    for body in [json!({}), json!({ "name": "" }), json!({ "name": " \t " })] {
        let reply = server.post("/accounts", body.clone()).await.expect(400);
        assert_eq!(reply.text, expected, "request: {body}");
    }
    assert_eq!(list_accounts(&server, "").await["totalCount"], 1);
}

#[tokio::test]
async fn new_account_name_is_trimmed_and_limited() {
    let server = TestServer::start().await;
    let info = server
        .post("/accounts", json!({ "name": "  Padded  " }))
        .await
        .expect(200)
        .json();
    assert_eq!(info["name"], "Padded");

    let reply = server
        .post("/accounts", json!({ "name": "x".repeat(201) }))
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
async fn new_account_ancestors_run_from_top_down() {
    let server = TestServer::start().await;
    let root = server.new_account("Root").await;
    let middle = new_child_account(&server, "Middle", &root).await;
    let middle_id = middle["id"].as_str().unwrap();
    assert_eq!(middle["parentAccountId"], root);
    assert_eq!(middle["ancestorIds"], json!([root]));

    let leaf = new_child_account(&server, "Leaf", middle_id).await;
    let leaf_id = leaf["id"].as_str().unwrap();
    assert_eq!(leaf["parentAccountId"], middle_id);
    assert_eq!(leaf["ancestorIds"], json!([root, middle_id]));

    let fetched = server
        .get(&format!("/accounts/{leaf_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, leaf);
    let listed = list_accounts(&server, "nameFilter=leaf").await;
    assert_eq!(listed["items"], json!([leaf]));
}

#[tokio::test]
async fn new_child_account_member_order() {
    let server = TestServer::start().await;
    let root = server.new_account("Root").await;
    let reply = server
        .post(
            "/accounts",
            json!({ "NAME": "Child", "ParentAccountID": root }),
        )
        .await
        .expect(200);
    let members: serde_json::Map<String, Value> = serde_json::from_str(&reply.text).unwrap();
    let keys: Vec<&str> = members.keys().map(String::as_str).collect();
    assert_eq!(keys[..3], ["name", "parentAccountId", "ancestorIds"]);
    assert_eq!(members["name"], "Child");
    assert_eq!(members["parentAccountId"], root.as_str());
}

#[tokio::test]
async fn new_account_unknown_parent_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/accounts",
            json!({ "name": "Orphan", "parentAccountId": "nope" }),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Account 'nope' was not found.")
    );
    assert_eq!(list_accounts(&server, "").await["totalCount"], 1);
}

#[tokio::test]
async fn new_account_empty_parent_is_top_level() {
    let server = TestServer::start().await;
    let info = server
        .post("/accounts", json!({ "name": "Top", "parentAccountId": "" }))
        .await
        .expect(200)
        .json();
    assert!(info.get("parentAccountId").is_none(), "{info}");
    assert_eq!(info["ancestorIds"], json!([]));
}

// GetAccount.

#[tokio::test]
async fn get_default_account() {
    let server = TestServer::start().await;
    let id = server.default_account().await;
    let info = server
        .get(&format!("/accounts/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(info["id"], id);
    assert_eq!(info["name"], "Default");
    assert_eq!(info["ancestorIds"], json!([]));
}

#[tokio::test]
async fn get_account_returns_what_new_returned() {
    let server = TestServer::start().await;
    let created = server
        .post("/accounts", json!({ "name": "Fetched" }))
        .await
        .expect(200)
        .json();
    let id = created["id"].as_str().unwrap();
    let fetched = server
        .get(&format!("/accounts/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn get_unknown_account_is_404() {
    let server = TestServer::start().await;
    let reply = server.get("/accounts/missing").await.expect(404);
    assert_eq!(
        reply.text,
        error_body("NotFound", "Account 'missing' was not found.")
    );
}

// ListAccounts.

#[tokio::test]
async fn list_accounts_name_filter_ignores_case() {
    let server = TestServer::start().await;
    let acme = server.new_account("Acme").await;
    let acme_labs = server.new_account("ACME Labs").await;
    let doctors = server.new_account("Ärzte Konto").await;
    server.new_account("Other").await;

    let cases: [(&str, Vec<&String>); 5] = [
        ("acme", vec![&acme, &acme_labs]),
        ("LABS", vec![&acme_labs]),
        ("ärzte", vec![&doctors]),
        ("ÄRZTE", vec![&doctors]),
        ("Ärzte K", vec![&doctors]),
    ];
    for (filter, expected) in cases {
        let path = with_query("/accounts", &[("nameFilter", filter)]);
        let list = server.get(&path).await.expect(200).json();
        assert_eq!(
            sorted(&item_ids(&list)),
            sorted(&expected),
            "nameFilter {filter}"
        );
    }
    assert_eq!(list_accounts(&server, "").await["totalCount"], 5);
}

#[tokio::test]
async fn list_accounts_pages_by_name() {
    let server = TestServer::start().await;
    for name in ["Echo", "bravo", "Alpha", "delta", "Charlie", "Foxtrot"] {
        server.new_account(name).await;
    }

    let mut names = Vec::new();
    for page in 0..3 {
        let list = list_accounts(&server, &format!("countPerPage=3&page={page}")).await;
        assert_eq!(list["totalCount"], 7, "page {page}: {list}");
        assert_eq!(list["totalPages"], 3, "page {page}: {list}");
        assert_eq!(list["hasMorePages"], page < 2, "page {page}: {list}");
        names.extend(item_names(&list));
    }
    assert_eq!(
        names,
        ["Alpha", "bravo", "Charlie", "Default", "delta", "Echo", "Foxtrot"]
    );

    let descending = list_accounts(&server, "sortOrder=Descend&countPerPage=2").await;
    assert_eq!(item_names(&descending), ["Foxtrot", "Echo"]);
    assert_eq!(descending["totalPages"], 4);
}

#[tokio::test]
async fn list_accounts_sorts_by_parent() {
    let server = TestServer::start().await;
    let root = server.new_account("Root").await;
    let child = new_child_account(&server, "Child", &root).await;
    let list = list_accounts(&server, "sortField=parentAccountId&sortOrder=Descend").await;
    assert_eq!(item_ids(&list)[0], child["id"].as_str().unwrap());
    assert_eq!(list["items"][0]["ancestorIds"], json!([root]));
}

#[tokio::test]
async fn list_accounts_specific_ids_simplified() {
    let server = TestServer::start().await;
    let first = server.new_account("First").await;
    let second = server.new_account("Second").await;
    server.new_account("Third").await;

    let query = format!("specificIds={second},{first}&simplifiedPaging=true&countPerPage=1");
    let list = list_accounts(&server, &query).await;
    assert_eq!(item_ids(&list), [first.as_str()]);
    assert_eq!(list["totalCount"], 0);
    assert_eq!(list["totalPages"], 0);
    assert_eq!(list["hasMorePages"], true);

    let list = list_accounts(&server, &format!("{query}&page=1")).await;
    assert_eq!(item_ids(&list), [second.as_str()]);
    assert_eq!(list["hasMorePages"], false);
}

#[tokio::test]
async fn list_accounts_all_returns_everything() {
    let server = TestServer::start().await;
    for index in 0..4 {
        server.new_account(&format!("Account {index}")).await;
    }
    let list = list_accounts(&server, "all=true&countPerPage=1").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 5);
    assert_eq!(list["totalCount"], 5);
    assert_eq!(list["totalPages"], 1);
    assert_eq!(list["hasMorePages"], false);
}

#[tokio::test]
async fn list_accounts_unknown_sort_field_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .get("/accounts?sortField=CustomerId")
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "InvalidSortField",
            "SortField",
            "'CustomerId' cannot be sorted by; use one of Name, ParentAccountId, Id, \
             DateCreated, DateLastModified, CreatedBy, LastModifiedBy."
        )
    );
}

#[tokio::test]
async fn list_accounts_bad_count_per_page_is_400() {
    let server = TestServer::start().await;
    let reply = server.get("/accounts?countPerPage=1001").await.expect(400);
    assert_eq!(
        reply.text,
        field_error_body(
            "InclusiveBetween",
            "CountPerPage",
            "'Count Per Page' must be between 1 and 1000. You entered 1001."
        )
    );
}

// Predefined routes and authentication.

#[tokio::test]
async fn account_operations_on_predefined_routes() {
    let server = TestServer::start().await;
    let root = server
        .post("/api/NewAccount", json!({ "name": "Via api" }))
        .await
        .expect(200)
        .json();
    let root_id = root["id"].as_str().unwrap();
    let child = server
        .post(
            "/json/reply/NewAccount",
            json!({ "name": "Via reply", "parentAccountId": root_id }),
        )
        .await
        .expect(200)
        .json();
    let child_id = child["id"].as_str().unwrap();
    assert_eq!(child["ancestorIds"], json!([root_id]));

    let fetched = server
        .get(&format!("/api/GetAccount?accountId={root_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, root);
    let fetched = server
        .get(&format!("/json/reply/GetAccount?AccountId={child_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, child);

    let list = server
        .get("/api/ListAccounts?nameFilter=via")
        .await
        .expect(200)
        .json();
    assert_eq!(sorted(&item_ids(&list)), sorted(&[root_id, child_id]));
    let list = server
        .get("/json/reply/ListAccounts?nameFilter=reply")
        .await
        .expect(200)
        .json();
    assert_eq!(item_ids(&list), [child_id]);
}

#[tokio::test]
async fn account_operations_without_credentials_are_401() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let requests = [
        (
            Method::POST,
            "/accounts".to_owned(),
            Some(json!({ "name": "x" })),
        ),
        (Method::GET, "/accounts".to_owned(), None),
        (Method::GET, format!("/accounts/{account}"), None),
        (
            Method::POST,
            "/api/NewAccount".to_owned(),
            Some(json!({ "name": "x" })),
        ),
        (Method::GET, "/json/reply/ListAccounts".to_owned(), None),
        (
            Method::GET,
            format!("/api/GetAccount?accountId={account}"),
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
    assert_eq!(list_accounts(&server, "").await["totalCount"], 1);
}

#[tokio::test]
async fn new_account_contains_its_customers() {
    let server = TestServer::start().await;
    let account = server.new_account("Tenant").await;
    let customer = server.new_customer(&account, "Tenant customer", None).await;
    let list = server
        .get(&format!("/customers?accountIds={account}"))
        .await
        .expect(200)
        .json();
    assert_eq!(item_ids(&list), [customer.as_str()]);
    assert_eq!(list["items"][0]["accountName"], "Tenant");

    let fetched = server
        .get(&format!("/accounts/{account}"))
        .await
        .expect(200);
    assert_eq!(id_of(fetched), account);
}
