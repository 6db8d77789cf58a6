//! Sample request and response bodies for the operation pages, built from the registry alone.
//!
//! Every member gets a placeholder: `String` for strings, `0` for numbers, `false` for booleans,
//! the first value of an enum, a one-item list and a one-entry map keyed `String`. Recursive
//! types stop the way ServiceStack's pages stop them: a type is expanded at most
//! [`MAX_EXPANSIONS`] times along one path from the root. Past that, a member of that type is
//! left out, a list item is written as `null`, and a map whose value type can no longer be
//! expanded is empty.

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{Member, Primitive, Registry, TypeKind, TypeRef};

/// How many times one type may be expanded along a path from the sample's root.
pub const MAX_EXPANSIONS: usize = 3;

/// A sample value, serialized like the DTO it stands for: classes as structs named after their
/// type (which the XML writer needs), dictionaries as maps.
#[derive(Clone, Debug, PartialEq)]
pub enum Sample {
    Null,
    Bool(bool),
    Number(i64),
    String(&'static str),
    List(Vec<Sample>),
    Map(Vec<(Sample, Sample)>),
    Object {
        type_name: &'static str,
        members: Vec<(&'static str, Sample)>,
    },
}

impl Serialize for Sample {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Sample::Null => serializer.serialize_none(),
            Sample::Bool(value) => serializer.serialize_bool(*value),
            Sample::Number(value) => serializer.serialize_i64(*value),
            Sample::String(text) => serializer.serialize_str(text),
            Sample::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Sample::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            Sample::Object { type_name, members } => {
                let mut object = serializer.serialize_struct(type_name, members.len())?;
                for (name, value) in members {
                    object.serialize_field(name, value)?;
                }
                object.end()
            }
        }
    }
}

/// Builds the sample value of `type_ref`, or `Sample::Null` for a type that cannot be expanded.
pub fn sample(registry: &Registry, type_ref: &TypeRef) -> Sample {
    let mut path = Vec::new();
    Generator { registry }
        .value(type_ref, &[], &mut path)
        .unwrap_or(Sample::Null)
}

struct Generator<'a> {
    registry: &'a Registry,
}

impl Generator<'_> {
    /// Builds the sample of `type_ref`, or `None` when it must be left out because a type on `path`
    /// was expanded too often. `args` are the generic arguments of the enclosing type.
    fn value(
        &self,
        type_ref: &TypeRef,
        args: &[TypeRef],
        path: &mut Vec<&'static str>,
    ) -> Option<Sample> {
        match type_ref {
            TypeRef::Primitive(primitive) => Some(placeholder(*primitive)),
            TypeRef::Nullable(inner) => self.value(inner, args, path),
            TypeRef::List(item) => {
                let item = self.value(item, args, path).unwrap_or(Sample::Null);
                Some(Sample::List(vec![item]))
            }
            TypeRef::Dictionary(key, value) => Some(self.dictionary(key, value, args, path)),
            TypeRef::Param(index) => {
                let argument = args.get(*index)?.clone();
                self.value(&argument, &[], path)
            }
            TypeRef::Named {
                name,
                args: own_args,
            } => {
                let own_args: Vec<TypeRef> =
                    own_args.iter().map(|arg| arg.substitute(args)).collect();
                self.named(name, &own_args, path)
            }
            TypeRef::Void => None,
        }
    }

    fn named(
        &self,
        name: &'static str,
        args: &[TypeRef],
        path: &mut Vec<&'static str>,
    ) -> Option<Sample> {
        let definition = self.registry.get(name)?;
        if let TypeKind::Enum { values } = &definition.kind {
            return Some(
                values
                    .first()
                    .map_or(Sample::Null, |value| Sample::String(value)),
            );
        }
        let expansions = path.iter().filter(|seen| **seen == name).count();
        if expansions >= MAX_EXPANSIONS {
            return None;
        }

        path.push(name);
        let sample = match &definition.kind {
            TypeKind::Dictionary { key, value } => self.dictionary(key, value, args, path),
            _ => {
                let mut members = Vec::new();
                for member in self.wire_order(definition, args) {
                    if let Some(value) = self.value(&member.type_ref, &[], path) {
                        members.push((member.wire_name, value));
                    }
                }
                Sample::Object {
                    type_name: name,
                    members,
                }
            }
        };
        path.pop();
        Some(sample)
    }

    /// Builds a one-entry map, or an empty one when its value type can no longer be expanded.
    fn dictionary(
        &self,
        key: &TypeRef,
        value: &TypeRef,
        args: &[TypeRef],
        path: &mut Vec<&'static str>,
    ) -> Sample {
        let key = self.value(key, args, path).unwrap_or(Sample::Null);
        match self.value(value, args, path) {
            Some(value) => Sample::Map(vec![(key, value)]),
            None => Sample::Map(Vec::new()),
        }
    }

    /// Lists the members in the order JSON and JSV write them: the type's own members, then those
    /// it inherits, as the DTOs declare them. Generic parameters are replaced by `args`.
    fn wire_order(&self, definition: &super::TypeDef, args: &[TypeRef]) -> Vec<Member> {
        let mut members: Vec<Member> = definition
            .members()
            .iter()
            .map(|member| Member {
                type_ref: member.type_ref.substitute(args),
                ..member.clone()
            })
            .collect();
        if let Some(TypeRef::Named {
            name,
            args: base_args,
        }) = definition.base()
        {
            if let Some(base) = self.registry.get(name) {
                let base_args: Vec<TypeRef> =
                    base_args.iter().map(|arg| arg.substitute(args)).collect();
                members.extend(self.wire_order(base, &base_args));
            }
        }
        members
    }
}

fn placeholder(primitive: Primitive) -> Sample {
    match primitive {
        Primitive::String => Sample::String("String"),
        Primitive::Bool => Sample::Bool(false),
        Primitive::Int | Primitive::Long | Primitive::Double => Sample::Number(0),
    }
}
