//! Planned topics (КТП) of a subject in a group, and filling the lessons' topics from them:
//! in one transaction, every filled lesson with its history row, so a topic that came from
//! the plan is as traceable as one the teacher typed.

use crate::audit::{AuditEntry, insert_audit};
use crate::journal::lesson_text_json;
use crate::{CHUNK, Result, Store, insert_rows, on_read, on_write};
use std::collections::HashMap;
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
                    let numbered: Vec<(i32, &PlannedTopic)> = plan.iter().enumerate().map(|(i, t)| (i as i32 + 1, t)).collect();
                    insert_rows!(tx, "topic_plans (school_id, group_id, subject_id, position, topic, hours, homework, loaded_by, loaded_at)", numbered, |b, r| {
                        b.push_bind(school_id).push_bind(group_id).push_bind(subject_id).push_bind(r.0).push_bind(&r.1.topic)
                            .push_bind(i32::from(r.1.hours)).push_bind(&r.1.homework).push_bind(audit.actor_person_id).push_bind(audit.at);
                    });
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
            let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
                "SELECT id, topic, homework, homework_due FROM lessons WHERE school_id = $1 AND edu_group_id = $2 AND subject_id = $3 \
                 AND status <> 'cancelled' ORDER BY date, number",
            )
            .bind(school_id).bind(group_id).bind(subject_id).fetch_all(&mut *tx).await?;
            let year: Vec<YearLesson> = rows.iter()
                .map(|(id, topic, homework, _)| YearLesson { id: *id, topic: topic.clone(), homework: homework.clone() })
                .collect();
            let due: HashMap<i64, Option<&str>> = rows.iter().map(|r| (r.0, r.3.as_deref())).collect();
            let by_lesson = lessons(&plan);
            let filled = fill(&year, &by_lesson);
            // One statement per chunk: a year's plan fills a hundred lessons at once.
            for chunk in filled.chunks(CHUNK) {
                let mut qb = sqlx::QueryBuilder::new("UPDATE lessons SET topic = v.column2, homework = v.column3 FROM (");
                qb.push_values(chunk, |mut b, (id, topic, homework)| {
                    b.push_bind(*id).push_bind(topic).push_bind(homework);
                });
                qb.push(") AS v WHERE lessons.id = v.column1");
                qb.build().execute(&mut *tx).await?;
            }
            let texts: Vec<(i64, String, String)> = filled.iter().map(|(id, topic, homework)| {
                let d = due.get(id).copied().flatten();
                let old = year.iter().find(|y| y.id == *id);
                let before = old.map_or_else(String::new, |o| lesson_text_json(&o.topic, &o.homework, d));
                (*id, before, lesson_text_json(topic, homework, d))
            }).collect();
            insert_rows!(tx, "journal_history (school_id, kind, target_id, lesson_id, old_value, new_value, reason, actor_id, session_hash, ip, at)", texts, |b, t| {
                b.push_bind(school_id).push_bind("lesson").push_bind(t.0).push_bind(t.0).push_bind(&t.1).push_bind(&t.2)
                    .push_bind("КТП").push_bind(audit.actor_person_id).push_bind(&audit.session_hash).push_bind(&audit.ip).push_bind(audit.at);
            });
            insert_audit!(&mut *tx, audit, "group", group_id)?;
            tx.commit().await?;
            Ok(filled.len())
        })
    }
}
