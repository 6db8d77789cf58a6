//! The HTTP API: the application state, authentication, the operations and the router.

mod accounts;
pub mod auth;
mod customers;
mod endpoints;
mod integrations;
mod lists;
mod sessions;
mod users;
mod views;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use http::HeaderMap;
use servicestack::host::HandledBy;
use servicestack::{ApiError, HostConfig, Service, ServiceHost, XmlContracts};

use crate::domain::caller::{Caller, Role};
use crate::store::{Store, StoreError};
use auth::Authenticator;

/// The state every operation shares.
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub authenticator: Authenticator,
    /// Whether session cookies carry `Secure`: the public address is `https`.
    pub secure_cookies: bool,
}

/// A cheap handle on [`AppState`], passed to every operation.
#[derive(Clone)]
pub struct App(pub Arc<AppState>);

impl std::ops::Deref for App {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl Service for App {
    type Caller = Caller;

    async fn authenticate(&self, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
        self.authenticator
            .authenticate(self.store.as_ref(), headers)
            .await
    }

    fn has_role(caller: &Caller, role: &str) -> bool {
        Role::from_name(role).is_some_and(|role| caller.has_role(role))
    }
}

/// The CLR namespace of types that declare none, such as `ListResponse` and `AuthStatus`.
const DEFAULT_NAMESPACE: &str = "Voice.Api";

/// The XML data contracts of every type the operations use: each type's namespace and base
/// class, as the DTOs declare them.
///
/// NOTE: the namespaces of the settings-schema types, accounts, endpoints,
/// `EntityIntegrationData` and the log entries are guesses.
pub fn xml_contracts() -> XmlContracts {
    let host = host(HostConfig::default());
    XmlContracts::from_registry(host.registry(), DEFAULT_NAMESPACE)
}

/// Builds the host with every operation registered.
pub fn host(config: HostConfig) -> ServiceHost<App> {
    let mut host = ServiceHost::new(config);
    host.set_service_name("Evo Voice");
    host.set_service_version(env!("CARGO_PKG_VERSION"));
    integrations::register(&mut host);
    customers::register(&mut host);
    accounts::register(&mut host);
    endpoints::register(&mut host);
    auth::register(&mut host);
    users::register(&mut host);
    sessions::register(&mut host);
    let contracts = XmlContracts::from_registry(host.registry(), DEFAULT_NAMESPACE);
    host.set_xml_contracts(contracts);
    host
}

/// The whole HTTP application: `/health`, every operation, and a log line per request.
pub fn router(app: App, config: HostConfig) -> Router {
    let host = Arc::new(host(config));
    let dispatch = move |request: Request| {
        let host = Arc::clone(&host);
        let app = app.clone();
        async move { host.handle(app, request).await }
    };
    Router::new()
        .route("/health", get(health))
        .fallback(dispatch)
        .layer(middleware::from_fn(log_request))
}

async fn health() -> &'static str {
    "OK"
}

/// Logs one line per request: method, matched operation, status and duration. Never the query
/// string, headers or body, which may carry secrets.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path_route = if request.uri().path() == "/health" {
        "/health"
    } else {
        "-"
    };
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<HandledBy>()
        .map(|handled| handled.0)
        .unwrap_or(path_route);
    tracing::info!(
        http.method = %method,
        http.route = route,
        http.status = response.status().as_u16(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request",
    );
    response
}

/// A 403 for a caller whose roles do not include any of `roles`.
pub fn require_role(caller: &Caller, roles: &[Role]) -> Result<(), ApiError> {
    if roles.iter().any(|role| caller.has_role(*role)) {
        return Ok(());
    }
    let names: Vec<&str> = roles.iter().map(|role| role.name()).collect();
    Err(servicestack::host::missing_role(&names))
}

/// Converts a store error, naming the entity in a 404.
pub fn store_error<'a>(kind: &str, id: &'a str) -> impl FnOnce(StoreError) -> ApiError + 'a {
    let kind = kind.to_owned();
    move |error| to_api_error(error, || format!("{kind} '{id}' was not found."))
}

/// Converts a store error where no single entity is involved.
pub fn internal(error: StoreError) -> ApiError {
    to_api_error(error, || "Not found.".to_owned())
}

/// Maps a store error to its response: 404 with `not_found`'s message, 409 for a named
/// conflict, 500 for the rest (the cause goes to the log, not the client).
fn to_api_error(error: StoreError, not_found: impl FnOnce() -> String) -> ApiError {
    match error {
        StoreError::NotFound => ApiError::not_found(not_found()),
        StoreError::Conflict {
            message,
            constraint,
        } => conflict(constraint, message),
        StoreError::Backend(source) => ApiError::internal(source),
        StoreError::WrongSecretKey => ApiError::internal(StoreError::WrongSecretKey),
    }
}

fn conflict(constraint: &str, message: String) -> ApiError {
    match constraint {
        "endpoints_account_id_reference_id_key" => ApiError::conflict(
            "Duplicate",
            "Another endpoint of this account has the same ReferenceId.",
        ),
        "users_user_name_key" => {
            ApiError::conflict("Duplicate", "A user with this user name already exists.")
        }
        "customers_in_use" => ApiError::conflict("InUse", message),
        _ => ApiError::conflict("Conflict", "The change conflicts with the stored data."),
    }
}

/// The account a new entity goes to: the one given, or the caller's only account.
///
/// Records a `NotEmpty` error on `AccountId` when neither applies.
pub fn target_account(
    caller: &Caller,
    given: Option<&str>,
    errors: &mut crate::domain::validate::Errors,
) -> Option<String> {
    let given = given.map(str::trim).filter(|id| !id.is_empty());
    match (given, caller.account_ids.as_slice()) {
        (Some(id), _) => Some(id.to_owned()),
        (None, [only]) => Some(only.clone()),
        (None, _) => {
            errors.add(
                "NotEmpty",
                "AccountId",
                "'Account Id' must not be empty: you have access to more than one account, so name one.",
            );
            None
        }
    }
}

/// Loads customer `customer_id` and checks that it belongs to `account_id`.
///
/// A customer the caller cannot see is a 404; one of another account is a 400 on `field_name`.
pub async fn customer_of_account(
    app: &App,
    caller: &Caller,
    customer_id: &str,
    account_id: &str,
    field_name: &str,
) -> Result<crate::store::CustomerRecord, ApiError> {
    let customer = app
        .store
        .get_customer(&caller.scope(), customer_id)
        .await
        .map_err(store_error("Customer", customer_id))?;
    if customer.account_id != account_id {
        return Err(ApiError::field(
            "NotInAccount",
            field_name,
            format!("Customer '{customer_id}' does not belong to account '{account_id}'."),
        ));
    }
    Ok(customer)
}
