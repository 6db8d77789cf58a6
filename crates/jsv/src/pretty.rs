//! The pretty layout of compact JSV, as shown on operation pages and by `?debug`.

/// Lays out compact JSV text over several lines, indented with tabs.
///
/// The rules apply outside quoted values. A member's `:` becomes `: `. An opening `{` or `[`
/// after a member name goes on a new line at the name's indentation. Every opening bracket is
/// followed by a new line one tab deeper, and every `,` by a new line. Every closing bracket
/// goes on a new line at its opening bracket's indentation. An empty `{}` or `[]` right after a
/// member name stays inline, and an empty one elsewhere is expanded, leaving a line that
/// contains only tabs. Lines end with `\n` and the text has no final newline.
///
/// The input is not checked: text that is not compact JSV is laid out by the same rules
/// (unbalanced brackets included), and this never panics.
///
/// ```
/// assert_eq!(
///     jsv::prettify("{id:1,tags:[a],meta:{}}"),
///     "{\n\tid: 1,\n\ttags: \n\t[\n\t\ta\n\t],\n\tmeta: {}\n}"
/// );
/// ```
pub fn prettify(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut layout = Layout::new(compact.len());
    let mut i = 0;
    while i < bytes.len() {
        i = match bytes[i] {
            b'"' if layout.at_token_start => layout.quoted(compact, i),
            byte @ (b'{' | b'[') if layout.at_token_start => layout.open(bytes, i, byte),
            byte @ (b'}' | b']') => layout.close(i, byte),
            b',' => layout.comma(i),
            b':' if layout.in_key => layout.colon(i),
            _ => layout.plain(compact, i),
        };
    }
    layout.out
}

/// The output and state of [`prettify`]. Each method handles the token at index `i` and
/// returns the index after it.
struct Layout {
    out: String,
    /// One entry per open bracket: true for an object, whose members start with a name.
    in_object: Vec<bool>,
    /// True where a value or member name may begin, so that a `"` opens a quoted value.
    at_token_start: bool,
    /// True while reading a member name, until its `:`.
    in_key: bool,
    /// True right after a member's `: `.
    after_key: bool,
}

impl Layout {
    fn new(compact_len: usize) -> Self {
        Layout {
            out: String::with_capacity(compact_len * 2),
            in_object: Vec::new(),
            at_token_start: true,
            in_key: false,
            after_key: false,
        }
    }

    fn quoted(&mut self, compact: &str, i: usize) -> usize {
        let end = quoted_end(compact.as_bytes(), i);
        self.out.push_str(&compact[i..end]);
        self.at_token_start = false;
        self.after_key = false;
        end
    }

    fn open(&mut self, bytes: &[u8], i: usize, bracket: u8) -> usize {
        let closer = if bracket == b'{' { b'}' } else { b']' };
        if self.after_key && bytes.get(i + 1) == Some(&closer) {
            self.out.push(char::from(bracket));
            self.out.push(char::from(closer));
            self.at_token_start = false;
            self.after_key = false;
            return i + 2;
        }

        if self.after_key {
            self.new_line();
        }
        self.out.push(char::from(bracket));
        self.in_object.push(bracket == b'{');
        self.new_line();
        self.at_token_start = true;
        self.in_key = bracket == b'{';
        self.after_key = false;
        i + 1
    }

    fn close(&mut self, i: usize, bracket: u8) -> usize {
        self.in_object.pop();
        self.new_line();
        self.out.push(char::from(bracket));
        self.at_token_start = false;
        self.in_key = false;
        self.after_key = false;
        i + 1
    }

    fn comma(&mut self, i: usize) -> usize {
        self.out.push(',');
        self.new_line();
        self.at_token_start = true;
        self.in_key = self.in_object.last() == Some(&true);
        self.after_key = false;
        i + 1
    }

    fn colon(&mut self, i: usize) -> usize {
        self.out.push_str(": ");
        self.at_token_start = true;
        self.in_key = false;
        self.after_key = true;
        i + 1
    }

    /// Copies a run of ordinary text up to the next structural byte.
    fn plain(&mut self, compact: &str, i: usize) -> usize {
        let bytes = compact.as_bytes();
        let run_end = bytes[i..]
            .iter()
            .position(|&b| matches!(b, b'{' | b'[' | b'}' | b']' | b',' | b':' | b'"'))
            .map_or(bytes.len(), |offset| i + offset)
            .max(i + 1);
        let run_end = next_char_boundary(compact, run_end);
        let text = &compact[i..run_end];
        self.out.push_str(text);
        if !text
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            self.at_token_start = false;
            self.after_key = false;
        }
        run_end
    }

    /// Starts a new line indented by one tab per open bracket.
    fn new_line(&mut self) {
        self.out.push('\n');
        for _ in 0..self.in_object.len() {
            self.out.push('\t');
        }
    }
}

/// Returns the index just past the quoted value that opens at `open`, or the end of the text
/// when it is unterminated. A doubled `""` inside does not end it.
fn quoted_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn next_char_boundary(text: &str, mut index: usize) -> usize {
    while index < text.len() && !text.is_char_boundary(index) {
        index += 1;
    }
    index.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::prettify;

    #[test]
    fn empty_brackets_after_key_stay_inline() {
        assert_eq!(prettify("{a:{},b:[]}"), "{\n\ta: {},\n\tb: []\n}");
    }

    #[test]
    fn empty_object_in_list_leaves_tab_line() {
        assert_eq!(prettify("[{}]"), "[\n\t{\n\t\t\n\t}\n]");
    }

    #[test]
    fn quoted_text_copied_unchanged() {
        assert_eq!(
            prettify("{\"a:b\":\"x,{y}\"\"z\"}"),
            "{\n\t\"a:b\": \"x,{y}\"\"z\"\n}"
        );
    }

    #[test]
    fn colon_inside_bare_value_kept() {
        assert_eq!(prettify("{t:12:30}"), "{\n\tt: 12:30\n}");
    }

    #[test]
    fn malformed_input_does_not_panic() {
        for text in [
            "}}]]",
            "{\"abc",
            "[[[",
            "{a:é,ü",
            ":::",
            "\"",
            "{a\u{e9}:b}",
        ] {
            let _ = prettify(text);
        }
    }
}
