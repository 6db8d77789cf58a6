//! A dynamic JSV value that keeps member order, for reading JSV without a Rust type for it.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Any JSV value.
///
/// JSV has no number or bool types, so every scalar is a [`Value::Str`] holding its text
/// (`0`, `False`, `HostedSuite`). Writing a value gives the writer's usual text: quotes only
/// where they are needed, and no member whose value is [`Value::Null`], so a member read from
/// a bare `null` or an empty value is dropped. A `null` list item is kept.
///
/// ```
/// use jsv::value::Value;
///
/// let value: Value = jsv::from_str("{a:[1,null],b:{}}").unwrap();
/// assert_eq!(
///     value,
///     Value::Map(vec![
///         ("a".into(), Value::List(vec![Value::Str("1".into()), Value::Null])),
///         ("b".into(), Value::Map(vec![])),
///     ])
/// );
/// assert_eq!(jsv::to_string(&value).unwrap(), "{a:[1,null],b:{}}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A missing value (an empty value or bare `null`): written as `null` inside a list and
    /// left out as an object member.
    Null,
    /// A string, number, bool or enum name, as text.
    Str(String),
    /// A list.
    List(Vec<Value>),
    /// An object or map, members in input order with keys as written.
    Map(Vec<(String, Value)>),
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_none(),
            Value::Str(text) => serializer.serialize_str(text),
            Value::List(items) => serializer.collect_seq(items),
            Value::Map(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSV value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Str(if value { "True" } else { "False" }.to_owned()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Str(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Str(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        let mut text = String::new();
        crate::number::write_f64(&mut text, value).map_err(E::custom)?;
        Ok(Value::Str(text))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::Str(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::Str(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(member) = map.next_entry::<String, Value>()? {
            members.push(member);
        }
        Ok(Value::Map(members))
    }
}
