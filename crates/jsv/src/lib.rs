//! A serde data format for ServiceStack's JSV text format.
//!
//! JSV ("JSON + CSV") is ServiceStack's compact text format: `{name:Me,tags:[a,b]}`. Strings
//! are bare unless they contain one of `"` `:` `,` `{` `}` `[` `]` CR LF, in which case they are
//! wrapped in `"` with each inner `"` doubled. There are no backslash escapes, and values carry
//! no type: `42`, `True` and `HostedSuite` are all text that the target type interprets.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! #[serde(rename_all = "camelCase")]
//! struct Integration {
//!     name: String,
//!     account_id: Option<String>,
//!     is_authorized: bool,
//!     tags: Vec<String>,
//! }
//!
//! let value = Integration {
//!     name: "Me, Junior".into(),
//!     account_id: None,
//!     is_authorized: true,
//!     tags: vec!["a".into(), "b".into()],
//! };
//! let text = jsv::to_string(&value).unwrap();
//! assert_eq!(text, r#"{name:"Me, Junior",isAuthorized:True,tags:[a,b]}"#);
//!
//! // Member names match ignoring case, and whitespace between tokens is skipped.
//! let back: Integration = jsv::from_str("{ NAME: \"Me, Junior\", isauthorized: true, tags: [a, b] }").unwrap();
//! assert_eq!(back, value);
//! ```
//!
//! # Writing
//!
//! - Structs are `{key:value,...}`, lists `[a,b]`, maps with string-like keys `{k:v}`.
//! - A member whose value is `None` (or unit) is left out, with or without
//!   `skip_serializing_if`. A `None` list item is written `null`.
//! - Booleans are `True` and `False`. Unit enum variants are their names, and a variant with
//!   data is `{Variant:value}`.
//! - Floats use .NET's invariant `ToString()` layout: shortest round-trip digits, no fraction
//!   for whole numbers (`0`, `-0`, `1.5`, `1E-07`, `1E+21`). NaN and infinities are an error.
//! - Besides ServiceStack's quoting rule, a string is quoted when it is empty (`""`), exactly
//!   `null`, starts or ends with whitespace, or starts with U+FEFF, so that it reads back the
//!   same.
//!
//! # Reading
//!
//! - Struct member names match the serde field names ignoring ASCII case. Unknown members are
//!   skipped whatever their nesting. Map keys are kept as written.
//! - Whitespace between tokens and around bare values is skipped, so the pretty form reads back
//!   like the compact one. A leading UTF-8 byte order mark is skipped.
//! - An empty value or a bare `null` reads as `None`, and a quoted `""` is `Some("")`. An absent
//!   member is `None`.
//! - Booleans match `true`/`false` in any case, enum names ignore ASCII case, and NaN and
//!   infinities are rejected.
//! - The outer `[]` of a list may be left out for the top-level value only (`1,2,3`).
//! - A string member given an object or list receives its raw JSV text.
//! - Nesting is limited to [`DEFAULT_MAX_DEPTH`] containers unless set otherwise with
//!   [`Options`] or [`Deserializer::with_max_depth`].
//! - Errors carry the line, column and PascalCase member path ([`Error::path`]).

mod de;
mod error;
mod number;
mod pretty;
mod scan;
mod ser;
pub mod value;

use serde::{Deserialize, Serialize};

pub use de::Deserializer;
pub use error::Error;
pub use pretty::prettify;

/// The default maximum number of nested objects and lists the reader accepts.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// Writes `value` as compact JSV.
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    let mut serializer = ser::Serializer::new();
    value.serialize(&mut serializer)?;
    Ok(serializer.into_string())
}

/// Writes `value` as compact JSV to `writer`.
///
/// The text is built in memory and then written with one `write_all`, so nothing is written
/// when serializing fails. An I/O failure is returned as an [`Error`] with its message.
pub fn to_writer<W: std::io::Write, T: ?Sized + Serialize>(
    mut writer: W,
    value: &T,
) -> Result<(), Error> {
    let text = to_string(value)?;
    writer
        .write_all(text.as_bytes())
        .map_err(|error| Error::new(format!("failed to write JSV output: {error}")))
}

/// Writes `value` as pretty JSV: the layout of [`prettify`] applied to the compact text.
pub fn to_string_pretty<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    Ok(prettify(&to_string(value)?))
}

/// Reads a `T` from JSV text, with the default maximum depth.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, Error> {
    Options::new().from_str(text)
}

/// Reads a `T` from UTF-8 JSV bytes, with the default maximum depth.
pub fn from_slice<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, Error> {
    Options::new().from_slice(bytes)
}

/// Reader settings, for callers that share one configured limit.
///
/// ```
/// let options = jsv::Options::new().with_max_depth(2);
/// assert!(options.from_str::<Vec<Vec<u8>>>("[[1]]").is_ok());
/// assert!(options.from_str::<Vec<Vec<Vec<u8>>>>("[[[1]]]").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    max_depth: usize,
}

impl Options {
    /// Creates the default settings.
    pub const fn new() -> Self {
        Options {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Sets the maximum number of nested objects and lists. Deeper input is an error.
    pub const fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Returns the maximum nesting depth.
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Creates a [`Deserializer`] over `text` with these settings.
    pub fn deserializer<'de>(&self, text: &'de str) -> Deserializer<'de> {
        Deserializer::from_str(text).with_max_depth(self.max_depth)
    }

    /// Reads a `T` from JSV text with these settings.
    pub fn from_str<'de, T: Deserialize<'de>>(&self, text: &'de str) -> Result<T, Error> {
        self.deserializer(text).read_document()
    }

    /// Reads a `T` from UTF-8 JSV bytes with these settings.
    pub fn from_slice<'de, T: Deserialize<'de>>(&self, bytes: &'de [u8]) -> Result<T, Error> {
        Deserializer::from_slice(bytes)?
            .with_max_depth(self.max_depth)
            .read_document()
    }
}

impl Default for Options {
    fn default() -> Self {
        Options::new()
    }
}
