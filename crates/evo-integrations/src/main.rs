//! The `evo-integrations` command.

use clap::{Parser, Subcommand, ValueEnum};
use evo_integrations::server::{rotate_secret_key, start, Config};
use servicestack::HostConfig;
use tracing_subscriber::EnvFilter;

/// The Evo Voice Integrations API server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the server.
    Serve(ServeArgs),
    /// Re-encrypt every stored secret under a new key, in one transaction. Stop every server
    /// first. The current key comes from EVO_SECRET_KEY or the key file beside the database; the
    /// new one from EVO_NEW_SECRET_KEY, or, when neither variable is set, a new random key file.
    RotateSecretKey(RotateArgs),
}

#[derive(clap::Args)]
struct RotateArgs {
    /// The database: a SQLite file path or sqlite:PATH.
    #[arg(
        long = "database",
        env = "EVO_DATABASE_URL",
        default_value = "evo-integrations.db"
    )]
    database_url: String,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, env = "EVO_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// The database: a SQLite file path or sqlite:PATH; created when missing.
    #[arg(
        long = "database",
        env = "EVO_DATABASE_URL",
        default_value = "evo-integrations.db"
    )]
    database_url: String,
    /// The address clients use to reach the server [default: http:// and the listen address].
    #[arg(long, env = "EVO_PUBLIC_URL")]
    public_url: Option<String>,
    /// The largest request body accepted, in bytes.
    #[arg(long, env = "EVO_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    max_body_bytes: usize,
    /// The deepest nesting of objects and lists a request may contain.
    #[arg(long, env = "EVO_MAX_DEPTH", default_value_t = servicestack::de::DEFAULT_MAX_DEPTH)]
    max_depth: usize,
    /// The log format.
    #[arg(long, env = "EVO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("EVO_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Secrets come from the environment only, so they never show in a process list.
fn env_secret(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, before the
/// server starts, so a signal that arrives during start-up is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    let interrupt = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        match terminate {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM; only Ctrl-C stops the server");
                let _ = interrupt.await;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = interrupt.await;
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            init_logging(args.log_format);
            let config = Config {
                listen: args.listen,
                database_url: args.database_url,
                public_url: args.public_url.clone(),
                host: HostConfig {
                    max_body_bytes: args.max_body_bytes,
                    max_depth: args.max_depth,
                    public_url: args.public_url,
                },
                secret_key: env_secret("EVO_SECRET_KEY"),
                admin_password: env_secret("EVO_ADMIN_PASSWORD"),
                admin_api_key: env_secret("EVO_ADMIN_API_KEY"),
            };
            let signal = shutdown_signal();
            let server = start(config).await?;
            server.run_until(signal).await?;
            tracing::info!("server stopped");
            Ok(())
        }
        Command::RotateSecretKey(args) => {
            init_logging(LogFormat::Text);
            let rotated = rotate_secret_key(
                &args.database_url,
                env_secret("EVO_SECRET_KEY").as_deref(),
                env_secret("EVO_NEW_SECRET_KEY").as_deref(),
            )
            .await?;
            let noun = if rotated == 1 {
                "integration"
            } else {
                "integrations"
            };
            eprintln!("Re-encrypted the secrets of {rotated} {noun} under the new key.");
            Ok(())
        }
    }
}
