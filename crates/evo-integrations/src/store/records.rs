//! The rows the store keeps, in domain types.

use crate::domain::caller::Role;
use crate::domain::settings::Settings;
use crate::dto::data::Struct;
use crate::dto::endpoint::EndpointTypes;
use crate::dto::integration::{IntegrationStatuses, IntegrationTypes, LogLevels};

/// Who created and last changed an entity, and when (RFC 3339 UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    pub date_created: String,
    pub date_last_modified: String,
    pub created_by: String,
    pub last_modified_by: String,
}

impl Audit {
    /// The audit of an entity `user_id` creates at `now`.
    pub fn created(user_id: &str, now: &str) -> Audit {
        Audit {
            date_created: now.to_owned(),
            date_last_modified: now.to_owned(),
            created_by: user_id.to_owned(),
            last_modified_by: user_id.to_owned(),
        }
    }

    /// Records a change by `user_id` at `now`.
    pub fn touch(&mut self, user_id: &str, now: &str) {
        now.clone_into(&mut self.date_last_modified);
        user_id.clone_into(&mut self.last_modified_by);
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AccountRecord {
    pub id: String,
    pub name: String,
    pub parent_account_id: Option<String>,
    /// The ancestors' ids from the top account down to the parent; filled in on reads.
    pub ancestor_ids: Vec<String>,
    pub audit: Audit,
}

/// The integration a record was synced from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrationLink {
    pub integration_id: String,
    pub crm_id: String,
    pub date_last_sync: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CustomerRecord {
    pub id: String,
    pub account_id: String,
    pub parent_customer_id: Option<String>,
    pub name: String,
    pub reference_id: Option<String>,
    pub is_staging: bool,
    pub data: Struct,
    pub integration_link: Option<IntegrationLink>,
    pub audit: Audit,
}

/// One step of a breadcrumb.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crumb {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IntegrationRecord {
    pub id: String,
    pub account_id: String,
    pub customer_id: Option<String>,
    pub name: String,
    pub integration_type: IntegrationTypes,
    pub settings: Settings,
    pub automatically_create_customers: bool,
    pub status: IntegrationStatuses,
    pub status_message: Option<String>,
    pub is_authorized: bool,
    pub date_last_sync: Option<String>,
    pub audit: Audit,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LogRecord {
    pub id: String,
    pub integration_id: String,
    pub date: String,
    pub level: LogLevels,
    pub message: String,
    pub sync_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EndpointRecord {
    pub id: String,
    pub account_id: String,
    pub customer_id: Option<String>,
    pub endpoint_type: EndpointTypes,
    pub display_name: String,
    pub reference_id: Option<String>,
    pub user_first_name: Option<String>,
    pub user_last_name: Option<String>,
    pub user_email_address: Option<String>,
    pub phone_number: Option<String>,
    pub integration_link: Option<IntegrationLink>,
    pub audit: Audit,
}

/// A user who logs in (not an endpoint of type User).
#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub id: String,
    pub user_name: String,
    pub display_name: Option<String>,
    pub email_address: Option<String>,
    /// The Argon2id hash in PHC string format.
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub account_ids: Vec<String>,
    pub customer_id: Option<String>,
    pub audit: Audit,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiKeyRecord {
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// The SHA-256 hash of the key; the key itself is never stored.
    pub key_hash: [u8; 32],
    pub expires_at: Option<String>,
    pub date_created: String,
}

/// A login session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRecord {
    /// The SHA-256 hash of the session id; the id itself is never stored.
    pub id_hash: [u8; 32],
    pub user_id: String,
    /// Whether the session was made with "remember me" and outlives the browser session.
    pub persistent: bool,
    pub expires_at: String,
    pub date_created: String,
}
