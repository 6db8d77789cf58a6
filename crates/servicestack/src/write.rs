//! Writing response bodies in the negotiated format.

use serde::ser::{self, Impossible, Serialize, Serializer};

use crate::error::ApiError;
use crate::format::Format;

/// Serializes `value` in `format`; `Ok(None)` means the value is empty (`()`, a unit struct or
/// `None`) and the response is `204 No Content`.
///
/// `pretty` selects the indented form (`?debug` on a JSV or JSON response).
pub fn write_body<T: Serialize + ?Sized>(
    value: &T,
    format: Format,
    pretty: bool,
) -> Result<Option<Vec<u8>>, ApiError> {
    if is_empty(value) {
        return Ok(None);
    }
    let body = match format {
        Format::Json if pretty => serde_json::to_vec_pretty(value).map_err(ApiError::internal)?,
        Format::Json => serde_json::to_vec(value).map_err(ApiError::internal)?,
        Format::Jsv if pretty => jsv::to_string_pretty(value)
            .map_err(ApiError::internal)?
            .into_bytes(),
        Format::Jsv => jsv::to_string(value)
            .map_err(ApiError::internal)?
            .into_bytes(),
        other => {
            return Err(ApiError::internal(format!(
                "no writer for {other} responses; negotiation should have returned 406"
            )))
        }
    };
    Ok(Some(body))
}

/// Serializes an error body in `format`, or in JSON where the format cannot carry one.
///
/// Returns the format actually used.
pub fn write_error(error: &ApiError, format: Format) -> (Format, Vec<u8>) {
    let body = error.to_response();
    let format = match format {
        Format::Jsv => Format::Jsv,
        _ => Format::Json,
    };
    let bytes = match format {
        Format::Jsv => jsv::to_string(&body).map(String::into_bytes).ok(),
        _ => serde_json::to_vec(&body).ok(),
    };
    // An envelope of plain strings always serializes; the fixed body only guards a writer bug.
    let bytes = bytes.unwrap_or_else(|| UNWRITABLE_ERROR_BODY.to_vec());
    (format, bytes)
}

const UNWRITABLE_ERROR_BODY: &[u8] = br#"{"responseStatus":{"errorCode":"InternalServerError","message":"The error could not be serialized.","errors":[]}}"#;

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

    #[test]
    fn empty_values_mean_no_content() {
        assert_eq!(write_body(&(), Format::Json, false).unwrap(), None);
        assert_eq!(write_body(&NoContent, Format::Json, false).unwrap(), None);
        assert_eq!(write_body(&None::<u32>, Format::Json, false).unwrap(), None);
        assert_eq!(
            write_body(&Some(1), Format::Json, false).unwrap(),
            Some(b"1".to_vec())
        );
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
