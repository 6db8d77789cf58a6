//! Binding a request DTO from the request body, the query string, form fields and path variables.
//!
//! Sources are applied in that order, each overriding the last, without buffering the body into
//! an intermediate tree: the body's members stream through [`CaseInsensitive`], members that a
//! later source replaces are skipped, and the later sources' values follow. Names match ignoring
//! ASCII case. A string member takes the raw text of a query, form or path value. Any other
//! member parses it as JSV, so `?customerIds=a,b`, `?page=2` and `?settings={a:{stringValue:x}}`
//! work.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::de::{match_name, CaseInsensitive, KeyText, Segment, Tracker};
use crate::error::ApiError;
use crate::format::Format;
use crate::xml_read::XmlDocument;

/// A request body and the format to read it in.
#[derive(Clone, Copy, Debug)]
pub struct Body<'a> {
    pub format: Format,
    pub bytes: &'a [u8],
}

/// A value from the query string, a form field or a path variable, by member name in any case.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

/// Why binding failed: the message and the PascalCase path of the member, `""` for the root.
#[derive(Debug, Clone, PartialEq)]
pub struct BindError {
    pub message: String,
    pub path: String,
}

impl fmt::Display for BindError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for BindError {}

impl de::Error for BindError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        BindError {
            message: message.to_string(),
            path: String::new(),
        }
    }
}

impl From<BindError> for ApiError {
    fn from(error: BindError) -> ApiError {
        ApiError::serialization(error.message, Some(&error.path))
    }
}

/// Every failure of one binding: each query, form or path value that did not parse, and the
/// body's first failure, if any. Never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct BindErrors(pub Vec<BindError>);

impl BindErrors {
    /// The first failure.
    pub fn first(&self) -> &BindError {
        &self.0[0]
    }
}

impl From<BindErrors> for ApiError {
    fn from(errors: BindErrors) -> ApiError {
        let mut errors = errors.0.into_iter();
        let first = errors
            .next()
            .expect("a binding failure has at least one error");
        let mut api_error = ApiError::from(first);
        for error in errors {
            let field_name = error.path.clone();
            api_error
                .response_status
                .errors
                .push(crate::error::ResponseError {
                    error_code: "SerializationException".to_owned(),
                    field_name,
                    message: error.message,
                });
        }
        api_error
    }
}

/// Binds `T` from `body` (if any) overlaid with `fields`; later fields win over earlier ones.
///
/// Empty field values mean "not set" and are skipped. Unknown names are ignored. Every query,
/// form or path value that does not parse is reported, not only the first: binding runs again
/// without each failing value until the rest parses.
pub fn bind<T: de::DeserializeOwned>(
    body: Option<Body<'_>>,
    fields: &[Field<'_>],
    max_depth: usize,
) -> Result<T, BindErrors> {
    // A CSV body is one row of member values: it binds like fields that come before the rest.
    let csv_table;
    let mut combined: Vec<Field<'_>>;
    let (body, fields) = match body {
        Some(Body {
            format: Format::Csv,
            bytes,
        }) => {
            csv_table = crate::csv::read_table(bytes).map_err(|error| BindErrors(vec![error]))?;
            if csv_table.rows.len() > 1 {
                return Err(BindErrors(vec![BindError {
                    message: format!(
                        "a CSV request body holds one row of values; this one has {}",
                        csv_table.rows.len()
                    ),
                    path: String::new(),
                }]));
            }
            combined = match csv_table.rows.first() {
                Some(row) => csv_table.fields(row),
                None => Vec::new(),
            };
            combined.extend_from_slice(fields);
            (None, combined.as_slice())
        }
        other => (other, fields),
    };
    let mut errors = Vec::new();
    let mut skipped: Vec<&'static str> = Vec::new();
    loop {
        let tracker = Tracker::new(max_depth);
        let request = RequestDeserializer {
            body,
            fields,
            skipped: &skipped,
            tracker: &tracker,
        };
        match T::deserialize(request) {
            Ok(value) if errors.is_empty() => return Ok(value),
            Ok(_) => return Err(BindErrors(errors)),
            Err(mut error) => {
                error.path = tracker.path();
                errors.push(error);
                match tracker.failed_text_member() {
                    Some(member) if !skipped.contains(&member) => skipped.push(member),
                    _ => return Err(BindErrors(errors)),
                }
            }
        }
    }
}

struct RequestDeserializer<'a, 't> {
    body: Option<Body<'a>>,
    fields: &'a [Field<'a>],
    /// Members whose text values already failed, left out of this attempt.
    skipped: &'t [&'static str],
    tracker: &'t Tracker,
}

impl<'a> Deserializer<'a> for RequestDeserializer<'a, '_> {
    type Error = BindError;

    fn deserialize_any<V: Visitor<'a>>(self, _visitor: V) -> Result<V::Value, BindError> {
        Err(de::Error::custom("a request DTO must be a struct"))
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        members: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BindError> {
        let mut overrides = canonical_fields(self.fields, members);
        overrides.retain(|(member, _)| !self.skipped.contains(member));
        let body = self.body.filter(|body| !is_blank(body.bytes));
        let Some(body) = body else {
            let map = LayeredMap::<NoBody> {
                body: None,
                members,
                overrides: &overrides,
                next_override: 0,
                current: None,
                tracker: self.tracker,
            };
            return visitor.visit_map(map);
        };

        let layered = LayeredVisitor {
            inner: visitor,
            members,
            overrides: &overrides,
            tracker: self.tracker,
        };
        match body.format {
            Format::Json => {
                let mut json = serde_json::Deserializer::from_slice(body.bytes);
                let value = json
                    .deserialize_struct(name, members, layered)
                    .map_err(|error| BindError::from_body(error.to_string()))?;
                json.end()
                    .map_err(|error| BindError::from_body(error.to_string()))?;
                Ok(value)
            }
            Format::Jsv => {
                let text = std::str::from_utf8(body.bytes).map_err(|error| {
                    BindError::from_body(format!("the body is not valid UTF-8: {error}"))
                })?;
                let mut jsv = jsv::Options::new()
                    .with_max_depth(self.tracker.max_depth())
                    .deserializer(text);
                // An error raised inside a member already names its place. The outer error would
                // repeat it with the position of the enclosing object, so only its message is kept.
                let value = (&mut jsv)
                    .deserialize_struct(name, members, layered)
                    .map_err(|error| BindError::from_body(error.message().to_owned()))?;
                jsv.end()
                    .map_err(|error| BindError::from_body(error.to_string()))?;
                Ok(value)
            }
            Format::Xml => {
                let document = XmlDocument::parse(body.bytes, self.tracker.max_depth())
                    .map_err(|error| BindError::from_body(error.to_string()))?;
                // The root names the request DTO, as a DataContract serializer requires.
                if !document.root_name().eq_ignore_ascii_case(name) {
                    return Err(BindError::from_body(format!(
                        "the XML root element is <{}>; this operation reads <{name}>",
                        document.root_name()
                    )));
                }
                document
                    .root()
                    .deserialize_struct(name, members, layered)
                    .map_err(|error| BindError::from_body(error.to_string()))
            }
            other => Err(BindError {
                message: format!("request bodies in {other} are not supported"),
                path: String::new(),
            }),
        }
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

impl BindError {
    fn from_body(message: String) -> BindError {
        BindError {
            message,
            path: String::new(),
        }
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Resolves each field's name to the DTO's member name; the last value for a member wins.
fn canonical_fields<'a>(
    fields: &[Field<'a>],
    members: &'static [&'static str],
) -> Vec<(&'static str, &'a str)> {
    let mut resolved: Vec<(&'static str, &'a str)> = Vec::new();
    for field in fields {
        if field.value.is_empty() {
            continue;
        }
        let Some(member) = match_name(members, field.name) else {
            continue;
        };
        match resolved.iter_mut().find(|(name, _)| *name == member) {
            Some(existing) => existing.1 = field.value,
            None => resolved.push((member, field.value)),
        }
    }
    resolved
}

struct LayeredVisitor<'a, 'o, 't, V> {
    inner: V,
    members: &'static [&'static str],
    overrides: &'o [(&'static str, &'a str)],
    tracker: &'t Tracker,
}

impl<'a, V: Visitor<'a>> Visitor<'a> for LayeredVisitor<'a, '_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object")
    }

    fn visit_map<A: MapAccess<'a>>(self, map: A) -> Result<V::Value, A::Error> {
        let layered = LayeredMap {
            body: Some(map),
            members: self.members,
            overrides: self.overrides,
            next_override: 0,
            current: None,
            tracker: self.tracker,
        };
        self.inner
            .visit_map(layered)
            .map_err(|error| <A::Error as de::Error>::custom(error.message))
    }
}

/// A map access that never yields an entry, for requests without a body.
struct NoBody;

impl<'de> MapAccess<'de> for NoBody {
    type Error = BindError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _seed: K,
    ) -> Result<Option<K::Value>, BindError> {
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        _seed: T,
    ) -> Result<T::Value, BindError> {
        Err(de::Error::custom("no value"))
    }
}

struct LayeredMap<'a, 'o, 't, A> {
    body: Option<A>,
    members: &'static [&'static str],
    overrides: &'o [(&'static str, &'a str)],
    next_override: usize,
    /// The member whose value comes next, for the error path.
    current: Option<(&'static str, Source<'a>)>,
    tracker: &'t Tracker,
}

#[derive(Clone, Copy)]
enum Source<'a> {
    Body,
    Text(&'a str),
}

impl<'a, A: MapAccess<'a>> MapAccess<'a> for LayeredMap<'a, '_, '_, A> {
    type Error = BindError;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, BindError> {
        while let Some(body) = self.body.as_mut() {
            let Some(key) = body.next_key_seed(KeyText).map_err(body_error)? else {
                self.body = None;
                break;
            };
            let member = match_name(self.members, &key);
            let overridden =
                member.is_some_and(|member| self.overrides.iter().any(|(name, _)| *name == member));
            if overridden {
                body.next_value::<IgnoredAny>().map_err(body_error)?;
                continue;
            }
            let name = member.unwrap_or("");
            self.current = Some((name, Source::Body));
            let key_value = match member {
                Some(member) => seed.deserialize(BorrowedStrDeserializer::<BindError>::new(member)),
                None => seed.deserialize(serde::de::value::StrDeserializer::<BindError>::new(&key)),
            };
            return key_value.map(Some);
        }

        let Some(&(member, text)) = self.overrides.get(self.next_override) else {
            return Ok(None);
        };
        self.next_override += 1;
        self.current = Some((member, Source::Text(text)));
        seed.deserialize(BorrowedStrDeserializer::<BindError>::new(member))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<T::Value, BindError> {
        let Some((member, source)) = self.current.take() else {
            return Err(de::Error::custom("a value was requested before its key"));
        };
        let value = match source {
            Source::Body => {
                let body = self
                    .body
                    .as_mut()
                    .ok_or_else(|| <BindError as de::Error>::custom("the body ended early"))?;
                let seed = BodySeed {
                    inner: seed,
                    tracker: self.tracker,
                };
                body.next_value_seed(seed).map_err(body_error)
            }
            Source::Text(text) => seed.deserialize(TextValue {
                text,
                tracker: self.tracker,
            }),
        };
        if value.is_err() && !member.is_empty() {
            self.tracker.push_on_error(Segment::Field(member));
            if matches!(source, Source::Text(_)) {
                self.tracker.set_failed_text_member(member);
            }
        }
        value
    }
}

fn body_error<E: de::Error>(error: E) -> BindError {
    BindError {
        message: error.to_string(),
        path: String::new(),
    }
}

struct BodySeed<'t, S> {
    inner: S,
    tracker: &'t Tracker,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for BodySeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner
            .deserialize(CaseInsensitive::new(deserializer, self.tracker))
    }
}

/// The raw text of a query, form or path value.
struct TextValue<'a, 't> {
    text: &'a str,
    tracker: &'t Tracker,
}

impl TextValue<'_, '_> {
    fn invalid<T>(&self, expected: &str) -> Result<T, BindError> {
        Err(de::Error::custom(format_args!(
            "'{}' is not a valid {expected}",
            self.text
        )))
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident($type:ty, $label:literal))*) => {
        $(
            fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
                match self.text.trim().parse::<$type>() {
                    Ok(number) => visitor.$visit(number),
                    Err(_) => self.invalid($label),
                }
            }
        )*
    };
}

impl<'a> Deserializer<'a> for TextValue<'a, '_> {
    type Error = BindError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        visitor.visit_str(self.text)
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        visitor.visit_str(self.text)
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        visitor.visit_str(self.text)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        visitor.visit_some(self)
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        let text = self.text.trim();
        if text.eq_ignore_ascii_case("true") {
            visitor.visit_bool(true)
        } else if text.eq_ignore_ascii_case("false") {
            visitor.visit_bool(false)
        } else {
            self.invalid("Boolean (use true or false)")
        }
    }

    parse_number! {
        deserialize_i8 => visit_i8(i8, "8-bit integer")
        deserialize_i16 => visit_i16(i16, "16-bit integer")
        deserialize_i32 => visit_i32(i32, "32-bit integer")
        deserialize_i64 => visit_i64(i64, "64-bit integer")
        deserialize_u8 => visit_u8(u8, "unsigned 8-bit integer")
        deserialize_u16 => visit_u16(u16, "unsigned 16-bit integer")
        deserialize_u32 => visit_u32(u32, "unsigned 32-bit integer")
        deserialize_u64 => visit_u64(u64, "unsigned 64-bit integer")
    }

    fn deserialize_f64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        match self.text.trim().parse::<f64>() {
            Ok(number) if number.is_finite() => visitor.visit_f64(number),
            _ => self.invalid("finite number"),
        }
    }

    fn deserialize_f32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BindError> {
        let text = self.text.trim();
        match match_name(variants, text) {
            Some(variant) => visitor.visit_enum(BorrowedStrDeserializer::<BindError>::new(variant)),
            None => Err(de::Error::unknown_variant(text, variants)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, BindError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        self.jsv_value(|deserializer| deserializer.deserialize_seq(visitor))
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, BindError> {
        self.jsv_value(|deserializer| deserializer.deserialize_map(visitor))
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BindError> {
        self.jsv_value(|deserializer| deserializer.deserialize_struct(name, fields, visitor))
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct
        identifier ignored_any
    }
}

impl<'a> TextValue<'a, '_> {
    /// Parses the text as JSV, with the outer `[]` of a list optional.
    fn jsv_value<T>(
        &self,
        read: impl FnOnce(&mut jsv::Deserializer<'a>) -> Result<T, jsv::Error>,
    ) -> Result<T, BindError> {
        let mut deserializer = jsv::Options::new()
            .with_max_depth(self.tracker.max_depth())
            .deserializer(self.text);
        read(&mut deserializer).map_err(|error| {
            if !error.path().is_empty() {
                self.tracker
                    .push_on_error(Segment::Key(error.path().to_owned()));
            }
            BindError {
                message: error.to_string(),
                path: String::new(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::de::DEFAULT_MAX_DEPTH;

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(rename_all = "camelCase")]
    struct ListThings {
        integration_id: Option<String>,
        name: Option<String>,
        page: Option<i32>,
        all: Option<bool>,
        customer_ids: Option<Vec<String>>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Kind {
        HostedSuite,
        Zoho,
    }

    fn jsv_body(text: &str) -> Option<Body<'_>> {
        Some(Body {
            format: Format::Jsv,
            bytes: text.as_bytes(),
        })
    }

    #[test]
    fn jsv_body_binds_any_case() {
        let request: ListThings = bind(
            jsv_body("{NAME:From JSV,Page:4,customerIds:[a,b]}"),
            &[],
            DEFAULT_MAX_DEPTH,
        )
        .unwrap();
        assert_eq!(request.name.as_deref(), Some("From JSV"));
        assert_eq!(request.page, Some(4));
        assert_eq!(request.customer_ids.map(|ids| ids.len()), Some(2));
    }

    #[test]
    fn jsv_trailing_text_is_an_error() {
        assert!(bind::<ListThings>(jsv_body("{page:1} extra"), &[], DEFAULT_MAX_DEPTH).is_err());
    }

    fn json(text: &str) -> Option<Body<'_>> {
        Some(Body {
            format: Format::Json,
            bytes: text.as_bytes(),
        })
    }

    fn field<'a>(name: &'a str, value: &'a str) -> Field<'a> {
        Field { name, value }
    }

    #[test]
    fn query_overrides_body() {
        let request: ListThings = bind(
            json(r#"{"Name":"from body","page":1}"#),
            &[field("NAME", "from query")],
            DEFAULT_MAX_DEPTH,
        )
        .unwrap();
        assert_eq!(request.name.as_deref(), Some("from query"));
        assert_eq!(request.page, Some(1));
    }

    #[test]
    fn later_field_wins() {
        let request: ListThings = bind(
            None,
            &[field("integrationId", "B"), field("IntegrationId", "A")],
            DEFAULT_MAX_DEPTH,
        )
        .unwrap();
        assert_eq!(request.integration_id.as_deref(), Some("A"));
    }

    #[test]
    fn empty_value_means_not_set() {
        let request: ListThings = bind(
            json(r#"{"name":"kept"}"#),
            &[field("name", ""), field("page", "")],
            DEFAULT_MAX_DEPTH,
        )
        .unwrap();
        assert_eq!(request.name.as_deref(), Some("kept"));
        assert_eq!(request.page, None);
    }

    #[test]
    fn scalars_parse_from_text() {
        let request: ListThings = bind(
            None,
            &[
                field("page", "2"),
                field("all", "True"),
                field("kind", "zoho"),
            ],
            DEFAULT_MAX_DEPTH,
        )
        .unwrap();
        assert_eq!(request.page, Some(2));
        assert_eq!(request.all, Some(true));
        assert_eq!(request.kind, Some(Kind::Zoho));
    }

    #[test]
    fn lists_parse_with_or_without_brackets() {
        for text in ["a,b", "[a,b]"] {
            let request: ListThings =
                bind(None, &[field("customerIds", text)], DEFAULT_MAX_DEPTH).unwrap();
            assert_eq!(
                request.customer_ids,
                Some(vec!["a".to_owned(), "b".to_owned()]),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_number_names_field() {
        let error = bind::<ListThings>(None, &[field("page", "two")], DEFAULT_MAX_DEPTH)
            .unwrap_err()
            .first()
            .clone();
        assert_eq!(error.path, "Page");
        assert_eq!(error.message, "'two' is not a valid 32-bit integer");
    }

    #[test]
    fn every_bad_text_value_is_reported() {
        let errors = bind::<ListThings>(
            json(r#"{"name":"fine"}"#),
            &[
                field("page", "two"),
                field("all", "maybe"),
                field("kind", "Zoho"),
            ],
            DEFAULT_MAX_DEPTH,
        )
        .unwrap_err();
        let paths: Vec<&str> = errors.0.iter().map(|error| error.path.as_str()).collect();
        assert_eq!(paths, ["Page", "All"]);
    }

    #[test]
    fn bad_body_value_names_field() {
        let error = bind::<ListThings>(json(r#"{"page":"x"}"#), &[], DEFAULT_MAX_DEPTH)
            .unwrap_err()
            .first()
            .clone();
        assert_eq!(error.path, "Page");
    }

    #[test]
    fn malformed_body_is_an_error() {
        let error = bind::<ListThings>(json(r#"{"page":"#), &[], DEFAULT_MAX_DEPTH)
            .unwrap_err()
            .first()
            .clone();
        assert!(error.message.contains("EOF"), "{}", error.message);
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(bind::<ListThings>(json(r#"{} x"#), &[], DEFAULT_MAX_DEPTH).is_err());
    }

    #[test]
    fn blank_body_binds_fields_only() {
        let request: ListThings =
            bind(json(" \n"), &[field("page", "3")], DEFAULT_MAX_DEPTH).unwrap();
        assert_eq!(request.page, Some(3));
    }

    #[test]
    fn non_object_body_is_an_error() {
        assert!(bind::<ListThings>(json("[1,2]"), &[], DEFAULT_MAX_DEPTH).is_err());
    }
}
