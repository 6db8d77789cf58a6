//! One test group per JSV rule, for the writer and the reader.

use std::collections::BTreeMap;

use jsv::value::Value;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
enum IntegrationTypes {
    HostedSuite,
    OfficeRnd,
    Zoho,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Breadcrumb {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
struct Integration {
    account_id: Option<String>,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<IntegrationTypes>,
    is_authorized: Option<bool>,
    count: Option<i32>,
    ratio: Option<f64>,
    customer_breadcrumb: Option<Vec<Breadcrumb>>,
}

/// The shape of the server's `Struct`/`Value` settings: a map of values that nest.
#[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
struct SettingValue {
    bool_value: Option<bool>,
    string_value: Option<String>,
    number_value: Option<f64>,
    list_value: Option<Vec<BTreeMap<String, SettingValue>>>,
    struct_value: Option<BTreeMap<String, SettingValue>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
struct UpdateRequest {
    name: Option<String>,
    settings: Option<BTreeMap<String, SettingValue>>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Required {
    name: String,
    port: u16,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Outer {
    inner: Required,
}

fn text(value: &str) -> Value {
    Value::Str(value.to_owned())
}

// ----- writer -----

#[test]
fn writer_omits_none_members() {
    let value = Integration {
        name: Some("Acme".into()),
        is_authorized: Some(false),
        ..Default::default()
    };
    assert_eq!(
        jsv::to_string(&value).unwrap(),
        "{name:Acme,isAuthorized:False}"
    );
}

#[test]
fn writer_all_none_struct_is_empty_object() {
    assert_eq!(jsv::to_string(&Integration::default()).unwrap(), "{}");
}

#[test]
fn writer_first_member_omitted_no_comma() {
    let value = UpdateRequest {
        name: None,
        settings: Some(BTreeMap::new()),
    };
    assert_eq!(jsv::to_string(&value).unwrap(), "{settings:{}}");
}

#[test]
fn writer_list_none_item_is_null() {
    let items = vec![Some("a"), None, Some("null"), Some("")];
    assert_eq!(jsv::to_string(&items).unwrap(), r#"[a,null,"null",""]"#);
}

#[test]
fn writer_map_none_value_omitted() {
    let mut map = BTreeMap::new();
    map.insert("a", Some(1));
    map.insert("b", None);
    map.insert("c", Some(3));
    assert_eq!(jsv::to_string(&map).unwrap(), "{a:1,c:3}");
}

#[test]
fn writer_booleans_capitalized() {
    assert_eq!(jsv::to_string(&(true, false)).unwrap(), "[True,False]");
}

#[test]
fn writer_nested_objects_in_list() {
    let value = vec![
        Breadcrumb {
            id: Some("1".into()),
            name: Some("Root".into()),
        },
        Breadcrumb {
            id: Some("2".into()),
            name: None,
        },
    ];
    assert_eq!(jsv::to_string(&value).unwrap(), "[{id:1,name:Root},{id:2}]");
}

#[test]
fn writer_empty_containers() {
    assert_eq!(jsv::to_string(&Vec::<String>::new()).unwrap(), "[]");
    assert_eq!(
        jsv::to_string(&BTreeMap::<String, String>::new()).unwrap(),
        "{}"
    );
}

#[test]
fn writer_top_level_none_is_empty() {
    assert_eq!(jsv::to_string(&None::<String>).unwrap(), "");
}

#[test]
fn writer_string_quoting() {
    let cases = [
        ("Me, Junior", r#""Me, Junior""#),
        ("2\" x 1\"", r#""2"" x 1""""#),
        ("", r#""""#),
        ("null", r#""null""#),
        (" padded ", r#"" padded ""#),
        ("{x}", r#""{x}""#),
        ("a:b", r#""a:b""#),
        ("line1\nline2", "\"line1\nline2\""),
        ("plain text", "plain text"),
        ("100000", "100000"),
        ("True", "True"),
    ];
    for (input, expected) in cases {
        assert_eq!(
            jsv::to_string(input).unwrap(),
            expected,
            "writing {input:?}"
        );
    }
}

#[test]
fn writer_map_keys_quoted_and_numeric() {
    let mut map = BTreeMap::new();
    map.insert("a,b".to_owned(), 1);
    map.insert(String::new(), 2);
    assert_eq!(jsv::to_string(&map).unwrap(), r#"{"":2,"a,b":1}"#);

    let mut numbers = BTreeMap::new();
    numbers.insert(7u32, "seven");
    assert_eq!(jsv::to_string(&numbers).unwrap(), "{7:seven}");
}

#[test]
fn writer_map_key_list_rejected() {
    let mut map = BTreeMap::new();
    map.insert(vec![1], 1);
    let error = jsv::to_string(&map).unwrap_err();
    assert!(error.message().contains("map key"), "{error}");
}

#[test]
fn writer_enum_variants() {
    #[derive(Serialize)]
    enum Shape {
        Dot,
        Circle(f64),
        Pair(u8, u8),
        Rect { w: u8, h: u8 },
    }
    let shapes = [
        Shape::Dot,
        Shape::Circle(1.5),
        Shape::Pair(1, 2),
        Shape::Rect { w: 3, h: 4 },
    ];
    assert_eq!(
        jsv::to_string(&shapes).unwrap(),
        "[Dot,{Circle:1.5},{Pair:[1,2]},{Rect:{w:3,h:4}}]"
    );
}

#[test]
fn writer_numbers() {
    let cases: [(f64, &str); 8] = [
        (0.0, "0"),
        (-0.0, "-0"),
        (1.5, "1.5"),
        (1e-7, "1E-07"),
        (1e21, "1E+21"),
        (100.0, "100"),
        (0.1, "0.1"),
        (-2.5e-3, "-0.0025"),
    ];
    for (value, expected) in cases {
        assert_eq!(
            jsv::to_string(&value).unwrap(),
            expected,
            "writing {value:e}"
        );
    }
    assert_eq!(jsv::to_string(&1.5f32).unwrap(), "1.5");
    assert_eq!(jsv::to_string(&-42i64).unwrap(), "-42");
    assert_eq!(jsv::to_string(&u64::MAX).unwrap(), "18446744073709551615");
    assert_eq!(jsv::to_string(&i128::MIN).unwrap(), i128::MIN.to_string());
}

#[test]
fn writer_nan_rejected() {
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let error = jsv::to_string(&value).unwrap_err();
        assert!(error.message().contains("NaN and infinities"), "{error}");
        assert_eq!(error.line(), 0);
        assert_eq!(error.path(), "");
    }
    let nested = Integration {
        ratio: Some(f64::NAN),
        ..Default::default()
    };
    assert!(jsv::to_string(&nested).is_err());
}

#[test]
fn writer_to_writer_matches_to_string() {
    let value = vec!["a", "b,c"];
    let mut out = Vec::new();
    jsv::to_writer(&mut out, &value).unwrap();
    assert_eq!(out, jsv::to_string(&value).unwrap().into_bytes());
}

#[test]
fn writer_bytes_as_number_list() {
    struct Bytes<'a>(&'a [u8]);
    impl Serialize for Bytes<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    assert_eq!(jsv::to_string(&Bytes(b"hi")).unwrap(), "[104,105]");
    let back: Vec<u8> = jsv::from_str("[104,105]").unwrap();
    assert_eq!(back, b"hi");
}

// ----- reader: strings and quoting -----

#[test]
fn reader_quoting_round_trip() {
    let samples = [
        "Me, Junior",
        "2\" x 1\"",
        "",
        "null",
        " padded ",
        "\ttabbed\t",
        "{x}",
        "[x]",
        "a:b",
        "say \"hi\"",
        "multi\nline\r\ntext",
        "naïve café ✓",
        "100000",
        "True",
        "\u{feff}bom",
        "\u{a0}nbsp\u{a0}",
    ];
    for sample in samples {
        let written = jsv::to_string(sample).unwrap();
        let back: String = jsv::from_str(&written).unwrap();
        assert_eq!(back, sample, "round trip of {sample:?} via {written:?}");

        let in_list = jsv::to_string(&vec![sample, sample]).unwrap();
        let back: Vec<String> = jsv::from_str(&in_list).unwrap();
        assert_eq!(back, [sample, sample], "list round trip via {in_list:?}");
    }
}

#[test]
fn reader_doubled_quotes() {
    let value: String = jsv::from_str(r#""2"" x 1""""#).unwrap();
    assert_eq!(value, "2\" x 1\"");
    let list: Vec<String> = jsv::from_str(r#"["""",a""b,"x""y"]"#).unwrap();
    assert_eq!(list, ["\"", "a\"\"b", "x\"y"]);
}

#[test]
fn reader_quoted_value_keeps_inner_whitespace() {
    let value: Vec<String> = jsv::from_str(r#"[ " a " , b ]"#).unwrap();
    assert_eq!(value, [" a ", "b"]);
}

#[test]
fn reader_bare_top_level_string_takes_whole_input() {
    let value: String = jsv::from_str("  a,b}c  ").unwrap();
    assert_eq!(value, "a,b}c");
    let object_text: String = jsv::from_str(" {a} ").unwrap();
    assert_eq!(object_text, "{a}");
    let list_text: String = jsv::from_str("[x, y]").unwrap();
    assert_eq!(list_text, "[x, y]");
}

#[test]
fn reader_string_member_gets_raw_object_text() {
    #[derive(Deserialize)]
    struct Holder {
        raw: String,
        next: u8,
    }
    let value: Holder = jsv::from_str(r#"{raw:{a:[1,"}"]},next:2}"#).unwrap();
    assert_eq!(value.raw, r#"{a:[1,"}"]}"#);
    assert_eq!(value.next, 2);
}

#[test]
fn reader_borrows_plain_strings() {
    #[derive(Deserialize)]
    struct Borrowed<'a> {
        #[serde(borrow)]
        bare: &'a str,
        #[serde(borrow)]
        quoted: &'a str,
    }
    let value: Borrowed = jsv::from_str(r#"{bare:hello world,quoted:"a,b"}"#).unwrap();
    assert_eq!(value.bare, "hello world");
    assert_eq!(value.quoted, "a,b");
}

#[test]
fn reader_unterminated_quote_rejected() {
    let error = jsv::from_str::<Vec<String>>(r#"[a,"bc]"#).unwrap_err();
    assert!(error.message().contains("unterminated"), "{error}");
    assert_eq!((error.line(), error.column()), (1, 4));
}

// ----- reader: booleans, numbers, enums -----

#[test]
fn reader_bools_any_case() {
    for (input, expected) in [
        ("true", true),
        ("True", true),
        ("TRUE", true),
        ("tRuE", true),
        ("false", false),
        ("False", false),
        ("FALSE", false),
        ("\"true\"", true),
    ] {
        assert_eq!(
            jsv::from_str::<bool>(input).unwrap(),
            expected,
            "reading {input}"
        );
    }
}

#[test]
fn reader_bool_invalid_rejected() {
    let error = jsv::from_str::<bool>("yes").unwrap_err();
    assert!(
        error.message().contains("expected True or False"),
        "{error}"
    );
}

#[test]
fn reader_numbers() {
    let cases: [(&str, f64); 10] = [
        ("0", 0.0),
        ("-0", -0.0),
        ("1.5", 1.5),
        ("1e-7", 1e-7),
        ("1E-07", 1e-7),
        ("1e21", 1e21),
        ("1E+21", 1e21),
        (" 42 ", 42.0),
        ("\"2.5\"", 2.5),
        ("1000000000000000000000", 1e21),
    ];
    for (input, expected) in cases {
        let value: f64 = jsv::from_str(input).unwrap();
        assert_eq!(value, expected, "reading {input}");
    }
    let negative_zero: f64 = jsv::from_str("-0").unwrap();
    assert!(negative_zero.is_sign_negative());
}

#[test]
fn reader_number_round_trip() {
    for value in [
        0.0,
        -0.0,
        1.5,
        1e-7,
        1e21,
        0.1 + 0.2,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
    ] {
        let written = jsv::to_string(&value).unwrap();
        let back: f64 = jsv::from_str(&written).unwrap();
        assert_eq!(back.to_bits(), value.to_bits(), "round trip via {written}");
    }
}

#[test]
fn reader_nan_and_infinity_rejected() {
    for input in [
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "1e400",
        "-1e999",
    ] {
        let error = jsv::from_str::<f64>(input).unwrap_err();
        assert!(
            error.message().contains("NaN and infinities"),
            "{input}: {error}"
        );
        assert!(jsv::from_str::<f32>(input).is_err(), "{input} as f32");
    }
}

#[test]
fn reader_integers() {
    assert_eq!(jsv::from_str::<i32>("-17").unwrap(), -17);
    assert_eq!(
        jsv::from_str::<u64>("18446744073709551615").unwrap(),
        u64::MAX
    );
    assert_eq!(
        jsv::from_str::<i128>("-170141183460469231731687303715884105728").unwrap(),
        i128::MIN
    );
    let error = jsv::from_str::<u8>("256").unwrap_err();
    assert!(error.message().contains("invalid value `256`"), "{error}");
    assert!(jsv::from_str::<i32>("1.5").is_err());
    assert!(jsv::from_str::<i32>("{a:1}").is_err());
    let empty = jsv::from_str::<Vec<i32>>("[1,,3]").unwrap_err();
    assert!(empty.message().contains("missing value"), "{empty}");
    assert_eq!(empty.path(), "[1]");
}

#[test]
fn reader_enum_names_ignore_case() {
    for input in [
        "HostedSuite",
        "hostedsuite",
        "HOSTEDSUITE",
        "\"hostedSuite\"",
    ] {
        let value: IntegrationTypes = jsv::from_str(input).unwrap();
        assert_eq!(value, IntegrationTypes::HostedSuite, "reading {input}");
    }
    let list: Vec<IntegrationTypes> = jsv::from_str("[zoho,OFFICERND]").unwrap();
    assert_eq!(list, [IntegrationTypes::Zoho, IntegrationTypes::OfficeRnd]);
}

#[test]
fn reader_unknown_enum_lists_variants() {
    let error = jsv::from_str::<Integration>("{type:Salesforce}").unwrap_err();
    assert!(
        error.message().contains("unknown variant `Salesforce`"),
        "{error}"
    );
    assert!(error.message().contains("HostedSuite"), "{error}");
    assert_eq!(error.path(), "Type");
}

#[test]
fn reader_enum_variants_with_data() {
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    enum Shape {
        Dot,
        Circle(f64),
        Pair(u8, u8),
        Rect { w: u8, h: u8 },
    }
    let shapes = vec![
        Shape::Dot,
        Shape::Circle(1.5),
        Shape::Pair(1, 2),
        Shape::Rect { w: 3, h: 4 },
    ];
    let text = jsv::to_string(&shapes).unwrap();
    assert_eq!(jsv::from_str::<Vec<Shape>>(&text).unwrap(), shapes);
    let spaced: Vec<Shape> = jsv::from_str("[ dot , { circle : 2 } ]").unwrap();
    assert_eq!(spaced, [Shape::Dot, Shape::Circle(2.0)]);

    let bare = jsv::from_str::<Shape>("Circle").unwrap_err();
    assert!(bare.message().contains("{Variant:value}"), "{bare}");
    let tagged_unit = jsv::from_str::<Shape>("{Dot:1}").unwrap_err();
    assert!(tagged_unit.message().contains("bare name"), "{tagged_unit}");
}

#[test]
fn reader_char_and_unit() {
    assert_eq!(jsv::from_str::<char>("é").unwrap(), 'é');
    assert!(jsv::from_str::<char>("ab").is_err());
    jsv::from_str::<()>("").unwrap();
    jsv::from_str::<()>("null").unwrap();
    assert!(jsv::from_str::<()>("x").is_err());
}

// ----- reader: options -----

#[test]
fn reader_option_empty_and_null_are_none() {
    let value: Vec<Option<String>> = jsv::from_str(r#"[,null,"","null", null ]"#).unwrap();
    assert_eq!(
        value,
        [None, None, Some(String::new()), Some("null".into()), None]
    );
    let member: Integration = jsv::from_str("{name:,accountId:null,count:}").unwrap();
    assert_eq!(member, Integration::default());
}

#[test]
fn reader_option_absent_member_is_none() {
    let value: Integration = jsv::from_str("{name:x}").unwrap();
    assert_eq!(value.account_id, None);
    assert_eq!(value.name.as_deref(), Some("x"));
}

#[test]
fn reader_option_top_level() {
    assert_eq!(jsv::from_str::<Option<u8>>("").unwrap(), None);
    assert_eq!(jsv::from_str::<Option<u8>>("  null ").unwrap(), None);
    assert_eq!(jsv::from_str::<Option<u8>>("7").unwrap(), Some(7));
    assert_eq!(
        jsv::from_str::<Option<String>>("nullable")
            .unwrap()
            .as_deref(),
        Some("nullable")
    );
}

// ----- reader: structure -----

#[test]
fn reader_bom_skipped() {
    let bytes = b"\xEF\xBB\xBF{name:x}";
    let value: Integration = jsv::from_slice(bytes).unwrap();
    assert_eq!(value.name.as_deref(), Some("x"));
    let value: Integration = jsv::from_str("\u{feff}{name:y}").unwrap();
    assert_eq!(value.name.as_deref(), Some("y"));
}

#[test]
fn reader_invalid_utf8_rejected() {
    let error = jsv::from_slice::<Value>(b"{name:\n\xFF}").unwrap_err();
    assert!(
        error.message().contains("invalid UTF-8 at byte 7"),
        "{error}"
    );
    assert_eq!((error.line(), error.column()), (2, 1));
}

#[test]
fn reader_whitespace_tolerated() {
    let compact =
        "{name:Acme Corp,type:Zoho,isAuthorized:True,customerBreadcrumb:[{id:1,name:Root},{id:2}]}";
    let spaced = "  {\r\n\tname :  Acme Corp  ,\n type:\tZoho , isAuthorized : True,\n\
                  customerBreadcrumb : [ { id : 1 , name : Root } ,\n { id: 2 } ] }\n";
    let a: Integration = jsv::from_str(compact).unwrap();
    let b: Integration = jsv::from_str(spaced).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.name.as_deref(), Some("Acme Corp"));

    let pretty = jsv::to_string_pretty(&a).unwrap();
    let c: Integration = jsv::from_str(&pretty).unwrap();
    assert_eq!(a, c);
}

#[test]
fn reader_keys_ignore_case() {
    let value: Integration =
        jsv::from_str("{ACCOUNTID:a,Name:n,TYPE:hostedsuite,isauthorized:TRUE}").unwrap();
    assert_eq!(value.account_id.as_deref(), Some("a"));
    assert_eq!(value.name.as_deref(), Some("n"));
    assert_eq!(value.kind, Some(IntegrationTypes::HostedSuite));
    assert_eq!(value.is_authorized, Some(true));
}

#[test]
fn reader_map_keys_kept_as_written() {
    let value: BTreeMap<String, String> = jsv::from_str("{Key:1,key:2,\"a,b\":3}").unwrap();
    let keys: Vec<&str> = value.keys().map(String::as_str).collect();
    assert_eq!(keys, ["Key", "a,b", "key"]);
}

#[test]
fn reader_map_numeric_keys() {
    let value: BTreeMap<u32, bool> = jsv::from_str("{1:true,20:False}").unwrap();
    assert_eq!(value.get(&20), Some(&false));
    let error = jsv::from_str::<BTreeMap<u32, bool>>("{x:true}").unwrap_err();
    assert_eq!(error.path(), "x");
}

#[test]
fn reader_unknown_keys_skipped() {
    let input = r#"{extra:1,nested:{a:[1,{b:"x,}]"},[]],c:{}},name:kept,list:[[],[[{}]]],"quoted:key":"v",type:Zoho}"#;
    let value: Integration = jsv::from_str(input).unwrap();
    assert_eq!(value.name.as_deref(), Some("kept"));
    assert_eq!(value.kind, Some(IntegrationTypes::Zoho));
}

#[test]
fn reader_unknown_key_bad_syntax_rejected() {
    let error = jsv::from_str::<Integration>("{extra:{a:1,b},name:x}").unwrap_err();
    assert!(
        error
            .message()
            .contains("expected ':' after the member name `b`"),
        "{error}"
    );
    assert_eq!(error.path(), "extra");
}

#[test]
fn reader_top_level_list_brackets_optional() {
    assert_eq!(jsv::from_str::<Vec<i32>>("1,2,3").unwrap(), [1, 2, 3]);
    assert_eq!(jsv::from_str::<Vec<i32>>("[1,2,3]").unwrap(), [1, 2, 3]);
    assert_eq!(jsv::from_str::<Vec<i32>>(" 1 , 2 ").unwrap(), [1, 2]);
    assert_eq!(
        jsv::from_str::<Vec<String>>("").unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(jsv::from_str::<Vec<String>>("a").unwrap(), ["a"]);
    let structs: Vec<Breadcrumb> = jsv::from_str("{id:1},{id:2}").unwrap();
    assert_eq!(structs.len(), 2);
}

#[test]
fn reader_nested_list_brackets_required() {
    #[derive(Deserialize, Debug)]
    struct Ids {
        #[allow(dead_code)]
        ids: Vec<i32>,
    }
    let error = jsv::from_str::<Ids>("{ids:1,2}").unwrap_err();
    assert!(error.message().contains("expected '['"), "{error}");
    assert_eq!(error.path(), "Ids");
}

#[test]
fn reader_trailing_text_rejected() {
    let error = jsv::from_str::<Vec<i32>>("[1,2] x").unwrap_err();
    assert!(
        error.message().contains("after the end of the value"),
        "{error}"
    );
    assert_eq!((error.line(), error.column()), (1, 7));
    assert!(jsv::from_str::<Integration>("{name:a}}").is_err());
}

#[test]
fn reader_tuple_length_checked() {
    assert_eq!(
        jsv::from_str::<(u8, String)>("[1,a]").unwrap(),
        (1, "a".into())
    );
    assert!(jsv::from_str::<(u8, u8)>("[1,2,3]").is_err());
    assert!(jsv::from_str::<(u8, u8)>("[1]").is_err());
}

#[test]
fn reader_value_types() {
    let value: Value = jsv::from_str("{a:1,b:[x,null,{}],c:\"q,\",d:}").unwrap();
    assert_eq!(
        value,
        Value::Map(vec![
            ("a".into(), text("1")),
            (
                "b".into(),
                Value::List(vec![text("x"), Value::Null, Value::Map(vec![])])
            ),
            ("c".into(), text("q,")),
            ("d".into(), Value::Null),
        ])
    );
    assert_eq!(
        jsv::to_string(&value).unwrap(),
        "{a:1,b:[x,null,{}],c:\"q,\"}"
    );
}

// ----- reader: limits and errors -----

#[test]
fn depth_limit_rejects_deep_input() {
    let deep = "[".repeat(100_000);
    for result in [
        jsv::from_str::<Value>(&deep).map(|_| ()),
        jsv::from_str::<Vec<Value>>(&deep).map(|_| ()),
    ] {
        let error = result.unwrap_err();
        assert!(error.message().contains("maximum depth of 64"), "{error}");
        assert_eq!((error.line(), error.column()), (1, 65));
    }

    let deep_objects = "{a:".repeat(100_000);
    let error = jsv::from_str::<Value>(&deep_objects).unwrap_err();
    assert!(error.message().contains("maximum depth"), "{error}");
}

#[test]
fn depth_limit_applies_to_skipped_members() {
    let deep = format!("{{unknown:{}}}", "[".repeat(100_000));
    let error = jsv::from_str::<Integration>(&deep).unwrap_err();
    assert!(error.message().contains("maximum depth"), "{error}");
    assert_eq!(error.path(), "unknown");
}

#[test]
fn depth_limit_exact_boundary() {
    let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    assert!(jsv::from_str::<Value>(&nested(64)).is_ok());
    assert!(jsv::from_str::<Value>(&nested(65)).is_err());

    let options = jsv::Options::new().with_max_depth(3);
    assert_eq!(options.max_depth(), 3);
    assert!(options.from_str::<Value>(&nested(3)).is_ok());
    assert!(options.from_str::<Value>(&nested(4)).is_err());
    assert!(options.from_slice::<Value>(nested(4).as_bytes()).is_err());
    assert!(jsv::Options::default()
        .from_str::<Value>(&nested(64))
        .is_ok());
}

#[test]
fn error_path_line_column_nested() {
    let input = "{\n\tname: x,\n\tsettings: {\n\t\tPassword: { numberValue: abc }\n\t}\n}";
    let error = jsv::from_str::<UpdateRequest>(input).unwrap_err();
    assert_eq!(error.path(), "Settings.Password.NumberValue");
    assert_eq!(error.line(), 4);
    assert_eq!(error.column(), 28);
    assert!(error.message().contains("invalid value `abc`"), "{error}");
    assert_eq!(
        error.to_string(),
        "invalid value `abc`: expected a number (f64) at Settings.Password.NumberValue, line 4, column 28"
    );
}

#[test]
fn error_path_list_index() {
    let input = "{settings:{P:{listValue:[{K:{boolValue:True}},{K:{boolValue:maybe}}]}}}";
    let error = jsv::from_str::<UpdateRequest>(input).unwrap_err();
    assert_eq!(error.path(), "Settings.P.ListValue[1].K.BoolValue");
    assert_eq!(error.column(), 61);
}

#[test]
fn error_path_quoted_key() {
    let input = r#"{settings:{"a""b":{stringValue:[}}}"#;
    let error = jsv::from_str::<UpdateRequest>(input).unwrap_err();
    assert_eq!(error.path(), "Settings.a\"b.StringValue");
}

#[test]
fn error_path_missing_field() {
    let error = jsv::from_str::<Required>("{port:1}").unwrap_err();
    assert_eq!(error.path(), "Name");
    assert!(error.message().contains("missing field `name`"), "{error}");

    let error = jsv::from_str::<Outer>("{inner:{name:x}}").unwrap_err();
    assert_eq!(error.path(), "Inner.Port");
    assert_eq!((error.line(), error.column()), (1, 8));
}

#[test]
fn error_path_top_level_is_empty() {
    let error = jsv::from_str::<u8>("x").unwrap_err();
    assert_eq!(error.path(), "");
    assert_eq!((error.line(), error.column()), (1, 1));
    assert_eq!(
        error.to_string(),
        "invalid value `x`: expected an integer (u8) at line 1, column 1"
    );
}

#[test]
fn error_column_counts_characters() {
    let error = jsv::from_str::<Vec<u8>>("[ééé,x]").unwrap_err();
    assert_eq!((error.line(), error.column()), (1, 2));
    let error = jsv::from_str::<Vec<u8>>("[1,\"é\",x]").unwrap_err();
    assert_eq!((error.line(), error.column()), (1, 4));
    assert_eq!(error.path(), "[1]");
}

#[test]
fn error_implements_std_error() {
    fn takes_error(_: &dyn std::error::Error) {}
    let error = jsv::from_str::<u8>("x").unwrap_err();
    takes_error(&error);
    assert!(format!("{error:?}").contains("message"));
}

#[test]
fn deserializer_end_and_depth_settings() {
    let mut de = jsv::Deserializer::from_str("[1] [2]");
    de.set_max_depth(5);
    assert_eq!(de.max_depth(), 5);
    let first = Vec::<u8>::deserialize(&mut de).unwrap();
    assert_eq!(first, [1]);
    assert!(de.end().is_err());

    let de = jsv::Deserializer::from_slice(b"\xEF\xBB\xBF[1]");
    assert!(de.is_ok());
    assert!(jsv::Deserializer::from_slice(b"[\xC3]").is_err());
}

// ----- never panic -----

#[test]
fn truncated_input_never_panics() {
    let full = concat!(
        "{\n\taccountId: \"a,\"\"b\",\n\ttype: Zoho,\n\tcustomerBreadcrumb: \n\t[\n\t\t{\n\t\t\tid: 1\n\t\t},\n",
        "\t\tnull\n\t],\n\tsettings: { P: { listValue: [ { K: { boolValue: true } } ], structValue: {} } },\n",
        "\tratio: 1.5E-07, unknown: [[{}], \"x\"] , naïve: é\n}"
    );
    assert!(jsv::from_str::<Value>(full).is_ok());
    for end in (0..=full.len()).filter(|&i| full.is_char_boundary(i)) {
        let prefix = &full[..end];
        let _ = jsv::from_str::<Value>(prefix);
        let _ = jsv::from_str::<Integration>(prefix);
        let _ = jsv::from_str::<UpdateRequest>(prefix);
        let _ = jsv::from_str::<Vec<String>>(prefix);
        let _ = jsv::from_slice::<Value>(prefix.as_bytes());
        let _ = jsv::prettify(prefix);
    }
    let bytes = full.as_bytes();
    for end in 0..=bytes.len() {
        let _ = jsv::from_slice::<Value>(&bytes[..end]);
    }
}

#[test]
fn odd_inputs_never_panic() {
    let inputs = [
        "",
        " ",
        ":",
        ",",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "\"\"\"",
        "{:}",
        "{a}",
        "{a:",
        "{a:1,",
        "{,}",
        "[,]",
        "[1,]",
        "{\"a\"x:1}",
        "{a:\"b\"c}",
        "[\"a\"b]",
        "null",
        "{null:null}",
        "}{",
        "][",
        "{a:[}",
        "[{]",
        "\u{feff}",
        "\u{feff}\u{feff}",
        "{a:{b:{c:[1,2,{d:}]}}}",
    ];
    for input in inputs {
        let _ = jsv::from_str::<Value>(input);
        let _ = jsv::from_str::<Integration>(input);
        let _ = jsv::from_str::<Vec<Option<String>>>(input);
        let _ = jsv::from_str::<BTreeMap<String, Value>>(input);
        let _ = jsv::from_str::<IntegrationTypes>(input);
        let _ = jsv::from_str::<(u8, bool)>(input);
        let _ = jsv::prettify(input);
    }
}
