//! A deserializer adapter with ServiceStack's reading rules for any serde data format.
//!
//! [`CaseInsensitive`] wraps another `Deserializer` and:
//! - matches struct member names and enum variant names ignoring ASCII case, so `AccountId`,
//!   `accountId` and `ACCOUNTID` all bind the member serialized as `accountId`;
//! - rejects nesting deeper than a limit counted in containers (maps, structs and sequences),
//!   so a recursive type such as `Struct` cannot overflow the stack;
//! - records the PascalCase path of the member that failed (`Settings.Password.StringValue`),
//!   which the server reports as the error's `fieldName`.
//!
//! The path costs nothing on success: each level adds its segment only while an error unwinds.
//! Map keys must be strings, which every DTO of this API uses.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// The nesting limit used when a caller sets none: 64 containers.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// The state shared by every level of one deserialization.
pub struct Tracker {
    depth: Cell<usize>,
    max_depth: usize,
    /// Path segments, innermost first, pushed while an error unwinds.
    path: RefCell<Vec<Segment>>,
    /// The member whose query, form or path text failed to parse, if that was the failure.
    failed_text_member: Cell<Option<&'static str>>,
}

pub(crate) enum Segment {
    Field(&'static str),
    Key(String),
    Index(usize),
}

impl Tracker {
    /// A tracker that allows `max_depth` nested containers.
    pub fn new(max_depth: usize) -> Tracker {
        Tracker {
            depth: Cell::new(0),
            max_depth,
            path: RefCell::new(Vec::new()),
            failed_text_member: Cell::new(None),
        }
    }

    /// Records that the text value of `member` failed to parse.
    pub(crate) fn set_failed_text_member(&self, member: &'static str) {
        self.failed_text_member.set(Some(member));
    }

    /// The member whose text value failed to parse, if that was the failure.
    pub(crate) fn failed_text_member(&self) -> Option<&'static str> {
        self.failed_text_member.get()
    }

    /// The nesting limit, in containers.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The PascalCase path of the member that failed, or `""` when the root itself failed.
    pub fn path(&self) -> String {
        let segments = self.path.borrow();
        let mut path = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Field(name) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    push_pascal_case(&mut path, name);
                }
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        path
    }

    /// Records `segment` as the parent of whatever already failed.
    pub(crate) fn push_on_error(&self, segment: Segment) {
        self.path.borrow_mut().push(segment);
    }

    fn enter<E: de::Error>(&self) -> Result<(), E> {
        let depth = self.depth.get() + 1;
        if depth > self.max_depth {
            return Err(E::custom(format_args!(
                "nesting is deeper than the maximum depth of {} objects and lists",
                self.max_depth
            )));
        }
        self.depth.set(depth);
        Ok(())
    }

    fn leave(&self) {
        self.depth.set(self.depth.get() - 1);
    }
}

/// Upper-cases the first letter of a camelCase member name: `stringValue` becomes `StringValue`.
///
/// NOTE: names whose .NET form starts with an acronym (`UIHint`) come out as `UiHint`; the request
/// DTOs of this API have no such member.
pub fn push_pascal_case(out: &mut String, camel_case: &str) {
    let mut chars = camel_case.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// Finds the member name among `names` that equals `text` ignoring ASCII case.
pub fn match_name(names: &'static [&'static str], text: &str) -> Option<&'static str> {
    names
        .iter()
        .find(|name| **name == text)
        .or_else(|| names.iter().find(|name| name.eq_ignore_ascii_case(text)))
        .copied()
}

/// Deserializes `T` from `deserializer` with the rules of this module.
///
/// On failure returns the inner format's error and the PascalCase path of the failing member.
pub fn deserialize<'de, D, T>(deserializer: D, max_depth: usize) -> Result<T, (D::Error, String)>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    let tracker = Tracker::new(max_depth);
    let wrapped = CaseInsensitive::new(deserializer, &tracker);
    T::deserialize(wrapped).map_err(|error| (error, tracker.path()))
}

/// The adapter itself; see the module documentation.
pub struct CaseInsensitive<'t, D> {
    inner: D,
    tracker: &'t Tracker,
}

impl<'t, D> CaseInsensitive<'t, D> {
    /// Wraps `inner`, sharing `tracker` with every nested level.
    pub fn new(inner: D, tracker: &'t Tracker) -> Self {
        CaseInsensitive { inner, tracker }
    }
}

macro_rules! forward_plain {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method(WrapVisitor::new(visitor, self.tracker, None))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for CaseInsensitive<'_, D> {
    type Error = D::Error;

    forward_plain! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier
    }

    /// Skips an unknown member through `deserialize_any`, so its nesting counts against the
    /// depth limit too; a format's own skipping would not check it.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_any(WrapVisitor::new(visitor, self.tracker, None))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_unit_struct(name, WrapVisitor::new(visitor, self.tracker, None))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_newtype_struct(name, WrapVisitor::new(visitor, self.tracker, None))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_tuple(len, WrapVisitor::new(visitor, self.tracker, None))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple_struct(
            name,
            len,
            WrapVisitor::new(visitor, self.tracker, None),
        )
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(
            name,
            fields,
            WrapVisitor::new(visitor, self.tracker, Some(Names::Fields(fields))),
        )
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_enum(
            name,
            variants,
            WrapVisitor::new(visitor, self.tracker, Some(Names::Variants(variants))),
        )
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

#[derive(Clone, Copy)]
enum Names {
    Fields(&'static [&'static str]),
    Variants(&'static [&'static str]),
}

/// A visitor that wraps whatever nested access its inner visitor receives.
struct WrapVisitor<'t, V> {
    inner: V,
    tracker: &'t Tracker,
    names: Option<Names>,
}

impl<'t, V> WrapVisitor<'t, V> {
    fn new(inner: V, tracker: &'t Tracker, names: Option<Names>) -> Self {
        WrapVisitor {
            inner,
            tracker,
            names,
        }
    }
}

macro_rules! forward_visit {
    ($($method:ident($type:ty))*) => {
        $(
            fn $method<E: de::Error>(self, value: $type) -> Result<V::Value, E> {
                self.inner.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for WrapVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(formatter)
    }

    forward_visit! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str)
        visit_borrowed_str(&'de str) visit_string(String) visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner
            .visit_some(CaseInsensitive::new(deserializer, self.tracker))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .visit_newtype_struct(CaseInsensitive::new(deserializer, self.tracker))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        // serde's derive would bind a list to a struct's members by position; ServiceStack
        // reads objects only by member name.
        if let Some(Names::Fields(_)) = self.names {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &"an object"));
        }
        self.tracker.enter::<A::Error>()?;
        let result = self.inner.visit_seq(WrapSeq {
            inner: seq,
            tracker: self.tracker,
            index: 0,
        });
        self.tracker.leave();
        result
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.tracker.enter::<A::Error>()?;
        let fields = match self.names {
            Some(Names::Fields(fields)) => Some(fields),
            _ => None,
        };
        let result = self.inner.visit_map(WrapMap {
            inner: map,
            tracker: self.tracker,
            fields,
            current: Current::None,
        });
        self.tracker.leave();
        result
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        let variants = match self.names {
            Some(Names::Variants(variants)) => variants,
            _ => &[],
        };
        self.inner.visit_enum(WrapEnum {
            inner: data,
            tracker: self.tracker,
            variants,
        })
    }
}

/// A seed whose deserializer is wrapped in [`CaseInsensitive`].
struct WrapSeed<'t, S> {
    inner: S,
    tracker: &'t Tracker,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for WrapSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner
            .deserialize(CaseInsensitive::new(deserializer, self.tracker))
    }
}

struct WrapSeq<'t, A> {
    inner: A,
    tracker: &'t Tracker,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for WrapSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let seed = WrapSeed {
            inner: seed,
            tracker: self.tracker,
        };
        let element = self.inner.next_element_seed(seed);
        if element.is_err() {
            self.tracker.push_on_error(Segment::Index(self.index));
        }
        self.index += 1;
        element
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The member or key whose value is being read, for the error path.
enum Current<'de> {
    None,
    Field(&'static str),
    Key(Cow<'de, str>),
}

struct WrapMap<'t, 'de, A> {
    inner: A,
    tracker: &'t Tracker,
    /// The struct's member names, or `None` for a map.
    fields: Option<&'static [&'static str]>,
    current: Current<'de>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WrapMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key_seed(KeyText)? else {
            return Ok(None);
        };
        let canonical = self.fields.and_then(|fields| match_name(fields, &key));
        let value = match canonical {
            Some(field) => {
                self.current = Current::Field(field);
                seed.deserialize(BorrowedStrDeserializer::<A::Error>::new(field))?
            }
            None => {
                let value = match &key {
                    Cow::Borrowed(text) => {
                        seed.deserialize(BorrowedStrDeserializer::<A::Error>::new(text))?
                    }
                    Cow::Owned(text) => seed.deserialize(StrDeserializer::<A::Error>::new(text))?,
                };
                self.current = Current::Key(key);
                value
            }
        };
        Ok(Some(value))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let seed = WrapSeed {
            inner: seed,
            tracker: self.tracker,
        };
        let value = self.inner.next_value_seed(seed);
        if value.is_err() {
            let segment = match std::mem::replace(&mut self.current, Current::None) {
                Current::Field(field) => Some(Segment::Field(field)),
                Current::Key(key) => Some(Segment::Key(key.into_owned())),
                Current::None => None,
            };
            if let Some(segment) = segment {
                self.tracker.push_on_error(segment);
            }
        }
        value
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// Reads a map key or variant name as text, borrowing it when the format allows.
pub(crate) struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyTextVisitor)
    }
}

struct KeyTextVisitor;

impl<'de> Visitor<'de> for KeyTextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

struct WrapEnum<'t, A> {
    inner: A,
    tracker: &'t Tracker,
    variants: &'static [&'static str],
}

impl<'de, 't, A: EnumAccess<'de>> EnumAccess<'de> for WrapEnum<'t, A> {
    type Error = A::Error;
    type Variant = WrapVariant<'t, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let (name, variant) = self.inner.variant_seed(KeyText)?;
        let value = match match_name(self.variants, &name) {
            Some(canonical) => {
                seed.deserialize(BorrowedStrDeserializer::<A::Error>::new(canonical))?
            }
            None => seed.deserialize(StrDeserializer::<A::Error>::new(&name))?,
        };
        let variant = WrapVariant {
            inner: variant,
            tracker: self.tracker,
        };
        Ok((value, variant))
    }
}

struct WrapVariant<'t, A> {
    inner: A,
    tracker: &'t Tracker,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for WrapVariant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.newtype_variant_seed(WrapSeed {
            inner: seed,
            tracker: self.tracker,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inner
            .tuple_variant(len, WrapVisitor::new(visitor, self.tracker, None))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.inner.struct_variant(
            fields,
            WrapVisitor::new(visitor, self.tracker, Some(Names::Fields(fields))),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Request {
        account_id: Option<String>,
        kind: Option<Kind>,
        settings: Option<BTreeMap<String, Setting>>,
        list: Option<Vec<Setting>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Setting {
        string_value: Option<String>,
        number_value: Option<f64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Kind {
        HostedSuite,
        Zoho,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Tree {
        children: Vec<Tree>,
    }

    fn read<T: de::DeserializeOwned>(json: &str) -> Result<T, (String, String)> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        deserialize(&mut deserializer, DEFAULT_MAX_DEPTH)
            .map_err(|(error, path)| (error.to_string(), path))
    }

    #[test]
    fn member_names_ignore_case() {
        for name in ["accountId", "AccountId", "ACCOUNTID", "accountid"] {
            let request: Request = read(&format!(r#"{{"{name}":"a1"}}"#)).unwrap();
            assert_eq!(request.account_id.as_deref(), Some("a1"), "{name}");
        }
    }

    #[test]
    fn enum_values_ignore_case() {
        let request: Request = read(r#"{"kind":"zOHO"}"#).unwrap();
        assert_eq!(request.kind, Some(Kind::Zoho));
    }

    #[test]
    fn unknown_enum_value_lists_allowed_values() {
        let (message, path) = read::<Request>(r#"{"Kind":"Salesforce"}"#).unwrap_err();
        assert!(message.contains("HostedSuite"), "{message}");
        assert!(message.contains("Zoho"), "{message}");
        assert_eq!(path, "Kind");
    }

    #[test]
    fn map_keys_keep_their_case() {
        let request: Request = read(r#"{"settings":{"ClientId":{"StringValue":"x"}}}"#).unwrap();
        let settings = request.settings.unwrap();
        assert_eq!(settings["ClientId"].string_value.as_deref(), Some("x"));
    }

    #[test]
    fn error_path_names_nested_member() {
        let (_, path) =
            read::<Request>(r#"{"settings":{"Password":{"stringValue":12}}}"#).unwrap_err();
        assert_eq!(path, "Settings.Password.StringValue");
    }

    #[test]
    fn error_path_names_list_index() {
        let (_, path) =
            read::<Request>(r#"{"list":[{"numberValue":1},{"numberValue":"x"}]}"#).unwrap_err();
        assert_eq!(path, "List[1].NumberValue");
    }

    #[test]
    fn nesting_past_limit_is_an_error() {
        let depth = DEFAULT_MAX_DEPTH + 1;
        let mut json = String::new();
        for _ in 0..depth {
            json.push_str(r#"{"children":["#);
        }
        for _ in 0..depth {
            json.push_str("]}");
        }
        let (message, _) = read::<Tree>(&json).unwrap_err();
        assert!(
            message.contains("nesting is deeper than the maximum depth of 64 objects and lists"),
            "{message}"
        );
    }

    #[test]
    fn unknown_member_counts_against_depth() {
        let depth = DEFAULT_MAX_DEPTH + 1;
        let json = format!(
            r#"{{"unknown":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let (message, _) = read::<Request>(&json).unwrap_err();
        assert!(message.contains("maximum depth of 64"), "{message}");
        let shallow = format!(r#"{{"unknown":{}{}}}"#, "[".repeat(10), "]".repeat(10));
        assert!(read::<Request>(&shallow).is_ok());
    }

    #[test]
    fn list_for_struct_is_an_error() {
        let (message, path) = read::<Request>(r#"{"list":[[1.5, "x"]]}"#).unwrap_err();
        assert!(message.contains("expected an object"), "{message}");
        assert_eq!(path, "List[0]");
    }

    #[test]
    fn nesting_within_limit_is_read() {
        let depth = DEFAULT_MAX_DEPTH / 2;
        let mut json = String::new();
        for _ in 0..depth {
            json.push_str(r#"{"children":["#);
        }
        for _ in 0..depth {
            json.push_str("]}");
        }
        assert!(read::<Tree>(&json).is_ok());
    }
}
