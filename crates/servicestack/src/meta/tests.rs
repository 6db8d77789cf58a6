//! What `#[derive(ApiType)]` puts in the registry, and the samples built from it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::sample::{sample, Sample};
use super::{ApiType, Member, OperationDef, Primitive, Registry, TypeKind, TypeRef};
use crate::host::Route;

/// A base class.
#[derive(Serialize, ApiType)]
#[api(namespace = "Test.Api")]
#[serde(rename_all = "camelCase")]
struct Entity {
    /// The id.
    id: Option<String>,
}

/// Creates a `Widget`.
///
/// Second line.
#[derive(Serialize, ApiType)]
#[api(namespace = "Test.Api", inherits = Entity)]
#[serde(rename_all = "camelCase")]
struct NewWidget {
    /// The [`Kind`] of widget.
    #[api(not_nullable)]
    #[serde(rename = "type")]
    kind: Option<Kind>,
    #[api(name = "UIHint", required)]
    ui_hint: Option<String>,
    count: Option<i32>,
    // Not a description: a note for Rust readers.
    ratio: f64,
    #[serde(skip)]
    #[allow(dead_code)]
    internal: u8,
    id: Option<String>,
}

// Only described, never built.
#[allow(dead_code)]
#[derive(Serialize, ApiType)]
enum Kind {
    Small,
    #[serde(rename = "LARGE")]
    Large,
}

#[derive(Serialize, ApiType)]
#[serde(rename_all = "camelCase")]
struct Page<T> {
    items: Vec<T>,
    total: i64,
}

/// A tree node, recursive through a list, a box and a map.
#[derive(Serialize, ApiType)]
#[serde(rename_all = "camelCase")]
struct Node {
    name: Option<String>,
    children: Option<Vec<Node>>,
    parent: Option<Box<Node>>,
    by_name: Option<BTreeMap<String, Node>>,
}

/// A named dictionary class.
#[derive(Serialize, ApiType)]
#[serde(transparent)]
struct Bag(BTreeMap<String, Node>);

#[derive(Serialize, ApiType)]
#[api(inherits = Entity)]
struct Orphan {
    name: Option<String>,
}

fn registry_with<T: ApiType>() -> (Registry, TypeRef) {
    let mut registry = Registry::new();
    let type_ref = T::describe(&mut registry);
    (registry, type_ref)
}

fn member<'a>(registry: &'a Registry, type_name: &str, name: &str) -> &'a Member {
    registry
        .get(type_name)
        .unwrap()
        .members()
        .iter()
        .find(|member| member.name == name)
        .unwrap_or_else(|| panic!("{type_name} has no member {name}"))
}

#[test]
fn doc_comment_becomes_description() {
    let (registry, _) = registry_with::<NewWidget>();

    let widget = registry.get("NewWidget").unwrap();
    assert_eq!(
        widget.description,
        Some("Creates a Widget. Second line"),
        "lines joined, backticks and final period dropped"
    );
    assert_eq!(
        member(&registry, "NewWidget", "Type").description,
        Some("The Kind of widget")
    );
    assert_eq!(member(&registry, "NewWidget", "Ratio").description, None);
}

#[test]
fn members_take_serde_and_api_names() {
    let (registry, _) = registry_with::<NewWidget>();

    let names: Vec<(&str, &str)> = registry
        .get("NewWidget")
        .unwrap()
        .members()
        .iter()
        .map(|member| (member.name, member.wire_name))
        .collect();
    assert_eq!(
        names,
        [
            ("Type", "type"),
            ("UIHint", "uiHint"),
            ("Count", "count"),
            ("Ratio", "ratio"),
        ],
        "skipped and inherited members are left out"
    );
    assert!(member(&registry, "NewWidget", "UIHint").required);
    assert!(!member(&registry, "NewWidget", "Count").required);
}

#[test]
fn types_map_to_dotnet_names() {
    let (registry, _) = registry_with::<NewWidget>();
    let type_name = |name: &str| {
        member(&registry, "NewWidget", name)
            .type_ref
            .csharp_name(&[])
    };

    assert_eq!(type_name("Type"), "Kind", "not_nullable drops the ?");
    assert_eq!(type_name("UIHint"), "string");
    assert_eq!(type_name("Count"), "int?");
    assert_eq!(type_name("Ratio"), "double");
}

#[test]
fn base_class_keeps_inherited_members() {
    let (registry, _) = registry_with::<NewWidget>();

    let widget = registry.get("NewWidget").unwrap();
    assert_eq!(widget.base(), Some(&TypeRef::named("Entity")));
    assert_eq!(widget.namespace, Some("Test.Api"));
    let all: Vec<&str> = registry
        .all_members(widget, &[])
        .iter()
        .map(|member| member.name)
        .collect();
    assert_eq!(all, ["Id", "Type", "UIHint", "Count", "Ratio"]);
}

#[test]
#[should_panic(expected = "Orphan inherits Entity but has no member id")]
fn missing_inherited_member_panics() {
    registry_with::<Orphan>();
}

#[test]
fn enum_values_follow_serde_names() {
    let (registry, type_ref) = registry_with::<Kind>();

    assert_eq!(type_ref, TypeRef::named("Kind"));
    assert_eq!(
        registry.get("Kind").unwrap().enum_values(),
        Some(&["Small", "LARGE"][..])
    );
    const { assert!(<Kind as ApiType>::IS_VALUE_TYPE) };
    const { assert!(!<Node as ApiType>::IS_VALUE_TYPE) };
}

#[test]
fn generic_definition_names_its_parameter() {
    let (registry, type_ref) = registry_with::<Page<Kind>>();

    assert_eq!(
        type_ref,
        TypeRef::Named {
            name: "Page",
            args: vec![TypeRef::named("Kind")],
        }
    );
    let page = registry.get("Page").unwrap();
    assert_eq!(page.generic_params, ["T"]);
    assert_eq!(page.display_name(), "Page<T>");
    let items = &page.members()[0];
    assert_eq!(items.type_ref, TypeRef::List(Box::new(TypeRef::Param(0))));
    assert_eq!(items.type_ref.csharp_name(&page.generic_params), "List<T>");
    assert_eq!(
        type_ref.csharp_name(&[]),
        "Page<Kind>",
        "the argument is defined too"
    );
    assert!(registry.get("Kind").is_some());
}

#[test]
fn transparent_map_is_a_dictionary_class() {
    let (registry, type_ref) = registry_with::<Bag>();

    assert_eq!(type_ref, TypeRef::named("Bag"));
    assert_eq!(
        registry.get("Bag").unwrap().kind,
        TypeKind::Dictionary {
            key: TypeRef::Primitive(Primitive::String),
            value: TypeRef::named("Node"),
        }
    );
}

/// Follows one path into a sample object by wire names.
fn field<'a>(sample: &'a Sample, name: &str) -> Option<&'a Sample> {
    match sample {
        Sample::Object { members, .. } => members
            .iter()
            .find(|(member, _)| *member == name)
            .map(|(_, value)| value),
        _ => None,
    }
}

fn first_item(sample: &Sample) -> &Sample {
    match sample {
        Sample::List(items) => &items[0],
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn sample_expands_a_type_three_times_per_path() {
    let (registry, type_ref) = registry_with::<Node>();
    let root = sample(&registry, &type_ref);

    assert_eq!(field(&root, "name"), Some(&Sample::String("String")));
    let second = first_item(field(&root, "children").unwrap());
    let third = first_item(field(second, "children").unwrap());
    assert_eq!(
        first_item(field(third, "children").unwrap()),
        &Sample::Null,
        "a list item past the limit is null"
    );
    assert_eq!(
        field(third, "parent"),
        None,
        "a member past the limit is left out"
    );
    assert_eq!(
        field(third, "byName"),
        Some(&Sample::Map(Vec::new())),
        "a map whose values cannot expand is empty"
    );
    assert!(field(second, "parent").is_some());
}

#[test]
fn sample_uses_placeholders() {
    let (registry, type_ref) = registry_with::<NewWidget>();
    let root = sample(&registry, &type_ref);

    assert_eq!(field(&root, "type"), Some(&Sample::String("Small")));
    assert_eq!(field(&root, "uiHint"), Some(&Sample::String("String")));
    assert_eq!(field(&root, "count"), Some(&Sample::Number(0)));
    assert_eq!(field(&root, "ratio"), Some(&Sample::Number(0)));
    let Sample::Object { members, .. } = &root else {
        panic!("not an object: {root:?}");
    };
    let order: Vec<&str> = members.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        order,
        ["type", "uiHint", "count", "ratio", "id"],
        "own members first, then inherited ones, as the DTO writes them"
    );
}

#[test]
fn sample_of_generic_uses_the_argument() {
    let (registry, type_ref) = registry_with::<Page<Kind>>();
    let root = sample(&registry, &type_ref);

    assert_eq!(
        field(&root, "items"),
        Some(&Sample::List(vec![Sample::String("Small")]))
    );
    assert_eq!(field(&root, "total"), Some(&Sample::Number(0)));
}

#[test]
fn operation_types_are_depth_first_with_bases() {
    let mut registry = Registry::new();
    let request = NewWidget::describe(&mut registry);
    let response = Page::<Node>::describe(&mut registry);
    Bag::describe(&mut registry);
    let operation = OperationDef {
        name: "NewWidget",
        request,
        response,
        response_may_be_empty: false,
        routes: vec![Route {
            method: "POST",
            path: "/widgets",
        }],
        requires_authentication: true,
        required_roles: Vec::new(),
    };

    assert_eq!(
        registry.operation_types(&operation),
        ["NewWidget", "Entity", "Kind", "Page", "Node"]
    );
}

/// The first version of a request type: one member.
#[derive(Serialize, ApiType)]
#[api(name = "NewGadget")]
#[serde(rename_all = "camelCase")]
struct NewGadgetBefore {
    /// The gadget's name.
    name: Option<String>,
}

/// The same request type with a member added, as a later release would declare it.
#[derive(Serialize, ApiType)]
#[api(name = "NewGadget")]
#[serde(rename_all = "camelCase")]
struct NewGadgetAfter {
    /// The gadget's name.
    name: Option<String>,
    /// The gadget's colour.
    colour: Option<String>,
}

/// Every document the registry feeds, rendered for an operation with `Request` as its request.
fn every_document<Request: ApiType>() -> Vec<(&'static str, String)> {
    use super::native::{HeaderContext, NativeOptions};
    use super::openapi::{openapi_document, DocumentInfo};
    use super::pages::{operation_page, PageContext};

    let mut registry = Registry::new();
    let request = Request::describe(&mut registry);
    let response = Kind::describe(&mut registry);
    registry.add_operation(OperationDef {
        name: "NewGadget",
        request,
        response,
        response_may_be_empty: false,
        routes: vec![Route {
            method: "POST",
            path: "/gadgets",
        }],
        requires_authentication: true,
        required_roles: Vec::new(),
    });
    let operation = registry.operation("NewGadget").unwrap();
    let contracts = crate::xml::XmlContracts::default();
    let page_context = PageContext {
        service_name: "Gadgets",
        host: "localhost",
        xml_contracts: &contracts,
    };
    let header = HeaderContext {
        base_url: "http://localhost",
        generated_at: std::time::SystemTime::UNIX_EPOCH,
    };
    let generator_options = |specs| NativeOptions::from_query(specs, None).unwrap();
    let info = DocumentInfo {
        title: "Gadgets",
        version: "1",
        server_url: "http://localhost",
    };

    vec![
        (
            "JSV page",
            operation_page(&registry, operation, crate::Format::Jsv, &page_context),
        ),
        (
            "TypeScript",
            super::typescript::typescript_dtos(
                &registry,
                &generator_options(&super::typescript::TYPESCRIPT_OPTIONS),
                &header,
            ),
        ),
        (
            "Python",
            super::python::python_dtos(
                &registry,
                &generator_options(&super::python::PYTHON_OPTIONS),
                &header,
            ),
        ),
        (
            "C#",
            super::csharp::csharp_dtos(
                &registry,
                &generator_options(&super::csharp::CSHARP_OPTIONS),
                &header,
            ),
        ),
        (
            "OpenAPI",
            serde_json::to_string(&openapi_document(&registry, &info)).unwrap(),
        ),
        (
            "types metadata",
            serde_json::to_string(&super::types_json::metadata_types(
                &registry,
                "http://localhost",
            ))
            .unwrap(),
        ),
    ]
}

#[test]
fn added_member_reaches_every_document() {
    for (document, text) in every_document::<NewGadgetBefore>() {
        assert!(
            !text.contains("olour"),
            "{document} has no colour yet:\n{text}"
        );
        assert!(
            text.contains("The gadget&#39;s name") || text.contains("The gadget's name"),
            "{document} shows the first member:\n{text}"
        );
    }
    for (document, text) in every_document::<NewGadgetAfter>() {
        assert!(
            text.contains("colour") || text.contains("Colour"),
            "{document} shows the added member:\n{text}"
        );
        assert!(
            text.contains("The gadget&#39;s colour") || text.contains("The gadget's colour"),
            "{document} shows its description:\n{text}"
        );
    }
}

/// A request with a secret member, reachable by GET as well as POST.
#[derive(Serialize, ApiType)]
#[serde(rename_all = "camelCase")]
struct Login {
    user_name: Option<String>,
    #[api(secret)]
    password: Option<String>,
}

#[test]
fn secret_member_stays_out_of_query_strings() {
    use super::openapi::{openapi_document, DocumentInfo};

    let mut registry = Registry::new();
    let request = Login::describe(&mut registry);
    assert!(member(&registry, "Login", "Password").secret);
    assert!(!member(&registry, "Login", "UserName").secret);
    registry.add_operation(OperationDef {
        name: "Login",
        request,
        response: TypeRef::Void,
        response_may_be_empty: false,
        routes: vec![
            Route {
                method: "POST",
                path: "/login",
            },
            Route {
                method: "GET",
                path: "/login",
            },
        ],
        requires_authentication: false,
        required_roles: Vec::new(),
    });
    let info = DocumentInfo {
        title: "Test",
        version: "1",
        server_url: "http://localhost",
    };
    let document = serde_json::to_value(openapi_document(&registry, &info)).unwrap();

    let query: Vec<&str> = document["paths"]["/login"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|parameter| parameter["name"].as_str().unwrap())
        .collect();
    assert_eq!(query, ["userName"]);
    assert_eq!(
        document["components"]["schemas"]["Login"]["properties"]["password"]["format"],
        "password"
    );
}
