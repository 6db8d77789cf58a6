//! The pretty writer against the sample request and response bodies of the NewIntegration
//! operation page that ServiceStack serves (`tests/fixtures/NewIntegration.metadata.txt`).

use jsv::value::Value;

const PAGE: &str = include_str!("fixtures/NewIntegration.metadata.txt");

/// Returns the request and response sample blocks. Each starts at a line containing only `{`.
/// The request block ends at the next line containing only `}`, the response block at the last
/// line of the page.
fn sample_blocks() -> (String, String) {
    let lines: Vec<&str> = PAGE.lines().collect();
    let opens: Vec<usize> = (0..lines.len()).filter(|&i| lines[i] == "{").collect();
    assert_eq!(opens.len(), 2, "expected two sample blocks in the page");

    let request_close = (opens[0]..lines.len())
        .find(|&i| lines[i] == "}")
        .expect("request block has a closing line");
    let request = lines[opens[0]..=request_close].join("\n");

    let last = lines.len() - 1;
    assert_eq!(lines[last], "}", "the page ends with the response block");
    let response = lines[opens[1]..=last].join("\n");
    (request, response)
}

fn check_block(block: &str) {
    let value: Value = jsv::from_str(block).expect("the sample block parses");
    let compact = jsv::to_string(&value).expect("the sample value writes");
    assert!(!compact.contains('\n'), "compact text is one line");

    assert_eq!(
        jsv::prettify(&compact),
        block,
        "prettify(compact) equals the sample"
    );
    assert_eq!(
        jsv::to_string_pretty(&value).unwrap(),
        block,
        "to_string_pretty equals the sample"
    );

    let reread: Value = jsv::from_str(&compact).expect("the compact text parses");
    assert_eq!(reread, value, "compact text reads back to the same value");
}

#[test]
fn request_block_round_trips() {
    let (request, _) = sample_blocks();
    assert_eq!(request.lines().count(), 6);
    check_block(&request);
}

#[test]
fn request_block_compact_form() {
    let (request, _) = sample_blocks();
    let value: Value = jsv::from_str(&request).unwrap();
    assert_eq!(
        jsv::to_string(&value).unwrap(),
        "{accountId:String,type:HostedSuite,name:String,customerId:String}"
    );
}

#[test]
fn response_block_round_trips() {
    let (_, response) = sample_blocks();
    check_block(&response);
}

#[test]
fn response_block_keeps_nulls_and_empty_objects() {
    let (_, response) = sample_blocks();
    let value: Value = jsv::from_str(&response).unwrap();
    let compact = jsv::to_string(&value).unwrap();
    assert!(
        compact.contains("listValue:[null]"),
        "null list items are kept"
    );
    assert!(
        compact.contains("listValue:[{}]"),
        "empty objects in lists are kept"
    );
    assert!(
        compact.contains("structValue:{}"),
        "empty objects after a key are kept"
    );
}

#[test]
fn response_block_from_bytes_with_bom() {
    let (_, response) = sample_blocks();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(response.as_bytes());
    let from_bytes: Value = jsv::from_slice(&bytes).unwrap();
    let from_text: Value = jsv::from_str(&response).unwrap();
    assert_eq!(from_bytes, from_text);
}
