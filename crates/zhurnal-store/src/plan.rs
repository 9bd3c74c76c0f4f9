//! Planned topics (КТП) of a subject in a group, and filling the lessons' topics from them:
//! in one transaction, every filled lesson with its history row, so a topic that came from
//! the plan is as traceable as one the teacher typed.

use crate::audit::{AuditEntry, insert_audit};
use crate::journal::{History, insert_history, lesson_text_json};
use crate::{Result, Store, on_read, on_write};
use zhurnal_core::plan::{PlannedTopic, YearLesson, fill, lessons};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanRow {
    pub position: i32,
    pub topic: String,
    pub hours: i32,
    pub homework: String,
}

impl Store {
    /// The group's plan in the subject, in order.
    pub async fn topic_plan(
        &self,
        school_id: i64,
        group_id: i64,
        subject_id: i64,
    ) -> Result<Vec<PlanRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, PlanRow>(
            "SELECT position, topic, hours, homework FROM topic_plans \
             WHERE school_id = $1 AND group_id = $2 AND subject_id = $3 ORDER BY position",
        )
        .bind(school_id).bind(group_id).bind(subject_id)
        .fetch_all(pool).await?))
    }

    /// Replaces the group's plan in the subject with `plan` (when given) and fills the
    /// topics of its lessons that have none, in lesson order. Returns how many lessons
    /// were filled. Nothing is written when anything fails.
    pub async fn save_topic_plan(
        &self,
        school_id: i64,
        group_id: i64,
        subject_id: i64,
        plan: Option<&[PlannedTopic]>,
        audit: &AuditEntry,
    ) -> Result<usize> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let plan: Vec<PlannedTopic> = match plan {
                Some(plan) => {
                    sqlx::query("DELETE FROM topic_plans WHERE school_id = $1 AND group_id = $2 AND subject_id = $3")
                        .bind(school_id).bind(group_id).bind(subject_id).execute(&mut *tx).await?;
                    for (i, t) in plan.iter().enumerate() {
                        sqlx::query(
                            "INSERT INTO topic_plans (school_id, group_id, subject_id, position, topic, hours, homework, loaded_by, loaded_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        )
                        .bind(school_id).bind(group_id).bind(subject_id).bind(i as i32 + 1).bind(&t.topic)
                        .bind(i32::from(t.hours)).bind(&t.homework).bind(audit.actor_person_id).bind(audit.at)
                        .execute(&mut *tx).await?;
                    }
                    plan.to_vec()
                }
                None => {
                    let rows: Vec<PlanRow> = sqlx::query_as(
                        "SELECT position, topic, hours, homework FROM topic_plans \
                         WHERE school_id = $1 AND group_id = $2 AND subject_id = $3 ORDER BY position",
                    )
                    .bind(school_id).bind(group_id).bind(subject_id).fetch_all(&mut *tx).await?;
                    rows.into_iter().map(|r| PlannedTopic {
                        line: r.position as usize,
                        topic: r.topic,
                        hours: u16::try_from(r.hours).unwrap_or(1),
                        homework: r.homework,
                    }).collect()
                }
            };
            let year: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT id, topic, homework FROM lessons WHERE school_id = $1 AND edu_group_id = $2 AND subject_id = $3 \
                 AND status <> 'cancelled' ORDER BY date, number",
            )
            .bind(school_id).bind(group_id).bind(subject_id).fetch_all(&mut *tx).await?;
            let year: Vec<YearLesson> = year.into_iter()
                .map(|(id, topic, homework)| YearLesson { id, topic, homework })
                .collect();
            let by_lesson = lessons(&plan);
            let filled = fill(&year, &by_lesson);
            for (lesson_id, topic, homework) in &filled {
                let old: (String, String, Option<String>) = sqlx::query_as(
                    "SELECT topic, homework, homework_due FROM lessons WHERE id = $1",
                )
                .bind(lesson_id).fetch_one(&mut *tx).await?;
                let before = lesson_text_json(&old.0, &old.1, old.2.as_deref());
                let after = lesson_text_json(topic, homework, old.2.as_deref());
                sqlx::query("UPDATE lessons SET topic = $1, homework = $2 WHERE id = $3")
                    .bind(topic).bind(homework).bind(lesson_id).execute(&mut *tx).await?;
                insert_history!(&mut *tx, &History {
                    school_id, kind: "lesson", target_id: *lesson_id, lesson_id: Some(*lesson_id), person_id: None,
                    old: Some(&before), new: Some(&after), reason: "КТП", key: None,
                }, audit)?;
            }
            insert_audit!(&mut *tx, audit, "group", group_id)?;
            tx.commit().await?;
            Ok(filled.len())
        })
    }
}
