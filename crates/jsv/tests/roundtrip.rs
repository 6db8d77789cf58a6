//! Property tests: generated values read back equal after the compact and the pretty writer.

use std::collections::BTreeMap;

use jsv::value::Value;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
enum Kind {
    NotSpecified,
    String,
    Struct,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Node {
    name: String,
    label: Option<String>,
    count: i64,
    ratio: f64,
    maybe_ratio: Option<f64>,
    flag: bool,
    maybe_flag: Option<bool>,
    kind: Kind,
    maybe_kind: Option<Kind>,
    tags: Vec<String>,
    slots: Vec<Option<String>>,
    optional_list: Option<Vec<String>>,
    values: BTreeMap<String, String>,
    children: Vec<Node>,
    attributes: BTreeMap<String, Node>,
}

/// Strings that look like other values, contain JSV syntax, or need quotes, mixed with
/// arbitrary text.
fn awkward_string() -> BoxedStrategy<String> {
    let fixed = prop::sample::select(vec![
        "100000",
        "True",
        "false",
        "",
        " padded ",
        "\tleading tab",
        "trailing space ",
        "a,b",
        "say \"hi\"",
        "\"",
        "\"\"",
        "{x}",
        "[1,2]",
        "a:b",
        "}",
        "line one\nline two\r\nline three",
        "naïve café 日本語 ✓",
        "null",
        "Null",
        "NULL",
        "\u{feff}bom",
        "\u{a0}",
        "-0",
        "1E+21",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        3 => fixed,
        1 => any::<String>(),
        1 => "[a-z ,:\"{}\\[\\]\n]{0,12}",
    ]
    .boxed()
}

fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |value| value.is_finite()),
        prop::sample::select(vec![0.0, -0.0, 1.5, 1e-7, 1e21, 1e16, 1e17, 0.1, -2.5e-300]),
    ]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(vec![Kind::NotSpecified, Kind::String, Kind::Struct])
}

fn leaf_node() -> impl Strategy<Value = Node> {
    (
        (
            awkward_string(),
            proptest::option::of(awkward_string()),
            any::<i64>(),
            finite_f64(),
            proptest::option::of(finite_f64()),
            any::<bool>(),
            proptest::option::of(any::<bool>()),
        ),
        (
            kind(),
            proptest::option::of(kind()),
            prop::collection::vec(awkward_string(), 0..4),
            prop::collection::vec(proptest::option::of(awkward_string()), 0..4),
            proptest::option::of(prop::collection::vec(awkward_string(), 0..3)),
            prop::collection::btree_map(awkward_string(), awkward_string(), 0..3),
        ),
    )
        .prop_map(
            |(
                (name, label, count, ratio, maybe_ratio, flag, maybe_flag),
                (kind, maybe_kind, tags, slots, optional_list, values),
            )| Node {
                name,
                label,
                count,
                ratio,
                maybe_ratio,
                flag,
                maybe_flag,
                kind,
                maybe_kind,
                tags,
                slots,
                optional_list,
                values,
                children: Vec::new(),
                attributes: BTreeMap::new(),
            },
        )
}

fn node() -> impl Strategy<Value = Node> {
    leaf_node().prop_recursive(3, 24, 3, |inner| {
        (
            leaf_node(),
            prop::collection::vec(inner.clone(), 0..3),
            prop::collection::btree_map(awkward_string(), inner, 0..3),
        )
            .prop_map(|(mut node, children, attributes)| {
                node.children = children;
                node.attributes = attributes;
                node
            })
    })
}

/// Dynamic values that survive a round trip: `Null` only as a list item, because the writer
/// leaves out missing members.
fn value() -> impl Strategy<Value = Value> {
    let leaf = awkward_string().prop_map(Value::Str);
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(
                prop_oneof![4 => inner.clone(), 1 => Just(Value::Null)],
                0..4
            )
            .prop_map(Value::List),
            prop::collection::vec((awkward_string(), inner), 0..4).prop_map(Value::Map),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn node_compact_round_trip(node in node()) {
        let text = jsv::to_string(&node).unwrap();
        let back: Node = jsv::from_str(&text).unwrap();
        prop_assert_eq!(back, node);
    }

    #[test]
    fn node_pretty_round_trip(node in node()) {
        let text = jsv::to_string_pretty(&node).unwrap();
        let back: Node = jsv::from_str(&text).unwrap();
        prop_assert_eq!(back, node);
    }

    #[test]
    fn node_list_without_brackets(nodes in prop::collection::vec(node(), 0..3)) {
        let text = jsv::to_string(&nodes).unwrap();
        let inner = &text[1..text.len() - 1];
        let back: Vec<Node> = jsv::from_str(inner).unwrap();
        prop_assert_eq!(back, nodes);
    }

    #[test]
    fn map_of_nodes_round_trip(map in prop::collection::btree_map(awkward_string(), node(), 0..3)) {
        let compact: BTreeMap<String, Node> = jsv::from_str(&jsv::to_string(&map).unwrap()).unwrap();
        prop_assert_eq!(&compact, &map);
        let pretty: BTreeMap<String, Node> = jsv::from_str(&jsv::to_string_pretty(&map).unwrap()).unwrap();
        prop_assert_eq!(pretty, map);
    }

    #[test]
    fn strings_round_trip(text in awkward_string()) {
        let back: String = jsv::from_str(&jsv::to_string(&text).unwrap()).unwrap();
        prop_assert_eq!(&back, &text);
        let wrapped = vec![Some(text.clone())];
        let back: Vec<Option<String>> = jsv::from_str(&jsv::to_string(&wrapped).unwrap()).unwrap();
        prop_assert_eq!(back, wrapped);
    }

    #[test]
    fn floats_round_trip(number in finite_f64()) {
        let text = jsv::to_string(&number).unwrap();
        let back: f64 = jsv::from_str(&text).unwrap();
        prop_assert_eq!(back.to_bits(), number.to_bits(), "text {}", text);
    }

    #[test]
    fn value_round_trip(value in value()) {
        let compact = jsv::to_string(&value).unwrap();
        let back: Value = jsv::from_str(&compact).unwrap();
        prop_assert_eq!(&back, &value);
        let pretty = jsv::to_string_pretty(&value).unwrap();
        let back: Value = jsv::from_str(&pretty).unwrap();
        prop_assert_eq!(&back, &value);
        // The pretty layout depends only on the compact text, so re-reading and re-writing
        // gives the same text.
        prop_assert_eq!(jsv::to_string(&back).unwrap(), compact);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[\\[\\]{}:,\" a-z0-9\n\t]{0,40}") {
        // Whatever reads as a value writes text that reads back and writes the same again.
        if let Ok(value) = jsv::from_str::<Value>(&text) {
            let compact = jsv::to_string(&value).unwrap();
            let reread: Value = jsv::from_str(&compact).unwrap();
            prop_assert_eq!(jsv::to_string(&reread).unwrap(), compact.clone());
            let from_pretty: Value = jsv::from_str(&jsv::prettify(&compact)).unwrap();
            prop_assert_eq!(jsv::to_string(&from_pretty).unwrap(), compact);
        }
        let _ = jsv::from_str::<Node>(&text);
        let _ = jsv::from_str::<Vec<Option<String>>>(&text);
        let _ = jsv::prettify(&text);
    }
}
