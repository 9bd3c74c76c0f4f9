//! The class wall (§3.5): the class teacher posts notes for the class's students and
//! parents; each post sends a notice to every family of the class (and to students who
//! opted in), in the same transaction.

use crate::audit::insert_audit;
use crate::{AuditEntry, Result, Store, StoreError, on_read, on_write};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WallPostRow {
    pub id: i64,
    pub author_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub body: String,
    pub created_at: i64,
}

/// How much of a post a notice (and so an email) quotes.
const EXCERPT_CHARS: usize = 140;

impl Store {
    /// The posts on a class's wall, newest first.
    pub async fn wall_posts(
        &self,
        school_id: i64,
        class_id: i64,
        limit: i64,
    ) -> Result<Vec<WallPostRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, WallPostRow>(
            "SELECT w.id, w.author_id, p.last_name, p.first_name, p.middle_name, w.body, w.created_at \
             FROM wall_posts w JOIN persons p ON p.id = w.author_id \
             WHERE w.school_id = $1 AND w.class_id = $2 AND w.removed_at IS NULL ORDER BY w.id DESC LIMIT $3",
        )
        .bind(school_id).bind(class_id).bind(limit)
        .fetch_all(pool).await?))
    }

    /// Posts to the wall and notifies the class's families, audited.
    pub async fn post_to_wall(
        &self,
        school_id: i64,
        class_id: i64,
        class_name: &str,
        body: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        let author = audit.actor_person_id.ok_or(StoreError::NotFound)?;
        let excerpt: String = body.chars().take(EXCERPT_CHARS).collect();
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO wall_posts (school_id, class_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(class_id).bind(author).bind(body).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            // One notice per family member and child now in the class; none for a child
            // whose parents refused electronic access (§3.6).
            sqlx::query(
                "INSERT INTO notifications (school_id, recipient_id, student_id, kind, subject, new_value, created_at) \
                 SELECT $1, r.recipient, r.student, 'wall', $2, $3, $4 FROM ( \
                     SELECT l.parent_id AS recipient, m.person_id AS student FROM edu_group_members m \
                     JOIN parent_links l ON l.child_id = m.person_id WHERE m.edu_group_id = $5 AND m.until IS NULL \
                     UNION SELECT m.person_id, m.person_id FROM edu_group_members m \
                     JOIN notification_settings s ON s.person_id = m.person_id AND s.own = TRUE \
                     WHERE m.edu_group_id = $5 AND m.until IS NULL) r \
                 WHERE COALESCE((SELECT decision FROM access_statements a WHERE a.student_id = r.student ORDER BY a.id DESC LIMIT 1), 'consent') <> 'refusal'",
            )
            .bind(school_id).bind(class_name).bind(&excerpt).bind(audit.at).bind(class_id)
            .execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "wall_post", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The class a post of the school is on, if it is still on the wall.
    pub async fn wall_post_class(&self, school_id: i64, id: i64) -> Result<Option<i64>> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT class_id FROM wall_posts WHERE id = $1 AND school_id = $2 AND removed_at IS NULL",
        )
        .bind(id).bind(school_id)
        .fetch_optional(pool).await?))
    }

    /// Takes a post off the wall (it stays in the database, marked), audited.
    pub async fn remove_wall_post(
        &self,
        school_id: i64,
        class_id: i64,
        id: i64,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE wall_posts SET removed_at = $1, removed_by = $2 WHERE id = $3 AND school_id = $4 AND class_id = $5 AND removed_at IS NULL",
            )
            .bind(audit.at).bind(audit.actor_person_id).bind(id).bind(school_id).bind(class_id)
            .execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit, "wall_post", id)?;
            tx.commit().await?;
            Ok(())
        })
    }
}
