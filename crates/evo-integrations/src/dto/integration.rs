//! Integrations: the link between an account (or customer) and a CRM.

use serde::{Deserialize, Serialize};
use servicestack::ApiType;

use super::data::{DataType, Struct};
use super::list::{list_request, ListRequestBase, ListResponse};
use super::{operation, EntityInfo, NoContent};

/// The CRMs an integration can link to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Integrations")]
pub enum IntegrationTypes {
    #[default]
    HostedSuite,
    OfficeRnd,
    Zoho,
}

impl IntegrationTypes {
    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            IntegrationTypes::HostedSuite => "HostedSuite",
            IntegrationTypes::OfficeRnd => "OfficeRnd",
            IntegrationTypes::Zoho => "Zoho",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<IntegrationTypes> {
        [
            IntegrationTypes::HostedSuite,
            IntegrationTypes::OfficeRnd,
            IntegrationTypes::Zoho,
        ]
        .into_iter()
        .find(|kind| kind.name() == name)
    }
}

/// Whether an integration is ready to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Integrations")]
pub enum IntegrationStatuses {
    #[default]
    NotConfigured,
    Error,
    #[serde(rename = "OK")]
    Ok,
}

impl IntegrationStatuses {
    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            IntegrationStatuses::NotConfigured => "NotConfigured",
            IntegrationStatuses::Error => "Error",
            IntegrationStatuses::Ok => "OK",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<IntegrationStatuses> {
        [
            IntegrationStatuses::NotConfigured,
            IntegrationStatuses::Error,
            IntegrationStatuses::Ok,
        ]
        .into_iter()
        .find(|status| status.name() == name)
    }
}

/// What an integration can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Integrations")]
pub enum IntegrationFeatures {
    CrmSync,
    OAuth2,
}

/// One step of the path from the top customer down to a customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Customers")]
#[serde(rename_all = "camelCase", default)]
pub struct CustomerBreadcrumb {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An integration as the API returns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Integrations", inherits = EntityInfo)]
#[serde(rename_all = "camelCase", default)]
pub struct IntegrationInfo {
    /// The ID of the account associated with this integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The ID of the customer this integration is associated with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The name of the customer this integration is associated with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// The date the integration was sync'd last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_last_sync: Option<String>,
    /// The breadcrumb to the customer for this integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_breadcrumb: Option<Vec<CustomerBreadcrumb>>,
    /// The name of the integration (e.g. HostedSuite Dallas).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Automatically create new customers / users when sync'ing with CRM?
    pub automatically_create_customers: bool,
    /// The type of integration.
    #[serde(rename = "type")]
    pub integration_type: IntegrationTypes,
    /// The status of the integration.
    pub status: IntegrationStatuses,
    // The contract gives this member the same description as `status`.
    /// The status of the integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// The settings type for this integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings_data_type: Option<DataType>,
    /// The settings for this integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<Struct>,
    /// The features supported by this integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<IntegrationFeatures>>,
    /// Is this integration authorized (OAuth)?
    pub is_authorized: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_last_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<String>,
}

/// Creates a new integration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct NewIntegration {
    /// The account ID to associate this integration with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The type of integration.
    #[api(not_nullable)]
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub integration_type: Option<IntegrationTypes>,
    /// The name of the integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The parent customer for this integration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

operation!(
    NewIntegration -> IntegrationInfo, "POST" "/integrations";
    roles = [SystemAdministrator, Manager]
);

list_request! {
    /// Lists integrations.
    #[api(inherits = ListRequestBase<IntegrationInfo>)]
    pub struct ListIntegrations {
        /// Only integrations of these accounts.
        pub account_ids: Option<Vec<String>>,
        /// Only integrations of these customers and, unless `ShallowParent`, their descendants.
        pub customer_ids: Option<Vec<String>>,
        /// A case-insensitive substring of the name.
        pub name_filter: Option<String>,
        /// Match `CustomerIds` exactly instead of including their subtrees.
        pub shallow_parent: Option<bool>,
        /// Only integrations of these types.
        pub types: Option<Vec<IntegrationTypes>>,
    }
}

operation!(ListIntegrations -> ListResponse<IntegrationInfo>, "GET" "/integrations");

/// Gets one integration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct GetIntegration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
}

operation!(GetIntegration -> IntegrationInfo, "GET" "/integrations/{IntegrationId}");

/// Changes an integration; members left out keep their value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct PatchIntegration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new customer; an empty string detaches the integration from its customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automatically_create_customers: Option<bool>,
    /// Settings to merge key by key; a value with no member removes its key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<Struct>,
}

operation!(
    PatchIntegration -> IntegrationInfo, "PATCH" "/integrations/{IntegrationId}";
    roles = [SystemAdministrator, Manager]
);

/// Deletes an integration with its settings, tokens, log and the links of synced records.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteIntegration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
}

operation!(
    DeleteIntegration -> NoContent, "DELETE" "/integrations/{IntegrationId}";
    roles = [SystemAdministrator, Manager]
);

/// The severity of an integration log entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Integrations")]
pub enum LogLevels {
    #[default]
    Info,
    Warning,
    Error,
}

impl LogLevels {
    /// The name on the wire and in the store.
    pub fn name(self) -> &'static str {
        match self {
            LogLevels::Info => "Info",
            LogLevels::Warning => "Warning",
            LogLevels::Error => "Error",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<LogLevels> {
        [LogLevels::Info, LogLevels::Warning, LogLevels::Error]
            .into_iter()
            .find(|level| level.name() == name)
    }
}

/// One entry of an integration's log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Integrations")]
#[serde(rename_all = "camelCase", default)]
pub struct IntegrationLogEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub level: LogLevels,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_id: Option<String>,
}

list_request! {
    /// Lists an integration's log, newest first unless sorted otherwise.
    #[api(inherits = ListRequestBase<IntegrationLogEntry>)]
    pub struct GetIntegrationLog {
        pub integration_id: Option<String>,
    }
}

operation!(GetIntegrationLog -> ListResponse<IntegrationLogEntry>, "GET" "/integrations/{IntegrationId}/log");
