//! Configuration, start-up and shutdown of the server.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use servicestack::HostConfig;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::auth::{
    bootstrap, generate_api_key, generate_password, Authenticator, Bootstrap, BootstrapCredentials,
    MIN_API_KEY_LENGTH,
};
use crate::api::{router, App, AppState};
use crate::store::{SecretCipher, SqliteStore, Store};

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// The address to listen on; port 0 picks a free port.
    pub listen: String,
    /// `sqlite:PATH`, `sqlite://PATH` or a plain file path.
    pub database_url: String,
    /// The address clients use; `http://` and the listen address when not set.
    pub public_url: Option<String>,
    /// The request limits.
    pub host: HostConfig,
    /// The base64 key that encrypts secrets; a key file beside the database when not set.
    pub secret_key: Option<String>,
    /// The first administrator's password; generated and printed once when not set.
    pub admin_password: Option<String>,
    /// The first administrator's API key; generated and printed once when not set.
    pub admin_api_key: Option<String>,
}

/// Opens the lock file beside a database and takes its lock: shared for a server, so several
/// may run, or exclusive for a key rotation, which must run alone.
fn lock_database(database: &Path, exclusive: bool) -> anyhow::Result<std::fs::File> {
    let mut path = database.as_os_str().to_owned();
    path.push(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the lock file {}", PathBuf::from(&path).display()))?;
    let locked = if exclusive {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match locked {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) if exclusive => bail!(
            "a server is using the database {}: stop every server first",
            database.display()
        ),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "the secret key of the database {} is being rotated: start the server when it ends",
            database.display()
        ),
        Err(std::fs::TryLockError::Error(error)) => {
            Err(error).context("locking the database's lock file")
        }
    }
}

/// A running server.
pub struct Server {
    /// The address the server listens on.
    pub local_addr: SocketAddr,
    /// The address clients use.
    pub public_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    /// Held while the server runs, so that a key rotation cannot run beside it.
    _database_lock: std::fs::File,
}

impl Server {
    /// Stops accepting connections, lets requests in flight finish, and waits for the end.
    pub async fn shut_down(mut self) -> anyhow::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        (&mut self.task).await??;
        Ok(())
    }

    /// Waits until the server stops after `signal` completes.
    pub async fn run_until(mut self, signal: impl Future<Output = ()>) -> anyhow::Result<()> {
        tokio::select! {
            () = signal => {
                tracing::info!("shutting down: finishing requests in flight");
                self.shut_down().await
            }
            result = &mut self.task => {
                result??;
                Ok(())
            }
        }
    }
}

/// The SQLite file a database URL names.
pub fn sqlite_path(database_url: &str) -> anyhow::Result<PathBuf> {
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .unwrap_or(database_url);
    if path.contains("://") {
        bail!(
            "unsupported database URL '{database_url}': only SQLite is built so far \
             (sqlite:PATH or a file path)"
        );
    }
    if path.is_empty() {
        bail!("the database URL names no file");
    }
    Ok(PathBuf::from(path))
}

/// The key file beside a database: its path with `.key` appended.
pub fn key_file_path(database: &Path) -> PathBuf {
    let mut key_file = database.as_os_str().to_owned();
    key_file.push(".key");
    PathBuf::from(key_file)
}

/// Re-encrypts every secret of the database under a new key, in one transaction.
///
/// With `new_key` (base64 of 32 bytes) the caller stores it, as `EVO_SECRET_KEY`, on every node.
/// Without it, and without `EVO_SECRET_KEY`, a new random key replaces the key file: it is
/// written beside the old one first and renamed into place once the database has committed, so
/// a failure at any step leaves a key that opens the database. Stop every server first.
pub async fn rotate_secret_key(
    database_url: &str,
    current_key: Option<&str>,
    new_key: Option<&str>,
) -> anyhow::Result<usize> {
    let database = sqlite_path(database_url)?;
    if !database.exists() {
        bail!("the database {} does not exist", database.display());
    }
    let _lock = lock_database(&database, true)?;
    let key_file = key_file_path(&database);
    let old_cipher = match current_key {
        Some(key) => SecretCipher::from_base64(key)?,
        None => SecretCipher::from_key_file(&key_file)?,
    };
    let store = {
        let path = database.clone();
        tokio::task::spawn_blocking(move || SqliteStore::open(&path, old_cipher)).await??
    };

    let (new_cipher, pending_file) = match new_key {
        Some(key) => (SecretCipher::from_base64(key)?, None),
        None if current_key.is_some() => bail!(
            "EVO_SECRET_KEY is set, so give the new key in EVO_NEW_SECRET_KEY (base64 of 32 bytes)"
        ),
        None => {
            let mut pending = key_file.as_os_str().to_owned();
            pending.push(".new");
            let pending = PathBuf::from(pending);
            if pending.exists() {
                bail!(
                    "{} exists from an earlier rotation: check which key opens the database \
                     before removing it",
                    pending.display()
                );
            }
            (SecretCipher::from_key_file(&pending)?, Some(pending))
        }
    };

    let rotated = store.rotate_secret_key(new_cipher).await?;
    if let Some(pending) = pending_file {
        std::fs::rename(&pending, &key_file).with_context(|| {
            format!(
                "the database now uses the key in {}; move it to {}",
                pending.display(),
                key_file.display()
            )
        })?;
    }
    Ok(rotated)
}

fn secret_cipher(config: &Config, database: &Path) -> anyhow::Result<SecretCipher> {
    if let Some(key) = &config.secret_key {
        return Ok(SecretCipher::from_base64(key)?);
    }
    let key_file = key_file_path(database);
    // A new key for an existing database could never open its secrets.
    if database.exists() && !key_file.exists() {
        bail!(
            "the database {} exists but its key file {} is missing: restore the key file, or set \
             EVO_SECRET_KEY to the key the database was encrypted with",
            database.display(),
            key_file.display()
        );
    }
    Ok(SecretCipher::from_key_file(&key_file)?)
}

/// Opens the store, creates the first administrator when needed, and starts serving.
///
/// Everything that can fail is checked before the first administrator's credentials are
/// generated and printed, so a start that prints them does not then fail.
pub async fn start(config: Config) -> anyhow::Result<Server> {
    if let Some(key) = &config.admin_api_key {
        if key.chars().count() < MIN_API_KEY_LENGTH {
            bail!("EVO_ADMIN_API_KEY must be at least {MIN_API_KEY_LENGTH} characters long");
        }
    }
    let listener = TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let database = sqlite_path(&config.database_url)?;
    let database_lock = lock_database(&database, false)?;
    let cipher = secret_cipher(&config, &database)?;
    let store = {
        let path = database.clone();
        tokio::task::spawn_blocking(move || SqliteStore::open(&path, cipher))
            .await?
            .with_context(|| format!("opening the database {}", database.display()))?
    };
    let store: Arc<dyn Store> = Arc::new(store);
    bootstrap_admin(store.as_ref(), &config).await?;

    let local_addr = listener.local_addr()?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local_addr}"));

    let app = App(Arc::new(AppState {
        store,
        authenticator: Authenticator::new(),
        secure_cookies: public_url.starts_with("https://"),
    }));
    let router = router(app, config.host);
    let (shutdown, shutdown_signal) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = shutdown_signal.await;
            })
            .await
    });
    tracing::info!(
        listen = %local_addr,
        public_url = %public_url,
        database = %database.display(),
        "server started"
    );
    Ok(Server {
        local_addr,
        public_url,
        shutdown: Some(shutdown),
        task,
        _database_lock: database_lock,
    })
}

/// Creates account `Default` and user `admin` on an empty database, printing the credentials
/// that were generated (the one time a secret is ever printed).
async fn bootstrap_admin(store: &dyn Store, config: &Config) -> anyhow::Result<()> {
    let credentials = BootstrapCredentials {
        password: config
            .admin_password
            .clone()
            .unwrap_or_else(generate_password),
        api_key: config
            .admin_api_key
            .clone()
            .unwrap_or_else(generate_api_key),
    };
    if let Bootstrap::Created = bootstrap(store, &credentials).await? {
        tracing::info!("created account 'Default' and the SystemAdministrator 'admin'");
        if config.admin_password.is_none() {
            eprintln!(
                "Generated password for user 'admin': {}",
                credentials.password
            );
        }
        if config.admin_api_key.is_none() {
            eprintln!(
                "Generated API key for user 'admin': {}",
                credentials.api_key
            );
        }
        if config.admin_password.is_none() || config.admin_api_key.is_none() {
            eprintln!("These are shown only once: store them now.");
        }
    }
    Ok(())
}
