//! Zhurnal's storage: one interface, [`Store`], over embedded SQLite (the default) and
//! PostgreSQL (a city or a region), chosen by the database URL at run time.
//!
//! Each operation is written once: the SQL text is shared (both drivers take `$1` placeholders,
//! `RETURNING` and `ON CONFLICT`), and the [`on_read!`]/[`on_write!`] macros expand the body
//! for each backend's pool, so the compiler checks it against both drivers. Where the dialects
//! differ, a method matches on the backend explicitly.

mod accounts;
mod audit;
mod auth;
mod backup;
mod bodies;
mod bulk;
mod connect;
mod diary;
mod exchange;
mod group;
mod journal;
mod load;
pub mod memo;
mod messages;
mod notify;
mod oauth;
mod people;
mod periods;
mod plan;
mod promotion;
mod reports;
mod roster;
mod school;
mod timetable;
mod wall;

pub use accounts::*;
pub use audit::*;
pub use auth::*;
pub use backup::CopySummary;
pub use bodies::*;
pub use connect::{DatabaseUrl, DurabilityReport};
pub use diary::*;
pub use exchange::*;
pub use journal::*;
pub use messages::*;
pub use notify::*;
pub use oauth::*;
pub use people::*;
pub use periods::*;
pub use plan::*;
pub use promotion::*;
pub use reports::*;
pub use roster::*;
pub use school::*;
pub use timetable::*;
pub use wall::*;

use sqlx::{PgPool, SqlitePool};

/// What the storage layer reports; the web layer maps each variant to one HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule of the schema refused the write; names the rule.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A value the database cannot hold as given (PostgreSQL refuses a NUL character in
    /// text, which SQLite would store): the input's fault, never the server's.
    #[error("invalid value: {0}")]
    Invalid(String),
    /// The database is not set up the way Zhurnal requires (refuse to start).
    #[error("database configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db)
                if db.is_unique_violation() || db.is_foreign_key_violation() =>
            {
                StoreError::Conflict(db.constraint().unwrap_or("constraint").to_owned())
            }
            // 22021: a byte sequence the encoding cannot hold (NUL); 22P05: a character it
            // cannot translate; 22001: longer than the column allows.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("22021" | "22P05" | "22001")) =>
            {
                StoreError::Invalid(db.message().to_owned())
            }
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Debug)]
pub(crate) enum Db {
    /// Reads go to a pool of connections; writes to a single writer connection, so SQLite
    /// never has to upgrade a read transaction under contention.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        /// The writes that commit together (see [`group`]); on the `write` pool.
        group: std::sync::Arc<group::Group>,
    },
    Postgres(PgPool),
}

/// The store. Cheap to clone; all clones share the pools and the kept answers.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) db: Db,
    pub(crate) memo: std::sync::Arc<memo::Memo>,
    pub(crate) touches: std::sync::Arc<auth::Touches>,
}

impl Store {
    /// A hot read's answer kept in memory until a write through this store changes what it
    /// depends on (see [`memo`]); for the pages every family opens at once.
    /// The error is the loader's own (a page's loader may fail in its own terms).
    pub async fn memo<T, E, F>(
        &self,
        key: memo::Key,
        dep: memo::Dep,
        load: F,
    ) -> std::result::Result<std::sync::Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = std::result::Result<T, E>>,
    {
        self.memo.get(key, dep, load).await
    }

    /// As [`Store::memo`] for a large answer whose size `bytes` tells (a rendered page): the
    /// kept answers' memory is bounded by their sizes.
    pub async fn memo_sized<T, E, F>(
        &self,
        key: memo::Key,
        dep: memo::Dep,
        load: F,
        bytes: fn(&T) -> usize,
    ) -> std::result::Result<std::sync::Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = std::result::Result<T, E>>,
    {
        self.memo.get_sized(key, dep, load, bytes).await
    }

    /// As [`Store::memo_sized`], answering an answer that only outlived its lifetime while
    /// it is read again in the background ([`memo::Memo::get_refreshing`]).
    pub async fn memo_refreshing<T, E, F, Fut>(
        &self,
        key: memo::Key,
        dep: memo::Dep,
        load: F,
        bytes: fn(&T) -> usize,
    ) -> std::result::Result<std::sync::Arc<T>, E>
    where
        T: Send + Sync + 'static,
        E: 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = std::result::Result<T, E>> + Send + 'static,
    {
        self.memo
            .get_refreshing(key, dep, memo::TTL, load, bytes)
            .await
    }
}

/// Runs `$body` with `$pool` bound to the backend's read pool.
macro_rules! on_read {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite { read: $pool, .. } => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$pool` bound to the backend's write pool.
/// Runs `$body` with `$pool` bound to the backend's writer; when it ends, however it ends,
/// marks what it may have changed for the kept answers (everything unless `$dep` says less:
/// see [`memo::Dep`]).
macro_rules! on_write {
    ($store:expr, $pool:ident => $body:expr) => {
        $crate::on_write!($store, $crate::memo::Dep::All, $pool => $body)
    };
    ($store:expr, $dep:expr, $pool:ident => $body:expr) => {{
        let _bump = $store.memo.on_drop($dep);
        match &$store.db {
            $crate::Db::Sqlite { write: $pool, .. } => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    }};
}

/// Runs `$body`, a write through `$tx` (a `&mut` connection already inside a transaction),
/// and commits it: on SQLite together with the other writes waiting at that moment (see
/// [`group`]), on PostgreSQL in a transaction of its own. An `Err` undoes the body's changes.
/// What `$body` uses must be owned (on SQLite it runs on another task); `$t` is its `Ok` type.
/// Marks for the kept answers what `$dep` names, as `on_write!` does.
macro_rules! grouped_write {
    ($store:expr, $dep:expr, $t:ty, |$tx:ident| $body:expr) => {{
        let _bump = $store.memo.on_drop($dep);
        match &$store.db {
            $crate::Db::Sqlite { group, .. } => {
                group
                    .submit(move |$tx: &mut sqlx::SqliteConnection| {
                        Box::pin(async move {
                            let out: $crate::Result<$t> = { $body };
                            out
                        })
                    })
                    .await
            }
            $crate::Db::Postgres(pool) => {
                let mut transaction = pool.begin().await?;
                let $tx: &mut sqlx::PgConnection = &mut *transaction;
                let out: $crate::Result<$t> = async move { $body }.await;
                if out.is_ok() {
                    transaction.commit().await?;
                }
                out
            }
        }
    }};
}

/// Rows per INSERT statement: well under SQLite's limit of bound variables.
pub(crate) const CHUNK: usize = 400;

/// Inserts `$rows` into `$table($cols)` in chunks, binding each row with `$bind`.
macro_rules! insert_rows {
    ($tx:expr, $table_cols:literal, $rows:expr, |$b:ident, $r:ident| $bind:block) => {
        for chunk in $rows.chunks(CHUNK) {
            let mut qb = sqlx::QueryBuilder::new(concat!("INSERT INTO ", $table_cols, " "));
            qb.push_values(chunk, |mut $b, $r| $bind);
            qb.build().execute(&mut *$tx).await?;
        }
    };
}

pub(crate) use grouped_write;
pub(crate) use insert_rows;
pub(crate) use on_read;
pub(crate) use on_write;

impl Store {
    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// How many rows a table holds (for reports; `table` is one of ours, never input).
    pub async fn count_rows(&self, table: &'static str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await?))
    }

    /// The database's size on disk in bytes (SQLite: the main file's pages).
    pub async fn database_size(&self) -> Result<i64> {
        match &self.db {
            Db::Postgres(pool) => Ok(sqlx::query_scalar::<_, i64>(
                "SELECT pg_database_size(current_database())",
            )
            .fetch_one(pool)
            .await?),
            Db::Sqlite { .. } => on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            )
            .fetch_one(pool)
            .await?)),
        }
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> Result<()> {
        on_read!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pools, waiting for running queries (graceful shutdown).
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}
