//! Copies of a live database. An embedded SQLite database is copied by `VACUUM INTO`: one
//! statement that reads a single snapshot inside a read transaction and writes it, compacted,
//! to a new file — every commit before it is in the copy, none after, and the writer goes on
//! meanwhile (WAL). SQLite's page-by-page backup API would give the same snapshot, but it is
//! not reachable through the driver without unsafe code. PostgreSQL is copied by its own
//! `pg_dump`, which the command line runs.

use crate::{Db, Result, Store, StoreError};
use std::path::Path;

/// What a copy holds, to show the person who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySummary {
    pub schools: i64,
    pub persons: i64,
    pub marks: i64,
    pub history: i64,
}

impl Store {
    /// Writes a consistent copy of an embedded database to `target`, which must not exist.
    pub async fn copy_into(&self, target: &Path) -> Result<()> {
        if target.exists() {
            return Err(StoreError::Config(format!(
                "{} exists already; a backup never overwrites a file",
                target.display()
            )));
        }
        match &self.db {
            Db::Sqlite { read, .. } => {
                sqlx::query("VACUUM INTO $1")
                    .bind(target.to_string_lossy().into_owned())
                    .execute(read)
                    .await?;
                Ok(())
            }
            Db::Postgres(_) => Err(StoreError::Config(
                "a PostgreSQL database is copied with pg_dump".into(),
            )),
        }
    }

    /// How much a database holds: to check a copy, and to refuse restoring over data.
    pub async fn summary(&self) -> Result<CopySummary> {
        Ok(CopySummary {
            schools: self.count_rows("schools").await?,
            persons: self.count_rows("persons").await?,
            marks: self.count_rows("marks").await?,
            history: self.count_rows("journal_history").await?,
        })
    }

    /// SQLite's own check of every page and index: `ok`, or what is wrong.
    pub async fn integrity(&self) -> Result<String> {
        match &self.db {
            Db::Sqlite { read, .. } => {
                let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(read)
                    .await?;
                Ok(rows.join("; "))
            }
            Db::Postgres(_) => Ok("ok".into()),
        }
    }
}
