//! HTML responses: a page titled with the operation's name that shows the response as indented
//! JSON. Every piece of text on the page is escaped, so no value can add markup.

use std::fmt::Write as _;

use http::StatusCode;
use serde::Serialize;

use crate::error::ErrorResponse;
use crate::write::{status_text, WriteError};

/// Renders `value` as a page titled `operation`.
pub fn page<T: Serialize + ?Sized>(operation: &str, value: &T) -> Result<Vec<u8>, WriteError> {
    let json = serde_json::to_string_pretty(value)?;
    Ok(render(operation, None, &json))
}

/// Renders an error body as a page that shows the status and the same fields as the JSON body.
///
/// The title is the operation's name, or `Error` when the request matched no operation.
pub fn error_page(
    operation: Option<&str>,
    status: StatusCode,
    body: &ErrorResponse,
) -> Result<Vec<u8>, WriteError> {
    let json = serde_json::to_string_pretty(body)?;
    let status = status_text(status);
    Ok(render(operation.unwrap_or("Error"), Some(&status), &json))
}

fn render(title: &str, status: Option<&str>, json: &str) -> Vec<u8> {
    let title = escape(title);
    let mut page = String::with_capacity(json.len() + 256);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(page, "<title>{title}</title>");
    page.push_str("</head>\n<body>\n");
    let _ = writeln!(page, "<h1>{title}</h1>");
    if let Some(status) = status {
        let _ = writeln!(page, "<p>{}</p>", escape(status));
    }
    let _ = writeln!(page, "<pre>{}</pre>", escape(json));
    page.push_str("</body>\n</html>\n");
    page.into_bytes()
}

/// Escapes the five characters that are markup in HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;
    use crate::error::ApiError;

    #[derive(Serialize)]
    struct Note {
        text: &'static str,
    }

    #[test]
    fn markup_in_values_is_escaped() {
        let note = Note {
            text: "<script>alert('x')</script> & \"y\"",
        };
        let page = String::from_utf8(page("GetNote", &note).unwrap()).unwrap();
        assert_eq!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>GetNote</title>\n</head>\n<body>\n<h1>GetNote</h1>\n\
             <pre>{\n  &quot;text&quot;: &quot;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; \
             &amp; \\&quot;y\\&quot;&quot;\n}</pre>\n</body>\n</html>\n"
        );
    }

    #[test]
    fn title_is_escaped() {
        let page = String::from_utf8(page("<b>", &1).unwrap()).unwrap();
        assert!(page.contains("<title>&lt;b&gt;</title>"), "{page}");
        assert!(!page.contains("<b>"), "{page}");
    }

    #[test]
    fn error_page_shows_status_and_fields() {
        let error = ApiError::field("NotEmpty", "Name", "'Name' must not be empty.");
        let page = error_page(Some("NewIntegration"), error.status, &error.to_response());
        let page = String::from_utf8(page.unwrap()).unwrap();
        assert!(page.contains("<title>NewIntegration</title>"), "{page}");
        assert!(page.contains("<p>400 Bad Request</p>"), "{page}");
        assert!(
            page.contains("&quot;errorCode&quot;: &quot;NotEmpty&quot;"),
            "{page}"
        );
        assert!(
            page.contains("&quot;fieldName&quot;: &quot;Name&quot;"),
            "{page}"
        );
        assert!(page.contains("&#39;Name&#39; must not be empty."), "{page}");
    }

    #[test]
    fn error_page_without_operation_is_titled_error() {
        let error = ApiError::not_found("No operation is found at GET /nowhere.");
        let page = error_page(None, error.status, &error.to_response()).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<title>Error</title>"), "{page}");
        assert!(page.contains("<p>404 Not Found</p>"), "{page}");
    }
}
