//! Encode and decode time of JSV against serde_json for one nested integration-like value.
//!
//! Run with `cargo bench -p jsv`. The value is modelled on the `IntegrationInfo` response: a
//! breadcrumb list, enums, options, a float and a settings map whose values nest three levels
//! deep through lists and maps.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
enum IntegrationTypes {
    HostedSuite,
    OfficeRnd,
    Zoho,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
enum IntegrationStatuses {
    NotConfigured,
    Error,
    #[serde(rename = "OK")]
    Ok,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
enum IntegrationFeatures {
    CrmSync,
    OAuth2,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct CustomerBreadcrumb {
    id: String,
    name: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
struct SettingValue {
    bool_value: Option<bool>,
    string_value: Option<String>,
    number_value: Option<f64>,
    list_value: Option<Vec<BTreeMap<String, SettingValue>>>,
    struct_value: Option<BTreeMap<String, SettingValue>>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct IntegrationInfo {
    account_id: String,
    customer_id: Option<String>,
    customer_name: Option<String>,
    date_last_sync: Option<String>,
    customer_breadcrumb: Vec<CustomerBreadcrumb>,
    name: String,
    automatically_create_customers: bool,
    #[serde(rename = "type")]
    kind: IntegrationTypes,
    status: IntegrationStatuses,
    status_message: Option<String>,
    settings: BTreeMap<String, SettingValue>,
    features: Vec<IntegrationFeatures>,
    is_authorized: bool,
    sync_score: f64,
    id: String,
    date_created: String,
    date_last_modified: String,
    created_by: Option<String>,
    last_modified_by: Option<String>,
}

/// Builds a setting whose maps and lists nest `levels` deep.
fn setting(levels: usize, seed: usize) -> SettingValue {
    let mut value = SettingValue {
        bool_value: Some(seed.is_multiple_of(2)),
        string_value: Some(format!("value {seed}, with a comma")),
        number_value: Some(seed as f64 * 1.25),
        ..Default::default()
    };
    if levels > 0 {
        let mut map = BTreeMap::new();
        for i in 0..3 {
            map.insert(format!("Key{i}"), setting(levels - 1, seed * 3 + i));
        }
        value.list_value = Some(vec![map.clone(), map.clone()]);
        value.struct_value = Some(map);
    }
    value
}

fn sample() -> IntegrationInfo {
    let mut settings = BTreeMap::new();
    for (i, name) in ["ClientId", "ClientSecret", "Region", "SyncUsers"]
        .iter()
        .enumerate()
    {
        settings.insert((*name).to_owned(), setting(2, i));
    }
    IntegrationInfo {
        account_id: "acc_7f3c2a91".into(),
        customer_id: Some("cus_1b2c3d4e".into()),
        customer_name: Some("Acme Corp, Dallas".into()),
        date_last_sync: Some("2026-12-04T19:09:24.123Z".into()),
        customer_breadcrumb: (0..5)
            .map(|i| CustomerBreadcrumb {
                id: format!("cus_{i:08}"),
                name: format!("Level {i} customer"),
            })
            .collect(),
        name: "HostedSuite Dallas".into(),
        automatically_create_customers: true,
        kind: IntegrationTypes::HostedSuite,
        status: IntegrationStatuses::Ok,
        status_message: None,
        settings,
        features: vec![IntegrationFeatures::CrmSync, IntegrationFeatures::OAuth2],
        is_authorized: false,
        sync_score: 0.8125,
        id: "int_9a8b7c6d".into(),
        date_created: "2026-11-01T08:00:00.000Z".into(),
        date_last_modified: "2026-12-04T19:09:24.123Z".into(),
        created_by: Some("admin@example.com".into()),
        last_modified_by: None,
    }
}

fn bench_formats(c: &mut Criterion) {
    let value = sample();
    let jsv_text = jsv::to_string(&value).unwrap();
    let json_text = serde_json::to_string(&value).unwrap();
    assert_eq!(jsv::from_str::<IntegrationInfo>(&jsv_text).unwrap(), value);

    let mut encode = c.benchmark_group("encode");
    encode.throughput(Throughput::Elements(1));
    encode.bench_function("jsv", |b| {
        b.iter(|| jsv::to_string(black_box(&value)).unwrap())
    });
    encode.bench_function("json", |b| {
        b.iter(|| serde_json::to_string(black_box(&value)).unwrap())
    });
    encode.finish();

    let mut decode = c.benchmark_group("decode");
    decode.throughput(Throughput::Elements(1));
    decode.bench_function("jsv", |b| {
        b.iter(|| jsv::from_str::<IntegrationInfo>(black_box(&jsv_text)).unwrap())
    });
    decode.bench_function("json", |b| {
        b.iter(|| serde_json::from_str::<IntegrationInfo>(black_box(&json_text)).unwrap())
    });
    decode.finish();

    let mut pretty = c.benchmark_group("pretty");
    pretty.bench_function("prettify", |b| {
        b.iter(|| jsv::prettify(black_box(&jsv_text)))
    });
    pretty.finish();

    println!(
        "sample sizes: JSV {} bytes, JSON {} bytes",
        jsv_text.len(),
        json_text.len()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench_formats
}
criterion_main!(benches);
