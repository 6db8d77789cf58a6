//! The error type shared by the reader and the writers.

use std::fmt;

/// An error from reading or writing JSV.
///
/// Reading errors carry the 1-based line and column of the offending text and the PascalCase path
/// of the member being read (`Settings.Password.StringValue`, `Items[2].Name`), so that a server
/// can report the failing field. Writing errors have no position and an empty path.
pub struct Error {
    // Boxed so that `Result<T, Error>` stays one pointer wide on the hot path.
    inner: Box<ErrorImpl>,
}

struct ErrorImpl {
    message: String,
    path: String,
    /// 1-based line, or 0 when the error has no position.
    line: usize,
    /// 1-based column counted in characters, or 0 when the error has no position.
    column: usize,
    /// Set once the reader has filled in the path and position, which later fills keep.
    located: bool,
    /// Field named by `serde::de::Error::missing_field`, appended to the path when it is located.
    missing_field: Option<&'static str>,
}

impl Error {
    /// Creates an error with a message only: no path and no position.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(ErrorImpl {
                message: message.into(),
                path: String::new(),
                line: 0,
                column: 0,
                located: false,
                missing_field: None,
            }),
        }
    }

    /// Creates an error whose path and position are already known.
    pub(crate) fn located(
        message: impl Into<String>,
        path: String,
        line: usize,
        column: usize,
    ) -> Self {
        let mut error = Error::new(message);
        error.inner.path = path;
        error.inner.line = line;
        error.inner.column = column;
        error.inner.located = true;
        error
    }

    /// Returns the message without the path and position.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Returns the PascalCase path of the member that failed, or `""` for the top-level value
    /// and for writing errors.
    ///
    /// Struct fields appear as their serde name with the first letter upper-cased, map entries
    /// as their key as written, and list items as `[index]` appended to the list's path.
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// Returns the 1-based line of the error in the input, or 0 for writing errors.
    pub fn line(&self) -> usize {
        self.inner.line
    }

    /// Returns the 1-based column (in characters) of the error in the input, or 0 for writing
    /// errors.
    pub fn column(&self) -> usize {
        self.inner.column
    }

    pub(crate) fn is_located(&self) -> bool {
        self.inner.located
    }

    pub(crate) fn missing_field_name(&self) -> Option<&'static str> {
        self.inner.missing_field
    }

    /// Fills in the path and position of an error raised without them (by a serde visitor).
    pub(crate) fn set_location(&mut self, path: String, line: usize, column: usize) {
        self.inner.path = path;
        self.inner.line = line;
        self.inner.column = column;
        self.inner.located = true;
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)?;
        if !self.inner.path.is_empty() {
            write!(f, " at {}", self.inner.path)?;
        }
        if self.inner.line > 0 {
            let separator = if self.inner.path.is_empty() {
                " at"
            } else {
                ","
            };
            write!(
                f,
                "{separator} line {}, column {}",
                self.inner.line, self.inner.column
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("message", &self.inner.message)
            .field("path", &self.inner.path)
            .field("line", &self.inner.line)
            .field("column", &self.inner.column)
            .finish()
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::new(message.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        let mut error = Error::new(format!("missing field `{field}`"));
        error.inner.missing_field = Some(field);
        error
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::new(message.to_string())
    }
}

/// Computes the 1-based line and column (in characters) of byte offset `pos` in `text`.
///
/// An offset past the end or inside a character is clamped to a valid position, so this never
/// panics.
pub(crate) fn line_and_column(text: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text.as_bytes()[..pos];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = 1 + text[line_start..pos].chars().count();
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_and_column;

    #[test]
    fn line_and_column_clamps_offsets() {
        let text = "ab\ncé";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 3), (2, 1));
        // Offset 5 is inside `é`, so it counts from the start of that character.
        assert_eq!(line_and_column(text, 5), (2, 2));
        assert_eq!(line_and_column(text, 100), (2, 3));
        assert_eq!(line_and_column("", 7), (1, 1));
    }
}
