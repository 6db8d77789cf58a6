//! The JSV reader.
//!
//! The reader works directly on the input text. Bare values and quoted values without doubled
//! quotes are handed to serde as slices of the input (`visit_borrowed_str`). Only a quoted
//! value with `""` inside is copied, into a reused scratch buffer. The path of the member being read
//! is kept as a stack of segments and turned into text only when an error is reported.

mod access;
mod key;

use std::borrow::Cow;

use serde::de::{self, Deserialize, Visitor};

use crate::error::{line_and_column, Error};
use crate::scan::find_any;
use crate::DEFAULT_MAX_DEPTH;

use access::{MapReader, SeqReader, TaggedEnum, UnitEnum};

type Result<T> = std::result::Result<T, Error>;

/// Bytes that end a bare value inside a container.
const VALUE_END: [bool; 256] = byte_table(b",}]");

const fn byte_table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

#[inline]
fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// One step of the path from the top-level value to the member being read.
enum Segment {
    /// A struct field, by its serde name.
    Field(&'static str),
    /// A map entry or an unknown struct member: the byte range of its key in the input
    /// (inside the quotes when `quoted`).
    Key {
        start: usize,
        end: usize,
        quoted: bool,
    },
    /// A list item.
    Index(usize),
}

/// A member name as found in the input.
#[derive(Clone, Copy)]
struct KeyText {
    /// Position of the name's first character (its opening quote when quoted).
    position: usize,
    start: usize,
    end: usize,
    quoted: bool,
    /// True when the quoted name contains `""`, so it must be copied to be read.
    doubled: bool,
}

/// A JSV reader over a string, implementing [`serde::Deserializer`].
///
/// [`crate::from_str`] and [`crate::from_slice`] cover most uses. Build one directly to set the
/// maximum nesting depth or to read a value and then check the rest of the input yourself:
///
/// ```
/// use serde::Deserialize;
///
/// let mut de = jsv::Deserializer::from_str("[[1],[2,3]]").with_max_depth(8);
/// let lists = Vec::<Vec<u32>>::deserialize(&mut de).unwrap();
/// de.end().unwrap();
/// assert_eq!(lists, [vec![1], vec![2, 3]]);
/// ```
pub struct Deserializer<'de> {
    src: &'de str,
    pos: usize,
    /// Containers (`{` and `[`) open at the current position.
    depth: usize,
    max_depth: usize,
    /// True while reading the items of a top-level list written without brackets.
    bare_list: bool,
    path: Vec<Segment>,
    /// Reused buffer for quoted values that contain doubled quotes.
    scratch: String,
}

impl<'de> Deserializer<'de> {
    /// Creates a reader over `text`, skipping a leading byte order mark.
    #[allow(clippy::should_implement_trait)] // borrows from the input, unlike `FromStr`
    pub fn from_str(text: &'de str) -> Self {
        Deserializer {
            src: text.strip_prefix('\u{FEFF}').unwrap_or(text),
            pos: 0,
            depth: 0,
            max_depth: DEFAULT_MAX_DEPTH,
            bare_list: false,
            path: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Creates a reader over UTF-8 bytes, skipping a leading byte order mark.
    ///
    /// Returns an error with the line and column of the first invalid byte when `bytes` is not
    /// UTF-8.
    pub fn from_slice(bytes: &'de [u8]) -> Result<Self> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Deserializer::from_str(text)),
            Err(error) => {
                let valid_len = error.valid_up_to();
                let valid = std::str::from_utf8(&bytes[..valid_len]).unwrap_or_default();
                let valid = valid.strip_prefix('\u{FEFF}').unwrap_or(valid);
                let (line, column) = line_and_column(valid, valid.len());
                Err(Error::located(
                    format!("invalid UTF-8 at byte {valid_len}: JSV input must be UTF-8 text"),
                    String::new(),
                    line,
                    column,
                ))
            }
        }
    }

    /// Sets the maximum number of nested containers (`{` and `[`). Deeper input is an error.
    ///
    /// Each level costs stack space in serde's recursive visitors, so keep the limit in the
    /// hundreds at most. The default is [`DEFAULT_MAX_DEPTH`].
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Sets the maximum nesting depth, as [`Deserializer::with_max_depth`] does.
    pub fn set_max_depth(&mut self, max_depth: usize) {
        self.max_depth = max_depth;
    }

    /// Returns the maximum nesting depth.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Checks that only whitespace follows the value read so far.
    pub fn end(&mut self) -> Result<()> {
        self.skip_whitespace();
        if self.pos < self.src.len() {
            return Err(self.error_at(
                self.pos,
                format!(
                    "unexpected {} after the end of the value",
                    self.describe(self.pos)
                ),
            ));
        }
        Ok(())
    }

    /// Reads one whole value of type `T` and checks that nothing but whitespace follows it.
    pub(crate) fn read_document<T: Deserialize<'de>>(&mut self) -> Result<T> {
        self.skip_whitespace();
        let start = self.pos;
        let value = match T::deserialize(&mut *self) {
            Ok(value) => value,
            Err(error) => return Err(self.locate(error, start)),
        };
        self.end()?;
        Ok(value)
    }

    // ----- scanning -----

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() && is_whitespace(bytes[self.pos]) {
            self.pos += 1;
        }
    }

    /// True when bare values end at `,` `}` `]`, false at the top level, where they run to the
    /// end of the input.
    #[inline]
    fn in_container(&self) -> bool {
        self.depth > 0 || self.bare_list
    }

    /// Consumes an opening `{` or `[`, or fails when that would exceed the maximum depth.
    #[inline]
    fn enter(&mut self) -> Result<()> {
        if self.depth >= self.max_depth {
            return Err(self.error_at(
                self.pos,
                format!(
                    "nesting is deeper than the maximum depth of {} objects and lists",
                    self.max_depth
                ),
            ));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Consumes a closing `}` or `]`.
    #[inline]
    fn leave(&mut self) {
        self.depth -= 1;
        self.pos += 1;
    }

    /// Scans a bare value from the current position and returns its range without trailing
    /// whitespace. The caller has already skipped leading whitespace.
    #[inline]
    fn scan_bare(&mut self) -> (usize, usize) {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let stop = if self.in_container() {
            find_any(bytes, start, [b',', b'}', b']'])
        } else {
            bytes.len()
        };
        self.pos = stop;
        let mut end = stop;
        while end > start && is_whitespace(bytes[end - 1]) {
            end -= 1;
        }
        (start, end)
    }

    /// Scans a quoted value starting at the opening quote and returns the range inside the
    /// quotes and whether it contains doubled quotes.
    fn scan_quoted(&mut self) -> Result<(usize, usize, bool)> {
        let bytes = self.src.as_bytes();
        let open = self.pos;
        let mut from = open + 1;
        let mut doubled = false;
        loop {
            let quote = find_any(bytes, from, [b'"']);
            if quote >= bytes.len() {
                return Err(self.error_at(
                    open,
                    "unterminated quoted value: the closing '\"' is missing",
                ));
            }
            if bytes.get(quote + 1) == Some(&b'"') {
                doubled = true;
                from = quote + 2;
            } else {
                self.pos = quote + 1;
                return Ok((open + 1, quote, doubled));
            }
        }
    }

    /// Copies a quoted value's content into the scratch buffer with each `""` made `"`.
    fn unescape_to_scratch(&mut self, start: usize, end: usize) {
        self.scratch.clear();
        push_unescaped(&mut self.scratch, &self.src[start..end]);
    }

    /// Reads a member name and the `:` after it.
    #[inline]
    fn read_key(&mut self) -> Result<KeyText> {
        let bytes = self.src.as_bytes();
        let position = self.pos;
        let key = match self.peek() {
            Some(b'"') => {
                let (start, end, doubled) = self.scan_quoted()?;
                KeyText {
                    position,
                    start,
                    end,
                    quoted: true,
                    doubled,
                }
            }
            Some(b'{' | b'[' | b',' | b'}' | b']' | b':') | None => {
                return Err(self.key_error(None));
            }
            Some(_) => {
                let stop = find_any(bytes, position, [b':', b',', b'}', b']']);
                let mut end = stop;
                while end > position && is_whitespace(bytes[end - 1]) {
                    end -= 1;
                }
                self.pos = stop;
                KeyText {
                    position,
                    start: position,
                    end,
                    quoted: false,
                    doubled: false,
                }
            }
        };
        if self.peek() != Some(b':') {
            self.skip_whitespace();
        }
        if self.peek() != Some(b':') {
            return Err(self.key_error(Some(&key)));
        }
        self.pos += 1;
        Ok(key)
    }

    /// Creates the error for a missing member name, or for a missing `:` after `key`. Kept out
    /// of line so that [`Deserializer::read_key`] stays small.
    #[cold]
    #[inline(never)]
    fn key_error(&self, key: Option<&KeyText>) -> Error {
        let found = self.describe(self.pos);
        let message = match key {
            None => format!("expected a member name, found {found}"),
            Some(key) => format!(
                "expected ':' after the member name `{}`, found {found}",
                self.key_text(key)
            ),
        };
        self.error_at(self.pos, message)
    }

    #[inline]
    fn key_text(&self, key: &KeyText) -> Cow<'de, str> {
        let src = self.src;
        let raw = &src[key.start..key.end];
        if key.doubled {
            let mut text = String::with_capacity(raw.len());
            push_unescaped(&mut text, raw);
            Cow::Owned(text)
        } else {
            Cow::Borrowed(raw)
        }
    }

    /// Reads a quoted or bare scalar for a number, bool or char target and returns its text and
    /// position. Objects and lists are rejected with `expected` in the message.
    fn scalar(&mut self, expected: &str) -> Result<(&str, usize)> {
        self.skip_whitespace();
        let start = self.pos;
        match self.peek() {
            Some(b'{' | b'[') => Err(self.error_at(
                start,
                format!("expected {expected}, found {}", self.describe(start)),
            )),
            Some(b'"') => {
                let (from, to, doubled) = self.scan_quoted()?;
                if doubled {
                    self.unescape_to_scratch(from, to);
                    Ok((&self.scratch, start))
                } else {
                    Ok((&self.src[from..to], start))
                }
            }
            _ => {
                let (from, to) = self.scan_bare();
                Ok((&self.src[from..to], start))
            }
        }
    }

    /// Reads a scalar and parses it with `parse`, which returns the value or an error message.
    fn parse_scalar<T>(
        &mut self,
        expected: &str,
        parse: impl FnOnce(&str) -> std::result::Result<T, String>,
    ) -> Result<T> {
        let (text, start) = self.scalar(expected)?;
        let parsed = if text.is_empty() {
            Err(format!("missing value: expected {expected}"))
        } else {
            parse(text)
        };
        parsed.map_err(|message| self.error_at(start, message))
    }

    /// True when the next bare value is exactly `null`.
    #[inline]
    fn at_bare_null(&self) -> bool {
        let rest = &self.src.as_bytes()[self.pos..];
        if !rest.starts_with(b"null") {
            return false;
        }
        let after = &rest[4..];
        let next = after.iter().copied().find(|&b| !is_whitespace(b));
        match next {
            None => true,
            Some(b) => self.in_container() && VALUE_END[usize::from(b)],
        }
    }

    /// Skips one value of any shape, checking its syntax and depth without recursion.
    fn skip_value(&mut self) -> Result<()> {
        // Closing brackets of the containers opened while skipping.
        let mut closers: Vec<u8> = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'{') => {
                    self.enter()?;
                    self.skip_whitespace();
                    if self.peek() == Some(b'}') {
                        self.leave();
                    } else {
                        closers.push(b'}');
                        self.read_key()?;
                        continue;
                    }
                }
                Some(b'[') => {
                    self.enter()?;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        self.leave();
                    } else {
                        closers.push(b']');
                        continue;
                    }
                }
                Some(b'"') => {
                    self.scan_quoted()?;
                }
                _ => {
                    self.scan_bare();
                }
            }
            // A value is complete: close finished containers, or move on to the next item.
            loop {
                let Some(&closer) = closers.last() else {
                    return Ok(());
                };
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if closer == b'}' {
                            self.skip_whitespace();
                            self.read_key()?;
                        }
                        break;
                    }
                    Some(byte) if byte == closer => {
                        self.leave();
                        closers.pop();
                    }
                    _ => {
                        return Err(self.error_at(
                            self.pos,
                            format!(
                                "expected ',' or '{}', found {}",
                                char::from(closer),
                                self.describe(self.pos)
                            ),
                        ));
                    }
                }
            }
        }
    }

    // ----- errors -----

    /// Describes the input at `pos` for an error message.
    fn describe(&self, pos: usize) -> String {
        match self.src.get(pos..).and_then(|rest| rest.chars().next()) {
            None => "end of input".to_owned(),
            Some(c) => format!("'{}'", c.escape_debug()),
        }
    }

    /// Creates an error at `pos` with the current path.
    fn error_at(&self, pos: usize, message: impl Into<String>) -> Error {
        let (line, column) = line_and_column(self.src, pos);
        Error::located(message, self.path_text(None), line, column)
    }

    /// Adds the current path and the position `pos` to an error raised by a serde visitor.
    /// Errors that already have them are returned unchanged.
    fn locate(&self, mut error: Error, pos: usize) -> Error {
        if !error.is_located() {
            let (line, column) = line_and_column(self.src, pos);
            let path = self.path_text(error.missing_field_name());
            error.set_location(path, line, column);
        }
        error
    }

    /// Builds the PascalCase path text, with `extra_field` appended when given.
    fn path_text(&self, extra_field: Option<&str>) -> String {
        let mut text = String::new();
        for segment in &self.path {
            match *segment {
                Segment::Field(name) => push_field(&mut text, name),
                Segment::Key { start, end, quoted } => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    let raw = &self.src[start..end];
                    if quoted {
                        push_unescaped(&mut text, raw);
                    } else {
                        text.push_str(raw);
                    }
                }
                Segment::Index(index) => {
                    text.push('[');
                    text.push_str(&index.to_string());
                    text.push(']');
                }
            }
        }
        if let Some(name) = extra_field {
            push_field(&mut text, name);
        }
        text
    }

    // ----- containers -----

    fn read_seq<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let start = self.pos;
        self.enter()?;
        let mut reader = SeqReader::new(&mut *self, true);
        let result = visitor.visit_seq(&mut reader);
        let done = reader.is_done();
        let value = result.map_err(|error| self.locate(error, start))?;
        if !done {
            self.skip_whitespace();
            if self.peek() != Some(b']') {
                return Err(self.error_at(
                    self.pos,
                    format!(
                        "expected ']' after the last list item, found {}",
                        self.describe(self.pos)
                    ),
                ));
            }
            self.leave();
        }
        Ok(value)
    }

    /// Reads a top-level list written without brackets: `1,2,3`.
    fn read_bare_list<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let start = self.pos;
        self.bare_list = true;
        let result = visitor.visit_seq(SeqReader::new(&mut *self, false));
        self.bare_list = false;
        // Items left unread by the visitor are caught as trailing input by `end`.
        result.map_err(|error| self.locate(error, start))
    }

    fn read_map<V: Visitor<'de>>(
        &mut self,
        visitor: V,
        fields: Option<&'static [&'static str]>,
    ) -> Result<V::Value> {
        let start = self.pos;
        self.enter()?;
        let mut reader = MapReader::new(&mut *self, fields);
        let result = visitor.visit_map(&mut reader);
        let done = reader.is_done();
        let value = result.map_err(|error| self.locate(error, start))?;
        if !done {
            self.skip_whitespace();
            if self.peek() != Some(b'}') {
                return Err(self.error_at(
                    self.pos,
                    format!(
                        "expected '}}' after the last member, found {}",
                        self.describe(self.pos)
                    ),
                ));
            }
            self.leave();
        }
        Ok(value)
    }

    fn expect_open(&self, open: u8, container: &str) -> Result<()> {
        if self.peek() == Some(open) {
            Ok(())
        } else {
            Err(self.error_at(
                self.pos,
                format!(
                    "expected '{}' to start {container}, found {}",
                    char::from(open),
                    self.describe(self.pos)
                ),
            ))
        }
    }
}

/// Appends `raw` with each `""` made `"`.
fn push_unescaped(out: &mut String, raw: &str) {
    let mut rest = raw;
    while let Some(at) = rest.find("\"\"") {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
}

/// Appends a struct field to a path: a dot separator, then the name with its first letter
/// upper-cased.
fn push_field(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    let mut chars = name.chars();
    if let Some(first) = chars.next() {
        path.extend(first.to_uppercase());
        path.push_str(chars.as_str());
    }
}

/// Finds the name in `names` equal to `text`, or else equal ignoring ASCII case, starting with
/// the index `guess` (members usually arrive in declaration order).
#[inline]
fn match_name(names: &'static [&'static str], text: &[u8], guess: usize) -> Option<usize> {
    if names.get(guess).is_some_and(|name| name.as_bytes() == text) {
        return Some(guess);
    }
    names
        .iter()
        .position(|name| name.as_bytes() == text)
        .or_else(|| {
            names
                .iter()
                .position(|name| name.as_bytes().eq_ignore_ascii_case(text))
        })
}

fn parse_integer<T: std::str::FromStr>(
    text: &str,
    expected: &str,
) -> std::result::Result<T, String> {
    text.parse()
        .map_err(|_| format!("invalid value `{text}`: expected {expected}"))
}

fn parse_float<T: std::str::FromStr + Into<f64> + Copy>(
    text: &str,
    expected: &str,
) -> std::result::Result<T, String> {
    match text.parse::<T>() {
        Ok(value) if value.into().is_finite() => Ok(value),
        Ok(_) => Err(format!(
            "invalid value `{text}`: NaN and infinities are not allowed"
        )),
        Err(_) => Err(format!("invalid value `{text}`: expected {expected}")),
    }
}

fn parse_bool(text: &str) -> std::result::Result<bool, String> {
    match text {
        "True" | "true" => Ok(true),
        "False" | "false" => Ok(false),
        _ if text.eq_ignore_ascii_case("true") => Ok(true),
        _ if text.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(format!("invalid value `{text}`: expected True or False")),
    }
}

/// Parses a plain decimal (`-12.5`, `0.8125`, `42`) of at most 19 bytes exactly, or returns
/// `None` for anything else (exponents, long digit strings), which `str::parse` then handles.
///
/// The digits form an integer below 2^53 and the divisor is a power of ten up to 10^22. Both
/// are exact doubles and IEEE division rounds correctly, so the result equals the correctly
/// rounded value of the decimal, as `str::parse` gives.
fn parse_plain_f64(text: &[u8]) -> Option<f64> {
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut digit_count = 0;
    let mut fraction_digits = 0;
    let mut seen_point = false;
    for &byte in digits {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                digit_count += 1;
                if seen_point {
                    fraction_digits += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if digit_count == 0 || mantissa >= 1 << 53 {
        return None;
    }
    let magnitude = mantissa as f64 / POWERS[fraction_digits];
    Some(if negative { -magnitude } else { magnitude })
}

fn parse_char(text: &str) -> std::result::Result<char, String> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(format!(
            "invalid value `{text}`: expected a single character"
        )),
    }
}

macro_rules! deserialize_number {
    ($method:ident, $visit:ident, $parse:ident, $expected:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let value = self.parse_scalar($expected, |text| $parse(text, $expected))?;
            visitor.$visit(value)
        }
    };
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    /// Reads any value: objects as maps, lists as sequences, other text as strings, and an
    /// empty value or bare `null` as unit. JSV has no number or bool types of its own, so a
    /// bare `42` or `True` arrives as a string.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.read_map(visitor, None),
            Some(b'[') => self.read_seq(visitor),
            Some(b'"') => self.deserialize_str(visitor),
            _ => {
                let (start, end) = self.scan_bare();
                let text = &self.src[start..end];
                if text.is_empty() || text == "null" {
                    visitor.visit_unit()
                } else {
                    visitor.visit_borrowed_str(text)
                }
            }
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.parse_scalar("True or False", parse_bool)?;
        visitor.visit_bool(value)
    }

    deserialize_number!(deserialize_i8, visit_i8, parse_integer, "an integer (i8)");
    deserialize_number!(
        deserialize_i16,
        visit_i16,
        parse_integer,
        "an integer (i16)"
    );
    deserialize_number!(
        deserialize_i32,
        visit_i32,
        parse_integer,
        "an integer (i32)"
    );
    deserialize_number!(
        deserialize_i64,
        visit_i64,
        parse_integer,
        "an integer (i64)"
    );
    deserialize_number!(
        deserialize_i128,
        visit_i128,
        parse_integer,
        "an integer (i128)"
    );
    deserialize_number!(deserialize_u8, visit_u8, parse_integer, "an integer (u8)");
    deserialize_number!(
        deserialize_u16,
        visit_u16,
        parse_integer,
        "an integer (u16)"
    );
    deserialize_number!(
        deserialize_u32,
        visit_u32,
        parse_integer,
        "an integer (u32)"
    );
    deserialize_number!(
        deserialize_u64,
        visit_u64,
        parse_integer,
        "an integer (u64)"
    );
    deserialize_number!(
        deserialize_u128,
        visit_u128,
        parse_integer,
        "an integer (u128)"
    );
    deserialize_number!(deserialize_f32, visit_f32, parse_float, "a number (f32)");

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.parse_scalar("a number (f64)", |text| {
            parse_plain_f64(text.as_bytes()).map_or_else(|| parse_float(text, "a number (f64)"), Ok)
        })?;
        visitor.visit_f64(value)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.parse_scalar("a single character", parse_char)?;
        visitor.visit_char(value)
    }

    /// Reads a string. An object or list in place of a string is returned as its raw JSV
    /// text, and a bare top-level string is the whole input.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_whitespace();
        let src = self.src;
        match self.peek() {
            Some(b'{' | b'[') if self.in_container() => {
                let start = self.pos;
                self.skip_value()?;
                visitor.visit_borrowed_str(&src[start..self.pos])
            }
            Some(b'"') => {
                let (start, end, doubled) = self.scan_quoted()?;
                if doubled {
                    self.unescape_to_scratch(start, end);
                    visitor.visit_str(&self.scratch)
                } else {
                    visitor.visit_borrowed_str(&src[start..end])
                }
            }
            _ => {
                let (start, end) = self.scan_bare();
                visitor.visit_borrowed_str(&src[start..end])
            }
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    /// Reads a list of numbers (as the writer produces) or the UTF-8 bytes of a string.
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_whitespace();
        if self.peek() == Some(b'[') {
            return self.read_seq(visitor);
        }
        let (text, _) = self.scalar("a list of bytes or a string")?;
        visitor.visit_bytes(text.as_bytes())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    /// Reads `None` from an empty value or a bare `null`, and `Some` from anything else. A quoted
    /// `""` or `"null"` is `Some`. (A member that is absent is `None` through serde.)
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_whitespace();
        match self.peek() {
            None => visitor.visit_none(),
            Some(b) if self.in_container() && VALUE_END[usize::from(b)] => visitor.visit_none(),
            Some(b'n') if self.at_bare_null() => {
                self.pos += 4;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    /// Reads unit from an empty value or a bare `null`.
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_whitespace();
        let start = self.pos;
        let is_empty = match self.peek() {
            Some(b'"' | b'{' | b'[') => false,
            _ => {
                let (from, to) = self.scan_bare();
                matches!(&self.src[from..to], "" | "null")
            }
        };
        if !is_empty {
            return Err(self.error_at(start, "expected an empty value or null"));
        }
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    /// Reads `[a,b,c]`. At the top level the brackets may be left out (`a,b,c`).
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_whitespace();
        if self.peek() != Some(b'[') && !self.in_container() {
            return self.read_bare_list(visitor);
        }
        self.expect_open(b'[', "a list")?;
        self.read_seq(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    /// Reads `{key:value,...}` with keys exactly as written.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_whitespace();
        self.expect_open(b'{', "an object")?;
        self.read_map(visitor, None)
    }

    /// Reads `{key:value,...}`, matching keys to `fields` ignoring ASCII case.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.skip_whitespace();
        self.expect_open(b'{', "an object")?;
        self.read_map(visitor, Some(fields))
    }

    /// Reads a unit variant by name (ignoring ASCII case), or a variant with data written as
    /// `{Variant:value}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => {
                let start = self.pos;
                self.enter()?;
                self.skip_whitespace();
                let key = self.read_key()?;
                let value = visitor
                    .visit_enum(TaggedEnum::new(&mut *self, key, variants))
                    .map_err(|error| self.locate(error, start))?;
                self.skip_whitespace();
                if self.peek() != Some(b'}') {
                    return Err(self.error_at(
                        self.pos,
                        format!(
                            "expected '}}' after the enum variant's value, found {}",
                            self.describe(self.pos)
                        ),
                    ));
                }
                self.leave();
                Ok(value)
            }
            _ => {
                let (text, _) = self.scalar("an enum variant name")?;
                let name = match match_name(variants, text.as_bytes(), 0) {
                    Some(index) => Cow::Borrowed(variants[index]),
                    None => Cow::Owned(text.to_owned()),
                };
                visitor.visit_enum(UnitEnum::new(name))
            }
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_value()?;
        visitor.visit_unit()
    }
}
