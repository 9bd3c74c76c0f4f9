//! What a student's diary reads (the municipal service itself): the student's own marks,
//! absences and period marks, and the files of their lessons. Every query is keyed by the
//! school and the student, so it touches only that student's rows (indexes by person).

use crate::{Result, Store, on_read};

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
            "SELECT m.id, l.id AS lesson_id, l.date, l.number, l.subject_id, s.name AS subject_name, w.work_type_id, \
             t.name AS work_type, t.abbreviation, t.weight, w.kind, m.value, m.comment \
             FROM marks m JOIN works w ON w.id = m.work_id JOIN lessons l ON l.id = w.lesson_id \
             JOIN subjects s ON s.id = l.subject_id JOIN work_types t ON t.id = w.work_type_id \
             WHERE m.school_id = $1 AND m.person_id = $2 AND l.date >= $3 AND l.date <= $4 \
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
            "SELECT a.lesson_id, l.date, l.subject_id, a.status, a.reason FROM lesson_log_entries a \
             JOIN lessons l ON l.id = a.lesson_id \
             WHERE a.school_id = $1 AND a.person_id = $2 AND l.date >= $3 AND l.date <= $4 ORDER BY l.date, l.number",
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
