//! The end-to-end test harness: a real server on a free loopback port with a fresh database,
//! and one helper per operation.

#![allow(dead_code)]

use std::path::PathBuf;

use evo_integrations::server::{start, Config, Server};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use servicestack::HostConfig;

/// The bootstrap administrator's API key in every test server.
pub const ADMIN_API_KEY: &str = "evo_test_admin_key_0123456789abcdef";
/// The bootstrap administrator's password in every test server.
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";
/// The secret key (base64 of 32 bytes) every test server encrypts with.
pub const SECRET_KEY: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

/// A server under test, with its database folder.
pub struct TestServer {
    pub server: Option<Server>,
    pub base_url: String,
    pub folder: tempfile::TempDir,
    pub client: reqwest::Client,
}

/// A response: status, headers and body text.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text))
    }

    /// Asserts the status, showing the body when it differs.
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        self
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }
}

pub fn config(folder: &std::path::Path) -> Config {
    Config {
        listen: "127.0.0.1:0".to_owned(),
        database_url: database_path(folder).display().to_string(),
        public_url: None,
        host: HostConfig::default(),
        secret_key: Some(SECRET_KEY.to_owned()),
        admin_password: Some(ADMIN_PASSWORD.to_owned()),
        admin_api_key: Some(ADMIN_API_KEY.to_owned()),
    }
}

pub fn database_path(folder: &std::path::Path) -> PathBuf {
    folder.join("test.db")
}

impl TestServer {
    /// Starts a server on a fresh database.
    pub async fn start() -> TestServer {
        let folder = tempfile::tempdir().expect("a temporary folder");
        TestServer::start_in(folder, |_| {}).await
    }

    /// Starts a server on the database in `folder`, after `adjust` changes the configuration.
    pub async fn start_in(
        folder: tempfile::TempDir,
        adjust: impl FnOnce(&mut Config),
    ) -> TestServer {
        let mut config = config(folder.path());
        adjust(&mut config);
        let server = start(config).await.expect("the server starts");
        let base_url = format!("http://{}", server.local_addr);
        TestServer {
            server: Some(server),
            base_url,
            folder,
            client: reqwest::Client::new(),
        }
    }

    /// Shuts the server down and starts a new one on the same database.
    pub async fn restart(mut self) -> TestServer {
        self.server
            .take()
            .expect("running")
            .shut_down()
            .await
            .expect("clean shutdown");
        TestServer::start_in(self.folder, |_| {}).await
    }

    /// Sends a request as the administrator (Bearer API key).
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send(method, path, body, Some(ADMIN_API_KEY)).await
    }

    /// Sends a request with an optional Bearer key and JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.base_url, path));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request.send().await.expect("the request is sent")).await
    }

    /// Sends a raw request built by `build`.
    pub async fn raw(
        &self,
        build: impl FnOnce(&reqwest::Client, &str) -> reqwest::RequestBuilder,
    ) -> Reply {
        let request = build(&self.client, &self.base_url);
        reply(request.send().await.expect("the request is sent")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, None).await
    }

    /// The id of the `Default` account.
    pub async fn default_account(&self) -> String {
        let accounts = self.get("/accounts").await.expect(200).json();
        accounts["items"][0]["id"]
            .as_str()
            .expect("an account")
            .to_owned()
    }

    pub async fn new_account(&self, name: &str) -> String {
        id_of(
            self.post("/accounts", json!({ "name": name }))
                .await
                .expect(200),
        )
    }

    pub async fn new_customer(&self, account_id: &str, name: &str, parent: Option<&str>) -> String {
        let body = json!({ "accountId": account_id, "name": name, "parentCustomerId": parent });
        id_of(self.post("/customers", body).await.expect(200))
    }

    pub async fn new_integration(&self, body: Value) -> Value {
        self.post("/integrations", body).await.expect(200).json()
    }

    pub async fn new_endpoint(&self, body: Value) -> Value {
        self.post("/endpoints", body).await.expect(200).json()
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    Reply {
        status,
        headers,
        text,
    }
}

/// The `id` of an entity in a reply.
pub fn id_of(reply: Reply) -> String {
    reply.json()["id"].as_str().expect("an id").to_owned()
}

/// Returns the ids of a list reply's items, in order.
pub fn item_ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// Returns `ids` sorted, for comparing sets.
pub fn sorted<S: AsRef<str>>(ids: &[S]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| id.as_ref().to_owned()).collect();
    ids.sort();
    ids
}

/// Returns `path` with `pairs` as its percent-encoded query string.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse("http://127.0.0.1").expect("a valid base");
    url.set_path(path);
    url.query_pairs_mut().extend_pairs(pairs);
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// Builds the body of a 400 with one field error.
pub fn field_error_body(code: &str, field: &str, message: &str) -> String {
    format!(
        r#"{{"responseStatus":{{"errorCode":"{code}","message":"{message}","errors":[{{"errorCode":"{code}","fieldName":"{field}","message":"{message}"}}]}}}}"#
    )
}

/// Builds the body of an error without field errors.
pub fn error_body(code: &str, message: &str) -> String {
    format!(r#"{{"responseStatus":{{"errorCode":"{code}","message":"{message}","errors":[]}}}}"#)
}
