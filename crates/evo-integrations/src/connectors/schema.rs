//! Settings schemas (`SettingsDataType`) and features of each integration type.

use std::sync::OnceLock;

use crate::dto::data::{DataField, DataType, UIHints, Value, ValueTypes};
use crate::dto::integration::{IntegrationFeatures, IntegrationTypes};

/// One setting of an integration type, with the rules the wire's `DataField` cannot carry.
#[derive(Clone, Debug)]
pub struct SettingField {
    pub field: DataField,
    /// The integration is `NotConfigured` while a required setting is empty.
    pub required: bool,
    /// The value is a comma-separated list whose every item must be a possible value.
    pub comma_separated: bool,
    /// The value must be an absolute `http` or `https` URL.
    pub url: bool,
}

impl SettingField {
    /// The setting's key in `Settings`.
    pub fn id(&self) -> &str {
        self.field.id.as_deref().unwrap_or_default()
    }

    /// Whether the setting is a secret: stored encrypted and shown as `********`.
    pub fn is_secret(&self) -> bool {
        self.field.ui_hint == UIHints::Password
    }
}

/// A connector's settings schema and features.
#[derive(Clone, Debug)]
pub struct ConnectorSchema {
    pub integration_type: IntegrationTypes,
    pub fields: Vec<SettingField>,
    pub features: Vec<IntegrationFeatures>,
}

impl ConnectorSchema {
    /// The schema of `integration_type`, built once.
    pub fn of(integration_type: IntegrationTypes) -> &'static ConnectorSchema {
        static SCHEMAS: OnceLock<[ConnectorSchema; 3]> = OnceLock::new();
        let schemas = SCHEMAS.get_or_init(|| [hosted_suite(), office_rnd(), zoho()]);
        match integration_type {
            IntegrationTypes::HostedSuite => &schemas[0],
            IntegrationTypes::OfficeRnd => &schemas[1],
            IntegrationTypes::Zoho => &schemas[2],
        }
    }

    /// The `SettingsDataType` sent to clients.
    pub fn data_type(&self) -> DataType {
        DataType {
            type_name: Some(format!("{}Settings", self.integration_type.name())),
            fields: Some(
                self.fields
                    .iter()
                    .map(|setting| setting.field.clone())
                    .collect(),
            ),
        }
    }

    /// Finds a setting by key, ignoring ASCII case.
    pub fn field(&self, key: &str) -> Option<&SettingField> {
        self.fields
            .iter()
            .find(|setting| setting.id().eq_ignore_ascii_case(key))
    }

    /// Whether the type authorizes with OAuth 2.0, so it also needs `IsAuthorized`.
    pub fn uses_oauth(&self) -> bool {
        self.features.contains(&IntegrationFeatures::OAuth2)
    }
}

struct Setting {
    id: &'static str,
    description: &'static str,
    required: bool,
    secret: bool,
    default: Option<&'static str>,
    possible_values: &'static [&'static str],
    comma_separated: bool,
    url: bool,
    output: bool,
}

const SETTING: Setting = Setting {
    id: "",
    description: "",
    required: false,
    secret: false,
    default: None,
    possible_values: &[],
    comma_separated: false,
    url: false,
    output: false,
};

fn build(settings: &[Setting]) -> Vec<SettingField> {
    settings
        .iter()
        .map(|setting| SettingField {
            field: DataField {
                id: Some(setting.id.to_owned()),
                name: Some(setting.id.to_owned()),
                value_type: ValueTypes::String,
                ui_hint: if setting.secret {
                    UIHints::Password
                } else {
                    UIHints::None
                },
                description: Some(setting.description.to_owned()),
                possible_values: (!setting.possible_values.is_empty()).then(|| {
                    setting
                        .possible_values
                        .iter()
                        .map(|value| (*value).to_owned())
                        .collect()
                }),
                is_output: setting.output,
                default_value: setting.default.map(Value::string),
                ..DataField::default()
            },
            required: setting.required,
            comma_separated: setting.comma_separated,
            url: setting.url,
        })
        .collect()
}

fn hosted_suite() -> ConnectorSchema {
    ConnectorSchema {
        integration_type: IntegrationTypes::HostedSuite,
        fields: build(&[
            Setting {
                id: "BaseUrl",
                description: "The address of the HostedSuite API",
                required: true,
                default: Some("https://evo.hostedsuite.com/api"),
                url: true,
                ..SETTING
            },
            Setting {
                id: "CustomerName",
                description: "Your customer name at HostedSuite",
                required: true,
                ..SETTING
            },
            Setting {
                id: "UserName",
                description: "The HostedSuite user to sign in as",
                required: true,
                ..SETTING
            },
            Setting {
                id: "Password",
                description: "The password of that user",
                required: true,
                secret: true,
                ..SETTING
            },
            Setting {
                id: "CenterId",
                description: "Limit the sync to this center (all centers when empty)",
                ..SETTING
            },
        ]),
        features: vec![IntegrationFeatures::CrmSync],
    }
}

/// The member statuses OfficeRnd uses.
pub const OFFICE_RND_MEMBER_STATUSES: &[&str] = &[
    "active",
    "pending",
    "former",
    "contact",
    "lead",
    "drop-in",
    "not_approved",
];

fn office_rnd() -> ConnectorSchema {
    ConnectorSchema {
        integration_type: IntegrationTypes::OfficeRnd,
        fields: build(&[
            Setting {
                id: "OrgSlug",
                description: "Your organization's slug in OfficeRnd",
                required: true,
                ..SETTING
            },
            Setting {
                id: "ClientId",
                description: "The client ID of your OfficeRnd API application",
                required: true,
                ..SETTING
            },
            Setting {
                id: "ClientSecret",
                description: "The client secret of your OfficeRnd API application",
                required: true,
                secret: true,
                ..SETTING
            },
            Setting {
                id: "TokenUrl",
                description: "The OfficeRnd OAuth token endpoint",
                default: Some("https://identity.officernd.com/oauth/token"),
                url: true,
                ..SETTING
            },
            Setting {
                id: "ApiBaseUrl",
                description: "The address of the OfficeRnd API",
                default: Some("https://app.officernd.com/api/v2"),
                url: true,
                ..SETTING
            },
            Setting {
                id: "ExtraPhoneNumberProperties",
                description:
                    "Comma-separated custom member properties that hold more phone numbers",
                ..SETTING
            },
            Setting {
                id: "MemberStatuses",
                description: "Comma-separated member statuses to sync",
                default: Some("active"),
                possible_values: OFFICE_RND_MEMBER_STATUSES,
                comma_separated: true,
                ..SETTING
            },
        ]),
        features: vec![IntegrationFeatures::CrmSync],
    }
}

/// The Zoho accounts servers, one per data centre.
pub const ZOHO_ACCOUNTS_SERVERS: &[&str] = &[
    "https://accounts.zoho.com",
    "https://accounts.zoho.eu",
    "https://accounts.zoho.in",
    "https://accounts.zoho.com.au",
    "https://accounts.zoho.com.cn",
    "https://accounts.zoho.jp",
    "https://accounts.zohocloud.ca",
    "https://accounts.zoho.sa",
];

fn zoho() -> ConnectorSchema {
    ConnectorSchema {
        integration_type: IntegrationTypes::Zoho,
        fields: build(&[
            Setting {
                id: "ClientId",
                description: "The client ID of your Zoho API client",
                required: true,
                ..SETTING
            },
            Setting {
                id: "ClientSecret",
                description: "The client secret of your Zoho API client",
                required: true,
                secret: true,
                ..SETTING
            },
            Setting {
                id: "AccountsServer",
                description: "The Zoho accounts server of your data centre",
                default: Some(ZOHO_ACCOUNTS_SERVERS[0]),
                possible_values: ZOHO_ACCOUNTS_SERVERS,
                ..SETTING
            },
            Setting {
                id: "ApiDomain",
                description: "The Zoho API domain, filled in from the token response",
                output: true,
                url: true,
                ..SETTING
            },
        ]),
        features: vec![IntegrationFeatures::CrmSync, IntegrationFeatures::OAuth2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoho_fields_are_in_order() {
        let schema = ConnectorSchema::of(IntegrationTypes::Zoho);
        let ids: Vec<&str> = schema.fields.iter().map(SettingField::id).collect();
        assert_eq!(
            ids,
            ["ClientId", "ClientSecret", "AccountsServer", "ApiDomain"]
        );
        assert!(schema.uses_oauth());
    }

    #[test]
    fn secrets_are_password_fields() {
        let schema = ConnectorSchema::of(IntegrationTypes::HostedSuite);
        let secrets: Vec<&str> = schema
            .fields
            .iter()
            .filter(|setting| setting.is_secret())
            .map(SettingField::id)
            .collect();
        assert_eq!(secrets, ["Password"]);
    }

    #[test]
    fn field_lookup_ignores_case() {
        let schema = ConnectorSchema::of(IntegrationTypes::OfficeRnd);
        assert_eq!(
            schema.field("memberstatuses").unwrap().id(),
            "MemberStatuses"
        );
        assert!(schema.field("Nope").is_none());
    }
}
