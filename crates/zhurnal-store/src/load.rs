//! Loading a generated network (the demo; later the benchmark generator) in one transaction
//! with multi-row inserts.

use crate::audit::AuditEntry;
use crate::bulk::{Bulk, Cell};
use crate::journal::lesson_text_json;
use crate::{CHUNK, Db, Result, Store, insert_rows, on_write};
use std::collections::HashMap;
use zhurnal_core::demo::Network;
use zhurnal_core::journal_gen::{GenLesson, Generated};

/// A generated history row: (kind, target, lesson, person, new value, actor, at).
type HistoryLine = (
    &'static str,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    Option<i64>,
    i64,
);

impl Store {
    /// Writes the whole network. `password_hashes` holds one argon2id hash per account, in
    /// the order of `net.accounts`. Expects an empty database.
    pub async fn load_network(
        &self,
        net: &Network,
        password_hashes: &[String],
        now: i64,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            if let Some(m) = &net.municipality {
                sqlx::query("INSERT INTO municipalities (id, name, time_zone) VALUES ($1, $2, $3)")
                    .bind(m.id)
                    .bind(&m.name)
                    .bind(&m.time_zone)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_rows!(tx, "schools (id, municipality_id, short_name, full_name, city, time_zone, created_at)", net.schools, |b, s| {
                b.push_bind(s.id).push_bind(s.municipality_id).push_bind(&s.short_name).push_bind(&s.full_name)
                    .push_bind(&s.city).push_bind(&s.time_zone).push_bind(now);
            });
            insert_rows!(tx, "persons (id, last_name, first_name, middle_name, sex, birthday, created_at)", net.persons, |b, p| {
                b.push_bind(p.id).push_bind(&p.last_name).push_bind(&p.first_name).push_bind(&p.middle_name)
                    .push_bind(p.sex.code()).push_bind(p.birthday.map(|d| d.to_string())).push_bind(now);
            });
            let accounts: Vec<_> = net.accounts.iter().zip(password_hashes).collect();
            insert_rows!(tx, "users (id, person_id, login, password_hash, password_changed_at, created_at)", accounts, |b, a| {
                let (acc, hash) = a;
                b.push_bind(acc.id).push_bind(acc.person_id).push_bind(&acc.login).push_bind(hash.as_str())
                    .push_bind(now).push_bind(now);
            });
            insert_rows!(tx, "edu_groups (id, school_id, kind, parallel, letter, name, study_year, class_teacher_id, capacity, created_at)", net.classes, |b, c| {
                b.push_bind(c.id).push_bind(c.school_id).push_bind("class").push_bind(i32::from(c.parallel))
                    .push_bind(&c.letter).push_bind(c.name()).push_bind(i32::from(c.study_year))
                    .push_bind(c.class_teacher_id).push_bind(c.capacity).push_bind(now);
            });
            insert_rows!(tx, "edu_groups (id, school_id, kind, parent_id, name, study_year, created_at)", net.subgroups, |b, g| {
                b.push_bind(g.id).push_bind(g.school_id).push_bind("subgroup").push_bind(g.class_id)
                    .push_bind(&g.name).push_bind(i32::from(g.study_year)).push_bind(now);
            });
            insert_rows!(tx, "role_grants (person_id, role, school_id, municipality_id, edu_group_id, created_at)", net.grants, |b, g| {
                b.push_bind(g.person_id).push_bind(g.role.api_name()).push_bind(g.school_id)
                    .push_bind(g.municipality_id).push_bind(g.edu_group_id).push_bind(now);
            });
            insert_rows!(tx, "edu_group_members (school_id, edu_group_id, person_id, since)", net.memberships, |b, m| {
                b.push_bind(m.school_id).push_bind(m.edu_group_id).push_bind(m.person_id).push_bind(m.since.to_string());
            });
            insert_rows!(tx, "parent_links (parent_id, child_id)", net.parent_links, |b, l| {
                b.push_bind(l.parent_id).push_bind(l.child_id);
            });
            insert_rows!(tx, "subjects (id, school_id, name, knowledge_area)", net.subjects, |b, s| {
                b.push_bind(s.id).push_bind(s.school_id).push_bind(&s.name).push_bind(&s.knowledge_area);
            });
            insert_rows!(tx, "teaching_assignments (school_id, teacher_id, subject_id, edu_group_id, hours_per_week)", net.assignments, |b, a| {
                b.push_bind(a.school_id).push_bind(a.teacher_id).push_bind(a.subject_id).push_bind(a.edu_group_id)
                    .push_bind(i32::from(a.hours_per_week));
            });
            insert_rows!(tx, "reporting_periods (id, school_id, study_year, scheme, kind, number, name, start_date, end_date)", net.periods, |b, p| {
                b.push_bind(p.id).push_bind(p.school_id).push_bind(i32::from(p.study_year)).push_bind(p.scheme)
                    .push_bind(p.kind).push_bind(i32::from(p.number)).push_bind(&p.name)
                    .push_bind(p.start.to_string()).push_bind(p.finish.to_string());
            });
            insert_rows!(tx, "work_types (id, school_id, name, abbreviation, weight, is_final)", net.work_types, |b, w| {
                b.push_bind(w.id).push_bind(w.school_id).push_bind(&w.name).push_bind(&w.abbreviation)
                    .push_bind(i32::from(w.weight)).push_bind(w.is_final);
            });
            let since = net.classes.first().map_or_else(String::new, |k| format!("{}-09-01", k.study_year));
            insert_rows!(tx, "staff (school_id, person_id, position, since)", net.staff, |b, st| {
                b.push_bind(st.0).push_bind(st.1).push_bind(&st.2).push_bind(since.as_str());
            });
            insert_rows!(tx, "curriculum (school_id, study_year, parallel, subject_id, hours_per_week, grading)", net.curriculum, |b, c| {
                let study_year = net.classes.first().map_or(0, |k| i32::from(k.study_year));
                b.push_bind(c.0).push_bind(study_year).push_bind(i32::from(c.1)).push_bind(c.2)
                    .push_bind(i32::from(c.3)).push_bind(c.4.code());
            });
            tx.commit().await?;
        });
        self.reset_sequences(&[
            "municipalities",
            "schools",
            "persons",
            "users",
            "edu_groups",
            "subjects",
            "reporting_periods",
            "work_types",
        ])
        .await
    }

    /// After rows were inserted with explicit ids, PostgreSQL's identity sequences must move
    /// past them; SQLite needs nothing (it takes max(rowid) + 1).
    async fn reset_sequences(&self, tables: &[&'static str]) -> Result<()> {
        if let Db::Postgres(pool) = &self.db {
            for table in tables {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                sqlx::query(&sql).execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Writes a generated journal of one school (the demo's; the benchmark generator's): works,
    /// marks, absences, homework and period marks, each with its history row dated at the end
    /// of the lesson's day and signed by the lesson's teacher, in one transaction. The plans
    /// go through [`Store::save_topic_plan`], as a teacher's upload does.
    pub async fn load_journal(
        &self,
        school_id: i64,
        time_zone: &str,
        lessons: &[GenLesson],
        g: &Generated,
    ) -> Result<()> {
        let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let by_id: HashMap<i64, &GenLesson> = lessons.iter().map(|l| (l.id, l)).collect();
        // The evening of the lesson's day, when teachers fill the journal.
        let at_of = |date: jiff::civil::Date| {
            date.at(16, 30, 0, 0)
                .to_zoned(tz.clone())
                .map_or(0, |z| z.timestamp().as_millisecond())
        };
        let lesson_at = |id: i64| by_id.get(&id).map_or(0, |l| at_of(l.date));
        let teacher = |id: i64| by_id.get(&id).and_then(|l| l.teacher_id);
        for ((group, subject), plan) in &g.plans {
            let audit = AuditEntry {
                at: lesson_at(
                    lessons
                        .iter()
                        .find(|l| l.group_id == *group)
                        .map_or(0, |l| l.id),
                ),
                school_id: Some(school_id),
                ip: "demo".into(),
                action: "journal.plan".into(),
                target_kind: "group".into(),
                target_id: group.to_string(),
                outcome: "success".into(),
                details: "{\"via\":\"demo\"}".into(),
                actor_person_id: lessons
                    .iter()
                    .find(|l| l.group_id == *group && l.subject_id == *subject)
                    .and_then(|l| l.teacher_id),
                ..AuditEntry::default()
            };
            self.save_topic_plan(school_id, *group, *subject, Some(plan), &audit)
                .await?;
        }
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let next = |table: &str| format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
            let mut work_id: i64 = sqlx::query_scalar(&next("works")).fetch_one(&mut *tx).await?;
            let mut mark_id: i64 = sqlx::query_scalar(&next("marks")).fetch_one(&mut *tx).await?;
            let mut works = Vec::new();
            let mut marks = Vec::new();
            let mut history: Vec<HistoryLine> = Vec::new();
            for w in &g.works {
                works.push((work_id, w));
                for (person, value) in &w.marks {
                    marks.push((mark_id, work_id, *person, value.as_str(), teacher(w.lesson_id), lesson_at(w.lesson_id)));
                    history.push(("mark", mark_id, Some(w.lesson_id), Some(*person), value.clone(), teacher(w.lesson_id), lesson_at(w.lesson_id)));
                    mark_id += 1;
                }
                work_id += 1;
            }
            let rows: Vec<Vec<Cell>> = works.iter().map(|(id, w)| vec![
                Cell::Int(*id), Cell::Int(school_id), Cell::Int(w.lesson_id), Cell::Int(w.work_type_id),
                Cell::Text(w.kind), Cell::OptInt(teacher(w.lesson_id)), Cell::Int(lesson_at(w.lesson_id)),
            ]).collect();
            tx.bulk("works", &["id", "school_id", "lesson_id", "work_type_id", "kind", "created_by", "created_at"], &rows).await?;
            let rows: Vec<Vec<Cell>> = marks.iter().map(|m| vec![
                Cell::Int(m.0), Cell::Int(school_id), Cell::Int(m.1), Cell::Int(m.2), Cell::Text(m.3),
                Cell::OptInt(m.4), Cell::Int(m.5), Cell::Int(m.5),
            ]).collect();
            tx.bulk("marks", &["id", "school_id", "work_id", "person_id", "value", "created_by", "created_at", "updated_at"], &rows).await?;
            let rows: Vec<Vec<Cell>> = g.absences.iter().map(|a| vec![
                Cell::Int(school_id), Cell::Int(a.0), Cell::Int(a.1), Cell::Text(a.2), Cell::Text(a.3), Cell::Int(lesson_at(a.0)),
            ]).collect();
            tx.bulk("lesson_log_entries", &["school_id", "lesson_id", "person_id", "status", "reason", "created_at"], &rows).await?;
            for a in &g.absences {
                history.push(("absence", a.0, Some(a.0), Some(a.1), format!("{}:{}", a.2, a.3), teacher(a.0), lesson_at(a.0)));
            }
            let topics: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>("SELECT id, topic FROM lessons WHERE school_id = $1")
                .bind(school_id).fetch_all(&mut *tx).await?.into_iter().collect();
            let homework: Vec<(i64, &str, String)> = g.homework.iter().map(|(l, text, due)| (*l, text.as_str(), due.to_string())).collect();
            for chunk in homework.chunks(CHUNK) {
                let mut qb = sqlx::QueryBuilder::new("UPDATE lessons SET homework = v.column2, homework_due = v.column3 FROM (");
                qb.push_values(chunk, |mut b, (id, text, due)| {
                    b.push_bind(*id).push_bind(*text).push_bind(due);
                });
                qb.push(") AS v WHERE lessons.id = v.column1");
                qb.build().execute(&mut *tx).await?;
            }
            for (lesson, text, due) in &homework {
                let topic = topics.get(lesson).map_or("", String::as_str);
                history.push(("lesson", *lesson, Some(*lesson), None, lesson_text_json(topic, text, Some(due)), teacher(*lesson), lesson_at(*lesson)));
            }
            let mut pm_id: i64 = sqlx::query_scalar(&next("period_marks")).fetch_one(&mut *tx).await?;
            let finish: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
                "SELECT id, end_date FROM reporting_periods WHERE school_id = $1",
            )
            .bind(school_id).fetch_all(&mut *tx).await?.into_iter().collect();
            let mut period_marks = Vec::new();
            for m in &g.period_marks {
                let at = finish.get(&m.period_id).and_then(|d| d.parse().ok()).map_or(0, at_of);
                period_marks.push((pm_id, m, at));
                history.push(("period_mark", pm_id, None, Some(m.person_id), m.value.clone(), m.set_by, at));
                pm_id += 1;
            }
            let rows: Vec<Vec<Cell>> = period_marks.iter().map(|(id, m, at)| vec![
                Cell::Int(*id), Cell::Int(school_id), Cell::Int(m.period_id), Cell::Int(m.subject_id), Cell::Int(m.person_id),
                Cell::Text(&m.value), Cell::Text(&m.value), Cell::OptInt(m.average_hundredths.map(i64::from)),
                Cell::OptInt(m.set_by), Cell::Int(*at),
            ]).collect();
            tx.bulk("period_marks", &["id", "school_id", "period_id", "subject_id", "person_id", "value", "proposed", "average_hundredths", "set_by", "set_at"], &rows).await?;
            let rows: Vec<Vec<Cell>> = history.iter().map(|h| vec![
                Cell::Int(school_id), Cell::Text(h.0), Cell::Int(h.1), Cell::OptInt(h.2), Cell::OptInt(h.3), Cell::Text(&h.4),
                Cell::Text(""), Cell::OptInt(h.5), Cell::Text("demo"), Cell::Int(h.6),
            ]).collect();
            tx.bulk("journal_history", &["school_id", "kind", "target_id", "lesson_id", "person_id", "new_value", "reason", "actor_id", "ip", "at"], &rows).await?;
            tx.commit().await?;
        });
        self.reset_sequences(&["works", "marks", "period_marks"])
            .await
    }
}
