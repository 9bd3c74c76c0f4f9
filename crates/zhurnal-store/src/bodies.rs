//! The school's self-government bodies (§2.4) and their members.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, StoreError, on_read, on_write};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BodyRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BodyMemberRow {
    pub id: i64,
    pub body_id: i64,
    pub person_id: Option<i64>,
    pub full_name: String,
    pub represents: String,
    pub role: String,
    pub since: String,
}

/// A member to add: a person of the school, or someone named.
#[derive(Debug, Clone)]
pub struct NewBodyMember<'a> {
    pub person_id: Option<i64>,
    pub full_name: &'a str,
    pub represents: &'a str,
    pub role: &'a str,
    pub since: &'a str,
}

impl Store {
    pub async fn bodies(&self, school_id: i64) -> Result<Vec<BodyRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, BodyRow>(
            "SELECT id, kind, name FROM school_bodies WHERE school_id = $1 ORDER BY name",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// Members of all bodies of a school: chairs first, then secretaries, then by name.
    pub async fn body_members(&self, school_id: i64) -> Result<Vec<BodyMemberRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, BodyMemberRow>(
            "SELECT id, body_id, person_id, full_name, represents, role, since FROM school_body_members \
             WHERE school_id = $1 \
             ORDER BY body_id, CASE role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, full_name, id",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// A name already used at the school is a `Conflict`.
    pub async fn create_body(
        &self,
        school_id: i64,
        kind: &str,
        name: &str,
        now_ms: i64,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO school_bodies (school_id, kind, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(school_id).bind(kind).bind(name).bind(now_ms)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "school_body", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Adds a member. The body (and the person, when given) must be of the school, else
    /// `NotFound`; a second chair or secretary is a `Conflict`.
    pub async fn add_body_member(
        &self,
        school_id: i64,
        body_id: i64,
        m: &NewBodyMember<'_>,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let body: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM school_bodies WHERE id = $1 AND school_id = $2")
                .bind(body_id).bind(school_id).fetch_one(&mut *tx).await?;
            let person: i64 = match m.person_id {
                Some(p) => sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE person_id = $1 AND school_id = $2")
                    .bind(p).bind(school_id).fetch_one(&mut *tx).await?,
                None => 1,
            };
            if body == 0 || person == 0 {
                return Err(StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO school_body_members (school_id, body_id, person_id, full_name, represents, role, since) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(school_id).bind(body_id).bind(m.person_id).bind(m.full_name).bind(m.represents).bind(m.role).bind(m.since)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "school_body_member", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Removes a member of a body of the school; `NotFound` if it is not there.
    pub async fn remove_body_member(
        &self,
        school_id: i64,
        id: i64,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.delete_school_row("school_body_members", school_id, id, audit)
            .await
    }
}
