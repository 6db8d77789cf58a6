//! ServiceStack's error envelope (`ResponseStatus`) and the error type that renders it.

use std::fmt;

use http::StatusCode;
use serde::{Deserialize, Serialize};

/// The `responseStatus` member of an error body, with ServiceStack's field order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseStatus {
    pub error_code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_trace: Option<String>,
    #[serde(default)]
    pub errors: Vec<ResponseError>,
}

/// One failed field inside a [`ResponseStatus`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseError {
    pub error_code: String,
    /// PascalCase path from the request's root, such as `Settings.ClientSecret`.
    pub field_name: String,
    pub message: String,
}

/// The body of every error response: `{"responseStatus": {...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    pub response_status: ResponseStatus,
}

/// An error that an operation returns to its caller, with its HTTP status.
///
/// 5xx errors keep their cause for the log and show the client only a generic message.
pub struct ApiError {
    pub status: StatusCode,
    pub response_status: ResponseStatus,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The message every 500 response carries; the cause goes to the log only.
pub const INTERNAL_ERROR_MESSAGE: &str =
    "An unexpected error occurred on the server. The server log has the details.";

impl ApiError {
    /// An error without field errors.
    pub fn new(status: StatusCode, error_code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            response_status: ResponseStatus {
                error_code: error_code.to_owned(),
                message: message.into(),
                stack_trace: None,
                errors: Vec::new(),
            },
            source: None,
        }
    }

    /// A 400 listing every failed field; the first failure gives the top-level code and message.
    ///
    /// # Panics
    ///
    /// Panics when `errors` is empty, which is a bug in the caller.
    pub fn validation(errors: Vec<ResponseError>) -> ApiError {
        let first = errors
            .first()
            .expect("a validation error needs at least one field error");
        ApiError {
            status: StatusCode::BAD_REQUEST,
            response_status: ResponseStatus {
                error_code: first.error_code.clone(),
                message: first.message.clone(),
                stack_trace: None,
                errors,
            },
            source: None,
        }
    }

    /// A 400 on one field.
    pub fn field(error_code: &str, field_name: &str, message: impl Into<String>) -> ApiError {
        ApiError::validation(vec![ResponseError {
            error_code: error_code.to_owned(),
            field_name: field_name.to_owned(),
            message: message.into(),
        }])
    }

    /// A 400 `SerializationException` for a body or value that does not parse.
    ///
    /// `field_name` is the PascalCase path of the member that failed, when it is known.
    pub fn serialization(message: impl Into<String>, field_name: Option<&str>) -> ApiError {
        let message = message.into();
        let mut error = ApiError::new(
            StatusCode::BAD_REQUEST,
            "SerializationException",
            message.clone(),
        );
        if let Some(field_name) = field_name.filter(|name| !name.is_empty()) {
            error.response_status.errors.push(ResponseError {
                error_code: "SerializationException".to_owned(),
                field_name: field_name.to_owned(),
                message,
            });
        }
        error
    }

    /// A 404 `NotFound`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "NotFound", message)
    }

    /// A 401 `Unauthorized`.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized", message)
    }

    /// A 403 `Forbidden`.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    /// A 409 with the given code, for duplicates and state conflicts.
    pub fn conflict(error_code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, error_code, message)
    }

    /// A 500 that hides `source` from the client and keeps it for the log.
    pub fn internal(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> ApiError {
        let mut error = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            INTERNAL_ERROR_MESSAGE,
        );
        error.source = Some(source.into());
        error
    }

    /// The cause of a 5xx error, for logging.
    pub fn source(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.source.as_deref()
    }

    /// The body to send.
    pub fn to_response(&self) -> ErrorResponse {
        ErrorResponse {
            response_status: self.response_status.clone(),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ApiError")
            .field("status", &self.status)
            .field("response_status", &self.response_status)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} {}: {}",
            self.status.as_u16(),
            self.response_status.error_code,
            self.response_status.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_takes_first_error_as_summary() {
        let error = ApiError::validation(vec![
            ResponseError {
                error_code: "NotEmpty".into(),
                field_name: "Name".into(),
                message: "'Name' must not be empty.".into(),
            },
            ResponseError {
                error_code: "NotEmpty".into(),
                field_name: "Type".into(),
                message: "'Type' must not be empty.".into(),
            },
        ]);
        let body = serde_json::to_string(&error.to_response()).unwrap();
        assert_eq!(
            body,
            r#"{"responseStatus":{"errorCode":"NotEmpty","message":"'Name' must not be empty.","errors":[{"errorCode":"NotEmpty","fieldName":"Name","message":"'Name' must not be empty."},{"errorCode":"NotEmpty","fieldName":"Type","message":"'Type' must not be empty."}]}}"#
        );
    }

    #[test]
    fn internal_error_hides_its_cause() {
        let error = ApiError::internal("disk I/O error at /var/lib/secret.db");
        let body = serde_json::to_string(&error.to_response()).unwrap();
        assert!(!body.contains("secret.db"), "{body}");
        assert!(body.contains(INTERNAL_ERROR_MESSAGE));
        assert!(error.source().is_some());
    }
}
