//! The embedded store: SQLite on disk through rusqlite, on tokio's blocking threads.
//!
//! The database runs in WAL mode with `synchronous=FULL`, so an acknowledged write survives a
//! power loss. One connection writes (SQLite allows one writer at a time) and a small pool
//! reads alongside it.

mod rows;
mod store_impl;

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
    include_str!("../migrations/sqlite/0001_initial.sql"),
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
        create_private_file(path)?;
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

/// Creates the database file readable by its owner only when it does not exist yet; SQLite
/// gives its write-ahead log and shared-memory files the same permissions.
fn create_private_file(path: &Path) -> StoreResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(StoreError::backend(error)),
    }
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
