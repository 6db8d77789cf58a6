//! JSON Lines responses (`text/jsonl`): one JSON value per line, each line ending with `\n`.
//!
//! A list response writes one item per line and drops its other members (the counts of a
//! `ListResponse`); any other value is one line.

use serde::Serialize;

use crate::items::{for_each_item, ItemSink};
use crate::write::WriteError;

/// Serializes `value` as JSON Lines.
pub fn to_jsonl<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, WriteError> {
    let mut lines = Lines(Vec::new());
    if !for_each_item(value, &mut lines)? {
        lines.item(value)?;
    }
    Ok(lines.0)
}

struct Lines(Vec<u8>);

impl ItemSink for Lines {
    fn item<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<(), WriteError> {
        // Compact JSON escapes control characters, so a value never spans two lines.
        serde_json::to_writer(&mut self.0, item)?;
        self.0.push(b'\n');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Page {
        items: Vec<Item>,
        total_count: i64,
    }

    #[derive(Serialize)]
    struct Item {
        id: &'static str,
        note: &'static str,
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn list_response_writes_item_per_line() {
        let page = Page {
            items: vec![
                Item {
                    id: "a",
                    note: "two\nlines",
                },
                Item { id: "b", note: "" },
            ],
            total_count: 2,
        };
        assert_eq!(
            text(to_jsonl(&page).unwrap()),
            "{\"id\":\"a\",\"note\":\"two\\nlines\"}\n{\"id\":\"b\",\"note\":\"\"}\n"
        );
    }

    #[test]
    fn empty_list_writes_nothing() {
        let page = Page {
            items: Vec::new(),
            total_count: 0,
        };
        assert_eq!(text(to_jsonl(&page).unwrap()), "");
    }

    #[test]
    fn single_object_is_one_line() {
        let item = Item { id: "a", note: "x" };
        assert_eq!(
            text(to_jsonl(&item).unwrap()),
            "{\"id\":\"a\",\"note\":\"x\"}\n"
        );
    }
}
