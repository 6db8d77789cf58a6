//! Records as the API shows them, with the names and breadcrumbs they reference.

use std::collections::HashMap;

use servicestack::ApiError;

use super::internal;
use crate::connectors::ConnectorSchema;
use crate::domain::caller::{Caller, Scope};
use crate::dto::account::AccountInfo;
use crate::dto::customer::{CustomerInfo, EntityIntegrationData};
use crate::dto::endpoint::EndpointInfo;
use crate::dto::integration::{CustomerBreadcrumb, IntegrationInfo, IntegrationLogEntry};
use crate::store::{
    AccountRecord, Crumb, CustomerRecord, EndpointRecord, IntegrationLink, IntegrationRecord,
    LogRecord, Store,
};

/// The names that records reference, loaded in one batch per list.
#[derive(Default)]
pub struct References {
    breadcrumbs: HashMap<String, Vec<Crumb>>,
    account_names: HashMap<String, String>,
    /// For a Customer, the top of their subtree: breadcrumbs start there and its parent is
    /// not shown, so nothing above the subtree is revealed.
    visible_root: Option<String>,
}

impl References {
    /// Loads the breadcrumbs of `customer_ids` and the names of `account_ids`.
    pub async fn load<'a>(
        caller: &Caller,
        store: &dyn Store,
        customer_ids: impl Iterator<Item = &'a str>,
        account_ids: impl Iterator<Item = &'a str>,
    ) -> Result<References, ApiError> {
        let mut customer_ids: Vec<String> = customer_ids.map(str::to_owned).collect();
        customer_ids.sort_unstable();
        customer_ids.dedup();
        let mut account_ids: Vec<String> = account_ids.map(str::to_owned).collect();
        account_ids.sort_unstable();
        account_ids.dedup();

        let breadcrumbs = store.breadcrumbs(customer_ids).await.map_err(internal)?;
        let account_names = if account_ids.is_empty() {
            HashMap::new()
        } else {
            store.account_names(account_ids).await.map_err(internal)?
        };
        let visible_root = match caller.scope() {
            Scope::Customer { customer_id, .. } => Some(customer_id),
            _ => None,
        };
        Ok(References {
            breadcrumbs,
            account_names,
            visible_root,
        })
    }

    fn breadcrumb(&self, customer_id: Option<&str>) -> Vec<CustomerBreadcrumb> {
        customer_id
            .and_then(|id| self.breadcrumbs.get(id))
            .map(|crumbs| {
                let start = self
                    .visible_root
                    .as_ref()
                    .and_then(|root| crumbs.iter().position(|crumb| &crumb.id == root))
                    .unwrap_or(0);
                crumbs[start..]
                    .iter()
                    .map(|crumb| CustomerBreadcrumb {
                        id: Some(crumb.id.clone()),
                        name: Some(crumb.name.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn customer_name(&self, customer_id: Option<&str>) -> Option<String> {
        let crumbs = self.breadcrumbs.get(customer_id?)?;
        crumbs.last().map(|crumb| crumb.name.clone())
    }

    fn account_name(&self, account_id: &str) -> Option<String> {
        self.account_names.get(account_id).cloned()
    }

    /// An integration as the API shows it, with secrets masked.
    pub fn integration(&self, record: IntegrationRecord) -> IntegrationInfo {
        let schema = ConnectorSchema::of(record.integration_type);
        let customer_id = record.customer_id.as_deref();
        IntegrationInfo {
            account_id: Some(record.account_id.clone()),
            customer_name: self.customer_name(customer_id),
            customer_breadcrumb: Some(self.breadcrumb(customer_id)),
            customer_id: record.customer_id.clone(),
            date_last_sync: record.date_last_sync,
            name: Some(record.name),
            automatically_create_customers: record.automatically_create_customers,
            integration_type: record.integration_type,
            status: record.status,
            status_message: record.status_message,
            settings_data_type: Some(schema.data_type()),
            settings: Some(record.settings.masked(schema)),
            features: Some(schema.features.clone()),
            is_authorized: record.is_authorized,
            id: Some(record.id),
            date_created: Some(record.audit.date_created),
            date_last_modified: Some(record.audit.date_last_modified),
            created_by: Some(record.audit.created_by),
            last_modified_by: Some(record.audit.last_modified_by),
        }
    }

    /// A customer as the API shows it.
    pub fn customer(&self, record: CustomerRecord) -> CustomerInfo {
        let parent_hidden = self.visible_root.as_deref() == Some(record.id.as_str());
        CustomerInfo {
            account_name: self.account_name(&record.account_id),
            breadcrumb: Some(self.breadcrumb(Some(&record.id))),
            account_id: Some(record.account_id),
            parent_customer_id: record.parent_customer_id.filter(|_| !parent_hidden),
            is_staging: record.is_staging,
            name: Some(record.name),
            reference_id: record.reference_id,
            data: Some(record.data),
            integration_data: record.integration_link.map(integration_data),
            id: Some(record.id),
            date_created: Some(record.audit.date_created),
            date_last_modified: Some(record.audit.date_last_modified),
            created_by: Some(record.audit.created_by),
            last_modified_by: Some(record.audit.last_modified_by),
        }
    }

    /// An endpoint as the API shows it.
    pub fn endpoint(&self, record: EndpointRecord) -> EndpointInfo {
        let customer_id = record.customer_id.as_deref();
        EndpointInfo {
            account_name: self.account_name(&record.account_id),
            customer_name: self.customer_name(customer_id),
            customer_breadcrumb: Some(self.breadcrumb(customer_id)),
            account_id: Some(record.account_id),
            customer_id: record.customer_id,
            reference_id: record.reference_id,
            display_name: Some(record.display_name),
            endpoint_type: record.endpoint_type,
            user_first_name: record.user_first_name,
            user_last_name: record.user_last_name,
            user_email_address: record.user_email_address,
            phone_number: record.phone_number,
            id: Some(record.id),
            date_created: Some(record.audit.date_created),
            date_last_modified: Some(record.audit.date_last_modified),
            created_by: Some(record.audit.created_by),
            last_modified_by: Some(record.audit.last_modified_by),
        }
    }
}

fn integration_data(link: IntegrationLink) -> EntityIntegrationData {
    EntityIntegrationData {
        integration_id: Some(link.integration_id),
        crm_id: Some(link.crm_id),
        date_last_sync: link.date_last_sync,
    }
}

/// An account as the API shows it.
pub fn account(record: AccountRecord) -> AccountInfo {
    AccountInfo {
        name: Some(record.name),
        parent_account_id: record.parent_account_id,
        ancestor_ids: record.ancestor_ids,
        id: Some(record.id),
        date_created: Some(record.audit.date_created),
        date_last_modified: Some(record.audit.date_last_modified),
        created_by: Some(record.audit.created_by),
        last_modified_by: Some(record.audit.last_modified_by),
    }
}

/// A log entry as the API shows it.
pub fn log_entry(record: LogRecord) -> IntegrationLogEntry {
    IntegrationLogEntry {
        id: Some(record.id),
        date: Some(record.date),
        level: record.level,
        message: Some(record.message),
        sync_id: record.sync_id,
    }
}
