//! An `IntegrationInfo` with every member set, and a `Struct` of awkward strings, survive every
//! response format and come back unchanged through the server's own readers.

use evo_integrations::api::xml_contracts;
use evo_integrations::connectors::ConnectorSchema;
use evo_integrations::dto::data::{Struct, Value};
use evo_integrations::dto::integration::{
    CustomerBreadcrumb, IntegrationFeatures, IntegrationInfo, IntegrationStatuses, IntegrationTypes,
};
use serde::de::DeserializeOwned;
use servicestack::bind::{bind, Body};
use servicestack::de::DEFAULT_MAX_DEPTH;
use servicestack::write::{write_body, WriteOptions};
use servicestack::Format;

const AWKWARD: &[&str] = &[
    "100000",
    "True",
    " padded ",
    "a,b",
    "say \"hi\"",
    "{x}",
    "[1,2]",
    "line one\r\nline two",
    "Ärzte • 東京",
    "<tag attr='1'>&amp;</tag>",
];

fn awkward_struct(with_empty: bool) -> Struct {
    let mut structure = Struct::new();
    for (index, text) in AWKWARD.iter().enumerate() {
        structure.insert(format!("Key{index}"), Value::string(*text));
    }
    if with_empty {
        structure.insert("Empty".into(), Value::string(""));
    }
    let mut nested = Struct::new();
    nested.insert("Inner".into(), Value::string("a:b"));
    structure.insert(
        "Nested".into(),
        Value {
            struct_value: Some(nested.clone()),
            ..Value::default()
        },
    );
    structure.insert(
        "List".into(),
        Value {
            list_value: Some(vec![Some(nested), None]),
            ..Value::default()
        },
    );
    structure.insert(
        "Number".into(),
        Value {
            number_value: Some(2.5),
            ..Value::default()
        },
    );
    structure.insert(
        "Flag".into(),
        Value {
            bool_value: Some(false),
            ..Value::default()
        },
    );
    structure
}

fn full_info(with_empty: bool) -> IntegrationInfo {
    let crumb = |id: &str, name: &str| CustomerBreadcrumb {
        id: Some(id.into()),
        name: Some(name.into()),
    };
    IntegrationInfo {
        account_id: Some("account1".into()),
        customer_id: Some("customer3".into()),
        customer_name: Some("Dallas, North".into()),
        date_last_sync: Some("2026-12-04T19:09:24.123Z".into()),
        customer_breadcrumb: Some(vec![
            crumb("customer1", "Acme"),
            crumb("customer2", "Dallas"),
            crumb("customer3", "Dallas, North"),
        ]),
        name: Some("Zoho {EU}".into()),
        automatically_create_customers: true,
        integration_type: IntegrationTypes::Zoho,
        status: IntegrationStatuses::Ok,
        status_message: Some("Configured.".into()),
        settings_data_type: Some(ConnectorSchema::of(IntegrationTypes::Zoho).data_type()),
        settings: Some(awkward_struct(with_empty)),
        features: Some(vec![
            IntegrationFeatures::CrmSync,
            IntegrationFeatures::OAuth2,
        ]),
        is_authorized: true,
        id: Some("integration1".into()),
        date_created: Some("2026-12-01T08:00:00.000Z".into()),
        date_last_modified: Some("2026-12-04T19:09:24.123Z".into()),
        created_by: Some("admin".into()),
        last_modified_by: Some("integration:integration1".into()),
    }
}

fn write(info: &IntegrationInfo, format: Format) -> Vec<u8> {
    let contracts = xml_contracts();
    let options = WriteOptions {
        format,
        pretty: false,
        operation: "GetIntegration",
        xml_contracts: &contracts,
    };
    write_body(info, &options).unwrap().unwrap()
}

fn read<T: DeserializeOwned>(format: Format, bytes: &[u8]) -> T {
    match format {
        Format::Csv => servicestack::csv::from_csv::<T>(bytes, DEFAULT_MAX_DEPTH)
            .unwrap()
            .remove(0),
        other => bind(
            Some(Body {
                format: other,
                bytes,
            }),
            &[],
            DEFAULT_MAX_DEPTH,
        )
        .unwrap_or_else(|errors| panic!("{other}: {:?}", errors.first())),
    }
}

#[test]
fn integration_info_survives_every_format() {
    for format in [Format::Json, Format::Jsv, Format::Xml] {
        let info = full_info(true);
        let written = write(&info, format);
        let back: IntegrationInfo = read(format, &written);
        assert_eq!(
            back,
            info,
            "{format}: {}",
            String::from_utf8_lossy(&written)
        );
    }
}

#[test]
fn integration_info_survives_csv() {
    // CSV has no empty string apart from a missing value, so this one has none.
    let info = full_info(false);
    let written = write(&info, Format::Csv);
    let back: IntegrationInfo = read(Format::Csv, &written);
    assert_eq!(back, info, "{}", String::from_utf8_lossy(&written));
}
