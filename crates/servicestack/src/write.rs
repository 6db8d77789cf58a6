//! Writing response bodies in the negotiated format.

use std::fmt;

use http::StatusCode;
use serde::ser::{self, Impossible, Serialize, Serializer};

use crate::error::ApiError;
use crate::format::Format;
use crate::xml::XmlContracts;

/// The settings a response body is written with, besides the value itself.
#[derive(Clone, Copy, Debug)]
pub struct WriteOptions<'a> {
    /// The negotiated format.
    pub format: Format,
    /// The indented form of JSON and JSV (`?debug`); the other formats ignore it.
    pub pretty: bool,
    /// The operation's name, the title of an HTML page.
    pub operation: &'a str,
    /// The XML namespaces and base types of the response types.
    pub xml_contracts: &'a XmlContracts,
}

/// Serializes `value` in the format that `options` selects. `Ok(None)` means the value is empty
/// (`()`, a unit struct or `None`) and the response is `204 No Content`.
pub fn write_body<T: Serialize + ?Sized>(
    value: &T,
    options: &WriteOptions<'_>,
) -> Result<Option<Vec<u8>>, ApiError> {
    if is_empty(value) {
        return Ok(None);
    }
    let body = match options.format {
        Format::Json if options.pretty => {
            serde_json::to_vec_pretty(value).map_err(ApiError::internal)?
        }
        Format::Json => serde_json::to_vec(value).map_err(ApiError::internal)?,
        Format::Jsv if options.pretty => jsv::to_string_pretty(value)
            .map_err(ApiError::internal)?
            .into_bytes(),
        Format::Jsv => jsv::to_string(value)
            .map_err(ApiError::internal)?
            .into_bytes(),
        Format::Xml => options
            .xml_contracts
            .to_xml(value)
            .map_err(ApiError::internal)?
            .into_bytes(),
        Format::Csv => crate::csv::to_csv(value).map_err(ApiError::internal)?,
        Format::Jsonl => crate::jsonl::to_jsonl(value).map_err(ApiError::internal)?,
        Format::Html => crate::html::page(options.operation, value).map_err(ApiError::internal)?,
    };
    Ok(Some(body))
}

/// Serializes an error body in `format`, or in JSON for CSV and JSONL, which have no error form.
///
/// `operation` titles an HTML page. Returns the format actually used.
pub fn write_error(error: &ApiError, format: Format, operation: Option<&str>) -> (Format, Vec<u8>) {
    let body = error.to_response();
    let format = match format {
        Format::Csv | Format::Jsonl => Format::Json,
        other => other,
    };
    let bytes = match format {
        Format::Jsv => jsv::to_string(&body).map(String::into_bytes).ok(),
        Format::Xml => crate::xml::error_to_xml(&body).map(String::into_bytes).ok(),
        Format::Html => crate::html::error_page(operation, error.status, &body).ok(),
        _ => serde_json::to_vec(&body).ok(),
    };
    // An envelope of plain strings always serializes; the fixed body only guards a writer bug.
    match bytes {
        Some(bytes) => (format, bytes),
        None => (Format::Json, UNWRITABLE_ERROR_BODY.to_vec()),
    }
}

const UNWRITABLE_ERROR_BODY: &[u8] = br#"{"responseStatus":{"errorCode":"InternalServerError","message":"The error could not be serialized.","errors":[]}}"#;

/// A failure to write a response body in XML, CSV, JSONL or HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteError {
    message: String,
}

impl WriteError {
    pub(crate) fn new(message: impl Into<String>) -> WriteError {
        WriteError {
            message: message.into(),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for WriteError {}

impl ser::Error for WriteError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        WriteError::new(message.to_string())
    }
}

impl From<jsv::Error> for WriteError {
    fn from(error: jsv::Error) -> Self {
        WriteError::new(error.to_string())
    }
}

impl From<serde_json::Error> for WriteError {
    fn from(error: serde_json::Error) -> Self {
        WriteError::new(error.to_string())
    }
}

/// Converts a camelCase serde name to the .NET member name: `stringValue` becomes `StringValue`.
///
/// A leading `ui` before a capital is the acronym `UI`, so `uiHint` becomes `UIHint` and `uiTab`
/// becomes `UITab`, as the original's `DataField` names them.
pub fn pascal_case(camel_case: &str) -> String {
    let mut name = String::with_capacity(camel_case.len());
    let rest = camel_case
        .strip_prefix("ui")
        .filter(|rest| rest.starts_with(|first: char| first.is_ascii_uppercase()));
    if let Some(rest) = rest {
        name.push_str("UI");
        name.push_str(rest);
        return name;
    }
    let mut chars = camel_case.chars();
    if let Some(first) = chars.next() {
        name.extend(first.to_uppercase());
        name.push_str(chars.as_str());
    }
    name
}

/// Formats `status` as its code and reason phrase (`404 Not Found`), or the code alone when it
/// has no reason phrase.
pub(crate) fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// Serializes a double the .NET way: a whole number without a fraction (`0`, not `0.0`).
///
/// Use with `#[serde(serialize_with = "servicestack::write::dotnet_f64")]` on `Option<f64>`.
pub fn dotnet_f64<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        None => serializer.serialize_none(),
        Some(number) => serialize_dotnet_f64(*number, serializer),
    }
}

/// Serializes one double the .NET way; NaN and infinities are rejected.
pub fn serialize_dotnet_f64<S: Serializer>(number: f64, serializer: S) -> Result<S::Ok, S::Error> {
    // 2^53: every whole double below it is exact as an i64.
    const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;
    if !number.is_finite() {
        return Err(ser::Error::custom(format_args!(
            "{number} cannot be written: only finite numbers are allowed"
        )));
    }
    if number.fract() == 0.0 && number.abs() < EXACT_INTEGER_LIMIT {
        // `as` is exact here: the value is whole and within the i64 range.
        serializer.serialize_i64(number as i64)
    } else {
        serializer.serialize_f64(number)
    }
}

/// Whether `value` serializes as nothing: `()`, a unit struct or `None`.
fn is_empty<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(EmptyProbe).unwrap_or(false)
}

/// A serializer that only checks whether a value is empty, stopping at its first call.
struct EmptyProbe;

#[derive(Debug)]
struct NotEmpty;

impl std::fmt::Display for NotEmpty {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("not empty")
    }
}

impl std::error::Error for NotEmpty {}

impl ser::Error for NotEmpty {
    fn custom<T: std::fmt::Display>(_message: T) -> Self {
        NotEmpty
    }
}

macro_rules! not_empty {
    ($($method:ident($($arg:ty),*))*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<bool, NotEmpty> {
                Ok(false)
            }
        )*
    };
}

impl Serializer for EmptyProbe {
    type Ok = bool;
    type Error = NotEmpty;
    type SerializeSeq = Impossible<bool, NotEmpty>;
    type SerializeTuple = Impossible<bool, NotEmpty>;
    type SerializeTupleStruct = Impossible<bool, NotEmpty>;
    type SerializeTupleVariant = Impossible<bool, NotEmpty>;
    type SerializeMap = Impossible<bool, NotEmpty>;
    type SerializeStruct = Impossible<bool, NotEmpty>;
    type SerializeStructVariant = Impossible<bool, NotEmpty>;

    fn serialize_none(self) -> Result<bool, NotEmpty> {
        Ok(true)
    }

    fn serialize_unit(self) -> Result<bool, NotEmpty> {
        Ok(true)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<bool, NotEmpty> {
        Ok(true)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<bool, NotEmpty> {
        Ok(false)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<bool, NotEmpty> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<bool, NotEmpty> {
        Ok(false)
    }

    not_empty! {
        serialize_bool(bool) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32)
        serialize_i64(i64) serialize_u8(u8) serialize_u16(u16) serialize_u32(u32)
        serialize_u64(u64) serialize_f32(f32) serialize_f64(f64) serialize_char(char)
        serialize_str(&str) serialize_bytes(&[u8])
        serialize_unit_variant(&'static str, u32, &'static str)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, NotEmpty> {
        Err(NotEmpty)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, NotEmpty> {
        Err(NotEmpty)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, NotEmpty> {
        Err(NotEmpty)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, NotEmpty> {
        Err(NotEmpty)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, NotEmpty> {
        Err(NotEmpty)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, NotEmpty> {
        Err(NotEmpty)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, NotEmpty> {
        Err(NotEmpty)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct NoContent;

    #[derive(Serialize)]
    struct Number {
        #[serde(serialize_with = "dotnet_f64")]
        value: Option<f64>,
    }

    fn json_options(contracts: &XmlContracts) -> WriteOptions<'_> {
        WriteOptions {
            format: Format::Json,
            pretty: false,
            operation: "Test",
            xml_contracts: contracts,
        }
    }

    #[test]
    fn empty_values_mean_no_content() {
        let contracts = XmlContracts::default();
        let options = json_options(&contracts);
        assert_eq!(write_body(&(), &options).unwrap(), None);
        assert_eq!(write_body(&NoContent, &options).unwrap(), None);
        assert_eq!(write_body(&None::<u32>, &options).unwrap(), None);
        assert_eq!(write_body(&Some(1), &options).unwrap(), Some(b"1".to_vec()));
    }

    #[test]
    fn empty_values_mean_no_content_in_every_format() {
        let contracts = XmlContracts::default();
        for format in Format::ALL {
            let options = WriteOptions {
                format,
                ..json_options(&contracts)
            };
            assert_eq!(write_body(&NoContent, &options).unwrap(), None, "{format}");
        }
    }

    #[test]
    fn pascal_case_keeps_ui_acronym() {
        let cases = [
            ("stringValue", "StringValue"),
            ("uiHint", "UIHint"),
            ("uiTab", "UITab"),
            ("id", "Id"),
            ("ui", "Ui"),
            ("uid", "Uid"),
            ("", ""),
        ];
        for (camel_case, expected) in cases {
            assert_eq!(pascal_case(camel_case), expected, "{camel_case}");
        }
    }

    #[test]
    fn csv_and_jsonl_errors_are_json() {
        let error = ApiError::not_found("Integration 'x' was not found.");
        for format in [Format::Csv, Format::Jsonl, Format::Json] {
            let (used, bytes) = write_error(&error, format, Some("GetIntegration"));
            assert_eq!(used, Format::Json, "{format}");
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                r#"{"responseStatus":{"errorCode":"NotFound","message":"Integration 'x' was not found.","errors":[]}}"#
            );
        }
    }

    #[test]
    fn xml_and_html_errors_keep_their_format() {
        let error = ApiError::not_found("Integration 'x' was not found.");
        assert_eq!(write_error(&error, Format::Xml, None).0, Format::Xml);
        assert_eq!(write_error(&error, Format::Html, None).0, Format::Html);
        assert_eq!(write_error(&error, Format::Jsv, None).0, Format::Jsv);
    }

    #[test]
    fn whole_doubles_have_no_fraction() {
        let cases = [(0.0, "0"), (-3.0, "-3"), (1.5, "1.5"), (1e-7, "1e-7")];
        for (number, expected) in cases {
            let json = serde_json::to_string(&Number {
                value: Some(number),
            })
            .unwrap();
            assert_eq!(json, format!(r#"{{"value":{expected}}}"#), "{number}");
        }
    }

    #[test]
    fn non_finite_doubles_are_rejected() {
        for number in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(serde_json::to_string(&Number {
                value: Some(number)
            })
            .is_err());
        }
    }
}
