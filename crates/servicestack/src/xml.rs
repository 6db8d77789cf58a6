//! XML responses in the layout of .NET's `DataContractSerializer`, which ServiceStack uses.
//!
//! - `<?xml version="1.0" encoding="utf-8"?>`, then the root element named after the type, which
//!   declares `xmlns:i` (XML Schema instance) and, as its default namespace, the type's
//!   namespace: `http://schemas.datacontract.org/2004/07/{CLR namespace}`. No indentation.
//! - Member elements have PascalCase names and the namespace of the type that declares them.
//!   A base type's members come first, then the type's own, each group in ordinal order of the
//!   names. [`XmlContracts`] records each type's namespace and base members.
//! - A null or skipped member is `<Name i:nil="true" />`. Booleans are `true`/`false`, numbers
//!   use .NET's invariant layout (`2`, `1.5`, `1E-07`), and strings are written as they are, so
//!   dates keep the RFC 3339 text of the JSON form.
//! - A list has one element per item, named after the item's type: `CustomerBreadcrumb`,
//!   `string` and the other XML Schema names for scalars, the enum's name for an enum.
//! - A map is a list of `KeyValueOf{key type}{value type}` items with `Key` and `Value` children,
//!   in the namespace `http://schemas.microsoft.com/2003/10/Serialization/Arrays`.
//! - An element whose children are in a namespace not yet in scope declares it with a prefix
//!   named after its depth (`xmlns:d2p1="..."` on a member of the root), as .NET's writer does.
//!
//! NOTE: .NET also declares that prefix on a null or empty member of such a type. Serde passes
//! no type for a null member, so the writer declares nothing there, and the documents differ
//! only in that unused declaration.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::ser::{
    Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant, Serializer,
};

use crate::error::ErrorResponse;
use crate::meta::{Registry, TypeRef};
use crate::write::{pascal_case, WriteError};

/// The XML Schema instance namespace, bound to the prefix `i` for `i:nil`.
pub const XML_SCHEMA_INSTANCE: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The namespace of collections of built-in types and of dictionary entries.
pub const ARRAYS_NAMESPACE: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
/// The namespace of a top-level scalar such as `<string>`.
const SERIALIZATION_NAMESPACE: &str = "http://schemas.microsoft.com/2003/10/Serialization/";
const XML_SCHEMA: &str = "http://www.w3.org/2001/XMLSchema";
/// The start of every data contract namespace, which the CLR namespace completes.
pub const DATA_CONTRACT_PREFIX: &str = "http://schemas.datacontract.org/2004/07/";
/// The namespace of ServiceStack's own types (`ErrorResponse`, `ResponseStatus`).
///
/// NOTE: ServiceStack is believed to map its CLR namespace `ServiceStack` to this URI, but no
/// sample confirms it.
pub const SERVICESTACK_NAMESPACE: &str = "http://schemas.servicestack.net/types";

/// A base type whose members a derived type inherits, such as `EntityInfo`.
#[derive(Clone, Copy, Debug)]
pub struct BaseType {
    /// The base type's CLR namespace, such as `Voice.Api`.
    pub namespace: &'static str,
    /// The serde names of the members the base type declares.
    pub members: &'static [&'static str],
}

/// The data contract of one type: its namespace and how its members are ordered.
#[derive(Clone, Debug)]
struct Contract {
    namespace: String,
    base: Option<(String, Vec<&'static str>)>,
    /// Members in declaration order, as for types whose members carry explicit `Order` values.
    declaration_order: bool,
}

/// The registry of data contracts: for each type name (as serde gives it), its namespace and
/// base members. Types that are not registered are in the default namespace, without a base.
///
/// ServiceStack's `ErrorResponse`, `ResponseStatus` and `ResponseError` are registered already.
#[derive(Clone, Debug)]
pub struct XmlContracts {
    default_namespace: String,
    contracts: HashMap<&'static str, Contract>,
}

impl Default for XmlContracts {
    /// Creates a registry whose unregistered types are in the global CLR namespace.
    fn default() -> Self {
        XmlContracts::new("")
    }
}

impl XmlContracts {
    /// Creates a registry in which unregistered types belong to the CLR namespace
    /// `default_namespace`.
    pub fn new(default_namespace: &str) -> XmlContracts {
        let mut contracts = XmlContracts {
            default_namespace: data_contract_namespace(default_namespace),
            contracts: HashMap::new(),
        };
        for name in ["ErrorResponse", "ResponseStatus", "ResponseError"] {
            contracts.contracts.insert(
                name,
                Contract {
                    namespace: SERVICESTACK_NAMESPACE.to_owned(),
                    base: None,
                    declaration_order: true,
                },
            );
        }
        contracts
    }

    /// Registers `type_name` (a struct's or enum's name) in the CLR namespace `namespace`, with
    /// the members that `base` declares.
    pub fn add(
        &mut self,
        type_name: &'static str,
        namespace: &str,
        base: Option<BaseType>,
    ) -> &mut Self {
        let contract = Contract {
            namespace: data_contract_namespace(namespace),
            base: base.map(|base| {
                (
                    data_contract_namespace(base.namespace),
                    base.members.to_vec(),
                )
            }),
            declaration_order: false,
        };
        self.contracts.insert(type_name, contract);
        self
    }

    /// Creates the contracts of every type in `registry` that names a namespace, each with the
    /// members its base classes declare. Types without a namespace, and unregistered ones, are
    /// in `default_namespace`.
    pub fn from_registry(registry: &Registry, default_namespace: &str) -> XmlContracts {
        let mut contracts = XmlContracts::new(default_namespace);
        for definition in registry.types() {
            let Some(namespace) = definition.namespace else {
                continue;
            };
            let base = definition
                .base()
                .and_then(|base| match base {
                    TypeRef::Named { name, args } => Some((registry.get(name)?, args)),
                    _ => None,
                })
                .map(|(base, args)| {
                    let members = registry
                        .all_members(base, args)
                        .iter()
                        .map(|member| member.wire_name)
                        .collect();
                    let namespace = base.namespace.unwrap_or(default_namespace);
                    (data_contract_namespace(namespace), members)
                });
            let contract = Contract {
                namespace: data_contract_namespace(namespace),
                base,
                declaration_order: false,
            };
            contracts.contracts.insert(definition.name, contract);
        }
        contracts
    }

    /// Returns the namespace URI of `type_name`, or the default one for an unregistered type.
    pub fn namespace_of(&self, type_name: &str) -> &str {
        self.contracts
            .get(type_name)
            .map_or(&self.default_namespace, |contract| &contract.namespace)
    }

    /// Serializes `value` as an XML document.
    pub fn to_xml<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, WriteError> {
        let node = value.serialize(NodeSerializer)?;
        Ok(self.render(&node))
    }

    fn render(&self, node: &Node) -> String {
        let mut renderer = Renderer {
            contracts: self,
            out: String::from(r#"<?xml version="1.0" encoding="utf-8"?>"#),
            bindings: Vec::new(),
        };
        let (name, namespace) = renderer.root_name(node);
        renderer.element(&name, &namespace, node, 1);
        renderer.out
    }
}

/// Serializes an error body as ServiceStack's `ErrorResponse`.
///
/// `ResponseStatus` ends with ServiceStack's `Meta` map, which the JSON form leaves out when it
/// is null. A DataContract serializer writes null members, so the XML ends with a nil `Meta`.
/// NOTE: that is believed, not confirmed from a sample, and `ResponseError`'s own `Meta` is left
/// out because whether .NET writes it is unknown.
pub fn error_to_xml(body: &ErrorResponse) -> Result<String, WriteError> {
    static SERVICESTACK_TYPES: LazyLock<XmlContracts> = LazyLock::new(XmlContracts::default);
    let mut node = body.serialize(NodeSerializer)?;

    let status = match &mut node {
        Node::Struct { members, .. } => members
            .iter_mut()
            .find(|(name, _)| *name == "responseStatus"),
        _ => None,
    };
    if let Some((_, Node::Struct { members, .. })) = status {
        let meta = Node::Nil {
            declares: Some(ARRAYS_NAMESPACE),
        };
        members.push(("meta", meta));
    }
    Ok(SERVICESTACK_TYPES.render(&node))
}

fn data_contract_namespace(clr_namespace: &str) -> String {
    format!("{DATA_CONTRACT_PREFIX}{clr_namespace}")
}

/// Checks whether `namespace` contains only .NET's built-in types, whose collections go to the
/// arrays namespace.
fn is_built_in(namespace: &str) -> bool {
    namespace == XML_SCHEMA || namespace.starts_with(SERIALIZATION_NAMESPACE)
}

/// A serialized value, kept whole because members are written in another order than serde's.
#[derive(Debug)]
enum Node {
    /// A null: `None`, unit, or a skipped member. `declares` is the namespace .NET declares on
    /// the element for its type, when that is known.
    Nil {
        declares: Option<&'static str>,
    },
    /// A scalar's text and the name of its type.
    Text {
        text: String,
        kind: ScalarKind,
    },
    Struct {
        name: &'static str,
        members: Vec<(&'static str, Node)>,
    },
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Copy, Debug)]
enum ScalarKind {
    /// An XML Schema type: `string`, `int`, `boolean`, ...
    Primitive(&'static str),
    /// An enum, by its type name.
    Enum(&'static str),
}

const NULL: Node = Node::Nil { declares: None };

/// Writes nodes as elements, tracking the namespace prefixes in scope.
struct Renderer<'c> {
    contracts: &'c XmlContracts,
    out: String,
    /// Prefix bindings in scope, innermost last; `""` is the default namespace.
    bindings: Vec<(String, String)>,
}

impl Renderer<'_> {
    /// Returns the root element's name and namespace for `node`.
    fn root_name(&self, node: &Node) -> (String, String) {
        match node {
            Node::Text {
                kind: ScalarKind::Primitive(name),
                ..
            } => ((*name).to_owned(), SERIALIZATION_NAMESPACE.to_owned()),
            Node::Nil { .. } => ("anyType".to_owned(), SERIALIZATION_NAMESPACE.to_owned()),
            _ => (
                self.type_name(node).unwrap_or_else(|| "anyType".to_owned()),
                self.content_namespace(node)
                    .unwrap_or_else(|| SERIALIZATION_NAMESPACE.to_owned()),
            ),
        }
    }

    /// Returns the data contract name of a node's type, which names it as a list item.
    fn type_name(&self, node: &Node) -> Option<String> {
        match node {
            Node::Nil { .. } => None,
            Node::Text {
                kind: ScalarKind::Primitive(name) | ScalarKind::Enum(name),
                ..
            } => Some((*name).to_owned()),
            Node::Struct { name, .. } => Some((*name).to_owned()),
            Node::List(items) => {
                let item = items.iter().find_map(|item| self.type_name(item));
                Some(format!("ArrayOf{}", item.as_deref().unwrap_or("anyType")))
            }
            Node::Map(entries) => Some(format!("ArrayOf{}", self.entry_name(entries))),
        }
    }

    /// Returns the name of a map entry element, such as `KeyValueOfstringValue`.
    ///
    /// NOTE: .NET appends a hash of the namespaces to this name when the value type is not a
    /// built-in one. That suffix is unknown, so it is left out and the name is a guess for such
    /// maps.
    fn entry_name(&self, entries: &[(Node, Node)]) -> String {
        let key = entries.iter().find_map(|(key, _)| self.type_name(key));
        let value = entries.iter().find_map(|(_, value)| self.type_name(value));
        format!(
            "KeyValueOf{}{}",
            key.as_deref().unwrap_or("string"),
            value.as_deref().unwrap_or("anyType")
        )
    }

    /// Returns the namespace of the child elements of `node`, or `None` for a node without
    /// children.
    fn content_namespace(&self, node: &Node) -> Option<String> {
        match node {
            Node::Nil { declares } => declares.map(str::to_owned),
            Node::Text { .. } => None,
            Node::Struct { name, .. } => Some(self.contracts.namespace_of(name).to_owned()),
            Node::List(items) => self.collection_namespace(items),
            Node::Map(_) => Some(ARRAYS_NAMESPACE.to_owned()),
        }
    }

    /// Returns the namespace of a list's items: their type's, or the arrays namespace for
    /// built-in types. Returns `None` when no item has a type, as in an empty list.
    fn collection_namespace(&self, items: &[Node]) -> Option<String> {
        let item_namespace = items.iter().find_map(|item| self.type_namespace(item))?;
        if is_built_in(&item_namespace) {
            Some(ARRAYS_NAMESPACE.to_owned())
        } else {
            Some(item_namespace)
        }
    }

    /// Returns the namespace of the type of `node`, the namespace of its element as a list item.
    fn type_namespace(&self, node: &Node) -> Option<String> {
        match node {
            Node::Nil { .. } => None,
            Node::Text {
                kind: ScalarKind::Primitive(_),
                ..
            } => Some(XML_SCHEMA.to_owned()),
            Node::Text {
                kind: ScalarKind::Enum(name),
                ..
            }
            | Node::Struct { name, .. } => Some(self.contracts.namespace_of(name).to_owned()),
            Node::List(items) => Some(
                self.collection_namespace(items)
                    .unwrap_or_else(|| ARRAYS_NAMESPACE.to_owned()),
            ),
            Node::Map(_) => Some(ARRAYS_NAMESPACE.to_owned()),
        }
    }

    /// Finds the prefix bound to `namespace` in scope, `""` for the default namespace.
    fn prefix_of(&self, namespace: &str) -> Option<&str> {
        let mut shadowed: Vec<&str> = Vec::new();
        for (prefix, bound) in self.bindings.iter().rev() {
            if shadowed.contains(&prefix.as_str()) {
                continue;
            }
            if bound == namespace {
                return Some(prefix);
            }
            shadowed.push(prefix);
        }
        None
    }

    fn is_prefix_bound(&self, prefix: &str) -> bool {
        self.bindings.iter().any(|(bound, _)| bound == prefix)
    }

    /// Writes `node` as the element `name` in `namespace`, at `depth` (the root is 1).
    fn element(&mut self, name: &str, namespace: &str, node: &Node, depth: usize) {
        let scope = self.bindings.len();

        // Attributes come in .NET's order: declarations written explicitly, `i:nil`, then the
        // default namespace that the element's own name needs.
        let (qualified, default_namespace) = self.start_tag(name, namespace);
        if depth == 1 {
            self.declare("i", XML_SCHEMA_INSTANCE);
        }
        if let Some(content) = self.content_namespace(node) {
            if self.prefix_of(&content).is_none() {
                let prefix = (1..)
                    .map(|number| format!("d{depth}p{number}"))
                    .find(|prefix| !self.is_prefix_bound(prefix))
                    .unwrap_or_default();
                self.declare(&prefix, &content);
            }
        }
        if matches!(node, Node::Nil { .. }) {
            self.out.push_str(r#" i:nil="true""#);
        }
        self.end_attributes(default_namespace);

        let has_content = match node {
            Node::Nil { .. } => false,
            Node::Text { .. } => true,
            Node::Struct { members, .. } => !members.is_empty(),
            Node::List(items) => !items.is_empty(),
            Node::Map(entries) => !entries.is_empty(),
        };
        if has_content {
            self.out.push('>');
            self.content(node, depth);
            self.end_tag(&qualified);
        } else {
            self.out.push_str(" />");
        }

        self.bindings.truncate(scope);
    }

    /// Writes `<name` with the prefix bound to `namespace`. When none is bound, the element
    /// makes `namespace` its default and returns it, to be declared after the other attributes.
    fn start_tag(&mut self, name: &str, namespace: &str) -> (String, Option<String>) {
        let (qualified, default_namespace) = match self.prefix_of(namespace) {
            Some("") => (name.to_owned(), None),
            Some(prefix) => (format!("{prefix}:{name}"), None),
            None => {
                self.bindings.push((String::new(), namespace.to_owned()));
                (name.to_owned(), Some(namespace.to_owned()))
            }
        };
        self.out.push('<');
        self.out.push_str(&qualified);
        (qualified, default_namespace)
    }

    fn end_attributes(&mut self, default_namespace: Option<String>) {
        if let Some(namespace) = default_namespace {
            self.out.push_str(" xmlns=\"");
            self.out.push_str(&escape_text(&namespace));
            self.out.push('"');
        }
    }

    fn end_tag(&mut self, qualified: &str) {
        self.out.push_str("</");
        self.out.push_str(qualified);
        self.out.push('>');
    }

    fn declare(&mut self, prefix: &str, namespace: &str) {
        self.out.push_str(" xmlns:");
        self.out.push_str(prefix);
        self.out.push_str("=\"");
        self.out.push_str(&escape_text(namespace));
        self.out.push('"');
        self.bindings
            .push((prefix.to_owned(), namespace.to_owned()));
    }

    fn content(&mut self, node: &Node, depth: usize) {
        match node {
            Node::Nil { .. } => {}
            Node::Text { text, .. } => self.out.push_str(&escape_text(text)),
            Node::Struct { name, members } => self.members(name, members, depth),
            Node::List(items) => {
                let namespace = self
                    .collection_namespace(items)
                    .unwrap_or_else(|| ARRAYS_NAMESPACE.to_owned());
                let fallback = items.iter().find_map(|item| self.type_name(item));
                let fallback = fallback.unwrap_or_else(|| "anyType".to_owned());
                for item in items {
                    let name = self.type_name(item).unwrap_or_else(|| fallback.clone());
                    self.element(&name, &namespace, item, depth + 1);
                }
            }
            Node::Map(entries) => {
                let name = self.entry_name(entries);
                for (key, value) in entries {
                    self.entry(&name, key, value, depth + 1);
                }
            }
        }
    }

    /// Writes one `KeyValueOf...` element with its `Key` and `Value` children, all in the
    /// arrays namespace.
    fn entry(&mut self, name: &str, key: &Node, value: &Node, depth: usize) {
        let scope = self.bindings.len();
        let (qualified, default_namespace) = self.start_tag(name, ARRAYS_NAMESPACE);
        self.end_attributes(default_namespace);
        self.out.push('>');
        self.element("Key", ARRAYS_NAMESPACE, key, depth + 1);
        self.element("Value", ARRAYS_NAMESPACE, value, depth + 1);
        self.end_tag(&qualified);
        self.bindings.truncate(scope);
    }

    /// Writes a struct's members: the base type's first, then its own, each group sorted.
    fn members(&mut self, type_name: &str, members: &[(&'static str, Node)], depth: usize) {
        let contracts = self.contracts;
        let contract = contracts.contracts.get(type_name);
        let own_namespace = contracts.namespace_of(type_name);
        let (base_namespace, base_members) = match contract.and_then(|c| c.base.as_ref()) {
            Some((namespace, names)) => (namespace.as_str(), names.as_slice()),
            None => ("", &[][..]),
        };
        let declaration_order = contract.is_some_and(|contract| contract.declaration_order);

        let mut ordered: Vec<(bool, String, &Node)> = members
            .iter()
            .map(|(key, node)| (!base_members.contains(key), pascal_case(key), node))
            .collect();
        if !declaration_order {
            // `false` sorts first, so base members lead; names compare by code point.
            ordered.sort_by(|left, right| (left.0, &left.1).cmp(&(right.0, &right.1)));
        }
        for (own, name, node) in ordered {
            let namespace = if own { own_namespace } else { base_namespace };
            self.element(&name, namespace, node, depth + 1);
        }
    }
}

/// Escapes text content and replaces the characters XML 1.0 cannot carry with U+FFFD.
fn escape_text(text: &str) -> String {
    let is_allowed = |character: char| {
        matches!(character, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || character >= '\u{10000}'
    };
    if text.chars().all(is_allowed) {
        return quick_xml::escape::partial_escape(text).into_owned();
    }
    let cleaned: String = text
        .chars()
        .map(|character| {
            if is_allowed(character) {
                character
            } else {
                char::REPLACEMENT_CHARACTER
            }
        })
        .collect();
    quick_xml::escape::partial_escape(cleaned.as_str()).into_owned()
}

/// Builds a [`Node`] from any serializable value.
struct NodeSerializer;

fn number<T: Serialize>(value: T, kind: &'static str) -> Result<Node, WriteError> {
    Ok(Node::Text {
        text: jsv::to_string(&value)?,
        kind: ScalarKind::Primitive(kind),
    })
}

fn double(value: f64, kind: &'static str) -> Result<Node, WriteError> {
    let text = if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "INF" } else { "-INF" }.to_owned()
    } else {
        jsv::to_string(&value)?
    };
    Ok(Node::Text {
        text,
        kind: ScalarKind::Primitive(kind),
    })
}

fn text(text: impl Into<String>, kind: &'static str) -> Node {
    Node::Text {
        text: text.into(),
        kind: ScalarKind::Primitive(kind),
    }
}

impl Serializer for NodeSerializer {
    type Ok = Node;
    type Error = WriteError;
    type SerializeSeq = ListNode;
    type SerializeTuple = ListNode;
    type SerializeTupleStruct = ListNode;
    type SerializeTupleVariant = VariantNode<ListNode>;
    type SerializeMap = MapNode;
    type SerializeStruct = StructNode;
    type SerializeStructVariant = VariantNode<StructNode>;

    fn serialize_bool(self, value: bool) -> Result<Node, WriteError> {
        Ok(text(if value { "true" } else { "false" }, "boolean"))
    }

    fn serialize_i8(self, value: i8) -> Result<Node, WriteError> {
        number(value, "byte")
    }

    fn serialize_i16(self, value: i16) -> Result<Node, WriteError> {
        number(value, "short")
    }

    fn serialize_i32(self, value: i32) -> Result<Node, WriteError> {
        number(value, "int")
    }

    fn serialize_i64(self, value: i64) -> Result<Node, WriteError> {
        number(value, "long")
    }

    fn serialize_u8(self, value: u8) -> Result<Node, WriteError> {
        number(value, "unsignedByte")
    }

    fn serialize_u16(self, value: u16) -> Result<Node, WriteError> {
        number(value, "unsignedShort")
    }

    fn serialize_u32(self, value: u32) -> Result<Node, WriteError> {
        number(value, "unsignedInt")
    }

    fn serialize_u64(self, value: u64) -> Result<Node, WriteError> {
        number(value, "unsignedLong")
    }

    fn serialize_f32(self, value: f32) -> Result<Node, WriteError> {
        if value.is_finite() {
            number(value, "float")
        } else {
            double(f64::from(value), "float")
        }
    }

    fn serialize_f64(self, value: f64) -> Result<Node, WriteError> {
        double(value, "double")
    }

    fn serialize_char(self, value: char) -> Result<Node, WriteError> {
        Ok(text(value.to_string(), "char"))
    }

    fn serialize_str(self, value: &str) -> Result<Node, WriteError> {
        Ok(text(value, "string"))
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<Node, WriteError> {
        let items = value
            .iter()
            .map(|byte| text(byte.to_string(), "unsignedByte"))
            .collect();
        Ok(Node::List(items))
    }

    fn serialize_none(self) -> Result<Node, WriteError> {
        Ok(NULL)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, WriteError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Node, WriteError> {
        Ok(NULL)
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<Node, WriteError> {
        Ok(Node::Struct {
            name,
            members: Vec::new(),
        })
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, WriteError> {
        Ok(Node::Text {
            text: variant.to_owned(),
            kind: ScalarKind::Enum(name),
        })
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, WriteError> {
        Ok(Node::Struct {
            name,
            members: vec![(variant, value.serialize(NodeSerializer)?)],
        })
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<ListNode, WriteError> {
        Ok(ListNode(Vec::with_capacity(len.unwrap_or(0))))
    }

    fn serialize_tuple(self, len: usize) -> Result<ListNode, WriteError> {
        Ok(ListNode(Vec::with_capacity(len)))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<ListNode, WriteError> {
        Ok(ListNode(Vec::with_capacity(len)))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantNode<ListNode>, WriteError> {
        Ok(VariantNode {
            name,
            variant,
            inner: ListNode(Vec::with_capacity(len)),
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<MapNode, WriteError> {
        Ok(MapNode {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<StructNode, WriteError> {
        Ok(StructNode {
            name,
            members: Vec::with_capacity(len),
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantNode<StructNode>, WriteError> {
        Ok(VariantNode {
            name,
            variant,
            inner: StructNode {
                name: variant,
                members: Vec::with_capacity(len),
            },
        })
    }
}

struct ListNode(Vec<Node>);

impl SerializeSeq for ListNode {
    type Ok = Node;
    type Error = WriteError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.0.push(value.serialize(NodeSerializer)?);
        Ok(())
    }

    fn end(self) -> Result<Node, WriteError> {
        Ok(Node::List(self.0))
    }
}

impl SerializeTuple for ListNode {
    type Ok = Node;
    type Error = WriteError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Node, WriteError> {
        SerializeSeq::end(self)
    }
}

impl SerializeTupleStruct for ListNode {
    type Ok = Node;
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Node, WriteError> {
        SerializeSeq::end(self)
    }
}

struct MapNode {
    entries: Vec<(Node, Node)>,
    key: Option<Node>,
}

impl SerializeMap for MapNode {
    type Ok = Node;
    type Error = WriteError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        self.key = Some(key.serialize(NodeSerializer)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| WriteError::new("a map value was serialized before its key"))?;
        self.entries.push((key, value.serialize(NodeSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Node, WriteError> {
        Ok(Node::Map(self.entries))
    }
}

struct StructNode {
    name: &'static str,
    members: Vec<(&'static str, Node)>,
}

impl SerializeStruct for StructNode {
    type Ok = Node;
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.members.push((key, value.serialize(NodeSerializer)?));
        Ok(())
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), WriteError> {
        self.members.push((key, NULL));
        Ok(())
    }

    fn end(self) -> Result<Node, WriteError> {
        Ok(Node::Struct {
            name: self.name,
            members: self.members,
        })
    }
}

/// An enum variant with data, written as the enum type with the variant as its one member.
struct VariantNode<T> {
    name: &'static str,
    variant: &'static str,
    inner: T,
}

impl<T> VariantNode<T> {
    fn wrap(name: &'static str, variant: &'static str, value: Node) -> Node {
        Node::Struct {
            name,
            members: vec![(variant, value)],
        }
    }
}

impl SerializeTupleVariant for VariantNode<ListNode> {
    type Ok = Node;
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        SerializeSeq::serialize_element(&mut self.inner, value)
    }

    fn end(self) -> Result<Node, WriteError> {
        let list = SerializeSeq::end(self.inner)?;
        Ok(Self::wrap(self.name, self.variant, list))
    }
}

impl SerializeStructVariant for VariantNode<StructNode> {
    type Ok = Node;
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), WriteError> {
        SerializeStruct::skip_field(&mut self.inner, key)
    }

    fn end(self) -> Result<Node, WriteError> {
        let fields = SerializeStruct::end(self.inner)?;
        Ok(Self::wrap(self.name, self.variant, fields))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;
    use crate::error::ApiError;

    const HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>"#;
    const XSI: &str = r#"xmlns:i="http://www.w3.org/2001/XMLSchema-instance""#;

    const ENTITY: BaseType = BaseType {
        namespace: "Test",
        members: &["id", "dateCreated"],
    };

    fn contracts() -> XmlContracts {
        let mut contracts = XmlContracts::new("Test");
        contracts
            .add("Widget", "Test.Widgets", Some(ENTITY))
            .add("Part", "Test.Parts", None)
            .add("Colors", "Test.Widgets", None)
            .add("Setting", "Test.Data", None);
        contracts
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Widget {
        name: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        status_message: Option<&'static str>,
        is_enabled: bool,
        count: f64,
        id: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        date_created: Option<&'static str>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Part {
        id: &'static str,
        label: &'static str,
    }

    #[derive(Serialize)]
    enum Colors {
        Red,
        Blue,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Setting {
        #[serde(skip_serializing_if = "Option::is_none")]
        string_value: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        number_value: Option<f64>,
    }

    #[test]
    fn base_members_first_then_own_sorted() {
        let widget = Widget {
            name: Some("W & <1>"),
            status_message: None,
            is_enabled: true,
            count: 2.0,
            id: Some("w1"),
            date_created: None,
        };
        let xml = contracts().to_xml(&widget).unwrap();
        let base = r#"xmlns="http://schemas.datacontract.org/2004/07/Test""#;
        assert_eq!(
            xml,
            format!(
                "{HEAD}<Widget {XSI} xmlns=\"http://schemas.datacontract.org/2004/07/Test.Widgets\">\
                 <DateCreated i:nil=\"true\" {base} /><Id {base}>w1</Id>\
                 <Count>2</Count><IsEnabled>true</IsEnabled><Name>W &amp; &lt;1&gt;</Name>\
                 <StatusMessage i:nil=\"true\" /></Widget>"
            )
        );
    }

    #[test]
    fn unregistered_type_uses_default_namespace() {
        let part = Part {
            id: "p1",
            label: "",
        };
        let xml = XmlContracts::new("Voice.Api").to_xml(&part).unwrap();
        assert_eq!(
            xml,
            format!(
                "{HEAD}<Part {XSI} xmlns=\"http://schemas.datacontract.org/2004/07/Voice.Api\">\
                 <Id>p1</Id><Label></Label></Part>"
            )
        );
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Lists {
        tags: Vec<&'static str>,
        parts: Vec<Part>,
        colors: Vec<Colors>,
        empty: Vec<Part>,
    }

    #[test]
    fn lists_name_items_after_their_type() {
        let lists = Lists {
            tags: vec!["a", "b"],
            parts: vec![Part {
                id: "p1",
                label: "x",
            }],
            colors: vec![Colors::Red, Colors::Blue],
            empty: Vec::new(),
        };
        let mut contracts = contracts();
        contracts.add("Lists", "Test.Widgets", None);
        let xml = contracts.to_xml(&lists).unwrap();
        assert_eq!(
            xml,
            format!(
                "{HEAD}<Lists {XSI} xmlns=\"http://schemas.datacontract.org/2004/07/Test.Widgets\">\
                 <Colors><Colors>Red</Colors><Colors>Blue</Colors></Colors>\
                 <Empty />\
                 <Parts xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/Test.Parts\">\
                 <d2p1:Part><d2p1:Id>p1</d2p1:Id><d2p1:Label>x</d2p1:Label></d2p1:Part></Parts>\
                 <Tags xmlns:d2p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">\
                 <d2p1:string>a</d2p1:string><d2p1:string>b</d2p1:string></Tags></Lists>"
            )
        );
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Holder {
        settings: BTreeMap<&'static str, Setting>,
        counts: BTreeMap<&'static str, i32>,
    }

    #[test]
    fn maps_are_key_value_items() {
        let holder = Holder {
            settings: BTreeMap::from([(
                "region",
                Setting {
                    string_value: Some("eu"),
                    number_value: None,
                },
            )]),
            counts: BTreeMap::from([("a", 1)]),
        };
        let xml = contracts().to_xml(&holder).unwrap();
        let arrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
        assert_eq!(
            xml,
            format!(
                "{HEAD}<Holder {XSI} xmlns=\"http://schemas.datacontract.org/2004/07/Test\">\
                 <Counts xmlns:d2p1=\"{arrays}\"><d2p1:KeyValueOfstringint>\
                 <d2p1:Key>a</d2p1:Key><d2p1:Value>1</d2p1:Value></d2p1:KeyValueOfstringint>\
                 </Counts>\
                 <Settings xmlns:d2p1=\"{arrays}\"><d2p1:KeyValueOfstringSetting>\
                 <d2p1:Key>region</d2p1:Key>\
                 <d2p1:Value xmlns:d4p1=\"http://schemas.datacontract.org/2004/07/Test.Data\">\
                 <d4p1:NumberValue i:nil=\"true\" /><d4p1:StringValue>eu</d4p1:StringValue>\
                 </d2p1:Value></d2p1:KeyValueOfstringSetting></Settings></Holder>"
            )
        );
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Outer {
        part: Option<Part>,
        missing: Option<Part>,
    }

    #[test]
    fn nested_object_declares_its_namespace() {
        let outer = Outer {
            part: Some(Part {
                id: "p",
                label: "l",
            }),
            missing: None,
        };
        let xml = contracts().to_xml(&outer).unwrap();
        assert_eq!(
            xml,
            format!(
                "{HEAD}<Outer {XSI} xmlns=\"http://schemas.datacontract.org/2004/07/Test\">\
                 <Missing i:nil=\"true\" />\
                 <Part xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/Test.Parts\">\
                 <d2p1:Id>p</d2p1:Id><d2p1:Label>l</d2p1:Label></Part></Outer>"
            )
        );
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Scalars {
        whole: f64,
        tiny: f64,
        big: i64,
        flag: bool,
        control: &'static str,
        ui_hint: Colors,
    }

    #[test]
    fn scalars_use_dotnet_layout() {
        let scalars = Scalars {
            whole: -3.0,
            tiny: 1e-7,
            big: i64::MAX,
            flag: false,
            control: "a\u{1}b\r\n",
            ui_hint: Colors::Blue,
        };
        let xml = XmlContracts::new("T").to_xml(&scalars).unwrap();
        assert!(xml.contains("<Whole>-3</Whole>"), "{xml}");
        assert!(xml.contains("<Tiny>1E-07</Tiny>"), "{xml}");
        assert!(xml.contains("<Big>9223372036854775807</Big>"), "{xml}");
        assert!(xml.contains("<Flag>false</Flag>"), "{xml}");
        assert!(
            xml.contains("<Control>a\u{FFFD}b&#13;\n</Control>"),
            "{xml}"
        );
        assert!(xml.contains("<UIHint>Blue</UIHint>"), "{xml}");
    }

    #[test]
    fn list_at_root_is_array_of_items() {
        let xml = contracts()
            .to_xml(&vec![Part {
                id: "1",
                label: "a",
            }])
            .unwrap();
        assert_eq!(
            xml,
            format!(
                "{HEAD}<ArrayOfPart {XSI} xmlns=\"http://schemas.datacontract.org/2004/07/Test.Parts\">\
                 <Part><Id>1</Id><Label>a</Label></Part></ArrayOfPart>"
            )
        );
    }

    #[test]
    fn error_body_in_servicestack_namespace() {
        let error = ApiError::not_found("Integration 'x' was not found.");
        let xml = error_to_xml(&error.to_response()).unwrap();
        assert_eq!(
            xml,
            format!(
                "{HEAD}<ErrorResponse {XSI} xmlns=\"http://schemas.servicestack.net/types\">\
                 <ResponseStatus><ErrorCode>NotFound</ErrorCode>\
                 <Message>Integration 'x' was not found.</Message>\
                 <StackTrace i:nil=\"true\" /><Errors />\
                 <Meta xmlns:d3p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\" \
                 i:nil=\"true\" /></ResponseStatus></ErrorResponse>"
            )
        );
    }

    #[test]
    fn error_fields_keep_declaration_order() {
        let error = ApiError::field("NotEmpty", "Name", "'Name' must not be empty.");
        let xml = error_to_xml(&error.to_response()).unwrap();
        assert!(
            xml.contains(
                "<Errors><ResponseError><ErrorCode>NotEmpty</ErrorCode>\
                 <FieldName>Name</FieldName><Message>'Name' must not be empty.</Message>\
                 </ResponseError></Errors>"
            ),
            "{xml}"
        );
    }

    #[test]
    fn prefix_of_ignores_shadowed_bindings() {
        let contracts = XmlContracts::default();
        let mut renderer = Renderer {
            contracts: &contracts,
            out: String::new(),
            bindings: vec![
                ("d2p1".to_owned(), "urn:a".to_owned()),
                ("d2p1".to_owned(), "urn:b".to_owned()),
            ],
        };
        assert_eq!(renderer.prefix_of("urn:b"), Some("d2p1"));
        assert_eq!(renderer.prefix_of("urn:a"), None);
        renderer.bindings.push((String::new(), "urn:a".to_owned()));
        assert_eq!(renderer.prefix_of("urn:a"), Some(""));
    }
}
