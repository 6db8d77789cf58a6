//! Customers: a tree inside an account.

use serde::{Deserialize, Serialize};
use servicestack::ApiType;

use super::data::Struct;
use super::integration::CustomerBreadcrumb;
use super::list::{list_request, ListRequestBase, ListResponse};
use super::{operation, EntityInfo, NoContent};

/// Where a record synced from a CRM came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Customers")]
#[serde(rename_all = "camelCase", default)]
pub struct EntityIntegrationData {
    /// The integration that owns the link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_id: Option<String>,
    /// The record's id in the CRM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_id: Option<String>,
    /// When the record was last synced from the CRM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_last_sync: Option<String>,
}

/// A customer as the API returns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Customers", inherits = EntityInfo)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomerInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_customer_id: Option<String>,
    /// The path from the top customer down to this one, inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breadcrumb: Option<Vec<CustomerBreadcrumb>>,
    pub is_staging: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The customer's id in a third-party system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Struct>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_data: Option<EntityIntegrationData>,
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

/// Creates a customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct NewCustomer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Struct>,
}

operation!(
    NewCustomer -> CustomerInfo, "POST" "/customers";
    roles = [SystemAdministrator, Manager]
);

list_request! {
    /// Lists customers.
    #[api(inherits = ListRequestBase<CustomerInfo>)]
    pub struct ListCustomers {
        pub account_ids: Option<Vec<String>>,
        /// A case-insensitive substring of the name.
        pub name_filter: Option<String>,
        /// Only descendants of these customers (direct children only with `ShallowParent`).
        pub parent_customer_ids: Option<Vec<String>>,
        pub shallow_parent: Option<bool>,
        pub reference_ids: Option<Vec<String>>,
    }
}

operation!(ListCustomers -> ListResponse<CustomerInfo>, "GET" "/customers");

/// Gets one customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct GetCustomer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

operation!(GetCustomer -> CustomerInfo, "GET" "/customers/{CustomerId}");

/// Changes a customer; members left out keep their value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct PatchCustomer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new parent; an empty string makes the customer a top-level one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_customer_id: Option<String>,
    /// The new reference id; an empty string removes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Struct>,
}

operation!(
    PatchCustomer -> CustomerInfo, "PATCH" "/customers/{CustomerId}";
    roles = [SystemAdministrator, Manager]
);

/// Deletes a customer that has no children, endpoints or integrations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteCustomer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

operation!(
    DeleteCustomer -> NoContent, "DELETE" "/customers/{CustomerId}";
    roles = [SystemAdministrator, Manager]
);
