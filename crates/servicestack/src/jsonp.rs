//! JSONP: a JSON response wrapped in a call to the function that `?callback=` names.

use http::StatusCode;

use crate::error::ApiError;

/// The `Content-Type` of a JSONP response.
pub const CONTENT_TYPE: &str = "text/javascript; charset=utf-8";

/// Checks that `callback` is a JavaScript name or dotted path made of letters, digits, `_`, `$`
/// and `.`, so that the response cannot run any other script.
///
/// NOTE: the error code `ArgumentException` is a guess from how ServiceStack reports other
/// invalid arguments. Its response to an invalid callback is unconfirmed.
pub fn check_callback(callback: &str) -> Result<(), ApiError> {
    // Dot-separated JavaScript identifiers: `show`, `app.render`, `$cb_1`.
    let is_identifier = |part: &str| {
        let mut characters = part.chars();
        characters
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic() || "_$".contains(first))
            && characters
                .all(|character| character.is_ascii_alphanumeric() || "_$".contains(character))
    };
    let valid = callback.split('.').all(is_identifier);
    if valid {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        "ArgumentException",
        format!(
            "The callback '{callback}' is not a valid function name: use JavaScript names (letters, \
             digits, '_' and '$', not starting with a digit) joined by '.'."
        ),
    ))
}

/// Wraps a JSON body as `callback(json)`; `callback` must have passed [`check_callback`].
pub fn wrap(callback: &str, json: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(callback.len() + json.len() + 2);
    body.extend_from_slice(callback.as_bytes());
    body.push(b'(');
    body.extend_from_slice(json);
    body.push(b')');
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_calls_callback_with_json() {
        assert_eq!(wrap("show", br#"{"a":1}"#), br#"show({"a":1})"#.to_vec());
    }

    #[test]
    fn callback_names_accept_paths() {
        for name in ["cb", "jQuery3310_1588", "app.handlers.show", "$", "_x9"] {
            assert!(check_callback(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn callback_names_reject_script() {
        for name in [
            "",
            "alert(1)",
            "a;b",
            "a b",
            "a-b",
            "</script>",
            "ä",
            "1abc",
            ".a",
            "a.",
            "a..b",
        ] {
            let error = check_callback(name).unwrap_err();
            assert_eq!(error.status, StatusCode::BAD_REQUEST, "{name}");
            assert_eq!(
                error.response_status.error_code, "ArgumentException",
                "{name}"
            );
        }
    }
}
