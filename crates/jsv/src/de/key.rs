//! The deserializer for map keys and enum variant names.

use std::borrow::Cow;

use serde::de::{self, Visitor};
use serde::forward_to_deserialize_any;

use super::access::UnitEnum;
use super::{match_name, parse_bool, parse_char, parse_float, parse_integer, Result};
use crate::error::Error;

/// Reads a map key or a variant name: a string, or a number, bool, char or unit variant parsed
/// from the key's text.
pub(super) struct KeyDeserializer<'de> {
    text: Cow<'de, str>,
}

impl<'de> KeyDeserializer<'de> {
    pub(super) fn new(text: Cow<'de, str>) -> Self {
        KeyDeserializer { text }
    }

    fn parse<T>(&self, parse: impl FnOnce(&str) -> std::result::Result<T, String>) -> Result<T> {
        parse(&self.text).map_err(de::Error::custom)
    }
}

macro_rules! deserialize_key_number {
    ($method:ident, $visit:ident, $parse:ident, $expected:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let value = self.parse(|text| $parse(text, $expected))?;
            visitor.$visit(value)
        }
    };
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.text {
            Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
            Cow::Owned(text) => visitor.visit_string(text),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.parse(parse_bool)?;
        visitor.visit_bool(value)
    }

    deserialize_key_number!(
        deserialize_i8,
        visit_i8,
        parse_integer,
        "an integer key (i8)"
    );
    deserialize_key_number!(
        deserialize_i16,
        visit_i16,
        parse_integer,
        "an integer key (i16)"
    );
    deserialize_key_number!(
        deserialize_i32,
        visit_i32,
        parse_integer,
        "an integer key (i32)"
    );
    deserialize_key_number!(
        deserialize_i64,
        visit_i64,
        parse_integer,
        "an integer key (i64)"
    );
    deserialize_key_number!(
        deserialize_i128,
        visit_i128,
        parse_integer,
        "an integer key (i128)"
    );
    deserialize_key_number!(
        deserialize_u8,
        visit_u8,
        parse_integer,
        "an integer key (u8)"
    );
    deserialize_key_number!(
        deserialize_u16,
        visit_u16,
        parse_integer,
        "an integer key (u16)"
    );
    deserialize_key_number!(
        deserialize_u32,
        visit_u32,
        parse_integer,
        "an integer key (u32)"
    );
    deserialize_key_number!(
        deserialize_u64,
        visit_u64,
        parse_integer,
        "an integer key (u64)"
    );
    deserialize_key_number!(
        deserialize_u128,
        visit_u128,
        parse_integer,
        "an integer key (u128)"
    );
    deserialize_key_number!(
        deserialize_f32,
        visit_f32,
        parse_float,
        "a number key (f32)"
    );
    deserialize_key_number!(
        deserialize_f64,
        visit_f64,
        parse_float,
        "a number key (f64)"
    );

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.parse(parse_char)?;
        visitor.visit_char(value)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    /// Reads a unit variant by name, ignoring ASCII case.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let name = match match_name(variants, self.text.as_bytes(), 0) {
            Some(index) => Cow::Borrowed(variants[index]),
            None => self.text,
        };
        visitor.visit_enum(UnitEnum::new(name))
    }

    forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}
