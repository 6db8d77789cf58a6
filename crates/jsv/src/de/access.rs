//! serde access types for list items, object members and enum variants.

use std::borrow::Cow;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};

use super::key::KeyDeserializer;
use super::{match_name, Deserializer, KeyText, Result, Segment};
use crate::error::Error;

fn key_segment(key: &KeyText) -> Segment {
    Segment::Key {
        start: key.start,
        end: key.end,
        quoted: key.quoted,
    }
}

/// Creates the error for a missing separator at the reader's position. Kept out of line so
/// that the hot callers stay small enough to inline.
#[cold]
#[inline(never)]
fn separator_error(de: &Deserializer<'_>, expected: &str) -> Error {
    de.error_at(
        de.pos,
        format!("expected {expected}, found {}", de.describe(de.pos)),
    )
}

/// Reads list items: `[a,b]`, or `a,b` for a top-level list without brackets.
pub(super) struct SeqReader<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    bracketed: bool,
    first: bool,
    done: bool,
    index: usize,
}

impl<'a, 'de> SeqReader<'a, 'de> {
    pub(super) fn new(de: &'a mut Deserializer<'de>, bracketed: bool) -> Self {
        SeqReader {
            de,
            bracketed,
            first: true,
            done: false,
            index: 0,
        }
    }

    /// True once the closing `]` (or the end of a bracketless list) has been consumed.
    pub(super) fn is_done(&self) -> bool {
        self.done
    }

    /// Consumes the separator before the next item and returns false, or the end of the
    /// list and returns true.
    #[inline(always)]
    fn advance(&mut self) -> Result<bool> {
        let de = &mut *self.de;
        de.skip_whitespace();
        let next = de.peek();
        if self.bracketed && next == Some(b']') {
            de.leave();
            return Ok(true);
        }
        if !self.bracketed && next.is_none() {
            return Ok(true);
        }
        if self.first {
            return Ok(false);
        }
        if next == Some(b',') {
            de.pos += 1;
            return Ok(false);
        }
        let expected = if self.bracketed {
            "',' or ']' after a list item"
        } else {
            "',' between list items"
        };
        Err(separator_error(de, expected))
    }
}

impl<'de> de::SeqAccess<'de> for SeqReader<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.done {
            return Ok(None);
        }
        if self.advance()? {
            self.done = true;
            return Ok(None);
        }
        self.first = false;
        let de = &mut *self.de;
        de.skip_whitespace();
        let start = de.pos;
        de.path.push(Segment::Index(self.index));
        match seed.deserialize(&mut *de) {
            Ok(value) => {
                de.path.pop();
                self.index += 1;
                Ok(Some(value))
            }
            Err(error) => Err(de.locate(error, start)),
        }
    }
}

/// Reads object members. For a struct, `fields` contains the serde field names, and each key is
/// matched to one of them ignoring ASCII case.
pub(super) struct MapReader<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    fields: Option<&'static [&'static str]>,
    first: bool,
    done: bool,
    /// Index of the field expected next, tried first when matching a key.
    next_field: usize,
}

impl<'a, 'de> MapReader<'a, 'de> {
    pub(super) fn new(
        de: &'a mut Deserializer<'de>,
        fields: Option<&'static [&'static str]>,
    ) -> Self {
        MapReader {
            de,
            fields,
            first: true,
            done: false,
            next_field: 0,
        }
    }

    /// True once the closing `}` has been consumed.
    pub(super) fn is_done(&self) -> bool {
        self.done
    }

    /// Consumes the separator before the next member and returns false, or the closing `}`
    /// and returns true. Leaves the reader at the member name.
    #[inline(always)]
    fn advance(&mut self) -> Result<bool> {
        let de = &mut *self.de;
        de.skip_whitespace();
        match de.peek() {
            Some(b'}') => {
                de.leave();
                return Ok(true);
            }
            Some(b',') if !self.first => de.pos += 1,
            _ if self.first => {}
            _ => return Err(separator_error(de, "',' or '}' after a member")),
        }
        de.skip_whitespace();
        Ok(false)
    }

    /// Returns the struct field that `key` names, and advances the guess for the next key.
    /// Returns `None` for maps and for keys that match no field.
    #[inline(always)]
    fn match_field(&mut self, key: &KeyText) -> Option<&'static str> {
        let fields = self.fields?;
        let index = if key.doubled {
            match_name(fields, self.de.key_text(key).as_bytes(), self.next_field)
        } else {
            // Compare the raw bytes, which needs no copy.
            let raw = &self.de.src.as_bytes()[key.start..key.end];
            match_name(fields, raw, self.next_field)
        }?;
        self.next_field = index + 1;
        Some(fields[index])
    }
}

impl<'de> de::MapAccess<'de> for MapReader<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.done {
            return Ok(None);
        }
        if self.advance()? {
            self.done = true;
            return Ok(None);
        }
        self.first = false;

        let key = self.de.read_key()?;
        let (segment, result) = match self.match_field(&key) {
            Some(name) => (
                Segment::Field(name),
                seed.deserialize(BorrowedStrDeserializer::<Error>::new(name)),
            ),
            None => (
                key_segment(&key),
                seed.deserialize(KeyDeserializer::new(self.de.key_text(&key))),
            ),
        };

        // The segment stays on the path until the member's value has been read.
        let de = &mut *self.de;
        de.path.push(segment);
        match result {
            Ok(value) => Ok(Some(value)),
            Err(error) => Err(de.locate(error, key.position)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let de = &mut *self.de;
        de.skip_whitespace();
        let start = de.pos;
        match seed.deserialize(&mut *de) {
            Ok(value) => {
                de.path.pop();
                Ok(value)
            }
            Err(error) => Err(de.locate(error, start)),
        }
    }
}

/// An enum variant with data, written `{Variant:value}`, after the reader consumed `{Variant:`.
pub(super) struct TaggedEnum<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    key: KeyText,
    variants: &'static [&'static str],
}

impl<'a, 'de> TaggedEnum<'a, 'de> {
    pub(super) fn new(
        de: &'a mut Deserializer<'de>,
        key: KeyText,
        variants: &'static [&'static str],
    ) -> Self {
        TaggedEnum { de, key, variants }
    }
}

impl<'a, 'de> de::EnumAccess<'de> for TaggedEnum<'a, 'de> {
    type Error = Error;
    type Variant = TaggedVariant<'a, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant)> {
        let text = self.de.key_text(&self.key);
        let (segment, value) = match match_name(self.variants, text.as_bytes(), 0) {
            Some(index) => {
                let name = self.variants[index];
                let value = seed.deserialize(BorrowedStrDeserializer::<Error>::new(name))?;
                (Segment::Field(name), value)
            }
            None => (
                key_segment(&self.key),
                seed.deserialize(KeyDeserializer::new(text))?,
            ),
        };
        Ok((
            value,
            TaggedVariant {
                de: self.de,
                segment,
            },
        ))
    }
}

/// The value part of `{Variant:value}`.
pub(super) struct TaggedVariant<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    segment: Segment,
}

impl<'de> TaggedVariant<'_, 'de> {
    fn read<T>(self, read: impl FnOnce(&mut Deserializer<'de>) -> Result<T>) -> Result<T> {
        let de = self.de;
        de.path.push(self.segment);
        de.skip_whitespace();
        let start = de.pos;
        match read(&mut *de) {
            Ok(value) => {
                de.path.pop();
                Ok(value)
            }
            Err(error) => Err(de.locate(error, start)),
        }
    }
}

impl<'de> de::VariantAccess<'de> for TaggedVariant<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        Err(de::Error::custom(
            "a unit enum variant must be written as its bare name, not as {Variant:value}",
        ))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.read(|de| seed.deserialize(de))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.read(|de| de::Deserializer::deserialize_seq(de, visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.read(|de| de::Deserializer::deserialize_struct(de, "", fields, visitor))
    }
}

/// A unit enum variant written as its bare name.
pub(super) struct UnitEnum<'de> {
    name: Cow<'de, str>,
}

impl<'de> UnitEnum<'de> {
    pub(super) fn new(name: Cow<'de, str>) -> Self {
        UnitEnum { name }
    }
}

impl<'de> de::EnumAccess<'de> for UnitEnum<'de> {
    type Error = Error;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitOnly)> {
        let value = seed.deserialize(KeyDeserializer::new(self.name))?;
        Ok((value, UnitOnly))
    }
}

/// The variant access of a bare name, which only a unit variant accepts.
pub(super) struct UnitOnly;

fn bare_name_error() -> Error {
    de::Error::custom(
        "an enum variant with data must be written as {Variant:value}, not as a bare name",
    )
}

impl<'de> de::VariantAccess<'de> for UnitOnly {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value> {
        Err(bare_name_error())
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(bare_name_error())
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(bare_name_error())
    }
}
