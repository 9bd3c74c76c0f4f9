//! Opening a database: URL parsing, SQLite pragmas read back, PostgreSQL durability settings,
//! embedded migrations.

use crate::{Db, Result, Store, StoreError};
use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// How long a SQLite writer waits for the lock before reporting "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A database location as the user writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (relative to the working directory) or `sqlite:///ABS/PATH`.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to the driver as is.
    Postgres(String),
}

impl FromStr for DatabaseUrl {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        if let Some(rest) = s.strip_prefix("sqlite://") {
            // Drop a query string such as ?mode=rwc: Zhurnal sets its own options.
            let path = rest.split('?').next().unwrap_or(rest);
            if path.is_empty() {
                return Err(StoreError::Config(
                    "sqlite URL has no path; write sqlite://zhurnal.db or sqlite:///var/lib/zhurnal/zhurnal.db".into(),
                ));
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(s.to_owned()))
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL «{}»; use sqlite://PATH, sqlite:///ABS/PATH or postgres://…",
                redact(s)
            )))
        }
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => f.write_str(&redact(u)),
        }
    }
}

/// Hides a password in a URL before it reaches a log or an error message.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The durability settings read back from the database at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurabilityReport(pub Vec<(String, String)>);

impl Store {
    /// Opens (creating a SQLite file if needed), checks durability settings, and migrates.
    pub async fn connect(url: &DatabaseUrl) -> Result<Store> {
        let store = match url {
            DatabaseUrl::Sqlite(path) => open_sqlite(path).await?,
            DatabaseUrl::Postgres(u) => open_postgres(u).await?,
        };
        store.durability().await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Deletes everything at `url` (the demo recreates its database): a SQLite file with its
    /// WAL, or every table of a PostgreSQL database's `public` schema.
    pub async fn wipe(url: &DatabaseUrl) -> Result<()> {
        match url {
            DatabaseUrl::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    match std::fs::remove_file(&p) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(StoreError::Config(format!(
                                "cannot remove {}: {e}",
                                PathBuf::from(p).display()
                            )));
                        }
                    }
                }
            }
            DatabaseUrl::Postgres(u) => {
                let pool = PgPoolOptions::new().max_connections(1).connect(u).await?;
                sqlx::raw_sql("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
                    .execute(&pool)
                    .await?;
                pool.close().await;
            }
        }
        Ok(())
    }

    /// Applies the embedded migrations of the backend.
    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Reads back the settings that make an acknowledged write survive a power cut
    /// (SECURITY.md R8) and refuses to go on if any differs.
    pub async fn durability(&self) -> Result<DurabilityReport> {
        let mut report = Vec::new();
        match &self.db {
            Db::Sqlite { read, write, .. } => {
                for (pool, name) in [(write, "writer"), (read, "reader")] {
                    let mut conn = pool.acquire().await?;
                    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
                        .fetch_one(&mut *conn)
                        .await?;
                    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                        .fetch_one(&mut *conn)
                        .await?;
                    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                        .fetch_one(&mut *conn)
                        .await?;
                    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
                        .fetch_one(&mut *conn)
                        .await?;
                    let want_busy = BUSY_TIMEOUT.as_millis() as i64;
                    let checks = [
                        ("journal_mode", journal.to_lowercase(), "wal".to_owned()),
                        ("synchronous", sync.to_string(), "2".to_owned()), // 2 = FULL
                        ("foreign_keys", fk.to_string(), "1".to_owned()),
                        ("busy_timeout", busy.to_string(), want_busy.to_string()),
                    ];
                    for (key, got, want) in checks {
                        if got != want {
                            return Err(StoreError::Config(format!(
                                "SQLite {name} connection has {key}={got}, Zhurnal requires {want}"
                            )));
                        }
                        report.push((format!("{name}.{key}"), got));
                    }
                }
            }
            Db::Postgres(pool) => {
                for (key, sql) in [
                    ("fsync", "SHOW fsync"),
                    ("synchronous_commit", "SHOW synchronous_commit"),
                    ("full_page_writes", "SHOW full_page_writes"),
                ] {
                    let got: String = sqlx::query_scalar(sql).fetch_one(pool).await?;
                    if got != "on" {
                        return Err(StoreError::Config(format!(
                            "PostgreSQL has {key}={got}; Zhurnal requires {key}=on so that an acknowledged mark survives a crash"
                        )));
                    }
                    report.push((key.to_owned(), got));
                }
            }
        }
        Ok(DurabilityReport(report))
    }
}

async fn open_sqlite(path: &std::path::Path) -> Result<Store> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", dir.display())))?;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        .log_statements(tracing::log::LevelFilter::Trace);
    // The writer is created first so that the WAL switch happens on one connection.
    // An embedded file has no connection to lose: no ping before each use (a round trip to
    // the connection's thread on every query otherwise).
    let write = SqlitePoolOptions::new()
        .test_before_acquire(false)
        .max_connections(1)
        .min_connections(1)
        .connect_with(options.clone())
        .await?;
    let readers = std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .max(4) as u32;
    let read = SqlitePoolOptions::new()
        .test_before_acquire(false)
        .max_connections(readers)
        .connect_with(options.read_only(true))
        .await?;
    let group = std::sync::Arc::new(crate::group::Group::new(write.clone()));
    Ok(Store {
        db: Db::Sqlite { read, write, group },
        memo: Default::default(),
        touches: Default::default(),
    })
}

async fn open_postgres(url: &str) -> Result<Store> {
    let options = PgConnectOptions::from_str(url)?
        .application_name("zhurnal")
        .log_statements(tracing::log::LevelFilter::Trace);
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    Ok(Store {
        db: Db::Postgres(pool),
        memo: Default::default(),
        touches: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse() {
        assert_eq!(
            "sqlite://zhurnal.db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("zhurnal.db"))
        );
        assert_eq!(
            "sqlite:///var/lib/zhurnal/z.db"
                .parse::<DatabaseUrl>()
                .unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/var/lib/zhurnal/z.db"))
        );
        assert!(matches!(
            "postgres://u:p@h/db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!("mysql://x".parse::<DatabaseUrl>().is_err());
        assert!("sqlite://".parse::<DatabaseUrl>().is_err());
    }

    #[test]
    fn passwords_never_shown() {
        assert_eq!(
            redact("postgres://zh:secret@db:5432/z"),
            "postgres://zh:***@db:5432/z"
        );
        assert_eq!(redact("postgres://db/z"), "postgres://db/z");
        let shown = "postgres://zh:secret@db/z"
            .parse::<DatabaseUrl>()
            .unwrap()
            .to_string();
        assert!(!shown.contains("secret"));
    }
}
