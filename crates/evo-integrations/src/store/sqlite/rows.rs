//! Row layouts of the SQLite tables: column lists, row mappers and bound values.

use super::*;

// Accounts.

pub(super) const ACCOUNT_COLUMNS: &str =
    "id, name, parent_account_id, date_created, date_last_modified, created_by, last_modified_by";

pub(super) fn account_from(row: &Row<'_>) -> StoreResult<AccountRecord> {
    Ok(AccountRecord {
        id: get(row, 0)?,
        name: get(row, 1)?,
        parent_account_id: get(row, 2)?,
        ancestor_ids: Vec::new(),
        audit: audit_from(row, 3)?,
    })
}

pub(super) fn insert_account(
    transaction: &Transaction<'_>,
    account: &AccountRecord,
) -> StoreResult<()> {
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
pub(super) fn fill_ancestors(
    connection: &Connection,
    accounts: &mut [AccountRecord],
) -> StoreResult<()> {
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

pub(super) const CUSTOMER_COLUMNS: &str =
    "id, account_id, parent_customer_id, name, reference_id, \
     is_staging, data, integration_id, crm_id, date_last_sync, \
     date_created, date_last_modified, created_by, last_modified_by";

pub(super) fn customer_from(row: &Row<'_>) -> StoreResult<CustomerRecord> {
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

pub(super) fn customer_values(
    customer: &CustomerRecord,
) -> StoreResult<Vec<Box<dyn ToSql + Send>>> {
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
pub(super) fn check_customer_position(
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

pub(super) const INTEGRATION_COLUMNS: &str =
    "id, account_id, customer_id, name, integration_type, \
     settings, secrets, automatically_create_customers, status, status_message, is_authorized, \
     date_last_sync, date_created, date_last_modified, created_by, last_modified_by";

/// The associated data that binds an integration's sealed secrets to its row.
pub(super) fn secrets_context(integration_id: &str) -> Vec<u8> {
    format!("integrations.secrets:{integration_id}").into_bytes()
}

pub(super) fn integration_from(
    row: &Row<'_>,
    cipher: &SecretCipher,
) -> StoreResult<IntegrationRecord> {
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

pub(super) fn integration_values(
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

pub(super) fn insert_log(transaction: &Transaction<'_>, entry: &LogRecord) -> StoreResult<()> {
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

pub(super) const LOG_COLUMNS: &str = "id, integration_id, date, level, message, sync_id";

pub(super) fn log_from(row: &Row<'_>) -> StoreResult<LogRecord> {
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

pub(super) const ENDPOINT_COLUMNS: &str =
    "id, account_id, customer_id, endpoint_type, display_name, \
     reference_id, user_first_name, user_last_name, user_email_address, phone_number, \
     integration_id, crm_id, date_last_sync, \
     date_created, date_last_modified, created_by, last_modified_by";

pub(super) fn endpoint_from(row: &Row<'_>) -> StoreResult<EndpointRecord> {
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

pub(super) fn endpoint_values(endpoint: &EndpointRecord) -> Vec<Box<dyn ToSql + Send>> {
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

pub(super) const USER_COLUMNS: &str =
    "id, user_name, display_name, email_address, password_hash, roles, \
     account_ids, customer_id, date_created, date_last_modified, created_by, last_modified_by";

pub(super) fn user_from(row: &Row<'_>) -> StoreResult<UserRecord> {
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

pub(super) fn insert_user(transaction: &Transaction<'_>, user: &UserRecord) -> StoreResult<()> {
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

pub(super) fn user_values(user: &UserRecord) -> StoreResult<Vec<Box<dyn ToSql + Send>>> {
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
pub(super) fn write_user_accounts(
    transaction: &Transaction<'_>,
    user: &UserRecord,
) -> StoreResult<()> {
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

pub(super) fn insert_api_key(transaction: &Transaction<'_>, key: &ApiKeyRecord) -> StoreResult<()> {
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

pub(super) fn api_key_from(row: &Row<'_>) -> StoreResult<ApiKeyRecord> {
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
pub(super) struct ScopedUsers {
    pub(super) filter: UserFilter,
    pub(super) scope: Scope,
}

impl Filter for ScopedUsers {
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = UserFilter::SORT_COLUMNS;

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        self.filter.write_conditions(sql);
        sql.user_scope(&self.scope);
    }
}
