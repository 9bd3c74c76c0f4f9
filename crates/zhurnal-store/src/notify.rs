//! Notices to families: each person's settings, the notices on the site with their unread
//! count, and what the mailer owes — immediate messages and at most one digest a day.

use crate::audit::insert_audit;
use crate::{Result, Store, on_read, on_write};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationSettings {
    pub email: String,
    /// `off`, `immediate` or `digest`.
    pub mode: String,
    pub own: bool,
    pub last_digest: String,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            email: String::new(),
            mode: "digest".into(),
            own: false,
            last_digest: String::new(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub school_id: i64,
    pub recipient_id: i64,
    pub student_id: i64,
    pub kind: String,
    pub lesson_date: Option<String>,
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub student_first_name: String,
    pub student_last_name: String,
}

/// A notice the mailer owes, with where to send it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueNotice {
    #[sqlx(flatten)]
    pub notice: NoticeRow,
    pub email: String,
    /// The day of the recipient's last digest (YYYY-MM-DD), "" before the first.
    pub last_digest: String,
}

const SEL_NOTICE: &str = "SELECT n.id, n.school_id, n.recipient_id, n.student_id, n.kind, l.date AS lesson_date, n.subject, n.old_value, \
     n.new_value, n.created_at, n.read_at, p.first_name AS student_first_name, p.last_name AS student_last_name";
const FROM_NOTICE: &str = " FROM notifications n JOIN persons p ON p.id = n.student_id LEFT JOIN lessons l ON l.id = n.lesson_id";

impl Store {
    pub async fn notification_settings(&self, person_id: i64) -> Result<NotificationSettings> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, NotificationSettings>(
            "SELECT email, mode, own, last_digest FROM notification_settings WHERE person_id = $1",
        )
        .bind(person_id)
        .fetch_optional(pool).await?
        .unwrap_or_default()))
    }

    pub async fn save_notification_settings(
        &self,
        person_id: i64,
        email: &str,
        mode: &str,
        own: bool,
        audit: &crate::AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO notification_settings (person_id, email, mode, own, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (person_id) DO UPDATE SET email = excluded.email, mode = excluded.mode, own = excluded.own, \
                 updated_at = excluded.updated_at",
            )
            .bind(person_id).bind(email).bind(mode).bind(own).bind(audit.at)
            .execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "person", person_id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A person's latest notices, newest first.
    pub async fn notices_of(&self, person_id: i64, limit: i64) -> Result<Vec<NoticeRow>> {
        let sql = format!(
            "{SEL_NOTICE}{FROM_NOTICE} WHERE n.recipient_id = $1 ORDER BY n.id DESC LIMIT $2"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, NoticeRow>(&sql)
            .bind(person_id).bind(limit)
            .fetch_all(pool).await?))
    }

    pub async fn unread_notices(&self, person_id: i64) -> Result<i64> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL",
        )
        .bind(person_id)
        .fetch_one(pool).await?))
    }

    pub async fn mark_notices_read(&self, person_id: i64, at: i64) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            sqlx::query("UPDATE notifications SET read_at = $1 WHERE recipient_id = $2 AND read_at IS NULL")
                .bind(at).bind(person_id).execute(pool).await?;
            Ok(())
        })
    }

    /// Unsent notices of people who want them by email: `mode` = `immediate`, or `digest`
    /// for notices made before `before` (ms).
    pub async fn due_notices(&self, mode: &str, before: i64) -> Result<Vec<DueNotice>> {
        let sql = format!(
            "{SEL_NOTICE}, s.email, s.last_digest{FROM_NOTICE} JOIN notification_settings s ON s.person_id = n.recipient_id \
             WHERE n.emailed_at IS NULL AND s.mode = $1 AND s.email <> '' AND n.created_at < $2 ORDER BY n.recipient_id, n.student_id, n.id"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, DueNotice>(&sql)
            .bind(mode).bind(before)
            .fetch_all(pool).await?))
    }

    /// Records that notices were emailed (and, for a digest, the day it was for).
    pub async fn mark_emailed(
        &self,
        ids: &[i64],
        at: i64,
        digest_day: Option<(i64, &str)>,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            for chunk in ids.chunks(crate::CHUNK) {
                let mut qb = sqlx::QueryBuilder::new("UPDATE notifications SET emailed_at = ");
                qb.push_bind(at).push(" WHERE id IN (");
                let mut list = qb.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                qb.push(")");
                qb.build().execute(&mut *tx).await?;
            }
            if let Some((person, day)) = digest_day {
                sqlx::query("UPDATE notification_settings SET last_digest = $1 WHERE person_id = $2")
                    .bind(day).bind(person).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
