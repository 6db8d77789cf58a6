//! What the generated DTO sources (`/types/python`, `/types/csharp`) share: the options read from
//! the query string, the `Options:` header that lists them, and the types a request selects.
//!
//! ServiceStack's "Add ServiceStack Reference" tools fetch `{BaseUrl}/types/{language}`, require
//! `Options:` in the body, and update a file by sending its uncommented `Key: value` header lines
//! back as query parameters. So an option given in the query string is applied and written
//! uncommented, and every other option is written with its default behind the language's
//! line comment.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Registry, TypeDef, TypeKind, TypeRef};

/// The ServiceStack release written on the `Version:` line.
///
/// NOTE: the option names, order and defaults follow the headers ServiceStack 8.x writes for
/// each language; the client tools read only `Options:`, `BaseUrl:` and the uncommented lines.
pub const SERVICESTACK_VERSION: &str = "8.71";

/// How an option's query value is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// `True` or `False`, in any case.
    Flag,
    /// A whole number.
    Integer,
    /// Free text, such as a namespace or decorator arguments.
    Text,
    /// A comma-separated list.
    List,
}

/// An option of a header: its name, its default as the header writes it, and its kind.
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    pub key: &'static str,
    pub default: &'static str,
    pub kind: OptionKind,
}

/// A query value that is not valid for its option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidOption {
    pub key: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl std::fmt::Display for InvalidOption {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "Invalid value {:?} for option {}: expected {}.",
            self.value, self.key, self.expected
        )
    }
}

impl std::error::Error for InvalidOption {}

/// The options of one request: each given in the query string or left at its default.
#[derive(Clone, Debug)]
pub struct NativeOptions {
    specs: &'static [OptionSpec],
    /// The given values, by position in `specs`.
    given: Vec<Option<String>>,
}

impl NativeOptions {
    /// Reads the options in `specs` from a query string. Keys match in any case, empty values
    /// and unknown keys are ignored, and the last of repeated keys wins.
    pub fn from_query(
        specs: &'static [OptionSpec],
        query: Option<&str>,
    ) -> Result<NativeOptions, InvalidOption> {
        let mut options = NativeOptions {
            specs,
            given: vec![None; specs.len()],
        };
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let value = value.trim();
            let Some(index) = specs
                .iter()
                .position(|spec| spec.key.eq_ignore_ascii_case(&key))
            else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let spec = specs[index];
            let value = match spec.kind {
                OptionKind::Flag if value.eq_ignore_ascii_case("true") => "True".to_owned(),
                OptionKind::Flag if value.eq_ignore_ascii_case("false") => "False".to_owned(),
                OptionKind::Flag => return Err(invalid(spec, value, "True or False")),
                OptionKind::Integer if value.parse::<i64>().is_err() => {
                    return Err(invalid(spec, value, "a whole number"));
                }
                OptionKind::Integer | OptionKind::Text => value.to_owned(),
                OptionKind::List => list_items(value).join(","),
            };
            options.given[index] = Some(value);
        }
        Ok(options)
    }

    /// The value given for `key`, if one was.
    pub fn given(&self, key: &str) -> Option<&str> {
        let index = self.index(key);
        self.given[index].as_deref()
    }

    /// The value of `key`: the given one, or else the default.
    pub fn value(&self, key: &str) -> &str {
        let index = self.index(key);
        self.given[index]
            .as_deref()
            .unwrap_or(self.specs[index].default)
    }

    /// Whether the flag `key` is `True`.
    pub fn flag(&self, key: &str) -> bool {
        self.value(key) == "True"
    }

    /// The items of the list option `key`.
    pub fn list(&self, key: &str) -> Vec<String> {
        list_items(self.value(key))
    }

    fn index(&self, key: &str) -> usize {
        self.specs
            .iter()
            .position(|spec| spec.key == key)
            .unwrap_or_else(|| panic!("{key} is not an option of this language"))
    }
}

fn invalid(spec: OptionSpec, value: &str, expected: &'static str) -> InvalidOption {
    InvalidOption {
        key: spec.key,
        value: value.to_owned(),
        expected,
    }
}

fn list_items(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The parts of the `Options:` header that differ between languages.
pub struct HeaderStyle {
    /// The line that opens the block, ending in `Options:`.
    pub open: &'static str,
    /// The line that closes the block.
    pub close: &'static str,
    /// The line comment written before a default option.
    pub comment: &'static str,
}

/// Writes the `Options:` header: date, version, tip and base URL, then one line per option.
pub fn write_header(
    out: &mut String,
    style: &HeaderStyle,
    options: &NativeOptions,
    base_url: &str,
    generated_at: SystemTime,
) {
    let _ = writeln!(out, "{}", style.open);
    let _ = writeln!(out, "Date: {}", format_date(generated_at));
    let _ = writeln!(out, "Version: {SERVICESTACK_VERSION}");
    let _ = writeln!(
        out,
        "Tip: To override a DTO option, remove \"{}\" prefix before updating",
        style.comment
    );
    let _ = writeln!(out, "BaseUrl: {base_url}");
    out.push('\n');
    for (spec, given) in options.specs.iter().zip(&options.given) {
        match given {
            Some(value) => {
                let _ = writeln!(out, "{}: {value}", spec.key);
            }
            None => {
                let _ = writeln!(out, "{}{}: {}", style.comment, spec.key, spec.default);
            }
        }
    }
    let _ = writeln!(out, "{}", style.close);
}

/// Formats a time as `YYYY-MM-DD HH:MM:SS` in UTC, as the header's `Date:` line does.
pub fn format_date(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let days = (seconds / 86_400) as i64;
    let second_of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Converts days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The types to generate, in registry order.
///
/// With `IncludeTypes`, only the listed types: a plain name is that type alone, and `Name.*`
/// is the type (for an operation, its request and response) with every type they use. Then
/// the `ExcludeTypes` names are removed. A generic type may be written with .NET's arity
/// suffix, as in ``ListResponse`1``.
pub fn select_types<'r>(
    registry: &'r Registry,
    include: &[String],
    exclude: &[String],
) -> Vec<&'r TypeDef> {
    let mut included: Option<Vec<&'static str>> = None;
    for entry in include {
        let names = included.get_or_insert_with(Vec::new);
        match entry.strip_suffix(".*") {
            Some(name) => {
                let name = without_arity(name);
                let roots = match registry.operation(name) {
                    Some(operation) => vec![operation.request.clone(), operation.response.clone()],
                    None => registry
                        .get(name)
                        .map(|definition| vec![TypeRef::named(definition.name)])
                        .unwrap_or_default(),
                };
                for root in &roots {
                    collect_dependencies(registry, root, names);
                }
            }
            None => {
                if let Some(definition) = registry.get(without_arity(entry)) {
                    names.push(definition.name);
                }
            }
        }
    }
    let excluded: Vec<&str> = exclude.iter().map(|name| without_arity(name)).collect();
    registry
        .types()
        .filter(|definition| {
            included
                .as_ref()
                .is_none_or(|names| names.contains(&definition.name))
        })
        .filter(|definition| !excluded.contains(&definition.name))
        .collect()
}

fn without_arity(name: &str) -> &str {
    match name.split_once('`') {
        Some((base, arity)) if arity.chars().all(|c| c.is_ascii_digit()) => base,
        _ => name,
    }
}

/// Adds to `names` every registry type `type_ref` names and, depth-first, every type those use:
/// base classes, members, generic arguments and dictionary keys and values.
pub fn collect_dependencies(
    registry: &Registry,
    type_ref: &TypeRef,
    names: &mut Vec<&'static str>,
) {
    for name in type_ref.named_types() {
        if names.contains(&name) {
            continue;
        }
        names.push(name);
        let Some(definition) = registry.get(name) else {
            continue;
        };
        for used in used_types(definition) {
            collect_dependencies(registry, used, names);
        }
    }
}

/// The type references a definition is built from: its base, its members' types, and a
/// dictionary class's key and value.
pub fn used_types(definition: &TypeDef) -> Vec<&TypeRef> {
    match &definition.kind {
        TypeKind::Class { base, members } => base
            .iter()
            .chain(members.iter().map(|member| &member.type_ref))
            .collect(),
        TypeKind::Dictionary { key, value } => vec![key, value],
        TypeKind::Enum { .. } => Vec::new(),
    }
}

/// The HTTP methods of an operation's routes grouped by path, in the order they were
/// declared: `[("/auth", ["POST", "GET"])]`.
pub fn routes_by_path(routes: &[crate::host::Route]) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut grouped: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for route in routes {
        match grouped.iter_mut().find(|(path, _)| *path == route.path) {
            Some((_, methods)) => {
                if !methods.contains(&route.method) {
                    methods.push(route.method);
                }
            }
            None => grouped.push((route.path, vec![route.method])),
        }
    }
    grouped
}

/// The verb marker interface (`IGet`, `IPost`, ...) of an operation whose routes all use one
/// method, or `None` when they use several or one without a marker.
pub fn verb_marker(routes: &[crate::host::Route]) -> Option<&'static str> {
    let first = routes.first()?.method;
    if routes.iter().any(|route| route.method != first) {
        return None;
    }
    match first.to_ascii_uppercase().as_str() {
        "GET" => Some("IGet"),
        "POST" => Some("IPost"),
        "PUT" => Some("IPut"),
        "PATCH" => Some("IPatch"),
        "DELETE" => Some("IDelete"),
        _ => None,
    }
}

/// The JSON name ServiceStack's camelCase convention gives a .NET member name: the leading run
/// of capitals is lowered, except the last of them when a lowercase letter follows
/// (`UIHint` → `uiHint`, `Id` → `id`, `ID` → `id`).
pub fn dotnet_camel_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut leading = true;
    for (index, &c) in chars.iter().enumerate() {
        let next_is_upper = chars
            .get(index + 1)
            .is_none_or(|next| next.is_ascii_uppercase());
        if leading && c.is_ascii_uppercase() && (index == 0 || next_is_upper) {
            out.push(c.to_ascii_lowercase());
        } else {
            leading = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: [OptionSpec; 3] = [
        OptionSpec {
            key: "GlobalNamespace",
            default: "",
            kind: OptionKind::Text,
        },
        OptionSpec {
            key: "AddDescriptionAsComments",
            default: "True",
            kind: OptionKind::Flag,
        },
        OptionSpec {
            key: "IncludeTypes",
            default: "",
            kind: OptionKind::List,
        },
    ];

    #[test]
    fn options_read_from_query() {
        let options = NativeOptions::from_query(
            &SPECS,
            Some("includetypes=A.*,%20B&AddDescriptionAsComments=false&other=1"),
        )
        .unwrap();
        assert_eq!(options.given("IncludeTypes"), Some("A.*,B"));
        assert_eq!(options.list("IncludeTypes"), ["A.*", "B"]);
        assert!(!options.flag("AddDescriptionAsComments"));
        assert_eq!(options.given("GlobalNamespace"), None);
    }

    #[test]
    fn invalid_flag_rejected() {
        let error =
            NativeOptions::from_query(&SPECS, Some("AddDescriptionAsComments=maybe")).unwrap_err();
        assert_eq!(error.key, "AddDescriptionAsComments");
        assert_eq!(
            error.to_string(),
            "Invalid value \"maybe\" for option AddDescriptionAsComments: expected True or False."
        );
    }

    #[test]
    fn header_comments_defaults() {
        let options = NativeOptions::from_query(&SPECS, Some("IncludeTypes=A")).unwrap();
        let style = HeaderStyle {
            open: "/* Options:",
            close: "*/",
            comment: "//",
        };
        let mut out = String::new();
        write_header(&mut out, &style, &options, "http://h", UNIX_EPOCH);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "/* Options:");
        assert_eq!(lines[1], "Date: 1970-01-01 00:00:00");
        assert_eq!(
            lines[3],
            "Tip: To override a DTO option, remove \"//\" prefix before updating"
        );
        assert_eq!(lines[4], "BaseUrl: http://h");
        assert_eq!(lines[6], "//GlobalNamespace: ");
        assert_eq!(lines[7], "//AddDescriptionAsComments: True");
        assert_eq!(lines[8], "IncludeTypes: A");
        assert_eq!(lines[9], "*/");
    }

    #[test]
    fn date_formats_utc() {
        let time = UNIX_EPOCH + std::time::Duration::from_secs(1_709_251_199);
        assert_eq!(format_date(time), "2024-02-29 23:59:59");
    }

    #[test]
    fn camel_case_lowers_leading_capitals() {
        assert_eq!(dotnet_camel_case("UIHint"), "uiHint");
        assert_eq!(dotnet_camel_case("AccountId"), "accountId");
        assert_eq!(dotnet_camel_case("ID"), "id");
        assert_eq!(dotnet_camel_case("OAuth2"), "oAuth2");
    }
}

/// DTOs and a registry for the generators' tests: inheritance, a generic class, enums, a
/// named dictionary, recursive types and operations with one or several verbs.
#[cfg(test)]
pub(crate) mod fixtures {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use crate::host::Route;
    use crate::meta::{ApiType, OperationDef, Registry};

    /// A shape's colour.
    #[allow(dead_code)] // Only described, never constructed.
    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Shapes")]
    pub enum Colour {
        Red,
        #[serde(rename = "darkBlue")]
        DarkBlue,
    }

    /// The base class of stored things.
    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test")]
    #[serde(rename_all = "camelCase")]
    pub struct Entity {
        /// The id.
        pub id: Option<String>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Shapes", inherits = Entity)]
    #[serde(rename_all = "camelCase")]
    pub struct Shape {
        /// How many sides the shape has.
        pub sides: i32,
        pub colour: Option<Colour>,
        pub tags: Vec<String>,
        #[api(name = "LabelTwo")]
        #[serde(rename = "label2")]
        pub label: Option<String>,
        pub id: Option<String>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test")]
    #[serde(rename_all = "camelCase")]
    pub struct Page<T> {
        pub items: Vec<T>,
        pub total: i64,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test")]
    #[serde(rename_all = "camelCase")]
    pub struct Node {
        pub name: Option<String>,
        pub children: Option<Vec<Node>>,
        pub attributes: Option<Attributes>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test")]
    #[serde(transparent)]
    pub struct Attributes(BTreeMap<String, Node>);

    /// Creates a shape.
    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Shapes")]
    #[serde(rename_all = "camelCase")]
    pub struct NewShape {
        #[api(required)]
        pub name: Option<String>,
        pub colour: Option<Colour>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Shapes")]
    #[serde(rename_all = "camelCase")]
    pub struct ListShapes {
        pub page: Option<i32>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test.Shapes")]
    #[serde(rename_all = "camelCase")]
    pub struct DeleteShape {
        pub id: Option<String>,
    }

    #[derive(Serialize, ApiType)]
    #[api(namespace = "Test")]
    #[serde(rename_all = "camelCase")]
    pub struct GetTree {
        pub from: Option<String>,
    }

    fn add<Request: ApiType, Response: ApiType>(
        registry: &mut Registry,
        name: &'static str,
        routes: Vec<Route>,
    ) {
        let request = Request::describe(registry);
        let response = Response::describe(registry);
        registry.add_operation(OperationDef {
            name,
            request,
            response,
            routes,
            requires_authentication: true,
            required_roles: Vec::new(),
        });
    }

    fn route(method: &'static str, path: &'static str) -> Route {
        Route { method, path }
    }

    /// The registry of the fixture DTOs' four operations.
    pub fn registry() -> Registry {
        let mut registry = Registry::new();
        add::<NewShape, Shape>(&mut registry, "NewShape", vec![route("POST", "/shapes")]);
        add::<ListShapes, Page<Shape>>(&mut registry, "ListShapes", vec![route("GET", "/shapes")]);
        add::<DeleteShape, ()>(
            &mut registry,
            "DeleteShape",
            vec![route("DELETE", "/shapes/{Id}")],
        );
        add::<GetTree, Node>(
            &mut registry,
            "GetTree",
            vec![route("GET", "/tree"), route("POST", "/tree")],
        );
        registry
    }

    /// The options of `specs` read from `query`, which must be valid.
    pub fn options(specs: &'static [super::OptionSpec], query: &str) -> super::NativeOptions {
        super::NativeOptions::from_query(specs, Some(query)).expect("valid options")
    }
}
