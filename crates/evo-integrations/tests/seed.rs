//! The seed operation page's JSV samples against the DTOs: they parse, and the pretty writer
//! reproduces them byte for byte. `fixtures/NewIntegration.metadata.txt` is the original
//! service's operation page for `NewIntegration`.

mod common;

use common::TestServer;
use evo_integrations::dto::integration::{IntegrationInfo, IntegrationTypes, NewIntegration};

const PAGE: &str = include_str!("fixtures/NewIntegration.metadata.txt");

/// The sample blocks: each runs from a line `{` after `Content-Length: length` to the next line
/// that is exactly `}`.
fn sample_blocks() -> (String, String) {
    let lines: Vec<&str> = PAGE.lines().collect();
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if lines[index].starts_with("Content-Length: length") {
            let start = index + 2;
            assert_eq!(lines[start], "{", "a block starts after a blank line");
            let end = (start..lines.len())
                .find(|&line| lines[line] == "}")
                .expect("the block ends");
            blocks.push(lines[start..=end].join("\n"));
            index = end;
        }
        index += 1;
    }
    assert_eq!(blocks.len(), 2);
    (blocks[0].clone(), blocks[1].clone())
}

#[test]
fn seed_request_parses_and_prints_back() {
    let (request, _) = sample_blocks();
    let parsed: NewIntegration = jsv::from_str(&request).unwrap();
    assert_eq!(parsed.account_id.as_deref(), Some("String"));
    assert_eq!(parsed.integration_type, Some(IntegrationTypes::HostedSuite));
    assert_eq!(parsed.name.as_deref(), Some("String"));
    assert_eq!(parsed.customer_id.as_deref(), Some("String"));
    assert_eq!(jsv::to_string_pretty(&parsed).unwrap(), request);
}

#[test]
fn seed_response_parses_and_prints_back() {
    let (_, response) = sample_blocks();
    let parsed: IntegrationInfo = jsv::from_str(&response).unwrap();
    assert_eq!(parsed.features.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        parsed
            .settings_data_type
            .as_ref()
            .and_then(|data_type| data_type.fields.as_ref())
            .map(Vec::len),
        Some(1)
    );
    let printed = jsv::to_string_pretty(&parsed).unwrap();
    if printed != response {
        let first_difference = printed
            .lines()
            .zip(response.lines())
            .position(|(ours, seed)| ours != seed);
        panic!("the pretty form differs from the seed at line {first_difference:?}");
    }
}

#[test]
fn seed_response_survives_json() {
    let (_, response) = sample_blocks();
    let parsed: IntegrationInfo = jsv::from_str(&response).unwrap();
    let json = serde_json::to_string(&parsed).unwrap();
    let back: IntegrationInfo = serde_json::from_str(&json).unwrap();
    assert_eq!(back, parsed);
}

#[tokio::test]
async fn seed_request_creates_integration_over_jsv() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Acme", None).await;
    let (request, _) = sample_blocks();
    let body = request
        .replacen("accountId: String", &format!("accountId: {account}"), 1)
        .replacen("name: String", "name: From the seed", 1)
        .replacen("customerId: String", &format!("customerId: {customer}"), 1);

    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "text/jsv")
                .header("Accept", "text/jsv")
                .body(body)
        })
        .await
        .expect(200);
    assert!(reply.content_type().starts_with("text/jsv"));
    assert!(!reply.text.contains('\n'), "the wire form is compact");
    let from_jsv: IntegrationInfo = jsv::from_str(&reply.text).unwrap();
    assert_eq!(from_jsv.name.as_deref(), Some("From the seed"));
    assert_eq!(from_jsv.customer_id.as_deref(), Some(customer.as_str()));

    let id = from_jsv.id.clone().unwrap();
    let from_json: IntegrationInfo = serde_json::from_str(
        &server
            .get(&format!("/integrations/{id}"))
            .await
            .expect(200)
            .text,
    )
    .unwrap();
    assert_eq!(from_jsv, from_json);

    let pretty = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations/{id}.jsv?debug"))
                .bearer_auth(common::ADMIN_API_KEY)
        })
        .await
        .expect(200);
    assert!(
        pretty.text.starts_with("{\n\taccountId: "),
        "{}",
        pretty.text
    );
    assert_eq!(
        jsv::from_str::<IntegrationInfo>(&pretty.text).unwrap(),
        from_json
    );
}
