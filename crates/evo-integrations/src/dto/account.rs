//! Accounts: the tenants.

use serde::{Deserialize, Serialize};
use servicestack::ApiType;

use super::list::{list_request, ListRequestBase, ListResponse};
use super::{operation, EntityInfo};

/// An account as the API returns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api.Accounts", inherits = EntityInfo)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<String>,
    /// The ids of the account's ancestors, from the top one down to its parent.
    pub ancestor_ids: Vec<String>,
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

/// Creates an account (SystemAdministrator only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct NewAccount {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<String>,
}

operation!(
    NewAccount -> AccountInfo, "POST" "/accounts";
    roles = [SystemAdministrator]
);

list_request! {
    /// Lists the accounts the caller can see.
    #[api(inherits = ListRequestBase<AccountInfo>)]
    pub struct ListAccounts {
        /// A case-insensitive substring of the name.
        pub name_filter: Option<String>,
    }
}

operation!(ListAccounts -> ListResponse<AccountInfo>, "GET" "/accounts");

/// Gets one account.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct GetAccount {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

operation!(GetAccount -> AccountInfo, "GET" "/accounts/{AccountId}");
