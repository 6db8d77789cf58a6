//! The compact JSV writer.
//!
//! Output goes into one `String`. A struct member or map entry is written key first and
//! truncated away again when its value turns out to write nothing (`None`, unit), which is how
//! null members are omitted without a look-ahead.

use serde::ser::{self, Impossible, Serialize};

use crate::error::Error;
use crate::number;

/// The compact writer behind [`crate::to_string`].
pub(crate) struct Serializer {
    out: String,
}

impl Serializer {
    pub(crate) fn new() -> Self {
        Serializer {
            out: String::with_capacity(256),
        }
    }

    pub(crate) fn into_string(self) -> String {
        self.out
    }
}

/// Bytes that force a string into quotes wherever they appear in it.
const QUOTE_TRIGGERS: [bool; 256] = {
    let mut table = [false; 256];
    let triggers = *b"\":,{}[]\r\n";
    let mut i = 0;
    while i < triggers.len() {
        table[triggers[i] as usize] = true;
        i += 1;
    }
    table
};

/// Returns whether `text` must be quoted to read back as the same string.
///
/// ServiceStack quotes a string that contains any of `"` `:` `,` `{` `}` `[` `]` CR LF. This
/// writer also quotes an empty string and `null`, because both read back as a missing value
/// when bare. It quotes a string that starts or ends with whitespace or starts with U+FEFF too,
/// because the reader trims whitespace and skips a leading byte order mark.
#[inline]
pub(crate) fn needs_quotes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if contains_trigger(bytes) || text == "null" {
        return true;
    }
    let edge_is_space = |b: u8| b == b' ' || b == b'\t';
    if edge_is_space(first) || edge_is_space(last) {
        return true;
    }
    // Non-ASCII edges: Unicode whitespace and the byte order mark.
    if first >= 0x80
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_whitespace() || c == '\u{FEFF}')
    {
        return true;
    }
    last >= 0x80 && text.chars().next_back().is_some_and(char::is_whitespace)
}

/// Returns whether any byte of `bytes` is in [`QUOTE_TRIGGERS`]. The loop looks up eight bytes
/// per step and branches once per step, not once per byte.
#[inline]
fn contains_trigger(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let hit = chunk
            .iter()
            .fold(false, |hit, &b| hit | QUOTE_TRIGGERS[usize::from(b)]);
        if hit {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| QUOTE_TRIGGERS[usize::from(b)])
}

/// Appends `text` bare, or quoted with each `"` doubled when [`needs_quotes`] requires it.
#[inline]
pub(crate) fn write_string(out: &mut String, text: &str) {
    if !needs_quotes(text) {
        out.push_str(text);
        return;
    }
    out.push('"');
    let mut rest = text;
    while let Some(at) = rest.find('"') {
        out.push_str(&rest[..=at]);
        out.push('"');
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

#[inline]
fn write_bool(out: &mut String, value: bool) {
    out.push_str(if value { "True" } else { "False" });
}

impl<'a> ser::Serializer for &'a mut Serializer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqWriter<'a>;
    type SerializeTuple = SeqWriter<'a>;
    type SerializeTupleStruct = SeqWriter<'a>;
    type SerializeTupleVariant = SeqWriter<'a>;
    type SerializeMap = MapWriter<'a>;
    type SerializeStruct = MapWriter<'a>;
    type SerializeStructVariant = MapWriter<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        write_bool(&mut self.out, value);
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        number::write_i64(&mut self.out, value);
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        self.out.push_str(&value.to_string());
        Ok(())
    }

    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        number::write_u64(&mut self.out, value);
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        self.out.push_str(&value.to_string());
        Ok(())
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        number::write_f32(&mut self.out, value)
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        number::write_f64(&mut self.out, value)
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        write_string(&mut self.out, value.encode_utf8(&mut buf));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        write_string(&mut self.out, value);
        Ok(())
    }

    /// Writes bytes as a list of numbers, `[104,105]`.
    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        self.out.push('[');
        for (i, &byte) in value.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            number::write_u64(&mut self.out, u64::from(byte));
        }
        self.out.push(']');
        Ok(())
    }

    /// Writes nothing: the enclosing struct or map drops the member, a list writes `null`.
    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    /// Writes nothing, like `None`.
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        write_string(&mut self.out, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    /// Writes `{Variant:value}`.
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push('{');
        write_string(&mut self.out, variant);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqWriter<'a>, Error> {
        self.out.push('[');
        Ok(SeqWriter::new(self, "]"))
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqWriter<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqWriter<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    /// Writes `{Variant:[items]}`.
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<SeqWriter<'a>, Error> {
        self.out.push('{');
        write_string(&mut self.out, variant);
        self.out.push_str(":[");
        Ok(SeqWriter::new(self, "]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapWriter<'a>, Error> {
        self.out.push('{');
        Ok(MapWriter::new(self, "}"))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapWriter<'a>, Error> {
        self.out.push('{');
        Ok(MapWriter::new(self, "}"))
    }

    /// Writes `{Variant:{members}}`.
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<MapWriter<'a>, Error> {
        self.out.push('{');
        write_string(&mut self.out, variant);
        self.out.push_str(":{");
        Ok(MapWriter::new(self, "}}"))
    }
}

/// Writes the items of a list, tuple or tuple variant.
pub(crate) struct SeqWriter<'a> {
    ser: &'a mut Serializer,
    first: bool,
    close: &'static str,
}

impl<'a> SeqWriter<'a> {
    fn new(ser: &'a mut Serializer, close: &'static str) -> Self {
        SeqWriter {
            ser,
            first: true,
            close,
        }
    }

    fn item<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        if !self.first {
            self.ser.out.push(',');
        }
        self.first = false;
        let before = self.ser.out.len();
        value.serialize(&mut *self.ser)?;
        if self.ser.out.len() == before {
            self.ser.out.push_str("null");
        }
        Ok(())
    }

    fn finish(self) {
        self.ser.out.push_str(self.close);
    }
}

impl ser::SerializeSeq for SeqWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTuple for SeqWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for SeqWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for SeqWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

/// Writes the members of a struct, map or struct variant.
pub(crate) struct MapWriter<'a> {
    ser: &'a mut Serializer,
    /// True until a member has been kept.
    first: bool,
    /// Output length before the pending key, where an omitted member is cut back to.
    member_start: usize,
    close: &'static str,
}

impl<'a> MapWriter<'a> {
    fn new(ser: &'a mut Serializer, close: &'static str) -> Self {
        let member_start = ser.out.len();
        MapWriter {
            ser,
            first: true,
            member_start,
            close,
        }
    }

    fn begin_member(&mut self) {
        self.member_start = self.ser.out.len();
        if !self.first {
            self.ser.out.push(',');
        }
    }

    fn member_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.ser.out.push(':');
        let before = self.ser.out.len();
        value.serialize(&mut *self.ser)?;
        if self.ser.out.len() == before {
            self.ser.out.truncate(self.member_start);
        } else {
            self.first = false;
        }
        Ok(())
    }

    fn finish(self) {
        self.ser.out.push_str(self.close);
    }
}

impl ser::SerializeMap for MapWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.begin_member();
        key.serialize(KeyWriter {
            out: &mut self.ser.out,
        })
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.member_value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStruct for MapWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.begin_member();
        write_string(&mut self.ser.out, key);
        self.member_value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStructVariant for MapWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.begin_member();
        write_string(&mut self.ser.out, key);
        self.member_value(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish();
        Ok(())
    }
}

/// Writes a map key: strings, chars, numbers, bools, unit variants and newtypes around them.
struct KeyWriter<'a> {
    out: &'a mut String,
}

fn key_error(kind: &str) -> Error {
    Error::new(format!(
        "cannot write a {kind} as a JSV map key: keys must be strings, numbers, bools or unit enum variants"
    ))
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        write_bool(self.out, value);
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(value))
    }

    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        number::write_i64(self.out, value);
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        self.out.push_str(&value.to_string());
        Ok(())
    }

    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(value))
    }

    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        number::write_u64(self.out, value);
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        self.out.push_str(&value.to_string());
        Ok(())
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        number::write_f32(self.out, value)
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        number::write_f64(self.out, value)
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        write_string(self.out, value.encode_utf8(&mut buf));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        write_string(self.out, value);
        Ok(())
    }

    fn serialize_bytes(self, _value: &[u8]) -> Result<(), Error> {
        Err(key_error("byte array"))
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error("missing value (None)"))
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error("unit value"))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_error("unit struct"))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        write_string(self.out, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_error("enum variant with data"))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error("list"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error("tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error("tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error("enum variant with data"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error("map"))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_error("struct"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error("enum variant with data"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_table() {
        let cases: &[(&str, &str)] = &[
            ("plain", "plain"),
            ("two words", "two words"),
            ("", "\"\""),
            ("null", "\"null\""),
            ("Null", "Null"),
            ("Me, Junior", "\"Me, Junior\""),
            ("2\" x 1\"", "\"2\"\" x 1\"\"\""),
            ("a:b", "\"a:b\""),
            ("{x}", "\"{x}\""),
            ("[x]", "\"[x]\""),
            ("line\nbreak", "\"line\nbreak\""),
            ("cr\rhere", "\"cr\rhere\""),
            (" padded ", "\" padded \""),
            ("tab\t", "\"tab\t\""),
            ("\u{a0}nbsp", "\"\u{a0}nbsp\""),
            ("\u{feff}bom", "\"\u{feff}bom\""),
            ("100000", "100000"),
            ("True", "True"),
            ("naïve café", "naïve café"),
            ("日本語", "日本語"),
        ];
        for &(text, expected) in cases {
            let mut out = String::new();
            write_string(&mut out, text);
            assert_eq!(out, expected, "writing {text:?}");
        }
    }
}
