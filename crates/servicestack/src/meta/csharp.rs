//! The C# DTOs at `/types/csharp`, in the form of ServiceStack's "Add ServiceStack Reference"
//! for C#. The registry's classes and enums sit in their .NET namespaces, with `[Route]` and
//! `[Api]` attributes. The `IReturn<T>` and verb markers let ServiceStack's C# service clients
//! pick the response type and the HTTP method.
//!
//! Within a namespace, types are sorted by name, as ServiceStack writes them. A class gets
//! `[DataContract]` and its members `[DataMember]` when `AddDataContractAttributes` asks for
//! them, or when a member's JSON name is not the camelCase of its .NET name, so that the
//! `Name=` alias carries the JSON name.

use std::fmt::Write as _;

use super::native::{
    added_members, dotnet_camel_case, generic_name, option, quoted, request_operation,
    routes_by_path, select_types, verb_marker, write_header, HeaderContext, HeaderStyle,
    NativeOptions, OptionKind, OptionSpec, ADD_DESCRIPTION_AS_COMMENTS, ADD_IMPLICIT_VERSION,
    ADD_RESPONSE_STATUS, EXCLUDE_TYPES, GLOBAL_NAMESPACE, INCLUDE_TYPES, SERVICESTACK_VERSION,
};
use super::{Member, OperationDef, Registry, TypeDef, TypeKind, TypeRef};

/// The options in the order the header lists them.
///
/// NOTE: `MakeDataContractsExtensible`, `AddNullableAnnotations`, `ExportValueTypes` and
/// `AddDefaultXmlNamespace` are accepted and echoed but do not change the output.
pub static CSHARP_OPTIONS: [OptionSpec; 19] = [
    GLOBAL_NAMESPACE,
    option("MakePartial", "True", OptionKind::Flag),
    option("MakeVirtual", "True", OptionKind::Flag),
    option("MakeInternal", "False", OptionKind::Flag),
    option("MakeDataContractsExtensible", "False", OptionKind::Flag),
    option("AddNullableAnnotations", "False", OptionKind::Flag),
    option("AddReturnMarker", "True", OptionKind::Flag),
    ADD_DESCRIPTION_AS_COMMENTS,
    option("AddDataContractAttributes", "False", OptionKind::Flag),
    option("AddIndexesToDataMembers", "False", OptionKind::Flag),
    option("AddGeneratedCodeAttributes", "False", OptionKind::Flag),
    ADD_RESPONSE_STATUS,
    ADD_IMPLICIT_VERSION,
    option("InitializeCollections", "True", OptionKind::Flag),
    option("ExportValueTypes", "False", OptionKind::Flag),
    INCLUDE_TYPES,
    EXCLUDE_TYPES,
    option("AddNamespaces", "", OptionKind::List),
    option(
        "AddDefaultXmlNamespace",
        "http://schemas.servicestack.net/types",
        OptionKind::Text,
    ),
];

const HEADER: HeaderStyle = HeaderStyle {
    open: "/* Options:",
    close: "*/",
    comment: "//",
};

/// The namespaces every file imports, before the DTOs' own.
const USINGS: [&str; 6] = [
    "System",
    "System.Collections",
    "System.Collections.Generic",
    "System.Runtime.Serialization",
    "ServiceStack",
    "ServiceStack.DataAnnotations",
];

/// Renders the C# source for the registry's types that `options` select.
pub fn csharp_dtos(
    registry: &Registry,
    options: &NativeOptions,
    context: &HeaderContext<'_>,
) -> String {
    let mut out = String::new();
    write_header(&mut out, &HEADER, options, context);
    out.push('\n');

    let selected = select_types(registry, options);
    let global = options.given("GlobalNamespace");
    let mut namespaces: Vec<Option<&str>> = Vec::new();
    for definition in &selected {
        let namespace = global.or(definition.namespace);
        if !namespaces.contains(&namespace) {
            namespaces.push(namespace);
        }
    }
    namespaces.sort();

    let mut usings: Vec<String> = USINGS.iter().map(|using| (*using).to_owned()).collect();
    if options.flag("AddGeneratedCodeAttributes") {
        usings.push("System.CodeDom.Compiler".to_owned());
    }
    usings.extend(options.list("AddNamespaces"));
    usings.extend(namespaces.iter().flatten().map(|name| (*name).to_owned()));
    let mut seen = Vec::new();
    for using in usings {
        if !seen.contains(&using) {
            let _ = writeln!(out, "using {using};");
            seen.push(using);
        }
    }

    let writer = Writer { registry, options };
    for namespace in namespaces {
        let mut types: Vec<&TypeDef> = selected
            .iter()
            .copied()
            .filter(|definition| global.or(definition.namespace) == namespace)
            .collect();
        types.sort_by_key(|definition| definition.name);
        let mut body = String::new();
        for definition in types {
            writer.write_type(&mut body, definition);
        }
        out.push('\n');
        match namespace {
            Some(namespace) => {
                let _ = writeln!(out, "namespace {namespace}\n{{");
                out.push_str(body.trim_end_matches('\n'));
                out.push_str("\n}\n");
            }
            // Types without a namespace are declared in the global namespace, unindented.
            None => {
                for line in body.lines() {
                    let _ = writeln!(out, "{}", line.strip_prefix("    ").unwrap_or(line));
                }
            }
        }
    }
    out
}

struct Writer<'a> {
    registry: &'a Registry,
    options: &'a NativeOptions,
}

impl Writer<'_> {
    fn write_type(&self, out: &mut String, definition: &TypeDef) {
        if !out.is_empty() {
            out.push('\n');
        }
        self.write_summary(out, "    ", definition.description);
        match &definition.kind {
            TypeKind::Enum { values } => self.write_enum(out, definition, values),
            TypeKind::Dictionary { key, value } => {
                let params = definition.generic_params.as_slice();
                let base = format!(
                    "Dictionary<{}, {}>",
                    csharp_type(key, params),
                    csharp_type(value, params)
                );
                let _ = writeln!(
                    out,
                    "    {}\n        : {base}\n    {{\n    }}",
                    self.class_declaration(definition)
                );
            }
            TypeKind::Class { base, members } => {
                self.write_class(out, definition, base.as_ref(), members);
            }
        }
    }

    fn write_enum(&self, out: &mut String, definition: &TypeDef, values: &[&str]) {
        let visibility = self.visibility();
        let _ = writeln!(out, "    {visibility} enum {}\n    {{", definition.name);
        for value in values {
            let name = identifier(value);
            if name != *value {
                let _ = writeln!(out, "        [EnumMember(Value={})]", csharp_string(value));
            }
            let _ = writeln!(out, "        {name},");
        }
        out.push_str("    }\n");
    }

    fn write_class(
        &self,
        out: &mut String,
        definition: &TypeDef,
        base: Option<&TypeRef>,
        members: &[Member],
    ) {
        let params = definition.generic_params.as_slice();
        let operation = request_operation(self.registry, definition);
        let data_contract = self.options.flag("AddDataContractAttributes")
            || members
                .iter()
                .any(|member| dotnet_camel_case(member.name) != member.wire_name);

        if let Some(operation) = operation {
            for (path, methods) in routes_by_path(&operation.routes) {
                let _ = writeln!(
                    out,
                    "    [Route({}, {})]",
                    csharp_string(path),
                    csharp_string(&methods.join(","))
                );
            }
        }
        if let Some(description) = definition.description {
            let _ = writeln!(out, "    [Api(Description={})]", csharp_string(description));
        }
        if self.options.flag("AddGeneratedCodeAttributes") {
            let _ = writeln!(
                out,
                "    [GeneratedCode(\"AddServiceStackReference\", \"{SERVICESTACK_VERSION}\")]"
            );
        }
        if data_contract {
            out.push_str("    [DataContract]\n");
        }
        let _ = writeln!(out, "    {}", self.class_declaration(definition));

        let mut bases = Vec::new();
        if let Some(base) = base {
            bases.push(csharp_type(base, params));
        }
        if let Some(operation) = operation {
            if self.options.flag("AddReturnMarker") {
                match &operation.response {
                    TypeRef::Void => bases.push("IReturnVoid".to_owned()),
                    response => bases.push(format!("IReturn<{}>", csharp_type(response, &[]))),
                }
            }
            if let Some(marker) = verb_marker(&operation.routes) {
                bases.push(marker.to_owned());
            }
        }
        if !bases.is_empty() {
            let _ = writeln!(out, "        : {}", bases.join(", "));
        }
        out.push_str("    {\n");

        let mut body = String::new();
        self.write_constructor(&mut body, definition, members, params, operation);
        let virtual_keyword = if self.options.flag("MakeVirtual") {
            "virtual "
        } else {
            ""
        };
        for (index, member) in members.iter().enumerate() {
            let mut attributes = Vec::new();
            if data_contract {
                attributes.push(self.data_member(member, index));
            }
            let mut api_member = Vec::new();
            if let Some(description) = member.description {
                api_member.push(format!("Description={}", csharp_string(description)));
            }
            if member.required {
                api_member.push("IsRequired=true".to_owned());
            }
            if !api_member.is_empty() {
                attributes.push(format!("[ApiMember({})]", api_member.join(", ")));
            }

            self.write_summary(&mut body, "        ", member.description);
            for attribute in &attributes {
                let _ = writeln!(body, "        {attribute}");
            }
            let _ = writeln!(
                body,
                "        public {virtual_keyword}{} {} {{ get; set; }}",
                csharp_type(&member.type_ref, params),
                member.name
            );
            if !attributes.is_empty() || member.description.is_some() {
                body.push('\n');
            }
        }
        let data_member = if data_contract {
            "[DataMember]\n        "
        } else {
            ""
        };
        self.write_added_members(&mut body, definition, virtual_keyword, data_member);
        out.push_str(body.trim_end_matches('\n'));
        if !body.trim().is_empty() {
            out.push('\n');
        }
        out.push_str("    }\n");
    }

    /// Returns the constructor that `InitializeCollections` and `AddImplicitVersion` ask for, if
    /// any member needs a value.
    fn write_constructor(
        &self,
        out: &mut String,
        definition: &TypeDef,
        members: &[Member],
        params: &[&str],
        operation: Option<&OperationDef>,
    ) {
        let mut assignments = Vec::new();
        if self.options.flag("InitializeCollections") {
            for member in members {
                if matches!(member.type_ref, TypeRef::List(_) | TypeRef::Dictionary(..)) {
                    assignments.push(format!(
                        "{} = new {}{{}};",
                        member.name,
                        csharp_type(&member.type_ref, params)
                    ));
                }
            }
        }
        if let (Some(version), Some(_)) = (self.options.given("AddImplicitVersion"), operation) {
            assignments.push(format!("Version = {version};"));
        }
        if assignments.is_empty() {
            return;
        }
        let _ = writeln!(out, "        public {}()\n        {{", definition.name);
        for assignment in assignments {
            let _ = writeln!(out, "            {assignment}");
        }
        out.push_str("        }\n\n");
    }

    /// Writes the members that `AddResponseStatus` and `AddImplicitVersion` add.
    fn write_added_members(
        &self,
        out: &mut String,
        definition: &TypeDef,
        virtual_keyword: &str,
        data_member: &str,
    ) {
        let added = added_members(self.registry, self.options, definition);
        if added.response_status {
            let _ = writeln!(
                out,
                "        {data_member}public {virtual_keyword}ResponseStatus ResponseStatus {{ get; set; }}"
            );
        }
        if added.version.is_some() {
            let _ = writeln!(
                out,
                "        {data_member}public {virtual_keyword}int Version {{ get; set; }}"
            );
        }
    }

    fn data_member(&self, member: &Member, index: usize) -> String {
        let mut arguments = Vec::new();
        if dotnet_camel_case(member.name) != member.wire_name {
            arguments.push(format!("Name={}", csharp_string(member.wire_name)));
        }
        if self.options.flag("AddIndexesToDataMembers") {
            arguments.push(format!("Order={}", index + 1));
        }
        if arguments.is_empty() {
            "[DataMember]".to_owned()
        } else {
            format!("[DataMember({})]", arguments.join(", "))
        }
    }

    /// `public partial class ListResponse<T>`, as the options make it.
    fn class_declaration(&self, definition: &TypeDef) -> String {
        let partial = if self.options.flag("MakePartial") {
            "partial "
        } else {
            ""
        };
        format!(
            "{} {partial}class {}",
            self.visibility(),
            definition.display_name()
        )
    }

    fn visibility(&self) -> &'static str {
        if self.options.flag("MakeInternal") {
            "internal"
        } else {
            "public"
        }
    }

    fn write_summary(&self, out: &mut String, indent: &str, description: Option<&str>) {
        if !self.options.flag("AddDescriptionAsComments") {
            return;
        }
        let Some(description) = description else {
            return;
        };
        let _ = writeln!(out, "{indent}///<summary>");
        for line in description.lines() {
            let _ = writeln!(out, "{indent}///{}", xml_text(line));
        }
        let _ = writeln!(out, "{indent}///</summary>");
    }
}

/// Spells a type in C# syntax, as the generated files write it: `Dictionary<string, Value>`.
fn csharp_type(type_ref: &TypeRef, params: &[&str]) -> String {
    match type_ref {
        TypeRef::Primitive(primitive) => primitive.csharp_name().to_owned(),
        TypeRef::Nullable(inner) => format!("{}?", csharp_type(inner, params)),
        TypeRef::List(item) => format!("List<{}>", csharp_type(item, params)),
        TypeRef::Dictionary(key, value) => format!(
            "Dictionary<{}, {}>",
            csharp_type(key, params),
            csharp_type(value, params)
        ),
        TypeRef::Named { name, args } => generic_name(name, args, |arg| csharp_type(arg, params)),
        TypeRef::Param(index) => params.get(*index).copied().unwrap_or("object").to_owned(),
        TypeRef::Void => "void".to_owned(),
    }
}

/// Quotes text as a C# string literal.
fn csharp_string(text: &str) -> String {
    quoted(text, '"')
}

/// Text for an XML documentation comment.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Turns an enum value into a C# identifier: characters that may not appear in one become `_`.
fn identifier(value: &str) -> String {
    let mut name: String = value
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::native::fixtures::position;

    fn render(query: &str) -> String {
        crate::meta::native::fixtures::render(csharp_dtos, &CSHARP_OPTIONS, query)
    }

    /// Returns the lines from `from` up to the next line equal to `until`.
    fn block<'s>(source: &'s str, from: &str, until: &str) -> Vec<&'s str> {
        let start = position(source, from);
        source
            .lines()
            .skip(start)
            .take_while(|line| *line != until)
            .collect()
    }

    #[test]
    fn header_and_usings() {
        let source = render("");
        let lines: Vec<&str> = source.lines().collect();
        assert!(lines.contains(&"//MakePartial: True"));
        position(&source, "using ServiceStack;");
        position(&source, "using Test;");
        position(&source, "using Test.Shapes;");
        assert!(position(&source, "namespace Test") < position(&source, "namespace Test.Shapes"));
    }

    #[test]
    fn requests_carry_routes_and_markers() {
        let source = render("");
        let new_shape = block(
            &source,
            "    ///<summary>",
            "    public partial class NewShape",
        );
        assert!(new_shape.contains(&"    [Route(\"/shapes\", \"POST\")]"));
        assert!(new_shape.contains(&"    [Api(Description=\"Creates a shape\")]"));
        let body = block(&source, "    public partial class NewShape", "    }");
        assert_eq!(body[1], "        : IReturn<Shape>, IPost");
        assert!(body.contains(&"        [ApiMember(IsRequired=true)]"));
        assert!(body.contains(&"        public virtual Colour? Colour { get; set; }"));
        let list = block(&source, "    public partial class ListShapes", "    }");
        assert_eq!(list[1], "        : IReturn<Page<Shape>>, IGet");
        assert!(list.contains(&"        public virtual int? Page { get; set; }"));
        let delete = block(&source, "    public partial class DeleteShape", "    }");
        assert_eq!(delete[1], "        : IReturnVoid, IDelete");
        position(&source, "    [Route(\"/tree\", \"GET,POST\")]");
        let tree = block(&source, "    public partial class GetTree", "    }");
        assert_eq!(tree[1], "        : IReturn<Node>");
    }

    #[test]
    fn inheritance_and_data_member_alias() {
        let source = render("");
        let shape = block(&source, "    public partial class Shape", "    }");
        assert_eq!(shape[1], "        : Entity");
        assert!(shape.contains(&"        public virtual int Sides { get; set; }"));
        assert!(shape.contains(&"        public virtual Colour? Colour { get; set; }"));
        assert!(shape.contains(&"        [DataMember(Name=\"label2\")]"));
        assert!(shape.contains(&"        public virtual string LabelTwo { get; set; }"));
        assert!(shape.contains(&"            Tags = new List<string>{};"));
        assert!(shape.contains(&"        ///How many sides the shape has"));
        let above = source
            .lines()
            .nth(position(&source, "    public partial class Shape") - 1);
        assert_eq!(above, Some("    [DataContract]"));
        // Members inherited from Entity stay on Entity.
        assert!(!shape.contains(&"        public virtual string Id { get; set; }"));
    }

    #[test]
    fn generics_enums_and_dictionaries() {
        let source = render("");
        let page = block(&source, "    public partial class Page<T>", "    }");
        assert!(page.contains(&"        public virtual List<T> Items { get; set; }"));
        assert!(page.contains(&"        public virtual long Total { get; set; }"));
        let colour = block(&source, "    public enum Colour", "    }");
        assert_eq!(colour[2..], ["        Red,", "        darkBlue,"]);
        let attributes = block(&source, "    public partial class Attributes", "    }");
        assert_eq!(attributes[1], "        : Dictionary<string, Node>");
    }

    #[test]
    fn recursive_type_refers_to_itself() {
        let source = render("");
        let node = block(&source, "    public partial class Node", "    }");
        assert!(node.contains(&"            Children = new List<Node>{};"));
        assert!(node.contains(&"        public virtual List<Node> Children { get; set; }"));
        assert!(node.contains(&"        public virtual Attributes Attributes { get; set; }"));
    }

    #[test]
    fn global_namespace_and_class_options() {
        let source = render(
            "GlobalNamespace=Dtos&MakePartial=false&MakeVirtual=false&InitializeCollections=false\
             &AddDataContractAttributes=true&AddIndexesToDataMembers=true&AddImplicitVersion=2\
             &AddResponseStatus=true&AddDescriptionAsComments=false&AddNamespaces=MyApp.Extra",
        );
        assert_eq!(
            source
                .lines()
                .filter(|line| line.starts_with("namespace "))
                .collect::<Vec<_>>(),
            ["namespace Dtos"]
        );
        position(&source, "using MyApp.Extra;");
        assert!(!source.contains("///<summary>"));
        let new_shape = block(&source, "    public class NewShape", "    }");
        assert!(new_shape.contains(&"            Version = 2;"));
        assert!(new_shape.contains(&"        [DataMember(Order=1)]"));
        assert!(new_shape.contains(&"        public string Name { get; set; }"));
        assert!(new_shape.contains(&"        public int Version { get; set; }"));
        let shape = block(&source, "    public class Shape", "    }");
        assert!(shape.contains(&"        [DataMember(Name=\"label2\", Order=4)]"));
        assert!(shape.contains(&"        public ResponseStatus ResponseStatus { get; set; }"));
        assert!(!shape.iter().any(|line| line.contains("new List")));
    }
}
