//! Secrets set during a run never appear in the database file, the server's log or any response
//! but the one that creates an API key.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{json, Value};

const ADMIN_KEY: &str = "evo_secrets_test_admin_key_000000000000";
const ADMIN_PASSWORD: &str = "admin-password-secret-4f1c";

struct Running {
    child: Child,
    base: String,
    log: Arc<Mutex<Vec<String>>>,
}

/// Starts the real binary with debug logging, collecting every log line.
fn start(folder: &std::path::Path) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_evo-integrations"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .current_dir(folder)
        .env("EVO_ADMIN_API_KEY", ADMIN_KEY)
        .env("EVO_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("EVO_LOG", "debug")
        .env_remove("EVO_SECRET_KEY")
        .env_remove("EVO_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut base = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        log.lock().unwrap().push(line.clone());
        if line.contains("server started") {
            let event: Value = serde_json::from_str(&line).unwrap();
            base = format!("http://{}", event["fields"]["listen"].as_str().unwrap());
            break;
        }
    }
    assert!(!base.is_empty(), "the server did not start");
    let sink = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Running { child, base, log }
}

#[tokio::test]
async fn secrets_never_leak() {
    let folder = tempfile::tempdir().unwrap();
    let mut server = start(folder.path());
    let client = reqwest::Client::new();
    let base = server.base.clone();
    let mut responses = Vec::new();
    let mut created_key = String::new();

    let settings_secret = "hostedsuite-password-9c2e";
    let user_password = "manager-password-secret-77a1";
    let call = |method: reqwest::Method, path: &str, body: Option<Value>, auth: Option<String>| {
        let mut request = client.request(method, format!("{base}{path}"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request = request.header(
            "Authorization",
            auth.unwrap_or_else(|| format!("Bearer {ADMIN_KEY}")),
        );
        request.send()
    };

    let created = call(
        reqwest::Method::POST,
        "/integrations",
        Some(json!({ "type": "HostedSuite", "name": "HS" })),
        None,
    )
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    responses.push(created);
    let steps = [
        (
            reqwest::Method::PATCH,
            format!("/integrations/{id}"),
            Some(json!({ "settings": { "Password": { "stringValue": settings_secret } } })),
        ),
        (reqwest::Method::GET, format!("/integrations/{id}"), None),
        (
            reqwest::Method::GET,
            format!("/integrations/{id}?format=jsv"),
            None,
        ),
        (
            reqwest::Method::GET,
            format!("/integrations/{id}.xml"),
            None,
        ),
        (
            reqwest::Method::GET,
            format!("/integrations/{id}.csv"),
            None,
        ),
        (
            reqwest::Method::GET,
            format!("/integrations/{id}/log"),
            None,
        ),
        (
            reqwest::Method::GET,
            "/integrations?format=jsonl".to_owned(),
            None,
        ),
        (
            reqwest::Method::POST,
            "/auth/users".to_owned(),
            Some(
                json!({ "userName": "manager", "password": user_password, "roles": ["SystemAdministrator"] }),
            ),
        ),
    ];
    for (method, path, body) in steps {
        let reply = call(method, &path, body, None).await.unwrap();
        assert!(reply.status().is_success(), "{path}");
        responses.push(reply.text().await.unwrap());
    }
    let users: Value = serde_json::from_str(
        &call(
            reqwest::Method::GET,
            "/auth/users?nameFilter=manager",
            None,
            None,
        )
        .await
        .unwrap()
        .text()
        .await
        .unwrap(),
    )
    .unwrap();
    let user_id = users["items"][0]["id"].as_str().unwrap().to_owned();
    let key_reply: Value = serde_json::from_str(
        &call(
            reqwest::Method::POST,
            &format!("/auth/users/{user_id}/api-keys"),
            Some(json!({ "name": "k" })),
            None,
        )
        .await
        .unwrap()
        .text()
        .await
        .unwrap(),
    )
    .unwrap();
    created_key.push_str(key_reply["key"].as_str().unwrap());

    // Use every credential, right and wrong, so the log sees them all.
    let basic = |user: &str, password: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        )
    };
    for auth in [
        basic("manager", user_password),
        basic("manager", "wrong-password-secret-1b2b"),
        format!("Bearer {created_key}"),
    ] {
        let reply = call(reqwest::Method::GET, "/integrations", None, Some(auth))
            .await
            .unwrap();
        responses.push(reply.text().await.unwrap());
    }
    let login = client
        .post(format!("{base}/auth/credentials"))
        .json(&json!({ "userName": "manager", "password": user_password }))
        .send()
        .await
        .unwrap();
    let session: Value = login.json().await.unwrap();
    let session_id = session["sessionId"].as_str().unwrap().to_owned();
    let reply = client
        .get(format!("{base}/integrations"))
        .header("Cookie", format!("ss-id={session_id}"))
        .send()
        .await
        .unwrap();
    responses.push(reply.text().await.unwrap());

    server.child.kill().unwrap();
    server.child.wait().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let log = server.log.lock().unwrap().join("\n");
    assert!(
        log.contains("\"http.route\":\"GetIntegration\""),
        "the log has request lines"
    );

    let secrets = [
        settings_secret,
        user_password,
        "wrong-password-secret-1b2b",
        ADMIN_PASSWORD,
        ADMIN_KEY,
        created_key.as_str(),
        session_id.as_str(),
    ];
    for secret in secrets {
        assert!(!log.contains(secret), "the log holds {secret}");
        for response in &responses {
            assert!(
                !response.contains(secret),
                "a response holds {secret}: {response}"
            );
        }
        for entry in std::fs::read_dir(folder.path()).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes
                .windows(secret.len())
                .any(|window| window == secret.as_bytes());
            assert!(!found, "{} holds {secret}", path.display());
        }
    }
}
