//! Start-up checks: a wrong or missing secret key, and failures before credentials are printed.

mod common;

use std::process::Command;

use common::{config, TestServer};
use evo_integrations::server::{rotate_secret_key, start};

#[tokio::test]
async fn wrong_secret_key_stops_start() {
    let server = TestServer::start().await;
    let folder = server.folder;
    server.server.unwrap().shut_down().await.unwrap();

    let mut other_key = config(folder.path());
    other_key.secret_key = Some("Hx8pMBm0XKiVwA3c0lqfn2r0Y1mRzj0x9Jv3dZ2cRkE=".to_owned());
    let error = start(other_key).await.err().expect("the start fails");
    let message = format!("{error:#}");
    assert!(
        message.contains("the secret key does not match the one this database was encrypted with"),
        "{message}"
    );
}

#[tokio::test]
async fn missing_key_file_stops_start() {
    let folder = tempfile::tempdir().unwrap();
    let mut first = config(folder.path());
    first.secret_key = None;
    start(first.clone())
        .await
        .unwrap()
        .shut_down()
        .await
        .unwrap();
    let key_file = folder.path().join("test.db.key");
    assert!(key_file.exists());
    std::fs::remove_file(&key_file).unwrap();

    let error = start(first).await.err().expect("the start fails");
    let message = format!("{error:#}");
    assert!(message.contains("exists but its key file"), "{message}");
    assert!(
        !key_file.exists(),
        "a new key file was created for an old database"
    );
}

#[test]
fn bad_listen_address_fails_before_credentials() {
    let folder = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_evo-integrations"))
        .args(["serve", "--listen", "nonsense"])
        .current_dir(folder.path())
        .env_remove("EVO_ADMIN_PASSWORD")
        .env_remove("EVO_ADMIN_API_KEY")
        .env_remove("EVO_SECRET_KEY")
        .env_remove("EVO_DATABASE_URL")
        .env_remove("EVO_LISTEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("listening on nonsense"), "{stderr}");
    assert!(!stderr.contains("Generated"), "{stderr}");
    assert!(!folder.path().join("evo-integrations.db").exists());
}

#[tokio::test]
async fn too_many_filter_ids_is_400() {
    let server = TestServer::start().await;
    let ids: Vec<String> = (0..1001).map(|index| format!("id{index}")).collect();
    let reply = server
        .post(
            "/api/ListIntegrations",
            serde_json::json!({ "specificIds": ids }),
        )
        .await
        .expect(400);
    assert_eq!(
        reply.text,
        r#"{"responseStatus":{"errorCode":"MaximumCount","message":"'Specific Ids' may hold at most 1000 items. You entered 1001.","errors":[{"errorCode":"MaximumCount","fieldName":"SpecificIds","message":"'Specific Ids' may hold at most 1000 items. You entered 1001."}]}}"#
    );
    let reply = server
        .post(
            "/api/ListIntegrations",
            serde_json::json!({ "customerIds": ids }),
        )
        .await
        .expect(400);
    assert_eq!(
        reply.json()["responseStatus"]["errors"][0]["fieldName"],
        "CustomerIds"
    );
}

#[tokio::test]
async fn jsv_error_names_place_once() {
    let server = TestServer::start().await;
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(common::ADMIN_API_KEY)
                .header("Content-Type", "text/jsv")
                .body("{type:Nope,name:x}")
        })
        .await
        .expect(400);
    // Without an Accept header the answer comes in the body's format.
    let error: servicestack::error::ErrorResponse = jsv::from_str(&reply.text).unwrap();
    let message = error.response_status.message;
    assert_eq!(message.matches("line").count(), 1, "{message}");
    assert!(message.contains("unknown variant `Nope`"), "{message}");
}

#[tokio::test]
async fn list_for_object_member_is_400() {
    let server = TestServer::start().await;
    let reply = server
        .post(
            "/customers",
            serde_json::json!({ "name": "arr", "data": { "k": [true, "s"] } }),
        )
        .await
        .expect(400);
    let status = &reply.json()["responseStatus"];
    assert_eq!(status["errorCode"], "SerializationException");
    assert_eq!(status["errors"][0]["fieldName"], "Data.k");
}

/// Sets a HostedSuite password and returns the integration's id.
async fn integration_with_secret(server: &TestServer) -> String {
    let info = server
        .new_integration(serde_json::json!({ "type": "HostedSuite", "name": "HS" }))
        .await;
    let id = info["id"].as_str().unwrap().to_owned();
    server
        .patch(
            &format!("/integrations/{id}"),
            serde_json::json!({ "settings": {
                "CustomerName": { "stringValue": "acme" },
                "UserName": { "stringValue": "sync" },
                "Password": { "stringValue": "rotated-secret" },
            } }),
        )
        .await
        .expect(200);
    id
}

#[tokio::test]
async fn rotating_key_file_keeps_secrets() {
    let server = TestServer::start_in(tempfile::tempdir().unwrap(), |config| {
        config.secret_key = None;
    })
    .await;
    let id = integration_with_secret(&server).await;
    let folder = server.folder;
    server.server.unwrap().shut_down().await.unwrap();
    let database = common::database_path(folder.path());
    let key_file = folder.path().join("test.db.key");
    let old_key = std::fs::read_to_string(&key_file).unwrap();

    let rotated = rotate_secret_key(&database.display().to_string(), None, None)
        .await
        .unwrap();
    assert_eq!(rotated, 1);
    assert_ne!(std::fs::read_to_string(&key_file).unwrap(), old_key);
    assert!(!folder.path().join("test.db.key.new").exists());

    let server = TestServer::start_in(folder, |config| config.secret_key = None).await;
    let info = server
        .get(&format!("/integrations/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(info["settings"]["Password"]["stringValue"], "********");
    assert_eq!(info["status"], "OK");
}

#[tokio::test]
async fn rotating_environment_key_needs_new_key() {
    let server = TestServer::start().await;
    let id = integration_with_secret(&server).await;
    let folder = server.folder;
    server.server.unwrap().shut_down().await.unwrap();
    let database = common::database_path(folder.path()).display().to_string();

    let error = rotate_secret_key(&database, Some(common::SECRET_KEY), None)
        .await
        .unwrap_err();
    assert!(
        format!("{error:#}").contains("EVO_NEW_SECRET_KEY"),
        "{error:#}"
    );

    let new_key = "Hx8pMBm0XKiVwA3c0lqfn2r0Y1mRzj0x9Jv3dZ2cRkE=";
    rotate_secret_key(&database, Some(common::SECRET_KEY), Some(new_key))
        .await
        .unwrap();
    let old = start(config(folder.path()))
        .await
        .err()
        .expect("the old key is rejected");
    assert!(format!("{old:#}").contains("does not match"), "{old:#}");
    let server = TestServer::start_in(folder, |config| {
        config.secret_key = Some(new_key.to_owned());
    })
    .await;
    server.get(&format!("/integrations/{id}")).await.expect(200);
}

#[tokio::test]
async fn rotation_refuses_running_server() {
    let server = TestServer::start().await;
    let database = common::database_path(server.folder.path())
        .display()
        .to_string();
    let error = rotate_secret_key(
        &database,
        Some(common::SECRET_KEY),
        Some("Hx8pMBm0XKiVwA3c0lqfn2r0Y1mRzj0x9Jv3dZ2cRkE="),
    )
    .await
    .unwrap_err();
    assert!(
        format!("{error:#}").contains("stop every server first"),
        "{error:#}"
    );
    server.get("/integrations").await.expect(200);
}

#[cfg(unix)]
#[tokio::test]
async fn database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let server = TestServer::start().await;
    let mode = std::fs::metadata(common::database_path(server.folder.path()))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
