//! The operations on users who log in and their API keys.

use servicestack::{ApiError, RequestContext, ServiceHost};

use super::auth::{generate_api_key, hash_api_key, hash_password};
use super::lists::{list_query, list_response};
use super::{customer_of_account, require_role, store_error, App};
use crate::domain::caller::{Caller, Role};
use crate::domain::ids::new_id;
use crate::domain::validate::{
    display_name, id_filter, is_email_address, optional_reference, Errors,
};
use crate::domain::{format_rfc3339, now_rfc3339};
use crate::dto::auth::{
    ApiKeyInfo, AuthUserInfo, DeleteApiKey, DeleteAuthUser, GetAuthUser, ListApiKeys,
    ListAuthUsers, NewApiKey, NewAuthUser, PatchAuthUser,
};
use crate::dto::list::ListResponse;
use crate::dto::NoContent;
use crate::store::{ApiKeyRecord, Audit, UserFilter, UserRecord};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_LENGTH: usize = 8;

const USER_MANAGERS: &[Role] = &[Role::SystemAdministrator, Role::Manager];

pub(super) fn register(host: &mut ServiceHost<App>) {
    host.register(new_auth_user);
    host.register(list_auth_users);
    host.register(get_auth_user);
    host.register(patch_auth_user);
    host.register(delete_auth_user);
    host.register(new_api_key);
    host.register(list_api_keys);
    host.register(delete_api_key);
}

fn user_info(user: UserRecord) -> AuthUserInfo {
    AuthUserInfo {
        user_name: Some(user.user_name),
        display_name: user.display_name,
        email_address: user.email_address,
        roles: user
            .roles
            .iter()
            .map(|role| role.name().to_owned())
            .collect(),
        account_ids: user.account_ids,
        customer_id: user.customer_id,
        id: Some(user.id),
        date_created: Some(user.audit.date_created),
        date_last_modified: Some(user.audit.date_last_modified),
        created_by: Some(user.audit.created_by),
        last_modified_by: Some(user.audit.last_modified_by),
    }
}

fn key_info(key: ApiKeyRecord, plaintext: Option<String>) -> ApiKeyInfo {
    ApiKeyInfo {
        id: Some(key.id),
        key: plaintext,
        name: Some(key.name),
        expires_at: key.expires_at,
        date_created: Some(key.date_created),
    }
}

fn user_id(value: Option<&str>) -> Result<String, ApiError> {
    let mut errors = Errors::default();
    let id = errors.required_name("UserId", value);
    errors.into_result()?;
    Ok(id.expect("validated above"))
}

fn check_user_name(errors: &mut Errors, value: Option<&str>) -> Option<String> {
    let name = errors.required_name("UserName", value)?;
    if name.contains(|character: char| {
        character == ':' || character.is_whitespace() || character.is_control()
    }) {
        errors.add(
            "InvalidUserName",
            "UserName",
            "'User Name' must not contain spaces, control characters or ':'.",
        );
        return None;
    }
    Some(name)
}

fn check_password(errors: &mut Errors, value: &str) {
    let length = value.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        errors.add(
            "MinimumLength",
            "Password",
            format!(
                "The length of 'Password' must be at least {MIN_PASSWORD_LENGTH} characters. \
                 You entered {length} characters."
            ),
        );
    }
}

fn parse_roles(errors: &mut Errors, names: &[String]) -> Vec<Role> {
    let mut roles = Vec::new();
    for name in names {
        match Role::from_name(name.trim()) {
            Some(role) if !roles.contains(&role) => roles.push(role),
            Some(_) => {}
            None => errors.add(
                "InvalidRole",
                "Roles",
                format!("'{name}' is not a role; use SystemAdministrator, Manager or Customer."),
            ),
        }
    }
    if roles.is_empty() && names.is_empty() {
        errors.not_empty("Roles");
    }
    roles
}

/// The checks every user must pass, whoever creates or changes them.
async fn check_user(app: &App, caller: &Caller, user: &UserRecord) -> Result<(), ApiError> {
    let mut errors = Errors::default();
    let administrator = user.roles.contains(&Role::SystemAdministrator);
    if !administrator && user.account_ids.is_empty() {
        errors.add(
            "NotEmpty",
            "AccountIds",
            "'Account Ids' must not be empty for a Manager or a Customer.",
        );
    }
    if user.roles.contains(&Role::Customer) {
        if user.account_ids.len() > 1 {
            errors.add(
                "SingleAccount",
                "AccountIds",
                "A Customer belongs to exactly one account.",
            );
        }
        if user.customer_id.is_none() {
            errors.add(
                "NotEmpty",
                "CustomerId",
                "'Customer Id' must not be empty for a Customer.",
            );
        }
    }
    if let Some(email) = &user.email_address {
        if !is_email_address(email) {
            errors.add(
                "EmailAddress",
                "EmailAddress",
                format!(
                    "'{}' is not a valid email address.",
                    display_name("EmailAddress")
                ),
            );
        }
    }
    errors.into_result()?;

    // A Manager may give only their own accounts and never the SystemAdministrator role.
    if caller.has_role(Role::Manager)
        && !caller.has_role(Role::SystemAdministrator)
        && administrator
    {
        return Err(ApiError::forbidden(
            "A Manager cannot create or promote a SystemAdministrator.",
        ));
    }
    let scope = caller.scope();
    for account_id in &user.account_ids {
        app.store
            .get_account(&scope, account_id)
            .await
            .map_err(store_error("Account", account_id))?;
    }
    if let (Some(customer_id), [account_id]) = (&user.customer_id, user.account_ids.as_slice()) {
        customer_of_account(app, caller, customer_id, account_id, "CustomerId").await?;
    }
    Ok(())
}

async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(|error| ApiError::internal(error.to_string()))
}

async fn new_auth_user(
    app: App,
    context: RequestContext<Caller>,
    request: NewAuthUser,
) -> Result<AuthUserInfo, ApiError> {
    let caller = context.caller()?;

    let mut errors = Errors::default();
    let user_name = check_user_name(&mut errors, request.user_name.as_deref());
    match request.password.as_deref() {
        None | Some("") => errors.not_empty("Password"),
        Some(password) => check_password(&mut errors, password),
    }
    let roles = parse_roles(&mut errors, request.roles.as_deref().unwrap_or_default());
    let display_name = errors.optional_name("DisplayName", request.display_name.as_deref());
    errors.into_result()?;

    let now = now_rfc3339();
    let user = UserRecord {
        id: new_id(),
        user_name: user_name.expect("validated above"),
        display_name,
        email_address: optional_reference(request.email_address.as_deref()).flatten(),
        password_hash: String::new(),
        roles,
        account_ids: id_filter("AccountIds", request.account_ids.as_deref())?.unwrap_or_default(),
        customer_id: optional_reference(request.customer_id.as_deref()).flatten(),
        audit: Audit::created(&caller.user_id, &now),
    };
    check_user(&app, caller, &user).await?;

    let user = UserRecord {
        password_hash: hash(request.password.unwrap_or_default()).await?,
        ..user
    };
    app.store
        .insert_user(user.clone())
        .await
        .map_err(super::internal)?;
    tracing::info!(user.id = %user.id, actor.id = %caller.user_id, "login user created");
    Ok(user_info(user))
}

async fn list_auth_users(
    app: App,
    context: RequestContext<Caller>,
    request: ListAuthUsers,
) -> Result<ListResponse<AuthUserInfo>, ApiError> {
    let caller = context.caller()?;
    let filter = UserFilter {
        name_contains: request.name_filter.clone(),
    };
    let (query, page_request) = list_query(request.list_request(), filter, false)?;
    let mut page = app
        .store
        .list_users(&caller.scope(), query)
        .await
        .map_err(super::internal)?;
    let items = std::mem::take(&mut page.items)
        .into_iter()
        .map(user_info)
        .collect();
    Ok(list_response(page, page_request, items))
}

async fn get_auth_user(
    app: App,
    context: RequestContext<Caller>,
    request: GetAuthUser,
) -> Result<AuthUserInfo, ApiError> {
    let caller = context.caller()?;
    let id = user_id(request.user_id.as_deref())?;
    let user = app
        .store
        .get_user(&caller.scope(), &id)
        .await
        .map_err(store_error("User", &id))?;
    Ok(user_info(user))
}

async fn patch_auth_user(
    app: App,
    context: RequestContext<Caller>,
    request: PatchAuthUser,
) -> Result<AuthUserInfo, ApiError> {
    let caller = context.caller()?;
    let id = user_id(request.user_id.as_deref())?;

    let mut errors = Errors::default();
    if let Some(password) = request.password.as_deref() {
        check_password(&mut errors, password);
    }
    let roles = request
        .roles
        .as_deref()
        .map(|names| parse_roles(&mut errors, names));
    let display_name = errors.optional_name("DisplayName", request.display_name.as_deref());
    let account_ids = id_filter("AccountIds", request.account_ids.as_deref())?;
    errors.into_result()?;

    let mut user = app
        .store
        .get_user(&caller.scope(), &id)
        .await
        .map_err(store_error("User", &id))?;
    if let Some(roles) = roles {
        user.roles = roles;
    }
    if let Some(display_name) = display_name {
        user.display_name = Some(display_name);
    }
    if let Some(email) = optional_reference(request.email_address.as_deref()) {
        user.email_address = email;
    }
    if request.account_ids.is_some() {
        user.account_ids = account_ids.unwrap_or_default();
    }
    if let Some(customer_id) = optional_reference(request.customer_id.as_deref()) {
        user.customer_id = customer_id;
    }
    check_user(&app, caller, &user).await?;
    if let Some(password) = request.password.clone() {
        user.password_hash = hash(password).await?;
    }

    user.audit.touch(&caller.user_id, &now_rfc3339());
    let password_changed = request.password.is_some();
    app.store
        .update_user(user.clone())
        .await
        .map_err(super::internal)?;
    app.authenticator.forget_user(&user.id);
    if password_changed {
        // Whoever logged in with the old password is logged out.
        app.store
            .delete_user_sessions(&user.id)
            .await
            .map_err(super::internal)?;
    }
    Ok(user_info(user))
}

async fn delete_auth_user(
    app: App,
    context: RequestContext<Caller>,
    request: DeleteAuthUser,
) -> Result<NoContent, ApiError> {
    let caller = context.caller()?;
    let id = user_id(request.user_id.as_deref())?;
    if id == caller.user_id {
        return Err(ApiError::field(
            "CannotDeleteSelf",
            "UserId",
            "You cannot delete the user you are logged in as.",
        ));
    }
    app.store
        .delete_user(&caller.scope(), &id)
        .await
        .map_err(store_error("User", &id))?;
    app.authenticator.forget_user(&id);
    tracing::info!(user.id = %id, actor.id = %caller.user_id, "login user deleted");
    Ok(NoContent)
}

/// Checks that `caller` may manage the API keys of `user_id`: their own, or, for managers,
/// those of the users they can see.
async fn key_owner(app: &App, caller: &Caller, user_id: &str) -> Result<(), ApiError> {
    if user_id == caller.user_id {
        return Ok(());
    }
    require_role(caller, USER_MANAGERS)?;
    app.store
        .get_user(&caller.scope(), user_id)
        .await
        .map_err(store_error("User", user_id))?;
    Ok(())
}

async fn new_api_key(
    app: App,
    context: RequestContext<Caller>,
    request: NewApiKey,
) -> Result<ApiKeyInfo, ApiError> {
    let caller = context.caller()?;
    let owner = user_id(request.user_id.as_deref())?;
    let mut errors = Errors::default();
    let name = errors.required_name("Name", request.name.as_deref());
    let expires_at = match request
        .expires_at
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        None => None,
        Some(text) => {
            match time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            {
                Ok(moment) if moment > time::OffsetDateTime::now_utc() => {
                    Some(format_rfc3339(moment))
                }
                Ok(_) => {
                    errors.add(
                        "InvalidDate",
                        "ExpiresAt",
                        "'Expires At' must be in the future.",
                    );
                    None
                }
                Err(_) => {
                    errors.add(
                        "InvalidDate",
                        "ExpiresAt",
                        format!("'{text}' is not an RFC 3339 date, such as 2027-01-31T00:00:00Z."),
                    );
                    None
                }
            }
        }
    };
    errors.into_result()?;
    key_owner(&app, caller, &owner).await?;

    let key = generate_api_key();
    let record = ApiKeyRecord {
        id: new_id(),
        user_id: owner,
        name: name.expect("validated above"),
        key_hash: hash_api_key(&key),
        expires_at,
        date_created: now_rfc3339(),
    };
    app.store
        .insert_api_key(record.clone())
        .await
        .map_err(super::internal)?;
    tracing::info!(api_key.id = %record.id, user.id = %record.user_id, "API key created");
    Ok(key_info(record, Some(key)))
}

async fn list_api_keys(
    app: App,
    context: RequestContext<Caller>,
    request: ListApiKeys,
) -> Result<ListResponse<ApiKeyInfo>, ApiError> {
    let caller = context.caller()?;
    let owner = user_id(request.user_id.as_deref())?;
    key_owner(&app, caller, &owner).await?;
    let keys = app
        .store
        .list_api_keys(&owner)
        .await
        .map_err(super::internal)?;
    let total = keys.len() as i64;
    Ok(ListResponse {
        items: keys.into_iter().map(|key| key_info(key, None)).collect(),
        total_count: total,
        total_pages: i64::from(total > 0),
        has_more_pages: false,
    })
}

async fn delete_api_key(
    app: App,
    context: RequestContext<Caller>,
    request: DeleteApiKey,
) -> Result<NoContent, ApiError> {
    let caller = context.caller()?;
    let owner = user_id(request.user_id.as_deref())?;
    let mut errors = Errors::default();
    let key_id = errors.required_name("ApiKeyId", request.api_key_id.as_deref());
    errors.into_result()?;
    let key_id = key_id.expect("validated above");
    key_owner(&app, caller, &owner).await?;
    app.store
        .delete_api_key(&owner, &key_id)
        .await
        .map_err(store_error("API key", &key_id))?;
    tracing::info!(api_key.id = %key_id, user.id = %owner, "API key revoked");
    Ok(NoContent)
}
