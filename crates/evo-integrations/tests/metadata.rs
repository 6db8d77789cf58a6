//! The metadata pages over real HTTP: the index, each operation's page in every format, and the
//! `NewIntegration` JSV page against the original service's page
//! (`fixtures/NewIntegration.metadata.txt`).

mod common;

use common::TestServer;
use evo_integrations::api::host;
use evo_integrations::dto::integration::{IntegrationInfo, NewIntegration};
use reqwest::Method;
use servicestack::bind::{bind, Body};
use servicestack::xml_read::XmlDocument;
use servicestack::{Format, HostConfig};

const SEED_PAGE: &str = include_str!("fixtures/NewIntegration.metadata.txt");

/// Returns the text a reader sees on an HTML page: tags dropped, the `<title>` and `<style>`
/// contents dropped, entities decoded, and a line break at each block element.
fn page_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let end = rest[start..].find('>').expect("the tag is closed") + start;
        let tag = rest[start + 1..end].to_ascii_lowercase();
        let name = tag.split_whitespace().next().unwrap_or_default().to_owned();
        rest = &rest[end + 1..];
        if name == "title" || name == "style" {
            let close = format!("</{name}>");
            let skip = rest.find(&close).expect("the element is closed");
            rest = &rest[skip + close.len()..];
            continue;
        }
        let block = [
            "p", "/p", "h1", "/h1", "h2", "/h2", "h3", "/h3", "tr", "li", "pre", "/pre", "table",
        ];
        if block.contains(&name.as_str()) {
            text.push('\n');
        }
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Text reduced for the comparison with the original page: the `Host:` line and the
/// authentication and roles lines dropped (they depend on the deployment), then every
/// whitespace character removed.
fn comparable(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("Host:"))
        .filter(|line| !line.trim_start().starts_with("Requires"))
        .flat_map(|line| line.chars())
        .filter(|character| !character.is_whitespace())
        .collect()
}

/// Returns the `<pre>` blocks of a page, decoded.
fn sample_blocks(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<pre") {
        let open_end = rest[start..].find('>').expect("the tag is closed") + start + 1;
        let close = rest[open_end..]
            .find("</pre>")
            .expect("the block is closed")
            + open_end;
        blocks.push(page_text(&rest[open_end..close]));
        rest = &rest[close..];
    }
    blocks
}

/// Returns the body of a sample block: everything after the blank line that ends the headers.
fn sample_body(block: &str) -> &str {
    block
        .split_once("\n\n")
        .map(|(_, body)| body)
        .expect("the sample has a body")
}

async fn openapi_document(server: &TestServer) -> serde_json::Value {
    server
        .raw(|client, base| client.get(format!("{base}/openapi.json")))
        .await
        .expect(200)
        .json()
}

async fn page(server: &TestServer, path: &str) -> String {
    let reply = server
        .raw(|client, base| client.get(format!("{base}{path}")))
        .await
        .expect(200);
    assert_eq!(reply.content_type(), "text/html; charset=utf-8");
    reply.text
}

#[tokio::test]
async fn jsv_page_matches_original_text() {
    let server = TestServer::start().await;
    let html = page(&server, "/jsv/metadata?op=NewIntegration").await;

    let ours = comparable(&page_text(&html));
    let original = comparable(SEED_PAGE);
    if ours != original {
        let at = ours
            .chars()
            .zip(original.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let context = |text: &str| {
            text.chars()
                .skip(at.saturating_sub(80))
                .take(200)
                .collect::<String>()
        };
        panic!(
            "the page differs from the original at character {at}\nours:     {}\noriginal: {}",
            context(&ours),
            context(&original)
        );
    }
}

#[tokio::test]
async fn jsv_samples_match_original_byte_for_byte() {
    let server = TestServer::start().await;
    let html = page(&server, "/jsv/metadata?op=NewIntegration").await;

    let ours = sample_blocks(&html).join("\n");
    let original = &SEED_PAGE[SEED_PAGE.find("POST /integrations").expect("a sample")..];
    let without_host = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with("Host:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(without_host(&ours), without_host(original));
}

#[tokio::test]
async fn page_marks_authentication_and_roles() {
    let server = TestServer::start().await;

    let protected = page_text(&page(&server, "/json/metadata?op=NewIntegration").await);
    assert!(protected.contains("Requires Authentication"));
    assert!(protected.contains("Requires any of the roles: SystemAdministrator, Manager"));

    let reader = page_text(&page(&server, "/json/metadata?op=GetIntegration").await);
    assert!(reader.contains("Requires Authentication"));
    assert!(!reader.contains("Requires any of the roles"));

    let anonymous = page_text(&page(&server, "/json/metadata?op=Authenticate").await);
    assert!(!anonymous.contains("Requires Authentication"));
}

#[tokio::test]
async fn index_links_every_operation_in_every_format() {
    let server = TestServer::start().await;
    let html = page(&server, "/metadata").await;

    let registry = host(HostConfig::default());
    let names: Vec<&str> = registry
        .registry()
        .operations()
        .iter()
        .map(|operation| operation.name)
        .collect();
    assert!(names.len() >= 29, "operations: {names:?}");
    for name in names {
        for format in ["json", "xml", "jsv", "csv"] {
            let link = format!("href=\"/{format}/metadata?op={name}\"");
            assert!(html.contains(&link), "no link {link}");
        }
    }
    for heading in ["Integrations", "Customers", "Accounts", "Endpoints", "Auth"] {
        assert!(
            html.contains(&format!("<h2 class=\"group\">{heading}</h2>")),
            "no group {heading}"
        );
    }
}

#[tokio::test]
async fn every_page_renders_in_every_format() {
    let server = TestServer::start().await;
    let registry = host(HostConfig::default());

    for operation in registry.registry().operations() {
        for format in ["json", "xml", "jsv", "csv"] {
            let html = page(
                &server,
                &format!("/{format}/metadata?op={}", operation.name),
            )
            .await;
            let text = page_text(&html);
            assert!(
                text.contains(&format!("HTTP + {}", format.to_ascii_uppercase())),
                "{} in {format}",
                operation.name
            );
            assert!(text.contains("The following routes are available for this service:"));
        }
    }
}

#[tokio::test]
async fn json_samples_deserialize_as_the_dtos() {
    let server = TestServer::start().await;
    let html = page(&server, "/json/metadata?op=NewIntegration").await;
    let blocks = sample_blocks(&html);

    let request: NewIntegration = serde_json::from_str(sample_body(&blocks[0])).unwrap();
    assert_eq!(request.name.as_deref(), Some("String"));
    let response: IntegrationInfo = serde_json::from_str(sample_body(&blocks[1])).unwrap();
    assert_eq!(response.id.as_deref(), Some("String"));
    assert_eq!(
        response.settings_data_type.unwrap().fields.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn xml_samples_read_back_as_the_dtos() {
    let server = TestServer::start().await;
    let html = page(&server, "/xml/metadata?op=NewIntegration").await;
    let blocks = sample_blocks(&html);

    let body = sample_body(&blocks[1]).as_bytes();
    let document = XmlDocument::parse(body, 64).unwrap();
    assert_eq!(document.root_name(), "IntegrationInfo");
    let xml = Body {
        format: Format::Xml,
        bytes: body,
    };
    let response: IntegrationInfo = bind(Some(xml), &[], 64).unwrap();
    assert_eq!(response.customer_name.as_deref(), Some("String"));
    assert_eq!(response.created_by.as_deref(), Some("String"));
}

#[tokio::test]
async fn csv_samples_read_back_as_the_dtos() {
    let server = TestServer::start().await;
    let html = page(&server, "/csv/metadata?op=NewIntegration").await;
    let blocks = sample_blocks(&html);

    let requests: Vec<NewIntegration> =
        servicestack::csv::from_csv(sample_body(&blocks[0]).as_bytes(), 64).unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].customer_id.as_deref(), Some("String"));
}

#[tokio::test]
async fn parameter_column_follows_route_and_verb() {
    let server = TestServer::start().await;

    let get = page_text(&page(&server, "/json/metadata?op=GetIntegration").await);
    assert!(get.contains("IntegrationIdpathstringNo"), "{get}");

    let list = page_text(&page(&server, "/json/metadata?op=ListIntegrations").await);
    assert!(list.contains("NameFilterquerystringNo"), "{list}");
    assert!(list.contains("ListRequest<T> Parameters:"), "{list}");
    assert!(list.contains("Pagequeryint?No"), "{list}");
    assert!(list.contains("ItemsformList<T>No"), "{list}");

    let patch = page_text(&page(&server, "/json/metadata?op=PatchIntegration").await);
    assert!(patch.contains("IntegrationIdpathstringNo"), "{patch}");
    assert!(patch.contains("SettingsbodyStructNo"), "{patch}");
}

#[tokio::test]
async fn void_operation_shows_no_content() {
    let server = TestServer::start().await;
    let html = page(&server, "/json/metadata?op=DeleteIntegration").await;

    let blocks = sample_blocks(&html);
    assert_eq!(blocks[1].trim(), "HTTP/1.1 204 No Content");
    assert!(blocks[0].starts_with("DELETE /integrations/{IntegrationId} HTTP/1.1"));
}

#[tokio::test]
async fn unknown_operation_is_not_found() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| client.get(format!("{base}/json/metadata?op=NoSuchThing")))
        .await
        .expect(404);
    assert!(reply
        .text
        .contains("There is no operation named &#39;NoSuchThing&#39;."));

    let padded = server
        .raw(|client, base| client.get(format!("{base}/json/metadata?op=%20NewIntegration%20")))
        .await;
    assert_eq!(padded.status.as_u16(), 200, "a padded name is trimmed");

    let html = server
        .raw(|client, base| client.get(format!("{base}/html/metadata")))
        .await
        .expect(404);
    assert!(html.text.contains("they come in json, xml, jsv and csv"));
}

#[tokio::test]
async fn operation_names_ignore_case() {
    let server = TestServer::start().await;
    let html = page(&server, "/jsv/metadata?op=newintegration").await;
    assert!(html.contains("<h2>NewIntegration</h2>"));
}

#[tokio::test]
async fn pages_answer_get_and_head_only() {
    let server = TestServer::start().await;

    let head = server
        .raw(|client, base| client.head(format!("{base}/metadata")))
        .await
        .expect(200);
    assert!(head.text.is_empty());

    let post = server
        .call(Method::POST, "/metadata", None)
        .await
        .expect(405);
    assert_eq!(post.headers["allow"], "GET, HEAD");
    assert_eq!(
        post.text,
        r#"{"responseStatus":{"errorCode":"MethodNotAllowed","message":"/metadata accepts only GET and HEAD, not POST.","errors":[]}}"#
    );
}

#[tokio::test]
async fn forged_host_cannot_reach_generated_code() {
    let server = TestServer::start().await;
    for path in ["/types/typescript", "/types/python", "/types/csharp"] {
        let reply = server
            .raw(|client, base| {
                client
                    .get(format!("{base}{path}"))
                    .header("host", "x*/ export const injected = 1; /*")
            })
            .await
            .expect(400);
        assert!(
            reply.text.contains(r#""errorCode":"InvalidHost""#),
            "{path}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn invalid_dto_option_is_a_response_status() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| client.get(format!("{base}/types/python?AddResponseStatus=1")))
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"InvalidOption","message":"'1' is not a valid value of the option AddResponseStatus; expected True or False.","errors":[{"errorCode":"InvalidOption","fieldName":"AddResponseStatus","message":"'1' is not a valid value of the option AddResponseStatus; expected True or False."}]}}"#
    );
}

#[tokio::test]
async fn markup_in_operation_names_is_escaped() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client.get(format!(
                "{base}/json/metadata?op=%3Cscript%3Ealert(1)%3C/script%3E"
            ))
        })
        .await
        .expect(404);
    assert!(!reply.text.contains("<script>"));
    assert!(reply.text.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn openapi_shows_204_for_optional_responses() {
    let server = TestServer::start().await;
    let document = openapi_document(&server).await;

    let status = &document["paths"]["/auth/status"]["get"]["responses"];
    assert!(status.get("200").is_some(), "{status}");
    assert!(
        status.get("204").is_some(),
        "anonymous callers get 204: {status}"
    );
    let get = &document["paths"]["/integrations/{IntegrationId}"]["get"]["responses"];
    assert!(get.get("204").is_none(), "{get}");
}

#[tokio::test]
async fn openapi_names_required_roles() {
    let server = TestServer::start().await;
    let document = openapi_document(&server).await;

    assert_eq!(
        document["paths"]["/accounts"]["post"]["description"],
        "Requires one of the roles: SystemAdministrator."
    );
    assert_eq!(
        document["paths"]["/integrations"]["post"]["description"],
        "Requires one of the roles: SystemAdministrator, Manager."
    );
    assert!(document["paths"]["/integrations"]["get"]
        .get("description")
        .is_none());
}
