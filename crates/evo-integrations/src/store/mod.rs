//! Persistence: the [`Store`] trait, its records and queries, and the embedded SQLite store.
//!
//! Every query takes a [`Scope`], so isolation between accounts is enforced here and nowhere
//! else: an entity outside the scope is simply not found. Every write method is one transaction,
//! so a failed request leaves nothing half-written. Secrets are encrypted by the store with the
//! [`SecretCipher`] it was opened with, and reach callers only as plain text in memory.

mod cipher;
mod query;
mod records;
mod sqlite;

use std::collections::HashMap;

use async_trait::async_trait;

pub use cipher::{SecretCipher, SecretKeyError};
pub use query::{
    AccountFilter, CustomerFilter, EndpointFilter, Filter, IntegrationFilter, ListQuery, LogFilter,
    Page, Paging, SortColumn, UserFilter,
};
pub use records::{
    AccountRecord, ApiKeyRecord, Audit, Crumb, CustomerRecord, EndpointRecord, IntegrationLink,
    IntegrationRecord, LogRecord, SessionRecord, UserRecord,
};
pub use sqlite::SqliteStore;

use crate::domain::caller::Scope;

/// The reason a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The entity does not exist, or lies outside the caller's scope.
    #[error("not found")]
    NotFound,
    /// A uniqueness or state constraint was violated.
    #[error("conflict on {constraint}: {message}")]
    Conflict {
        /// The constraint's name, shared by every backend.
        constraint: &'static str,
        message: String,
    },
    /// The secret key does not open what this database was encrypted with.
    #[error(
        "the secret key does not match the one this database was encrypted with: restore the \
         key file beside the database or set EVO_SECRET_KEY to the original key"
    )]
    WrongSecretKey,
    /// The database failed; details are for the log only.
    #[error("database error: {0}")]
    Backend(#[from] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// Wraps a backend error.
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Backend(Box::new(error))
    }
}

/// The result type of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Storage for accounts, customers, integrations and their log, endpoints, login users and
/// API keys. Implementations: [`SqliteStore`] (embedded default).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Creates the first account, administrator and API key when the store has no users yet.
    ///
    /// Returns `false`, changing nothing, when a user already exists.
    async fn bootstrap(
        &self,
        account: AccountRecord,
        user: UserRecord,
        api_key: ApiKeyRecord,
    ) -> StoreResult<bool>;

    async fn insert_account(&self, account: AccountRecord) -> StoreResult<()>;
    async fn get_account(&self, scope: &Scope, id: &str) -> StoreResult<AccountRecord>;
    async fn list_accounts(
        &self,
        scope: &Scope,
        query: ListQuery<AccountFilter>,
    ) -> StoreResult<Page<AccountRecord>>;
    /// The given accounts and all their descendants.
    async fn account_descendants(&self, ids: Vec<String>) -> StoreResult<Vec<String>>;
    /// The names of the given accounts that exist.
    async fn account_names(&self, ids: Vec<String>) -> StoreResult<HashMap<String, String>>;

    async fn insert_customer(&self, customer: CustomerRecord) -> StoreResult<()>;
    async fn get_customer(&self, scope: &Scope, id: &str) -> StoreResult<CustomerRecord>;
    async fn update_customer(&self, customer: CustomerRecord) -> StoreResult<()>;
    /// Deletes a customer; a 409-style [`StoreError::Conflict`] while it has children,
    /// endpoints or integrations.
    async fn delete_customer(&self, scope: &Scope, id: &str) -> StoreResult<()>;
    async fn list_customers(
        &self,
        scope: &Scope,
        query: ListQuery<CustomerFilter>,
    ) -> StoreResult<Page<CustomerRecord>>;
    /// The breadcrumb of each given customer: the path from its top customer down to itself.
    async fn breadcrumbs(&self, ids: Vec<String>) -> StoreResult<HashMap<String, Vec<Crumb>>>;

    /// Inserts an integration and its first log entry.
    async fn insert_integration(
        &self,
        integration: IntegrationRecord,
        entry: LogRecord,
    ) -> StoreResult<()>;
    async fn get_integration(&self, scope: &Scope, id: &str) -> StoreResult<IntegrationRecord>;
    /// Replaces an integration and appends a log entry, in one transaction.
    async fn update_integration(
        &self,
        integration: IntegrationRecord,
        entry: LogRecord,
    ) -> StoreResult<()>;
    /// Deletes an integration, its log and the links of records synced from it.
    async fn delete_integration(&self, scope: &Scope, id: &str) -> StoreResult<()>;
    async fn list_integrations(
        &self,
        scope: &Scope,
        query: ListQuery<IntegrationFilter>,
    ) -> StoreResult<Page<IntegrationRecord>>;
    /// The log of an integration the caller can see.
    async fn list_integration_log(
        &self,
        scope: &Scope,
        query: ListQuery<LogFilter>,
    ) -> StoreResult<Page<LogRecord>>;

    async fn insert_endpoint(&self, endpoint: EndpointRecord) -> StoreResult<()>;
    async fn get_endpoint(&self, scope: &Scope, id: &str) -> StoreResult<EndpointRecord>;
    async fn update_endpoint(&self, endpoint: EndpointRecord) -> StoreResult<()>;
    async fn delete_endpoint(&self, scope: &Scope, id: &str) -> StoreResult<()>;
    async fn list_endpoints(
        &self,
        scope: &Scope,
        query: ListQuery<EndpointFilter>,
    ) -> StoreResult<Page<EndpointRecord>>;

    async fn insert_user(&self, user: UserRecord) -> StoreResult<()>;
    /// A login user visible in `scope` (see [`query::SqlBuilder::user_scope`]).
    async fn get_user(&self, scope: &Scope, id: &str) -> StoreResult<UserRecord>;
    async fn update_user(&self, user: UserRecord) -> StoreResult<()>;
    /// Deletes a login user visible in `scope`, with their API keys.
    async fn delete_user(&self, scope: &Scope, id: &str) -> StoreResult<()>;
    async fn list_users(
        &self,
        scope: &Scope,
        query: ListQuery<UserFilter>,
    ) -> StoreResult<Page<UserRecord>>;
    async fn insert_api_key(&self, key: ApiKeyRecord) -> StoreResult<()>;
    /// The API keys of a user, oldest first.
    async fn list_api_keys(&self, user_id: &str) -> StoreResult<Vec<ApiKeyRecord>>;
    async fn delete_api_key(&self, user_id: &str, key_id: &str) -> StoreResult<()>;
    /// Finds a login user by name, ignoring case.
    async fn find_user_by_name(&self, user_name: &str) -> StoreResult<UserRecord>;
    /// The login attempts counted for a user name (any case), with the time of the last one.
    async fn login_failures(&self, user_name: &str) -> StoreResult<Option<(i64, String)>>;
    /// Counts one more login attempt for a user name at `now`, starting again from one when the
    /// last attempt was before `forget_before`, and returns the count. A successful login clears
    /// it, so it counts the attempts since the last success.
    async fn record_login_attempt(
        &self,
        user_name: &str,
        now: &str,
        forget_before: &str,
    ) -> StoreResult<i64>;
    /// Forgets the login attempts of a user name, after a successful login.
    async fn clear_login_failures(&self, user_name: &str) -> StoreResult<()>;

    /// Stores a new session, removing every expired one.
    async fn insert_session(&self, session: SessionRecord) -> StoreResult<()>;
    /// Finds a session by the SHA-256 hash of its id, with its user.
    async fn find_session(&self, id_hash: [u8; 32]) -> StoreResult<(SessionRecord, UserRecord)>;
    /// Ends a session; ending an unknown one is not an error.
    async fn delete_session(&self, id_hash: [u8; 32]) -> StoreResult<()>;
    /// Ends every session of a user, after their password changed.
    async fn delete_user_sessions(&self, user_id: &str) -> StoreResult<()>;

    /// Re-encrypts every secret and the key check with `new_cipher`, in one transaction.
    ///
    /// Returns how many integrations had secrets. The store keeps using its old cipher: open it
    /// again with the new key afterwards.
    async fn rotate_secret_key(&self, new_cipher: SecretCipher) -> StoreResult<usize>;

    /// Finds an API key by the SHA-256 hash of the key, with its user.
    async fn find_api_key(&self, key_hash: [u8; 32]) -> StoreResult<(ApiKeyRecord, UserRecord)>;
}
