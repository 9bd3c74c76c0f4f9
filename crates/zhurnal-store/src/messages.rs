//! Message threads between a family and teachers: each about one student, its members fixed
//! when it starts (the staff member and the student's family), read state per member, and
//! a notice to every other member with each message — all in one transaction.

use crate::audit::insert_audit;
use crate::{Result, Store, StoreError, on_read, on_write};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadRow {
    pub id: i64,
    pub school_id: i64,
    pub student_id: i64,
    pub topic: String,
    pub created_at: i64,
    pub complaint_at: Option<i64>,
    pub last_at: i64,
    pub unread: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub author_id: i64,
    pub body: String,
    pub created_at: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
}

const SEL_THREAD: &str = "SELECT t.id, t.school_id, t.student_id, t.topic, t.created_at, t.complaint_at, \
     COALESCE((SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = t.id), t.created_at) AS last_at, \
     (SELECT COUNT(*) FROM messages m WHERE m.thread_id = t.id AND m.id > COALESCE(tm.last_read_id, 0) AND m.author_id <> $1) AS unread \
     FROM message_threads t LEFT JOIN thread_members tm ON tm.thread_id = t.id AND tm.person_id = $1";

/// Notices of a message to the thread's other members.
macro_rules! notify_members {
    ($ex:expr, $school:expr, $thread:expr, $author:expr, $student:expr, $topic:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO notifications (school_id, recipient_id, student_id, kind, subject, new_value, created_at) \
             SELECT $1, person_id, $2, 'message', $3, NULL, $4 FROM thread_members WHERE thread_id = $5 AND person_id <> $6",
        )
        .bind($school).bind($student).bind($topic).bind($at).bind($thread).bind($author)
        .execute($ex)
        .await
    };
}

impl Store {
    /// The parents of a student.
    pub async fn parents_of(&self, student_id: i64) -> Result<Vec<i64>> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT parent_id FROM parent_links WHERE child_id = $1 ORDER BY parent_id",
        )
        .bind(student_id)
        .fetch_all(pool).await?))
    }

    /// Starts a thread about `student_id` with its first message; `members` besides the
    /// author are fixed by the caller's rules.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_thread(
        &self,
        school_id: i64,
        student_id: i64,
        topic: &str,
        author: i64,
        members: &[i64],
        body: &str,
        audit: &crate::AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO message_threads (school_id, student_id, topic, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(student_id).bind(topic).bind(author).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            let mut all: Vec<i64> = members.to_vec();
            all.push(author);
            all.sort_unstable();
            all.dedup();
            for person in &all {
                sqlx::query("INSERT INTO thread_members (thread_id, person_id) VALUES ($1, $2)")
                    .bind(id).bind(person).execute(&mut *tx).await?;
            }
            let message: i64 = sqlx::query_scalar(
                "INSERT INTO messages (school_id, thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(id).bind(author).bind(body).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE thread_members SET last_read_id = $1 WHERE thread_id = $2 AND person_id = $3")
                .bind(message).bind(id).bind(author).execute(&mut *tx).await?;
            notify_members!(&mut *tx, school_id, id, author, student_id, topic, audit.at)?;
            insert_audit!(&mut *tx, audit, "message_thread", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Adds a message by a member; `NotFound` for anyone else.
    pub async fn reply(
        &self,
        thread_id: i64,
        author: i64,
        body: &str,
        audit: &crate::AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let thread: Option<(i64, i64, String)> = sqlx::query_as(
                "SELECT t.school_id, t.student_id, t.topic FROM message_threads t JOIN thread_members m ON m.thread_id = t.id \
                 WHERE t.id = $1 AND m.person_id = $2",
            )
            .bind(thread_id).bind(author).fetch_optional(&mut *tx).await?;
            let Some((school_id, student_id, topic)) = thread else {
                return Err(StoreError::NotFound);
            };
            let message: i64 = sqlx::query_scalar(
                "INSERT INTO messages (school_id, thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(thread_id).bind(author).bind(body).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE thread_members SET last_read_id = $1 WHERE thread_id = $2 AND person_id = $3")
                .bind(message).bind(thread_id).bind(author).execute(&mut *tx).await?;
            notify_members!(&mut *tx, school_id, thread_id, author, student_id, &topic, audit.at)?;
            insert_audit!(&mut *tx, audit, "message_thread", thread_id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The threads a person is in, latest first, with their unread counts.
    pub async fn threads_of(&self, person_id: i64) -> Result<Vec<ThreadRow>> {
        let sql = format!("{SEL_THREAD} WHERE tm.person_id = $1 ORDER BY last_at DESC");
        on_read!(self, pool => Ok(sqlx::query_as::<_, ThreadRow>(&sql)
            .bind(person_id).fetch_all(pool).await?))
    }

    /// The threads of a school a family raised a complaint about (for its administration).
    pub async fn complaint_threads(&self, viewer: i64, school_id: i64) -> Result<Vec<ThreadRow>> {
        let sql = format!(
            "{SEL_THREAD} WHERE t.school_id = $2 AND t.complaint_at IS NOT NULL ORDER BY t.complaint_at DESC"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, ThreadRow>(&sql)
            .bind(viewer).bind(school_id).fetch_all(pool).await?))
    }

    /// A thread as `viewer` sees it, with its members and messages; `None` when it does not
    /// exist. Whether the viewer may see it is the caller's decision.
    pub async fn thread(
        &self,
        viewer: i64,
        thread_id: i64,
    ) -> Result<Option<(ThreadRow, Vec<i64>, Vec<MessageRow>)>> {
        let sql = format!("{SEL_THREAD} WHERE t.id = $2");
        on_read!(self, pool => {
            let Some(thread) = sqlx::query_as::<_, ThreadRow>(&sql).bind(viewer).bind(thread_id).fetch_optional(pool).await? else {
                return Ok(None);
            };
            let members: Vec<i64> = sqlx::query_scalar("SELECT person_id FROM thread_members WHERE thread_id = $1 ORDER BY person_id")
                .bind(thread_id).fetch_all(pool).await?;
            let messages: Vec<MessageRow> = sqlx::query_as(
                "SELECT m.id, m.author_id, m.body, m.created_at, p.last_name, p.first_name, p.middle_name \
                 FROM messages m JOIN persons p ON p.id = m.author_id WHERE m.thread_id = $1 ORDER BY m.id",
            )
            .bind(thread_id).fetch_all(pool).await?;
            Ok(Some((thread, members, messages)))
        })
    }

    /// Records that a member has read the thread up to its last message.
    pub async fn mark_thread_read(&self, thread_id: i64, person_id: i64) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            sqlx::query(
                "UPDATE thread_members SET last_read_id = COALESCE((SELECT MAX(id) FROM messages WHERE thread_id = $1), 0) \
                 WHERE thread_id = $1 AND person_id = $2",
            )
            .bind(thread_id).bind(person_id).execute(pool).await?;
            Ok(())
        })
    }

    /// A member raises a complaint: the school's administration may read the thread.
    pub async fn raise_complaint(
        &self,
        thread_id: i64,
        person_id: i64,
        audit: &crate::AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE message_threads SET complaint_at = $1, complaint_by = $2 WHERE id = $3 AND complaint_at IS NULL \
                 AND EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $3 AND person_id = $2)",
            )
            .bind(audit.at).bind(person_id).bind(thread_id).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit, "message_thread", thread_id)?;
            tx.commit().await?;
            Ok(())
        })
    }
}
