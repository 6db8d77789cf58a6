//! The embedded store: SQLite on disk through rusqlite, on tokio's blocking threads.
//!
//! The database runs in WAL mode with `synchronous=FULL`, so an acknowledged write survives a
//! power loss. One connection writes (SQLite allows one writer at a time) and a small pool
//! reads alongside it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{
    params, Connection, ErrorCode, OptionalExtension, Row, ToSql, Transaction, TransactionBehavior,
};

use super::cipher::SecretCipher;
use super::query::{
    AccountFilter, CustomerFilter, EndpointFilter, Filter, IntegrationFilter, ListQuery, LogFilter,
    Page, Paging, SqlBuilder, SqlValue, UserFilter,
};
use super::records::{
    AccountRecord, ApiKeyRecord, Audit, Crumb, CustomerRecord, EndpointRecord, IntegrationLink,
    IntegrationRecord, LogRecord, SessionRecord, UserRecord,
};
use super::{Store, StoreError, StoreResult};
use crate::domain::caller::{Role, Scope};
use crate::domain::settings::Settings;
use crate::domain::MAX_CUSTOMER_DEPTH;
use crate::dto::data::Struct;
use crate::dto::endpoint::EndpointTypes;
use crate::dto::integration::{IntegrationStatuses, IntegrationTypes, LogLevels};

/// The migrations, in order; each runs once, in its own transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "initial",
    include_str!("migrations/sqlite/0001_initial.sql"),
)];

/// How many idle read connections are kept open.
const MAX_IDLE_READERS: usize = 8;

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    cipher: SecretCipher,
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `path` and applies pending migrations.
    ///
    /// This blocks on file I/O: call it before serving, or from a blocking thread.
    pub fn open(path: &Path, cipher: SecretCipher) -> StoreResult<SqliteStore> {
        let mut writer = open_connection(path)?;
        migrate(&mut writer)?;
        check_secret_key(&writer, &cipher)?;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                cipher,
            }),
        })
    }

    /// Runs `read` on a read connection on a blocking thread.
    async fn read<T, F>(&self, read: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &SecretCipher) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        run_blocking(move || {
            let idle = lock(&inner.readers).pop();
            let connection = match idle {
                Some(connection) => connection,
                None => open_connection(&inner.path)?,
            };
            let result = read(&connection, &inner.cipher);
            let mut readers = lock(&inner.readers);
            if readers.len() < MAX_IDLE_READERS {
                readers.push(connection);
            }
            result
        })
        .await
    }

    /// Runs `write` in an immediate transaction on the writer, committing when it succeeds.
    async fn write<T, F>(&self, write: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>, &SecretCipher) -> StoreResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        run_blocking(move || {
            let mut connection = lock(&inner.writer);
            let transaction = connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(map_error)?;
            let value = write(&transaction, &inner.cipher)?;
            transaction.commit().map_err(map_error)?;
            Ok(value)
        })
        .await
    }
}

async fn run_blocking<T, F>(work: F) -> StoreResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> StoreResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(StoreError::backend)?
}

/// Locks a mutex, recovering it if a thread panicked while holding it: a connection stays
/// usable after a panic because every write runs in a transaction that rolls back on drop.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn open_connection(path: &Path) -> StoreResult<Connection> {
    let connection = Connection::open(path).map_err(map_error)?;
    connection
        .execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )
        .map_err(map_error)?;
    Ok(connection)
}

fn migrate(connection: &mut Connection) -> StoreResult<()> {
    connection
        .execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER NOT NULL CONSTRAINT schema_migrations_pkey PRIMARY KEY,
                 name TEXT NOT NULL,
                 applied_at TEXT NOT NULL
             )",
        )
        .map_err(map_error)?;
    for (version, name, sql) in MIGRATIONS {
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(map_error)?;
        let applied: bool = transaction
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)",
                [version],
                |row| row.get(0),
            )
            .map_err(map_error)?;
        if applied {
            continue;
        }
        transaction.execute_batch(sql).map_err(map_error)?;
        transaction
            .execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                params![version, name, crate::domain::now_rfc3339()],
            )
            .map_err(map_error)?;
        transaction.commit().map_err(map_error)?;
        tracing::info!(
            migration.version = version,
            migration.name = name,
            "applied migration"
        );
    }
    Ok(())
}

/// The plaintext sealed into `store_meta.key_check` on first open.
const KEY_CHECK_PLAINTEXT: &[u8] = b"evo-integrations secret key check";
const KEY_CHECK_CONTEXT: &[u8] = b"store_meta.key_check";

/// Proves that `cipher` opens what this database holds: the first open seals a known value,
/// and later opens must be able to open it, so a wrong key stops the server at start instead of
/// failing requests later.
fn check_secret_key(connection: &Connection, cipher: &SecretCipher) -> StoreResult<()> {
    let sealed: Option<Vec<u8>> = connection
        .query_row(
            "SELECT value FROM store_meta WHERE name = 'key_check'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(map_error)?;
    match sealed {
        Some(sealed) => match cipher.open(&sealed, KEY_CHECK_CONTEXT) {
            Ok(plaintext) if plaintext == KEY_CHECK_PLAINTEXT => Ok(()),
            _ => Err(StoreError::WrongSecretKey),
        },
        None => {
            let sealed = cipher.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_CONTEXT);
            connection
                .execute(
                    "INSERT INTO store_meta (name, value) VALUES ('key_check', ?)",
                    [sealed],
                )
                .map_err(map_error)?;
            Ok(())
        }
    }
}

/// Maps a SQLite error, naming the constraint of a uniqueness violation.
fn map_error(error: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(failure, Some(message)) = &error {
        if failure.code == ErrorCode::ConstraintViolation {
            let constraint = if message.contains("endpoints.account_id, endpoints.reference_id") {
                "endpoints_account_id_reference_id_key"
            } else if message.contains("users.user_name_key") {
                "users_user_name_key"
            } else if message.contains("FOREIGN KEY") {
                "foreign_key"
            } else {
                "constraint"
            };
            return StoreError::Conflict {
                constraint,
                message: message.clone(),
            };
        }
    }
    StoreError::backend(error)
}

impl ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            SqlValue::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            SqlValue::Integer(number) => ToSqlOutput::Borrowed(ValueRef::Integer(*number)),
        })
    }
}

/// Runs a list query on `table` and maps each row with `map`.
fn list<F: Filter, T>(
    connection: &Connection,
    scope: Option<&Scope>,
    table: &str,
    columns: &str,
    query: &ListQuery<F>,
    map: impl Fn(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<Page<T>> {
    let mut conditions = SqlBuilder::default();
    conditions.where_clause(scope, query);

    let mut select = SqlBuilder::default();
    select.push(&format!("SELECT {columns} FROM {table}"));
    select.push(&conditions.sql);
    select.values.extend(conditions.values.iter().cloned());
    select.order_by(query);
    select.limit(query.paging);

    let mut statement = connection.prepare_cached(&select.sql).map_err(map_error)?;
    let mut rows = statement
        .query(rusqlite::params_from_iter(select.values.iter()))
        .map_err(map_error)?;
    let mut items = Vec::new();
    while let Some(row) = rows.next().map_err(map_error)? {
        items.push(map(row)?);
    }

    let (has_more, count_total) = match query.paging {
        Paging::All => (false, true),
        Paging::Page {
            limit, count_total, ..
        } => {
            let has_more = items.len() as i64 > limit;
            items.truncate(limit as usize);
            (has_more, count_total)
        }
    };
    let total_count = if !count_total {
        None
    } else if query.paging == Paging::All {
        Some(items.len() as i64)
    } else {
        let count_sql = format!("SELECT COUNT(*) FROM {table}{}", conditions.sql);
        let count: i64 = connection
            .query_row(
                &count_sql,
                rusqlite::params_from_iter(conditions.values.iter()),
                |row| row.get(0),
            )
            .map_err(map_error)?;
        Some(count)
    };
    Ok(Page {
        items,
        total_count,
        has_more,
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(StoreError::backend)
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(StoreError::backend)
}

fn get<T: rusqlite::types::FromSql>(row: &Row<'_>, index: usize) -> StoreResult<T> {
    row.get(index).map_err(map_error)
}

fn audit_from(row: &Row<'_>, first: usize) -> StoreResult<Audit> {
    Ok(Audit {
        date_created: get(row, first)?,
        date_last_modified: get(row, first + 1)?,
        created_by: get(row, first + 2)?,
        last_modified_by: get(row, first + 3)?,
    })
}

fn unknown_value(column: &str, value: &str) -> StoreError {
    StoreError::Backend(format!("unknown {column} '{value}' in the database").into())
}

fn link_from(row: &Row<'_>, first: usize) -> StoreResult<Option<IntegrationLink>> {
    let integration_id: Option<String> = get(row, first)?;
    let crm_id: Option<String> = get(row, first + 1)?;
    Ok(match (integration_id, crm_id) {
        (Some(integration_id), Some(crm_id)) => Some(IntegrationLink {
            integration_id,
            crm_id,
            date_last_sync: get(row, first + 2)?,
        }),
        _ => None,
    })
}

const AUDIT_COLUMNS: &str = "date_created, date_last_modified, created_by, last_modified_by";

// Accounts.

const ACCOUNT_COLUMNS: &str =
    "id, name, parent_account_id, date_created, date_last_modified, created_by, last_modified_by";

fn account_from(row: &Row<'_>) -> StoreResult<AccountRecord> {
    Ok(AccountRecord {
        id: get(row, 0)?,
        name: get(row, 1)?,
        parent_account_id: get(row, 2)?,
        ancestor_ids: Vec::new(),
        audit: audit_from(row, 3)?,
    })
}

fn insert_account(transaction: &Transaction<'_>, account: &AccountRecord) -> StoreResult<()> {
    transaction
        .execute(
            &format!(
                "INSERT INTO accounts (id, name, name_key, parent_account_id, {AUDIT_COLUMNS})
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            params![
                account.id,
                account.name,
                account.name.to_lowercase(),
                account.parent_account_id,
                account.audit.date_created,
                account.audit.date_last_modified,
                account.audit.created_by,
                account.audit.last_modified_by,
            ],
        )
        .map_err(map_error)?;
    Ok(())
}

/// Fills in each account's ancestors, from the top account down to its parent.
fn fill_ancestors(connection: &Connection, accounts: &mut [AccountRecord]) -> StoreResult<()> {
    let mut statement = connection
        .prepare_cached(
            "WITH RECURSIVE chain(id, parent_id, depth) AS (
                 SELECT id, parent_account_id, 0 FROM accounts WHERE id = ?
                 UNION ALL
                 SELECT accounts.id, accounts.parent_account_id, chain.depth + 1
                 FROM accounts JOIN chain ON accounts.id = chain.parent_id
                 WHERE chain.depth < 1000
             )
             SELECT id FROM chain WHERE depth > 0 ORDER BY depth DESC",
        )
        .map_err(map_error)?;
    for account in accounts {
        if account.parent_account_id.is_none() {
            continue;
        }
        let ancestors = statement
            .query_map([&account.id], |row| row.get::<_, String>(0))
            .map_err(map_error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(map_error)?;
        account.ancestor_ids = ancestors;
    }
    Ok(())
}

// Customers.

const CUSTOMER_COLUMNS: &str = "id, account_id, parent_customer_id, name, reference_id, \
     is_staging, data, integration_id, crm_id, date_last_sync, \
     date_created, date_last_modified, created_by, last_modified_by";

fn customer_from(row: &Row<'_>) -> StoreResult<CustomerRecord> {
    let data: String = get(row, 6)?;
    Ok(CustomerRecord {
        id: get(row, 0)?,
        account_id: get(row, 1)?,
        parent_customer_id: get(row, 2)?,
        name: get(row, 3)?,
        reference_id: get(row, 4)?,
        is_staging: get(row, 5)?,
        data: from_json::<Struct>(&data)?,
        integration_link: link_from(row, 7)?,
        audit: audit_from(row, 10)?,
    })
}

fn customer_values(customer: &CustomerRecord) -> StoreResult<Vec<Box<dyn ToSql + Send>>> {
    let link = customer.integration_link.as_ref();
    Ok(vec![
        Box::new(customer.account_id.clone()),
        Box::new(customer.parent_customer_id.clone()),
        Box::new(customer.name.clone()),
        Box::new(customer.name.to_lowercase()),
        Box::new(customer.reference_id.clone()),
        Box::new(customer.is_staging),
        Box::new(to_json(&customer.data)?),
        Box::new(link.map(|link| link.integration_id.clone())),
        Box::new(link.map(|link| link.crm_id.clone())),
        Box::new(link.and_then(|link| link.date_last_sync.clone())),
        Box::new(customer.audit.date_created.clone()),
        Box::new(customer.audit.date_last_modified.clone()),
        Box::new(customer.audit.created_by.clone()),
        Box::new(customer.audit.last_modified_by.clone()),
        Box::new(customer.id.clone()),
    ])
}

/// Checks, inside the write transaction, that `customer` under its parent forms no loop and
/// keeps the tree within [`MAX_CUSTOMER_DEPTH`] levels; `moving` also counts its subtree.
fn check_customer_position(
    transaction: &Transaction<'_>,
    customer: &CustomerRecord,
    moving: bool,
) -> StoreResult<()> {
    let Some(parent_id) = &customer.parent_customer_id else {
        return Ok(());
    };
    // UNION (not UNION ALL) stops at a repeated id, so even a corrupt loop ends the walk.
    let mut statement = transaction
        .prepare_cached(
            "WITH RECURSIVE up(id) AS (
                 SELECT ?1
                 UNION
                 SELECT customers.parent_customer_id FROM customers JOIN up ON customers.id = up.id
                 WHERE customers.parent_customer_id IS NOT NULL
             )
             SELECT id FROM up",
        )
        .map_err(map_error)?;
    let ancestors = statement
        .query_map([parent_id], |row| row.get::<_, String>(0))
        .map_err(map_error)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(map_error)?;
    if ancestors.contains(&customer.id) {
        return Err(StoreError::Conflict {
            constraint: "customers_parent_loop",
            message: format!(
                "Customer '{parent_id}' is '{}' itself or one of its descendants, so it cannot \
                 be its parent.",
                customer.id
            ),
        });
    }
    let height: i64 = if moving {
        transaction
            .query_row(
                "WITH RECURSIVE down(id, level) AS (
                     SELECT ?1, 1
                     UNION ALL
                     SELECT customers.id, down.level + 1
                     FROM customers JOIN down ON customers.parent_customer_id = down.id
                     WHERE down.level <= ?2
                 )
                 SELECT MAX(level) FROM down",
                params![customer.id, MAX_CUSTOMER_DEPTH as i64],
                |row| row.get(0),
            )
            .map_err(map_error)?
    } else {
        1
    };
    let depth = ancestors.len() as i64 + height;
    if depth > MAX_CUSTOMER_DEPTH as i64 {
        return Err(StoreError::Conflict {
            constraint: "customers_too_deep",
            message: format!(
                "A customer tree may be at most {MAX_CUSTOMER_DEPTH} levels deep; this change \
                 would make it {depth} levels deep."
            ),
        });
    }
    Ok(())
}

// Integrations.

const INTEGRATION_COLUMNS: &str = "id, account_id, customer_id, name, integration_type, \
     settings, secrets, automatically_create_customers, status, status_message, is_authorized, \
     date_last_sync, date_created, date_last_modified, created_by, last_modified_by";

/// The associated data that binds an integration's sealed secrets to its row.
fn secrets_context(integration_id: &str) -> Vec<u8> {
    format!("integrations.secrets:{integration_id}").into_bytes()
}

fn integration_from(row: &Row<'_>, cipher: &SecretCipher) -> StoreResult<IntegrationRecord> {
    let id: String = get(row, 0)?;
    let type_name: String = get(row, 4)?;
    let integration_type = IntegrationTypes::from_name(&type_name)
        .ok_or_else(|| unknown_value("integration_type", &type_name))?;
    let public: String = get(row, 5)?;
    let sealed: Option<Vec<u8>> = get(row, 6)?;
    let secrets = match sealed {
        None => Struct::new(),
        Some(sealed) => {
            let plaintext = cipher.open(&sealed, &secrets_context(&id)).map_err(|_| {
                StoreError::Backend(
                    format!("the secrets of integration {id} could not be decrypted").into(),
                )
            })?;
            serde_json::from_slice(&plaintext).map_err(StoreError::backend)?
        }
    };
    let status_name: String = get(row, 8)?;
    let status = IntegrationStatuses::from_name(&status_name)
        .ok_or_else(|| unknown_value("status", &status_name))?;
    Ok(IntegrationRecord {
        account_id: get(row, 1)?,
        customer_id: get(row, 2)?,
        name: get(row, 3)?,
        integration_type,
        settings: Settings {
            public: from_json(&public)?,
            secrets,
        },
        automatically_create_customers: get(row, 7)?,
        status,
        status_message: get(row, 9)?,
        is_authorized: get(row, 10)?,
        date_last_sync: get(row, 11)?,
        audit: audit_from(row, 12)?,
        id,
    })
}

fn integration_values(
    integration: &IntegrationRecord,
    cipher: &SecretCipher,
) -> StoreResult<Vec<Box<dyn ToSql + Send>>> {
    let secrets = if integration.settings.secrets.is_empty() {
        None
    } else {
        let plaintext = to_json(&integration.settings.secrets)?;
        Some(cipher.seal(plaintext.as_bytes(), &secrets_context(&integration.id)))
    };
    Ok(vec![
        Box::new(integration.account_id.clone()),
        Box::new(integration.customer_id.clone()),
        Box::new(integration.name.clone()),
        Box::new(integration.name.to_lowercase()),
        Box::new(integration.integration_type.name()),
        Box::new(to_json(&integration.settings.public)?),
        Box::new(secrets),
        Box::new(integration.automatically_create_customers),
        Box::new(integration.status.name()),
        Box::new(integration.status_message.clone()),
        Box::new(integration.is_authorized),
        Box::new(integration.date_last_sync.clone()),
        Box::new(integration.audit.date_created.clone()),
        Box::new(integration.audit.date_last_modified.clone()),
        Box::new(integration.audit.created_by.clone()),
        Box::new(integration.audit.last_modified_by.clone()),
        Box::new(integration.id.clone()),
    ])
}

fn insert_log(transaction: &Transaction<'_>, entry: &LogRecord) -> StoreResult<()> {
    transaction
        .execute(
            "INSERT INTO integration_log (id, integration_id, date, level, message, sync_id)
             VALUES (?, ?, ?, ?, ?, ?)",
            params![
                entry.id,
                entry.integration_id,
                entry.date,
                entry.level.name(),
                entry.message,
                entry.sync_id,
            ],
        )
        .map_err(map_error)?;
    Ok(())
}

const LOG_COLUMNS: &str = "id, integration_id, date, level, message, sync_id";

fn log_from(row: &Row<'_>) -> StoreResult<LogRecord> {
    let level: String = get(row, 3)?;
    Ok(LogRecord {
        id: get(row, 0)?,
        integration_id: get(row, 1)?,
        date: get(row, 2)?,
        level: LogLevels::from_name(&level).ok_or_else(|| unknown_value("level", &level))?,
        message: get(row, 4)?,
        sync_id: get(row, 5)?,
    })
}

// Endpoints.

const ENDPOINT_COLUMNS: &str = "id, account_id, customer_id, endpoint_type, display_name, \
     reference_id, user_first_name, user_last_name, user_email_address, phone_number, \
     integration_id, crm_id, date_last_sync, \
     date_created, date_last_modified, created_by, last_modified_by";

fn endpoint_from(row: &Row<'_>) -> StoreResult<EndpointRecord> {
    let type_name: String = get(row, 3)?;
    Ok(EndpointRecord {
        id: get(row, 0)?,
        account_id: get(row, 1)?,
        customer_id: get(row, 2)?,
        endpoint_type: EndpointTypes::from_name(&type_name)
            .ok_or_else(|| unknown_value("endpoint_type", &type_name))?,
        display_name: get(row, 4)?,
        reference_id: get(row, 5)?,
        user_first_name: get(row, 6)?,
        user_last_name: get(row, 7)?,
        user_email_address: get(row, 8)?,
        phone_number: get(row, 9)?,
        integration_link: link_from(row, 10)?,
        audit: audit_from(row, 13)?,
    })
}

fn endpoint_values(endpoint: &EndpointRecord) -> Vec<Box<dyn ToSql + Send>> {
    let link = endpoint.integration_link.as_ref();
    vec![
        Box::new(endpoint.account_id.clone()),
        Box::new(endpoint.customer_id.clone()),
        Box::new(endpoint.endpoint_type.name()),
        Box::new(endpoint.display_name.clone()),
        Box::new(endpoint.display_name.to_lowercase()),
        Box::new(endpoint.reference_id.clone()),
        Box::new(endpoint.user_first_name.clone()),
        Box::new(endpoint.user_last_name.clone()),
        Box::new(endpoint.user_email_address.clone()),
        Box::new(endpoint.phone_number.clone()),
        Box::new(link.map(|link| link.integration_id.clone())),
        Box::new(link.map(|link| link.crm_id.clone())),
        Box::new(link.and_then(|link| link.date_last_sync.clone())),
        Box::new(endpoint.audit.date_created.clone()),
        Box::new(endpoint.audit.date_last_modified.clone()),
        Box::new(endpoint.audit.created_by.clone()),
        Box::new(endpoint.audit.last_modified_by.clone()),
        Box::new(endpoint.id.clone()),
    ]
}

// Users and API keys.

const USER_COLUMNS: &str = "id, user_name, display_name, email_address, password_hash, roles, \
     account_ids, customer_id, date_created, date_last_modified, created_by, last_modified_by";

fn user_from(row: &Row<'_>) -> StoreResult<UserRecord> {
    let roles: String = get(row, 5)?;
    let roles: Vec<String> = from_json(&roles)?;
    let roles = roles
        .iter()
        .map(|name| Role::from_name(name).ok_or_else(|| unknown_value("role", name)))
        .collect::<StoreResult<Vec<Role>>>()?;
    let account_ids: String = get(row, 6)?;
    Ok(UserRecord {
        id: get(row, 0)?,
        user_name: get(row, 1)?,
        display_name: get(row, 2)?,
        email_address: get(row, 3)?,
        password_hash: get(row, 4)?,
        roles,
        account_ids: from_json(&account_ids)?,
        customer_id: get(row, 7)?,
        audit: audit_from(row, 8)?,
    })
}

fn insert_user(transaction: &Transaction<'_>, user: &UserRecord) -> StoreResult<()> {
    transaction
        .execute(
            &format!(
                "INSERT INTO users (user_name, user_name_key, display_name, email_address,
                     password_hash, roles, account_ids, is_system_administrator, customer_id,
                     {AUDIT_COLUMNS}, id)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            rusqlite::params_from_iter(user_values(user)?.iter()),
        )
        .map_err(map_error)?;
    write_user_accounts(transaction, user)
}

fn user_values(user: &UserRecord) -> StoreResult<Vec<Box<dyn ToSql + Send>>> {
    let roles: Vec<&str> = user.roles.iter().map(|role| role.name()).collect();
    Ok(vec![
        Box::new(user.user_name.clone()),
        Box::new(user.user_name.to_lowercase()),
        Box::new(user.display_name.clone()),
        Box::new(user.email_address.clone()),
        Box::new(user.password_hash.clone()),
        Box::new(to_json(&roles)?),
        Box::new(to_json(&user.account_ids)?),
        Box::new(user.roles.contains(&Role::SystemAdministrator)),
        Box::new(user.customer_id.clone()),
        Box::new(user.audit.date_created.clone()),
        Box::new(user.audit.date_last_modified.clone()),
        Box::new(user.audit.created_by.clone()),
        Box::new(user.audit.last_modified_by.clone()),
        Box::new(user.id.clone()),
    ])
}

/// Replaces the user's rows in `user_accounts`, which scope queries read.
fn write_user_accounts(transaction: &Transaction<'_>, user: &UserRecord) -> StoreResult<()> {
    transaction
        .execute("DELETE FROM user_accounts WHERE user_id = ?", [&user.id])
        .map_err(map_error)?;
    for account_id in &user.account_ids {
        transaction
            .execute(
                "INSERT INTO user_accounts (user_id, account_id) VALUES (?, ?)",
                params![user.id, account_id],
            )
            .map_err(map_error)?;
    }
    Ok(())
}

fn insert_api_key(transaction: &Transaction<'_>, key: &ApiKeyRecord) -> StoreResult<()> {
    transaction
        .execute(
            "INSERT INTO api_keys (id, user_id, name, key_hash, expires_at, date_created)
             VALUES (?, ?, ?, ?, ?, ?)",
            params![
                key.id,
                key.user_id,
                key.name,
                key.key_hash.as_slice(),
                key.expires_at,
                key.date_created,
            ],
        )
        .map_err(map_error)?;
    Ok(())
}

fn api_key_from(row: &Row<'_>) -> StoreResult<ApiKeyRecord> {
    let hash: Vec<u8> = get(row, 3)?;
    Ok(ApiKeyRecord {
        id: get(row, 0)?,
        user_id: get(row, 1)?,
        name: get(row, 2)?,
        key_hash: hash
            .try_into()
            .map_err(|_| unknown_value("key_hash", "of the wrong length"))?,
        expires_at: get(row, 4)?,
        date_created: get(row, 5)?,
    })
}

/// A user filter with the caller's scope, which users express by their `user_accounts`.
struct ScopedUsers {
    filter: UserFilter,
    scope: Scope,
}

impl Filter for ScopedUsers {
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = UserFilter::SORT_COLUMNS;

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        self.filter.write_conditions(sql);
        sql.user_scope(&self.scope);
    }
}

/// The column naming a table's customer, for customer scopes.
fn customer_column(table: &str) -> Option<&'static str> {
    match table {
        "customers" => Some("id"),
        "integrations" | "endpoints" => Some("customer_id"),
        _ => None,
    }
}

/// Runs `SELECT {columns} FROM {table} WHERE id = ?` within `scope`, mapping the row.
fn get_scoped<T>(
    connection: &Connection,
    scope: &Scope,
    table: &str,
    columns: &str,
    id: &str,
    map: impl Fn(&Row<'_>) -> StoreResult<T>,
) -> StoreResult<T> {
    let mut sql = SqlBuilder::default();
    sql.push(&format!("SELECT {columns} FROM {table} WHERE id = "));
    sql.bind_text(id);
    sql.scope(scope, "account_id", customer_column(table));
    let mut statement = connection.prepare_cached(&sql.sql).map_err(map_error)?;
    let mut rows = statement
        .query(rusqlite::params_from_iter(sql.values.iter()))
        .map_err(map_error)?;
    match rows.next().map_err(map_error)? {
        Some(row) => map(row),
        None => Err(StoreError::NotFound),
    }
}

/// Deletes the row `id` of `table` within `scope`; `NotFound` when no row matched.
fn delete_scoped(
    transaction: &Transaction<'_>,
    scope: &Scope,
    table: &str,
    id: &str,
) -> StoreResult<()> {
    let mut sql = SqlBuilder::default();
    sql.push(&format!("DELETE FROM {table} WHERE id = "));
    sql.bind_text(id);
    sql.scope(scope, "account_id", customer_column(table));
    let deleted = transaction
        .execute(&sql.sql, rusqlite::params_from_iter(sql.values.iter()))
        .map_err(map_error)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Runs an `UPDATE` that must change exactly one row.
fn update_one(
    transaction: &Transaction<'_>,
    sql: &str,
    values: Vec<Box<dyn ToSql + Send>>,
) -> StoreResult<()> {
    let updated = transaction
        .execute(sql, rusqlite::params_from_iter(values.iter()))
        .map_err(map_error)?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[async_trait]
impl Store for SqliteStore {
    async fn bootstrap(
        &self,
        account: AccountRecord,
        user: UserRecord,
        api_key: ApiKeyRecord,
    ) -> StoreResult<bool> {
        self.write(move |transaction, _| {
            let has_users: bool = transaction
                .query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))
                .map_err(map_error)?;
            if has_users {
                return Ok(false);
            }
            insert_account(transaction, &account)?;
            insert_user(transaction, &user)?;
            insert_api_key(transaction, &api_key)?;
            Ok(true)
        })
        .await
    }

    async fn insert_account(&self, account: AccountRecord) -> StoreResult<()> {
        self.write(move |transaction, _| insert_account(transaction, &account))
            .await
    }

    async fn get_account(&self, scope: &Scope, id: &str) -> StoreResult<AccountRecord> {
        // An account's own id is its scope key.
        let (scope, id) = (scope.clone(), id.to_owned());
        self.read(move |connection, _| {
            let mut sql = SqlBuilder::default();
            sql.push(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = "
            ));
            sql.bind_text(&id);
            sql.scope(&scope, "id", None);
            let mut account = connection
                .query_row(
                    &sql.sql,
                    rusqlite::params_from_iter(sql.values.iter()),
                    |row| Ok(account_from(row)),
                )
                .optional()
                .map_err(map_error)?
                .ok_or(StoreError::NotFound)??;
            fill_ancestors(connection, std::slice::from_mut(&mut account))?;
            Ok(account)
        })
        .await
    }

    async fn list_accounts(
        &self,
        scope: &Scope,
        query: ListQuery<AccountFilter>,
    ) -> StoreResult<Page<AccountRecord>> {
        let scope = scope.clone();
        self.read(move |connection, _| {
            // Accounts are scoped by their own id, so the scope becomes an id filter.
            let mut query = query;
            let visible = match &scope {
                Scope::All => None,
                Scope::Accounts(accounts) => Some(accounts.clone()),
                Scope::Customer { account_id, .. } => Some(vec![account_id.clone()]),
            };
            if let Some(visible) = visible {
                query.specific_ids = Some(match query.specific_ids.take() {
                    None => visible,
                    Some(ids) => ids.into_iter().filter(|id| visible.contains(id)).collect(),
                });
            }
            let mut page = list(
                connection,
                None,
                "accounts",
                ACCOUNT_COLUMNS,
                &query,
                account_from,
            )?;
            fill_ancestors(connection, &mut page.items)?;
            Ok(page)
        })
        .await
    }

    async fn account_descendants(&self, ids: Vec<String>) -> StoreResult<Vec<String>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.read(move |connection, _| {
            let mut sql = SqlBuilder::default();
            sql.push("WITH RECURSIVE below(id) AS (SELECT id FROM accounts WHERE 1 = 1");
            sql.in_list("id", Some(&ids));
            sql.push(
                " UNION SELECT accounts.id FROM accounts \
                 JOIN below ON accounts.parent_account_id = below.id) \
                 SELECT id FROM below ORDER BY id",
            );
            let mut statement = connection.prepare(&sql.sql).map_err(map_error)?;
            let descendants = statement
                .query_map(rusqlite::params_from_iter(sql.values.iter()), |row| {
                    row.get(0)
                })
                .map_err(map_error)?
                .collect::<Result<Vec<String>, _>>()
                .map_err(map_error)?;
            Ok(descendants)
        })
        .await
    }

    async fn account_names(&self, ids: Vec<String>) -> StoreResult<HashMap<String, String>> {
        self.read(move |connection, _| {
            let mut sql = SqlBuilder::default();
            sql.push("SELECT id, name FROM accounts WHERE 1 = 1");
            sql.in_list("id", Some(&ids));
            let mut statement = connection.prepare(&sql.sql).map_err(map_error)?;
            let names = statement
                .query_map(rusqlite::params_from_iter(sql.values.iter()), |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .map_err(map_error)?
                .collect::<Result<HashMap<String, String>, _>>()
                .map_err(map_error)?;
            Ok(names)
        })
        .await
    }

    async fn insert_customer(&self, customer: CustomerRecord) -> StoreResult<()> {
        self.write(move |transaction, _| {
            check_customer_position(transaction, &customer, false)?;
            let mut values = customer_values(&customer)?;
            values.rotate_right(1);
            let sql = format!(
                "INSERT INTO customers (id, account_id, parent_customer_id, name, name_key,
                     reference_id, is_staging, data, integration_id, crm_id, date_last_sync,
                     {AUDIT_COLUMNS})
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            );
            transaction
                .execute(&sql, rusqlite::params_from_iter(values.iter()))
                .map_err(map_error)?;
            Ok(())
        })
        .await
    }

    async fn get_customer(&self, scope: &Scope, id: &str) -> StoreResult<CustomerRecord> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.read(move |connection, _| {
            get_scoped(
                connection,
                &scope,
                "customers",
                CUSTOMER_COLUMNS,
                &id,
                customer_from,
            )
        })
        .await
    }

    async fn update_customer(&self, customer: CustomerRecord) -> StoreResult<()> {
        self.write(move |transaction, _| {
            let sql = "UPDATE customers SET account_id = ?, parent_customer_id = ?, name = ?,
                     name_key = ?, reference_id = ?, is_staging = ?, data = ?, integration_id = ?,
                     crm_id = ?, date_last_sync = ?, date_created = ?, date_last_modified = ?,
                     created_by = ?, last_modified_by = ?
                 WHERE id = ?";
            check_customer_position(transaction, &customer, true)?;
            update_one(transaction, sql, customer_values(&customer)?)
        })
        .await
    }

    async fn delete_customer(&self, scope: &Scope, id: &str) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.write(move |transaction, _| {
            let (children, endpoints, integrations): (i64, i64, i64) = transaction
                .query_row(
                    "SELECT (SELECT COUNT(*) FROM customers WHERE parent_customer_id = ?1),
                            (SELECT COUNT(*) FROM endpoints WHERE customer_id = ?1),
                            (SELECT COUNT(*) FROM integrations WHERE customer_id = ?1)",
                    [&id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .map_err(map_error)?;
            // Check existence first, so a customer outside the scope is reported as not found.
            get_scoped(transaction, &scope, "customers", "id", &id, |_| Ok(()))?;
            if children + endpoints + integrations > 0 {
                return Err(StoreError::Conflict {
                    constraint: "customers_in_use",
                    message: format!(
                        "Customer '{id}' is still in use (child customers: {children}, \
                         endpoints: {endpoints}, integrations: {integrations}); delete or move \
                         those first."
                    ),
                });
            }
            delete_scoped(transaction, &scope, "customers", &id)
        })
        .await
    }

    async fn list_customers(
        &self,
        scope: &Scope,
        query: ListQuery<CustomerFilter>,
    ) -> StoreResult<Page<CustomerRecord>> {
        let scope = scope.clone();
        self.read(move |connection, _| {
            list(
                connection,
                Some(&scope),
                "customers",
                CUSTOMER_COLUMNS,
                &query,
                customer_from,
            )
        })
        .await
    }

    async fn breadcrumbs(&self, ids: Vec<String>) -> StoreResult<HashMap<String, Vec<Crumb>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.read(move |connection, _| {
            let mut sql = SqlBuilder::default();
            sql.push(
                "WITH RECURSIVE path(start_id, id, name, parent_id, depth) AS (
                     SELECT id, id, name, parent_customer_id, 0 FROM customers WHERE 1 = 1",
            );
            sql.in_list("id", Some(&ids));
            sql.push(
                " UNION ALL
                 SELECT path.start_id, customers.id, customers.name,
                        customers.parent_customer_id, path.depth + 1
                 FROM customers JOIN path ON customers.id = path.parent_id
                 WHERE path.depth < ?
             )
             SELECT start_id, id, name FROM path ORDER BY start_id, depth DESC",
            );
            sql.values
                .push(SqlValue::Integer(MAX_CUSTOMER_DEPTH as i64));
            let mut statement = connection.prepare(&sql.sql).map_err(map_error)?;
            let mut rows = statement
                .query(rusqlite::params_from_iter(sql.values.iter()))
                .map_err(map_error)?;
            let mut crumbs: HashMap<String, Vec<Crumb>> = HashMap::new();
            while let Some(row) = rows.next().map_err(map_error)? {
                let start: String = get(row, 0)?;
                crumbs.entry(start).or_default().push(Crumb {
                    id: get(row, 1)?,
                    name: get(row, 2)?,
                });
            }
            Ok(crumbs)
        })
        .await
    }

    async fn insert_integration(
        &self,
        integration: IntegrationRecord,
        entry: LogRecord,
    ) -> StoreResult<()> {
        self.write(move |transaction, cipher| {
            let mut values = integration_values(&integration, cipher)?;
            values.rotate_right(1);
            let sql = format!(
                "INSERT INTO integrations (id, account_id, customer_id, name, name_key,
                     integration_type, settings, secrets, automatically_create_customers, status,
                     status_message, is_authorized, date_last_sync, {AUDIT_COLUMNS})
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            );
            transaction
                .execute(&sql, rusqlite::params_from_iter(values.iter()))
                .map_err(map_error)?;
            insert_log(transaction, &entry)
        })
        .await
    }

    async fn get_integration(&self, scope: &Scope, id: &str) -> StoreResult<IntegrationRecord> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.read(move |connection, cipher| {
            get_scoped(
                connection,
                &scope,
                "integrations",
                INTEGRATION_COLUMNS,
                &id,
                |row| integration_from(row, cipher),
            )
        })
        .await
    }

    async fn update_integration(
        &self,
        integration: IntegrationRecord,
        entry: LogRecord,
    ) -> StoreResult<()> {
        self.write(move |transaction, cipher| {
            let sql = "UPDATE integrations SET account_id = ?, customer_id = ?, name = ?,
                     name_key = ?, integration_type = ?, settings = ?, secrets = ?,
                     automatically_create_customers = ?, status = ?, status_message = ?,
                     is_authorized = ?, date_last_sync = ?, date_created = ?,
                     date_last_modified = ?, created_by = ?, last_modified_by = ?
                 WHERE id = ?";
            update_one(transaction, sql, integration_values(&integration, cipher)?)?;
            insert_log(transaction, &entry)
        })
        .await
    }

    async fn delete_integration(&self, scope: &Scope, id: &str) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.write(move |transaction, _| {
            get_scoped(transaction, &scope, "integrations", "id", &id, |_| Ok(()))?;
            for table in ["customers", "endpoints"] {
                transaction
                    .execute(
                        &format!(
                            "UPDATE {table} SET integration_id = NULL, crm_id = NULL,
                                 date_last_sync = NULL
                             WHERE integration_id = ?"
                        ),
                        [&id],
                    )
                    .map_err(map_error)?;
            }
            transaction
                .execute(
                    "DELETE FROM integration_log WHERE integration_id = ?",
                    [&id],
                )
                .map_err(map_error)?;
            delete_scoped(transaction, &scope, "integrations", &id)
        })
        .await
    }

    async fn list_integrations(
        &self,
        scope: &Scope,
        query: ListQuery<IntegrationFilter>,
    ) -> StoreResult<Page<IntegrationRecord>> {
        let scope = scope.clone();
        self.read(move |connection, cipher| {
            list(
                connection,
                Some(&scope),
                "integrations",
                INTEGRATION_COLUMNS,
                &query,
                |row| integration_from(row, cipher),
            )
        })
        .await
    }

    async fn list_integration_log(
        &self,
        scope: &Scope,
        query: ListQuery<LogFilter>,
    ) -> StoreResult<Page<LogRecord>> {
        let scope = scope.clone();
        self.read(move |connection, _| {
            let integration_id = &query.filter.integration_id;
            get_scoped(
                connection,
                &scope,
                "integrations",
                "id",
                integration_id,
                |_| Ok(()),
            )?;
            list(
                connection,
                None,
                "integration_log",
                LOG_COLUMNS,
                &query,
                log_from,
            )
        })
        .await
    }

    async fn insert_endpoint(&self, endpoint: EndpointRecord) -> StoreResult<()> {
        self.write(move |transaction, _| {
            let mut values = endpoint_values(&endpoint);
            values.rotate_right(1);
            let sql = format!(
                "INSERT INTO endpoints (id, account_id, customer_id, endpoint_type, display_name,
                     name_key, reference_id, user_first_name, user_last_name, user_email_address,
                     phone_number, integration_id, crm_id, date_last_sync, {AUDIT_COLUMNS})
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            );
            transaction
                .execute(&sql, rusqlite::params_from_iter(values.iter()))
                .map_err(map_error)?;
            Ok(())
        })
        .await
    }

    async fn get_endpoint(&self, scope: &Scope, id: &str) -> StoreResult<EndpointRecord> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.read(move |connection, _| {
            get_scoped(
                connection,
                &scope,
                "endpoints",
                ENDPOINT_COLUMNS,
                &id,
                endpoint_from,
            )
        })
        .await
    }

    async fn update_endpoint(&self, endpoint: EndpointRecord) -> StoreResult<()> {
        self.write(move |transaction, _| {
            let sql = "UPDATE endpoints SET account_id = ?, customer_id = ?, endpoint_type = ?,
                     display_name = ?, name_key = ?, reference_id = ?, user_first_name = ?,
                     user_last_name = ?, user_email_address = ?, phone_number = ?,
                     integration_id = ?, crm_id = ?, date_last_sync = ?, date_created = ?,
                     date_last_modified = ?, created_by = ?, last_modified_by = ?
                 WHERE id = ?";
            update_one(transaction, sql, endpoint_values(&endpoint))
        })
        .await
    }

    async fn delete_endpoint(&self, scope: &Scope, id: &str) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.write(move |transaction, _| delete_scoped(transaction, &scope, "endpoints", &id))
            .await
    }

    async fn list_endpoints(
        &self,
        scope: &Scope,
        query: ListQuery<EndpointFilter>,
    ) -> StoreResult<Page<EndpointRecord>> {
        let scope = scope.clone();
        self.read(move |connection, _| {
            list(
                connection,
                Some(&scope),
                "endpoints",
                ENDPOINT_COLUMNS,
                &query,
                endpoint_from,
            )
        })
        .await
    }

    async fn insert_user(&self, user: UserRecord) -> StoreResult<()> {
        self.write(move |transaction, _| insert_user(transaction, &user))
            .await
    }

    async fn get_user(&self, scope: &Scope, id: &str) -> StoreResult<UserRecord> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.read(move |connection, _| {
            let mut sql = SqlBuilder::default();
            sql.push(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = "));
            sql.bind_text(&id);
            sql.user_scope(&scope);
            let mut statement = connection.prepare_cached(&sql.sql).map_err(map_error)?;
            let mut rows = statement
                .query(rusqlite::params_from_iter(sql.values.iter()))
                .map_err(map_error)?;
            match rows.next().map_err(map_error)? {
                Some(row) => user_from(row),
                None => Err(StoreError::NotFound),
            }
        })
        .await
    }

    async fn update_user(&self, user: UserRecord) -> StoreResult<()> {
        self.write(move |transaction, _| {
            let sql = "UPDATE users SET user_name = ?, user_name_key = ?, display_name = ?,
                     email_address = ?, password_hash = ?, roles = ?, account_ids = ?,
                     is_system_administrator = ?, customer_id = ?, date_created = ?,
                     date_last_modified = ?, created_by = ?, last_modified_by = ?
                 WHERE id = ?";
            update_one(transaction, sql, user_values(&user)?)?;
            write_user_accounts(transaction, &user)
        })
        .await
    }

    async fn delete_user(&self, scope: &Scope, id: &str) -> StoreResult<()> {
        let (scope, id) = (scope.clone(), id.to_owned());
        self.write(move |transaction, _| {
            let mut sql = SqlBuilder::default();
            sql.push("DELETE FROM users WHERE id = ");
            sql.bind_text(&id);
            sql.user_scope(&scope);
            let deleted = transaction
                .execute(&sql.sql, rusqlite::params_from_iter(sql.values.iter()))
                .map_err(map_error)?;
            if deleted == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn list_users(
        &self,
        scope: &Scope,
        query: ListQuery<UserFilter>,
    ) -> StoreResult<Page<UserRecord>> {
        let scope = scope.clone();
        self.read(move |connection, _| {
            // The user scope is a condition of its own, so it rides on the filter.
            let scoped = ScopedUsers {
                filter: query.filter.clone(),
                scope,
            };
            let query = ListQuery {
                filter: scoped,
                specific_ids: query.specific_ids,
                sort: query.sort,
                descending: query.descending,
                paging: query.paging,
            };
            list(connection, None, "users", USER_COLUMNS, &query, user_from)
        })
        .await
    }

    async fn insert_api_key(&self, key: ApiKeyRecord) -> StoreResult<()> {
        self.write(move |transaction, _| insert_api_key(transaction, &key))
            .await
    }

    async fn list_api_keys(&self, user_id: &str) -> StoreResult<Vec<ApiKeyRecord>> {
        let user_id = user_id.to_owned();
        self.read(move |connection, _| {
            let mut statement = connection
                .prepare_cached(
                    "SELECT id, user_id, name, key_hash, expires_at, date_created
                     FROM api_keys WHERE user_id = ? ORDER BY date_created, id",
                )
                .map_err(map_error)?;
            let mut rows = statement.query([&user_id]).map_err(map_error)?;
            let mut keys = Vec::new();
            while let Some(row) = rows.next().map_err(map_error)? {
                keys.push(api_key_from(row)?);
            }
            Ok(keys)
        })
        .await
    }

    async fn delete_api_key(&self, user_id: &str, key_id: &str) -> StoreResult<()> {
        let (user_id, key_id) = (user_id.to_owned(), key_id.to_owned());
        self.write(move |transaction, _| {
            let deleted = transaction
                .execute(
                    "DELETE FROM api_keys WHERE id = ? AND user_id = ?",
                    [&key_id, &user_id],
                )
                .map_err(map_error)?;
            if deleted == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn insert_session(&self, session: SessionRecord) -> StoreResult<()> {
        self.write(move |transaction, _| {
            transaction
                .execute(
                    "DELETE FROM sessions WHERE expires_at <= ?",
                    [&session.date_created],
                )
                .map_err(map_error)?;
            transaction
                .execute(
                    "INSERT INTO sessions (id_hash, user_id, persistent, expires_at, date_created)
                     VALUES (?, ?, ?, ?, ?)",
                    params![
                        session.id_hash.as_slice(),
                        session.user_id,
                        session.persistent,
                        session.expires_at,
                        session.date_created,
                    ],
                )
                .map_err(map_error)?;
            Ok(())
        })
        .await
    }

    async fn find_session(&self, id_hash: [u8; 32]) -> StoreResult<(SessionRecord, UserRecord)> {
        self.read(move |connection, _| {
            let session = connection
                .query_row(
                    "SELECT user_id, persistent, expires_at, date_created
                     FROM sessions WHERE id_hash = ?",
                    [id_hash.as_slice()],
                    |row| {
                        Ok(SessionRecord {
                            id_hash,
                            user_id: row.get(0)?,
                            persistent: row.get(1)?,
                            expires_at: row.get(2)?,
                            date_created: row.get(3)?,
                        })
                    },
                )
                .optional()
                .map_err(map_error)?
                .ok_or(StoreError::NotFound)?;
            let user = get_scoped(
                connection,
                &Scope::All,
                "users",
                USER_COLUMNS,
                &session.user_id,
                user_from,
            )?;
            Ok((session, user))
        })
        .await
    }

    async fn delete_session(&self, id_hash: [u8; 32]) -> StoreResult<()> {
        self.write(move |transaction, _| {
            transaction
                .execute(
                    "DELETE FROM sessions WHERE id_hash = ?",
                    [id_hash.as_slice()],
                )
                .map_err(map_error)?;
            Ok(())
        })
        .await
    }

    async fn rotate_secret_key(&self, new_cipher: SecretCipher) -> StoreResult<usize> {
        self.write(move |transaction, old_cipher| {
            let mut statement = transaction
                .prepare("SELECT id, secrets FROM integrations WHERE secrets IS NOT NULL")
                .map_err(map_error)?;
            let sealed_rows = statement
                .query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?))
                })
                .map_err(map_error)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(map_error)?;
            for (id, sealed) in &sealed_rows {
                let context = secrets_context(id);
                let plaintext = old_cipher
                    .open(sealed, &context)
                    .map_err(|_| StoreError::WrongSecretKey)?;
                transaction
                    .execute(
                        "UPDATE integrations SET secrets = ? WHERE id = ?",
                        params![new_cipher.seal(&plaintext, &context), id],
                    )
                    .map_err(map_error)?;
            }
            transaction
                .execute(
                    "UPDATE store_meta SET value = ? WHERE name = 'key_check'",
                    [new_cipher.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_CONTEXT)],
                )
                .map_err(map_error)?;
            Ok(sealed_rows.len())
        })
        .await
    }

    async fn login_failures(&self, user_name: &str) -> StoreResult<Option<(i64, String)>> {
        let key = user_name.to_lowercase();
        self.read(move |connection, _| {
            connection
                .query_row(
                    "SELECT failures, last_failure FROM login_failures WHERE user_name_key = ?",
                    [&key],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()
                .map_err(map_error)
        })
        .await
    }

    async fn record_login_failure(
        &self,
        user_name: &str,
        now: &str,
        forget_before: &str,
    ) -> StoreResult<()> {
        let (key, now, cutoff) = (
            user_name.to_lowercase(),
            now.to_owned(),
            forget_before.to_owned(),
        );
        self.write(move |transaction, _| {
            transaction
                .execute(
                    "INSERT INTO login_failures (user_name_key, failures, last_failure)
                     VALUES (?1, 1, ?2)
                     ON CONFLICT (user_name_key) DO UPDATE SET
                         failures = CASE WHEN last_failure < ?3 THEN 1 ELSE failures + 1 END,
                         last_failure = ?2",
                    [&key, &now, &cutoff],
                )
                .map_err(map_error)?;
            Ok(())
        })
        .await
    }

    async fn clear_login_failures(&self, user_name: &str) -> StoreResult<()> {
        let key = user_name.to_lowercase();
        self.write(move |transaction, _| {
            transaction
                .execute("DELETE FROM login_failures WHERE user_name_key = ?", [&key])
                .map_err(map_error)?;
            Ok(())
        })
        .await
    }

    async fn find_user_by_name(&self, user_name: &str) -> StoreResult<UserRecord> {
        let key = user_name.to_lowercase();
        self.read(move |connection, _| {
            let mut statement = connection
                .prepare_cached(&format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE user_name_key = ?"
                ))
                .map_err(map_error)?;
            let mut rows = statement.query([&key]).map_err(map_error)?;
            match rows.next().map_err(map_error)? {
                Some(row) => user_from(row),
                None => Err(StoreError::NotFound),
            }
        })
        .await
    }

    async fn find_api_key(&self, key_hash: [u8; 32]) -> StoreResult<(ApiKeyRecord, UserRecord)> {
        self.read(move |connection, _| {
            let key = connection
                .query_row(
                    "SELECT id, user_id, name, key_hash, expires_at, date_created
                     FROM api_keys WHERE key_hash = ?",
                    [key_hash.as_slice()],
                    |row| {
                        let hash: Vec<u8> = row.get(3)?;
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            hash,
                            row.get::<_, Option<String>>(4)?,
                            row.get::<_, String>(5)?,
                        ))
                    },
                )
                .optional()
                .map_err(map_error)?
                .ok_or(StoreError::NotFound)?;
            let (id, user_id, name, hash, expires_at, date_created) = key;
            let key_hash: [u8; 32] = hash
                .try_into()
                .map_err(|_| unknown_value("key_hash", "of the wrong length"))?;
            let user = get_scoped(
                connection,
                &Scope::All,
                "users",
                USER_COLUMNS,
                &user_id,
                user_from,
            )?;
            let key = ApiKeyRecord {
                id,
                user_id,
                name,
                key_hash,
                expires_at,
                date_created,
            };
            Ok((key, user))
        })
        .await
    }
}
