//! Session logins: `/auth/credentials`, cookies and headers, "remember me", and logout.

mod common;

use common::{TestServer, ADMIN_PASSWORD};
use reqwest::Method;
use serde_json::json;

/// Logs in as the administrator and returns (session id, Set-Cookie headers).
async fn log_in(server: &TestServer, path: &str, remember_me: bool) -> (String, Vec<String>) {
    let reply = server
        .send(
            Method::POST,
            path,
            Some(json!({ "userName": "admin", "password": ADMIN_PASSWORD, "rememberMe": remember_me })),
            None,
        )
        .await
        .expect(200);
    let cookies = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect();
    let body = reply.json();
    assert_eq!(body["userName"], "admin");
    assert_eq!(body["roles"], json!(["SystemAdministrator"]));
    (body["sessionId"].as_str().unwrap().to_owned(), cookies)
}

async fn get_with_cookie(server: &TestServer, path: &str, cookie: &str) -> common::Reply {
    server
        .raw(|client, base| {
            client
                .get(format!("{base}{path}"))
                .header("Cookie", cookie.to_owned())
        })
        .await
}

#[tokio::test]
async fn credentials_login_sets_session_cookie() {
    let server = TestServer::start().await;
    let (session, cookies) = log_in(&server, "/auth/credentials", false).await;
    assert_eq!(
        cookies,
        [format!("ss-id={session}; Path=/; HttpOnly; SameSite=Lax")]
    );
    get_with_cookie(&server, "/integrations", &format!("ss-id={session}"))
        .await
        .expect(200);
    let reply = server
        .raw(|client, base| {
            client
                .get(format!("{base}/integrations"))
                .header("X-ss-id", session.clone())
        })
        .await;
    assert_eq!(reply.status.as_u16(), 200);
}

#[tokio::test]
async fn every_authenticate_route_logs_in() {
    let server = TestServer::start().await;
    for path in [
        "/auth",
        "/auth/credentials",
        "/authenticate",
        "/api/Authenticate",
        "/json/reply/Authenticate",
    ] {
        let (session, _) = log_in(&server, path, false).await;
        get_with_cookie(&server, "/auth/status", &format!("ss-id={session}"))
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn wrong_password_is_401() {
    let server = TestServer::start().await;
    let reply = server
        .send(
            Method::POST,
            "/auth/credentials",
            Some(json!({ "userName": "admin", "password": "nope" })),
            None,
        )
        .await
        .expect(401);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"Unauthorized","message":"Invalid Username or Password","errors":[]}}"#
    );
    assert!(reply.headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn remembered_session_survives_restart() {
    let server = TestServer::start().await;
    let (session, cookies) = log_in(&server, "/auth/credentials", true).await;
    assert!(cookies.contains(&format!(
        "ss-pid={session}; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600"
    )));
    assert!(cookies
        .contains(&"ss-opt=perm; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600".to_owned()));
    let server = server.restart().await;
    get_with_cookie(
        &server,
        "/integrations",
        &format!("ss-opt=perm; ss-pid={session}"),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn logout_ends_session() {
    let server = TestServer::start().await;
    for logout in ["/auth/logout", "/api/Authenticate?provider=logout"] {
        let (session, _) = log_in(&server, "/auth/credentials", false).await;
        let cookie = format!("ss-id={session}");
        let method = if logout.starts_with("/api") {
            "POST"
        } else {
            "GET"
        };
        let reply = server
            .raw(|client, base| {
                client
                    .request(method.parse().unwrap(), format!("{base}{logout}"))
                    .header("Cookie", cookie.clone())
            })
            .await
            .expect(200);
        let cleared: Vec<&str> = reply
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap())
            .collect();
        assert!(
            cleared.contains(&"ss-id=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
            "{cleared:?}"
        );
        get_with_cookie(&server, "/integrations", &cookie)
            .await
            .expect(401);
    }
}

#[tokio::test]
async fn current_session_without_credentials() {
    let server = TestServer::start().await;
    let (session, _) = log_in(&server, "/auth/credentials", false).await;
    let reply = get_with_cookie(&server, "/auth", &format!("ss-id={session}"))
        .await
        .expect(200)
        .json();
    assert_eq!(reply["sessionId"], session.as_str());
    server
        .send(Method::GET, "/auth", None, None)
        .await
        .expect(401);
}

#[tokio::test]
async fn unknown_session_is_anonymous() {
    let server = TestServer::start().await;
    get_with_cookie(&server, "/integrations", "ss-id=made-up")
        .await
        .expect(401);
    get_with_cookie(&server, "/auth/status", "ss-id=made-up")
        .await
        .expect(204);
}

#[tokio::test]
async fn session_ids_are_not_stored() {
    let server = TestServer::start().await;
    let (session, _) = log_in(&server, "/auth/credentials", true).await;
    let server = server.restart().await;
    for entry in std::fs::read_dir(server.folder.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes
            .windows(session.len())
            .any(|window| window == session.as_bytes()));
    }
}

/// Opens the test server's store beside it, as a second node would.
fn open_store(server: &TestServer) -> evo_integrations::store::SqliteStore {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD
        .decode(common::SECRET_KEY)
        .unwrap();
    evo_integrations::store::SqliteStore::open(
        &common::database_path(server.folder.path()),
        evo_integrations::store::SecretCipher::new(&key.try_into().unwrap()),
    )
    .unwrap()
}

#[tokio::test]
async fn expired_session_and_key_are_rejected() {
    use evo_integrations::store::{ApiKeyRecord, SessionRecord, Store};

    let server = TestServer::start().await;
    let status = server.get("/auth/status").await.expect(200).json();
    let user_id = status["userId"].as_str().unwrap().to_owned();
    let store = open_store(&server);
    let past = "2020-01-01T00:00:00.000Z".to_owned();

    let session_id = "an-expired-session-id";
    store
        .insert_session(SessionRecord {
            id_hash: evo_integrations::api::auth::hash_api_key(session_id),
            user_id: user_id.clone(),
            persistent: false,
            expires_at: past.clone(),
            date_created: "2019-12-31T00:00:00.000Z".to_owned(),
        })
        .await
        .unwrap();
    get_with_cookie(&server, "/integrations", &format!("ss-id={session_id}"))
        .await
        .expect(401);

    let key = "evo_expired_key_0000000000000000000000";
    store
        .insert_api_key(ApiKeyRecord {
            id: "expired-key".to_owned(),
            user_id,
            name: "expired".to_owned(),
            key_hash: evo_integrations::api::auth::hash_api_key(key),
            expires_at: Some(past),
            date_created: "2019-12-31T00:00:00.000Z".to_owned(),
        })
        .await
        .unwrap();
    let reply = server
        .send(Method::GET, "/integrations", None, Some(key))
        .await
        .expect(401);
    assert_eq!(
        reply.json()["responseStatus"]["message"],
        "The API key is invalid, revoked or expired."
    );
}

#[tokio::test]
async fn api_key_expiry_must_be_future() {
    let server = TestServer::start().await;
    let status = server.get("/auth/status").await.expect(200).json();
    let user_id = status["userId"].as_str().unwrap();
    let path = format!("/auth/users/{user_id}/api-keys");
    let reply = server
        .post(
            &path,
            json!({ "name": "old", "expiresAt": "2020-01-01T00:00:00Z" }),
        )
        .await
        .expect(400);
    assert_eq!(reply.json()["responseStatus"]["errorCode"], "InvalidDate");
    let created = server
        .post(
            &path,
            json!({ "name": "soon", "expiresAt": "2099-01-01T00:00:00+02:00" }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(created["expiresAt"], "2098-12-31T22:00:00.000Z");
    let key = created["key"].as_str().unwrap();
    server
        .send(Method::GET, "/integrations", None, Some(key))
        .await
        .expect(200);
}

#[tokio::test]
async fn credentials_in_url_are_refused() {
    let server = TestServer::start().await;
    let path = format!("/auth/credentials?userName=admin&password={ADMIN_PASSWORD}");
    let reply = server
        .send(Method::GET, &path, None, None)
        .await
        .expect(405);
    assert_eq!(
        reply.json()["responseStatus"]["message"],
        "Log in with POST, with the credentials in the body."
    );
    assert!(reply.headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn password_change_ends_sessions() {
    let server = TestServer::start().await;
    let (session, _) = log_in(&server, "/auth/credentials", true).await;
    let status = server.get("/auth/status").await.expect(200).json();
    let user_id = status["userId"].as_str().unwrap();
    server
        .patch(
            &format!("/auth/users/{user_id}"),
            json!({ "password": "a new admin password" }),
        )
        .await
        .expect(200);
    get_with_cookie(&server, "/integrations", &format!("ss-id={session}"))
        .await
        .expect(401);
}

#[tokio::test]
async fn foreign_session_header_is_not_echoed() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/auth"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("X-ss-id", "<script>made-up")
                .json(&json!({}))
        })
        .await
        .expect(200);
    assert!(reply.json().get("sessionId").is_none(), "{}", reply.text);
}
