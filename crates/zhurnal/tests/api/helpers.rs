//! Starting a real Zhurnal server on a random port, on SQLite or PostgreSQL, with the demo
//! network and a clock the test controls.

use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use zhurnal_core::clock::FixedClock;
use zhurnal_store::{DatabaseUrl, Store};
use zhurnal_web::{AppState, WebConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server to test against, if any. With `ZHURNAL_REQUIRE_POSTGRES=1` its
/// absence fails the test instead of skipping it.
pub fn postgres_url() -> Option<String> {
    match std::env::var("ZHURNAL_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("ZHURNAL_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("ZHURNAL_REQUIRE_POSTGRES=1 but ZHURNAL_TEST_POSTGRES_URL is not set");
            }
            None
        }
    }
}

pub struct TestApp {
    pub url: String,
    pub store: Store,
    pub clock: Arc<FixedClock>,
    pub database: DatabaseUrl,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    PgDatabase { admin_url: String, name: String },
}

pub fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{nanos}_{}",
        std::process::id(),
        zhurnal_web::security::random_token()[..8].to_owned()
    )
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let cut = base
        .rfind('/')
        .filter(|i| *i > "postgres://".len())
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..cut])
}

/// The fixed "now" of the tests: a Saturday of the second quarter, in the morning in
/// Vladivostok (the demo schools' zone).
pub const NOW: &str = "2026-11-28T01:00:00Z";

impl TestApp {
    /// Starts a server with the demo network on `backend`; `None` when PostgreSQL is not
    /// configured (and not required).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, WebConfig::default()).await
    }

    pub async fn spawn_with(backend: Backend, cfg: WebConfig) -> Option<TestApp> {
        Self::spawn_inner(backend, cfg, false).await
    }

    /// The demo with its generated journal of the lessons before [`NOW`].
    pub async fn spawn_filled(backend: Backend) -> Option<TestApp> {
        Self::spawn_inner(backend, WebConfig::default(), true).await
    }

    async fn spawn_inner(backend: Backend, cfg: WebConfig, journal: bool) -> Option<TestApp> {
        let (database, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("zhurnal_test"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                (DatabaseUrl::Sqlite(dir.join("test.db")), Cleanup::Dir(dir))
            }
            Backend::Postgres => {
                let admin_url = postgres_url()?;
                let name = unique("zhurnal_test");
                let admin = sqlx::PgPool::connect(&admin_url)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .expect("create database");
                admin.close().await;
                (
                    DatabaseUrl::Postgres(with_database(&admin_url, &name)),
                    Cleanup::PgDatabase { admin_url, name },
                )
            }
        };
        let clock = Arc::new(FixedClock::at(NOW.parse().expect("time")));
        let store = zhurnal::demo::create(&database, 72, clock.as_ref(), journal)
            .await
            .expect("demo network");
        let state = AppState::new(store.clone(), clock.clone(), cfg).expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            zhurnal_web::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .expect("server");
        });
        Some(TestApp {
            url,
            store,
            clock,
            database,
            shutdown: Some(tx),
            task: Some(task),
            cleanup,
        })
    }

    /// A client with its own cookie jar that does not follow redirects (tests look at them).
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client")
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Logs in through the form like a browser; returns the client holding the session.
    pub async fn web_login(&self, login: &str, password: &str) -> (Client, reqwest::Response) {
        let client = self.client();
        let page = client
            .get(self.at("/login"))
            .send()
            .await
            .expect("GET /login")
            .text()
            .await
            .expect("body");
        let csrf = hidden_value(&page, "csrf").expect("csrf field on the login page");
        let res = client
            .post(self.at("/login"))
            .form(&[
                ("login", login),
                ("password", password),
                ("csrf", csrf.as_str()),
            ])
            .send()
            .await
            .expect("POST /login");
        (client, res)
    }

    /// Logs in and checks it worked.
    pub async fn signed_in(&self, login: &str) -> Client {
        let (client, res) = self.web_login(login, "demo").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login of {login}");
        client
    }

    /// The text of a page, opened by `client`.
    pub async fn page(&self, client: &Client, path: &str) -> String {
        client
            .get(self.at(path))
            .send()
            .await
            .expect("GET page")
            .text()
            .await
            .expect("page body")
    }

    /// Asserts that `table` (which must hold rows) refuses UPDATE, DELETE and, on
    /// PostgreSQL, TRUNCATE — even from the database user, straight past the application.
    pub async fn assert_append_only(&self, table: &str, set: &str) {
        let update = format!("UPDATE {table} SET {set}");
        let delete = format!("DELETE FROM {table}");
        let truncate = format!("TRUNCATE {table}");
        match &self.database {
            DatabaseUrl::Sqlite(path) => {
                let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
                    .await
                    .unwrap();
                for sql in [&update, &delete] {
                    let err = sqlx::query(sql).execute(&pool).await.expect_err(sql);
                    assert!(err.to_string().contains("append-only"), "{err}");
                }
                pool.close().await;
            }
            DatabaseUrl::Postgres(url) => {
                let pool = sqlx::PgPool::connect(url).await.unwrap();
                for sql in [&update, &delete, &truncate] {
                    let err = sqlx::query(sql).execute(&pool).await.expect_err(sql);
                    assert!(err.to_string().contains("append-only"), "{err}");
                }
                pool.close().await;
            }
        }
    }

    /// The JSON answer of an API GET with a bearer token (whatever its status).
    pub async fn api_get(&self, token: &str, path: &str) -> serde_json::Value {
        self.client()
            .get(self.at(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("API GET")
            .json()
            .await
            .expect("JSON body")
    }

    /// The person behind a demo login.
    pub async fn person(&self, login: &str) -> i64 {
        self.store
            .account_by_login(login)
            .await
            .expect("account lookup")
            .unwrap_or_else(|| panic!("no login {login}"))
            .person_id
    }

    /// The demo 7Б's first algebra lesson of the week before [`NOW`] (23–27 November 2026),
    /// which the demo teacher gives and may still change.
    pub async fn algebra_lesson(&self) -> zhurnal_store::LessonRow {
        let class = self.class_id("7Б").await;
        self.store
            .class_lessons(
                1,
                class,
                jiff::civil::Date::constant(2026, 11, 23),
                jiff::civil::Date::constant(2026, 11, 27),
            )
            .await
            .expect("lessons")
            .into_iter()
            .find(|l| l.subject_name == "Алгебра")
            .expect("an algebra lesson")
    }

    /// The demo parent's other child: the demo student's sister in 3А.
    pub async fn sibling(&self) -> i64 {
        let student = self.person("student").await;
        let parent = self.person("parent").await;
        self.store
            .children_of(parent)
            .await
            .expect("children")
            .into_iter()
            .find(|c| c.person_id != student)
            .expect("a second child")
            .person_id
    }

    /// The id of a class of the demo school's current year, by name.
    pub async fn class_id(&self, name: &str) -> i64 {
        self.store
            .school_classes(1, 2026)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no class {name}"))
            .id
    }

    /// A bearer token for a demo login.
    pub async fn token(&self, login: &str) -> String {
        let res = self
            .client()
            .post(self.at("/api/v1/auth/token"))
            .json(&serde_json::json!({ "login": login, "password": "demo" }))
            .send()
            .await
            .expect("token request");
        assert_eq!(res.status(), StatusCode::OK, "token for {login}");
        let body: serde_json::Value = res.json().await.expect("json");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// The CSRF token of a signed-in page.
    pub async fn csrf(&self, client: &Client) -> String {
        let page = client
            .get(self.at("/account"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        hidden_value(&page, "csrf").expect("csrf field")
    }

    pub async fn audit_count(&self, action: &str) -> usize {
        self.store
            .audit_by_action(action, 100_000)
            .await
            .expect("audit")
            .len()
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.store.close().await;
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(admin) = sqlx::PgPool::connect(admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&admin)
                        .await;
                    admin.close().await;
                }
            }
        }
    }
}

impl TestApp {
    /// Submits a form the way a browser does: opens `path` for its CSRF token, then posts
    /// the fields (after `csrf` and `school=1`) back to `path`.
    pub async fn submit(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let page = client
            .get(self.at(path))
            .send()
            .await
            .expect("GET form")
            .text()
            .await
            .expect("body");
        let csrf = hidden_value(&page, "csrf").expect("csrf field");
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str()), ("school", "1")];
        form.extend_from_slice(fields);
        client
            .post(self.at(path))
            .form(&form)
            .send()
            .await
            .expect("POST form")
    }
}

/// The value of `<input type="hidden" name="NAME" value="…">` in a page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Runs a test body against SQLite, and against PostgreSQL when configured.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:path) => {
        $crate::on_both!($name, $body, spawn);
    };
    ($name:ident, $body:path, $spawn:ident) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::$spawn($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("sqlite app");
                $body(&app).await;
                app.stop().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) =
                    $crate::helpers::TestApp::$spawn($crate::helpers::Backend::Postgres).await
                else {
                    eprintln!("PostgreSQL not configured (ZHURNAL_TEST_POSTGRES_URL): skipped");
                    return;
                };
                $body(&app).await;
                app.stop().await;
            }
        }
    };
}

/// `tests/clients`: the published API clients and tools the suite runs.
pub fn clients_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/clients")
}

/// A Python with the published clients and tools of `tests/clients/requirements.txt`
/// (the Dnevnik.ru client `pydnevnikruapi`, the fuzzer `schemathesis`, the OpenAPI validator
/// `openapi-spec-validator`): the one named by
/// `ZHURNAL_CLIENTS_PYTHON`, else a virtual environment `tests/clients/.venv` made once with
/// `python3 -m venv` and pip. Without Python or the package index the tests that need it are
/// skipped, unless `ZHURNAL_REQUIRE_CLIENTS=1` (CI sets it), in which case they fail.
pub fn clients_python() -> Option<std::path::PathBuf> {
    use std::path::{Path, PathBuf};
    use std::process::Command;
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let found = PYTHON.get_or_init(|| {
        if let Ok(p) = std::env::var("ZHURNAL_CLIENTS_PYTHON") {
            return Ok(PathBuf::from(p));
        }
        let venv = clients_dir().join(".venv");
        let py = venv.join("bin/python");
        let ready = |py: &Path| {
            Command::new(py)
                .args([
                    "-c",
                    "import pydnevnikruapi, aiohttp, schemathesis, openapi_spec_validator",
                ])
                .status()
                .is_ok_and(|s| s.success())
        };
        if ready(&py) {
            return Ok(py);
        }
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .map_err(|e| format!("python3: {e}"))?;
        if !made.success() {
            return Err("python3 -m venv failed (apt-get install -y python3-venv)".into());
        }
        // The Dnevnik.ru client declares Python ≥ 3.13 but runs on 3.11 (its code needs 3.10).
        let pip = Command::new(&py)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--ignore-requires-python",
                "-r",
            ])
            .arg(clients_dir().join("requirements.txt"))
            .status()
            .map_err(|e| format!("pip: {e}"))?;
        if pip.success() && ready(&py) {
            Ok(py)
        } else {
            Err("pip could not install tests/clients/requirements.txt".into())
        }
    });
    match found {
        Ok(p) => Some(p.clone()),
        Err(why) if std::env::var("ZHURNAL_REQUIRE_CLIENTS").as_deref() == Ok("1") => {
            panic!("the published API clients are required (ZHURNAL_REQUIRE_CLIENTS=1): {why}")
        }
        Err(why) => {
            eprintln!("API clients: SKIPPED ({why})");
            None
        }
    }
}

/// A multipart body as a browser sends it: the fields, then the file.
pub fn multipart(fields: &[(&str, &str)], file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----zhurnal-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
