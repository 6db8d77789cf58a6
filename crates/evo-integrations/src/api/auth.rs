//! Authentication: `Authorization: Bearer <API key>` and `Authorization: Basic`, the first
//! administrator, and `GetAuthStatus`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use http::{header, HeaderMap};
use rand::RngCore;
use servicestack::{ApiError, RequestContext, ServiceHost};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::sessions::session_id;
use super::App;
use crate::domain::caller::{Caller, Role};
use crate::domain::ids::new_id;
use crate::domain::now_rfc3339;
use crate::dto::auth::{AuthStatus, GetAuthStatus};
use crate::store::{AccountRecord, ApiKeyRecord, Audit, Store, StoreError, UserRecord};

/// How long a verified Basic header is trusted without running Argon2 again.
const BASIC_CACHE_TTL: Duration = Duration::from_secs(60);
/// The most Basic headers kept in the cache; it is cleared when full.
const BASIC_CACHE_CAPACITY: usize = 10_000;
/// Failed logins for one user name allowed before each further attempt is delayed.
const FREE_LOGIN_FAILURES: i64 = 5;
/// The delay after the first failure past the free ones; it doubles with each further failure.
const FIRST_LOGIN_DELAY: Duration = Duration::from_millis(250);
/// The maximum delay before a login attempt is checked.
const MAX_LOGIN_DELAY: Duration = Duration::from_secs(8);
/// How long failed logins are remembered after the last one.
const LOGIN_FAILURE_MEMORY: time::Duration = time::Duration::minutes(15);

/// The shortest API key accepted from `EVO_ADMIN_API_KEY`, in characters.
pub const MIN_API_KEY_LENGTH: usize = 24;

/// Verifies credentials, caching successful Basic checks under a keyed hash of the header.
pub struct Authenticator {
    cache_key: [u8; 32],
    /// One lock per user name with a login attempt in progress.
    login_locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    basic_cache: Mutex<HashMap<[u8; 32], (Caller, Instant)>>,
    /// Verified against when the user name is unknown, so both cases take as long.
    dummy_hash: String,
}

impl Default for Authenticator {
    fn default() -> Self {
        Self::new()
    }
}

impl Authenticator {
    /// An authenticator with a fresh cache key.
    pub fn new() -> Authenticator {
        let mut cache_key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut cache_key);
        Authenticator {
            cache_key,
            login_locks: Mutex::new(HashMap::new()),
            basic_cache: Mutex::new(HashMap::new()),
            dummy_hash: hash_password("not a real password").expect("Argon2 hashes a fixed input"),
        }
    }

    /// The caller named by the request's `Authorization` header, `None` without one.
    pub async fn authenticate(
        &self,
        store: &dyn Store,
        headers: &HeaderMap,
    ) -> Result<Option<Caller>, ApiError> {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return self.authenticate_session(store, headers).await;
        };
        let value = value
            .to_str()
            .map_err(|_| ApiError::unauthorized("The Authorization header is not valid text."))?;
        let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
        let credentials = credentials.trim();
        if scheme.eq_ignore_ascii_case("Bearer") {
            self.authenticate_api_key(store, credentials)
                .await
                .map(Some)
        } else if scheme.eq_ignore_ascii_case("Basic") {
            self.authenticate_basic(store, credentials).await.map(Some)
        } else {
            Err(ApiError::unauthorized(format!(
                "The authorization scheme '{scheme}' is not supported; use Bearer or Basic."
            )))
        }
    }

    async fn authenticate_api_key(&self, store: &dyn Store, key: &str) -> Result<Caller, ApiError> {
        let invalid = || ApiError::unauthorized("The API key is invalid, revoked or expired.");
        let hash = hash_api_key(key);
        let (record, user) = match store.find_api_key(hash).await {
            Ok(found) => found,
            Err(StoreError::NotFound) => return Err(invalid()),
            Err(error) => return Err(super::internal(error)),
        };
        if !bool::from(record.key_hash.ct_eq(&hash)) {
            return Err(invalid());
        }
        if record
            .expires_at
            .as_deref()
            .is_some_and(|expires_at| expires_at <= now_rfc3339().as_str())
        {
            return Err(invalid());
        }
        caller_from(store, user).await
    }

    async fn authenticate_basic(
        &self,
        store: &dyn Store,
        credentials: &str,
    ) -> Result<Caller, ApiError> {
        let invalid = || ApiError::unauthorized("Invalid Username or Password");
        let cache_key = self.keyed_hash(credentials.as_bytes());
        if let Some(caller) = self.cached(&cache_key) {
            return Ok(caller);
        }

        let decoded = base64::engine::general_purpose::STANDARD
            .decode(credentials)
            .map_err(|_| invalid())?;
        let decoded = String::from_utf8(decoded).map_err(|_| invalid())?;
        let (user_name, password) = decoded.split_once(':').ok_or_else(invalid)?;
        let user = self.verify_credentials(store, user_name, password).await?;

        let caller = caller_from(store, user).await?;
        self.remember(cache_key, caller.clone());
        Ok(caller)
    }

    /// Checks a user name and password, slowing down repeated failures for the name.
    pub async fn verify_credentials(
        &self,
        store: &dyn Store,
        user_name: &str,
        password: &str,
    ) -> Result<UserRecord, ApiError> {
        // Attempts for one name run one at a time on this node, and each is counted in the store
        // before it is checked, so parallel guesses wait longer and longer too. Every attempt
        // waits, right or wrong, so the real user is slowed down but never locked out.
        let lock = self.login_lock(user_name);
        let guard = lock.lock().await;
        let result = self.verify_in_turn(store, user_name, password).await;
        drop(guard);
        self.release_login_lock(user_name, lock);
        result
    }

    async fn verify_in_turn(
        &self,
        store: &dyn Store,
        user_name: &str,
        password: &str,
    ) -> Result<UserRecord, ApiError> {
        let now = time::OffsetDateTime::now_utc();
        let forget_before = crate::domain::format_rfc3339(now - LOGIN_FAILURE_MEMORY);
        let attempts = store
            .record_login_attempt(
                user_name,
                &crate::domain::format_rfc3339(now),
                &forget_before,
            )
            .await
            .map_err(super::internal)?;
        let delay = login_delay(attempts - 1);
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }

        let user = match store.find_user_by_name(user_name).await {
            Ok(user) => Some(user),
            Err(StoreError::NotFound) => None,
            Err(error) => return Err(super::internal(error)),
        };
        let hash = user
            .as_ref()
            .map_or(self.dummy_hash.clone(), |user| user.password_hash.clone());
        let password = password.to_owned();
        let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(ApiError::internal)?;
        match (user, verified) {
            (Some(user), true) => {
                store
                    .clear_login_failures(user_name)
                    .await
                    .map_err(super::internal)?;
                Ok(user)
            }
            _ => {
                tracing::warn!(user.name_length = user_name.len(), attempts, "login failed");
                Err(ApiError::unauthorized("Invalid Username or Password"))
            }
        }
    }

    /// The lock that makes login attempts for one user name take turns.
    fn login_lock(&self, user_name: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .login_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(locks.entry(user_name.to_lowercase()).or_default())
    }

    /// Drops the lock of a user name once no attempt holds or waits for it.
    fn release_login_lock(&self, user_name: &str, lock: Arc<tokio::sync::Mutex<()>>) {
        let mut locks = self
            .login_locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // One reference is the map's and one is `lock`, so no other attempt holds or waits.
        if Arc::strong_count(&lock) == 2 {
            locks.remove(&user_name.to_lowercase());
        }
    }

    /// The caller of a session id from the `ss-id`/`ss-pid` cookies or `X-ss-id`/`X-ss-pid`
    /// headers; `None` for a missing, unknown or expired session, which browsers keep sending.
    async fn authenticate_session(
        &self,
        store: &dyn Store,
        headers: &HeaderMap,
    ) -> Result<Option<Caller>, ApiError> {
        let Some(session_id) = session_id(headers) else {
            return Ok(None);
        };
        let (session, user) = match store.find_session(hash_api_key(&session_id)).await {
            Ok(found) => found,
            Err(StoreError::NotFound) => return Ok(None),
            Err(error) => return Err(super::internal(error)),
        };
        if session.expires_at.as_str() <= now_rfc3339().as_str() {
            return Ok(None);
        }
        caller_from(store, user).await.map(Some)
    }

    /// Drops the cached Basic checks of `user_id`, after the user changed or was deleted.
    pub fn forget_user(&self, user_id: &str) {
        let mut cache = self
            .basic_cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.retain(|_, (caller, _)| caller.user_id != user_id);
    }

    fn keyed_hash(&self, bytes: &[u8]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(self.cache_key);
        hasher.update(bytes);
        hasher.finalize().into()
    }

    fn cached(&self, key: &[u8; 32]) -> Option<Caller> {
        let cache = self
            .basic_cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .get(key)
            .filter(|(_, verified_at)| verified_at.elapsed() < BASIC_CACHE_TTL)
            .map(|(caller, _)| caller.clone())
    }

    fn remember(&self, key: [u8; 32], caller: Caller) {
        let mut cache = self
            .basic_cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.len() >= BASIC_CACHE_CAPACITY {
            cache.clear();
        }
        cache.insert(key, (caller, Instant::now()));
    }
}

/// How long to wait before checking a login, from the attempts since the last success.
fn login_delay(previous_attempts: i64) -> Duration {
    if previous_attempts < FREE_LOGIN_FAILURES {
        return Duration::ZERO;
    }
    let doublings = u32::try_from(previous_attempts - FREE_LOGIN_FAILURES)
        .unwrap_or(u32::MAX)
        .min(16);
    FIRST_LOGIN_DELAY
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_LOGIN_DELAY)
}

/// The caller a user authenticates as, with the accounts below theirs that a Manager may see.
pub(super) async fn caller_from(store: &dyn Store, user: UserRecord) -> Result<Caller, ApiError> {
    // Only a Manager's scope reaches below their own accounts.
    let visible_account_ids = if user.roles.contains(&Role::Manager) {
        store
            .account_descendants(user.account_ids.clone())
            .await
            .map_err(super::internal)?
    } else {
        user.account_ids.clone()
    };
    Ok(Caller {
        user_id: user.id,
        user_name: user.user_name,
        display_name: user.display_name,
        email_address: user.email_address,
        roles: user.roles,
        account_ids: user.account_ids,
        customer_id: user.customer_id,
        visible_account_ids,
    })
}

/// Hashes a password with Argon2id (the `argon2` crate's defaults) into a PHC string.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The SHA-256 of an API key: keys are high-entropy, so a fast hash is enough.
pub fn hash_api_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// A new random API key: `evo_` and 32 random bytes in URL-safe base64.
pub fn generate_api_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "evo_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// A new random password of 24 URL-safe characters.
pub fn generate_password() -> String {
    let mut bytes = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The administrator's credentials for the first start.
pub struct BootstrapCredentials {
    pub password: String,
    pub api_key: String,
}

/// The outcome of [`bootstrap`].
pub enum Bootstrap {
    /// The store already had users; nothing changed.
    AlreadyDone,
    /// Account `Default` and user `admin` were created.
    Created,
}

/// Creates account `Default` and the `SystemAdministrator` `admin` when the store has no users.
pub async fn bootstrap(
    store: &dyn Store,
    credentials: &BootstrapCredentials,
) -> anyhow::Result<Bootstrap> {
    let now = now_rfc3339();
    let user_id = new_id();
    let audit = Audit::created(&user_id, &now);
    let account = AccountRecord {
        id: new_id(),
        name: "Default".to_owned(),
        parent_account_id: None,
        ancestor_ids: Vec::new(),
        audit: audit.clone(),
    };
    let password = credentials.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await?
        .map_err(|error| anyhow::anyhow!("hashing the administrator password failed: {error}"))?;
    let user = UserRecord {
        id: user_id.clone(),
        user_name: "admin".to_owned(),
        display_name: Some("Administrator".to_owned()),
        email_address: None,
        password_hash,
        roles: vec![Role::SystemAdministrator],
        account_ids: vec![account.id.clone()],
        customer_id: None,
        audit,
    };
    let api_key = ApiKeyRecord {
        id: new_id(),
        user_id,
        name: "bootstrap".to_owned(),
        key_hash: hash_api_key(&credentials.api_key),
        expires_at: None,
        date_created: now,
    };
    let created = store.bootstrap(account, user, api_key).await?;
    Ok(if created {
        Bootstrap::Created
    } else {
        Bootstrap::AlreadyDone
    })
}

pub(super) fn register(host: &mut ServiceHost<App>) {
    host.register(get_auth_status);
}

async fn get_auth_status(
    _app: App,
    context: RequestContext<Caller>,
    _request: GetAuthStatus,
) -> Result<Option<AuthStatus>, ApiError> {
    Ok(context.optional_caller().map(|caller| AuthStatus {
        is_authenticated: true,
        user_id: Some(caller.user_id.clone()),
        user_name: Some(caller.user_name.clone()),
        display_name: caller.display_name.clone(),
        email_address: caller.email_address.clone(),
        roles: caller
            .roles
            .iter()
            .map(|role| role.name().to_owned())
            .collect(),
        account_ids: caller.account_ids.clone(),
        customer_id: caller.customer_id.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies_only_its_password() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn generated_keys_are_long_and_distinct() {
        let first = generate_api_key();
        let second = generate_api_key();
        assert!(first.len() >= MIN_API_KEY_LENGTH);
        assert_ne!(first, second);
    }
}
