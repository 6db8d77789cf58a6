//! The Python DTOs at `/types/python`, in the form of ServiceStack's "Add ServiceStack
//! Reference" for Python: one module of `dataclass_json` dataclasses and `str` enums that the
//! `servicestack` PyPI package's `JsonServiceClient` sends and reads.
//!
//! The client (checked against `servicestack` 0.1.15) sends a request to `/api/{ClassName}`,
//! takes the HTTP method from the `IGet`/`IPost`/... marker base (POST without one), finds the
//! response type in the `IReturn[T]` base, writes bodies with `dataclass_json` and reads
//! responses with its own converter, which matches JSON names to the snake_case field names.
//!
//! Types are written after the types they are built from, so most annotations are plain. A
//! member that refers to a type not defined above it (a recursive type such as `DataType` and
//! `DataField`) has its whole annotation quoted, which the client evaluates in the module when
//! it reads a response.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::native::{
    added_members, option, quoted, request_operation, routes_by_path, select_types, verb_marker,
    write_header, HeaderContext, HeaderStyle, NativeOptions, OptionKind, OptionSpec,
    ADD_DESCRIPTION_AS_COMMENTS, ADD_IMPLICIT_VERSION, ADD_RESPONSE_STATUS,
    ADD_SERVICE_STACK_TYPES, EXCLUDE_TYPES, GLOBAL_NAMESPACE, INCLUDE_TYPES,
};
use super::{Member, Primitive, Registry, TypeDef, TypeKind, TypeRef};

/// The imports the header lists by default, in `module:Name/Name` form.
const DEFAULT_IMPORTS: &str = "datetime,decimal,marshmallow.fields:*,servicestack:*,typing:*,\
dataclasses:dataclass/field,dataclasses_json:dataclass_json/LetterCase/Undefined/config,\
enum:Enum/IntEnum";

/// The options in the order the header lists them.
///
/// NOTE: `AddServiceStackTypes` is accepted and echoed only; ServiceStack's own types come from
/// the servicestack package.
pub static PYTHON_OPTIONS: [OptionSpec; 10] = [
    GLOBAL_NAMESPACE,
    ADD_SERVICE_STACK_TYPES,
    ADD_RESPONSE_STATUS,
    ADD_IMPLICIT_VERSION,
    ADD_DESCRIPTION_AS_COMMENTS,
    INCLUDE_TYPES,
    EXCLUDE_TYPES,
    option("DefaultImports", DEFAULT_IMPORTS, OptionKind::List),
    option("DataClass", "", OptionKind::Text),
    option("DataClassJson", "", OptionKind::Text),
];

const HEADER: HeaderStyle = HeaderStyle {
    open: "\"\"\" Options:",
    close: "\"\"\"",
    comment: "#",
};

/// The `dataclass_json` arguments used unless `DataClassJson` is given.
const DATACLASS_JSON_ARGUMENTS: &str = "letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE";

/// Names a field may not take: Python keywords, and the builtins that annotations in the same
/// class body name, which a field of that name would shadow.
const RESERVED: [&str; 39] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "str", "int", "float", "bool",
];

/// Renders the Python module for the registry's types that `options` select.
pub fn python_dtos(
    registry: &Registry,
    options: &NativeOptions,
    context: &HeaderContext<'_>,
) -> String {
    let mut out = String::new();
    write_header(&mut out, &HEADER, options, context);
    out.push('\n');
    if let Some(namespace) = options.given("GlobalNamespace") {
        let _ = writeln!(out, "# module {namespace}\n");
    }
    for import in options.list("DefaultImports") {
        let _ = writeln!(out, "{}", import_line(&import));
    }

    let selected = select_types(registry, options);
    let writer = Writer { registry, options };
    let mut defined = HashSet::new();
    for definition in writer.ordered(&selected) {
        out.push_str("\n\n");
        writer.write_type(&mut out, definition, &defined);
        defined.insert(definition.name);
    }
    out
}

/// Writes the import statement for one `DefaultImports` entry: `module`, `module:*` or
/// `module:Name/Name`.
fn import_line(entry: &str) -> String {
    match entry.split_once(':') {
        None => format!("import {entry}"),
        Some((module, names)) => {
            let names: Vec<&str> = names.split('/').collect();
            format!("from {module} import {}", names.join(", "))
        }
    }
}

struct Writer<'a> {
    registry: &'a Registry,
    options: &'a NativeOptions,
}

impl Writer<'_> {
    /// Orders the selected types so that each comes after the types Python evaluates when it
    /// defines it: base classes, generic arguments of bases, the response of a request, and the
    /// key and value of a dictionary alias. Where possible it also follows its members' types.
    fn ordered<'d>(&self, selected: &[&'d TypeDef]) -> Vec<&'d TypeDef> {
        let mut order = Vec::new();
        let mut on_stack = Vec::new();
        for definition in selected {
            self.visit(definition.name, selected, &mut on_stack, &mut order);
        }
        order
    }

    fn visit<'d>(
        &self,
        name: &'static str,
        selected: &[&'d TypeDef],
        on_stack: &mut Vec<&'static str>,
        order: &mut Vec<&'d TypeDef>,
    ) {
        if on_stack.contains(&name) || order.iter().any(|done| done.name == name) {
            return;
        }
        let Some(definition) = selected.iter().find(|definition| definition.name == name) else {
            return;
        };
        on_stack.push(name);
        for required in self.required_types(definition) {
            self.visit(required, selected, on_stack, order);
        }
        for member in definition.members() {
            for used in member.type_ref.named_types() {
                // Defining a member's type first is only a preference: skip it when that type
                // itself needs a type that is still being defined.
                if !self.requires_any(used, on_stack) {
                    self.visit(used, selected, on_stack, order);
                }
            }
        }
        on_stack.pop();
        order.push(definition);
    }

    /// Returns the types Python evaluates when it defines `definition`.
    fn required_types(&self, definition: &TypeDef) -> Vec<&'static str> {
        let mut names = Vec::new();
        match &definition.kind {
            TypeKind::Class { base, .. } => {
                if let Some(base) = base {
                    names.extend(base.named_types());
                }
                if let Some(operation) = request_operation(self.registry, definition) {
                    names.extend(operation.response.named_types());
                }
            }
            TypeKind::Dictionary { key, value } => {
                names.extend(key.named_types());
                names.extend(value.named_types());
            }
            TypeKind::Enum { .. } => {}
        }
        names
    }

    /// Returns whether defining `name` needs, directly or through its bases, one of `pending`.
    fn requires_any(&self, name: &'static str, pending: &[&'static str]) -> bool {
        let mut seen = vec![name];
        let mut index = 0;
        while index < seen.len() {
            let current = seen[index];
            index += 1;
            if current != name && pending.contains(&current) {
                return true;
            }
            if let Some(definition) = self.registry.get(current) {
                for required in self.required_types(definition) {
                    if !seen.contains(&required) {
                        seen.push(required);
                    }
                }
            }
        }
        false
    }

    fn write_type(&self, out: &mut String, definition: &TypeDef, defined: &HashSet<&str>) {
        match &definition.kind {
            TypeKind::Enum { values } => self.write_enum(out, definition, values),
            TypeKind::Dictionary { key, value } => {
                // The client converts the entries of `Dict[...]` members but would leave those of
                // a dict subclass as plain dicts, so a dictionary class becomes an alias.
                self.write_description_comment(out, definition.description);
                let params = definition.generic_params.as_slice();
                let _ = writeln!(
                    out,
                    "{} = Dict[{}, {}]",
                    definition.name,
                    python_type(key, params, &|_| false),
                    python_type(value, params, &|_| false)
                );
            }
            TypeKind::Class { base, members } => {
                self.write_class(out, definition, base.as_ref(), members, defined);
            }
        }
    }

    fn write_enum(&self, out: &mut String, definition: &TypeDef, values: &[&str]) {
        self.write_description_comment(out, definition.description);
        let _ = writeln!(out, "class {}(str, Enum):", definition.name);
        if values.is_empty() {
            out.push_str("    pass\n");
        }
        for value in values {
            let _ = writeln!(
                out,
                "    {} = {}",
                enum_member_name(value),
                python_string(value)
            );
        }
    }

    fn write_class(
        &self,
        out: &mut String,
        definition: &TypeDef,
        base: Option<&TypeRef>,
        members: &[Member],
        defined: &HashSet<&str>,
    ) {
        let params = definition.generic_params.as_slice();
        let is_defined = |name: &str| defined.contains(name) || params.contains(&name);
        let quote_undefined = |name: &str| !is_defined(name);
        let operation = request_operation(self.registry, definition);
        let describe = self.options.flag("AddDescriptionAsComments");

        if !params.is_empty() {
            for param in params {
                let _ = writeln!(out, "{param} = TypeVar('{param}')");
            }
            out.push_str("\n\n");
        }
        if let Some(operation) = operation {
            for (path, methods) in routes_by_path(&operation.routes) {
                let _ = writeln!(
                    out,
                    "# @Route({}, {})",
                    python_double_quoted(path),
                    python_double_quoted(&methods.join(","))
                );
            }
        }
        if describe {
            if let Some(description) = definition.description {
                let _ = writeln!(
                    out,
                    "# @Api(Description={})",
                    python_double_quoted(description)
                );
            }
        }
        let _ = writeln!(
            out,
            "@dataclass_json({})",
            self.options
                .given("DataClassJson")
                .unwrap_or(DATACLASS_JSON_ARGUMENTS)
        );
        match self.options.given("DataClass") {
            Some(arguments) => {
                let _ = writeln!(out, "@dataclass({arguments})");
            }
            None => out.push_str("@dataclass\n"),
        }

        let mut bases = Vec::new();
        if !params.is_empty() {
            bases.push(format!("Generic[{}]", params.join(", ")));
        }
        if let Some(base) = base {
            bases.push(python_type(base, params, &quote_undefined));
        }
        if let Some(operation) = operation {
            match &operation.response {
                TypeRef::Void => bases.push("IReturnVoid".to_owned()),
                response => bases.push(format!(
                    "IReturn[{}]",
                    python_type(response, &[], &quote_undefined)
                )),
            }
            if let Some(marker) = verb_marker(&operation.routes) {
                bases.push(marker.to_owned());
            }
        }
        if bases.is_empty() {
            let _ = writeln!(out, "class {}:", definition.name);
        } else {
            let _ = writeln!(out, "class {}({}):", definition.name, bases.join(", "));
        }

        let mut body = String::new();
        if describe {
            if let Some(description) = definition.description {
                write_docstring(&mut body, description);
                body.push('\n');
            }
        }
        for member in members {
            self.write_member(&mut body, member, params, &is_defined);
        }
        self.write_added_members(&mut body, definition);
        if body.trim().is_empty() {
            body = "    pass\n".to_owned();
        }
        out.push_str(body.trim_end_matches('\n'));
        out.push('\n');
    }

    fn write_member(
        &self,
        out: &mut String,
        member: &Member,
        params: &[&str],
        is_defined: &dyn Fn(&str) -> bool,
    ) {
        let describe = self.options.flag("AddDescriptionAsComments");
        let description = member.description.filter(|_| describe);
        let mut attributes = Vec::new();
        if let Some(description) = description {
            attributes.push(format!("Description={}", python_double_quoted(description)));
        }
        if member.required {
            attributes.push("IsRequired=true".to_owned());
        }
        if !attributes.is_empty() {
            let _ = writeln!(out, "    # @ApiMember({})", attributes.join(", "));
        }

        let (annotation, default) = member_annotation(&member.type_ref, params);
        let forward = member
            .type_ref
            .named_types()
            .iter()
            .any(|name| !is_defined(name));
        let annotation = if forward {
            python_string(&annotation)
        } else {
            annotation
        };
        let (field_name, renamed) = field_name(member.wire_name);
        if renamed {
            let _ = writeln!(
                out,
                "    {field_name}: {annotation} = field(metadata=config(field_name={}), default={default})",
                python_string(member.wire_name)
            );
        } else {
            let _ = writeln!(out, "    {field_name}: {annotation} = {default}");
        }
        if let Some(description) = description {
            write_docstring(out, description);
        }
        if !attributes.is_empty() {
            out.push('\n');
        }
    }

    /// Writes the members that `AddResponseStatus` and `AddImplicitVersion` add.
    fn write_added_members(&self, out: &mut String, definition: &TypeDef) {
        let added = added_members(self.registry, self.options, definition);
        if added.response_status {
            out.push_str("    response_status: Optional[ResponseStatus] = None\n");
        }
        if let Some(version) = added.version {
            let _ = writeln!(out, "    version: int = {version}");
        }
    }

    fn write_description_comment(&self, out: &mut String, description: Option<&str>) {
        if !self.options.flag("AddDescriptionAsComments") {
            return;
        }
        if let Some(description) = description {
            for line in description.lines() {
                let _ = writeln!(out, "# {line}");
            }
        }
    }
}

/// Writes a type as a Python annotation, with the named types that `quote` selects written as
/// string forward references (`IReturn["DataType"]`).
fn python_type(type_ref: &TypeRef, params: &[&str], quote: &dyn Fn(&str) -> bool) -> String {
    match type_ref {
        TypeRef::Primitive(primitive) => python_primitive(*primitive).to_owned(),
        TypeRef::Nullable(inner) => format!("Optional[{}]", python_type(inner, params, quote)),
        TypeRef::List(item) => format!("List[{}]", python_type(item, params, quote)),
        TypeRef::Dictionary(key, value) => format!(
            "Dict[{}, {}]",
            python_type(key, params, quote),
            python_type(value, params, quote)
        ),
        TypeRef::Named { name, args } => {
            let name = if quote(name) {
                python_double_quoted(name)
            } else {
                (*name).to_owned()
            };
            if args.is_empty() {
                name
            } else {
                let args: Vec<String> = args
                    .iter()
                    .map(|arg| python_type(arg, params, quote))
                    .collect();
                format!("{name}[{}]", args.join(", "))
            }
        }
        TypeRef::Param(index) => params.get(*index).copied().unwrap_or("Any").to_owned(),
        TypeRef::Void => "None".to_owned(),
    }
}

fn python_primitive(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String => "str",
        Primitive::Bool => "bool",
        Primitive::Int | Primitive::Long => "int",
        Primitive::Double => "float",
    }
}

/// Returns a member's annotation and default: value types that cannot be missing default to their
/// zero value, everything else is `Optional` and defaults to `None`.
fn member_annotation(type_ref: &TypeRef, params: &[&str]) -> (String, &'static str) {
    let plain = |type_ref: &TypeRef| python_type(type_ref, params, &|_| false);
    match type_ref {
        TypeRef::Primitive(Primitive::Bool) => ("bool".to_owned(), "False"),
        TypeRef::Primitive(Primitive::Int | Primitive::Long) => ("int".to_owned(), "0"),
        TypeRef::Primitive(Primitive::Double) => ("float".to_owned(), "0.0"),
        TypeRef::Nullable(inner) => (format!("Optional[{}]", plain(inner)), "None"),
        other => (format!("Optional[{}]", plain(other)), "None"),
    }
}

/// Returns the field name for a JSON member name, and whether the field needs
/// `config(field_name=...)` because the client's camelCase of the field name would not give the
/// JSON name back.
fn field_name(wire_name: &str) -> (String, bool) {
    let snake = snake_case(wire_name);
    if RESERVED.contains(&snake.as_str()) {
        return (format!("{snake}_"), true);
    }
    if camel_case(&snake) == wire_name {
        return (snake, false);
    }
    let mut name: String = wire_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) || RESERVED.contains(&name.as_str()) {
        name.push('_');
    }
    (name, true)
}

/// `accountId` → `account_id`, `uiHint` → `ui_hint`, `oAuth2` → `o_auth2`: an underscore
/// before each capital that ends a lowercase run or starts a word after an acronym.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            let previous = chars[index - 1];
            let next_is_lower = chars
                .get(index + 1)
                .is_some_and(|next| next.is_ascii_lowercase());
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Returns the camelCase that `dataclasses_json` (`LetterCase.CAMEL`) and the `servicestack` client
/// give a snake_case field name: the first letter lowered and each `_x` made `X`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut chars = snake.chars().peekable();
    if let Some(first) = chars.next() {
        out.push(first.to_ascii_lowercase());
    }
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(next) if c == '_' && next.is_ascii_lowercase() => {
                out.push(next.to_ascii_uppercase());
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// Returns an enum member's name: its value in upper snake case, `HostedSuite` → `HOSTED_SUITE`, as
/// the client's own lookup (`uppercase(snakecase(value))`) spells it.
fn enum_member_name(value: &str) -> String {
    let mut out = String::new();
    for (index, c) in value.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            out.push('_');
        }
        out.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else {
            '_'
        });
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Quotes text as a single-quoted Python string literal.
fn python_string(text: &str) -> String {
    quoted(text, '\'')
}

/// Quotes text as a double-quoted Python string literal, as the attribute comments write them.
fn python_double_quoted(text: &str) -> String {
    quoted(text, '"')
}

/// Writes an indented docstring; backslashes and quotes that would end it early are escaped.
fn write_docstring(out: &mut String, text: &str) {
    let text = text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    out.push_str("    \"\"\"\n");
    for line in text.lines() {
        let _ = writeln!(out, "    {line}");
    }
    out.push_str("    \"\"\"\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::native::fixtures::position;

    fn render(query: &str) -> String {
        crate::meta::native::fixtures::render(python_dtos, &PYTHON_OPTIONS, query)
    }

    /// Returns the classes and aliases the module defines, in order.
    fn defined(source: &str) -> Vec<&str> {
        source
            .lines()
            .filter_map(|line| {
                line.strip_prefix("class ")
                    .map(|rest| rest.split(['(', ':']).next().unwrap_or(rest))
                    .or_else(|| line.split_once(" = Dict[").map(|(name, _)| name))
            })
            .collect()
    }

    #[test]
    fn header_lists_defaults_commented() {
        let source = render("");
        let lines: Vec<&str> = source.lines().collect();
        assert!(lines.contains(&"#AddDescriptionAsComments: True"));
        assert!(lines.contains(
            &"from dataclasses_json import dataclass_json, LetterCase, Undefined, config"
        ));
    }

    #[test]
    fn requests_carry_markers_and_routes() {
        let source = render("");
        let new_shape = position(&source, "class NewShape(IReturn[Shape], IPost):");
        assert_eq!(
            source.lines().nth(new_shape - 4),
            Some("# @Route(\"/shapes\", \"POST\")")
        );
        position(&source, "class ListShapes(IReturn[Page[Shape]], IGet):");
        position(&source, "class DeleteShape(IReturnVoid, IDelete):");
        position(&source, "# @Route(\"/tree\", \"GET,POST\")");
        position(&source, "class GetTree(IReturn[Node]):");
        position(&source, "    # @ApiMember(IsRequired=true)");
    }

    #[test]
    fn inheritance_enums_and_members() {
        let source = render("");
        position(&source, "class Shape(Entity):");
        position(&source, "class Colour(str, Enum):");
        position(&source, "    RED = 'Red'");
        position(&source, "    DARK_BLUE = 'darkBlue'");
        position(&source, "    sides: int = 0");
        position(&source, "    colour: Optional[Colour] = None");
        position(&source, "    tags: Optional[List[str]] = None");
        position(&source, "    label2: Optional[str] = None");
        position(
            &source,
            "    # @ApiMember(Description=\"How many sides the shape has\")",
        );
        position(
            &source,
            "    from_: Optional[str] = field(metadata=config(field_name='from'), default=None)",
        );
        assert!(position(&source, "class Entity:") < position(&source, "class Shape(Entity):"));
    }

    #[test]
    fn generic_class_declares_type_var() {
        let source = render("");
        let class = position(&source, "class Page(Generic[T]):");
        assert_eq!(source.lines().nth(class - 5), Some("T = TypeVar('T')"));
        position(&source, "    items: Optional[List[T]] = None");
        position(&source, "    total: int = 0");
    }

    #[test]
    fn recursive_types_quote_forward_references() {
        let source = render("");
        let node = position(&source, "class Node:");
        let alias = position(&source, "Attributes = Dict[str, Node]");
        assert!(node < alias);
        position(&source, "    children: 'Optional[List[Node]]' = None");
        position(&source, "    attributes: 'Optional[Attributes]' = None");
        assert!(source.contains("class GetTree(IReturn[Node]):"));
    }

    #[test]
    fn exclude_types_removes_names() {
        let source = render("ExcludeTypes=Colour,ListShapes");
        assert!(source
            .lines()
            .any(|line| line == "ExcludeTypes: Colour,ListShapes"));
        let names = defined(&source);
        assert!(!names.contains(&"Colour"));
        assert!(!names.contains(&"ListShapes"));
        assert!(names.contains(&"Shape"));
        // A member whose type is left out is quoted, so the module still imports.
        position(&source, "    colour: 'Optional[Colour]' = None");
    }

    #[test]
    fn options_change_decorators_and_members() {
        let source = render(
            "DataClass=init%3DFalse&DataClassJson=letter_case%3DLetterCase.PASCAL\
             &AddResponseStatus=true&AddImplicitVersion=3&AddDescriptionAsComments=false\
             &GlobalNamespace=shapes&DefaultImports=typing:*,enum:Enum",
        );
        position(&source, "@dataclass(init=False)");
        position(&source, "@dataclass_json(letter_case=LetterCase.PASCAL)");
        position(&source, "# module shapes");
        position(&source, "from typing import *");
        position(&source, "from enum import Enum");
        assert!(!source.contains("import datetime"));
        assert!(!source.contains("@ApiMember(Description"));
        let shape = position(&source, "class Shape(Entity):");
        let shape_body: Vec<&str> = source.lines().skip(shape).take(7).collect();
        assert!(shape_body.contains(&"    response_status: Optional[ResponseStatus] = None"));
        let new_shape = position(&source, "class NewShape(IReturn[Shape], IPost):");
        let new_shape_body: Vec<&str> = source.lines().skip(new_shape).take(8).collect();
        assert!(new_shape_body.contains(&"    version: int = 3"));
    }

    #[test]
    fn field_names_round_trip() {
        assert_eq!(field_name("uiHint"), ("ui_hint".to_owned(), false));
        assert_eq!(field_name("accountId"), ("account_id".to_owned(), false));
        assert_eq!(field_name("oAuth2"), ("o_auth2".to_owned(), false));
        assert_eq!(field_name("ID"), ("ID".to_owned(), true));
        assert_eq!(field_name("str"), ("str_".to_owned(), true));
        assert_eq!(enum_member_name("OK"), "O_K");
        assert_eq!(enum_member_name("HostedSuite"), "HOSTED_SUITE");
    }
}
