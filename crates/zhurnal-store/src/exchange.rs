//! Reads for the public APIs (the Dnevnik.ru v2–compatible surface and its kin): plain rows
//! with their ids, keyed by school and by group or person so each touches only the rows asked
//! for. Who may ask is decided in the web layer before any of these runs.

use crate::{Result, Store, on_read};

/// A class or a subgroup.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupInfo {
    pub id: i64,
    pub school_id: i64,
    /// `class` or `subgroup`.
    pub kind: String,
    pub parent_id: Option<i64>,
    pub parallel: Option<i32>,
    pub name: String,
    pub study_year: i32,
    pub class_teacher_id: Option<i64>,
}

/// A person with what the APIs show of them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonInfo {
    pub id: i64,
    pub user_id: Option<i64>,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub sex: Option<String>,
    pub birthday: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubjectInfo {
    pub id: i64,
    pub name: String,
    pub knowledge_area: String,
}

/// A lesson with its subject.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LessonInfo {
    pub id: i64,
    pub school_id: i64,
    pub edu_group_id: i64,
    pub subject_id: i64,
    pub subject_name: String,
    pub knowledge_area: String,
    pub teacher_id: Option<i64>,
    pub date: String,
    pub number: i32,
    pub topic: String,
    /// `planned`, `held` or `cancelled`.
    pub status: String,
    /// The homework set at the lesson, and when it is due (default: the next lesson).
    pub homework: String,
    pub homework_due: Option<String>,
}

/// A work of a lesson: what was marked in class, or homework.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkInfo {
    pub id: i64,
    pub lesson_id: i64,
    pub edu_group_id: i64,
    pub subject_id: i64,
    pub work_type_id: i64,
    /// `lesson` or `homework`.
    pub kind: String,
    pub text: String,
    pub target_date: Option<String>,
    pub lesson_date: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

/// A mark with the lesson it was given at.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MarkInfo {
    pub id: i64,
    pub work_id: i64,
    pub person_id: i64,
    pub value: String,
    pub comment: String,
    pub lesson_id: i64,
    pub subject_id: i64,
    pub date: String,
    pub number: i32,
    pub work_type_id: i64,
    pub weight: i32,
    pub created_at: i64,
}

/// An absence or a late arrival.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogInfo {
    pub lesson_id: i64,
    pub person_id: i64,
    /// `absent` or `late`.
    pub status: String,
    /// `unknown`, `illness`, `excused`, `unexcused`.
    pub reason: String,
    pub comment: String,
    pub created_at: i64,
}

/// A period or year mark of a student in a subject.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FinalInfo {
    pub id: i64,
    pub person_id: i64,
    pub subject_id: i64,
    /// The reporting period, or `None` for a year mark.
    pub period_id: Option<i64>,
    /// `period`, or the year mark's kind (`year`, `exam`, `final`).
    pub kind: String,
    pub value: String,
    pub set_at: i64,
}

const GROUP_COLS: &str =
    "g.id, g.school_id, g.kind, g.parent_id, g.parallel, g.name, g.study_year, g.class_teacher_id";
const PERSON_COLS: &str =
    "p.id, u.id AS user_id, p.last_name, p.first_name, p.middle_name, p.sex, p.birthday";
const LESSON_COLS: &str = "l.id, l.school_id, l.edu_group_id, l.subject_id, s.name AS subject_name, \
     s.knowledge_area, l.teacher_id, l.date, l.number, l.topic, l.status, l.homework, l.homework_due";
const WORK_COLS: &str = "w.id, w.lesson_id, l.edu_group_id, l.subject_id, w.work_type_id, w.kind, w.text, \
     w.target_date, l.date AS lesson_date, w.created_by, w.created_at";
const MARK_COLS: &str = "m.id, m.work_id, m.person_id, m.value, m.comment, l.id AS lesson_id, l.subject_id, \
     l.date, l.number, w.work_type_id, t.weight, m.created_at";

/// Appends ` IN ($…, $…)` over `ids` (never empty: callers return early).
fn push_in<'a, DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<'a, DB>, ids: &'a [i64])
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" IN (");
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    qb.push(")");
}

impl Store {
    pub async fn group_info(&self, id: i64) -> Result<Option<GroupInfo>> {
        let sql = format!("SELECT {GROUP_COLS} FROM edu_groups g WHERE g.id = $1");
        on_read!(self, pool => Ok(sqlx::query_as::<_, GroupInfo>(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The groups a person belongs to on `date` (a class and its subgroups), classes first.
    pub async fn groups_of_person(&self, person_id: i64, date: &str) -> Result<Vec<GroupInfo>> {
        let sql = format!(
            "SELECT {GROUP_COLS} FROM edu_group_members m JOIN edu_groups g ON g.id = m.edu_group_id \
             WHERE m.person_id = $1 AND m.since <= $2 AND (m.until IS NULL OR m.until > $2) \
             ORDER BY g.kind, g.name, g.id"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, GroupInfo>(&sql).bind(person_id).bind(date).fetch_all(pool).await?))
    }

    /// The groups a teacher teaches or leads as class teacher in a school year.
    pub async fn groups_of_teacher(
        &self,
        person_id: i64,
        study_year: i32,
    ) -> Result<Vec<GroupInfo>> {
        let sql = format!(
            "SELECT {GROUP_COLS} FROM edu_groups g WHERE g.study_year = $2 AND (g.class_teacher_id = $1 \
             OR EXISTS (SELECT 1 FROM teaching_assignments a WHERE a.edu_group_id = g.id AND a.teacher_id = $1)) \
             ORDER BY g.kind, g.name, g.id"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, GroupInfo>(&sql).bind(person_id).bind(study_year).fetch_all(pool).await?))
    }

    /// The subjects a person teaches in some groups of a school: by the teaching load, or
    /// because they gave a lesson of it there (a substitute) — as `teaches` decides.
    pub async fn subjects_taught_in(
        &self,
        school_id: i64,
        person_id: i64,
        groups: &[i64],
    ) -> Result<Vec<i64>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT subject_id FROM teaching_assignments WHERE school_id = ",
            );
            qb.push_bind(school_id).push(" AND teacher_id = ").push_bind(person_id);
            qb.push(" AND edu_group_id");
            push_in(&mut qb, groups);
            qb.push(" UNION SELECT subject_id FROM lessons WHERE school_id = ");
            qb.push_bind(school_id).push(" AND teacher_id = ").push_bind(person_id);
            qb.push(" AND edu_group_id");
            push_in(&mut qb, groups);
            qb.push(" ORDER BY subject_id");
            Ok(qb.build_query_scalar::<i64>().fetch_all(pool).await?)
        })
    }

    pub async fn person_info(&self, id: i64) -> Result<Option<PersonInfo>> {
        let sql = format!(
            "SELECT {PERSON_COLS} FROM persons p LEFT JOIN users u ON u.person_id = p.id WHERE p.id = $1"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, PersonInfo>(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The members of a group on `date`, by surname.
    pub async fn group_persons(&self, group_id: i64, date: &str) -> Result<Vec<PersonInfo>> {
        let sql = format!(
            "SELECT {PERSON_COLS} FROM edu_group_members m JOIN persons p ON p.id = m.person_id \
             LEFT JOIN users u ON u.person_id = p.id \
             WHERE m.edu_group_id = $1 AND m.since <= $2 AND (m.until IS NULL OR m.until > $2) \
             ORDER BY p.last_name, p.first_name, p.middle_name, p.id"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, PersonInfo>(&sql).bind(group_id).bind(date).fetch_all(pool).await?))
    }

    /// The subjects taught in a group or its subgroups, by name.
    pub async fn group_subjects(&self, group_id: i64) -> Result<Vec<SubjectInfo>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SubjectInfo>(
            "SELECT s.id, s.name, s.knowledge_area FROM subjects s WHERE EXISTS (SELECT 1 FROM teaching_assignments a \
             JOIN edu_groups g ON g.id = a.edu_group_id WHERE a.subject_id = s.id AND (g.id = $1 OR g.parent_id = $1)) \
             ORDER BY s.name, s.id",
        ).bind(group_id).fetch_all(pool).await?))
    }

    pub async fn subjects_by_id(&self, school_id: i64, ids: &[i64]) -> Result<Vec<SubjectInfo>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new("SELECT s.id, s.name, s.knowledge_area FROM subjects s WHERE s.school_id = ");
            qb.push_bind(school_id).push(" AND s.id");
            push_in(&mut qb, ids);
            qb.push(" ORDER BY s.name, s.id");
            Ok(qb.build_query_as::<SubjectInfo>().fetch_all(pool).await?)
        })
    }

    pub async fn persons_by_id(&self, ids: &[i64]) -> Result<Vec<PersonInfo>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let head = format!(
            "SELECT {PERSON_COLS} FROM persons p LEFT JOIN users u ON u.person_id = p.id WHERE p.id"
        );
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new(head.as_str());
            push_in(&mut qb, ids);
            qb.push(" ORDER BY p.last_name, p.first_name, p.id");
            Ok(qb.build_query_as::<PersonInfo>().fetch_all(pool).await?)
        })
    }

    pub async fn lesson_info(&self, id: i64) -> Result<Option<LessonInfo>> {
        let sql = format!(
            "SELECT {LESSON_COLS} FROM lessons l JOIN subjects s ON s.id = l.subject_id WHERE l.id = $1"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, LessonInfo>(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The lessons of some groups of a school from `from` to `to` (inclusive dates), in
    /// timetable order; `subject` narrows them to one subject.
    pub async fn lessons_of_groups(
        &self,
        school_id: i64,
        groups: &[i64],
        from: &str,
        to: &str,
        subject: Option<i64>,
    ) -> Result<Vec<LessonInfo>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let head = format!(
            "SELECT {LESSON_COLS} FROM lessons l JOIN subjects s ON s.id = l.subject_id WHERE l.school_id = "
        );
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new(head.as_str());
            qb.push_bind(school_id).push(" AND l.edu_group_id");
            push_in(&mut qb, groups);
            qb.push(" AND l.date >= ").push_bind(from).push(" AND l.date <= ").push_bind(to);
            if let Some(s) = subject {
                qb.push(" AND l.subject_id = ").push_bind(s);
            }
            qb.push(" ORDER BY l.date, l.number, l.id");
            Ok(qb.build_query_as::<LessonInfo>().fetch_all(pool).await?)
        })
    }

    /// The works of some lessons of a school.
    pub async fn works_of_lessons(&self, school_id: i64, lessons: &[i64]) -> Result<Vec<WorkInfo>> {
        if lessons.is_empty() {
            return Ok(Vec::new());
        }
        let head = format!(
            "SELECT {WORK_COLS} FROM works w JOIN lessons l ON l.id = w.lesson_id WHERE w.school_id = "
        );
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new(head.as_str());
            qb.push_bind(school_id).push(" AND w.lesson_id");
            push_in(&mut qb, lessons);
            qb.push(" ORDER BY l.date, l.number, w.id");
            Ok(qb.build_query_as::<WorkInfo>().fetch_all(pool).await?)
        })
    }

    /// The lessons of some groups whose homework is due from `from` to `to` (the lesson's
    /// day when no due day was set), by due day.
    pub async fn homework_of_groups(
        &self,
        school_id: i64,
        groups: &[i64],
        from: &str,
        to: &str,
    ) -> Result<Vec<LessonInfo>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let head = format!(
            "SELECT {LESSON_COLS} FROM lessons l JOIN subjects s ON s.id = l.subject_id WHERE l.school_id = "
        );
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new(head.as_str());
            qb.push_bind(school_id).push(" AND l.edu_group_id");
            push_in(&mut qb, groups);
            // Homework is set at most a few weeks ahead: the lesson's day bounds the scan.
            qb.push(" AND l.date >= ").push_bind(shift_back(from)).push(" AND l.date <= ").push_bind(to)
                .push(" AND l.homework <> '' AND l.status <> 'cancelled' AND COALESCE(l.homework_due, l.date) >= ")
                .push_bind(from)
                .push(" AND COALESCE(l.homework_due, l.date) <= ").push_bind(to)
                .push(" ORDER BY COALESCE(l.homework_due, l.date), l.number, l.id");
            Ok(qb.build_query_as::<LessonInfo>().fetch_all(pool).await?)
        })
    }

    /// A student's marks at a school on lessons from `from` to `to`, optionally in one subject.
    pub async fn marks_of_person(
        &self,
        school_id: i64,
        person_id: i64,
        from: &str,
        to: &str,
        subject: Option<i64>,
    ) -> Result<Vec<MarkInfo>> {
        let sql = format!(
            "SELECT {MARK_COLS} FROM marks m JOIN works w ON w.id = m.work_id JOIN lessons l ON l.id = w.lesson_id \
             JOIN work_types t ON t.id = w.work_type_id \
             WHERE m.school_id = $1 AND m.person_id = $2 AND l.date >= $3 AND l.date <= $4 \
             AND ($5 = CAST(0 AS BIGINT) OR l.subject_id = $5) ORDER BY l.date, l.number, m.id"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, MarkInfo>(&sql)
            .bind(school_id).bind(person_id).bind(from).bind(to).bind(subject.unwrap_or(0))
            .fetch_all(pool).await?))
    }

    /// The marks given on some lessons.
    pub async fn marks_of_lessons(&self, school_id: i64, lessons: &[i64]) -> Result<Vec<MarkInfo>> {
        if lessons.is_empty() {
            return Ok(Vec::new());
        }
        let head = format!(
            "SELECT {MARK_COLS} FROM marks m JOIN works w ON w.id = m.work_id JOIN lessons l ON l.id = w.lesson_id \
             JOIN work_types t ON t.id = w.work_type_id WHERE m.school_id = "
        );
        on_read!(self, pool => {
            let mut qb = sqlx::QueryBuilder::new(head.as_str());
            qb.push_bind(school_id).push(" AND w.lesson_id");
            push_in(&mut qb, lessons);
            qb.push(" ORDER BY l.date, l.number, m.id");
            Ok(qb.build_query_as::<MarkInfo>().fetch_all(pool).await?)
        })
    }

    pub async fn mark_info(&self, id: i64) -> Result<Option<MarkInfo>> {
        let sql = format!(
            "SELECT {MARK_COLS} FROM marks m JOIN works w ON w.id = m.work_id JOIN lessons l ON l.id = w.lesson_id \
             JOIN work_types t ON t.id = w.work_type_id WHERE m.id = $1"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, MarkInfo>(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// A student's absences and late arrivals on lessons from `from` to `to`.
    pub async fn log_of_person(
        &self,
        school_id: i64,
        person_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<LogInfo>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LogInfo>(
            "SELECT a.lesson_id, a.person_id, a.status, a.reason, a.comment, a.created_at FROM lesson_log_entries a \
             JOIN lessons l ON l.id = a.lesson_id WHERE a.school_id = $1 AND a.person_id = $2 \
             AND l.date >= $3 AND l.date <= $4 ORDER BY l.date, l.number",
        ).bind(school_id).bind(person_id).bind(from).bind(to).fetch_all(pool).await?))
    }

    /// The absences and late arrivals at one lesson.
    pub async fn log_of_lesson(&self, school_id: i64, lesson_id: i64) -> Result<Vec<LogInfo>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LogInfo>(
            "SELECT lesson_id, person_id, status, reason, comment, created_at FROM lesson_log_entries \
             WHERE school_id = $1 AND lesson_id = $2 ORDER BY person_id",
        ).bind(school_id).bind(lesson_id).fetch_all(pool).await?))
    }

    /// A student's period marks and year marks of a school year.
    pub async fn finals_of_person(
        &self,
        school_id: i64,
        person_id: i64,
        study_year: i32,
    ) -> Result<Vec<FinalInfo>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, FinalInfo>(
            "SELECT pm.id, pm.person_id, pm.subject_id, pm.period_id, 'period' AS kind, pm.value, pm.set_at \
             FROM period_marks pm JOIN reporting_periods rp ON rp.id = pm.period_id \
             WHERE pm.school_id = $1 AND pm.person_id = $2 AND rp.study_year = $3 \
             UNION ALL SELECT y.id, y.person_id, y.subject_id, NULL, y.kind, y.value, y.set_at FROM year_marks y \
             WHERE y.school_id = $1 AND y.person_id = $2 AND y.study_year = $3 ORDER BY 3, 4, 1",
        ).bind(school_id).bind(person_id).bind(study_year).fetch_all(pool).await?))
    }
}

/// Thirty days before an ISO date (`YYYY-MM-DD`), as text; an unreadable date is kept.
fn shift_back(date: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_sub(jiff::Span::new().days(30)).ok())
        .map_or_else(|| date.to_owned(), |d| d.to_string())
}
