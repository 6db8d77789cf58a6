//! The operation registry: every operation and type a host serves, described from the Rust DTOs.
//!
//! `#[derive(ApiType)]` on a DTO implements [`ApiType`], which adds the type's definition (and
//! those of the types it uses) to a [`Registry`]. [`crate::ServiceHost::register`] adds each
//! operation, so the metadata pages, the generated client DTOs and the OpenAPI document all come
//! from the types the host actually binds and writes.
//!
//! Names follow the .NET contract the clients were generated from: `string`, `bool?`,
//! `List<DataField>`, `Dictionary<string,Value>`.

pub mod csharp;
#[cfg(test)]
mod fixtures;
pub mod native;
pub mod openapi;
pub mod pages;
pub mod python;
pub mod sample;
pub(crate) mod serve;
#[cfg(test)]
mod tests;
pub mod types_json;
pub mod typescript;

use std::collections::BTreeMap;
use std::collections::HashMap;

use indexmap::IndexMap;

pub use servicestack_derive::ApiType;

use crate::host::Route;

/// A type as a member, a list item, a base class or a response names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    Primitive(Primitive),
    /// A value type that may be missing: `bool?`, `int?`, `IntegrationTypes?`.
    Nullable(Box<TypeRef>),
    List(Box<TypeRef>),
    Dictionary(Box<TypeRef>, Box<TypeRef>),
    /// A type defined in the registry, with its generic arguments.
    Named {
        name: &'static str,
        args: Vec<TypeRef>,
    },
    /// A generic parameter of the type being defined, by position.
    Param(usize),
    /// No response body: the host sends `204 No Content`.
    Void,
}

/// The .NET primitive types the contract uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Primitive {
    String,
    Bool,
    Int,
    Long,
    Double,
}

impl Primitive {
    /// Returns the C# keyword, as the metadata pages show it.
    pub fn csharp_name(self) -> &'static str {
        match self {
            Primitive::String => "string",
            Primitive::Bool => "bool",
            Primitive::Int => "int",
            Primitive::Long => "long",
            Primitive::Double => "double",
        }
    }
}

impl TypeRef {
    /// Creates a reference to a named type without generic arguments.
    pub fn named(name: &'static str) -> TypeRef {
        TypeRef::Named {
            name,
            args: Vec::new(),
        }
    }

    /// Returns the type's name in C# syntax, with `params` naming the generic parameters in scope:
    /// `List<CustomerBreadcrumb>`, `double?`, `ListResponse<IntegrationInfo>`.
    pub fn csharp_name(&self, params: &[&str]) -> String {
        match self {
            TypeRef::Primitive(primitive) => primitive.csharp_name().to_owned(),
            TypeRef::Nullable(inner) => format!("{}?", inner.csharp_name(params)),
            TypeRef::List(item) => format!("List<{}>", item.csharp_name(params)),
            TypeRef::Dictionary(key, value) => format!(
                "Dictionary<{},{}>",
                key.csharp_name(params),
                value.csharp_name(params)
            ),
            TypeRef::Named { name, args } if args.is_empty() => (*name).to_owned(),
            TypeRef::Named { name, args } => {
                let args: Vec<String> = args.iter().map(|arg| arg.csharp_name(params)).collect();
                format!("{name}<{}>", args.join(","))
            }
            TypeRef::Param(index) => params.get(*index).copied().unwrap_or("T").to_owned(),
            TypeRef::Void => "void".to_owned(),
        }
    }

    /// Replaces each generic parameter with the argument at its position.
    pub fn substitute(&self, args: &[TypeRef]) -> TypeRef {
        match self {
            TypeRef::Param(index) => args.get(*index).cloned().unwrap_or(TypeRef::Void),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(inner.substitute(args))),
            TypeRef::List(item) => TypeRef::List(Box::new(item.substitute(args))),
            TypeRef::Dictionary(key, value) => TypeRef::Dictionary(
                Box::new(key.substitute(args)),
                Box::new(value.substitute(args)),
            ),
            TypeRef::Named { name, args: own } => TypeRef::Named {
                name,
                args: own.iter().map(|arg| arg.substitute(args)).collect(),
            },
            TypeRef::Primitive(_) | TypeRef::Void => self.clone(),
        }
    }

    /// Returns the registry names this reference mentions, outermost first.
    pub fn named_types(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        self.collect_names(&mut names);
        names
    }

    fn collect_names(&self, names: &mut Vec<&'static str>) {
        match self {
            TypeRef::Nullable(inner) | TypeRef::List(inner) => inner.collect_names(names),
            TypeRef::Dictionary(key, value) => {
                key.collect_names(names);
                value.collect_names(names);
            }
            TypeRef::Named { name, args } => {
                names.push(name);
                for arg in args {
                    arg.collect_names(names);
                }
            }
            TypeRef::Primitive(_) | TypeRef::Param(_) | TypeRef::Void => {}
        }
    }
}

/// A type's definition.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// The name without generic parameters: `ListResponse`, not `ListResponse<T>`.
    pub name: &'static str,
    /// The .NET namespace, which XML and the C# DTOs use.
    pub namespace: Option<&'static str>,
    pub description: Option<&'static str>,
    /// The names of the generic parameters, usually `["T"]` or none.
    pub generic_params: Vec<&'static str>,
    pub kind: TypeKind,
}

/// The kind of type a [`TypeDef`] describes.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A class with its own members; the base class's members are on the base's definition.
    Class {
        base: Option<TypeRef>,
        members: Vec<Member>,
    },
    /// An enum written by name, with its values in declaration order.
    Enum { values: Vec<&'static str> },
    /// A class that is a dictionary, such as `Struct : Dictionary<string,Value>`.
    Dictionary { key: TypeRef, value: TypeRef },
}

/// A class member.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The .NET property name: `UIHint`.
    pub name: &'static str,
    /// The name in JSON and JSV bodies: `uiHint`.
    pub wire_name: &'static str,
    pub type_ref: TypeRef,
    pub description: Option<&'static str>,
    /// The member's declared `IsRequired` flag, shown on the operation pages. Validation rules
    /// are separate and stricter.
    pub required: bool,
    /// Whether the member carries a secret such as a password: the OpenAPI document marks it
    /// `format: password` and never offers it as a query parameter, where it would be logged.
    pub secret: bool,
}

impl TypeDef {
    /// Returns the type's own members; none for an enum or a dictionary.
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            TypeKind::Class { members, .. } => members,
            TypeKind::Enum { .. } | TypeKind::Dictionary { .. } => &[],
        }
    }

    /// Returns the base class, if the type has one.
    pub fn base(&self) -> Option<&TypeRef> {
        match &self.kind {
            TypeKind::Class { base, .. } => base.as_ref(),
            TypeKind::Enum { .. } | TypeKind::Dictionary { .. } => None,
        }
    }

    /// Returns the enum's values, if the type is an enum.
    pub fn enum_values(&self) -> Option<&[&'static str]> {
        match &self.kind {
            TypeKind::Enum { values } => Some(values),
            TypeKind::Class { .. } | TypeKind::Dictionary { .. } => None,
        }
    }

    /// Returns the type's name with its generic parameters: `ListResponse<T>`.
    pub fn display_name(&self) -> String {
        if self.generic_params.is_empty() {
            self.name.to_owned()
        } else {
            format!("{}<{}>", self.name, self.generic_params.join(","))
        }
    }
}

/// An operation: its request and response types, routes and authentication.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationDef {
    pub name: &'static str,
    pub request: TypeRef,
    /// The response type, or [`TypeRef::Void`] for an operation that sends 204.
    pub response: TypeRef,
    /// Whether the response may be empty, which the host sends as 204 (a Rust `Option`).
    pub response_may_be_empty: bool,
    pub routes: Vec<Route>,
    pub requires_authentication: bool,
    /// Roles of which the caller needs one; empty when any authenticated caller may call.
    pub required_roles: Vec<&'static str>,
}

/// Every operation and type of a host.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    types: IndexMap<&'static str, TypeDef>,
    operations: Vec<OperationDef>,
}

impl Registry {
    /// Creates an empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Defines `name` with `build` unless it is defined already, and returns a reference to it.
    ///
    /// The name is reserved before `build` runs, so a type that refers to itself (directly or
    /// through another type) ends the recursion.
    pub fn define(
        &mut self,
        name: &'static str,
        build: impl FnOnce(&mut Registry) -> TypeDef,
    ) -> TypeRef {
        if !self.types.contains_key(name) {
            let placeholder = TypeDef {
                name,
                namespace: None,
                description: None,
                generic_params: Vec::new(),
                kind: TypeKind::Enum { values: Vec::new() },
            };
            self.types.insert(name, placeholder);
            let definition = build(self);
            self.types.insert(name, definition);
        }
        TypeRef::named(name)
    }

    /// Adds an operation. Its request and response types must be defined already.
    pub fn add_operation(&mut self, operation: OperationDef) {
        self.operations.push(operation);
    }

    /// Returns the type named `name`.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// Every type, in the order they were first defined.
    pub fn types(&self) -> impl Iterator<Item = &TypeDef> {
        self.types.values()
    }

    /// Every operation, in registration order.
    pub fn operations(&self) -> &[OperationDef] {
        &self.operations
    }

    /// Returns the operation named `name`, ignoring case as routes do.
    pub fn operation(&self, name: &str) -> Option<&OperationDef> {
        self.operations
            .iter()
            .find(|operation| operation.name.eq_ignore_ascii_case(name))
    }

    /// Returns the definition `type_ref` names, if it names one.
    pub fn definition(&self, type_ref: &TypeRef) -> Option<&TypeDef> {
        match type_ref {
            TypeRef::Named { name, .. } => self.get(name),
            _ => None,
        }
    }

    /// Every member of a class, the base class's first, with generic parameters replaced by
    /// `args`, as XML and the C# contract order them.
    pub fn all_members(&self, definition: &TypeDef, args: &[TypeRef]) -> Vec<Member> {
        let mut members = Vec::new();
        if let Some(TypeRef::Named {
            name,
            args: base_args,
        }) = definition.base()
        {
            if let Some(base) = self.get(name) {
                let base_args: Vec<TypeRef> =
                    base_args.iter().map(|arg| arg.substitute(args)).collect();
                members = self.all_members(base, &base_args);
            }
        }
        for member in definition.members() {
            members.push(Member {
                type_ref: member.type_ref.substitute(args),
                ..member.clone()
            });
        }
        members
    }

    /// Returns the names of the types an operation's page documents: the request, then the
    /// response, each followed depth-first by its base class and the types of its members, in
    /// member order. Each type appears once; dictionary classes such as `Struct`, which have no
    /// members of their own, are left out but their value types are followed.
    pub fn operation_types(&self, operation: &OperationDef) -> Vec<&'static str> {
        let mut seen = Vec::new();
        for root in [&operation.request, &operation.response] {
            self.visit(root, &mut seen);
        }
        seen.retain(|name| {
            self.get(name)
                .is_some_and(|definition| !matches!(definition.kind, TypeKind::Dictionary { .. }))
        });
        seen
    }

    fn visit(&self, type_ref: &TypeRef, seen: &mut Vec<&'static str>) {
        for name in type_ref.named_types() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let Some(definition) = self.get(name) else {
                continue;
            };
            if let Some(base) = definition.base() {
                self.visit(base, seen);
            }
            for member in definition.members() {
                self.visit(&member.type_ref, seen);
            }
            if let TypeKind::Dictionary { key, value } = &definition.kind {
                self.visit(key, seen);
                self.visit(value, seen);
            }
        }
    }
}

/// A Rust type that the registry can describe in the .NET contract's terms.
///
/// Derive it with `#[derive(ApiType)]` for DTOs and enums; the implementations here cover the
/// primitives and containers DTOs are built from.
pub trait ApiType {
    /// Whether the contract declares the type as a .NET value type, which `Option` turns into
    /// a nullable (`bool?`) rather than leaving as is (`string`).
    const IS_VALUE_TYPE: bool = false;

    /// Whether a value may be empty, so that a response of this type may be a 204.
    const MAY_BE_EMPTY: bool = false;

    /// Defines the type (and every type it uses) in `registry` and returns a reference to it.
    fn describe(registry: &mut Registry) -> TypeRef;
}

macro_rules! primitive {
    ($($rust:ty => $primitive:ident, $value_type:literal;)*) => {
        $(impl ApiType for $rust {
            const IS_VALUE_TYPE: bool = $value_type;

            fn describe(_registry: &mut Registry) -> TypeRef {
                TypeRef::Primitive(Primitive::$primitive)
            }
        })*
    };
}

primitive! {
    String => String, false;
    bool => Bool, true;
    i32 => Int, true;
    i64 => Long, true;
    f64 => Double, true;
}

impl<T: ApiType> ApiType for Option<T> {
    const MAY_BE_EMPTY: bool = true;

    fn describe(registry: &mut Registry) -> TypeRef {
        let inner = T::describe(registry);
        if T::IS_VALUE_TYPE {
            TypeRef::Nullable(Box::new(inner))
        } else {
            inner
        }
    }
}

impl<T: ApiType> ApiType for Box<T> {
    const IS_VALUE_TYPE: bool = T::IS_VALUE_TYPE;

    fn describe(registry: &mut Registry) -> TypeRef {
        T::describe(registry)
    }
}

impl<T: ApiType> ApiType for Vec<T> {
    fn describe(registry: &mut Registry) -> TypeRef {
        // A list of optional references is still a `List<T>` in .NET.
        let item = match T::describe(registry) {
            TypeRef::Nullable(inner) if !T::IS_VALUE_TYPE => *inner,
            item => item,
        };
        TypeRef::List(Box::new(item))
    }
}

macro_rules! dictionary {
    ($($map:ident),*) => {
        $(impl<K: ApiType, V: ApiType, X> ApiType for $map<K, V, X> {
            fn describe(registry: &mut Registry) -> TypeRef {
                let key = K::describe(registry);
                let value = V::describe(registry);
                TypeRef::Dictionary(Box::new(key), Box::new(value))
            }
        })*
    };
}

dictionary!(IndexMap, HashMap);

impl<K: ApiType, V: ApiType> ApiType for BTreeMap<K, V> {
    fn describe(registry: &mut Registry) -> TypeRef {
        let key = K::describe(registry);
        let value = V::describe(registry);
        TypeRef::Dictionary(Box::new(key), Box::new(value))
    }
}

impl ApiType for () {
    fn describe(_registry: &mut Registry) -> TypeRef {
        TypeRef::Void
    }
}

/// Removes the members a class inherits from `members`, which lists every member of the Rust
/// struct: serde has no inheritance, so a DTO repeats its base class's members.
///
/// # Panics
///
/// Panics when the struct lacks one of the base class's members, because the DTO would then
/// not be what its contract says.
pub fn own_members(
    registry: &Registry,
    type_name: &str,
    base: Option<&TypeRef>,
    members: Vec<Member>,
) -> Vec<Member> {
    let Some(TypeRef::Named { name, args }) = base else {
        return members;
    };
    let Some(definition) = registry.get(name) else {
        return members;
    };
    let inherited = registry.all_members(definition, args);
    for member in &inherited {
        assert!(
            members.iter().any(|own| own.wire_name == member.wire_name),
            "{type_name} inherits {name} but has no member {}",
            member.wire_name
        );
    }
    members
        .into_iter()
        .filter(|member| {
            !inherited
                .iter()
                .any(|base_member| base_member.wire_name == member.wire_name)
        })
        .collect()
}

/// Stands for the `INDEX`th generic parameter while a generic type's definition is described.
///
/// The derive replaces each type parameter with this marker, so `ListResponse<T>`'s definition
/// reads `List<T>` for `items` whatever `T` the first user of the type had.
pub struct GenericParam<const INDEX: usize>;

impl<const INDEX: usize> ApiType for GenericParam<INDEX> {
    fn describe(_registry: &mut Registry) -> TypeRef {
        TypeRef::Param(INDEX)
    }
}
