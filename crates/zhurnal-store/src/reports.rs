//! What the school's summary sheets are computed from: every mark of a school in a span of
//! days and every student in a class, each in one query.

use crate::{Result, Store, on_read};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SheetMark {
    pub person_id: i64,
    pub subject_id: i64,
    pub date: String,
    pub value: String,
    pub weight: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SheetStudent {
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub class_id: i64,
    pub class_name: String,
    pub parallel: i32,
}

impl Store {
    /// Every mark given at a school on lessons from `from` to `to` (inclusive).
    pub async fn school_marks(
        &self,
        school_id: i64,
        from: &str,
        to: &str,
    ) -> Result<Vec<SheetMark>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SheetMark>(
            // From the school's lessons of those days to their marks: marks have no index by
            // school, and scanning a city's marks took seconds.
            "SELECT m.person_id, l.subject_id, l.date, m.value, t.weight FROM lessons l \
             JOIN works w ON w.lesson_id = l.id JOIN marks m ON m.work_id = w.id JOIN work_types t ON t.id = w.work_type_id \
             WHERE l.school_id = $1 AND l.date >= $2 AND l.date <= $3 AND m.school_id = $1",
        )
        .bind(school_id).bind(from).bind(to)
        .fetch_all(pool).await?))
    }

    /// The students now in the school's classes, by class and name.
    pub async fn school_students(&self, school_id: i64) -> Result<Vec<SheetStudent>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SheetStudent>(
            "SELECT p.id AS person_id, p.last_name, p.first_name, g.id AS class_id, g.name AS class_name, g.parallel \
             FROM edu_group_members m JOIN edu_groups g ON g.id = m.edu_group_id AND g.kind = 'class' \
             JOIN persons p ON p.id = m.person_id WHERE m.school_id = $1 AND m.until IS NULL \
             ORDER BY g.parallel, g.name, p.last_name, p.first_name",
        )
        .bind(school_id)
        .fetch_all(pool).await?))
    }
}
