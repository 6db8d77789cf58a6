//! Small validators that produce ServiceStack-style field errors.

use servicestack::{ApiError, ResponseError};

/// The maximum length of an entity's name, in characters.
pub const MAX_NAME_LENGTH: usize = 200;

/// Splits a PascalCase member name into words for messages, as ServiceStack's validators do:
/// `CountPerPage` becomes `Count Per Page`, `AccountId` becomes `Account Id`.
pub fn display_name(member: &str) -> String {
    let mut words = String::with_capacity(member.len() + 4);
    let characters: Vec<char> = member.chars().collect();
    for (index, &character) in characters.iter().enumerate() {
        let starts_word = index > 0
            && character.is_uppercase()
            && (characters[index - 1].is_lowercase()
                || characters
                    .get(index + 1)
                    .is_some_and(|next| next.is_lowercase()));
        if starts_word {
            words.push(' ');
        }
        words.push(character);
    }
    words
}

/// Field errors collected while validating one request.
#[derive(Debug, Default)]
pub struct Errors(Vec<ResponseError>);

impl Errors {
    /// Records a failure of `field_name`.
    pub fn add(&mut self, error_code: &str, field_name: &str, message: impl Into<String>) {
        self.0.push(ResponseError {
            error_code: error_code.to_owned(),
            field_name: field_name.to_owned(),
            message: message.into(),
        });
    }

    /// Records every error of `errors`.
    pub fn extend(&mut self, errors: Vec<ResponseError>) {
        self.0.extend(errors);
    }

    /// `Ok` when nothing failed, otherwise a 400 listing every failure.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }

    /// Checks a required name: present, not blank and at most [`MAX_NAME_LENGTH`] characters.
    ///
    /// Returns the trimmed name, or `None` after recording the failure.
    pub fn required_name(&mut self, field_name: &str, value: Option<&str>) -> Option<String> {
        let trimmed = value.map(str::trim).unwrap_or_default();
        if trimmed.is_empty() {
            self.not_empty(field_name);
            return None;
        }
        self.max_length(field_name, trimmed, MAX_NAME_LENGTH)
            .then(|| trimmed.to_owned())
    }

    /// Records that a required member is missing.
    pub fn not_empty(&mut self, field_name: &str) {
        self.add(
            "NotEmpty",
            field_name,
            format!("'{}' must not be empty.", display_name(field_name)),
        );
    }

    /// Checks an optional name: when present it must not be blank and fit the length limit.
    pub fn optional_name(&mut self, field_name: &str, value: Option<&str>) -> Option<String> {
        value.and_then(|value| self.required_name(field_name, Some(value)))
    }

    /// Checks that `value` has at most `limit` characters; records the failure when not.
    pub fn max_length(&mut self, field_name: &str, value: &str, limit: usize) -> bool {
        let length = value.chars().count();
        if length <= limit {
            return true;
        }
        self.add(
            "MaximumLength",
            field_name,
            format!(
                "The length of '{}' must be {limit} characters or fewer. \
                 You entered {length} characters.",
                display_name(field_name)
            ),
        );
        false
    }
}

/// An optional reference: `None` when absent, `Some(None)` for `""` (clear), else the trimmed id.
pub fn optional_reference(value: Option<&str>) -> Option<Option<String>> {
    value.map(|value| {
        let trimmed = value.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    })
}

/// The maximum number of ids in one list filter.
pub const MAX_FILTER_IDS: usize = 1000;

/// A list filter without blank items; `None`, meaning "no filter", when absent or empty, as
/// ServiceStack services treat an empty list. More than [`MAX_FILTER_IDS`] items is a 400.
pub fn id_filter(
    field_name: &str,
    values: Option<&[String]>,
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(values) = values else {
        return Ok(None);
    };
    if values.len() > MAX_FILTER_IDS {
        let mut errors = Errors::default();
        errors.add(
            "MaximumCount",
            field_name,
            format!(
                "'{}' may hold at most {MAX_FILTER_IDS} items. You entered {}.",
                display_name(field_name),
                values.len()
            ),
        );
        errors.into_result()?;
    }
    let values: Vec<String> = values
        .iter()
        .map(|value| value.trim())
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((!values.is_empty()).then_some(values))
}

/// Whether `text` looks like an email address: one `@`, with text on both sides.
pub fn is_email_address(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_name_is_not_empty_error() {
        let mut errors = Errors::default();
        assert_eq!(errors.required_name("Name", Some("   ")), None);
        let error = errors.into_result().unwrap_err();
        assert_eq!(error.response_status.error_code, "NotEmpty");
        assert_eq!(error.response_status.message, "'Name' must not be empty.");
        assert_eq!(error.response_status.errors[0].field_name, "Name");
    }

    #[test]
    fn long_name_is_maximum_length_error() {
        let mut errors = Errors::default();
        let name = "x".repeat(MAX_NAME_LENGTH + 1);
        assert_eq!(errors.required_name("Name", Some(&name)), None);
        let error = errors.into_result().unwrap_err();
        assert_eq!(error.response_status.error_code, "MaximumLength");
    }

    #[test]
    fn name_is_trimmed() {
        let mut errors = Errors::default();
        assert_eq!(
            errors.required_name("Name", Some(" Zoho EU ")),
            Some("Zoho EU".to_owned())
        );
        assert!(errors.into_result().is_ok());
    }

    #[test]
    fn display_name_splits_words() {
        assert_eq!(display_name("Name"), "Name");
        assert_eq!(display_name("CountPerPage"), "Count Per Page");
        assert_eq!(display_name("AccountId"), "Account Id");
        assert_eq!(display_name("UIHint"), "UI Hint");
    }

    #[test]
    fn email_needs_exactly_one_at_sign() {
        assert!(is_email_address("ann@example.com"));
        for bad in ["ann.example.com", "@example.com", "ann@", "ann@example@com"] {
            assert!(!is_email_address(bad), "{bad}");
        }
    }

    #[test]
    fn empty_id_filter_means_no_filter() {
        assert_eq!(id_filter("Ids", None).unwrap(), None);
        let blank = [String::new(), " ".to_owned()];
        assert_eq!(id_filter("Ids", Some(&blank)).unwrap(), None);
        let one = [" a ".to_owned()];
        assert_eq!(
            id_filter("Ids", Some(&one)).unwrap(),
            Some(vec!["a".to_owned()])
        );
    }

    #[test]
    fn too_many_ids_is_400() {
        let ids = vec!["x".to_owned(); MAX_FILTER_IDS + 1];
        let error = id_filter("SpecificIds", Some(&ids)).unwrap_err();
        assert_eq!(error.response_status.error_code, "MaximumCount");
        assert_eq!(error.response_status.errors[0].field_name, "SpecificIds");
    }

    #[test]
    fn empty_reference_clears() {
        assert_eq!(optional_reference(None), None);
        assert_eq!(optional_reference(Some("")), Some(None));
        assert_eq!(optional_reference(Some(" a ")), Some(Some("a".to_owned())));
    }
}
