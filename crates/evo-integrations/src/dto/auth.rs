//! The caller's authentication status.

use serde::{Deserialize, Serialize};
use servicestack::ApiType;

use super::list::{list_request, ListRequestBase, ListResponse};
use super::{operation, EntityInfo, NoContent};

/// Returns the current user, or nothing (204) for an anonymous request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct GetAuthStatus {}

operation!(GetAuthStatus -> Option<AuthStatus>, "GET" "/auth/status"; anonymous);

/// The authenticated user.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct AuthStatus {
    pub is_authenticated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    pub roles: Vec<String>,
    pub account_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

/// A user who logs in, as the API shows it: every member but the password.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api", inherits = EntityInfo)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthUserInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    pub roles: Vec<String>,
    pub account_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
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

/// Creates a user who logs in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct NewAuthUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[api(secret)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// `SystemAdministrator`, `Manager` or `Customer`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_ids: Option<Vec<String>>,
    /// For the `Customer` role: the top of the customer subtree the user may see.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

operation!(
    NewAuthUser -> AuthUserInfo, "POST" "/auth/users";
    roles = [SystemAdministrator, Manager]
);

list_request! {
    /// Lists the users who log in that the caller may manage.
    #[api(inherits = ListRequestBase<AuthUserInfo>)]
    pub struct ListAuthUsers {
        /// A case-insensitive substring of the user name.
        pub name_filter: Option<String>,
    }
}

operation!(
    ListAuthUsers -> ListResponse<AuthUserInfo>, "GET" "/auth/users";
    roles = [SystemAdministrator, Manager]
);

/// Gets one user who logs in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct GetAuthUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

operation!(
    GetAuthUser -> AuthUserInfo, "GET" "/auth/users/{UserId}";
    roles = [SystemAdministrator, Manager]
);

/// Changes a user who logs in; members left out keep their value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct PatchAuthUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[api(secret)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_ids: Option<Vec<String>>,
    /// The new customer; an empty string removes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

operation!(
    PatchAuthUser -> AuthUserInfo, "PATCH" "/auth/users/{UserId}";
    roles = [SystemAdministrator, Manager]
);

/// Deletes a user who logs in, with their API keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteAuthUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

operation!(
    DeleteAuthUser -> NoContent, "DELETE" "/auth/users/{UserId}";
    roles = [SystemAdministrator, Manager]
);

/// An API key; `Key` is present only in the answer that created it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct ApiKeyInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
}

/// Creates an API key for a user; the key is shown only in this answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct NewApiKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the key stops working, RFC 3339; never when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

operation!(NewApiKey -> ApiKeyInfo, "POST" "/auth/users/{UserId}/api-keys");

/// Lists a user's API keys, without the keys themselves.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct ListApiKeys {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

operation!(ListApiKeys -> ListResponse<ApiKeyInfo>, "GET" "/auth/users/{UserId}/api-keys");

/// Revokes an API key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteApiKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_id: Option<String>,
}

operation!(DeleteApiKey -> NoContent, "DELETE" "/auth/users/{UserId}/api-keys/{ApiKeyId}");

/// Logs in (provider `credentials`, the default) or out (provider `logout`), as ServiceStack's
/// typed clients do. Without credentials it returns the current session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct Authenticate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[api(secret)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Keep the session across browser restarts (the `ss-pid` cookie).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remember_me: Option<bool>,
}

operation!(
    Authenticate -> AuthenticateResponse,
    "POST" "/auth",
    "POST" "/auth/{provider}",
    "GET" "/auth",
    "GET" "/auth/{provider}",
    "POST" "/authenticate",
    "POST" "/authenticate/{provider}";
    anonymous
);

/// The session a login created.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ApiType)]
#[api(namespace = "Voice.Api")]
#[serde(rename_all = "camelCase", default)]
pub struct AuthenticateResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
}
