//! Feeds arbitrary bytes to the JSV reader, as a dynamic value and as a typed struct.
//!
//! Besides "never panics", it checks that whatever reads as a `Value` writes back, and that the
//! written text, compact or pretty, reads back to a value that writes the same text again.

#![no_main]

use std::collections::BTreeMap;

use jsv::value::Value;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
enum IntegrationTypes {
    HostedSuite,
    OfficeRnd,
    Zoho,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct SettingValue {
    bool_value: Option<bool>,
    string_value: Option<String>,
    number_value: Option<f64>,
    list_value: Option<Vec<BTreeMap<String, SettingValue>>>,
    struct_value: Option<BTreeMap<String, SettingValue>>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Integration {
    account_id: Option<String>,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<IntegrationTypes>,
    count: Option<i32>,
    enabled: Option<bool>,
    tags: Option<Vec<Option<String>>>,
    settings: Option<BTreeMap<String, SettingValue>>,
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = jsv::from_slice::<Value>(data) {
        let compact = jsv::to_string(&value).expect("a value that was read can be written");

        let reread: Value = jsv::from_str(&compact).expect("compact output reads back");
        assert_eq!(jsv::to_string(&reread).unwrap(), compact);

        let pretty = jsv::prettify(&compact);
        let from_pretty: Value = jsv::from_str(&pretty).expect("pretty output reads back");
        assert_eq!(jsv::to_string(&from_pretty).unwrap(), compact);
    }

    let _ = jsv::from_slice::<Integration>(data);
    let _ = jsv::from_slice::<Vec<Integration>>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = jsv::prettify(text);
    }
});
