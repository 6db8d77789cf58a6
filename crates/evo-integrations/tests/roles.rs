//! Roles and tenant isolation: SystemAdministrator, Manager of account A, Manager of account B
//! and a Customer of a subtree of A, driving the same operations over the API.

mod common;

use common::{id_of, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

struct World {
    server: TestServer,
    account_a: String,
    account_a1: String,
    sub: String,
    other: String,
    /// Integrations by name: a_top, a_sub, a_other, a_none, a1, b.
    integrations: Vec<(String, String)>,
    manager_a: String,
    manager_b: String,
    customer_a: String,
    manager_a_id: String,
}

impl World {
    fn integration(&self, name: &str) -> &str {
        &self
            .integrations
            .iter()
            .find(|(known, _)| known == name)
            .expect("a known integration")
            .1
    }
}

/// Creates a user with `roles` and returns (user id, API key).
async fn user(server: &TestServer, name: &str, body: Value) -> (String, String) {
    let mut body = body;
    body["userName"] = json!(name);
    body["password"] = json!("a long enough password");
    let created = server.post("/auth/users", body).await.expect(200).json();
    let id = created["id"].as_str().unwrap().to_owned();
    let key = server
        .post(
            &format!("/auth/users/{id}/api-keys"),
            json!({ "name": "tests" }),
        )
        .await
        .expect(200)
        .json();
    (id, key["key"].as_str().unwrap().to_owned())
}

async fn world() -> World {
    let server = TestServer::start().await;
    let account_a = server.new_account("A").await;
    let account_a1 = id_of(
        server
            .post(
                "/accounts",
                json!({ "name": "A1", "parentAccountId": account_a }),
            )
            .await
            .expect(200),
    );
    let account_b = server.new_account("B").await;
    let top = server.new_customer(&account_a, "Top", None).await;
    let sub = server.new_customer(&account_a, "Sub", Some(&top)).await;
    let other = server.new_customer(&account_a, "Other", None).await;
    let mut integrations = Vec::new();
    for (name, account, customer) in [
        ("a_top", &account_a, Some(&top)),
        ("a_sub", &account_a, Some(&sub)),
        ("a_other", &account_a, Some(&other)),
        ("a_none", &account_a, None),
        ("a1", &account_a1, None),
        ("b", &account_b, None),
    ] {
        let info = server
            .new_integration(json!({
                "name": name, "type": "HostedSuite", "accountId": account, "customerId": customer,
            }))
            .await;
        integrations.push((name.to_owned(), info["id"].as_str().unwrap().to_owned()));
    }
    let (manager_a_id, manager_a) = user(
        &server,
        "manager-a",
        json!({ "roles": ["Manager"], "accountIds": [account_a] }),
    )
    .await;
    let (_, manager_b) = user(
        &server,
        "manager-b",
        json!({ "roles": ["Manager"], "accountIds": [account_b] }),
    )
    .await;
    let (_, customer_a) = user(
        &server,
        "customer-a",
        json!({ "roles": ["Customer"], "accountIds": [account_a], "customerId": top }),
    )
    .await;
    World {
        server,
        account_a,
        account_a1,
        sub,
        other,
        integrations,
        manager_a,
        manager_b,
        customer_a,
        manager_a_id,
    }
}

fn names(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn each_role_lists_only_its_integrations() {
    let world = world().await;
    let server = &world.server;
    let cases = [
        (
            common::ADMIN_API_KEY,
            vec!["a1", "a_none", "a_other", "a_sub", "a_top", "b"],
        ),
        (
            world.manager_a.as_str(),
            vec!["a1", "a_none", "a_other", "a_sub", "a_top"],
        ),
        (world.manager_b.as_str(), vec!["b"]),
        (world.customer_a.as_str(), vec!["a_sub", "a_top"]),
    ];
    for (key, expected) in cases {
        for path in [
            "/integrations",
            "/api/ListIntegrations",
            "/json/reply/ListIntegrations",
        ] {
            let list = server
                .send(
                    Method::GET,
                    &format!("{path}?sortField=Name"),
                    None,
                    Some(key),
                )
                .await
                .expect(200)
                .json();
            let mut found = names(&list);
            found.sort_unstable();
            assert_eq!(found, expected, "{path} with {key}");
        }
    }
}

#[tokio::test]
async fn other_tenants_entities_are_not_found() {
    let world = world().await;
    let server = &world.server;
    let missing = server
        .send(
            Method::GET,
            "/integrations/doesnotexist",
            None,
            Some(&world.manager_b),
        )
        .await
        .expect(404);
    for name in ["a_top", "a_sub", "a_none", "a1"] {
        let id = world.integration(name);
        for (method, path) in [
            (Method::GET, format!("/integrations/{id}")),
            (
                Method::GET,
                format!("/api/GetIntegration?integrationId={id}"),
            ),
            (Method::GET, format!("/integrations/{id}/log")),
            (Method::PATCH, format!("/integrations/{id}")),
            (Method::DELETE, format!("/integrations/{id}")),
        ] {
            let body = (method == Method::PATCH).then(|| json!({ "name": "stolen" }));
            let reply = server
                .send(method.clone(), &path, body, Some(&world.manager_b))
                .await
                .expect(404);
            let expected = missing.text.replace("doesnotexist", id);
            if !path.ends_with("/log") {
                assert_eq!(reply.text, expected, "{method} {path}");
            }
        }
    }
    // Filters naming the other tenant return nothing rather than revealing it exists.
    let list = server
        .send(
            Method::GET,
            &format!("/integrations?accountIds={}", world.account_a),
            None,
            Some(&world.manager_b),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(list["totalCount"], 0);
    let reply = server
        .send(
            Method::POST,
            "/integrations",
            Some(json!({ "name": "x", "type": "Zoho", "accountId": world.account_a })),
            Some(&world.manager_b),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.json()["responseStatus"]["message"],
        format!("Account '{}' was not found.", world.account_a)
    );
    let unchanged = server
        .get(&format!("/integrations/{}", world.integration("a_sub")))
        .await
        .expect(200)
        .json();
    assert_eq!(unchanged["name"], "a_sub");
}

#[tokio::test]
async fn manager_works_in_child_account() {
    let world = world().await;
    let server = &world.server;
    let created = server
        .send(
            Method::POST,
            "/integrations",
            Some(json!({ "name": "child", "type": "Zoho", "accountId": world.account_a1 })),
            Some(&world.manager_a),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(created["accountId"], world.account_a1.as_str());
    assert_eq!(created["createdBy"], world.manager_a_id.as_str());
}

#[tokio::test]
async fn customer_reads_subtree_only() {
    let world = world().await;
    let server = &world.server;
    let key = Some(world.customer_a.as_str());
    for name in ["a_top", "a_sub"] {
        let path = format!("/integrations/{}", world.integration(name));
        server.send(Method::GET, &path, None, key).await.expect(200);
    }
    for name in ["a_other", "a_none", "a1", "b"] {
        let path = format!("/integrations/{}", world.integration(name));
        server.send(Method::GET, &path, None, key).await.expect(404);
    }
    let customers = server
        .send(Method::GET, "/customers", None, key)
        .await
        .expect(200)
        .json();
    let mut found = names(&customers);
    found.sort_unstable();
    assert_eq!(found, ["Sub", "Top"]);
    server
        .send(
            Method::GET,
            &format!("/customers/{}", world.other),
            None,
            key,
        )
        .await
        .expect(404);
    let accounts = server
        .send(Method::GET, "/accounts", None, key)
        .await
        .expect(200)
        .json();
    assert_eq!(names(&accounts), ["A"]);
}

#[tokio::test]
async fn customer_cannot_change_anything() {
    let world = world().await;
    let server = &world.server;
    let key = Some(world.customer_a.as_str());
    let id = world.integration("a_sub");
    let forbidden = [
        (
            Method::POST,
            "/integrations".to_owned(),
            Some(json!({ "name": "x", "type": "Zoho" })),
        ),
        (
            Method::PATCH,
            format!("/integrations/{id}"),
            Some(json!({ "name": "x" })),
        ),
        (Method::DELETE, format!("/integrations/{id}"), None),
        (
            Method::POST,
            "/customers".to_owned(),
            Some(json!({ "name": "x" })),
        ),
        (Method::DELETE, format!("/customers/{}", world.sub), None),
        (Method::GET, "/auth/users".to_owned(), None),
        (
            Method::POST,
            "/accounts".to_owned(),
            Some(json!({ "name": "x" })),
        ),
        // The role check comes before the lookup: even a missing id is a 403.
        (
            Method::DELETE,
            "/integrations/doesnotexist".to_owned(),
            None,
        ),
    ];
    for (method, path, body) in forbidden {
        let reply = server.send(method.clone(), &path, body, key).await;
        assert_eq!(
            reply.status.as_u16(),
            403,
            "{method} {path}: {}",
            reply.text
        );
        assert_eq!(reply.json()["responseStatus"]["errorCode"], "Forbidden");
    }
    let still = server
        .get(&format!("/integrations/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(still["name"], "a_sub");
}

#[tokio::test]
async fn manager_cannot_create_administrator() {
    let world = world().await;
    let server = &world.server;
    let reply = server
        .send(
            Method::POST,
            "/auth/users",
            Some(json!({
                "userName": "sneaky", "password": "a long enough password",
                "roles": ["SystemAdministrator"], "accountIds": [world.account_a],
            })),
            Some(&world.manager_a),
        )
        .await
        .expect(403);
    assert_eq!(
        reply.json()["responseStatus"]["message"],
        "A Manager cannot create or promote a SystemAdministrator."
    );
    let users = server
        .send(Method::GET, "/auth/users", None, Some(&world.manager_a))
        .await
        .expect(200)
        .json();
    let user_names: Vec<&str> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["userName"].as_str().unwrap())
        .collect();
    assert_eq!(user_names, ["customer-a", "manager-a"]);
}

#[tokio::test]
async fn manager_cannot_reach_other_accounts_users() {
    let world = world().await;
    let server = &world.server;
    let created = server
        .send(
            Method::POST,
            "/auth/users",
            Some(json!({
                "userName": "helper", "password": "a long enough password",
                "roles": ["Customer"], "accountIds": [world.account_a], "customerId": world.sub,
            })),
            Some(&world.manager_a),
        )
        .await
        .expect(200)
        .json();
    let helper_id = created["id"].as_str().unwrap();
    assert!(created.get("password").is_none());
    assert!(created.get("passwordHash").is_none());
    let reply = server
        .send(
            Method::GET,
            &format!("/auth/users/{helper_id}"),
            None,
            Some(&world.manager_b),
        )
        .await
        .expect(404);
    assert_eq!(reply.json()["responseStatus"]["errorCode"], "NotFound");
}

#[tokio::test]
async fn customer_manages_own_api_keys() {
    let world = world().await;
    let server = &world.server;
    let status = server
        .send(Method::GET, "/auth/status", None, Some(&world.customer_a))
        .await
        .expect(200)
        .json();
    let me = status["userId"].as_str().unwrap();
    let key = server
        .send(
            Method::POST,
            &format!("/auth/users/{me}/api-keys"),
            Some(json!({ "name": "second" })),
            Some(&world.customer_a),
        )
        .await
        .expect(200)
        .json();
    let second = key["key"].as_str().unwrap().to_owned();
    server
        .send(Method::GET, "/integrations", None, Some(&second))
        .await
        .expect(200);

    let keys = server
        .send(
            Method::GET,
            &format!("/auth/users/{me}/api-keys"),
            None,
            Some(&second),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(keys["totalCount"], 2);
    assert!(
        !keys.to_string().contains(&second),
        "a listed key shows its secret"
    );

    server
        .send(
            Method::POST,
            &format!("/auth/users/{}/api-keys", world.manager_a_id),
            Some(json!({ "name": "theirs" })),
            Some(&world.customer_a),
        )
        .await
        .expect(403);

    let key_id = key["id"].as_str().unwrap();
    server
        .send(
            Method::DELETE,
            &format!("/auth/users/{me}/api-keys/{key_id}"),
            None,
            Some(&world.customer_a),
        )
        .await
        .expect(204);
    server
        .send(Method::GET, "/integrations", None, Some(&second))
        .await
        .expect(401);
}

#[tokio::test]
async fn deleted_user_loses_access() {
    let world = world().await;
    let server = &world.server;
    server
        .send(Method::GET, "/integrations", None, Some(&world.manager_b))
        .await
        .expect(200);
    let users = server
        .get("/auth/users?nameFilter=manager-b")
        .await
        .expect(200)
        .json();
    let id = users["items"][0]["id"].as_str().unwrap();
    server
        .delete(&format!("/auth/users/{id}"))
        .await
        .expect(204);
    server
        .send(Method::GET, "/integrations", None, Some(&world.manager_b))
        .await
        .expect(401);
}

#[tokio::test]
async fn password_change_takes_effect_at_once() {
    let world = world().await;
    let server = &world.server;
    let basic = |password: &str| {
        use base64::Engine;
        let pair = format!("manager-a:{password}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    };
    let old = basic("a long enough password");
    let reply = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations"))
                .header("Authorization", old.clone())
        })
        .await;
    assert_eq!(reply.status.as_u16(), 200);
    server
        .patch(
            &format!("/auth/users/{}", world.manager_a_id),
            json!({ "password": "a brand new password" }),
        )
        .await
        .expect(200);
    let reply = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations"))
                .header("Authorization", old.clone())
        })
        .await;
    assert_eq!(
        reply.status.as_u16(),
        401,
        "the cached old password still works"
    );
    let reply = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations"))
                .header("Authorization", basic("a brand new password"))
        })
        .await;
    assert_eq!(reply.status.as_u16(), 200);
}

#[tokio::test]
async fn new_user_validation_lists_failures() {
    let world = world().await;
    let server = &world.server;
    let reply = server
        .post(
            "/auth/users",
            json!({ "userName": "has space", "password": "short", "roles": ["Owner"] }),
        )
        .await
        .expect(400);
    let errors = &reply.json()["responseStatus"]["errors"];
    let fields: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["fieldName"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["UserName", "Password", "Roles"]);
    let reply = server
        .post(
            "/auth/users",
            json!({ "userName": "MANAGER-A", "password": "a long enough password",
                    "roles": ["Manager"], "accountIds": [world.account_a] }),
        )
        .await
        .expect(409);
    assert_eq!(reply.json()["responseStatus"]["errorCode"], "Duplicate");
}

#[tokio::test]
async fn customer_sees_nothing_above_subtree() {
    let world = world().await;
    let server = &world.server;
    let (_, key) = user(
        server,
        "customer-sub",
        json!({ "roles": ["Customer"], "accountIds": [world.account_a], "customerId": world.sub }),
    )
    .await;
    let info = server
        .send(
            Method::GET,
            &format!("/integrations/{}", world.integration("a_sub")),
            None,
            Some(&key),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        info["customerBreadcrumb"],
        json!([{ "id": world.sub, "name": "Sub" }])
    );
    let customer = server
        .send(
            Method::GET,
            &format!("/customers/{}", world.sub),
            None,
            Some(&key),
        )
        .await
        .expect(200)
        .json();
    assert!(customer.get("parentCustomerId").is_none(), "{customer}");
    assert_eq!(
        customer["breadcrumb"],
        json!([{ "id": world.sub, "name": "Sub" }])
    );
    // The administrator still gets the whole path.
    let full = server
        .get(&format!("/integrations/{}", world.integration("a_sub")))
        .await
        .expect(200)
        .json();
    assert_eq!(full["customerBreadcrumb"].as_array().unwrap().len(), 2);
}
