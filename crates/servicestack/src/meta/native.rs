//! The parts the generated DTO sources (`/types/typescript`, `/types/python`, `/types/csharp`)
//! share: the options read from the query string, the `Options:` header that lists them, the
//! types a request selects, and the members the options add.
//!
//! ServiceStack's "Add ServiceStack Reference" tools fetch `{BaseUrl}/types/{language}`, require
//! `Options:` in the body, and update a file by sending its uncommented `Key: value` header lines
//! back as query parameters. So an option given in the query string is applied and written
//! uncommented, and every other option is written with its default behind the language's
//! line comment.

use std::fmt::Write as _;
use std::time::SystemTime;

use time::macros::format_description;
use time::OffsetDateTime;

use super::{OperationDef, Registry, TypeDef, TypeRef};
use crate::host::join_repeated;

/// The ServiceStack release written on the `Version:` line.
///
/// NOTE: the version is assumed, and the option names, order and defaults follow the headers
/// ServiceStack 8.x writes for each language. The client tools read only `Options:`, `BaseUrl:`
/// and the uncommented lines, so neither changes what they do.
pub const SERVICESTACK_VERSION: &str = "8.71";

/// The kind of an option's query value, which decides how it is checked.
#[derive(Clone, Copy, Debug)]
pub enum OptionKind {
    /// `True` or `False`, in any case.
    Flag,
    /// A whole number.
    Integer,
    /// A namespace: identifiers of ASCII letters, digits and `_` separated by dots, which is
    /// valid in C#, TypeScript and Python alike.
    Namespace,
    /// Free text, such as decorator arguments.
    Text,
    /// A comma-separated list.
    List,
    /// A comma-separated list whose items must each pass `valid_item`. `expected` describes a
    /// valid item in the error message.
    CheckedList {
        valid_item: fn(&str) -> bool,
        expected: &'static str,
    },
}

/// An option of a header: its name, its default as the header writes it, and its kind.
#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    pub key: &'static str,
    pub default: &'static str,
    pub kind: OptionKind,
}

/// Builds an [`OptionSpec`], so that option tables fit one option a line.
pub const fn option(key: &'static str, default: &'static str, kind: OptionKind) -> OptionSpec {
    OptionSpec { key, default, kind }
}

/// `GlobalNamespace`: the namespace the generated types are declared in.
pub const GLOBAL_NAMESPACE: OptionSpec = option("GlobalNamespace", "", OptionKind::Namespace);
/// `AddServiceStackTypes`: whether to declare the ServiceStack types the DTOs use.
pub const ADD_SERVICE_STACK_TYPES: OptionSpec =
    option("AddServiceStackTypes", "True", OptionKind::Flag);
/// `AddResponseStatus`: whether every response gets a `ResponseStatus` member, read by
/// [`added_members`].
pub const ADD_RESPONSE_STATUS: OptionSpec = option("AddResponseStatus", "False", OptionKind::Flag);
/// `AddImplicitVersion`: the `Version` every request gets, read by [`added_members`].
pub const ADD_IMPLICIT_VERSION: OptionSpec = option("AddImplicitVersion", "", OptionKind::Integer);
/// `AddDescriptionAsComments`: whether descriptions become comments.
pub const ADD_DESCRIPTION_AS_COMMENTS: OptionSpec =
    option("AddDescriptionAsComments", "True", OptionKind::Flag);
/// `IncludeTypes`: the [`TypePattern`]s of the types to generate, read by [`select_types`].
pub const INCLUDE_TYPES: OptionSpec = option("IncludeTypes", "", OptionKind::List);
/// `ExcludeTypes`: the [`TypePattern`]s of the types to leave out, read by [`select_types`].
pub const EXCLUDE_TYPES: OptionSpec = option("ExcludeTypes", "", OptionKind::List);

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
            "'{}' is not a valid value of the option {}; expected {}.",
            self.value, self.key, self.expected
        )
    }
}

impl std::error::Error for InvalidOption {}

/// Text that ends a header: the block comment of C# and TypeScript, the docstring of Python.
const HEADER_TERMINATORS: [&str; 2] = ["*/", "\"\"\""];

/// The options of one request: each given in the query string or left at its default.
#[derive(Clone, Debug)]
pub struct NativeOptions {
    specs: &'static [OptionSpec],
    /// The given values, by position in `specs`.
    given: Vec<Option<String>>,
}

impl NativeOptions {
    /// Reads the options from a query string, as [`NativeOptions::from_pairs`] does.
    pub fn from_query(
        specs: &'static [OptionSpec],
        query: Option<&str>,
    ) -> Result<NativeOptions, InvalidOption> {
        let pairs =
            join_repeated(form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned());
        NativeOptions::from_pairs(specs, &pairs)
    }

    /// Reads the options from query pairs whose repeated names are already joined with commas,
    /// as on the operation routes: two `IncludeTypes` add up, and a flag given twice is invalid.
    /// Keys match in any case; unknown keys and empty values are ignored.
    ///
    /// # Errors
    ///
    /// Returns [`InvalidOption`] for a value of the wrong kind, and for any value that would
    /// end the header or start a new line in it.
    pub fn from_pairs(
        specs: &'static [OptionSpec],
        pairs: &[(String, String)],
    ) -> Result<NativeOptions, InvalidOption> {
        let mut options = NativeOptions {
            specs,
            given: vec![None; specs.len()],
        };
        for (key, value) in pairs {
            let Some(index) = specs
                .iter()
                .position(|spec| spec.key.eq_ignore_ascii_case(key))
            else {
                continue;
            };
            let value = value.trim();
            if !value.is_empty() {
                options.given[index] = Some(checked_value(specs[index], value)?);
            }
        }
        Ok(options)
    }

    /// Returns the value given for `key`, if one was.
    pub fn given(&self, key: &str) -> Option<&str> {
        let index = self.index(key);
        self.given[index].as_deref()
    }

    /// Returns the value of `key`: the given one, or else the default.
    pub fn value(&self, key: &str) -> &str {
        let index = self.index(key);
        self.given[index]
            .as_deref()
            .unwrap_or(self.specs[index].default)
    }

    /// Returns whether the flag `key` is `True`.
    pub fn flag(&self, key: &str) -> bool {
        self.value(key) == "True"
    }

    /// Returns the items of the list option `key`.
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

/// Checks `value` against the option's kind and returns it as the header writes it: flags as
/// `True` or `False`, numbers without sign or leading zeros, lists without blank items.
fn checked_value(spec: OptionSpec, value: &str) -> Result<String, InvalidOption> {
    let invalid = |expected| InvalidOption {
        key: spec.key,
        value: value.to_owned(),
        expected,
    };
    // The value is written into the header, so nothing may end the header or a line, and no
    // backslash may start an escape inside Python's docstring.
    if value
        .chars()
        .any(|character| character.is_control() || character == '\\')
        || HEADER_TERMINATORS
            .iter()
            .any(|terminator| value.contains(terminator))
    {
        return Err(invalid(
            "text without control characters, backslashes, the comment end */ or three double \
             quotes",
        ));
    }
    match spec.kind {
        OptionKind::Flag if value.eq_ignore_ascii_case("true") => Ok("True".to_owned()),
        OptionKind::Flag if value.eq_ignore_ascii_case("false") => Ok("False".to_owned()),
        OptionKind::Flag => Err(invalid("True or False")),
        OptionKind::Integer => value
            .parse::<i64>()
            .map(|number| number.to_string())
            .map_err(|_| invalid("a whole number")),
        OptionKind::Namespace if value.split('.').all(is_identifier) => Ok(value.to_owned()),
        OptionKind::Namespace => Err(invalid("identifiers separated by dots")),
        OptionKind::Text => Ok(value.to_owned()),
        OptionKind::List => Ok(list_items(value).join(",")),
        OptionKind::CheckedList {
            valid_item,
            expected,
        } => {
            let items = list_items(value);
            if items.iter().all(|item| valid_item(item)) {
                Ok(items.join(","))
            } else {
                Err(invalid(expected))
            }
        }
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

/// Returns whether `text` is an identifier of ASCII letters, digits and `_` that does not start
/// with a digit, which C#, TypeScript and Python all accept.
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|next| next.is_ascii_alphanumeric() || next == '_')
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

/// The request's base URL and the time of generation, which the header shows.
#[derive(Clone, Copy, Debug)]
pub struct HeaderContext<'a> {
    /// `scheme://host` of the request, such as `http://127.0.0.1:5000`.
    pub base_url: &'a str,
    pub generated_at: SystemTime,
}

/// A DTO source generator: `typescript_dtos`, `python_dtos` or `csharp_dtos`.
pub type Generator = fn(&Registry, &NativeOptions, &HeaderContext<'_>) -> String;

/// Writes the `Options:` header: date, version, tip and base URL, then one line per option.
pub fn write_header(
    out: &mut String,
    style: &HeaderStyle,
    options: &NativeOptions,
    context: &HeaderContext<'_>,
) {
    let _ = writeln!(out, "{}", style.open);
    let _ = writeln!(out, "Date: {}", format_date(context.generated_at));
    let _ = writeln!(out, "Version: {SERVICESTACK_VERSION}");
    let _ = writeln!(
        out,
        "Tip: To override a DTO option, remove \"{}\" prefix before updating",
        style.comment
    );
    let _ = writeln!(out, "BaseUrl: {}", context.base_url);
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
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    OffsetDateTime::from(time)
        .format(&format)
        .unwrap_or_else(|_| "1970-01-01 00:00:00".to_owned())
}

/// An `IncludeTypes` or `ExcludeTypes` item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypePattern<'a> {
    /// `Name.*`: the type (for an operation, its request and response) and every type they
    /// use, dictionary classes such as `Struct` included.
    WithDependencies { name: &'a str, arity: Option<usize> },
    /// `Namespace/*`: every type in a .NET namespace.
    Namespace(&'a str),
    /// `Name`, or ``Name`1`` with .NET's generic arity.
    Name { name: &'a str, arity: Option<usize> },
}

impl<'a> TypePattern<'a> {
    /// Parses an item of `IncludeTypes` or `ExcludeTypes`.
    pub fn parse(item: &'a str) -> TypePattern<'a> {
        if let Some(namespace) = item.strip_suffix("/*") {
            return TypePattern::Namespace(namespace);
        }
        let (item, with_dependencies) = match item.strip_suffix(".*") {
            Some(name) => (name, true),
            None => (item, false),
        };
        let (name, arity) = match item.split_once('`') {
            // An arity that is not a number matches no type.
            Some((name, arity)) => (name, Some(arity.parse().unwrap_or(usize::MAX))),
            None => (item, None),
        };
        if with_dependencies {
            TypePattern::WithDependencies { name, arity }
        } else {
            TypePattern::Name { name, arity }
        }
    }

    /// Expands the pattern to the registry types it names.
    pub fn expand(self, registry: &Registry) -> Vec<&'static str> {
        let named = |name: &str, arity: Option<usize>| {
            registry.get(name).filter(|definition| {
                arity.is_none_or(|arity| arity == definition.generic_params.len())
            })
        };
        match self {
            TypePattern::WithDependencies { name, arity } => {
                let roots = match registry.operation(name).filter(|_| arity.is_none()) {
                    Some(operation) => vec![operation.request.clone(), operation.response.clone()],
                    None => named(name, arity)
                        .map(|definition| vec![TypeRef::named(definition.name)])
                        .unwrap_or_default(),
                };
                let mut names = Vec::new();
                for root in &roots {
                    registry.visit(root, &mut names);
                }
                names
            }
            TypePattern::Namespace(namespace) => registry
                .types()
                .filter(|definition| definition.namespace == Some(namespace))
                .map(|definition| definition.name)
                .collect(),
            TypePattern::Name { name, arity } => named(name, arity)
                .map(|definition| vec![definition.name])
                .unwrap_or_default(),
        }
    }

    /// Returns whether the pattern is the plain name `name` with that arity, the only form that can
    /// name a ServiceStack type outside the registry, such as `ResponseStatus`.
    pub fn is_name(self, name: &str, arity: usize) -> bool {
        match self {
            TypePattern::Name {
                name: pattern,
                arity: pattern_arity,
            } => pattern == name && pattern_arity.is_none_or(|expected| expected == arity),
            TypePattern::WithDependencies { .. } | TypePattern::Namespace(_) => false,
        }
    }
}

/// Selects the types to generate, in registry order.
///
/// With `IncludeTypes`, only the types its patterns name (see [`TypePattern`]); then the types
/// the `ExcludeTypes` patterns name are removed.
pub fn select_types<'r>(registry: &'r Registry, options: &NativeOptions) -> Vec<&'r TypeDef> {
    let expand = |key: &str| -> Vec<&'static str> {
        options
            .list(key)
            .iter()
            .flat_map(|item| TypePattern::parse(item).expand(registry))
            .collect()
    };
    let included = (!options.list("IncludeTypes").is_empty()).then(|| expand("IncludeTypes"));
    let excluded = expand("ExcludeTypes");
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

/// Returns the operation whose request `definition` is, if any.
pub fn request_operation<'r>(
    registry: &'r Registry,
    definition: &TypeDef,
) -> Option<&'r OperationDef> {
    registry.operations().iter().find(|operation| {
        matches!(&operation.request, TypeRef::Named { name, .. } if *name == definition.name)
    })
}

/// Returns whether some operation returns `definition`.
pub fn is_response(registry: &Registry, definition: &TypeDef) -> bool {
    registry.operations().iter().any(|operation| {
        matches!(&operation.response, TypeRef::Named { name, .. } if *name == definition.name)
    })
}

/// The members that `AddResponseStatus` and `AddImplicitVersion` add to a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddedMembers<'o> {
    /// Whether to add `ResponseStatus`: the class is a response without one.
    pub response_status: bool,
    /// The value of `Version` to add: the class is a request without one.
    pub version: Option<&'o str>,
}

/// Works out which members the options add to `definition`. A member is not added when the
/// class or a base already has one of that JSON name, in any case.
pub fn added_members<'o>(
    registry: &Registry,
    options: &'o NativeOptions,
    definition: &TypeDef,
) -> AddedMembers<'o> {
    let all = registry.all_members(definition, &[]);
    let has = |wire_name: &str| {
        all.iter()
            .any(|member| member.wire_name.eq_ignore_ascii_case(wire_name))
    };
    AddedMembers {
        response_status: options.flag("AddResponseStatus")
            && is_response(registry, definition)
            && !has("responseStatus"),
        version: options
            .given("AddImplicitVersion")
            .filter(|_| request_operation(registry, definition).is_some() && !has("version")),
    }
}

/// Writes `text` as a string literal between `quote`s, with backslash escapes for the quote,
/// backslashes and line breaks. C#, TypeScript and Python all read these escapes the same way.
pub fn quoted(text: &str, quote: char) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push(quote);
    for c in text.chars() {
        match c {
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            '\r' => literal.push_str("\\r"),
            c if c == quote => {
                literal.push('\\');
                literal.push(c);
            }
            c => literal.push(c),
        }
    }
    literal.push(quote);
    literal
}

/// Writes a named type with its generic arguments in angle brackets, as C# and TypeScript do:
/// `ListResponse<IntegrationInfo>`. `spell` writes each argument.
pub fn generic_name(name: &str, args: &[TypeRef], spell: impl Fn(&TypeRef) -> String) -> String {
    if args.is_empty() {
        return name.to_owned();
    }
    let args: Vec<String> = args.iter().map(spell).collect();
    format!("{name}<{}>", args.join(", "))
}

/// Returns the HTTP methods of an operation's routes grouped by path, in the order they were
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

/// The verb marker interfaces, in the order the TypeScript module declares them.
pub const VERB_MARKERS: [&str; 5] = ["IGet", "IPost", "IPut", "IDelete", "IPatch"];

/// Returns the verb marker interface (`IGet`, `IPost`, ...) of an operation whose routes all use
/// one method, or `None` when they use several or one without a marker.
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

/// Returns the JSON name ServiceStack's camelCase convention gives a .NET member name: the leading
/// run of capitals is lowered, except the last of them when a lowercase letter follows
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
    use std::time::UNIX_EPOCH;

    use crate::meta::csharp::{csharp_dtos, CSHARP_OPTIONS};
    use crate::meta::python::{python_dtos, PYTHON_OPTIONS};
    use crate::meta::typescript::{typescript_dtos, TYPESCRIPT_OPTIONS};

    // The TypeScript table has an option of every kind but `Text`.
    const SPECS: &[OptionSpec] = &TYPESCRIPT_OPTIONS;

    #[test]
    fn options_read_from_query() {
        let options = NativeOptions::from_query(
            SPECS,
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
            NativeOptions::from_query(SPECS, Some("AddDescriptionAsComments=maybe")).unwrap_err();
        assert_eq!(error.key, "AddDescriptionAsComments");
        assert_eq!(
            error.to_string(),
            "'maybe' is not a valid value of the option AddDescriptionAsComments; expected True \
             or False."
        );
    }

    #[test]
    fn header_comments_defaults() {
        let options = NativeOptions::from_query(SPECS, Some("IncludeTypes=A")).unwrap();
        let style = HeaderStyle {
            open: "/* Options:",
            close: "*/",
            comment: "//",
        };
        let mut out = String::new();
        let context = HeaderContext {
            base_url: "http://h",
            generated_at: UNIX_EPOCH,
        };
        write_header(&mut out, &style, &options, &context);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "/* Options:");
        assert_eq!(lines[1], "Date: 1970-01-01 00:00:00");
        assert_eq!(
            lines[3],
            "Tip: To override a DTO option, remove \"//\" prefix before updating"
        );
        assert_eq!(lines[4], "BaseUrl: http://h");
        assert_eq!(lines[6], "//GlobalNamespace: ");
        assert_eq!(lines[7], "//MakePropertiesOptional: True");
        assert_eq!(lines[11], "//AddDescriptionAsComments: True");
        assert_eq!(lines[12], "IncludeTypes: A");
        assert_eq!(lines[13], "//ExcludeTypes: ");
        assert_eq!(lines[14], "//DefaultImports: ");
        assert_eq!(lines[15], "*/");
    }

    #[test]
    fn invalid_values_rejected() {
        for query in [
            "AddImplicitVersion=one",
            "GlobalNamespace=a-b",
            "GlobalNamespace=a.",
            "GlobalNamespace=1a",
            "IncludeTypes=Item*/",
            "IncludeTypes=A%22%22%22",
            "IncludeTypes=A%0AB",
            "IncludeTypes=A%5Cx",
            "DefaultImports=zip",
        ] {
            assert!(
                NativeOptions::from_query(SPECS, Some(query)).is_err(),
                "{query} should be rejected"
            );
        }
    }

    #[test]
    fn repeated_options_join() {
        let options = NativeOptions::from_query(
            SPECS,
            Some("IncludeTypes=A&includeTypes=B.*&ExcludeTypes=C"),
        )
        .unwrap();
        assert_eq!(options.given("IncludeTypes"), Some("A,B.*"));
        assert_eq!(options.given("ExcludeTypes"), Some("C"));

        let flags = NativeOptions::from_query(
            SPECS,
            Some("AddResponseStatus=true&AddResponseStatus=false"),
        );
        assert!(flags.is_err(), "a flag given twice is ambiguous");
    }

    #[test]
    fn values_normalised() {
        let options = NativeOptions::from_query(
            SPECS,
            Some("AddImplicitVersion=%2B007&GlobalNamespace=My_App.v1&DefaultImports=a:b,,%20c:d"),
        )
        .unwrap();
        assert_eq!(options.given("AddImplicitVersion"), Some("7"));
        assert_eq!(options.given("GlobalNamespace"), Some("My_App.v1"));
        assert_eq!(options.given("DefaultImports"), Some("a:b,c:d"));
    }

    #[test]
    fn date_formats_utc() {
        let time = UNIX_EPOCH + std::time::Duration::from_secs(1_709_251_199);
        assert_eq!(format_date(time), "2024-02-29 23:59:59");
        assert_eq!(format_date(UNIX_EPOCH), "1970-01-01 00:00:00");
        assert_eq!(
            format_date(UNIX_EPOCH + std::time::Duration::from_secs(1_709_208_000)),
            "2024-02-29 12:00:00"
        );
        assert_eq!(
            format_date(UNIX_EPOCH + std::time::Duration::from_secs(951_868_799)),
            "2000-02-29 23:59:59"
        );
    }

    fn selected(include: &str, exclude: &str) -> Vec<&'static str> {
        let query = format!("IncludeTypes={include}&ExcludeTypes={exclude}");
        let options = NativeOptions::from_query(SPECS, Some(&query)).unwrap();
        let registry = fixtures::registry();
        let mut names: Vec<&'static str> = select_types(&registry, &options)
            .iter()
            .map(|definition| definition.name)
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn type_patterns_select() {
        assert_eq!(selected("Page`1,Colour", ""), ["Colour", "Page"]);
        assert_eq!(selected("Page`2,Colour", ""), ["Colour"]);
        assert_eq!(selected("Page`x", ""), Vec::<&str>::new());
        assert_eq!(selected("GetTree.*", ""), ["Attributes", "GetTree", "Node"]);
        assert_eq!(selected("Shape.*", ""), ["Colour", "Entity", "Shape"]);
        assert_eq!(
            selected("Test/*", "Page`1"),
            ["Attributes", "Entity", "GetTree", "Node"]
        );
        assert_eq!(
            selected("", "Test/*,NewShape.*"),
            ["DeleteShape", "ListShapes"]
        );
    }

    /// Returns the names of the registry types that a generated source declares, sorted.
    fn declared(registry: &Registry, source: &str) -> Vec<&'static str> {
        const PREFIXES: [&str; 5] = [
            "public partial class ",
            "public enum ",
            "export class ",
            "export enum ",
            "class ",
        ];
        let declares = |name: &str| {
            source.lines().map(str::trim_start).any(|line| {
                // A Python dictionary class is an alias: `Attributes = Dict[str, Node]`.
                line.starts_with(&format!("{name} = Dict["))
                    || PREFIXES
                        .iter()
                        .filter_map(|prefix| line.strip_prefix(prefix))
                        .any(|rest| rest.split(['<', '(', ':', ' ']).next() == Some(name))
            })
        };
        let mut names: Vec<&'static str> = registry
            .types()
            .map(|definition| definition.name)
            .filter(|name| declares(name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn generators_write_selected_types() {
        let generators: [(Generator, &'static [OptionSpec], &str, &str); 3] = [
            (typescript_dtos, &TYPESCRIPT_OPTIONS, "/* Options:", "//"),
            (python_dtos, &PYTHON_OPTIONS, "\"\"\" Options:", "#"),
            (csharp_dtos, &CSHARP_OPTIONS, "/* Options:", "//"),
        ];
        let registry = fixtures::registry();
        let cases: [(&str, Vec<&str>); 5] = [
            ("", selected("", "")),
            (
                "IncludeTypes=NewShape.*",
                vec!["Colour", "Entity", "NewShape", "Shape"],
            ),
            (
                "IncludeTypes=GetTree.*",
                vec!["Attributes", "GetTree", "Node"],
            ),
            ("IncludeTypes=Page`1,Colour", vec!["Colour", "Page"]),
            (
                "ExcludeTypes=Node,Attributes,GetTree",
                vec![
                    "Colour",
                    "DeleteShape",
                    "Entity",
                    "ListShapes",
                    "NewShape",
                    "Page",
                    "Shape",
                ],
            ),
        ];
        for (query, expected) in cases {
            for (generate, specs, open, comment) in generators {
                let source = fixtures::render(generate, specs, query);
                assert_eq!(
                    declared(&registry, &source),
                    expected,
                    "{query} in:\n{source}"
                );
                let lines: Vec<&str> = source.lines().collect();
                assert_eq!(lines[0], open);
                assert_eq!(lines[1], "Date: 2025-06-04 09:47:09");
                assert_eq!(lines[4], "BaseUrl: http://localhost:5000");
                match query.split_once('=') {
                    Some((key, value)) => {
                        fixtures::position(&source, &format!("{key}: {value}"));
                        assert!(
                            !source.contains(&format!("{comment}{key}")),
                            "{key} commented"
                        );
                    }
                    None => {
                        fixtures::position(&source, &format!("{comment}IncludeTypes: "));
                    }
                }
            }
        }
    }

    #[test]
    fn added_members_only_when_missing() {
        let registry = fixtures::registry();
        let options =
            NativeOptions::from_query(SPECS, Some("AddResponseStatus=true&AddImplicitVersion=2"))
                .unwrap();
        let shape = registry.get("Shape").unwrap();
        let added = added_members(&registry, &options, shape);
        assert!(added.response_status);
        assert_eq!(added.version, None);
        let new_shape = registry.get("NewShape").unwrap();
        let added = added_members(&registry, &options, new_shape);
        assert!(!added.response_status);
        assert_eq!(added.version, Some("2"));

        let defaults = NativeOptions::from_query(SPECS, None).unwrap();
        let added = added_members(&registry, &defaults, shape);
        assert!(!added.response_status);
        assert_eq!(added.version, None);
    }

    #[test]
    fn quoted_escapes_quote_and_breaks() {
        assert_eq!(quoted("a\"b'c", '"'), "\"a\\\"b'c\"");
        assert_eq!(quoted("a\"b'c", '\''), "'a\"b\\'c'");
        assert_eq!(quoted("x\\y\r\nz", '"'), "\"x\\\\y\\r\\nz\"");
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
    use std::time::{Duration, UNIX_EPOCH};

    use serde::Serialize;

    use super::{Generator, HeaderContext, NativeOptions, OptionSpec};
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

    /// Adds an operation from `Request` to `Response` that requires authentication.
    pub fn add<Request: ApiType, Response: ApiType>(
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
            response_may_be_empty: false,
            routes,
            requires_authentication: true,
            required_roles: Vec::new(),
        });
    }

    /// Builds a route of `method` on `path`.
    pub fn route(method: &'static str, path: &'static str) -> Route {
        Route { method, path }
    }

    /// Builds the registry of the fixture DTOs' four operations.
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

    /// Reads the options of `specs` from `query`, which must be valid.
    pub fn options(specs: &'static [OptionSpec], query: &str) -> NativeOptions {
        NativeOptions::from_query(specs, Some(query)).expect("valid options")
    }

    /// Renders `registry` with `generate` and the options of `specs` given in `query`, for the
    /// base URL `http://localhost:5000` at 2025-06-04 09:47:09 UTC.
    pub fn render_with(
        registry: &Registry,
        generate: Generator,
        specs: &'static [OptionSpec],
        query: &str,
    ) -> String {
        let context = HeaderContext {
            base_url: "http://localhost:5000",
            generated_at: UNIX_EPOCH + Duration::from_secs(1_749_030_429),
        };
        generate(registry, &options(specs, query), &context)
    }

    /// Renders the fixture registry, as [`render_with`] does.
    pub fn render(generate: Generator, specs: &'static [OptionSpec], query: &str) -> String {
        render_with(&registry(), generate, specs, query)
    }

    /// Returns the index of the first line of `source` equal to `line`.
    ///
    /// # Panics
    ///
    /// When there is no such line, with the source in the message.
    pub fn position(source: &str, line: &str) -> usize {
        source
            .lines()
            .position(|candidate| candidate == line)
            .unwrap_or_else(|| panic!("no line {line:?} in:\n{source}"))
    }
}
