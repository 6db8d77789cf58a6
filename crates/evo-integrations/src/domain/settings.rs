//! Integration settings: defaults, merging a PATCH, validation against the type's schema,
//! masking secrets and deriving `Status`.

use servicestack::ResponseError;

use crate::connectors::{ConnectorSchema, SettingField};
use crate::dto::data::{Struct, Value, ValueTypes};
use crate::dto::integration::IntegrationStatuses;

/// The text responses show in place of a stored secret. Sending it back keeps the stored value.
pub const SECRET_MASK: &str = "********";

/// An integration's settings, with secrets kept apart so the store can encrypt them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Settings that may be shown.
    pub public: Struct,
    /// Settings whose `UIHint` is `Password`, in plain text; encrypted at rest by the store.
    pub secrets: Struct,
}

impl Settings {
    /// The settings of a new integration: each field that has a default.
    pub fn defaults(schema: &ConnectorSchema) -> Settings {
        let mut settings = Settings::default();
        for setting in &schema.fields {
            if let Some(default) = &setting.field.default_value {
                settings.set(setting, default.clone());
            }
        }
        settings
    }

    fn get(&self, setting: &SettingField) -> Option<&Value> {
        self.part(setting).get(setting.id())
    }

    fn set(&mut self, setting: &SettingField, value: Value) {
        let key = setting.id().to_owned();
        self.part_mut(setting).insert(key, value);
    }

    fn remove(&mut self, setting: &SettingField) {
        self.part_mut(setting).shift_remove(setting.id());
    }

    fn part(&self, setting: &SettingField) -> &Struct {
        if setting.is_secret() {
            &self.secrets
        } else {
            &self.public
        }
    }

    fn part_mut(&mut self, setting: &SettingField) -> &mut Struct {
        if setting.is_secret() {
            &mut self.secrets
        } else {
            &mut self.public
        }
    }

    /// Merges `patch` key by key and validates each changed key against `schema`.
    ///
    /// A value with no member, or an empty string, removes its key; a secret sent back as
    /// [`SECRET_MASK`] keeps the stored value. Keys match the schema ignoring case. Returns one
    /// error per bad key, named `Settings.{Key}`.
    pub fn merge(
        &self,
        schema: &ConnectorSchema,
        patch: &Struct,
    ) -> Result<Settings, Vec<ResponseError>> {
        let mut merged = self.clone();
        let mut errors = Vec::new();
        for (key, value) in patch {
            let Some(setting) = schema.field(key) else {
                errors.push(unknown_setting(schema, key));
                continue;
            };
            match check_value(setting, value, self.get(setting)) {
                Err(error) => errors.push(error),
                Ok(Change::Remove) => merged.remove(setting),
                Ok(Change::Keep) => {}
                Ok(Change::Set(value)) => merged.set(setting, value),
            }
        }
        if errors.is_empty() {
            Ok(merged)
        } else {
            Err(errors)
        }
    }

    /// The settings as responses show them: schema order, secrets as [`SECRET_MASK`].
    pub fn masked(&self, schema: &ConnectorSchema) -> Struct {
        let mut shown = Struct::new();
        for setting in &schema.fields {
            let Some(value) = self.get(setting) else {
                continue;
            };
            let value = if setting.is_secret() {
                Value::string(SECRET_MASK)
            } else {
                value.clone()
            };
            shown.insert(setting.id().to_owned(), value);
        }
        shown
    }

    /// The keys whose values differ between `self` and `other`, in schema order.
    pub fn changed_keys(&self, other: &Settings, schema: &ConnectorSchema) -> Vec<String> {
        schema
            .fields
            .iter()
            .filter(|setting| self.get(setting) != other.get(setting))
            .map(|setting| setting.id().to_owned())
            .collect()
    }

    /// The status these settings give: `NotConfigured` with the missing settings named, or `OK`.
    pub fn status(
        &self,
        schema: &ConnectorSchema,
        is_authorized: bool,
    ) -> (IntegrationStatuses, String) {
        let missing: Vec<&str> = schema
            .fields
            .iter()
            .filter(|setting| setting.required && !has_text(self.get(setting)))
            .map(SettingField::id)
            .collect();
        let type_name = schema.integration_type.name();
        if !missing.is_empty() {
            let mut message = format!("Missing settings: {}.", missing.join(", "));
            if schema.uses_oauth() && !is_authorized {
                message.push_str(&format!(
                    " Then authorize the integration with {type_name}."
                ));
            }
            return (IntegrationStatuses::NotConfigured, message);
        }
        if schema.uses_oauth() && !is_authorized {
            let message = format!("Not authorized: authorize the integration with {type_name}.");
            return (IntegrationStatuses::NotConfigured, message);
        }
        (IntegrationStatuses::Ok, "Configured.".to_owned())
    }
}

fn has_text(value: Option<&Value>) -> bool {
    value
        .and_then(|value| value.string_value.as_deref())
        .is_some_and(|text| !text.trim().is_empty())
}

enum Change {
    Set(Value),
    Remove,
    Keep,
}

fn field_error(error_code: &str, setting: &str, message: String) -> ResponseError {
    ResponseError {
        error_code: error_code.to_owned(),
        field_name: format!("Settings.{setting}"),
        message,
    }
}

fn unknown_setting(schema: &ConnectorSchema, key: &str) -> ResponseError {
    let known: Vec<&str> = schema.fields.iter().map(SettingField::id).collect();
    field_error(
        "UnknownSetting",
        key,
        format!(
            "'{key}' is not a setting of {} integrations; the settings are {}.",
            schema.integration_type.name(),
            known.join(", ")
        ),
    )
}

/// Validates one patched value against its field and the value stored now.
fn check_value(
    setting: &SettingField,
    value: &Value,
    current: Option<&Value>,
) -> Result<Change, ResponseError> {
    let id = setting.id();
    if current == Some(value) {
        // Clients often send back what they read; an unchanged value is never an error.
        return Ok(Change::Keep);
    }

    match value.member_count() {
        0 => return Ok(Change::Remove),
        1 => {}
        _ => {
            return Err(field_error(
                "AmbiguousValue",
                id,
                format!(
                    "'{id}' must set exactly one of BoolValue, StringValue, NumberValue, \
                     ListValue and StructValue."
                ),
            ))
        }
    }

    if setting.field.is_output {
        return Err(field_error(
            "ReadOnlySetting",
            id,
            format!("'{id}' is filled in by the server and cannot be set."),
        ));
    }

    debug_assert_eq!(setting.field.value_type, ValueTypes::String);
    let Some(text) = value.string_value.as_deref() else {
        return Err(field_error(
            "InvalidValueType",
            id,
            format!("'{id}' must be a string (StringValue)."),
        ));
    };

    let text = text.trim();
    if text.is_empty() {
        return Ok(Change::Remove);
    }
    if setting.is_secret() && text == SECRET_MASK {
        return Ok(Change::Keep);
    }

    if let Some(possible) = &setting.field.possible_values {
        let items: Vec<&str> = if setting.comma_separated {
            text.split(',').map(str::trim).collect()
        } else {
            vec![text]
        };
        if let Some(bad) = items
            .iter()
            .find(|item| !possible.iter().any(|allowed| allowed == *item))
        {
            return Err(field_error(
                "NotAPossibleValue",
                id,
                format!(
                    "'{bad}' is not a possible value of '{id}'; use one of {}.",
                    possible.join(", ")
                ),
            ));
        }
        if setting.comma_separated {
            return Ok(Change::Set(Value::string(items.join(","))));
        }
    }

    if setting.url && !is_http_url(text) {
        return Err(field_error(
            "InvalidUrl",
            id,
            format!("'{id}' must be an absolute http or https URL, such as https://crm.example.com/api."),
        ));
    }
    Ok(Change::Set(Value::string(text)))
}

fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let host = rest.and_then(|rest| rest.split(['/', '?', '#']).next());
    host.is_some_and(|host| !host.is_empty() && !host.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::integration::IntegrationTypes;

    fn zoho() -> &'static ConnectorSchema {
        ConnectorSchema::of(IntegrationTypes::Zoho)
    }

    fn patch(entries: &[(&str, Value)]) -> Struct {
        entries
            .iter()
            .map(|(key, value)| ((*key).to_owned(), value.clone()))
            .collect()
    }

    #[test]
    fn defaults_hold_fields_with_defaults() {
        let settings = Settings::defaults(zoho());
        let keys: Vec<&String> = settings.public.keys().collect();
        assert_eq!(keys, ["AccountsServer"]);
        assert!(settings.secrets.is_empty());
    }

    #[test]
    fn merge_splits_secrets_and_masks_them() {
        let merged = Settings::defaults(zoho())
            .merge(
                zoho(),
                &patch(&[
                    ("clientid", Value::string("id-1")),
                    ("ClientSecret", Value::string("s3cret")),
                ]),
            )
            .unwrap();
        assert_eq!(merged.secrets["ClientSecret"], Value::string("s3cret"));
        let shown = merged.masked(zoho());
        assert_eq!(shown["ClientId"], Value::string("id-1"));
        assert_eq!(shown["ClientSecret"], Value::string(SECRET_MASK));
    }

    #[test]
    fn mask_sent_back_keeps_secret() {
        let stored = Settings::defaults(zoho())
            .merge(zoho(), &patch(&[("ClientSecret", Value::string("s3cret"))]))
            .unwrap();
        let merged = stored
            .merge(
                zoho(),
                &patch(&[("ClientSecret", Value::string(SECRET_MASK))]),
            )
            .unwrap();
        assert_eq!(merged.secrets["ClientSecret"], Value::string("s3cret"));
    }

    #[test]
    fn empty_value_removes_key() {
        let merged = Settings::defaults(zoho())
            .merge(zoho(), &patch(&[("AccountsServer", Value::default())]))
            .unwrap();
        assert!(merged.public.is_empty());
    }

    #[test]
    fn bad_values_name_their_setting() {
        let two_members = Value {
            bool_value: Some(true),
            string_value: Some("x".into()),
            ..Value::default()
        };
        let number = Value {
            number_value: Some(1.0),
            ..Value::default()
        };
        let cases = [
            (
                "Nope",
                Value::string("x"),
                "UnknownSetting",
                "Settings.Nope",
            ),
            (
                "ClientId",
                two_members,
                "AmbiguousValue",
                "Settings.ClientId",
            ),
            ("ClientId", number, "InvalidValueType", "Settings.ClientId"),
            (
                "AccountsServer",
                Value::string("https://evil.example"),
                "NotAPossibleValue",
                "Settings.AccountsServer",
            ),
            (
                "ApiDomain",
                Value::string("https://x"),
                "ReadOnlySetting",
                "Settings.ApiDomain",
            ),
        ];
        for (key, value, code, field) in cases {
            let errors = Settings::default()
                .merge(zoho(), &patch(&[(key, value)]))
                .unwrap_err();
            assert_eq!(errors.len(), 1, "{key}");
            assert_eq!(errors[0].error_code, code, "{key}");
            assert_eq!(errors[0].field_name, field, "{key}");
        }
    }

    #[test]
    fn member_statuses_check_each_item() {
        let schema = ConnectorSchema::of(IntegrationTypes::OfficeRnd);
        let merged = Settings::defaults(schema)
            .merge(
                schema,
                &patch(&[("MemberStatuses", Value::string("active, pending"))]),
            )
            .unwrap();
        assert_eq!(
            merged.public["MemberStatuses"],
            Value::string("active,pending")
        );
        let errors = Settings::defaults(schema)
            .merge(
                schema,
                &patch(&[("MemberStatuses", Value::string("active,gone"))]),
            )
            .unwrap_err();
        assert_eq!(errors[0].error_code, "NotAPossibleValue");
    }

    #[test]
    fn urls_must_be_http() {
        let schema = ConnectorSchema::of(IntegrationTypes::HostedSuite);
        for bad in ["ftp://x", "https://", "evo.hostedsuite.com"] {
            let errors = Settings::default()
                .merge(schema, &patch(&[("BaseUrl", Value::string(bad))]))
                .unwrap_err();
            assert_eq!(errors[0].error_code, "InvalidUrl", "{bad}");
        }
    }

    #[test]
    fn status_names_missing_settings() {
        let (status, message) = Settings::defaults(zoho()).status(zoho(), false);
        assert_eq!(status, IntegrationStatuses::NotConfigured);
        assert_eq!(
            message,
            "Missing settings: ClientId, ClientSecret. Then authorize the integration with Zoho."
        );
    }

    #[test]
    fn status_is_ok_when_complete() {
        let schema = ConnectorSchema::of(IntegrationTypes::HostedSuite);
        let settings = Settings::defaults(schema)
            .merge(
                schema,
                &patch(&[
                    ("CustomerName", Value::string("acme")),
                    ("UserName", Value::string("sync")),
                    ("Password", Value::string("pw")),
                ]),
            )
            .unwrap();
        assert_eq!(settings.status(schema, false).0, IntegrationStatuses::Ok);
    }

    #[test]
    fn oauth_type_needs_authorization() {
        let settings = Settings::defaults(zoho())
            .merge(
                zoho(),
                &patch(&[
                    ("ClientId", Value::string("id")),
                    ("ClientSecret", Value::string("secret")),
                ]),
            )
            .unwrap();
        let (status, message) = settings.status(zoho(), false);
        assert_eq!(status, IntegrationStatuses::NotConfigured);
        assert_eq!(
            message,
            "Not authorized: authorize the integration with Zoho."
        );
        assert_eq!(settings.status(zoho(), true).0, IntegrationStatuses::Ok);
    }
}
