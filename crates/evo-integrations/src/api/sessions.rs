//! Session logins: the `Authenticate` operation, its cookies, and logout.

use base64::Engine;
use http::{header, HeaderMap};
use rand::RngCore;
use servicestack::{ApiError, RequestContext, ServiceHost};

use super::auth::{caller_from, hash_api_key};
use super::App;
use crate::domain::caller::Caller;
use crate::dto::auth::{Authenticate, AuthenticateResponse};
use crate::store::SessionRecord;

pub(super) fn register(host: &mut ServiceHost<App>) {
    host.register(authenticate);
}

/// How long a session without "remember me" lasts.
const SESSION_LIFETIME: time::Duration = time::Duration::hours(12);
/// How long a remembered session lasts.
const PERSISTENT_SESSION_LIFETIME: time::Duration = time::Duration::days(14);

/// The session id a request carries: `X-ss-pid`/`X-ss-id` headers first, then the `ss-pid`
/// cookie when `ss-opt=perm` marks the session persistent, then `ss-id`, then `ss-pid`.
pub(super) fn session_id(headers: &HeaderMap) -> Option<String> {
    for name in ["x-ss-pid", "x-ss-id"] {
        if let Some(value) = headers.get(name).and_then(|value| value.to_str().ok()) {
            if !value.trim().is_empty() {
                return Some(value.trim().to_owned());
            }
        }
    }
    let cookies: Vec<(&str, &str)> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
        .collect();
    let cookie = |name: &str| {
        cookies
            .iter()
            .find(|(cookie, value)| *cookie == name && !value.is_empty())
            .map(|(_, value)| (*value).to_owned())
    };
    let persistent = cookie("ss-opt").is_some_and(|option| option == "perm");
    if persistent {
        if let Some(id) = cookie("ss-pid") {
            return Some(id);
        }
    }
    cookie("ss-id").or_else(|| cookie("ss-pid"))
}

fn set_cookie(
    context: &RequestContext<Caller>,
    app: &App,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if app.secure_cookies {
        cookie.push_str("; Secure");
    }
    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
        context.append_response_header(header::SET_COOKIE, value);
    }
}

fn session_response(user: &Caller, session_id: Option<String>) -> AuthenticateResponse {
    AuthenticateResponse {
        user_id: Some(user.user_id.clone()),
        session_id,
        user_name: Some(user.user_name.clone()),
        display_name: user.display_name.clone(),
        roles: user
            .roles
            .iter()
            .map(|role| role.name().to_owned())
            .collect(),
        permissions: Vec::new(),
    }
}

async fn authenticate(
    app: App,
    context: RequestContext<Caller>,
    request: Authenticate,
) -> Result<AuthenticateResponse, ApiError> {
    let provider = request
        .provider
        .as_deref()
        .map(str::trim)
        .filter(|provider| !provider.is_empty())
        .unwrap_or("credentials")
        .to_ascii_lowercase();
    match provider.as_str() {
        "logout" => return logout(&app, &context).await,
        "credentials" | "basic" => {}
        other => {
            return Err(ApiError::field(
                "NotSupported",
                "Provider",
                format!("The authentication provider '{other}' is not supported; use credentials."),
            ))
        }
    }

    let user_name = request.user_name.as_deref().map(str::trim).unwrap_or("");
    let password = request.password.as_deref().unwrap_or("");
    if user_name.is_empty() && password.is_empty() {
        // No credentials: the current session, if the request has one.
        let caller = context.caller()?;
        let session = current_session(&app, caller, context.request_headers()).await?;
        return Ok(session_response(caller, session));
    }
    // A password in a URL ends up in logs and browser history, and a GET can be forged.
    if context.method != http::Method::POST {
        return Err(ApiError::new(
            http::StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "Log in with POST, with the credentials in the body.",
        ));
    }

    let user = app
        .authenticator
        .verify_credentials(app.store.as_ref(), user_name, password)
        .await?;
    let remember = request.remember_me.unwrap_or(false);
    let now = time::OffsetDateTime::now_utc();
    let lifetime = if remember {
        PERSISTENT_SESSION_LIFETIME
    } else {
        SESSION_LIFETIME
    };
    let session_id = generate_session_id();
    app.store
        .insert_session(SessionRecord {
            id_hash: hash_api_key(&session_id),
            user_id: user.id.clone(),
            persistent: remember,
            expires_at: crate::domain::format_rfc3339(now + lifetime),
            date_created: crate::domain::format_rfc3339(now),
        })
        .await
        .map_err(super::internal)?;

    set_cookie(&context, &app, "ss-id", &session_id, None);
    if remember {
        let seconds = Some(lifetime.whole_seconds());
        set_cookie(&context, &app, "ss-pid", &session_id, seconds);
        set_cookie(&context, &app, "ss-opt", "perm", seconds);
    }
    tracing::info!(user.id = %user.id, session.persistent = remember, "logged in");
    let caller = caller_from(app.store.as_ref(), user).await?;
    Ok(session_response(&caller, Some(session_id)))
}

/// The id of the request's session, when it is a live session of `caller`.
async fn current_session(
    app: &App,
    caller: &Caller,
    headers: &HeaderMap,
) -> Result<Option<String>, ApiError> {
    let Some(id) = session_id(headers) else {
        return Ok(None);
    };
    match app.store.find_session(hash_api_key(&id)).await {
        Ok((session, _)) if session.user_id == caller.user_id => Ok(Some(id)),
        Ok(_) | Err(crate::store::StoreError::NotFound) => Ok(None),
        Err(error) => Err(super::internal(error)),
    }
}

async fn logout(
    app: &App,
    context: &RequestContext<Caller>,
) -> Result<AuthenticateResponse, ApiError> {
    if let Some(id) = session_id(context.request_headers()) {
        app.store
            .delete_session(hash_api_key(&id))
            .await
            .map_err(super::internal)?;
    }
    for name in ["ss-id", "ss-pid", "ss-opt"] {
        set_cookie(context, app, name, "", Some(0));
    }
    Ok(AuthenticateResponse::default())
}

/// A new session id: 32 random bytes in URL-safe base64.
fn generate_session_id() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
