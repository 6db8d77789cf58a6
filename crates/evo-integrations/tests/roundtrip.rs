//! Property tests: generated `Struct` and `IntegrationInfo` values survive JSV and JSON.

use evo_integrations::dto::data::{DataField, DataType, Struct, UIHints, Value, ValueTypes};
use evo_integrations::dto::integration::{
    CustomerBreadcrumb, IntegrationFeatures, IntegrationInfo, IntegrationStatuses, IntegrationTypes,
};
use proptest::prelude::*;

/// Strings that stress JSV's quoting, mixed with arbitrary text.
fn awkward_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("100000".to_owned()),
        Just("True".to_owned()),
        Just(String::new()),
        Just(" padded ".to_owned()),
        Just("a,b".to_owned()),
        Just("say \"hi\"".to_owned()),
        Just("{x}".to_owned()),
        Just("[1,2]".to_owned()),
        Just("key: value".to_owned()),
        Just("line one\r\nline two\n".to_owned()),
        Just("Ärzte • 東京 🚀".to_owned()),
        Just("null".to_owned()),
        "\\PC{0,12}",
    ]
}

fn finite_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-3.0),
        Just(1.5),
        Just(1e-7),
        Just(1e21),
        (-1e12f64..1e12f64),
        any::<i32>().prop_map(f64::from),
    ]
}

fn leaf_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::default()),
        any::<bool>().prop_map(|flag| Value {
            bool_value: Some(flag),
            ..Value::default()
        }),
        awkward_string().prop_map(Value::string),
        finite_number().prop_map(|number| Value {
            number_value: Some(number),
            ..Value::default()
        }),
    ]
}

fn structure() -> impl Strategy<Value = Struct> {
    let leaf = prop::collection::vec((awkward_string(), leaf_value()), 0..4)
        .prop_map(|entries| entries.into_iter().collect::<Struct>());
    leaf.prop_recursive(3, 24, 4, |inner| {
        let value = prop_oneof![
            leaf_value(),
            inner.clone().prop_map(|structure| Value {
                struct_value: Some(structure),
                ..Value::default()
            }),
            prop::collection::vec(prop::option::of(inner.clone()), 0..3).prop_map(|list| Value {
                list_value: Some(list),
                ..Value::default()
            }),
        ];
        prop::collection::vec((awkward_string(), value), 0..4)
            .prop_map(|entries| entries.into_iter().collect::<Struct>())
    })
}

fn optional_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(awkward_string())
}

fn data_type() -> impl Strategy<Value = DataType> {
    let field = (
        optional_text(),
        optional_text(),
        any::<bool>(),
        prop::option::of(leaf_value()),
    )
        .prop_map(|(id, description, is_output, default_value)| DataField {
            id,
            name: Some("Field".to_owned()),
            value_type: ValueTypes::String,
            ui_hint: if is_output {
                UIHints::Password
            } else {
                UIHints::None
            },
            description,
            possible_values: Some(vec!["a".to_owned(), "b,c".to_owned()]),
            is_output,
            default_value,
            ..DataField::default()
        });
    (optional_text(), prop::collection::vec(field, 0..3)).prop_map(|(type_name, fields)| DataType {
        type_name,
        fields: Some(fields),
    })
}

fn integration_info() -> impl Strategy<Value = IntegrationInfo> {
    let identity = (
        optional_text(),
        optional_text(),
        optional_text(),
        optional_text(),
    );
    let breadcrumb = prop::collection::vec(
        (optional_text(), optional_text()).prop_map(|(id, name)| CustomerBreadcrumb { id, name }),
        0..4,
    );
    let kind = prop_oneof![
        Just(IntegrationTypes::HostedSuite),
        Just(IntegrationTypes::OfficeRnd),
        Just(IntegrationTypes::Zoho),
    ];
    let status = prop_oneof![
        Just(IntegrationStatuses::NotConfigured),
        Just(IntegrationStatuses::Error),
        Just(IntegrationStatuses::Ok),
    ];
    let features = prop::option::of(prop::collection::vec(
        prop_oneof![
            Just(IntegrationFeatures::CrmSync),
            Just(IntegrationFeatures::OAuth2)
        ],
        0..3,
    ));
    (
        identity,
        prop::option::of(breadcrumb),
        (any::<bool>(), any::<bool>(), kind, status),
        (
            optional_text(),
            prop::option::of(data_type()),
            prop::option::of(structure()),
        ),
        features,
        (optional_text(), optional_text(), optional_text()),
    )
        .prop_map(
            |(
                (account_id, customer_id, customer_name, name),
                customer_breadcrumb,
                (automatic, is_authorized, integration_type, status),
                (status_message, settings_data_type, settings),
                features,
                (id, date_created, created_by),
            )| IntegrationInfo {
                account_id,
                customer_id,
                customer_name,
                date_last_sync: date_created.clone(),
                customer_breadcrumb,
                name,
                automatically_create_customers: automatic,
                integration_type,
                status,
                status_message,
                settings_data_type,
                settings,
                features,
                is_authorized,
                id,
                date_last_modified: date_created.clone(),
                date_created,
                last_modified_by: created_by.clone(),
                created_by,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn struct_survives_jsv(structure in structure()) {
        let text = jsv::to_string(&structure).unwrap();
        prop_assert_eq!(jsv::from_str::<Struct>(&text).unwrap(), structure.clone());
        let pretty = jsv::to_string_pretty(&structure).unwrap();
        prop_assert_eq!(jsv::from_str::<Struct>(&pretty).unwrap(), structure);
    }

    #[test]
    fn struct_survives_jsv_then_json(structure in structure()) {
        let from_jsv: Struct = jsv::from_str(&jsv::to_string(&structure).unwrap()).unwrap();
        let json = serde_json::to_string(&from_jsv).unwrap();
        let from_json: Struct = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(jsv::to_string(&from_json).unwrap(), jsv::to_string(&structure).unwrap());
        prop_assert_eq!(from_json, structure);
    }

    #[test]
    fn integration_info_survives_jsv(info in integration_info()) {
        let text = jsv::to_string(&info).unwrap();
        prop_assert_eq!(jsv::from_str::<IntegrationInfo>(&text).unwrap(), info.clone());
        let pretty = jsv::to_string_pretty(&info).unwrap();
        prop_assert_eq!(jsv::from_str::<IntegrationInfo>(&pretty).unwrap(), info);
    }

    #[test]
    fn integration_info_survives_json(info in integration_info()) {
        let json = serde_json::to_vec(&info).unwrap();
        let mut deserializer = serde_json::Deserializer::from_slice(&json);
        let back: IntegrationInfo =
            servicestack::de::deserialize(&mut deserializer, servicestack::de::DEFAULT_MAX_DEPTH)
                .map_err(|(error, path)| format!("{error} at {path}"))
                .unwrap();
        prop_assert_eq!(back, info);
    }
}
