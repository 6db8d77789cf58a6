//! The TypeScript DTOs at `/types/typescript`, in the form of ServiceStack's "Add ServiceStack
//! Reference": one module of exported enums and classes that `@servicestack/client`'s
//! `JsonServiceClient` sends and reads.
//!
//! The module starts with a `/* Options: ... */` comment. `@servicestack/cli`'s `typescript-ref`
//! requires `Options:` in the body, reads the `BaseUrl:` line and sends every uncommented
//! `Key: value` line after it back as a query parameter when it updates the file. So an option
//! given in the query string is applied and written uncommented, and the others are written
//! with their defaults behind `//`.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::native::{
    added_members, generic_name, option, quoted, select_types, verb_marker, write_header,
    HeaderContext, HeaderStyle, NativeOptions, OptionKind, OptionSpec, TypePattern,
    ADD_DESCRIPTION_AS_COMMENTS, ADD_IMPLICIT_VERSION, ADD_RESPONSE_STATUS,
    ADD_SERVICE_STACK_TYPES, EXCLUDE_TYPES, GLOBAL_NAMESPACE, INCLUDE_TYPES, VERB_MARKERS,
};
use super::{Member, OperationDef, Primitive, Registry, TypeDef, TypeKind, TypeRef};

/// The options in the order the header lists them.
pub static TYPESCRIPT_OPTIONS: [OptionSpec; 9] = [
    GLOBAL_NAMESPACE,
    option("MakePropertiesOptional", "True", OptionKind::Flag),
    ADD_SERVICE_STACK_TYPES,
    ADD_RESPONSE_STATUS,
    ADD_IMPLICIT_VERSION,
    ADD_DESCRIPTION_AS_COMMENTS,
    INCLUDE_TYPES,
    EXCLUDE_TYPES,
    option(
        "DefaultImports",
        "",
        OptionKind::CheckedList {
            valid_item: is_default_import,
            expected: "Symbol:module items separated by commas",
        },
    ),
];

const HEADER: HeaderStyle = HeaderStyle {
    open: "/* Options:",
    close: "*/",
    comment: "//",
};

/// Returns whether a `DefaultImports` item is `Symbol:module`, with a module that fits in the
/// double-quoted string of the import line.
fn is_default_import(item: &str) -> bool {
    item.split_once(':').is_some_and(|(symbol, module)| {
        is_identifier(symbol.trim())
            && !module.trim().is_empty()
            && !module.contains(['"', '\'', '\\'])
    })
}

/// Renders the registry as a TypeScript module with `options`.
pub fn typescript_dtos(
    registry: &Registry,
    options: &NativeOptions,
    context: &HeaderContext<'_>,
) -> String {
    let mut out = String::with_capacity(32 * 1024);
    write_header(&mut out, &HEADER, options, context);

    for import in options.list("DefaultImports") {
        if let Some((symbol, module)) = import.split_once(':') {
            let _ = writeln!(
                out,
                "import {{ {} }} from \"{}\";",
                symbol.trim(),
                module.trim()
            );
        }
    }

    let namespace = options.value("GlobalNamespace");
    let mut body = String::with_capacity(32 * 1024);
    let selection = Selection::new(registry, options);
    let writer = ClassWriter {
        registry,
        options,
        requests: &selection.requests,
    };
    if options.flag("AddServiceStackTypes") {
        write_service_stack_types(&mut body, registry, options, &selection);
    }
    for name in &selection.types {
        if let Some(definition) = registry.get(name) {
            body.push('\n');
            writer.write_type(&mut body, definition);
        }
    }

    if namespace.is_empty() {
        out.push_str(&body);
    } else {
        let _ = writeln!(out, "\nexport namespace {namespace}\n{{");
        for line in body.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "    {line}");
            }
        }
        out.push_str("}\n");
    }
    out
}

/// The types a module contains, in the order it writes them.
struct Selection {
    /// Registry types, each after its base class.
    types: Vec<&'static str>,
    /// Request DTO names with their operations.
    requests: Vec<(&'static str, OperationDef)>,
    /// The ServiceStack types that `IncludeTypes` names.
    included_service_stack_types: HashSet<String>,
    /// The names `ExcludeTypes` lists, as written.
    excluded: Vec<String>,
}

impl Selection {
    fn new(registry: &Registry, options: &NativeOptions) -> Selection {
        let includes = options.list("IncludeTypes");
        let selected: HashSet<&'static str> = select_types(registry, options)
            .iter()
            .map(|definition| definition.name)
            .collect();

        // A class's base must be defined before the class at run time, so bases come first.
        let mut types = Vec::new();
        for definition in registry.types() {
            push_with_bases(registry, definition.name, &selected, &mut types);
        }

        let mut requests = Vec::new();
        for operation in registry.operations() {
            if let TypeRef::Named { name, .. } = &operation.request {
                if selected.contains(name) && !requests.iter().any(|(known, _)| known == name) {
                    requests.push((*name, operation.clone()));
                }
            }
        }

        let mut included_service_stack_types = HashSet::new();
        for name in ["ResponseStatus", "ResponseError"] {
            if includes
                .iter()
                .any(|item| TypePattern::parse(item).is_name(name, 0))
            {
                included_service_stack_types.insert(name.to_owned());
            }
        }
        let excluded = options.list("ExcludeTypes");

        Selection {
            types,
            requests,
            included_service_stack_types: if includes.is_empty() {
                ["ResponseStatus", "ResponseError"]
                    .map(str::to_owned)
                    .into_iter()
                    .collect()
            } else {
                included_service_stack_types
            },
            excluded,
        }
    }

    fn excludes(&self, name: &str, arity: usize) -> bool {
        self.excluded
            .iter()
            .any(|item| TypePattern::parse(item).is_name(name, arity))
    }
}

fn push_with_bases(
    registry: &Registry,
    name: &'static str,
    selected: &HashSet<&'static str>,
    types: &mut Vec<&'static str>,
) {
    if !selected.contains(name) || types.contains(&name) {
        return;
    }
    if let Some(TypeRef::Named { name: base, .. }) = registry.get(name).and_then(TypeDef::base) {
        // A type that is its own ancestor is not valid .NET; the check only ends the recursion.
        if *base != name {
            push_with_bases(registry, base, selected, types);
        }
    }
    if !types.contains(&name) {
        types.push(name);
    }
}

/// Writes the ServiceStack types the selected DTOs use: `IReturn<T>`, `IReturnVoid`, the
/// HTTP method markers and the `ResponseStatus` error types.
fn write_service_stack_types(
    out: &mut String,
    registry: &Registry,
    options: &NativeOptions,
    selection: &Selection,
) {
    let returns_void = selection
        .requests
        .iter()
        .any(|(_, operation)| operation.response == TypeRef::Void);
    let returns_value = selection
        .requests
        .iter()
        .any(|(_, operation)| operation.response != TypeRef::Void);

    if returns_value && !selection.excludes("IReturn", 1) && registry.get("IReturn").is_none() {
        out.push_str("\nexport interface IReturn<T>\n{\n    createResponse(): T;\n}\n");
    }
    if returns_void
        && !selection.excludes("IReturnVoid", 0)
        && registry.get("IReturnVoid").is_none()
    {
        out.push_str("\nexport interface IReturnVoid\n{\n    createResponse(): void;\n}\n");
    }
    for interface in VERB_MARKERS {
        let used = selection
            .requests
            .iter()
            .any(|(_, operation)| verb_marker(&operation.routes) == Some(interface));
        if used && !selection.excludes(interface, 0) && registry.get(interface).is_none() {
            let _ = writeln!(out, "\nexport interface {interface} {{}}");
        }
    }

    let wants_status = options.flag("AddResponseStatus")
        || selection
            .included_service_stack_types
            .contains("ResponseStatus");
    let wants_error = wants_status
        || selection
            .included_service_stack_types
            .contains("ResponseError");
    let error_types = error_types();
    let writer = ClassWriter {
        registry: &error_types,
        options,
        requests: &[],
    };
    for (name, needed) in [
        ("ResponseError", wants_error),
        ("ResponseStatus", wants_status),
    ] {
        if needed && !selection.excludes(name, 0) && registry.get(name).is_none() {
            if let Some(definition) = error_types.get(name) {
                out.push('\n');
                writer.write_type(out, definition);
            }
        }
    }
}

/// ServiceStack's `ResponseStatus` and `ResponseError` as the .NET contract declares them,
/// the shape of every error body's `responseStatus`.
fn error_types() -> Registry {
    fn member(name: &'static str, wire_name: &'static str, type_ref: TypeRef) -> Member {
        Member {
            name,
            wire_name,
            type_ref,
            description: None,
            required: false,
            secret: false,
        }
    }
    let string = || TypeRef::Primitive(Primitive::String);
    let meta = || TypeRef::Dictionary(Box::new(string()), Box::new(string()));

    let class = |name: &'static str, members: Vec<Member>| TypeDef {
        name,
        namespace: Some("ServiceStack"),
        description: None,
        generic_params: Vec::new(),
        kind: TypeKind::Class {
            base: None,
            members,
        },
    };

    let mut registry = Registry::new();
    registry.define("ResponseError", |_| {
        class(
            "ResponseError",
            vec![
                member("ErrorCode", "errorCode", string()),
                member("FieldName", "fieldName", string()),
                member("Message", "message", string()),
                member("Meta", "meta", meta()),
            ],
        )
    });
    registry.define("ResponseStatus", |_| {
        class(
            "ResponseStatus",
            vec![
                member("ErrorCode", "errorCode", string()),
                member("Message", "message", string()),
                member("StackTrace", "stackTrace", string()),
                member(
                    "Errors",
                    "errors",
                    TypeRef::List(Box::new(TypeRef::named("ResponseError"))),
                ),
                member("Meta", "meta", meta()),
            ],
        )
    });
    registry
}

/// Returns the HTTP method a request DTO's `getMethod()` returns: its first route's, or `POST`.
fn request_method(operation: &OperationDef) -> String {
    operation
        .routes
        .first()
        .map(|route| route.method.to_ascii_uppercase())
        .filter(|method| method != "ANY" && method != "*")
        .unwrap_or_else(|| "POST".to_owned())
}

/// Writes enums and classes.
struct ClassWriter<'a> {
    registry: &'a Registry,
    options: &'a NativeOptions,
    requests: &'a [(&'static str, OperationDef)],
}

impl ClassWriter<'_> {
    fn write_type(&self, out: &mut String, definition: &TypeDef) {
        if self.options.flag("AddDescriptionAsComments") {
            if let Some(description) = definition.description {
                let _ = writeln!(out, "/** @description {} */", comment_text(description));
            }
        }
        match &definition.kind {
            TypeKind::Enum { values } => write_enum(out, definition.name, values),
            TypeKind::Dictionary { key, value } => {
                self.write_dictionary(out, definition, key, value);
            }
            TypeKind::Class { base, members } => {
                self.write_class(out, definition, base.as_ref(), members);
            }
        }
    }

    /// Writes a class that is a dictionary, such as `Struct : Dictionary<string,Value>`.
    ///
    /// TypeScript cannot extend an index signature type, so the class declares the index
    /// signature itself. It has no other members, so an instance serializes to a plain JSON
    /// object and an object literal of the right values is assignable to it.
    fn write_dictionary(
        &self,
        out: &mut String,
        definition: &TypeDef,
        key: &TypeRef,
        value: &TypeRef,
    ) {
        let params = &definition.generic_params;
        let signature = format!("[key: {}]: {};", index_type(key), ts_type(value, params));
        let _ = writeln!(out, "export class {}\n{{", class_name(definition));
        let _ = writeln!(out, "    {signature}");
        let _ = writeln!(
            out,
            "\n    public constructor(init?: {{ {signature} }}) {{ (Object as any).assign(this, init); }}"
        );
        out.push_str("}\n");
    }

    fn write_class(
        &self,
        out: &mut String,
        definition: &TypeDef,
        base: Option<&TypeRef>,
        members: &[Member],
    ) {
        let params = &definition.generic_params;
        let request = self
            .requests
            .iter()
            .find(|(name, _)| *name == definition.name)
            .map(|(_, operation)| operation);

        if let Some(operation) = request {
            for route in &operation.routes {
                let _ = writeln!(
                    out,
                    "// @Route(\"{}\", \"{}\")",
                    comment_text(route.path),
                    comment_text(route.method)
                );
            }
        }

        let mut declaration = format!("export class {}", class_name(definition));
        if let Some(base) = base {
            let _ = write!(declaration, " extends {}", ts_type(base, params));
        }
        if let Some(operation) = request {
            let mut interfaces = vec![match &operation.response {
                TypeRef::Void => "IReturnVoid".to_owned(),
                response => format!("IReturn<{}>", ts_type(response, params)),
            }];
            if let Some(marker) = verb_marker(&operation.routes) {
                interfaces.push(marker.to_owned());
            }
            let _ = write!(declaration, " implements {}", interfaces.join(", "));
        }
        let _ = writeln!(out, "{declaration}\n{{");

        for member in members {
            self.write_member(out, member, params);
        }
        let added = added_members(self.registry, self.options, definition);
        if let Some(version) = added.version {
            let _ = writeln!(out, "    public version?: number = {version};");
        }
        if added.response_status {
            let _ = writeln!(out, "    public responseStatus?: ResponseStatus;");
        }
        if !members.is_empty() {
            out.push('\n');
        }

        let this_type = class_name(definition);
        if base.is_some() {
            let _ = writeln!(
                out,
                "    public constructor(init?: Partial<{this_type}>) {{ super(init); (Object as any).assign(this, init); }}"
            );
        } else {
            let _ = writeln!(
                out,
                "    public constructor(init?: Partial<{this_type}>) {{ (Object as any).assign(this, init); }}"
            );
        }

        if let Some(operation) = request {
            let _ = writeln!(
                out,
                "    public getTypeName() {{ return '{}'; }}",
                operation.name
            );
            let _ = writeln!(
                out,
                "    public getMethod() {{ return '{}'; }}",
                request_method(operation)
            );
            match new_response(&operation.response, params) {
                Some(response) => {
                    let _ = writeln!(out, "    public createResponse() {{ return {response}; }}");
                }
                None => out.push_str("    public createResponse() {}\n"),
            }
        }
        out.push_str("}\n");
    }

    fn write_member(&self, out: &mut String, member: &Member, params: &[&str]) {
        if self.options.flag("AddDescriptionAsComments") {
            if let Some(description) = member.description {
                let _ = writeln!(out, "    /** @description {} */", comment_text(description));
            }
        }
        // Without MakePropertiesOptional only nullable value types stay optional. The others
        // carry a definite assignment assertion, because `--strict` rejects a property that no
        // constructor assigns and the constructor assigns whatever `init` holds.
        let marker = if self.options.flag("MakePropertiesOptional")
            || matches!(member.type_ref, TypeRef::Nullable(_))
        {
            "?"
        } else {
            "!"
        };
        let _ = writeln!(
            out,
            "    public {}{marker}: {};",
            property_name(member.wire_name),
            ts_type(&member.type_ref, params)
        );
    }
}

fn write_enum(out: &mut String, name: &str, values: &[&str]) {
    let _ = writeln!(out, "export enum {name}\n{{");
    for value in values {
        let literal = string_literal(value);
        if is_identifier(value) {
            let _ = writeln!(out, "    {value} = {literal},");
        } else {
            let _ = writeln!(out, "    {literal} = {literal},");
        }
    }
    out.push_str("}\n");
}

/// Returns the expression `createResponse()` returns, or `None` for an operation without a body.
fn new_response(response: &TypeRef, params: &[&str]) -> Option<String> {
    match response {
        TypeRef::Void => None,
        TypeRef::Primitive(Primitive::String) => Some("''".to_owned()),
        TypeRef::Primitive(Primitive::Bool) => Some("false".to_owned()),
        TypeRef::Primitive(_) => Some("0".to_owned()),
        TypeRef::Nullable(inner) => new_response(inner, params),
        TypeRef::List(item) => Some(format!("new Array<{}>()", ts_type(item, params))),
        TypeRef::Dictionary(..) => Some("{}".to_owned()),
        TypeRef::Named { .. } | TypeRef::Param(_) => {
            Some(format!("new {}()", ts_type(response, params)))
        }
    }
}

/// Returns the TypeScript type of a member, base class or response, with `params` in scope.
fn ts_type(type_ref: &TypeRef, params: &[&str]) -> String {
    match type_ref {
        TypeRef::Primitive(Primitive::String) => "string".to_owned(),
        TypeRef::Primitive(Primitive::Bool) => "boolean".to_owned(),
        TypeRef::Primitive(Primitive::Int | Primitive::Long | Primitive::Double) => {
            "number".to_owned()
        }
        // Optional properties already allow a missing value.
        TypeRef::Nullable(inner) => ts_type(inner, params),
        TypeRef::List(item) => format!("{}[]", ts_type(item, params)),
        TypeRef::Dictionary(key, value) => format!(
            "{{ [index: {}]: {}; }}",
            index_type(key),
            ts_type(value, params)
        ),
        TypeRef::Named { name, args } => generic_name(name, args, |arg| ts_type(arg, params)),
        TypeRef::Param(index) => params.get(*index).copied().unwrap_or("any").to_owned(),
        TypeRef::Void => "void".to_owned(),
    }
}

/// Returns the key type of an index signature, which TypeScript allows only as `string` or
/// `number`.
fn index_type(key: &TypeRef) -> &'static str {
    match key {
        TypeRef::Primitive(Primitive::Int | Primitive::Long | Primitive::Double) => "number",
        TypeRef::Nullable(inner) => index_type(inner),
        _ => "string",
    }
}

/// Returns the class name with its generic parameters: `ListResponse<T>`.
fn class_name(definition: &TypeDef) -> String {
    if definition.generic_params.is_empty() {
        definition.name.to_owned()
    } else {
        format!(
            "{}<{}>",
            definition.name,
            definition.generic_params.join(", ")
        )
    }
}

fn property_name(wire_name: &str) -> String {
    if is_identifier(wire_name) {
        wire_name.to_owned()
    } else {
        string_literal(wire_name)
    }
}

/// Quotes text as a single-quoted TypeScript string literal.
fn string_literal(text: &str) -> String {
    quoted(text, '\'')
}

/// Text for a `//` or `/** */` comment: one line that cannot end the comment.
fn comment_text(text: &str) -> String {
    text.replace("*/", "*\\/").replace(['\r', '\n'], " ")
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_' || first == '$')
        && chars.all(|next| next.is_ascii_alphanumeric() || next == '_' || next == '$')
}

#[cfg(test)]
// The DTOs below exist only to be described; nothing constructs them.
#[allow(dead_code)]
mod tests {
    use std::marker::PhantomData;

    use serde::Serialize;
    use std::collections::BTreeMap;

    use super::*;
    use crate::meta::native::fixtures::{add, render_with, route};
    use crate::meta::ApiType;

    /// The base of every stored thing.
    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api")]
    #[serde(rename_all = "camelCase")]
    struct EntityBase {
        /// The id.
        id: Option<String>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api")]
    enum Colour {
        Red,
        #[serde(rename = "DARK-BLUE")]
        DarkBlue,
    }

    /// A stored item.
    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api", inherits = EntityBase)]
    #[serde(rename_all = "camelCase")]
    struct Item {
        /// The item's name.
        name: Option<String>,
        colour: Colour,
        id: Option<String>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api")]
    #[serde(rename_all = "camelCase")]
    struct Page<T> {
        items: Vec<T>,
        total: i64,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api")]
    #[serde(rename_all = "camelCase")]
    struct Query<T> {
        skip: Option<i32>,
        #[serde(skip)]
        item: PhantomData<T>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api", inherits = Query<Item>)]
    #[serde(rename_all = "camelCase")]
    struct ListItems {
        name_filter: Option<String>,
        skip: Option<i32>,
    }

    /// Creates an item.
    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api")]
    #[serde(rename_all = "camelCase")]
    struct NewItem {
        name: Option<String>,
        colour: Option<Colour>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Api")]
    #[serde(rename_all = "camelCase")]
    struct DeleteItem {
        id: Option<String>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Tree")]
    #[serde(rename_all = "camelCase")]
    struct Node {
        label: Option<String>,
        children: Option<Vec<Node>>,
        attributes: Option<Attributes>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Tree")]
    #[serde(transparent)]
    struct Attributes(BTreeMap<String, Node>);

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Tree")]
    #[serde(rename_all = "camelCase")]
    struct GetNode {
        id: Option<String>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Other")]
    #[serde(rename_all = "camelCase")]
    struct Unused {
        weight: Option<f64>,
    }

    fn registry() -> Registry {
        let mut registry = Registry::new();
        add::<NewItem, Item>(&mut registry, "NewItem", vec![route("POST", "/items")]);
        add::<ListItems, Page<Item>>(&mut registry, "ListItems", vec![route("GET", "/items")]);
        add::<DeleteItem, ()>(
            &mut registry,
            "DeleteItem",
            vec![route("DELETE", "/items/{Id}")],
        );
        add::<GetNode, Node>(&mut registry, "GetNode", Vec::new());
        Unused::describe(&mut registry);
        registry
    }

    fn render(query: &str) -> String {
        render_with(&registry(), typescript_dtos, &TYPESCRIPT_OPTIONS, query)
    }

    /// Returns the names of the exported types, in order.
    fn exported(source: &str) -> Vec<String> {
        source
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix("export "))
            .filter_map(|declaration| declaration.split_whitespace().nth(1))
            .map(|name| name.split('<').next().unwrap_or(name).to_owned())
            .collect()
    }

    fn sorted(mut names: Vec<String>) -> Vec<String> {
        names.sort();
        names
    }

    fn has_line(source: &str, line: &str) -> bool {
        source.lines().any(|candidate| candidate == line)
    }

    /// Returns the lines of a type's declaration, from `export` to the closing brace.
    fn declaration<'a>(source: &'a str, start: &str) -> Vec<&'a str> {
        source
            .lines()
            .skip_while(|line| !line.starts_with(start))
            .take_while(|line| *line != "}")
            .collect()
    }

    #[test]
    fn header_comments_out_defaults() {
        let source = render("");
        assert!(source.starts_with("/* Options:\nDate: 2025-06-04 09:47:09\nVersion: "));
        assert!(has_line(&source, "BaseUrl: http://localhost:5000"));
        assert!(has_line(&source, "//MakePropertiesOptional: True"));
        assert!(has_line(&source, "//AddDescriptionAsComments: True"));
        assert!(has_line(&source, "//IncludeTypes: "));
        assert!(has_line(&source, "//DefaultImports: "));
        assert!(has_line(&source, "*/"));
    }

    #[test]
    fn header_shows_given_options_uncommented() {
        let source = render("includetypes=NewItem.*&MakePropertiesOptional=false&Unknown=1");
        assert!(has_line(&source, "IncludeTypes: NewItem.*"));
        assert!(has_line(&source, "MakePropertiesOptional: False"));
        assert!(!source.contains("//IncludeTypes"));
        assert!(has_line(&source, "//ExcludeTypes: "));
        assert!(!source.contains("Unknown"));
    }

    #[test]
    fn include_types_select_exports() {
        let cases: [(&str, &[&str]); 7] = [
            ("Item,Colour,Page`1", &["Colour", "Item", "Page"]),
            // The generic arity must match.
            ("Page`2,Colour", &["Colour"]),
            (
                "NewItem.*",
                &[
                    "Colour",
                    "EntityBase",
                    "IPost",
                    "IReturn",
                    "Item",
                    "NewItem",
                ],
            ),
            // Dependencies include dictionary classes.
            ("GetNode.*", &["Attributes", "GetNode", "IReturn", "Node"]),
            ("Test.Other/*", &["Unused"]),
            // ServiceStack's error types are not in the registry but can be named.
            (
                "Colour,ResponseStatus",
                &["Colour", "ResponseError", "ResponseStatus"],
            ),
            ("Colour,ResponseError", &["Colour", "ResponseError"]),
        ];
        for (include, expected) in cases {
            let source = render(&format!("IncludeTypes={include}"));
            assert_eq!(
                sorted(exported(&source)),
                expected,
                "IncludeTypes={include}"
            );
        }
    }

    #[test]
    fn exclude_types_removes_named_types() {
        let all = exported(&render(""));
        assert!(all.contains(&"Node".to_owned()));
        assert!(all.contains(&"ResponseStatus".to_owned()));

        let source = render("ExcludeTypes=Node,ResponseStatus,IDelete");
        let names = exported(&source);
        assert!(!names.contains(&"Node".to_owned()));
        assert!(!names.contains(&"ResponseStatus".to_owned()));
        assert!(!names.contains(&"IDelete".to_owned()));
        assert!(names.contains(&"ResponseError".to_owned()));
        assert!(names.contains(&"Attributes".to_owned()));
        assert_eq!(names.len(), all.len() - 3);
    }

    #[test]
    fn generic_classes_keep_their_parameters() {
        let source = render("");
        let page = declaration(&source, "export class Page<T>");
        assert_eq!(page[1..3], ["{", "    public items?: T[];"]);
        assert!(page.contains(
            &"    public constructor(init?: Partial<Page<T>>) { (Object as any).assign(this, init); }"
        ));
        assert!(has_line(&source, "export class Query<T>"));
    }

    #[test]
    fn request_extends_generic_base() {
        let source = render("");
        let list = declaration(&source, "export class ListItems ");
        assert_eq!(
            list[0],
            "export class ListItems extends Query<Item> implements IReturn<Page<Item>>, IGet"
        );
        assert!(list.contains(&"    public nameFilter?: string;"));
        assert!(!list.contains(&"    public skip?: number;"));
        assert!(list.contains(&"    public getMethod() { return 'GET'; }"));
        assert!(list.contains(&"    public createResponse() { return new Page<Item>(); }"));
    }

    #[test]
    fn inheritance_writes_own_members_after_base() {
        let source = render("");
        let names = exported(&source);
        let base = names.iter().position(|name| name == "EntityBase");
        let derived = names.iter().position(|name| name == "Item");
        assert!(base < derived, "EntityBase must precede Item: {names:?}");

        let item = declaration(&source, "export class Item ");
        assert_eq!(item[0], "export class Item extends EntityBase");
        assert!(item.contains(&"    public name?: string;"));
        assert!(!item.contains(&"    public id?: string;"));
        assert!(item.contains(
            &"    public constructor(init?: Partial<Item>) { super(init); (Object as any).assign(this, init); }"
        ));
    }

    #[test]
    fn enums_are_string_enums_of_wire_values() {
        let source = render("");
        assert_eq!(
            declaration(&source, "export enum Colour"),
            [
                "export enum Colour",
                "{",
                "    Red = 'Red',",
                "    'DARK-BLUE' = 'DARK-BLUE',"
            ]
        );
        assert!(has_line(&source, "    public colour?: Colour;"));
    }

    #[test]
    fn recursive_types_refer_to_themselves() {
        let source = render("");
        let node = declaration(&source, "export class Node");
        assert!(node.contains(&"    public children?: Node[];"));
        assert!(node.contains(&"    public attributes?: Attributes;"));
        let attributes = declaration(&source, "export class Attributes");
        assert!(attributes.contains(&"    [key: string]: Node;"));
        assert!(attributes.contains(
            &"    public constructor(init?: { [key: string]: Node; }) { (Object as any).assign(this, init); }"
        ));
    }

    #[test]
    fn requests_name_type_method_and_response() {
        let source = render("");
        let new_item = declaration(&source, "export class NewItem ");
        assert_eq!(
            new_item[0],
            "export class NewItem implements IReturn<Item>, IPost"
        );
        assert!(new_item.contains(&"    public getTypeName() { return 'NewItem'; }"));
        assert!(new_item.contains(&"    public getMethod() { return 'POST'; }"));
        assert!(new_item.contains(&"    public createResponse() { return new Item(); }"));
        assert!(has_line(&source, "// @Route(\"/items\", \"POST\")"));

        let delete = declaration(&source, "export class DeleteItem ");
        assert_eq!(
            delete[0],
            "export class DeleteItem implements IReturnVoid, IDelete"
        );
        assert!(delete.contains(&"    public createResponse() {}"));

        // GetNode has no routes, so it has no verb marker and clients POST it.
        let get_node = declaration(&source, "export class GetNode ");
        assert_eq!(get_node[0], "export class GetNode implements IReturn<Node>");
        assert!(get_node.contains(&"    public getMethod() { return 'POST'; }"));
    }

    #[test]
    fn descriptions_become_comments_unless_turned_off() {
        let source = render("");
        assert!(has_line(&source, "/** @description A stored item */"));
        assert!(has_line(&source, "    /** @description The item's name */"));

        let source = render("AddDescriptionAsComments=False");
        assert!(!source.contains("@description"));
    }

    #[test]
    fn properties_required_unless_optional() {
        let source = render("MakePropertiesOptional=False");
        assert!(has_line(&source, "    public name!: string;"));
        assert!(has_line(&source, "    public total!: number;"));
        // A nullable value type stays optional.
        assert!(has_line(&source, "    public skip?: number;"));
    }

    #[test]
    fn response_status_and_version_added_on_request() {
        let source = render("AddResponseStatus=True&AddImplicitVersion=3");
        let item = declaration(&source, "export class Item ");
        assert!(item.contains(&"    public responseStatus?: ResponseStatus;"));
        let page = declaration(&source, "export class Page<T>");
        assert!(page.contains(&"    public responseStatus?: ResponseStatus;"));
        let new_item = declaration(&source, "export class NewItem ");
        assert!(new_item.contains(&"    public version?: number = 3;"));
        assert!(!item.contains(&"    public version?: number = 3;"));
    }

    #[test]
    fn global_namespace_wraps_the_types() {
        let source = render("GlobalNamespace=dtos.v1");
        assert!(has_line(&source, "export namespace dtos.v1"));
        assert!(has_line(&source, "    export class Node"));
        assert!(source.ends_with("}\n}\n"));
    }

    #[test]
    fn default_imports_become_import_lines() {
        let source = render("DefaultImports=Zip:./zip,Other:module");
        assert!(has_line(&source, "import { Zip } from \"./zip\";"));
        assert!(has_line(&source, "import { Other } from \"module\";"));
    }

    #[test]
    fn invalid_option_values_are_rejected() {
        for query in [
            "MakePropertiesOptional=maybe",
            "AddImplicitVersion=one",
            "GlobalNamespace=a-b",
            "IncludeTypes=Item*/",
            "DefaultImports=Zip",
            "DefaultImports=Zip:\"x",
        ] {
            assert!(
                NativeOptions::from_query(&TYPESCRIPT_OPTIONS, Some(query)).is_err(),
                "{query} should be rejected"
            );
        }
    }
}
