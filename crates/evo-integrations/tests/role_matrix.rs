//! Every operation as anonymous, SystemAdministrator, Manager of account A, Manager of account
//! B and Customer of a subtree of A, on its own route, `/api/{Op}` and `/json/reply/{Op}`.
//! The targets all live in account A, inside the Customer's subtree.

mod common;

use common::{id_of, Reply, TestServer, ADMIN_API_KEY};
use reqwest::Method;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Anonymous,
    Administrator,
    ManagerA,
    ManagerB,
    CustomerA,
}

const CALLERS: [Caller; 5] = [
    Caller::Anonymous,
    Caller::Administrator,
    Caller::ManagerA,
    Caller::ManagerB,
    Caller::CustomerA,
];

/// The outcome expected for a caller.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// This success status, with a JSON object (or, for 204, an empty body).
    Ok(u16),
    /// This error status and errorCode.
    Error(u16, &'static str),
}

struct Fixture {
    server: TestServer,
    account_a: String,
    customer: String,
    keys: Vec<(Caller, String)>,
}

impl Fixture {
    fn key(&self, caller: Caller) -> Option<&str> {
        match caller {
            Caller::Anonymous => None,
            Caller::Administrator => Some(ADMIN_API_KEY),
            other => self
                .keys
                .iter()
                .find(|(known, _)| *known == other)
                .map(|(_, key)| key.as_str()),
        }
    }
}

async fn new_user(server: &TestServer, name: &str, body: Value) -> (String, String) {
    let mut body = body;
    body["userName"] = json!(name);
    body["password"] = json!("matrix password 123");
    let user = id_of(server.post("/auth/users", body).await.expect(200));
    let key = server
        .post(
            &format!("/auth/users/{user}/api-keys"),
            json!({ "name": "matrix" }),
        )
        .await
        .expect(200)
        .json();
    (user, key["key"].as_str().unwrap().to_owned())
}

async fn fixture() -> Fixture {
    let server = TestServer::start().await;
    let account_a = server.new_account("A").await;
    let account_b = server.new_account("B").await;
    let customer = server.new_customer(&account_a, "Subtree", None).await;
    let (_, manager_a) = new_user(
        &server,
        "manager-a",
        json!({ "roles": ["Manager"], "accountIds": [account_a] }),
    )
    .await;
    let (_, manager_b) = new_user(
        &server,
        "manager-b",
        json!({ "roles": ["Manager"], "accountIds": [account_b] }),
    )
    .await;
    let (_, customer_a) = new_user(
        &server,
        "customer-a",
        json!({ "roles": ["Customer"], "accountIds": [account_a], "customerId": customer }),
    )
    .await;
    Fixture {
        server,
        account_a,
        customer,
        keys: vec![
            (Caller::ManagerA, manager_a),
            (Caller::ManagerB, manager_b),
            (Caller::CustomerA, customer_a),
        ],
    }
}

/// Fresh targets in account A, made by the administrator, for one request.
struct Targets {
    integration: String,
    customer: String,
    endpoint: String,
    user: String,
    api_key: String,
}

async fn targets(fixture: &Fixture, round: usize) -> Targets {
    let server = &fixture.server;
    let integration = id_of(
        server
            .post(
                "/integrations",
                json!({ "type": "Zoho", "name": format!("I{round}"), "accountId": fixture.account_a, "customerId": fixture.customer }),
            )
            .await
            .expect(200),
    );
    let customer = server
        .new_customer(
            &fixture.account_a,
            &format!("C{round}"),
            Some(&fixture.customer),
        )
        .await;
    let endpoint = id_of(
        server
            .post(
                "/endpoints",
                json!({ "accountId": fixture.account_a, "customerId": fixture.customer, "displayName": format!("E{round}") }),
            )
            .await
            .expect(200),
    );
    let (user, _) = new_user(
        server,
        &format!("target-{round}"),
        json!({ "roles": ["Customer"], "accountIds": [fixture.account_a], "customerId": fixture.customer }),
    )
    .await;
    let keys = server
        .get(&format!("/auth/users/{user}/api-keys"))
        .await
        .expect(200)
        .json();
    let api_key = keys["items"][0]["id"].as_str().unwrap().to_owned();
    Targets {
        integration,
        customer,
        endpoint,
        user,
        api_key,
    }
}

/// One operation: its name, own route, fields, and what each caller gets.
struct Case {
    name: &'static str,
    method: Method,
    path: String,
    body: Value,
    expect: [Expect; 5],
}

const UNAUTHORIZED: Expect = Expect::Error(401, "Unauthorized");
const FORBIDDEN: Expect = Expect::Error(403, "Forbidden");
const NOT_FOUND: Expect = Expect::Error(404, "NotFound");

fn cases(fixture: &Fixture, targets: &Targets) -> Vec<Case> {
    use Expect::Ok;
    let account = fixture.account_a.as_str();
    let subtree = fixture.customer.as_str();
    let Targets {
        integration,
        customer,
        endpoint,
        user,
        api_key,
    } = targets;
    let case = |name, method, path: String, body: Value, expect| Case {
        name,
        method,
        path,
        body,
        expect,
    };
    vec![
        case(
            "NewIntegration",
            Method::POST,
            "/integrations".into(),
            json!({ "type": "Zoho", "name": "N", "accountId": account, "customerId": subtree }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "ListIntegrations",
            Method::GET,
            "/integrations".into(),
            json!({}),
            [UNAUTHORIZED, Ok(200), Ok(200), Ok(200), Ok(200)],
        ),
        case(
            "GetIntegration",
            Method::GET,
            format!("/integrations/{integration}"),
            json!({ "integrationId": integration }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, Ok(200)],
        ),
        case(
            "PatchIntegration",
            Method::PATCH,
            format!("/integrations/{integration}"),
            json!({ "integrationId": integration, "name": "Changed" }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "GetIntegrationLog",
            Method::GET,
            format!("/integrations/{integration}/log"),
            json!({ "integrationId": integration }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, Ok(200)],
        ),
        case(
            "DeleteIntegration",
            Method::DELETE,
            format!("/integrations/{integration}"),
            json!({ "integrationId": integration }),
            [UNAUTHORIZED, Ok(204), Ok(204), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "NewCustomer",
            Method::POST,
            "/customers".into(),
            json!({ "name": "N", "accountId": account }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "ListCustomers",
            Method::GET,
            "/customers".into(),
            json!({}),
            [UNAUTHORIZED, Ok(200), Ok(200), Ok(200), Ok(200)],
        ),
        case(
            "GetCustomer",
            Method::GET,
            format!("/customers/{customer}"),
            json!({ "customerId": customer }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, Ok(200)],
        ),
        case(
            "PatchCustomer",
            Method::PATCH,
            format!("/customers/{customer}"),
            json!({ "customerId": customer, "name": "Changed" }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "DeleteCustomer",
            Method::DELETE,
            format!("/customers/{customer}"),
            json!({ "customerId": customer }),
            [UNAUTHORIZED, Ok(204), Ok(204), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "NewAccount",
            Method::POST,
            "/accounts".into(),
            json!({ "name": "N" }),
            [UNAUTHORIZED, Ok(200), FORBIDDEN, FORBIDDEN, FORBIDDEN],
        ),
        case(
            "ListAccounts",
            Method::GET,
            "/accounts".into(),
            json!({}),
            [UNAUTHORIZED, Ok(200), Ok(200), Ok(200), Ok(200)],
        ),
        case(
            "GetAccount",
            Method::GET,
            format!("/accounts/{account}"),
            json!({ "accountId": account }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, Ok(200)],
        ),
        case(
            "NewEndpoint",
            Method::POST,
            "/endpoints".into(),
            json!({ "displayName": "N", "accountId": account }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "ListEndpoints",
            Method::GET,
            "/endpoints".into(),
            json!({}),
            [UNAUTHORIZED, Ok(200), Ok(200), Ok(200), Ok(200)],
        ),
        case(
            "GetEndpoint",
            Method::GET,
            format!("/endpoints/{endpoint}"),
            json!({ "endpointId": endpoint }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, Ok(200)],
        ),
        case(
            "PatchEndpoint",
            Method::PATCH,
            format!("/endpoints/{endpoint}"),
            json!({ "endpointId": endpoint, "displayName": "Changed" }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "DeleteEndpoint",
            Method::DELETE,
            format!("/endpoints/{endpoint}"),
            json!({ "endpointId": endpoint }),
            [UNAUTHORIZED, Ok(204), Ok(204), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "GetAuthStatus",
            Method::GET,
            "/auth/status".into(),
            json!({}),
            [Ok(204), Ok(200), Ok(200), Ok(200), Ok(200)],
        ),
        case(
            "NewAuthUser",
            Method::POST,
            "/auth/users".into(),
            json!({ "userName": format!("new-{user}"), "password": "matrix password 123", "roles": ["Manager"], "accountIds": [account] }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "ListAuthUsers",
            Method::GET,
            "/auth/users".into(),
            json!({}),
            [UNAUTHORIZED, Ok(200), Ok(200), Ok(200), FORBIDDEN],
        ),
        case(
            "GetAuthUser",
            Method::GET,
            format!("/auth/users/{user}"),
            json!({ "userId": user }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "PatchAuthUser",
            Method::PATCH,
            format!("/auth/users/{user}"),
            json!({ "userId": user, "displayName": "Changed" }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "NewApiKey",
            Method::POST,
            format!("/auth/users/{user}/api-keys"),
            json!({ "userId": user, "name": "N" }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "ListApiKeys",
            Method::GET,
            format!("/auth/users/{user}/api-keys"),
            json!({ "userId": user }),
            [UNAUTHORIZED, Ok(200), Ok(200), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "DeleteApiKey",
            Method::DELETE,
            format!("/auth/users/{user}/api-keys/{api_key}"),
            json!({ "userId": user, "apiKeyId": api_key }),
            [UNAUTHORIZED, Ok(204), Ok(204), NOT_FOUND, FORBIDDEN],
        ),
        case(
            "DeleteAuthUser",
            Method::DELETE,
            format!("/auth/users/{user}"),
            json!({ "userId": user }),
            [UNAUTHORIZED, Ok(204), Ok(204), NOT_FOUND, FORBIDDEN],
        ),
    ]
}

async fn send(fixture: &Fixture, caller: Caller, form: usize, case: &Case) -> Reply {
    let server = &fixture.server;
    let key = fixture.key(caller);
    match form {
        0 => {
            let body = (case.method == Method::POST || case.method == Method::PATCH)
                .then(|| case.body.clone());
            server
                .send(case.method.clone(), &case.path, body, key)
                .await
        }
        1 => {
            server
                .send(
                    Method::POST,
                    &format!("/api/{}", case.name),
                    Some(case.body.clone()),
                    key,
                )
                .await
        }
        _ => {
            server
                .send(
                    case.method.clone(),
                    &format!("/json/reply/{}", case.name),
                    Some(case.body.clone()),
                    key,
                )
                .await
        }
    }
}

fn check(reply: &Reply, expect: Expect, label: &str) {
    match expect {
        Expect::Ok(status) => {
            assert_eq!(reply.status.as_u16(), status, "{label}: {}", reply.text);
            if status == 204 {
                assert_eq!(reply.text, "", "{label}");
            } else {
                assert!(reply.json().is_object(), "{label}: {}", reply.text);
            }
        }
        Expect::Error(status, code) => {
            assert_eq!(reply.status.as_u16(), status, "{label}: {}", reply.text);
            assert_eq!(reply.json()["responseStatus"]["errorCode"], code, "{label}");
        }
    }
}

#[tokio::test]
async fn every_operation_for_every_role() {
    let fixture = fixture().await;
    let mut round = 0;
    for form in 0..3 {
        for (index, caller) in CALLERS.into_iter().enumerate() {
            round += 1;
            let targets = targets(&fixture, round).await;
            for case in cases(&fixture, &targets) {
                let reply = send(&fixture, caller, form, &case).await;
                let route = ["own route", "/api", "/json/reply"][form];
                let label = format!("{} as {caller:?} on {route}", case.name);
                check(&reply, case.expect[index], &label);
            }
        }
    }
    // Manager B never saw anything of account A in a list.
    let list = fixture
        .server
        .send(
            Method::GET,
            "/integrations",
            None,
            fixture.key(Caller::ManagerB),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(list["totalCount"], 0);
    let users = fixture
        .server
        .send(
            Method::GET,
            "/auth/users",
            None,
            fixture.key(Caller::ManagerB),
        )
        .await
        .expect(200)
        .json();
    let names: Vec<&str> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["manager-b"]);
}
