//! Account administration used by `zhurnal user …` (and later by the tech admin's pages).
//! Every change is audited in its own transaction.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, StoreError, on_read, on_write};

#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub middle_name: &'a str,
    pub password_hash: &'a str,
}

#[derive(Debug, Clone)]
pub struct NewGrant<'a> {
    pub role: &'a str,
    pub school_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub edu_group_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub user_id: i64,
    pub person_id: i64,
    pub login: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub blocked: bool,
}

impl Store {
    /// Creates a person and their login account. Returns (user id, person id).
    pub async fn create_account(
        &self,
        a: &NewAccount<'_>,
        audit: &AuditEntry,
    ) -> Result<(i64, i64)> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let person: i64 = sqlx::query_scalar(
                "INSERT INTO persons (last_name, first_name, middle_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(a.last_name)
            .bind(a.first_name)
            .bind(a.middle_name)
            .bind(audit.at)
            .fetch_one(&mut *tx)
            .await?;
            let user: i64 = sqlx::query_scalar(
                "INSERT INTO users (person_id, login, password_hash, password_changed_at, created_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(person)
            .bind(a.login)
            .bind(a.password_hash)
            .bind(audit.at)
            .fetch_one(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, audit, "user", user)?;
            tx.commit().await?;
            Ok((user, person))
        })
    }

    pub async fn account_by_login(&self, login: &str) -> Result<Option<AccountRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, AccountRow>(
            "SELECT u.id AS user_id, u.person_id, u.login, p.last_name, p.first_name, p.middle_name, u.blocked \
             FROM users u JOIN persons p ON p.id = u.person_id WHERE u.login = $1",
        )
        .bind(login)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn accounts(&self) -> Result<Vec<AccountRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, AccountRow>(
            "SELECT u.id AS user_id, u.person_id, u.login, p.last_name, p.first_name, p.middle_name, u.blocked \
             FROM users u JOIN persons p ON p.id = u.person_id ORDER BY u.login",
        )
        .fetch_all(pool)
        .await?))
    }

    /// The people holding a role anywhere.
    pub async fn persons_with_role(&self, role: &str) -> Result<std::collections::HashSet<i64>> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT DISTINCT person_id FROM role_grants WHERE role = $1",
        )
        .bind(role)
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect()))
    }

    /// Grants a role; the scope must exist (a school, a municipality, a class of that school).
    pub async fn grant_role(
        &self,
        person_id: i64,
        g: &NewGrant<'_>,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            if let (Some(school), Some(group)) = (g.school_id, g.edu_group_id) {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM edu_groups WHERE id = $1 AND school_id = $2")
                    .bind(group)
                    .bind(school)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
            sqlx::query(
                "INSERT INTO role_grants (person_id, role, school_id, municipality_id, edu_group_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(person_id)
            .bind(g.role)
            .bind(g.school_id)
            .bind(g.municipality_id)
            .bind(g.edu_group_id)
            .bind(audit.at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Removes a role; returns how many grants were removed.
    pub async fn revoke_role(
        &self,
        person_id: i64,
        role: &str,
        school_id: Option<i64>,
        audit: &AuditEntry,
    ) -> Result<u64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("DELETE FROM role_grants WHERE person_id = $1 AND role = $2 AND ($3 IS NULL OR school_id = $3)")
                .bind(person_id)
                .bind(role)
                .bind(school_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(n)
        })
    }

    /// Blocks or unblocks an account; blocking ends its live sessions at once.
    pub async fn set_blocked(&self, user_id: i64, blocked: bool, audit: &AuditEntry) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET blocked = $1 WHERE id = $2")
                .bind(blocked)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if blocked {
                sqlx::query(crate::auth::END_ALL_SESSIONS)
                    .bind(audit.at)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Whether a school exists (for validating CLI input).
    pub async fn school_exists(&self, id: i64) -> Result<bool> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM schools WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .is_some()))
    }

    pub async fn municipality_exists(&self, id: i64) -> Result<bool> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM municipalities WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .is_some()))
    }
}
