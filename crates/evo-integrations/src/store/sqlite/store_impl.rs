//! The `Store` implementation of the SQLite store.

use super::rows::*;
use super::*;

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

    async fn delete_user_sessions(&self, user_id: &str) -> StoreResult<()> {
        let user_id = user_id.to_owned();
        self.write(move |transaction, _| {
            transaction
                .execute("DELETE FROM sessions WHERE user_id = ?", [&user_id])
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
                let plaintext = old_cipher.open(sealed, &context).map_err(|_| {
                    StoreError::Backend(
                        format!(
                            "the secrets of integration {id} do not open with the current key, \
                             so nothing was rotated"
                        )
                        .into(),
                    )
                })?;
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

    async fn record_login_attempt(
        &self,
        user_name: &str,
        now: &str,
        forget_before: &str,
    ) -> StoreResult<i64> {
        let (key, now, cutoff) = (
            user_name.to_lowercase(),
            now.to_owned(),
            forget_before.to_owned(),
        );
        self.write(move |transaction, _| {
            transaction
                .query_row(
                    "INSERT INTO login_failures (user_name_key, failures, last_failure)
                     VALUES (?1, 1, ?2)
                     ON CONFLICT (user_name_key) DO UPDATE SET
                         failures = CASE WHEN last_failure < ?3 THEN 1 ELSE failures + 1 END,
                         last_failure = ?2
                     RETURNING failures",
                    [&key, &now, &cutoff],
                    |row| row.get(0),
                )
                .map_err(map_error)
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
