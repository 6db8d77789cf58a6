-- The first schema. Migrations are never edited once released; add a new file instead.
-- Constraint and index names are shared with the PostgreSQL schema.
-- Dates are RFC 3339 UTC text with milliseconds, which sorts chronologically.
-- name_key columns hold the name lower-cased by the server, for filters and sorting.

-- Facts about the store itself, such as the sealed value that proves the secret key matches.
CREATE TABLE store_meta (
    name TEXT NOT NULL CONSTRAINT store_meta_pkey PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE accounts (
    id TEXT NOT NULL CONSTRAINT accounts_pkey PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    parent_account_id TEXT CONSTRAINT accounts_parent_account_id_fkey REFERENCES accounts (id),
    date_created TEXT NOT NULL,
    date_last_modified TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_modified_by TEXT NOT NULL
);

CREATE INDEX accounts_name_key_idx ON accounts (name_key, id);

CREATE TABLE customers (
    id TEXT NOT NULL CONSTRAINT customers_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT customers_account_id_fkey REFERENCES accounts (id),
    parent_customer_id TEXT CONSTRAINT customers_parent_customer_id_fkey REFERENCES customers (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    reference_id TEXT,
    is_staging INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL DEFAULT '{}',
    integration_id TEXT,
    crm_id TEXT,
    date_last_sync TEXT,
    date_created TEXT NOT NULL,
    date_last_modified TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_modified_by TEXT NOT NULL
);

CREATE INDEX customers_account_id_idx ON customers (account_id, name_key, id);
CREATE INDEX customers_name_key_idx ON customers (name_key, id);
CREATE INDEX customers_parent_customer_id_idx ON customers (parent_customer_id);
CREATE INDEX customers_integration_id_idx ON customers (integration_id, crm_id);

CREATE TABLE integrations (
    id TEXT NOT NULL CONSTRAINT integrations_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT integrations_account_id_fkey REFERENCES accounts (id),
    customer_id TEXT CONSTRAINT integrations_customer_id_fkey REFERENCES customers (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    integration_type TEXT NOT NULL
        CONSTRAINT integrations_integration_type_check
        CHECK (integration_type IN ('HostedSuite', 'OfficeRnd', 'Zoho')),
    -- Settings that may be shown, as JSON.
    settings TEXT NOT NULL DEFAULT '{}',
    -- Secret settings as sealed JSON (XChaCha20-Poly1305); NULL when there are none.
    secrets BLOB,
    automatically_create_customers INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    status_message TEXT,
    is_authorized INTEGER NOT NULL DEFAULT 0,
    date_last_sync TEXT,
    date_created TEXT NOT NULL,
    date_last_modified TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_modified_by TEXT NOT NULL
);

CREATE INDEX integrations_account_id_idx ON integrations (account_id, name_key, id);
CREATE INDEX integrations_name_key_idx ON integrations (name_key, id);
CREATE INDEX integrations_customer_id_idx ON integrations (customer_id);

CREATE TABLE integration_log (
    id TEXT NOT NULL CONSTRAINT integration_log_pkey PRIMARY KEY,
    integration_id TEXT NOT NULL
        CONSTRAINT integration_log_integration_id_fkey REFERENCES integrations (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    level TEXT NOT NULL
        CONSTRAINT integration_log_level_check CHECK (level IN ('Info', 'Warning', 'Error')),
    message TEXT NOT NULL,
    sync_id TEXT
);

CREATE INDEX integration_log_integration_id_idx ON integration_log (integration_id, date);

CREATE TABLE endpoints (
    id TEXT NOT NULL CONSTRAINT endpoints_pkey PRIMARY KEY,
    account_id TEXT NOT NULL CONSTRAINT endpoints_account_id_fkey REFERENCES accounts (id),
    customer_id TEXT CONSTRAINT endpoints_customer_id_fkey REFERENCES customers (id),
    endpoint_type TEXT NOT NULL,
    display_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    reference_id TEXT,
    user_first_name TEXT,
    user_last_name TEXT,
    user_email_address TEXT,
    phone_number TEXT,
    integration_id TEXT,
    crm_id TEXT,
    date_last_sync TEXT,
    date_created TEXT NOT NULL,
    date_last_modified TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_modified_by TEXT NOT NULL
);

CREATE UNIQUE INDEX endpoints_account_id_reference_id_key ON endpoints (account_id, reference_id);
CREATE INDEX endpoints_account_id_idx ON endpoints (account_id, name_key, id);
CREATE INDEX endpoints_name_key_idx ON endpoints (name_key, id);
CREATE INDEX endpoints_customer_id_idx ON endpoints (customer_id);
CREATE INDEX endpoints_integration_id_idx ON endpoints (integration_id, crm_id);

CREATE TABLE users (
    id TEXT NOT NULL CONSTRAINT users_pkey PRIMARY KEY,
    user_name TEXT NOT NULL,
    user_name_key TEXT NOT NULL,
    display_name TEXT,
    email_address TEXT,
    -- Argon2id in PHC string format.
    password_hash TEXT NOT NULL,
    -- JSON arrays of role names and account ids; user_accounts repeats the accounts for queries.
    roles TEXT NOT NULL DEFAULT '[]',
    account_ids TEXT NOT NULL DEFAULT '[]',
    is_system_administrator INTEGER NOT NULL DEFAULT 0,
    customer_id TEXT,
    date_created TEXT NOT NULL,
    date_last_modified TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_modified_by TEXT NOT NULL
);

CREATE UNIQUE INDEX users_user_name_key ON users (user_name_key);

CREATE TABLE user_accounts (
    user_id TEXT NOT NULL CONSTRAINT user_accounts_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL CONSTRAINT user_accounts_account_id_fkey REFERENCES accounts (id),
    CONSTRAINT user_accounts_pkey PRIMARY KEY (user_id, account_id)
);

CREATE INDEX user_accounts_account_id_idx ON user_accounts (account_id);

CREATE TABLE api_keys (
    id TEXT NOT NULL CONSTRAINT api_keys_pkey PRIMARY KEY,
    user_id TEXT NOT NULL CONSTRAINT api_keys_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- SHA-256 of the key; the key itself is never stored.
    key_hash BLOB NOT NULL,
    expires_at TEXT,
    date_created TEXT NOT NULL
);

CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);

-- Failed logins per user name, so that every node slows down guessing alike.
CREATE TABLE login_failures (
    user_name_key TEXT NOT NULL CONSTRAINT login_failures_pkey PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure TEXT NOT NULL
);

-- Login sessions; the id itself is never stored, only its SHA-256.
CREATE TABLE sessions (
    id_hash BLOB NOT NULL CONSTRAINT sessions_pkey PRIMARY KEY,
    user_id TEXT NOT NULL CONSTRAINT sessions_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    persistent INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    date_created TEXT NOT NULL
);

CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
