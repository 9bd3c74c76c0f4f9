//! The append-only audit log. Writes that change data record themselves in the same
//! transaction (see the callers of [`insert_audit`]); the table refuses UPDATE and DELETE
//! through triggers on both backends.

use crate::{Result, Store, on_read, on_write};

/// One audit event. `details` is a JSON object with no secrets and no more personal data
/// than the event needs.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub at: i64,
    pub school_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub actor_person_id: Option<i64>,
    /// A short prefix of the session token's hash: ties events of one session together
    /// without storing anything that could be replayed.
    pub session_hash: String,
    pub ip: String,
    /// Dotted event name: `auth.login`, `auth.lock`, `authz.denied`, `account.password`…
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub details: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub school_id: Option<i64>,
    pub actor_login: Option<String>,
    pub session_hash: String,
    pub ip: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub outcome: String,
    pub details: String,
}

/// Which part of the log a reader may see.
#[derive(Debug, Clone, Copy)]
pub enum AuditScope {
    School(i64),
    /// Every school of the municipality, plus events of the municipality's own accounts.
    Municipality(i64),
}

/// Inserts an audit row on any executor (a transaction, usually). A macro rather than a
/// generic function: it expands once per backend inside the store's `on_write!` bodies.
macro_rules! insert_audit {
    // The entry, naming the object the change created or touched.
    ($ex:expr, $e:expr, $kind:expr, $id:expr) => {{
        let mut entry: $crate::AuditEntry = ($e).clone();
        entry.target_kind = ($kind).into();
        entry.target_id = ($id).to_string();
        insert_audit!($ex, &entry)
    }};
    ($ex:expr, $e:expr) => {{
        let e: &$crate::AuditEntry = $e;
        sqlx::query(
            "INSERT INTO audit_log (at, school_id, actor_user_id, actor_person_id, session_hash, ip, action, target_kind, target_id, outcome, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(e.at)
        .bind(e.school_id)
        .bind(e.actor_user_id)
        .bind(e.actor_person_id)
        .bind(&e.session_hash)
        .bind(&e.ip)
        .bind(&e.action)
        .bind(&e.target_kind)
        .bind(&e.target_id)
        .bind(&e.outcome)
        .bind(if e.details.is_empty() { "{}" } else { e.details.as_str() })
        .execute($ex)
        .await
        .map(|_| ())
    }};
}
pub(crate) use insert_audit;

/// `SELECT … FROM audit_log …` followed by the given tail, as one literal.
macro_rules! audit_select {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.at, a.school_id, u.login AS actor_login, a.session_hash, a.ip, a.action, ",
            "a.target_kind, a.target_id, a.outcome, a.details FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id ",
            $tail
        )
    };
}

impl Store {
    /// Records an event that changes nothing else (a failed login, a denied request).
    pub async fn audit(&self, entry: &AuditEntry) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => insert_audit!(pool, entry))?;
        Ok(())
    }

    /// The newest events first, `limit` at a time, older than `before_id` when paging.
    pub async fn audit_page(
        &self,
        scope: AuditScope,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRow>> {
        let before = before_id.unwrap_or(i64::MAX);
        let rows = match scope {
            AuditScope::School(school) => {
                on_read!(self, pool => sqlx::query_as::<_, AuditRow>(audit_select!(
                "WHERE a.school_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3"
            ))
            .bind(school)
            .bind(before)
            .bind(limit)
            .fetch_all(pool)
            .await?)
            }
            AuditScope::Municipality(m) => {
                on_read!(self, pool => sqlx::query_as::<_, AuditRow>(audit_select!(
                "WHERE (a.school_id IN (SELECT id FROM schools WHERE municipality_id = $1) \
                    OR (a.school_id IS NULL AND a.actor_person_id IN (SELECT person_id FROM role_grants WHERE municipality_id = $1))) \
                 AND a.id < $2 ORDER BY a.id DESC LIMIT $3"
            ))
            .bind(m)
            .bind(before)
            .bind(limit)
            .fetch_all(pool)
            .await?)
            }
        };
        Ok(rows)
    }

    /// Events of one action name, newest first (tests and incident reports).
    pub async fn audit_by_action(&self, action: &str, limit: i64) -> Result<Vec<AuditRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, AuditRow>(audit_select!(
            "WHERE a.action = $1 ORDER BY a.id DESC LIMIT $2"
        ))
        .bind(action)
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }
}
