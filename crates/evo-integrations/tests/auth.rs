//! End-to-end tests of authentication and the first start.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{TestServer, ADMIN_API_KEY, ADMIN_PASSWORD};
use reqwest::Method;

fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

#[tokio::test]
async fn anonymous_request_is_401() {
    let server = TestServer::start().await;
    for (method, path) in [
        (Method::GET, "/integrations"),
        (Method::POST, "/integrations"),
        (Method::GET, "/integrations/x"),
        (Method::PATCH, "/integrations/x"),
        (Method::DELETE, "/integrations/x"),
        (Method::GET, "/integrations/x/log"),
        (Method::GET, "/customers"),
        (Method::GET, "/accounts"),
        (Method::GET, "/endpoints"),
        (Method::POST, "/api/NewIntegration"),
        (Method::GET, "/json/reply/ListIntegrations"),
    ] {
        let reply = server.send(method.clone(), path, None, None).await;
        assert_eq!(reply.status.as_u16(), 401, "{method} {path}");
        assert_eq!(
            reply.headers.get("www-authenticate").unwrap(),
            "credentials realm=\"/auth/credentials\"",
            "{method} {path}"
        );
        assert_eq!(
            reply.text,
            r#"{"responseStatus":{"errorCode":"Unauthorized","message":"Authentication required: send 'Authorization: Bearer <API key>' or Basic credentials.","errors":[]}}"#,
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn health_and_status_need_no_credentials() {
    let server = TestServer::start().await;
    let health = server
        .send(Method::GET, "/health", None, None)
        .await
        .expect(200);
    assert_eq!(health.text, "OK");
    let status = server
        .send(Method::GET, "/auth/status", None, None)
        .await
        .expect(204);
    assert_eq!(status.text, "");
}

#[tokio::test]
async fn auth_status_describes_caller() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let status = server.get("/auth/status").await.expect(200).json();
    assert_eq!(status["isAuthenticated"], true);
    assert_eq!(status["userName"], "admin");
    assert_eq!(status["displayName"], "Administrator");
    assert_eq!(status["roles"], serde_json::json!(["SystemAdministrator"]));
    assert_eq!(status["accountIds"], serde_json::json!([account]));
}

#[tokio::test]
async fn basic_credentials_authenticate() {
    let server = TestServer::start().await;
    for _ in 0..2 {
        // The second request is answered from the verified-credentials cache.
        let reply = server
            .raw(|client, base| {
                client
                    .get(format!("{base}/auth/status"))
                    .header("Authorization", basic("ADMIN", ADMIN_PASSWORD))
            })
            .await
            .expect(200);
        assert_eq!(reply.json()["userName"], "admin");
    }
}

#[tokio::test]
async fn wrong_password_is_401() {
    let server = TestServer::start().await;
    for header in [
        basic("admin", "wrong"),
        basic("nobody", ADMIN_PASSWORD),
        "Basic !!!".to_owned(),
    ] {
        let reply = server
            .raw(|client, base| {
                client
                    .get(format!("{base}/integrations"))
                    .header("Authorization", header.clone())
            })
            .await
            .expect(401);
        assert_eq!(
            reply.text,
            r#"{"responseStatus":{"errorCode":"Unauthorized","message":"Invalid Username or Password","errors":[]}}"#
        );
    }
}

#[tokio::test]
async fn unknown_api_key_is_401() {
    let server = TestServer::start().await;
    let reply = server
        .send(
            Method::GET,
            "/integrations",
            None,
            Some("evo_not_a_real_key_000000000"),
        )
        .await
        .expect(401);
    assert_eq!(
        reply.json()["responseStatus"]["message"],
        "The API key is invalid, revoked or expired."
    );
    let reply = server
        .send(
            Method::GET,
            "/auth/status",
            None,
            Some("evo_not_a_real_key_000000000"),
        )
        .await;
    assert_eq!(
        reply.status.as_u16(),
        401,
        "bad credentials on an anonymous route"
    );
}

#[tokio::test]
async fn unsupported_scheme_is_401() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations"))
                .header("Authorization", "Digest username=admin")
        })
        .await
        .expect(401);
    assert_eq!(
        reply.json()["responseStatus"]["message"],
        "The authorization scheme 'Digest' is not supported; use Bearer or Basic."
    );
}

#[tokio::test]
async fn restart_does_not_bootstrap_again() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let server = server.restart().await;
    let accounts = server.get("/accounts").await.expect(200).json();
    assert_eq!(accounts["totalCount"], 1);
    assert_eq!(accounts["items"][0]["id"], account);
    server
        .send(Method::GET, "/auth/status", None, Some(ADMIN_API_KEY))
        .await
        .expect(200);
}

/// Starts the real binary and reads its stderr until the server has started.
fn spawn_binary(
    folder: &std::path::Path,
    envs: &[(&str, &str)],
) -> (std::process::Child, Vec<String>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_evo-integrations"));
    command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(folder)
        .env_remove("EVO_ADMIN_PASSWORD")
        .env_remove("EVO_ADMIN_API_KEY")
        .env_remove("EVO_SECRET_KEY")
        .env_remove("EVO_DATABASE_URL")
        .env("EVO_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in envs {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the binary starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = Vec::new();
    let mut address = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut reader = BufReader::new(stderr).lines();
    for line in reader.by_ref() {
        let line = line.unwrap();
        if line.contains("server started") {
            let event: serde_json::Value = serde_json::from_str(&line).unwrap();
            address = event["fields"]["listen"].as_str().unwrap().to_owned();
            break;
        }
        lines.push(line);
        assert!(
            Instant::now() < deadline,
            "the server did not start: {lines:?}"
        );
    }
    // Keep draining stderr so the server never writes into a closed pipe.
    std::thread::spawn(move || reader.for_each(drop));
    (child, lines, address)
}

#[test]
fn first_start_prints_generated_credentials_once() {
    let folder = tempfile::tempdir().unwrap();
    let (mut child, lines, address) = spawn_binary(folder.path(), &[]);
    child.kill().unwrap();
    child.wait().unwrap();
    let printed: Vec<&String> = lines
        .iter()
        .filter(|line| line.starts_with("Generated"))
        .collect();
    assert_eq!(printed.len(), 2, "{lines:?}");
    assert!(printed[0].starts_with("Generated password for user 'admin': "));
    assert!(printed[1].starts_with("Generated API key for user 'admin': evo_"));
    assert!(!address.is_empty());
    assert!(folder.path().join("evo-integrations.db").exists());
    let key_file = folder.path().join("evo-integrations.db.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let (mut child, lines, _) = spawn_binary(folder.path(), &[]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !lines.iter().any(|line| line.starts_with("Generated")),
        "a second start printed credentials: {lines:?}"
    );
}

#[test]
fn sigterm_stops_server_gracefully() {
    let folder = tempfile::tempdir().unwrap();
    let (mut child, _, address) = spawn_binary(
        folder.path(),
        &[
            ("EVO_ADMIN_API_KEY", ADMIN_API_KEY),
            ("EVO_ADMIN_PASSWORD", ADMIN_PASSWORD),
        ],
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(
        exit.success(),
        "exit status {exit:?} for the server at {address}"
    );
}

#[tokio::test]
async fn failed_logins_are_counted_then_cleared() {
    use evo_integrations::store::{SecretCipher, SqliteStore, Store};

    let server = TestServer::start().await;
    let wrong = basic("Admin", "wrong password");
    for _ in 0..6 {
        server
            .raw(|client, base| {
                client
                    .get(format!("{base}/integrations"))
                    .header("Authorization", wrong.clone())
            })
            .await
            .expect(401);
    }
    let key = base64::engine::general_purpose::STANDARD
        .decode(common::SECRET_KEY)
        .unwrap();
    let store = SqliteStore::open(
        &common::database_path(server.folder.path()),
        SecretCipher::new(&key.try_into().unwrap()),
    )
    .unwrap();
    let (failures, _) = store
        .login_failures("admin")
        .await
        .unwrap()
        .expect("counted");
    assert_eq!(failures, 6);

    // Past the free failures every attempt waits, but the right password still gets in.
    server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations"))
                .header("Authorization", basic("admin", ADMIN_PASSWORD))
        })
        .await
        .expect(200);
    assert_eq!(store.login_failures("admin").await.unwrap(), None);
}
