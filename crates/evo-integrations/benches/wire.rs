//! Encoding and decoding one realistic `IntegrationInfo` with JSV and with JSON.
//!
//! Compared paths: plain serde_json derive on exact-case input, the server's JSON path
//! (serde_json through the case-insensitive adapter it binds requests with), and JSV.
//! Run with `cargo bench -p evo-integrations --bench wire`.

use criterion::{criterion_group, criterion_main, Criterion};
use evo_integrations::connectors::ConnectorSchema;
use evo_integrations::dto::data::{Struct, Value};
use evo_integrations::dto::integration::{
    CustomerBreadcrumb, IntegrationFeatures, IntegrationInfo, IntegrationStatuses, IntegrationTypes,
};
use servicestack::de::DEFAULT_MAX_DEPTH;
use std::hint::black_box;

/// An integration with every member set: a breadcrumb of three, nested settings, two features.
fn sample() -> IntegrationInfo {
    let schema = ConnectorSchema::of(IntegrationTypes::Zoho);
    let mut nested = Struct::new();
    nested.insert("Region".into(), Value::string("eu-west"));
    nested.insert(
        "Weight".into(),
        Value {
            number_value: Some(2.5),
            ..Value::default()
        },
    );
    let mut settings = Struct::new();
    settings.insert("ClientId".into(), Value::string("1000.ABCDEF0123456789"));
    settings.insert("ClientSecret".into(), Value::string("********"));
    settings.insert(
        "AccountsServer".into(),
        Value::string("https://accounts.zoho.eu"),
    );
    settings.insert(
        "Options".into(),
        Value {
            struct_value: Some(nested.clone()),
            ..Value::default()
        },
    );
    settings.insert(
        "Rules".into(),
        Value {
            list_value: Some(vec![Some(nested.clone()), None, Some(nested)]),
            ..Value::default()
        },
    );
    let crumb = |id: &str, name: &str| CustomerBreadcrumb {
        id: Some(id.into()),
        name: Some(name.into()),
    };
    IntegrationInfo {
        account_id: Some("iz5sqeozrq6waoqepu4djf32ta".into()),
        customer_id: Some("vevujepwc3subf6qufglomuny4".into()),
        customer_name: Some("Acme Dallas North".into()),
        date_last_sync: Some("2026-12-04T19:09:24.123Z".into()),
        customer_breadcrumb: Some(vec![
            crumb("6zkui5vb6o252dodqwzjwx6eqi", "Acme"),
            crumb("kq3jz5m2u7c4yqkq4v2o4w3bpe", "Acme Dallas"),
            crumb("vevujepwc3subf6qufglomuny4", "Acme Dallas North"),
        ]),
        name: Some("Zoho EU, Dallas".into()),
        automatically_create_customers: true,
        integration_type: IntegrationTypes::Zoho,
        status: IntegrationStatuses::Ok,
        status_message: Some("Configured.".into()),
        settings_data_type: Some(schema.data_type()),
        settings: Some(settings),
        features: Some(vec![
            IntegrationFeatures::CrmSync,
            IntegrationFeatures::OAuth2,
        ]),
        is_authorized: true,
        id: Some("t4z5nf6c7hi7vemlcgbkuww6du".into()),
        date_created: Some("2026-12-01T08:00:00.000Z".into()),
        date_last_modified: Some("2026-12-04T19:09:24.123Z".into()),
        created_by: Some("admin".into()),
        last_modified_by: Some("integration:t4z5nf6c7hi7vemlcgbkuww6du".into()),
    }
}

fn server_json_decode(json: &[u8]) -> IntegrationInfo {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    servicestack::de::deserialize(&mut deserializer, DEFAULT_MAX_DEPTH).expect("valid JSON")
}

fn wire_benchmarks(criterion: &mut Criterion) {
    let info = sample();
    let json = serde_json::to_vec(&info).expect("JSON");
    let jsv_text = jsv::to_string(&info).expect("JSV");
    assert_eq!(server_json_decode(&json), info);
    assert_eq!(
        jsv::from_str::<IntegrationInfo>(&jsv_text).expect("JSV decodes"),
        info
    );
    println!(
        "sample: {} bytes of JSON, {} bytes of JSV",
        json.len(),
        jsv_text.len()
    );

    let mut group = criterion.benchmark_group("integration_info");
    group.bench_function("encode/serde_json", |bencher| {
        bencher.iter(|| serde_json::to_vec(black_box(&info)).expect("JSON"))
    });
    group.bench_function("encode/jsv", |bencher| {
        bencher.iter(|| jsv::to_string(black_box(&info)).expect("JSV"))
    });
    group.bench_function("decode/serde_json_exact_case", |bencher| {
        bencher.iter(|| serde_json::from_slice::<IntegrationInfo>(black_box(&json)).expect("JSON"))
    });
    group.bench_function("decode/server_json_any_case", |bencher| {
        bencher.iter(|| server_json_decode(black_box(&json)))
    });
    group.bench_function("decode/jsv", |bencher| {
        bencher.iter(|| jsv::from_str::<IntegrationInfo>(black_box(&jsv_text)).expect("JSV"))
    });
    group.finish();
}

criterion_group!(benches, wire_benchmarks);
criterion_main!(benches);
