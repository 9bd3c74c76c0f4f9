//! The class journal (§4.1): lessons of a group in a subject with their topic and homework,
//! works, marks and absences; every change written with its history row and its audit row
//! in one transaction, so a change without a trace cannot exist.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, StoreError, grouped_write, on_read, on_write};

/// One row of the journal's history, written beside the change it describes.
struct History<'a> {
    school_id: i64,
    kind: &'static str,
    target_id: i64,
    lesson_id: Option<i64>,
    person_id: Option<i64>,
    old: Option<&'a str>,
    new: Option<&'a str>,
    reason: &'a str,
    /// The client's idempotency key, for a write that may be retried.
    key: Option<&'a str>,
}

/// Inserts a [`History`] row with the actor, session and address of `audit`, in the
/// caller's transaction.
macro_rules! insert_history {
    ($ex:expr, $h:expr, $audit:expr) => {{
        let h: &History = $h;
        let a: &AuditEntry = $audit;
        sqlx::query(
            "INSERT INTO journal_history (school_id, kind, target_id, lesson_id, person_id, old_value, new_value, reason, \
             actor_id, session_hash, ip, idempotency_key, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(h.school_id).bind(h.kind).bind(h.target_id).bind(h.lesson_id).bind(h.person_id)
        .bind(h.old).bind(h.new).bind(h.reason).bind(a.actor_person_id).bind(&a.session_hash)
        .bind(&a.ip).bind(h.key).bind(a.at)
        .execute($ex)
        .await
    }};
}

/// A lesson's topic, homework and due date as its history rows record them.
pub(crate) fn lesson_text_json(topic: &str, homework: &str, due: Option<&str>) -> String {
    serde_json::json!({ "topic": topic, "homework": homework, "due": due }).to_string()
}

/// Writes the notices of a change to a student's parents (and to the student, if they
/// asked), in the caller's transaction: the outbox the mailer and the site read.
/// `$subject` names it for a change without a lesson (a period mark).
macro_rules! notify {
    ($ex:expr, $school:expr, $student:expr, $kind:expr, $lesson:expr, $subject:expr, $old:expr, $new:expr, $at:expr) => {{
        let lesson: Option<i64> = $lesson;
        let subject: Option<&str> = $subject;
        sqlx::query(
            "INSERT INTO notifications (school_id, recipient_id, student_id, kind, lesson_id, subject, old_value, new_value, created_at) \
             SELECT $1, r.id, $2, $3, $4, COALESCE($5, (SELECT s.name FROM lessons l JOIN subjects s ON s.id = l.subject_id WHERE l.id = $4), ''), $6, $7, $8 \
             FROM (SELECT parent_id AS id FROM parent_links WHERE child_id = $2 \
                   UNION SELECT person_id AS id FROM notification_settings WHERE person_id = $2 AND own = TRUE) r \
             WHERE COALESCE((SELECT decision FROM access_statements WHERE student_id = $2 ORDER BY id DESC LIMIT 1), 'consent') <> 'refusal'",
        )
        .bind($school).bind($student).bind($kind).bind(lesson).bind(subject).bind($old).bind($new).bind($at)
        .execute($ex)
        .await
    }};
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JournalLesson {
    pub id: i64,
    pub date: String,
    pub number: i32,
    pub topic: String,
    pub homework: String,
    pub homework_due: Option<String>,
    pub status: String,
    pub teacher_id: Option<i64>,
    pub replaced_teacher_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JournalWork {
    pub id: i64,
    pub lesson_id: i64,
    pub work_type_id: i64,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JournalMark {
    pub id: i64,
    pub work_id: i64,
    pub lesson_id: i64,
    pub person_id: i64,
    pub value: String,
    pub comment: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JournalAbsence {
    pub lesson_id: i64,
    pub person_id: i64,
    pub status: String,
    pub reason: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkTypeRow {
    pub id: i64,
    pub name: String,
    pub abbreviation: String,
    pub weight: i32,
    pub is_final: bool,
}

/// A group's journal in a subject over a date range.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    pub lessons: Vec<JournalLesson>,
    pub works: Vec<JournalWork>,
    pub marks: Vec<JournalMark>,
    pub absences: Vec<JournalAbsence>,
}

/// One lesson row as the journal's permission checks need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LessonFacts {
    pub id: i64,
    pub school_id: i64,
    pub group_id: i64,
    pub subject_id: i64,
    pub date: String,
    pub teacher_id: Option<i64>,
    pub status: String,
}

/// A mark to write: on a work of the lesson (`work_id`), or on the lesson's first work of
/// `work_type_id` (created when missing). `value: None` removes the mark.
#[derive(Debug, Clone)]
pub struct MarkWrite<'a> {
    pub lesson_id: i64,
    pub work_id: Option<i64>,
    pub work_type_id: i64,
    pub person_id: i64,
    pub value: Option<&'a str>,
    pub comment: &'a str,
    pub reason: &'a str,
    pub idempotency_key: Option<&'a str>,
}

/// A [`MarkWrite`] that owns its text, to travel to the writer (see `grouped_write!`).
struct OwnedMarkWrite {
    lesson_id: i64,
    work_id: Option<i64>,
    work_type_id: i64,
    person_id: i64,
    value: Option<String>,
    comment: String,
    reason: String,
    idempotency_key: Option<String>,
}

impl From<&MarkWrite<'_>> for OwnedMarkWrite {
    fn from(w: &MarkWrite<'_>) -> Self {
        OwnedMarkWrite {
            lesson_id: w.lesson_id,
            work_id: w.work_id,
            work_type_id: w.work_type_id,
            person_id: w.person_id,
            value: w.value.map(str::to_owned),
            comment: w.comment.to_owned(),
            reason: w.reason.to_owned(),
            idempotency_key: w.idempotency_key.map(str::to_owned),
        }
    }
}

impl OwnedMarkWrite {
    fn as_write(&self) -> MarkWrite<'_> {
        MarkWrite {
            lesson_id: self.lesson_id,
            work_id: self.work_id,
            work_type_id: self.work_type_id,
            person_id: self.person_id,
            value: self.value.as_deref(),
            comment: &self.comment,
            reason: &self.reason,
            idempotency_key: self.idempotency_key.as_deref(),
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The mark's id (`None` after a removal).
    pub mark_id: Option<i64>,
    pub work_id: i64,
    /// The same idempotency key was seen before: nothing was changed this time.
    pub replayed: bool,
    /// The value this write set (`None`: removed, or nothing there).
    pub value: Option<String>,
    /// The value before this write.
    pub old_value: Option<String>,
}

/// The first answer to a write with an idempotency key, as `write_keys` keeps it.
#[derive(sqlx::FromRow)]
struct KeptAnswer {
    mark_id: Option<i64>,
    work_id: i64,
    value: Option<String>,
    old_value: Option<String>,
    school_id: i64,
}

const SEL_LESSONS: &str = "SELECT l.id, l.date, l.number, l.topic, l.homework, l.homework_due, l.status, l.teacher_id, l.replaced_teacher_id \
     FROM lessons l WHERE l.school_id = $1 AND l.edu_group_id = $2 AND l.subject_id = $3 AND l.date >= $4 AND l.date <= $5 \
     ORDER BY l.date, l.number";

impl Store {
    /// The journal of a group (a class or a subgroup) in a subject from `from` to `to`
    /// (YYYY-MM-DD, inclusive).
    pub async fn journal(
        &self,
        school_id: i64,
        group_id: i64,
        subject_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Journal> {
        on_read!(self, pool => {
            let lessons: Vec<JournalLesson> = sqlx::query_as(SEL_LESSONS)
                .bind(school_id).bind(group_id).bind(subject_id).bind(from).bind(to)
                .fetch_all(pool).await?;
            let works: Vec<JournalWork> = sqlx::query_as(
                "SELECT w.id, w.lesson_id, w.work_type_id, w.kind, w.text FROM works w JOIN lessons l ON l.id = w.lesson_id \
                 WHERE l.school_id = $1 AND l.edu_group_id = $2 AND l.subject_id = $3 AND l.date >= $4 AND l.date <= $5 ORDER BY w.id",
            )
            .bind(school_id).bind(group_id).bind(subject_id).bind(from).bind(to)
            .fetch_all(pool).await?;
            let marks: Vec<JournalMark> = sqlx::query_as(
                "SELECT m.id, m.work_id, w.lesson_id, m.person_id, m.value, m.comment FROM marks m \
                 JOIN works w ON w.id = m.work_id JOIN lessons l ON l.id = w.lesson_id \
                 WHERE l.school_id = $1 AND l.edu_group_id = $2 AND l.subject_id = $3 AND l.date >= $4 AND l.date <= $5 ORDER BY m.id",
            )
            .bind(school_id).bind(group_id).bind(subject_id).bind(from).bind(to)
            .fetch_all(pool).await?;
            let absences: Vec<JournalAbsence> = sqlx::query_as(
                "SELECT a.lesson_id, a.person_id, a.status, a.reason FROM lesson_log_entries a JOIN lessons l ON l.id = a.lesson_id \
                 WHERE l.school_id = $1 AND l.edu_group_id = $2 AND l.subject_id = $3 AND l.date >= $4 AND l.date <= $5",
            )
            .bind(school_id).bind(group_id).bind(subject_id).bind(from).bind(to)
            .fetch_all(pool).await?;
            Ok(Journal { lessons, works, marks, absences })
        })
    }

    /// The facts of one lesson of a school; `None` when it is not the school's.
    pub async fn lesson_facts(
        &self,
        school_id: i64,
        lesson_id: i64,
    ) -> Result<Option<LessonFacts>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LessonFacts>(
            "SELECT id, school_id, edu_group_id AS group_id, subject_id, date, teacher_id, status FROM lessons \
             WHERE id = $1 AND school_id = $2",
        )
        .bind(lesson_id)
        .bind(school_id)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn work_types(&self, school_id: i64) -> Result<Vec<WorkTypeRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, WorkTypeRow>(
            "SELECT id, name, abbreviation, weight, is_final FROM work_types WHERE school_id = $1 ORDER BY id",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// Writes (or removes) one mark with its history row and audit row, in one transaction.
    /// A key seen before replays: nothing changes and the earlier result is returned.
    /// `NotFound` when the lesson, the work or the work type is not the school's.
    pub async fn write_mark(
        &self,
        school_id: i64,
        w: &MarkWrite<'_>,
        audit: &AuditEntry,
    ) -> Result<Written> {
        let owned = OwnedMarkWrite::from(w);
        let audit = audit.clone();
        grouped_write!(
            self,
            crate::memo::Dep::Person(school_id, w.person_id),
            Written,
            |tx| {
                let w = owned.as_write();
                let audit = &audit;
                let actor = audit.actor_person_id.unwrap_or(0);
                if let Some(key) = w.idempotency_key {
                    let seen: Option<KeptAnswer> = sqlx::query_as(
                        "SELECT mark_id, work_id, value, old_value, school_id FROM write_keys \
                             WHERE actor_id = $1 AND key = $2",
                    )
                    .bind(actor)
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some(kept) = seen {
                        if kept.school_id != school_id {
                            return Err(StoreError::NotFound);
                        }
                        return Ok(Written {
                            mark_id: kept.mark_id,
                            work_id: kept.work_id,
                            replayed: true,
                            value: kept.value,
                            old_value: kept.old_value,
                        });
                    }
                }
                // The write itself; whatever it did, its answer is kept under the key.
                let history_key = w.idempotency_key.map(|k| format!("{actor}:{k}"));
                let written: Result<Written> = async {
                let lesson: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM lessons WHERE id = $1 AND school_id = $2")
                        .bind(w.lesson_id)
                        .bind(school_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if lesson.is_none() {
                    return Err(StoreError::NotFound);
                }
                let work_id: i64 = match w.work_id {
                    Some(id) => {
                        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM works WHERE id = $1 AND lesson_id = $2 AND school_id = $3")
                        .bind(id).bind(w.lesson_id).bind(school_id).fetch_optional(&mut *tx).await?;
                        found.ok_or(StoreError::NotFound)?.0
                    }
                    None => {
                        let kind: Option<(i64,)> = sqlx::query_as(
                            "SELECT id FROM work_types WHERE id = $1 AND school_id = $2",
                        )
                        .bind(w.work_type_id)
                        .bind(school_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if kind.is_none() {
                            return Err(StoreError::NotFound);
                        }
                        let found: Option<(i64,)> = sqlx::query_as(
                        "SELECT id FROM works WHERE lesson_id = $1 AND work_type_id = $2 AND kind = 'lesson' ORDER BY id LIMIT 1",
                    )
                    .bind(w.lesson_id).bind(w.work_type_id).fetch_optional(&mut *tx).await?;
                        match found {
                        Some((id,)) => id,
                        None => sqlx::query_scalar(
                            "INSERT INTO works (school_id, lesson_id, work_type_id, kind, created_by, created_at) \
                             VALUES ($1, $2, $3, 'lesson', $4, $5) RETURNING id",
                        )
                        .bind(school_id).bind(w.lesson_id).bind(w.work_type_id).bind(audit.actor_person_id).bind(audit.at)
                        .fetch_one(&mut *tx).await?,
                    }
                    }
                };
                let existing: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, value FROM marks WHERE work_id = $1 AND person_id = $2 ORDER BY id LIMIT 1",
            )
            .bind(work_id).bind(w.person_id).fetch_optional(&mut *tx).await?;
                let old_value = existing.as_ref().map(|e| e.1.clone());
                let mark_id: Option<i64> = match (&existing, w.value) {
                (None, None) => None,
                (Some((id, old)), Some(v)) if old == v => {
                    sqlx::query("UPDATE marks SET comment = $1 WHERE id = $2")
                        .bind(w.comment).bind(id).execute(&mut *tx).await?;
                    return Ok(Written { mark_id: Some(*id), work_id, replayed: false, value: Some(v.to_owned()), old_value });
                }
                (Some((id, _)), Some(v)) => {
                    sqlx::query("UPDATE marks SET value = $1, comment = $2, updated_at = $3 WHERE id = $4")
                        .bind(v).bind(w.comment).bind(audit.at).bind(id).execute(&mut *tx).await?;
                    Some(*id)
                }
                (Some((id, _)), None) => {
                    sqlx::query("DELETE FROM marks WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    Some(*id)
                }
                (None, Some(v)) => Some(sqlx::query_scalar(
                    "INSERT INTO marks (school_id, work_id, person_id, value, comment, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                )
                .bind(school_id).bind(work_id).bind(w.person_id).bind(v).bind(w.comment).bind(audit.actor_person_id).bind(audit.at)
                .fetch_one(&mut *tx).await?),
            };
                let Some(target) = mark_id else {
                    // Nothing there and nothing asked for.
                    return Ok(Written {
                        mark_id: None,
                        work_id,
                        replayed: false,
                        value: None,
                        old_value,
                    });
                };
                insert_history!(
                    &mut *tx,
                    &History {
                        school_id,
                        kind: "mark",
                        target_id: target,
                        lesson_id: Some(w.lesson_id),
                        person_id: Some(w.person_id),
                        old: old_value.as_deref(),
                        new: w.value,
                        reason: w.reason,
                        // Keys are their sender's; the history's column is unique across
                        // everyone, so it holds the key with its sender.
                        key: history_key.as_deref(),
                    },
                    audit
                )?;
                insert_audit!(&mut *tx, audit, "mark", target)?;
                notify!(
                    &mut *tx,
                    school_id,
                    w.person_id,
                    "mark",
                    Some(w.lesson_id),
                    None,
                    old_value.as_deref(),
                    w.value,
                    audit.at
                )?;
                Ok(Written {
                    mark_id: if w.value.is_some() {
                        Some(target)
                    } else {
                        None
                    },
                    work_id,
                    replayed: false,
                    value: w.value.map(str::to_owned),
                    old_value,
                })
                }
                .await;
                let written = written?;
                if let Some(key) = w.idempotency_key {
                    sqlx::query(
                        "INSERT INTO write_keys (actor_id, key, school_id, mark_id, work_id, value, old_value, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(actor)
                    .bind(key)
                    .bind(school_id)
                    .bind(written.mark_id)
                    .bind(written.work_id)
                    .bind(&written.value)
                    .bind(&written.old_value)
                    .bind(audit.at)
                    .execute(&mut *tx)
                    .await?;
                }
                Ok(written)
            }
        )
    }

    /// Sets (or clears, with `None`) a student's absence at a lesson, with history and audit.
    pub async fn write_absence(
        &self,
        school_id: i64,
        lesson_id: i64,
        person_id: i64,
        status: Option<(&str, &str)>,
        reason_text: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        let status = status.map(|(s, r)| (s.to_owned(), r.to_owned()));
        let reason_text = reason_text.to_owned();
        let audit = audit.clone();
        grouped_write!(
            self,
            crate::memo::Dep::Person(school_id, person_id),
            (),
            |tx| {
                let status = status.as_ref().map(|(s, r)| (s.as_str(), r.as_str()));
                let (reason_text, audit) = (reason_text.as_str(), &audit);
                let lesson: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM lessons WHERE id = $1 AND school_id = $2")
                        .bind(lesson_id)
                        .bind(school_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if lesson.is_none() {
                    return Err(StoreError::NotFound);
                }
                let old: Option<(String, String)> = sqlx::query_as(
                "SELECT status, reason FROM lesson_log_entries WHERE lesson_id = $1 AND person_id = $2",
            )
            .bind(lesson_id).bind(person_id).fetch_optional(&mut *tx).await?;
                let old_code = old.as_ref().map(|(s, r)| format!("{s}:{r}"));
                let new_code = status.map(|(s, r)| format!("{s}:{r}"));
                if old_code == new_code {
                    return Ok(());
                }
                match status {
                    None => {
                        sqlx::query("DELETE FROM lesson_log_entries WHERE lesson_id = $1 AND person_id = $2")
                        .bind(lesson_id).bind(person_id).execute(&mut *tx).await?;
                    }
                    Some((s, r)) if old.is_some() => {
                        sqlx::query("UPDATE lesson_log_entries SET status = $1, reason = $2 WHERE lesson_id = $3 AND person_id = $4")
                        .bind(s).bind(r).bind(lesson_id).bind(person_id).execute(&mut *tx).await?;
                    }
                    Some((s, r)) => {
                        sqlx::query(
                        "INSERT INTO lesson_log_entries (school_id, lesson_id, person_id, status, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(school_id).bind(lesson_id).bind(person_id).bind(s).bind(r).bind(audit.at)
                    .execute(&mut *tx).await?;
                    }
                }
                insert_history!(
                    &mut *tx,
                    &History {
                        school_id,
                        kind: "absence",
                        target_id: lesson_id,
                        lesson_id: Some(lesson_id),
                        person_id: Some(person_id),
                        old: old_code.as_deref(),
                        new: new_code.as_deref(),
                        reason: reason_text,
                        key: None,
                    },
                    audit
                )?;
                insert_audit!(&mut *tx, audit, "lesson", lesson_id)?;
                notify!(
                    &mut *tx,
                    school_id,
                    person_id,
                    "absence",
                    Some(lesson_id),
                    None,
                    old_code.as_deref(),
                    new_code.as_deref(),
                    audit.at
                )?;
                Ok(())
            }
        )
    }

    /// Sets a lesson's topic and homework, with history and audit.
    pub async fn write_lesson_text(
        &self,
        school_id: i64,
        lesson_id: i64,
        topic: &str,
        homework: &str,
        homework_due: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::School(school_id), pool => {
            let mut tx = pool.begin().await?;
            let old: Option<(String, String, Option<String>)> = sqlx::query_as(
                "SELECT topic, homework, homework_due FROM lessons WHERE id = $1 AND school_id = $2",
            )
            .bind(lesson_id).bind(school_id).fetch_optional(&mut *tx).await?;
            let Some(old) = old else {
                return Err(StoreError::NotFound);
            };
            let before = lesson_text_json(&old.0, &old.1, old.2.as_deref());
            let after = lesson_text_json(topic, homework, homework_due);
            if before == after {
                tx.commit().await?;
                return Ok(());
            }
            sqlx::query("UPDATE lessons SET topic = $1, homework = $2, homework_due = $3 WHERE id = $4")
                .bind(topic).bind(homework).bind(homework_due).bind(lesson_id).execute(&mut *tx).await?;
            insert_history!(&mut *tx, &History {
                school_id, kind: "lesson", target_id: lesson_id, lesson_id: Some(lesson_id), person_id: None,
                old: Some(&before), new: Some(&after), reason: "", key: None,
            }, audit)?;
            insert_audit!(&mut *tx, audit, "lesson", lesson_id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every change concerning a student (marks, absences, period, year and final marks),
    /// oldest first.
    pub async fn person_history(&self, school_id: i64, person_id: i64) -> Result<Vec<HistoryRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, HistoryRow>(
            "SELECT id, kind, target_id, person_id, old_value, new_value, reason, actor_id, ip, at FROM journal_history \
             WHERE school_id = $1 AND person_id = $2 ORDER BY id",
        )
        .bind(school_id)
        .bind(person_id)
        .fetch_all(pool)
        .await?))
    }

    /// The history of a lesson's marks, absences and text, oldest first.
    pub async fn lesson_history(&self, school_id: i64, lesson_id: i64) -> Result<Vec<HistoryRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, HistoryRow>(
            "SELECT id, kind, target_id, person_id, old_value, new_value, reason, actor_id, ip, at FROM journal_history \
             WHERE school_id = $1 AND lesson_id = $2 ORDER BY id",
        )
        .bind(school_id)
        .bind(lesson_id)
        .fetch_all(pool)
        .await?))
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub kind: String,
    pub target_id: i64,
    pub person_id: Option<i64>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: String,
    pub actor_id: Option<i64>,
    pub ip: String,
    pub at: i64,
}

/// A school's grading settings (DOMAIN.md §1), defaults when the school has set none.
#[derive(Debug, Clone, PartialEq)]
pub struct GradingSettings {
    pub rules: zhurnal_core::grading::Rules,
    pub edit_window_days: u8,
}

impl Store {
    pub async fn grading_settings(&self, school_id: i64) -> Result<GradingSettings> {
        use zhurnal_core::grading::{Method, Rules, Scale};
        type Row = (String, String, i32, i32, i32, i32, i32);
        let row: Option<Row> = on_read!(self, pool => sqlx::query_as(
            "SELECT method, bounds, min_marks, no_top_with_two, with_one, with_signs, edit_window_days \
             FROM grading_settings WHERE school_id = $1",
        )
        .bind(school_id)
        .fetch_optional(pool)
        .await?);
        let Some((method, bounds, min_marks, no_top, one, signs, window)) = row else {
            return Ok(GradingSettings {
                rules: Rules::default(),
                edit_window_days: 7,
            });
        };
        let bounds = bounds
            .split(',')
            .filter_map(|b| {
                let (mark, lower) = b.split_once(':')?;
                Some((mark.trim().parse().ok()?, lower.trim().parse().ok()?))
            })
            .collect();
        Ok(GradingSettings {
            rules: Rules {
                scale: Scale {
                    with_one: one != 0,
                    with_signs: signs != 0,
                },
                method: if method == "arithmetic" {
                    Method::Arithmetic
                } else {
                    Method::Weighted
                },
                bounds,
                min_marks: min_marks as u16,
                no_top_with_two: no_top != 0,
            },
            edit_window_days: window as u8,
        })
    }

    /// Whether a person teaches a group in a subject: by the teaching load, or by having
    /// given (or substituted) one of its lessons in it.
    pub async fn teaches(
        &self,
        school_id: i64,
        person_id: i64,
        group_id: i64,
        subject_id: i64,
    ) -> Result<bool> {
        let n: i64 = on_read!(self, pool => sqlx::query_scalar(
            // EXISTS stops at the first row; counting walked all the teacher's lessons.
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM teaching_assignments WHERE school_id = $1 AND teacher_id = $2 AND edu_group_id = $3 AND subject_id = $4) \
                  OR EXISTS (SELECT 1 FROM lessons WHERE school_id = $1 AND teacher_id = $2 AND edu_group_id = $3 AND subject_id = $4) \
                  THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END",
        )
        .bind(school_id)
        .bind(person_id)
        .bind(group_id)
        .bind(subject_id)
        .fetch_one(pool)
        .await?);
        Ok(n > 0)
    }

    /// Whether a person was a member of a group (class or subgroup) on a date.
    pub async fn member_on(
        &self,
        school_id: i64,
        group_id: i64,
        person_id: i64,
        date: &str,
    ) -> Result<bool> {
        // Asked at every mark typed: the group's memberships are kept in memory (a roster
        // change is a write that drops them).
        let spans = self
            .memo(
                ("group_spans", [school_id, group_id, 0, 0]),
                crate::memo::Dep::All,
                self.group_spans(school_id, group_id),
            )
            .await?;
        Ok(spans.iter().any(|(p, since, until)| {
            *p == person_id && since.as_str() <= date && until.as_deref().is_none_or(|u| u > date)
        }))
    }

    /// Every membership of a group, past ones too: (person, since, until).
    async fn group_spans(
        &self,
        school_id: i64,
        group_id: i64,
    ) -> Result<Vec<(i64, String, Option<String>)>> {
        on_read!(self, pool => Ok(sqlx::query_as(
            "SELECT person_id, since, until FROM edu_group_members WHERE school_id = $1 AND edu_group_id = $2",
        )
        .bind(school_id)
        .bind(group_id)
        .fetch_all(pool)
        .await?))
    }
}

impl Store {
    /// Adds a work (a test, a dictation, homework to be marked…) to a lesson; `NotFound`
    /// when the lesson or the work type is not the school's.
    pub async fn add_work(
        &self,
        school_id: i64,
        lesson_id: i64,
        work_type_id: i64,
        kind: &str,
        text: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::School(school_id), pool => {
            let mut tx = pool.begin().await?;
            let ok: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM lessons WHERE id = $1 AND school_id = $3) \
                      + (SELECT COUNT(*) FROM work_types WHERE id = $2 AND school_id = $3)",
            )
            .bind(lesson_id).bind(work_type_id).bind(school_id)
            .fetch_one(&mut *tx).await?;
            if ok < 2 {
                return Err(StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO works (school_id, lesson_id, work_type_id, kind, text, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(school_id).bind(lesson_id).bind(work_type_id).bind(kind).bind(text).bind(audit.actor_person_id).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "work", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// One lesson with its group, subject and teacher names, for its page.
    pub async fn lesson_row(
        &self,
        school_id: i64,
        lesson_id: i64,
    ) -> Result<Option<crate::LessonRow>> {
        let d = self.lesson_facts(school_id, lesson_id).await?;
        let Some(d) = d else { return Ok(None) };
        let Ok(date) = d.date.parse::<jiff::civil::Date>() else {
            return Ok(None);
        };
        let rows = self
            .class_lessons(school_id, d.group_id, date, date)
            .await?;
        Ok(rows.into_iter().find(|l| l.id == lesson_id))
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeriodMarkRow {
    pub person_id: i64,
    pub value: String,
    pub proposed: Option<String>,
    pub average_hundredths: Option<i32>,
}

/// A period mark to set (or remove, with `value: None`).
#[derive(Debug, Clone)]
pub struct PeriodMarkWrite<'a> {
    pub period_id: i64,
    pub subject_id: i64,
    pub person_id: i64,
    pub value: Option<&'a str>,
    /// What Zhurnal proposed, and the average it came from.
    pub proposed: Option<&'a str>,
    pub average_hundredths: Option<i32>,
    pub reason: &'a str,
}

impl Store {
    /// The period marks of a subject in a period.
    pub async fn period_marks(
        &self,
        school_id: i64,
        period_id: i64,
        subject_id: i64,
    ) -> Result<Vec<PeriodMarkRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, PeriodMarkRow>(
            "SELECT person_id, value, proposed, average_hundredths FROM period_marks \
             WHERE school_id = $1 AND period_id = $2 AND subject_id = $3",
        )
        .bind(school_id)
        .bind(period_id)
        .bind(subject_id)
        .fetch_all(pool)
        .await?))
    }

    /// Sets a period mark with its history and audit rows, in one transaction; `NotFound`
    /// when the period or the subject is not the school's.
    pub async fn write_period_mark(
        &self,
        school_id: i64,
        w: &PeriodMarkWrite<'_>,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let ok: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM reporting_periods WHERE id = $1 AND school_id = $3) \
                      + (SELECT COUNT(*) FROM subjects WHERE id = $2 AND school_id = $3)",
            )
            .bind(w.period_id).bind(w.subject_id).bind(school_id)
            .fetch_one(&mut *tx).await?;
            if ok < 2 {
                return Err(StoreError::NotFound);
            }
            let old: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, value FROM period_marks WHERE period_id = $1 AND subject_id = $2 AND person_id = $3",
            )
            .bind(w.period_id).bind(w.subject_id).bind(w.person_id)
            .fetch_optional(&mut *tx).await?;
            let old_value = old.as_ref().map(|o| o.1.clone());
            if old_value.as_deref() == w.value {
                tx.commit().await?;
                return Ok(());
            }
            let target: i64 = match (&old, w.value) {
                (Some((id, _)), Some(v)) => {
                    sqlx::query("UPDATE period_marks SET value = $1, proposed = $2, average_hundredths = $3, set_by = $4, set_at = $5 WHERE id = $6")
                        .bind(v).bind(w.proposed).bind(w.average_hundredths).bind(audit.actor_person_id).bind(audit.at).bind(id)
                        .execute(&mut *tx).await?;
                    *id
                }
                (Some((id, _)), None) => {
                    sqlx::query("DELETE FROM period_marks WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    *id
                }
                (None, Some(v)) => sqlx::query_scalar(
                    "INSERT INTO period_marks (school_id, period_id, subject_id, person_id, value, proposed, average_hundredths, set_by, set_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(school_id).bind(w.period_id).bind(w.subject_id).bind(w.person_id).bind(v).bind(w.proposed)
                .bind(w.average_hundredths).bind(audit.actor_person_id).bind(audit.at)
                .fetch_one(&mut *tx).await?,
                (None, None) => {
                    tx.commit().await?;
                    return Ok(());
                }
            };
            insert_history!(&mut *tx, &History {
                school_id, kind: "period_mark", target_id: target, lesson_id: None, person_id: Some(w.person_id),
                old: old_value.as_deref(), new: w.value, reason: w.reason, key: None,
            }, audit)?;
            insert_audit!(&mut *tx, audit, "period_mark", target)?;
            let subject: Option<String> = sqlx::query_scalar("SELECT name FROM subjects WHERE id = $1")
                .bind(w.subject_id).fetch_optional(&mut *tx).await?;
            notify!(&mut *tx, school_id, w.person_id, "period_mark", None, subject.as_deref(), old_value.as_deref(), w.value, audit.at)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The year, exam and final marks of a subject in a study year, for every student.
    pub async fn year_marks(
        &self,
        school_id: i64,
        study_year: i16,
        subject_id: i64,
    ) -> Result<Vec<YearMarkRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, YearMarkRow>(
            "SELECT person_id, kind, value, proposed FROM year_marks \
             WHERE school_id = $1 AND study_year = $2 AND subject_id = $3",
        )
        .bind(school_id).bind(i32::from(study_year)).bind(subject_id)
        .fetch_all(pool).await?))
    }

    /// A student's period marks (in period order) and year mark in a subject of an earlier
    /// study year: what the 11th grade's final mark is computed from.
    /// The year marks of a school's year that leave an academic debt (273-ФЗ ст. 58 ч. 2):
    /// «2», «1», «незач» or «н/а», as (student, subject's name, mark), by student.
    pub async fn failing_year_marks(
        &self,
        school_id: i64,
        study_year: i16,
    ) -> Result<Vec<(i64, String, String)>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, (i64, String, String)>(
            "SELECT y.person_id, s.name, y.value FROM year_marks y JOIN subjects s ON s.id = y.subject_id \
             WHERE y.school_id = $1 AND y.study_year = $2 AND y.kind = 'year' \
               AND y.value IN ('1', '2', 'незач', 'н/а') ORDER BY y.person_id, s.name",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .fetch_all(pool)
        .await?))
    }

    pub async fn earlier_marks(
        &self,
        school_id: i64,
        person_id: i64,
        subject_id: i64,
        study_year: i16,
    ) -> Result<Vec<String>> {
        on_read!(self, pool => {
            let mut marks: Vec<String> = sqlx::query_scalar(
                "SELECT pm.value FROM period_marks pm JOIN reporting_periods rp ON rp.id = pm.period_id \
                 WHERE pm.school_id = $1 AND pm.person_id = $2 AND pm.subject_id = $3 AND rp.study_year = $4 ORDER BY rp.number",
            )
            .bind(school_id).bind(person_id).bind(subject_id).bind(i32::from(study_year))
            .fetch_all(pool).await?;
            let year: Option<String> = sqlx::query_scalar(
                "SELECT value FROM year_marks WHERE school_id = $1 AND person_id = $2 AND subject_id = $3 AND study_year = $4 AND kind = 'year'",
            )
            .bind(school_id).bind(person_id).bind(subject_id).bind(i32::from(study_year))
            .fetch_optional(pool).await?;
            marks.extend(year);
            Ok(marks)
        })
    }

    /// Sets (or removes) a year, exam or final mark with its history and audit rows, in one
    /// transaction. The history keeps «year: 4» so the kind of mark is never lost.
    pub async fn write_year_mark(
        &self,
        school_id: i64,
        w: &YearMarkWrite<'_>,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let subject: Option<(i64,)> = sqlx::query_as("SELECT id FROM subjects WHERE id = $1 AND school_id = $2")
                .bind(w.subject_id).bind(school_id).fetch_optional(&mut *tx).await?;
            if subject.is_none() {
                return Err(StoreError::NotFound);
            }
            let old: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, value FROM year_marks WHERE school_id = $1 AND study_year = $2 AND subject_id = $3 AND person_id = $4 AND kind = $5",
            )
            .bind(school_id).bind(i32::from(w.study_year)).bind(w.subject_id).bind(w.person_id).bind(w.kind)
            .fetch_optional(&mut *tx).await?;
            if old.as_ref().map(|o| o.1.as_str()) == w.value {
                tx.commit().await?;
                return Ok(());
            }
            let target: i64 = match (&old, w.value) {
                (Some((id, _)), Some(v)) => {
                    sqlx::query("UPDATE year_marks SET value = $1, proposed = $2, set_by = $3, set_at = $4 WHERE id = $5")
                        .bind(v).bind(w.proposed).bind(audit.actor_person_id).bind(audit.at).bind(id)
                        .execute(&mut *tx).await?;
                    *id
                }
                (Some((id, _)), None) => {
                    sqlx::query("DELETE FROM year_marks WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    *id
                }
                (None, Some(v)) => sqlx::query_scalar(
                    "INSERT INTO year_marks (school_id, study_year, subject_id, person_id, kind, value, proposed, set_by, set_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(school_id).bind(i32::from(w.study_year)).bind(w.subject_id).bind(w.person_id).bind(w.kind).bind(v)
                .bind(w.proposed).bind(audit.actor_person_id).bind(audit.at)
                .fetch_one(&mut *tx).await?,
                (None, None) => {
                    tx.commit().await?;
                    return Ok(());
                }
            };
            let old_text = old.as_ref().map(|o| format!("{}: {}", w.kind, o.1));
            let new_text = w.value.map(|v| format!("{}: {v}", w.kind));
            insert_history!(&mut *tx, &History {
                school_id, kind: "year_mark", target_id: target, lesson_id: None, person_id: Some(w.person_id),
                old: old_text.as_deref(), new: new_text.as_deref(), reason: w.reason, key: None,
            }, audit)?;
            insert_audit!(&mut *tx, audit, "year_mark", target)?;
            tx.commit().await?;
            Ok(())
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct YearMarkRow {
    pub person_id: i64,
    /// `year`, `exam` or `final`.
    pub kind: String,
    pub value: String,
    pub proposed: Option<String>,
}

/// A year, exam or final mark to write; `value: None` removes it.
#[derive(Debug, Clone)]
pub struct YearMarkWrite<'a> {
    pub study_year: i16,
    pub subject_id: i64,
    pub person_id: i64,
    pub kind: &'a str,
    pub value: Option<&'a str>,
    pub proposed: Option<&'a str>,
    pub reason: &'a str,
}

impl Store {
    /// Saves a school's grading settings, audited.
    pub async fn save_grading_settings(
        &self,
        school_id: i64,
        g: &GradingSettings,
        audit: &AuditEntry,
    ) -> Result<()> {
        use zhurnal_core::grading::Method;
        let bounds = g
            .rules
            .bounds
            .iter()
            .map(|(m, b)| format!("{m}:{b}"))
            .collect::<Vec<_>>()
            .join(",");
        let method = if g.rules.method == Method::Arithmetic {
            "arithmetic"
        } else {
            "weighted"
        };
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO grading_settings (school_id, method, bounds, min_marks, no_top_with_two, with_one, with_signs, edit_window_days) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (school_id) DO UPDATE SET method = EXCLUDED.method, bounds = EXCLUDED.bounds, min_marks = EXCLUDED.min_marks, \
                 no_top_with_two = EXCLUDED.no_top_with_two, with_one = EXCLUDED.with_one, with_signs = EXCLUDED.with_signs, \
                 edit_window_days = EXCLUDED.edit_window_days",
            )
            .bind(school_id).bind(method).bind(&bounds).bind(i32::from(g.rules.min_marks))
            .bind(i32::from(g.rules.no_top_with_two)).bind(i32::from(g.rules.scale.with_one))
            .bind(i32::from(g.rules.scale.with_signs)).bind(i32::from(g.edit_window_days))
            .execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "school", school_id)?;
            tx.commit().await?;
            Ok(())
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LessonFileRow {
    pub id: i64,
    pub lesson_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A file to attach, checked by the caller.
#[derive(Debug, Clone)]
pub struct NewLessonFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
}

impl Store {
    pub async fn lesson_files(&self, school_id: i64, lesson_id: i64) -> Result<Vec<LessonFileRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LessonFileRow>(
            "SELECT id, lesson_id, name, content_type, size FROM lesson_files WHERE school_id = $1 AND lesson_id = $2 ORDER BY id",
        )
        .bind(school_id)
        .bind(lesson_id)
        .fetch_all(pool)
        .await?))
    }

    /// A file with its bytes; `None` when it is not the school's.
    pub async fn lesson_file(
        &self,
        school_id: i64,
        id: i64,
    ) -> Result<Option<(LessonFileRow, Vec<u8>)>> {
        let row: Option<(i64, i64, String, String, i64, Vec<u8>)> = on_read!(self, pool => sqlx::query_as(
            "SELECT id, lesson_id, name, content_type, size, data FROM lesson_files WHERE school_id = $1 AND id = $2",
        )
        .bind(school_id)
        .bind(id)
        .fetch_optional(pool)
        .await?);
        Ok(row.map(|(id, lesson_id, name, content_type, size, data)| {
            (
                LessonFileRow {
                    id,
                    lesson_id,
                    name,
                    content_type,
                    size,
                },
                data,
            )
        }))
    }

    /// Attaches a file to a lesson, with history and audit.
    pub async fn add_lesson_file(
        &self,
        school_id: i64,
        lesson_id: i64,
        f: &NewLessonFile<'_>,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::School(school_id), pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO lesson_files (school_id, lesson_id, name, content_type, size, sha256, data, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(school_id).bind(lesson_id).bind(f.name).bind(f.content_type).bind(f.data.len() as i64)
            .bind(f.sha256).bind(f.data).bind(audit.actor_person_id).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            let added = format!("+ {} ({})", f.name, f.sha256);
            insert_history!(&mut *tx, &History {
                school_id, kind: "lesson", target_id: lesson_id, lesson_id: Some(lesson_id), person_id: None,
                old: None, new: Some(&added), reason: "", key: None,
            }, audit)?;
            insert_audit!(&mut *tx, audit, "lesson_file", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Removes a file of a lesson, with history and audit; `NotFound` when it is not there.
    pub async fn remove_lesson_file(
        &self,
        school_id: i64,
        lesson_id: i64,
        id: i64,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::School(school_id), pool => {
            let mut tx = pool.begin().await?;
            let name: Option<(String, String)> = sqlx::query_as(
                "SELECT name, sha256 FROM lesson_files WHERE id = $1 AND lesson_id = $2 AND school_id = $3",
            )
            .bind(id).bind(lesson_id).bind(school_id).fetch_optional(&mut *tx).await?;
            let Some((name, sha)) = name else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("DELETE FROM lesson_files WHERE id = $1").bind(id).execute(&mut *tx).await?;
            let removed = format!("{name} ({sha})");
            insert_history!(&mut *tx, &History {
                school_id, kind: "lesson", target_id: lesson_id, lesson_id: Some(lesson_id), person_id: None,
                old: Some(&removed), new: None, reason: "", key: None,
            }, audit)?;
            insert_audit!(&mut *tx, audit, "lesson_file", id)?;
            tx.commit().await?;
            Ok(())
        })
    }
}

/// How one group's journal in one subject is kept, over a date range.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FillRow {
    pub group_id: i64,
    pub group_name: String,
    pub subject_id: i64,
    pub subject_name: String,
    pub teacher_id: Option<i64>,
    /// Lessons that took place (not cancelled).
    pub lessons: i64,
    pub without_topic: i64,
    pub without_homework: i64,
    pub marks: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckRow {
    pub id: i64,
    pub checked_by: Option<i64>,
    pub at: i64,
    pub comment: String,
}

impl Store {
    /// Fill status of every journal of a class (and its subgroups) from `from` to `to`.
    pub async fn class_fill(
        &self,
        school_id: i64,
        class_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<FillRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, FillRow>(
            "SELECT l.edu_group_id AS group_id, \
                    CASE WHEN pg.id IS NULL THEN g.name ELSE pg.name || ' ' || g.name END AS group_name, \
                    l.subject_id, s.name AS subject_name, MAX(l.teacher_id) AS teacher_id, \
                    COUNT(*) AS lessons, \
                    SUM(CASE WHEN l.topic = '' THEN 1 ELSE 0 END) AS without_topic, \
                    SUM(CASE WHEN l.homework = '' THEN 1 ELSE 0 END) AS without_homework, \
                    (SELECT COUNT(*) FROM marks m JOIN works w ON w.id = m.work_id JOIN lessons l2 ON l2.id = w.lesson_id \
                      WHERE l2.edu_group_id = l.edu_group_id AND l2.subject_id = l.subject_id AND l2.date >= $3 AND l2.date <= $4) AS marks \
             FROM lessons l JOIN edu_groups g ON g.id = l.edu_group_id LEFT JOIN edu_groups pg ON pg.id = g.parent_id \
             JOIN subjects s ON s.id = l.subject_id \
             WHERE l.school_id = $1 AND (g.id = $2 OR g.parent_id = $2) AND l.date >= $3 AND l.date <= $4 AND l.status <> 'cancelled' \
             GROUP BY l.edu_group_id, g.name, pg.id, pg.name, l.subject_id, s.name \
             ORDER BY s.name, group_name",
        )
        .bind(school_id)
        .bind(class_id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }

    /// When each mark of a class (and its subgroups) over a date range was first entered:
    /// (group, subject, lesson date, entered at in ms) — to find marks entered late.
    pub async fn late_marks(
        &self,
        school_id: i64,
        class_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<(i64, i64, String, i64)>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, (i64, i64, String, i64)>(
            "SELECT l.edu_group_id, l.subject_id, l.date, h.at FROM journal_history h \
             JOIN lessons l ON l.id = h.lesson_id JOIN edu_groups g ON g.id = l.edu_group_id \
             WHERE h.school_id = $1 AND h.kind = 'mark' AND h.old_value IS NULL AND h.new_value IS NOT NULL \
               AND (g.id = $2 OR g.parent_id = $2) AND l.date >= $3 AND l.date <= $4",
        )
        .bind(school_id)
        .bind(class_id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }

    pub async fn journal_checks(&self, school_id: i64, class_id: i64) -> Result<Vec<CheckRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, CheckRow>(
            "SELECT id, checked_by, at, comment FROM journal_checks WHERE school_id = $1 AND class_id = $2 ORDER BY at DESC, id DESC",
        )
        .bind(school_id)
        .bind(class_id)
        .fetch_all(pool)
        .await?))
    }

    /// Records the class teacher's check, audited.
    pub async fn add_journal_check(
        &self,
        school_id: i64,
        class_id: i64,
        comment: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO journal_checks (school_id, class_id, checked_by, at, comment) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(class_id).bind(audit.actor_person_id).bind(audit.at).bind(comment)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "journal_check", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClassAbsence {
    pub lesson_id: i64,
    pub date: String,
    pub number: i32,
    pub subject_name: String,
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub status: String,
    pub reason: String,
}

impl Store {
    /// Absences and lateness in a class (and its subgroups) over a date range, by date.
    pub async fn class_absences(
        &self,
        school_id: i64,
        class_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<ClassAbsence>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ClassAbsence>(
            "SELECT a.lesson_id, l.date, l.number, s.name AS subject_name, a.person_id, p.last_name, p.first_name, a.status, a.reason \
             FROM lesson_log_entries a JOIN lessons l ON l.id = a.lesson_id JOIN edu_groups g ON g.id = l.edu_group_id \
             JOIN subjects s ON s.id = l.subject_id JOIN persons p ON p.id = a.person_id \
             WHERE a.school_id = $1 AND (g.id = $2 OR g.parent_id = $2) AND l.date >= $3 AND l.date <= $4 \
             ORDER BY l.date DESC, l.number, p.last_name, p.first_name",
        )
        .bind(school_id)
        .bind(class_id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?))
    }
}
