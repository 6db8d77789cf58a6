//! End-to-end tests of the integration operations over a real socket.

mod common;

use common::{id_of, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

/// Creates customers `Acme` > `Acme Dallas` in the default account and returns their ids.
async fn two_level_customers(server: &TestServer) -> (String, String, String) {
    let account = server.default_account().await;
    let top = server.new_customer(&account, "Acme", None).await;
    let child = server
        .new_customer(&account, "Acme Dallas", Some(&top))
        .await;
    (account, top, child)
}

fn field_ids(info: &Value) -> Vec<&str> {
    info["settingsDataType"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|field| field["id"].as_str().expect("an id"))
        .collect()
}

fn is_rfc3339_utc_millis(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() == 24
        && bytes[4] == b'-'
        && bytes[10] == b'T'
        && bytes[19] == b'.'
        && text.ends_with('Z')
        && time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok()
}

#[tokio::test]
async fn new_zoho_integration_fills_every_field() {
    let server = TestServer::start().await;
    let (account, top, child) = two_level_customers(&server).await;
    let status = server.get("/auth/status").await.expect(200).json();
    let admin_id = status["userId"].as_str().unwrap();

    let info = server
        .new_integration(json!({ "type": "Zoho", "name": "Zoho EU", "customerId": child }))
        .await;

    assert_eq!(info["accountId"], account);
    assert_eq!(info["customerId"], child);
    assert_eq!(info["customerName"], "Acme Dallas");
    assert_eq!(
        info["customerBreadcrumb"],
        json!([{ "id": top, "name": "Acme" }, { "id": child, "name": "Acme Dallas" }])
    );
    assert_eq!(info["name"], "Zoho EU");
    assert_eq!(info["automaticallyCreateCustomers"], false);
    assert_eq!(info["type"], "Zoho");
    assert_eq!(info["status"], "NotConfigured");
    assert_eq!(
        info["statusMessage"],
        "Missing settings: ClientId, ClientSecret. Then authorize the integration with Zoho."
    );
    assert_eq!(info["settingsDataType"]["typeName"], "ZohoSettings");
    assert_eq!(
        field_ids(&info),
        ["ClientId", "ClientSecret", "AccountsServer", "ApiDomain"]
    );
    assert_eq!(
        info["settings"],
        json!({ "AccountsServer": { "stringValue": "https://accounts.zoho.com" } })
    );
    assert_eq!(info["features"], json!(["CrmSync", "OAuth2"]));
    assert_eq!(info["isAuthorized"], false);
    assert!(info.get("dateLastSync").is_none(), "{info}");
    let id = info["id"].as_str().unwrap();
    assert_eq!(id.len(), 26, "{id}");
    assert!(
        is_rfc3339_utc_millis(info["dateCreated"].as_str().unwrap()),
        "{info}"
    );
    assert_eq!(info["dateCreated"], info["dateLastModified"]);
    assert_eq!(info["createdBy"], admin_id);
    assert_eq!(info["lastModifiedBy"], admin_id);
}

#[tokio::test]
async fn new_integration_members_follow_seed_order() {
    let server = TestServer::start().await;
    let (_, _, child) = two_level_customers(&server).await;
    let reply = server
        .post(
            "/integrations",
            json!({ "type": "HostedSuite", "name": "HS", "customerId": child }),
        )
        .await
        .expect(200);
    let info: serde_json::Map<String, Value> = serde_json::from_str(&reply.text).unwrap();
    let keys: Vec<&str> = info.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "accountId",
            "customerId",
            "customerName",
            "customerBreadcrumb",
            "name",
            "automaticallyCreateCustomers",
            "type",
            "status",
            "statusMessage",
            "settingsDataType",
            "settings",
            "features",
            "isAuthorized",
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
async fn new_integration_defaults_to_callers_account() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let info = server
        .new_integration(json!({ "type": "OfficeRnd", "name": "Flex" }))
        .await;
    assert_eq!(info["accountId"], account);
    assert_eq!(info["customerBreadcrumb"], json!([]));
    assert!(info.get("customerId").is_none());
    assert!(info.get("customerName").is_none());
    assert_eq!(
        info["settings"],
        json!({
            "TokenUrl": { "stringValue": "https://identity.officernd.com/oauth/token" },
            "ApiBaseUrl": { "stringValue": "https://app.officernd.com/api/v2" },
            "MemberStatuses": { "stringValue": "active" },
        })
    );
    assert_eq!(info["features"], json!(["CrmSync"]));
}

#[tokio::test]
async fn new_integration_binds_any_case() {
    let server = TestServer::start().await;
    let info = server
        .new_integration(json!({ "NAME": "Shouty", "Type": "hostedsuite" }))
        .await;
    assert_eq!(info["name"], "Shouty");
    assert_eq!(info["type"], "HostedSuite");
}

#[tokio::test]
async fn new_integration_without_name_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .post("/integrations", json!({ "type": "Zoho" }))
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"NotEmpty","message":"'Name' must not be empty.","errors":[{"errorCode":"NotEmpty","fieldName":"Name","message":"'Name' must not be empty."}]}}"#
    );
}

#[tokio::test]
async fn new_integration_lists_every_failure() {
    let server = TestServer::start().await;
    let reply = server
        .post("/integrations", json!({ "name": "  " }))
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"NotEmpty","message":"'Type' must not be empty.","errors":[{"errorCode":"NotEmpty","fieldName":"Type","message":"'Type' must not be empty."},{"errorCode":"NotEmpty","fieldName":"Name","message":"'Name' must not be empty."}]}}"#
    );
}

#[tokio::test]
async fn new_integration_unknown_type_lists_allowed_values() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/integrations",
            json!({ "name": "x", "type": "Salesforce" }),
        )
        .await
        .expect(400);
    let status = &reply.json()["responseStatus"];
    assert_eq!(status["errorCode"], "SerializationException");
    let message = status["message"].as_str().unwrap();
    for allowed in ["HostedSuite", "OfficeRnd", "Zoho"] {
        assert!(message.contains(allowed), "{message}");
    }
    assert_eq!(status["errors"][0]["fieldName"], "Type");
}

#[tokio::test]
async fn new_integration_unknown_account_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/integrations",
            json!({ "name": "x", "type": "Zoho", "accountId": "nope" }),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"NotFound","message":"Account 'nope' was not found.","errors":[]}}"#
    );
}

#[tokio::test]
async fn new_integration_unknown_customer_is_404() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/integrations",
            json!({ "name": "x", "type": "Zoho", "customerId": "nope" }),
        )
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"NotFound","message":"Customer 'nope' was not found.","errors":[]}}"#
    );
}

#[tokio::test]
async fn new_integration_customer_of_other_account_is_400() {
    let server = TestServer::start().await;
    let default_account = server.default_account().await;
    let other_account = server.new_account("Other").await;
    let customer = server.new_customer(&other_account, "Elsewhere", None).await;
    let reply = server
        .post(
            "/integrations",
            json!({ "name": "x", "type": "Zoho", "accountId": default_account, "customerId": customer }),
        )
        .await
        .expect(400);
    let expected = format!(
        r#"{{"responseStatus":{{"errorCode":"NotInAccount","message":"Customer '{customer}' does not belong to account '{default_account}'.","errors":[{{"errorCode":"NotInAccount","fieldName":"CustomerId","message":"Customer '{customer}' does not belong to account '{default_account}'."}}]}}}}"#
    );
    assert_eq!(reply.text, expected);
}

#[tokio::test]
async fn malformed_body_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "application/json")
                .body(r#"{"name": "x", "type": "#)
        })
        .await
        .expect(400);
    let status = &reply.json()["responseStatus"];
    assert_eq!(status["errorCode"], "SerializationException");
    assert_eq!(
        status["message"],
        "EOF while parsing a value at line 1 column 22"
    );
    assert_eq!(status["errors"][0]["fieldName"], "Type");
}

#[tokio::test]
async fn body_over_limit_is_413() {
    let server = TestServer::start().await;
    let name = "x".repeat(1024 * 1024 + 1);
    let reply = server
        .post("/integrations", json!({ "name": name, "type": "Zoho" }))
        .await
        .expect(413);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"RequestEntityTooLarge","message":"The request body is larger than the limit of 1048576 bytes.","errors":[]}}"#
    );
    let list = server.get("/integrations").await.expect(200).json();
    assert_eq!(list["totalCount"], 0);
}

#[tokio::test]
async fn deep_settings_are_rejected_with_400() {
    let server = TestServer::start().await;
    let info = server
        .new_integration(json!({ "type": "Zoho", "name": "deep" }))
        .await;
    let id = info["id"].as_str().unwrap();
    let mut value = json!({ "stringValue": "leaf" });
    for _ in 0..200 {
        value = json!({ "structValue": { "k": value } });
    }
    let reply = server
        .patch(
            &format!("/integrations/{id}"),
            json!({ "settings": { "ClientId": value } }),
        )
        .await
        .expect(400);
    let message = reply.json()["responseStatus"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("nesting is deeper than the maximum depth of 64 objects and lists"),
        "{message}"
    );
}

#[tokio::test]
async fn get_integration_returns_what_new_returned() {
    let server = TestServer::start().await;
    let (_, _, child) = two_level_customers(&server).await;
    let created = server
        .new_integration(json!({ "type": "Zoho", "name": "Z", "customerId": child }))
        .await;
    let id = created["id"].as_str().unwrap();
    let fetched = server
        .get(&format!("/integrations/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn get_unknown_integration_is_404() {
    let server = TestServer::start().await;
    let reply = server.get("/integrations/missing").await.expect(404);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"NotFound","message":"Integration 'missing' was not found.","errors":[]}}"#
    );
}

async fn new_hosted_suite(server: &TestServer) -> String {
    let info = server
        .new_integration(json!({ "type": "HostedSuite", "name": "HS" }))
        .await;
    info["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn patch_settings_masks_secret_and_completes_status() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    let info = server
        .patch(
            &format!("/integrations/{id}"),
            json!({ "settings": {
                "customername": { "stringValue": "acme" },
                "UserName": { "stringValue": "sync" },
                "Password": { "stringValue": "hunter2-secret" },
            } }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        info["settings"],
        json!({
            "BaseUrl": { "stringValue": "https://evo.hostedsuite.com/api" },
            "CustomerName": { "stringValue": "acme" },
            "UserName": { "stringValue": "sync" },
            "Password": { "stringValue": "********" },
        })
    );
    assert_eq!(info["status"], "OK");
    assert_ne!(info["dateLastModified"], info["dateCreated"]);
    assert!(!server
        .get(&format!("/integrations/{id}"))
        .await
        .text
        .contains("hunter2"));
}

#[tokio::test]
async fn patch_with_mask_keeps_secret() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    let path = format!("/integrations/{id}");
    server
        .patch(
            &path,
            json!({ "settings": { "Password": { "stringValue": "first-secret" } } }),
        )
        .await
        .expect(200);
    let info = server.get(&path).await.expect(200).json();
    // Send back everything that was read, as a form editor would.
    server
        .patch(&path, json!({ "settings": info["settings"] }))
        .await
        .expect(200);
    let database = std::fs::read(common::database_path(server.folder.path())).unwrap();
    assert!(!contains(&database, b"first-secret"));
    let after = server.get(&path).await.expect(200).json();
    assert_eq!(after["settings"]["Password"]["stringValue"], "********");
    // The secret is still there: removing it makes the status name it as missing.
    let removed = server
        .patch(&path, json!({ "settings": { "Password": {} } }))
        .await
        .expect(200)
        .json();
    assert!(removed["settings"].get("Password").is_none());
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn secrets_never_reach_database_file() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    let secret = "plaintext-password-7d1f";
    server
        .patch(
            &format!("/integrations/{id}"),
            json!({ "settings": { "Password": { "stringValue": secret } } }),
        )
        .await
        .expect(200);
    let server = server.restart().await;
    let folder = server.folder.path().to_owned();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !contains(&bytes, secret.as_bytes()),
            "{} holds the secret",
            path.display()
        );
    }
    let log = server
        .get(&format!("/integrations/{id}/log"))
        .await
        .expect(200);
    assert!(!log.text.contains(secret));
    assert!(log.text.contains("Settings (Password)"), "{}", log.text);
}

#[tokio::test]
async fn patch_rejects_bad_settings_by_name() {
    let server = TestServer::start().await;
    let info = server
        .new_integration(json!({ "type": "Zoho", "name": "Z" }))
        .await;
    let path = format!("/integrations/{}", info["id"].as_str().unwrap());
    let cases = [
        (
            json!({ "Nope": { "stringValue": "x" } }),
            "UnknownSetting",
            "Settings.Nope",
        ),
        (
            json!({ "AccountsServer": { "stringValue": "https://accounts.example.com" } }),
            "NotAPossibleValue",
            "Settings.AccountsServer",
        ),
        (
            json!({ "ClientId": { "stringValue": "a", "boolValue": true } }),
            "AmbiguousValue",
            "Settings.ClientId",
        ),
        (
            json!({ "ClientId": { "numberValue": 3 } }),
            "InvalidValueType",
            "Settings.ClientId",
        ),
    ];
    for (settings, code, field) in cases {
        let reply = server
            .patch(&path, json!({ "settings": settings }))
            .await
            .expect(400);
        let status = &reply.json()["responseStatus"];
        assert_eq!(status["errorCode"], code, "{}", reply.text);
        assert_eq!(status["errors"][0]["fieldName"], field, "{}", reply.text);
    }
    let unchanged = server.get(&path).await.expect(200).json();
    assert_eq!(unchanged["settings"], info["settings"]);
    assert_eq!(unchanged["dateLastModified"], info["dateLastModified"]);
}

#[tokio::test]
async fn patch_reports_unknown_setting_whole() {
    let server = TestServer::start().await;
    let info = server
        .new_integration(json!({ "type": "Zoho", "name": "Z" }))
        .await;
    let reply = server
        .patch(
            &format!("/integrations/{}", info["id"].as_str().unwrap()),
            json!({ "settings": { "Nope": { "stringValue": "x" } } }),
        )
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"UnknownSetting","message":"'Nope' is not a setting of Zoho integrations; the settings are ClientId, ClientSecret, AccountsServer, ApiDomain.","errors":[{"errorCode":"UnknownSetting","fieldName":"Settings.Nope","message":"'Nope' is not a setting of Zoho integrations; the settings are ClientId, ClientSecret, AccountsServer, ApiDomain."}]}}"#
    );
}

#[tokio::test]
async fn zoho_stays_not_configured_until_authorized() {
    let server = TestServer::start().await;
    let info = server
        .new_integration(json!({ "type": "Zoho", "name": "Z" }))
        .await;
    let patched = server
        .patch(
            &format!("/integrations/{}", info["id"].as_str().unwrap()),
            json!({ "settings": {
                "ClientId": { "stringValue": "1000.ABC" },
                "ClientSecret": { "stringValue": "zoho-secret" },
                "AccountsServer": { "stringValue": "https://accounts.zoho.eu" },
            } }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(patched["status"], "NotConfigured");
    assert_eq!(
        patched["statusMessage"],
        "Not authorized: authorize the integration with Zoho."
    );
    assert_eq!(
        patched["settings"]["AccountsServer"]["stringValue"],
        "https://accounts.zoho.eu"
    );
}

#[tokio::test]
async fn patch_moves_and_detaches_customer() {
    let server = TestServer::start().await;
    let (_, top, child) = two_level_customers(&server).await;
    let info = server
        .new_integration(json!({ "type": "Zoho", "name": "Z", "customerId": child }))
        .await;
    let path = format!("/integrations/{}", info["id"].as_str().unwrap());

    let moved = server
        .patch(
            &path,
            json!({ "customerId": top, "name": "Renamed", "automaticallyCreateCustomers": true }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        moved["customerBreadcrumb"],
        json!([{ "id": top, "name": "Acme" }])
    );
    assert_eq!(moved["name"], "Renamed");
    assert_eq!(moved["automaticallyCreateCustomers"], true);

    let detached = server
        .patch(&path, json!({ "customerId": "" }))
        .await
        .expect(200)
        .json();
    assert!(detached.get("customerId").is_none(), "{detached}");
    assert_eq!(detached["customerBreadcrumb"], json!([]));
}

#[tokio::test]
async fn patch_reads_fields_from_query() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    let patched = server
        .call(
            Method::PATCH,
            &format!("/integrations/{id}?Name=From%20query"),
            None,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(patched["name"], "From query");
}

#[tokio::test]
async fn path_id_wins_over_query_and_body() {
    let server = TestServer::start().await;
    let first = new_hosted_suite(&server).await;
    let second = new_hosted_suite(&server).await;
    let patched = server
        .patch(
            &format!("/integrations/{first}?integrationId={second}"),
            json!({ "integrationId": second, "name": "Only first" }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(patched["id"], first);
    let other = server
        .get(&format!("/integrations/{second}"))
        .await
        .expect(200)
        .json();
    assert_eq!(other["name"], "HS");
}

#[tokio::test]
async fn integration_log_records_changes_without_secrets() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    server
        .patch(
            &format!("/integrations/{id}"),
            json!({ "name": "HS 2", "settings": { "Password": { "stringValue": "log-secret-1" } } }),
        )
        .await
        .expect(200);
    let log = server
        .get(&format!("/integrations/{id}/log"))
        .await
        .expect(200)
        .json();
    assert_eq!(log["totalCount"], 2);
    let messages: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "Changed by admin: Name, Settings (Password).",
            "Integration 'HS' of type HostedSuite created by admin.",
        ]
    );
    assert!(!log.to_string().contains("log-secret-1"));
    assert_eq!(log["items"][0]["level"], "Info");
}

#[tokio::test]
async fn delete_integration_removes_it_and_its_log() {
    let server = TestServer::start().await;
    let (account, _, child) = two_level_customers(&server).await;
    let info = server
        .new_integration(json!({ "type": "Zoho", "name": "Z", "customerId": child }))
        .await;
    let path = format!("/integrations/{}", info["id"].as_str().unwrap());

    let reply = server.delete(&path).await.expect(204);
    assert_eq!(reply.text, "");
    server.get(&path).await.expect(404);
    server.get(&format!("{path}/log")).await.expect(404);
    server.delete(&path).await.expect(404);
    // The customer the integration was attached to stays.
    let customers = server
        .get(&format!("/customers?accountIds={account}"))
        .await
        .expect(200)
        .json();
    assert_eq!(customers["totalCount"], 2);
}

#[tokio::test]
async fn restart_keeps_acknowledged_writes() {
    let server = TestServer::start().await;
    let (_, _, child) = two_level_customers(&server).await;
    let created = server
        .new_integration(json!({ "type": "Zoho", "name": "Durable", "customerId": child }))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let patched = server
        .patch(
            &format!("/integrations/{id}"),
            json!({ "settings": { "ClientSecret": { "stringValue": "kept-secret" } } }),
        )
        .await
        .expect(200)
        .json();

    let server = server.restart().await;
    let fetched = server
        .get(&format!("/integrations/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(fetched, patched);
    let log = server
        .get(&format!("/integrations/{id}/log"))
        .await
        .expect(200)
        .json();
    assert_eq!(log["totalCount"], 2);
}

#[tokio::test]
async fn predefined_routes_reach_operations() {
    let server = TestServer::start().await;
    let created = server
        .post(
            "/api/NewIntegration",
            json!({ "type": "Zoho", "name": "Via api" }),
        )
        .await
        .expect(200)
        .json();
    let id = created["id"].as_str().unwrap();

    let by_reply = server
        .get(&format!("/json/reply/GetIntegration?integrationId={id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(by_reply, created);

    let lowercase = server
        .get(&format!("/API/getintegration?IntegrationId={id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(lowercase["id"], id);

    // The npm JsonApiClient posts JSON as text/plain; predefined routes read the route's format.
    let text_plain = server
        .raw(|client, base| {
            client
                .post(format!("{base}/api/PatchIntegration"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "text/plain")
                .body(format!(r#"{{"integrationId":"{id}","name":"Plain"}}"#))
        })
        .await
        .expect(200)
        .json();
    assert_eq!(text_plain["name"], "Plain");

    let oneway = server
        .post(
            "/json/oneway/DeleteIntegration",
            json!({ "integrationId": id }),
        )
        .await;
    assert_eq!(oneway.status.as_u16(), 204);
    server.get(&format!("/integrations/{id}")).await.expect(404);
}

#[tokio::test]
async fn unsupported_body_type_is_415() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "text/plain")
                .body("name=x")
        })
        .await
        .expect(415);
    assert_eq!(
        reply.json()["responseStatus"]["errorCode"],
        "UnsupportedMediaType"
    );
}

#[tokio::test]
async fn form_body_binds_fields() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("Name=From+form&Type=OfficeRnd")
        })
        .await
        .expect(200);
    assert_eq!(reply.json()["name"], "From form");
}

#[tokio::test]
async fn wrong_method_is_405_and_unknown_route_404() {
    let server = TestServer::start().await;
    let reply = server
        .call(Method::PUT, "/integrations", None)
        .await
        .expect(405);
    assert_eq!(
        reply.json()["responseStatus"]["errorCode"],
        "MethodNotAllowed"
    );
    let reply = server.get("/no/such/route").await.expect(404);
    assert_eq!(reply.json()["responseStatus"]["errorCode"], "NotFound");
    let reply = server.get("/api/NoSuchOperation").await.expect(404);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"NotFound","message":"No operation is named 'NoSuchOperation'.","errors":[]}}"#
    );
}

#[tokio::test]
async fn method_override_applies_to_post() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations/{id}"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("X-Http-Method-Override", "DELETE")
        })
        .await;
    assert_eq!(reply.status.as_u16(), 204, "{}", reply.text);
    server.get(&format!("/integrations/{id}")).await.expect(404);
}

#[tokio::test]
async fn responses_vary_on_accept() {
    let server = TestServer::start().await;
    let reply = server.get("/integrations").await.expect(200);
    assert_eq!(reply.headers.get("vary").unwrap(), "Accept");
    let reply = server.get("/integrations/missing").await.expect(404);
    assert_eq!(reply.headers.get("vary").unwrap(), "Accept");
}

#[tokio::test]
async fn unknown_accept_is_406() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Accept", "image/png")
        })
        .await
        .expect(406);
    assert_eq!(reply.json()["responseStatus"]["errorCode"], "NotAcceptable");
}

#[tokio::test]
async fn new_integration_is_answered_in_jsv() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "text/jsv")
                .header("Accept", "text/jsv")
                .body("{name:In JSV,type:Zoho}")
        })
        .await
        .expect(200);
    assert!(
        reply.content_type().starts_with("text/jsv"),
        "{}",
        reply.content_type()
    );
    let info: evo_integrations::dto::integration::IntegrationInfo =
        jsv::from_str(&reply.text).unwrap();
    assert_eq!(info.name.as_deref(), Some("In JSV"));
    let id = info.id.clone().unwrap();
    let json: evo_integrations::dto::integration::IntegrationInfo = serde_json::from_str(
        &server
            .get(&format!("/integrations/{id}"))
            .await
            .expect(200)
            .text,
    )
    .unwrap();
    assert_eq!(info, json);
}

#[tokio::test]
async fn jsv_errors_are_written_in_jsv() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations/missing?format=jsv"))
                .bearer_auth(common::ADMIN_API_KEY)
        })
        .await
        .expect(404);
    assert_eq!(
        reply.text,
        "{responseStatus:{errorCode:NotFound,message:Integration 'missing' was not found.,errors:[]}}"
    );
}

#[tokio::test]
async fn id_of_reply_is_opaque() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let first = id_of(
        server
            .post("/customers", json!({ "accountId": account, "name": "A" }))
            .await,
    );
    let second = id_of(
        server
            .post("/customers", json!({ "accountId": account, "name": "B" }))
            .await,
    );
    assert_ne!(first, second);
    assert!(
        first
            .chars()
            .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c)),
        "{first}"
    );
}

/// Sends a raw HTTP/1.1 request and returns the status line.
fn status_line(address: std::net::SocketAddr, request: &str) -> String {
    use std::io::{BufRead, BufReader, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    line.trim_end().to_owned()
}

#[tokio::test]
async fn reason_phrase_is_error_code() {
    let server = TestServer::start().await;
    let address = server.server.as_ref().unwrap().local_addr;
    let lines = tokio::task::spawn_blocking(move || {
        [
            status_line(address, "GET /integrations HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"),
            status_line(
                address,
                &format!(
                    "GET /integrations/missing HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
                    common::ADMIN_API_KEY
                ),
            ),
            status_line(
                address,
                &format!(
                    "GET /integrations HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
                    common::ADMIN_API_KEY
                ),
            ),
        ]
    })
    .await
    .unwrap();
    assert_eq!(lines[0], "HTTP/1.1 401 Unauthorized");
    assert_eq!(lines[1], "HTTP/1.1 404 NotFound");
    assert_eq!(lines[2], "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn multipart_body_binds_fields() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            let form = reqwest::multipart::Form::new()
                .text("Name", "From multipart")
                .text("type", "HostedSuite");
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .multipart(form)
        })
        .await
        .expect(200);
    assert_eq!(reply.json()["name"], "From multipart");
}

#[tokio::test]
async fn form_body_on_api_route_and_form_override() {
    let server = TestServer::start().await;
    let created = server
        .raw(|client, base| {
            client
                .post(format!("{base}/api/NewIntegration"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("name=Form+on+api&type=Zoho")
        })
        .await
        .expect(200)
        .json();
    let id = created["id"].as_str().unwrap().to_owned();
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations/{id}"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("X-Http-Method-Override=DELETE")
        })
        .await;
    assert_eq!(reply.status.as_u16(), 204, "{}", reply.text);
    server.get(&format!("/integrations/{id}")).await.expect(404);
}

#[tokio::test]
async fn no_content_in_every_format() {
    let server = TestServer::start().await;
    for accept in [
        "application/json",
        "text/jsv",
        "application/xml",
        "text/csv",
        "text/html",
        "text/jsonl",
    ] {
        let id = new_hosted_suite(&server).await;
        let reply = server
            .raw(|client, base| {
                client
                    .delete(format!("{base}/integrations/{id}"))
                    .bearer_auth(common::ADMIN_API_KEY)
                    .header("Accept", accept)
            })
            .await;
        assert_eq!(reply.status.as_u16(), 204, "{accept}");
        assert_eq!(reply.text, "", "{accept}");
        assert_eq!(reply.headers.get("vary").unwrap(), "Accept", "{accept}");
    }
}

#[tokio::test]
async fn form_field_beats_query_value() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations?name=From+query&type=Zoho"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("name=From+form")
        })
        .await
        .expect(200);
    assert_eq!(reply.json()["name"], "From form");
}

#[tokio::test]
async fn unexpected_failure_is_generic_500() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    // Corrupt the row behind the server's back, as a bad migration or manual edit might.
    let connection =
        rusqlite::Connection::open(common::database_path(server.folder.path())).unwrap();
    connection
        .execute(
            "UPDATE integrations SET status = 'Bogus' WHERE id = ?",
            [&id],
        )
        .unwrap();
    let reply = server.get(&format!("/integrations/{id}")).await.expect(500);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"InternalServerError","message":"An unexpected error occurred on the server. The server log has the details.","errors":[]}}"#
    );
}

#[tokio::test]
async fn predefined_routes_refuse_changes_by_get() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    for method in [Method::GET, Method::HEAD] {
        let reply = server
            .call(
                method.clone(),
                &format!("/json/reply/DeleteIntegration?integrationId={id}"),
                None,
            )
            .await;
        assert_eq!(reply.status.as_u16(), 405, "{method}: {}", reply.text);
    }
    let reply = server
        .call(
            Method::GET,
            "/api/NewAuthUser?userName=x&password=yyyyyyyy",
            None,
        )
        .await
        .expect(405);
    assert_eq!(
        reply.json()["responseStatus"]["message"],
        "NewAuthUser cannot be called with GET; use POST."
    );
    server.get(&format!("/integrations/{id}")).await.expect(200);
    server
        .get(&format!("/api/GetIntegration?integrationId={id}"))
        .await
        .expect(200);
    server
        .call(
            Method::DELETE,
            &format!("/json/reply/DeleteIntegration?integrationId={id}"),
            None,
        )
        .await
        .expect(204);
}

#[tokio::test]
async fn csv_body_must_be_one_wellformed_row() {
    let server = TestServer::start().await;
    for body in [
        "Name,Type\r\nOne,Zoho\r\nTwo,Zoho\r\n",
        "Name,Type\r\n\"unterminated,Zoho\r\n",
    ] {
        let reply = server
            .raw(|client, base| {
                client
                    .post(format!("{base}/integrations"))
                    .bearer_auth(common::ADMIN_API_KEY)
                    .header("Content-Type", "text/csv")
                    .body(body)
            })
            .await
            .expect(400);
        assert_eq!(
            reply.json()["responseStatus"]["errorCode"],
            "SerializationException"
        );
    }
    let list = server.get("/integrations").await.expect(200).json();
    assert_eq!(list["totalCount"], 0);
}

#[tokio::test]
async fn xml_text_for_object_is_400_and_keeps_secret() {
    let server = TestServer::start().await;
    let id = new_hosted_suite(&server).await;
    let path = format!("/integrations/{id}");
    server
        .patch(
            &path,
            json!({ "settings": { "Password": { "stringValue": "kept-secret" } } }),
        )
        .await
        .expect(200);
    let xml = |body: &'static str| {
        let path = path.clone();
        move |client: &reqwest::Client, base: &str| {
            client
                .patch(format!("{base}{path}"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "application/xml")
                .body(body)
        }
    };
    let reply = server
        .raw(xml(
            "<PatchIntegration><Settings><Password>plain</Password></Settings></PatchIntegration>",
        ))
        .await
        .expect(400);
    // Without an Accept header the error comes back in the body's format.
    assert!(
        reply
            .text
            .contains("<FieldName>Settings.Password</FieldName>"),
        "{}",
        reply.text
    );
    let reply = server
        .raw(xml("<Foo><Name>renamed</Name></Foo>"))
        .await
        .expect(400);
    assert!(reply.text.contains("root element"), "{}", reply.text);
    let info = server.get(&path).await.expect(200).json();
    assert_eq!(info["settings"]["Password"]["stringValue"], "********");
    assert_eq!(info["name"], "HS");
}
