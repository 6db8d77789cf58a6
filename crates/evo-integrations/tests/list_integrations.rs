//! End-to-end tests of `ListIntegrations` filters and paging.

mod common;

use common::TestServer;
use serde_json::{json, Value};

struct Fixture {
    account: String,
    other_account: String,
    acme: String,
    dallas: String,
    dallas_north: String,
}

/// Acme > Dallas > Dallas North in the default account, and one more account, with
/// integrations at each level.
async fn fixture(server: &TestServer) -> Fixture {
    let account = server.default_account().await;
    let other_account = server.new_account("Other").await;
    let acme = server.new_customer(&account, "Acme", None).await;
    let dallas = server.new_customer(&account, "Dallas", Some(&acme)).await;
    let dallas_north = server
        .new_customer(&account, "Dallas North", Some(&dallas))
        .await;
    for (name, kind, customer) in [
        ("alpha", "Zoho", Some(&acme)),
        ("Bravo", "HostedSuite", Some(&dallas)),
        ("charlie", "OfficeRnd", Some(&dallas_north)),
        ("Delta", "Zoho", None),
    ] {
        server
            .new_integration(json!({ "name": name, "type": kind, "customerId": customer }))
            .await;
    }
    server
        .new_integration(json!({ "name": "Echo", "type": "Zoho", "accountId": other_account }))
        .await;
    Fixture {
        account,
        other_account,
        acme,
        dallas,
        dallas_north,
    }
}

fn names(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["name"].as_str().expect("a name"))
        .collect()
}

#[tokio::test]
async fn default_order_is_name_ignoring_case() {
    let server = TestServer::start().await;
    fixture(&server).await;
    let list = server.get("/integrations").await.expect(200).json();
    assert_eq!(names(&list), ["alpha", "Bravo", "charlie", "Delta", "Echo"]);
    assert_eq!(list["totalCount"], 5);
    assert_eq!(list["totalPages"], 1);
    assert_eq!(list["hasMorePages"], false);
}

#[tokio::test]
async fn customer_filter_includes_subtree() {
    let server = TestServer::start().await;
    let fixture = fixture(&server).await;
    let list = server
        .get(&format!("/integrations?customerIds={}", fixture.dallas))
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["Bravo", "charlie"]);
    let list = server
        .get(&format!("/integrations?customerIds={}", fixture.acme))
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["alpha", "Bravo", "charlie"]);
}

#[tokio::test]
async fn shallow_parent_matches_customer_only() {
    let server = TestServer::start().await;
    let fixture = fixture(&server).await;
    let list = server
        .get(&format!(
            "/integrations?customerIds={}&shallowParent=true",
            fixture.dallas
        ))
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["Bravo"]);
}

#[tokio::test]
async fn customer_ids_accept_both_list_forms() {
    let server = TestServer::start().await;
    let fixture = fixture(&server).await;
    for query in [
        format!("customerIds={},{}", fixture.acme, fixture.dallas_north),
        format!("customerIds=[{},{}]", fixture.acme, fixture.dallas_north),
    ] {
        let list = server
            .get(&format!("/integrations?{query}&shallowParent=True"))
            .await
            .expect(200)
            .json();
        assert_eq!(names(&list), ["alpha", "charlie"], "{query}");
    }
}

#[tokio::test]
async fn account_name_and_type_filters() {
    let server = TestServer::start().await;
    let fixture = fixture(&server).await;
    let list = server
        .get(&format!(
            "/integrations?accountIds={}",
            fixture.other_account
        ))
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["Echo"]);
    let list = server
        .get(&format!("/integrations?accountIds={}", fixture.account))
        .await
        .expect(200)
        .json();
    assert_eq!(list["totalCount"], 4);
    let list = server
        .get("/integrations?nameFilter=HARL")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["charlie"]);
    let list = server
        .get("/integrations?types=zoho")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["alpha", "Delta", "Echo"]);
    let list = server
        .get("/integrations?types=HostedSuite,OfficeRnd")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["Bravo", "charlie"]);
}

#[tokio::test]
async fn paging_counts_pages() {
    let server = TestServer::start().await;
    fixture(&server).await;
    let first = server
        .get("/integrations?countPerPage=2")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&first), ["alpha", "Bravo"]);
    assert_eq!(first["totalCount"], 5);
    assert_eq!(first["totalPages"], 3);
    assert_eq!(first["hasMorePages"], true);
    let last = server
        .get("/integrations?countPerPage=2&page=2")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&last), ["Echo"]);
    assert_eq!(last["hasMorePages"], false);
    let beyond = server
        .get("/integrations?countPerPage=2&page=9")
        .await
        .expect(200)
        .json();
    assert_eq!(beyond["items"], json!([]));
}

#[tokio::test]
async fn simplified_paging_skips_counts() {
    let server = TestServer::start().await;
    fixture(&server).await;
    let list = server
        .get("/integrations?countPerPage=2&page=1&simplifiedPaging=true")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["charlie", "Delta"]);
    assert_eq!(list["totalCount"], 0);
    assert_eq!(list["totalPages"], 0);
    assert_eq!(list["hasMorePages"], true);
    let last = server
        .get("/integrations?countPerPage=2&page=2&simplifiedPaging=true")
        .await
        .expect(200)
        .json();
    assert_eq!(last["hasMorePages"], false);
}

#[tokio::test]
async fn all_returns_everything() {
    let server = TestServer::start().await;
    fixture(&server).await;
    let list = server
        .get("/integrations?countPerPage=1&all=true")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list).len(), 5);
    assert_eq!(list["totalCount"], 5);
    assert_eq!(list["totalPages"], 1);
    assert_eq!(list["hasMorePages"], false);
}

#[tokio::test]
async fn specific_ids_keep_requested_order() {
    let server = TestServer::start().await;
    fixture(&server).await;
    let all = server.get("/integrations").await.expect(200).json();
    let id_of = |name: &str| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let list = server
        .get(&format!(
            "/integrations?specificIds={},{}&sortOrder=Descend",
            id_of("alpha"),
            id_of("Echo")
        ))
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["Echo", "alpha"]);
}

#[tokio::test]
async fn sort_field_ignores_case() {
    let server = TestServer::start().await;
    fixture(&server).await;
    let list = server
        .get("/integrations?sortField=TYPE&sortOrder=Ascend")
        .await
        .expect(200)
        .json();
    let types: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["HostedSuite", "OfficeRnd", "Zoho", "Zoho", "Zoho"]);
    let list = server
        .get("/integrations?sortField=dateCreated&sortOrder=Descend")
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list)[0], "Echo");
}

#[tokio::test]
async fn list_request_errors_name_fields() {
    let server = TestServer::start().await;
    let reply = server
        .get("/integrations?sortField=Password&countPerPage=0")
        .await
        .expect(400);
    let errors = &reply.json()["responseStatus"]["errors"];
    assert_eq!(errors[0]["fieldName"], "CountPerPage");
    assert_eq!(
        errors[0]["message"],
        "'Count Per Page' must be between 1 and 1000. You entered 0."
    );
    assert_eq!(errors[1]["fieldName"], "SortField");
    let reply = server.get("/integrations?page=x").await.expect(400);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"SerializationException","message":"'x' is not a valid 32-bit integer","errors":[{"errorCode":"SerializationException","fieldName":"Page","message":"'x' is not a valid 32-bit integer"}]}}"#
    );
}

#[tokio::test]
async fn list_reads_body_on_api_route() {
    let server = TestServer::start().await;
    let fixture = fixture(&server).await;
    let list = server
        .post(
            "/api/ListIntegrations",
            json!({ "customerIds": [fixture.dallas], "shallowParent": true }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(names(&list), ["Bravo"]);
}

#[tokio::test]
async fn every_bad_query_value_is_listed() {
    let server = TestServer::start().await;
    let reply = server
        .get("/integrations?page=x&countPerPage=y&shallowParent=maybe&types=Salesforce")
        .await
        .expect(400);
    let errors = &reply.json()["responseStatus"]["errors"];
    let fields: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["fieldName"].as_str().unwrap())
        .collect();
    assert_eq!(fields.len(), 4, "{}", reply.text);
    for field in ["Page", "CountPerPage", "ShallowParent"] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    assert!(
        fields.iter().any(|field| field.starts_with("Types")),
        "{fields:?}"
    );
}
