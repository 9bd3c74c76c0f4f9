//! What a student's diary reads (the municipal service itself): the student's own marks,
//! absences and period marks, and the files of their lessons. Every query is keyed by the
//! school and the student, so it touches only that student's rows (indexes by person).

use crate::audit::insert_audit;
use crate::{Result, Store, on_read, on_write};

/// One mark of a student, with its lesson and work.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiaryMark {
    pub id: i64,
    pub lesson_id: i64,
    pub date: String,
    pub number: i32,
    pub subject_id: i64,
    pub subject_name: String,
    pub work_type_id: i64,
    pub work_type: String,
    pub abbreviation: String,
    pub weight: i32,
    pub kind: String,
    pub value: String,
    pub comment: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiaryAbsence {
    pub lesson_id: i64,
    pub date: String,
    pub subject_id: i64,
    pub status: String,
    pub reason: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiaryPeriodMark {
    pub period_id: i64,
    pub subject_id: i64,
    pub value: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiaryFile {
    pub id: i64,
    pub lesson_id: i64,
    pub name: String,
    pub size: i64,
}

impl Store {
    /// The groups (class and subgroups) a student belongs to now.
    pub async fn person_groups(&self, school_id: i64, person_id: i64) -> Result<Vec<i64>> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT edu_group_id FROM edu_group_members WHERE school_id = $1 AND person_id = $2 AND until IS NULL",
        )
        .bind(school_id).bind(person_id)
        .fetch_all(pool).await?))
    }

    /// A student's marks on lessons from `from` to `to` (inclusive), in lesson order.
    pub async fn diary_marks(
        &self,
        school_id: i64,
        person_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<DiaryMark>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, DiaryMark>(
            // From the lessons of the student's groups in those days to their marks: a few
            // index lookups, where starting from all the student's marks of the year would
            // visit each one's work and lesson. The unary plus keeps SQLite's planner from
            // starting at the person's marks.
            "SELECT m.id, l.id AS lesson_id, l.date, l.number, l.subject_id, s.name AS subject_name, w.work_type_id, \
             t.name AS work_type, t.abbreviation, t.weight, w.kind, m.value, m.comment \
             FROM lessons l JOIN works w ON w.lesson_id = l.id JOIN marks m ON m.work_id = w.id \
             JOIN subjects s ON s.id = l.subject_id JOIN work_types t ON t.id = w.work_type_id \
             WHERE l.school_id = $1 AND l.edu_group_id IN (SELECT edu_group_id FROM edu_group_members \
                 WHERE school_id = $1 AND person_id = $2 AND since <= $4 AND (until IS NULL OR until > $3)) \
             AND l.date >= $3 AND l.date <= $4 AND m.school_id = $1 AND +m.person_id = $2 \
             ORDER BY l.date, l.number, m.id",
        )
        .bind(school_id).bind(person_id).bind(from).bind(to)
        .fetch_all(pool).await?))
    }

    pub async fn diary_absences(
        &self,
        school_id: i64,
        person_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<DiaryAbsence>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, DiaryAbsence>(
            // As the marks: from the week's lessons of the student's groups to the entry of
            // each (lesson, student), where starting from the student's absences of the year
            // visited each one's lesson (measured on the city: 168 → 41 µs with the pages in
            // memory, and a few dozen fewer pages read from disk when they are not).
            "SELECT a.lesson_id, l.date, l.subject_id, a.status, a.reason FROM lessons l \
             JOIN lesson_log_entries a ON a.lesson_id = l.id AND a.person_id = $2 \
             WHERE l.school_id = $1 AND l.edu_group_id IN (SELECT edu_group_id FROM edu_group_members \
                 WHERE school_id = $1 AND person_id = $2 AND since <= $4 AND (until IS NULL OR until > $3)) \
             AND l.date >= $3 AND l.date <= $4 AND a.school_id = $1 ORDER BY l.date, l.number",
        )
        .bind(school_id).bind(person_id).bind(from).bind(to)
        .fetch_all(pool).await?))
    }

    /// Every period mark of a student.
    pub async fn diary_period_marks(
        &self,
        school_id: i64,
        person_id: i64,
    ) -> Result<Vec<DiaryPeriodMark>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, DiaryPeriodMark>(
            "SELECT period_id, subject_id, value FROM period_marks WHERE school_id = $1 AND person_id = $2",
        )
        .bind(school_id).bind(person_id)
        .fetch_all(pool).await?))
    }

    /// The files of the given lessons.
    pub async fn files_of_lessons(
        &self,
        school_id: i64,
        lessons: &[i64],
    ) -> Result<Vec<DiaryFile>> {
        if lessons.is_empty() {
            return Ok(Vec::new());
        }
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new("SELECT id, lesson_id, name, size FROM lesson_files WHERE school_id = ");
            qb.push_bind(school_id).push(" AND lesson_id IN (");
            let mut list = qb.separated(", ");
            for id in lessons {
                list.push_bind(*id);
            }
            qb.push(") ORDER BY id");
            Ok(qb.build_query_as::<DiaryFile>().fetch_all(pool).await?)
        })
    }
}

/// A change of a student's mark, as the family may see it: when, in which subject, by whom.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MarkChange {
    pub at: i64,
    pub kind: String,
    pub subject_name: Option<String>,
    pub lesson_date: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
}

impl Store {
    /// The latest changes and removals of a student's marks and period marks (not the
    /// first entries, which the diary shows as marks), newest first.
    pub async fn mark_changes(
        &self,
        school_id: i64,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<MarkChange>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, MarkChange>(
            "SELECT h.at, h.kind, COALESCE(s.name, ps.name) AS subject_name, l.date AS lesson_date, h.old_value, h.new_value, \
                    p.last_name, p.first_name, p.middle_name \
             FROM journal_history h \
             LEFT JOIN lessons l ON h.kind = 'mark' AND l.id = h.lesson_id LEFT JOIN subjects s ON s.id = l.subject_id \
             LEFT JOIN period_marks pm ON h.kind = 'period_mark' AND pm.id = h.target_id LEFT JOIN subjects ps ON ps.id = pm.subject_id \
             LEFT JOIN persons p ON p.id = h.actor_id \
             WHERE h.school_id = $1 AND h.person_id = $2 AND h.kind IN ('mark', 'period_mark') AND h.old_value IS NOT NULL \
             ORDER BY h.id DESC LIMIT $3",
        )
        .bind(school_id).bind(person_id).bind(limit)
        .fetch_all(pool).await?))
    }
}

/// A homework of a student's lesson.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HomeworkRow {
    pub lesson_id: i64,
    pub date: String,
    pub subject_name: String,
    pub homework: String,
    pub homework_due: Option<String>,
}

impl Store {
    /// The homework of the given groups' lessons due from `from` to `to`, by due date.
    pub async fn homework_due(
        &self,
        school_id: i64,
        groups: &[i64],
        from: &str,
        to: &str,
    ) -> Result<Vec<HomeworkRow>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT l.id AS lesson_id, l.date, s.name AS subject_name, l.homework, l.homework_due \
                 FROM lessons l JOIN subjects s ON s.id = l.subject_id WHERE l.school_id = ",
            );
            qb.push_bind(school_id)
                .push(" AND l.homework <> '' AND l.status <> 'cancelled' AND COALESCE(l.homework_due, l.date) >= ")
                .push_bind(from)
                .push(" AND COALESCE(l.homework_due, l.date) <= ")
                .push_bind(to)
                .push(" AND l.edu_group_id IN (");
            let mut list = qb.separated(", ");
            for g in groups {
                list.push_bind(*g);
            }
            qb.push(") ORDER BY COALESCE(l.homework_due, l.date), s.name");
            Ok(qb.build_query_as::<HomeworkRow>().fetch_all(pool).await?)
        })
    }
}

/// A calendar feed of a student, as its owner sees it (the secret is never stored).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedRow {
    pub id: i64,
    pub school_id: i64,
    pub student_id: i64,
    pub owner_id: i64,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Store {
    /// Records a new feed of `student_id` made by `owner_id`, audited.
    pub async fn create_feed(
        &self,
        school_id: i64,
        student_id: i64,
        owner_id: i64,
        token_hash: &str,
        audit: &crate::AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO calendar_feeds (school_id, student_id, owner_id, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(student_id).bind(owner_id).bind(token_hash).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "calendar_feed", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The feeds `owner_id` made for `student_id`, newest first.
    pub async fn feeds_of(&self, owner_id: i64, student_id: i64) -> Result<Vec<FeedRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, FeedRow>(
            "SELECT id, school_id, student_id, owner_id, created_at, revoked_at FROM calendar_feeds \
             WHERE owner_id = $1 AND student_id = $2 ORDER BY id DESC",
        )
        .bind(owner_id).bind(student_id)
        .fetch_all(pool).await?))
    }

    /// Revokes a feed of its owner; `NotFound` for anyone else's.
    pub async fn revoke_feed(
        &self,
        owner_id: i64,
        id: i64,
        audit: &crate::AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE id = $2 AND owner_id = $3 AND revoked_at IS NULL")
                .bind(audit.at).bind(id).bind(owner_id).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(crate::StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit, "calendar_feed", id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The live feed with this secret's hash.
    pub async fn feed_by_token(&self, token_hash: &str) -> Result<Option<FeedRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, FeedRow>(
            "SELECT id, school_id, student_id, owner_id, created_at, revoked_at FROM calendar_feeds \
             WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(pool).await?))
    }
}
