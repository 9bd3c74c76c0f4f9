//! Schools, people, and the facts about a person that permissions are decided from.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, on_read, on_write};
use std::collections::HashMap;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
}

impl PersonRow {
    /// «Иванова М. П.»: the short form used in timetables and journals.
    pub fn short_name(&self) -> String {
        short_name(&self.last_name, &self.first_name, &self.middle_name)
    }

    /// «Иванова Мария Петровна»: surname first, as Russian school documents write it.
    pub fn full_name(&self) -> String {
        full_name(&self.last_name, &self.first_name, &self.middle_name)
    }
}

/// «Иванова Мария Петровна» from the parts of a name (an empty part left out).
pub fn full_name(last: &str, first: &str, middle: &str) -> String {
    [last, first, middle]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// «Иванова М. П.» from the parts of a name.
pub fn short_name(last: &str, first: &str, middle: &str) -> String {
    let initial = |s: &str| {
        s.chars()
            .next()
            .map(|c| format!("\u{a0}{c}."))
            .unwrap_or_default()
    };
    format!("{last}{}{}", initial(first), initial(middle))
}

/// A role held by a person, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GrantRow {
    pub role: String,
    pub school_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub edu_group_id: Option<i64>,
}

/// A parent's child with the class they are in now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChildRow {
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub school_id: Option<i64>,
    pub class_id: Option<i64>,
    pub class_name: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SchoolRow {
    pub id: i64,
    pub municipality_id: i64,
    pub short_name: String,
    pub full_name: String,
    pub city: String,
    pub time_zone: String,
    pub kind: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub study_week: i32,
    pub shifts: i32,
    pub classes: i64,
    pub students: i64,
}

/// A class as lists and selects show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClassRow {
    pub id: i64,
    pub name: String,
    pub parallel: i32,
    pub class_teacher_id: Option<i64>,
}

/// The school's profile as the deputy edits it (§2.3).
#[derive(Debug, Clone)]
pub struct SchoolProfile {
    pub short_name: String,
    pub full_name: String,
    pub kind: String,
    pub city: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub time_zone: String,
    pub shifts: i32,
}

/// A class with what the classes page shows about it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClassOverview {
    pub id: i64,
    pub name: String,
    pub parallel: i32,
    pub capacity: Option<i32>,
    /// 1 or 2.
    pub shift: i32,
    pub class_teacher_id: Option<i64>,
    pub teacher_last_name: Option<String>,
    pub teacher_first_name: Option<String>,
    pub teacher_middle_name: Option<String>,
    pub students: i64,
}

/// A subgroup of a class.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubgroupRow {
    pub id: i64,
    pub parent_id: i64,
    pub name: String,
    pub students: i64,
}

/// What the deputy may change about an existing class.
#[derive(Debug, Clone)]
pub struct ClassChange {
    pub class_teacher_id: Option<i64>,
    pub capacity: Option<i32>,
    /// 1 or 2.
    pub shift: i16,
}

/// A new class of a school year.
#[derive(Debug, Clone)]
pub struct NewClass<'a> {
    pub study_year: i16,
    pub parallel: i16,
    pub letter: &'a str,
    pub class_teacher_id: Option<i64>,
    pub capacity: Option<i32>,
    /// 1 or 2.
    pub shift: i16,
}

/// A subject of the school with its place in the curriculum of one parallel, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CurriculumRow {
    pub subject_id: i64,
    pub subject_name: String,
    pub hours_per_week: Option<i32>,
    pub grading: Option<String>,
}

/// A staff member of a school.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRow {
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub position: String,
    pub login: Option<String>,
}

/// A new staff member: a person, their position, and the school roles they get.
#[derive(Debug, Clone)]
pub struct NewStaff<'a> {
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub middle_name: &'a str,
    pub position: &'a str,
    pub roles: Vec<&'a str>,
    pub since: &'a str,
}

/// One line of the teaching load.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoadRow {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub parallel: Option<i32>,
    pub subject_id: i64,
    pub subject_name: String,
    pub teacher_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub hours_per_week: i32,
}

macro_rules! load_select {
    () => {
        concat!(
            "SELECT a.id, a.edu_group_id AS group_id, ",
            "CASE WHEN pg.id IS NULL THEN g.name ELSE pg.name || ' ' || g.name END AS group_name, ",
            "COALESCE(pg.parallel, g.parallel) AS parallel, a.subject_id, s.name AS subject_name, ",
            "a.teacher_id, p.last_name, p.first_name, p.middle_name, a.hours_per_week ",
            "FROM teaching_assignments a JOIN edu_groups g ON g.id = a.edu_group_id LEFT JOIN edu_groups pg ON pg.id = g.parent_id ",
            "JOIN subjects s ON s.id = a.subject_id JOIN persons p ON p.id = a.teacher_id "
        )
    };
}

macro_rules! load_order {
    () => {
        "ORDER BY COALESCE(pg.parallel, g.parallel), COALESCE(pg.name, g.name), g.parent_id IS NOT NULL, g.name, s.name"
    };
}

macro_rules! school_select {
    ($tail:literal) => {
        concat!(
            "SELECT s.id, s.municipality_id, s.short_name, s.full_name, s.city, s.time_zone, ",
            "s.kind, s.address, s.phone, s.email, s.study_week, s.shifts, ",
            "(SELECT COUNT(*) FROM edu_groups g WHERE g.school_id = s.id AND g.kind = 'class') AS classes, ",
            "(SELECT COUNT(DISTINCT m.person_id) FROM edu_group_members m JOIN edu_groups g ON g.id = m.edu_group_id ",
            " WHERE m.school_id = s.id AND g.kind = 'class' AND m.until IS NULL) AS students ",
            "FROM schools s ",
            $tail
        )
    };
}

impl Store {
    pub async fn person(&self, id: i64) -> Result<Option<PersonRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, PersonRow>(
            "SELECT id, last_name, first_name, middle_name FROM persons WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn grants_of(&self, person_id: i64) -> Result<Vec<GrantRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, GrantRow>(
            "SELECT role, school_id, municipality_id, edu_group_id FROM role_grants WHERE person_id = $1 ORDER BY id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn children_of(&self, parent_id: i64) -> Result<Vec<ChildRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ChildRow>(
            "SELECT p.id AS person_id, p.last_name, p.first_name, p.middle_name, g.school_id, g.id AS class_id, g.name AS class_name \
             FROM parent_links l JOIN persons p ON p.id = l.child_id \
             LEFT JOIN edu_group_members m ON m.person_id = p.id AND m.until IS NULL \
             LEFT JOIN edu_groups g ON g.id = m.edu_group_id AND g.kind = 'class' \
             WHERE l.parent_id = $1 AND (m.person_id IS NULL OR g.id IS NOT NULL) \
             ORDER BY p.birthday, p.first_name",
        )
        .bind(parent_id)
        .fetch_all(pool)
        .await?))
    }

    /// A school without its class and student counts (0): for the hot paths (the diary,
    /// the journal) that need its zone and name but not the counting of its students.
    pub async fn school_plain(&self, id: i64) -> Result<Option<SchoolRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SchoolRow>(
            "SELECT s.id, s.municipality_id, s.short_name, s.full_name, s.city, s.time_zone, \
             s.kind, s.address, s.phone, s.email, s.study_week, s.shifts, CAST(0 AS BIGINT) AS classes, CAST(0 AS BIGINT) AS students \
             FROM schools s WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn school(&self, id: i64) -> Result<Option<SchoolRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SchoolRow>(school_select!("WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    pub async fn schools_of_municipality(&self, municipality_id: i64) -> Result<Vec<SchoolRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SchoolRow>(school_select!(
            "WHERE s.municipality_id = $1 ORDER BY s.id"
        ))
        .bind(municipality_id)
        .fetch_all(pool)
        .await?))
    }

    pub async fn municipality_name(&self, id: i64) -> Result<Option<String>> {
        on_read!(self, pool => Ok(sqlx::query_scalar("SELECT name FROM municipalities WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// A municipality's time zone, if it exists.
    pub async fn municipality_zone(&self, id: i64) -> Result<Option<String>> {
        on_read!(self, pool => Ok(sqlx::query_scalar("SELECT time_zone FROM municipalities WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// The name of a class («7Б»), if it exists in that school.
    pub async fn class_name(&self, school_id: i64, group_id: i64) -> Result<Option<String>> {
        on_read!(self, pool => Ok(sqlx::query_scalar("SELECT name FROM edu_groups WHERE school_id = $1 AND id = $2")
            .bind(school_id)
            .bind(group_id)
            .fetch_optional(pool)
            .await?))
    }

    /// The classes of a school year, in the order 1А, 1Б, … 11Б.
    pub async fn school_classes(&self, school_id: i64, study_year: i16) -> Result<Vec<ClassRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ClassRow>(
            "SELECT id, name, parallel, class_teacher_id FROM edu_groups \
             WHERE school_id = $1 AND kind = 'class' AND study_year = $2 ORDER BY parallel, letter, name",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .fetch_all(pool)
        .await?))
    }

    /// The teachers of a school, by surname.
    pub async fn school_teachers(&self, school_id: i64) -> Result<Vec<PersonRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, PersonRow>(
            "SELECT p.id, p.last_name, p.first_name, p.middle_name FROM persons p \
             WHERE p.id IN (SELECT person_id FROM role_grants WHERE school_id = $1 AND role = 'teacher') \
             ORDER BY p.last_name, p.first_name, p.middle_name, p.id",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// The teaching load of a school: who teaches what where, for how many hours a week.
    pub async fn teaching_load(&self, school_id: i64) -> Result<Vec<LoadRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LoadRow>(concat!(
            load_select!(),
            "WHERE a.school_id = $1 ",
            load_order!()
        ))
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// The part of the load a teacher sees: their own lessons, and every subject of the
    /// class they are class teacher of (`class`, if any).
    pub async fn teaching_load_of(
        &self,
        school_id: i64,
        teacher_id: i64,
        class: Option<i64>,
    ) -> Result<Vec<LoadRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LoadRow>(concat!(
            load_select!(),
            "WHERE a.school_id = $1 AND (a.teacher_id = $2 OR COALESCE(g.parent_id, g.id) = $3) ",
            load_order!()
        ))
        .bind(school_id)
        .bind(teacher_id)
        .bind(class.unwrap_or(-1))
        .fetch_all(pool)
        .await?))
    }

    /// The classes of a school year with class teacher, size and capacity.
    pub async fn class_overview(
        &self,
        school_id: i64,
        study_year: i16,
    ) -> Result<Vec<ClassOverview>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ClassOverview>(
            "SELECT g.id, g.name, g.parallel, g.capacity, g.shift, g.class_teacher_id, p.last_name AS teacher_last_name, \
                    p.first_name AS teacher_first_name, p.middle_name AS teacher_middle_name, \
                    (SELECT COUNT(*) FROM edu_group_members m WHERE m.edu_group_id = g.id AND m.until IS NULL) AS students \
             FROM edu_groups g LEFT JOIN persons p ON p.id = g.class_teacher_id \
             WHERE g.school_id = $1 AND g.study_year = $2 AND g.kind = 'class' ORDER BY g.parallel, g.letter, g.name",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .fetch_all(pool)
        .await?))
    }

    pub async fn subgroups(&self, school_id: i64, study_year: i16) -> Result<Vec<SubgroupRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SubgroupRow>(
            "SELECT g.id, g.parent_id, g.name, (SELECT COUNT(*) FROM edu_group_members m WHERE m.edu_group_id = g.id AND m.until IS NULL) AS students \
             FROM edu_groups g WHERE g.school_id = $1 AND g.study_year = $2 AND g.kind = 'subgroup' AND g.parent_id IS NOT NULL ORDER BY g.name",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .fetch_all(pool)
        .await?))
    }

    /// The students now in a class (or subgroup), by surname.
    pub async fn group_members(&self, school_id: i64, group_id: i64) -> Result<Vec<PersonRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, PersonRow>(
            "SELECT p.id, p.last_name, p.first_name, p.middle_name FROM edu_group_members m JOIN persons p ON p.id = m.person_id \
             WHERE m.school_id = $1 AND m.edu_group_id = $2 AND m.until IS NULL ORDER BY p.last_name, p.first_name, p.middle_name",
        )
        .bind(school_id)
        .bind(group_id)
        .fetch_all(pool)
        .await?))
    }

    /// Creates a class; its class teacher gets the class_teacher role for it. Returns the id.
    /// A name already used in that school year is a `Conflict`.
    pub async fn create_class(
        &self,
        school_id: i64,
        c: &NewClass<'_>,
        audit: &AuditEntry,
    ) -> Result<i64> {
        let name = format!("{}{}", c.parallel, c.letter);
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO edu_groups (school_id, kind, parallel, letter, name, study_year, class_teacher_id, capacity, shift, created_at) \
                 VALUES ($1, 'class', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(school_id).bind(i32::from(c.parallel)).bind(c.letter).bind(&name).bind(i32::from(c.study_year))
            .bind(c.class_teacher_id).bind(c.capacity).bind(i32::from(c.shift)).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            if let Some(teacher) = c.class_teacher_id {
                sqlx::query("INSERT INTO role_grants (person_id, role, school_id, edu_group_id, created_at) VALUES ($1, 'class_teacher', $2, $3, $4)")
                    .bind(teacher).bind(school_id).bind(id).bind(audit.at)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit, "edu_group", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Changes a class's class teacher, capacity and shift. A new class teacher gets the
    /// class_teacher role for the class and the previous one loses it, in one transaction.
    /// `NotFound` when the class is not the school's.
    pub async fn update_class(
        &self,
        school_id: i64,
        class_id: i64,
        c: &ClassChange,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let before: Option<(Option<i64>,)> = sqlx::query_as(
                "SELECT class_teacher_id FROM edu_groups WHERE id = $1 AND school_id = $2 AND kind = 'class'",
            )
            .bind(class_id).bind(school_id).fetch_optional(&mut *tx).await?;
            let Some((before,)) = before else {
                return Err(crate::StoreError::NotFound);
            };
            sqlx::query("UPDATE edu_groups SET class_teacher_id = $1, capacity = $2, shift = $3 WHERE id = $4 AND school_id = $5")
                .bind(c.class_teacher_id).bind(c.capacity).bind(i32::from(c.shift)).bind(class_id).bind(school_id)
                .execute(&mut *tx).await?;
            if before != c.class_teacher_id {
                sqlx::query("DELETE FROM role_grants WHERE role = 'class_teacher' AND school_id = $1 AND edu_group_id = $2")
                    .bind(school_id).bind(class_id).execute(&mut *tx).await?;
                if let Some(teacher) = c.class_teacher_id {
                    sqlx::query("INSERT INTO role_grants (person_id, role, school_id, edu_group_id, created_at) VALUES ($1, 'class_teacher', $2, $3, $4)")
                        .bind(teacher).bind(school_id).bind(class_id).bind(audit.at)
                        .execute(&mut *tx).await?;
                }
            }
            insert_audit!(&mut *tx, audit, "edu_group", class_id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The parallel of a class of the school (any year); `None` when it is not the school's.
    pub async fn class_parallel(&self, school_id: i64, class_id: i64) -> Result<Option<i16>> {
        let row: Option<i32> = on_read!(self, pool => sqlx::query_scalar(
            "SELECT parallel FROM edu_groups WHERE id = $1 AND school_id = $2 AND kind = 'class'",
        )
        .bind(class_id)
        .bind(school_id)
        .fetch_optional(pool)
        .await?);
        Ok(row.map(|p| p as i16))
    }

    /// Class id → its shift (1 or 2), for every class of the school.
    pub async fn class_shifts(&self, school_id: i64) -> Result<HashMap<i64, i8>> {
        let rows: Vec<(i64, i32)> = on_read!(self, pool => sqlx::query_as(
            "SELECT id, shift FROM edu_groups WHERE school_id = $1 AND kind = 'class'",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(|(id, s)| (id, s as i8)).collect())
    }

    /// Creates a subgroup of a class with some of its students. Returns the id.
    pub async fn create_subgroup(
        &self,
        school_id: i64,
        class_id: i64,
        name: &str,
        members: &[i64],
        since: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let year: Option<i32> = sqlx::query_scalar("SELECT study_year FROM edu_groups WHERE id = $1 AND school_id = $2 AND kind = 'class'")
                .bind(class_id).bind(school_id).fetch_optional(&mut *tx).await?;
            let Some(year) = year else { return Err(crate::StoreError::NotFound) };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO edu_groups (school_id, kind, parent_id, name, study_year, created_at) VALUES ($1, 'subgroup', $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(class_id).bind(name).bind(year).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            for person in members {
                // Only students of the class itself can join its subgroup.
                let n = sqlx::query(
                    "INSERT INTO edu_group_members (school_id, edu_group_id, person_id, since) \
                     SELECT $1, $2, m.person_id, $3 FROM edu_group_members m WHERE m.edu_group_id = $4 AND m.person_id = $5 AND m.until IS NULL",
                )
                .bind(school_id).bind(id).bind(since).bind(class_id).bind(person)
                .execute(&mut *tx).await?.rows_affected();
                if n == 0 {
                    return Err(crate::StoreError::NotFound);
                }
            }
            insert_audit!(&mut *tx, audit, "edu_group", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn update_school_profile(
        &self,
        school_id: i64,
        p: &SchoolProfile,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE schools SET short_name = $1, full_name = $2, kind = $3, city = $4, address = $5, phone = $6, email = $7, \
                 time_zone = $8, shifts = $9 WHERE id = $10",
            )
            .bind(&p.short_name).bind(&p.full_name).bind(&p.kind).bind(&p.city).bind(&p.address).bind(&p.phone)
            .bind(&p.email).bind(&p.time_zone).bind(p.shifts).bind(school_id)
            .execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every subject of the school, with its hours and grading in the parallel's plan.
    pub async fn curriculum(
        &self,
        school_id: i64,
        study_year: i16,
        parallel: i16,
    ) -> Result<Vec<CurriculumRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, CurriculumRow>(
            "SELECT s.id AS subject_id, s.name AS subject_name, c.hours_per_week, c.grading FROM subjects s \
             LEFT JOIN curriculum c ON c.subject_id = s.id AND c.school_id = $1 AND c.study_year = $2 AND c.parallel = $3 \
             WHERE s.school_id = $1 ORDER BY s.name",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .bind(i32::from(parallel))
        .fetch_all(pool)
        .await?))
    }

    /// How a subject is assessed for a group (a class, or a subgroup by its class's grade):
    /// the grade, the subject's name and the plan's grading code when the plan has the
    /// subject. `None` when the group or the subject is not the school's.
    pub async fn subject_assessment(
        &self,
        school_id: i64,
        group_id: i64,
        subject_id: i64,
    ) -> Result<Option<(i32, String, Option<String>)>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, (i32, String, Option<String>)>(
            "SELECT COALESCE(g.parallel, p.parallel, 0) AS parallel, s.name, c.grading FROM edu_groups g \
             LEFT JOIN edu_groups p ON p.id = g.parent_id \
             JOIN subjects s ON s.id = $3 AND s.school_id = $1 \
             LEFT JOIN curriculum c ON c.school_id = $1 AND c.study_year = g.study_year \
               AND c.parallel = COALESCE(g.parallel, p.parallel) AND c.subject_id = $3 \
             WHERE g.id = $2 AND g.school_id = $1",
        )
        .bind(school_id)
        .bind(group_id)
        .bind(subject_id)
        .fetch_optional(pool)
        .await?))
    }

    /// Replaces a parallel's plan as a whole: (subject, weekly hours, grading code).
    pub async fn save_curriculum(
        &self,
        school_id: i64,
        study_year: i16,
        parallel: i16,
        rows: &[(i64, i32, &str)],
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM curriculum WHERE school_id = $1 AND study_year = $2 AND parallel = $3")
                .bind(school_id).bind(i32::from(study_year)).bind(i32::from(parallel))
                .execute(&mut *tx).await?;
            for (subject, hours, grading) in rows {
                sqlx::query("INSERT INTO curriculum (school_id, study_year, parallel, subject_id, hours_per_week, grading) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(school_id).bind(i32::from(study_year)).bind(i32::from(parallel)).bind(subject).bind(hours).bind(grading)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The staff of a school, by surname.
    pub async fn staff(&self, school_id: i64) -> Result<Vec<StaffRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, StaffRow>(
            "SELECT p.id AS person_id, p.last_name, p.first_name, p.middle_name, st.position, u.login \
             FROM staff st JOIN persons p ON p.id = st.person_id LEFT JOIN users u ON u.person_id = p.id \
             WHERE st.school_id = $1 ORDER BY p.last_name, p.first_name, p.middle_name, p.id",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// Roles held at a school, per person: (person, role).
    pub async fn school_roles(&self, school_id: i64) -> Result<Vec<(i64, String)>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, (i64, String)>(
            "SELECT DISTINCT person_id, role FROM role_grants WHERE school_id = $1 ORDER BY person_id, role",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// Subjects each teacher teaches at a school: (person, subject name).
    pub async fn taught_subjects(&self, school_id: i64) -> Result<Vec<(i64, String)>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, (i64, String)>(
            "SELECT DISTINCT a.teacher_id, s.name FROM teaching_assignments a JOIN subjects s ON s.id = a.subject_id \
             WHERE a.school_id = $1 ORDER BY a.teacher_id, s.name",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// Adds a staff member (a new person) with a position and school roles. Returns the person.
    pub async fn add_staff(
        &self,
        school_id: i64,
        n: &NewStaff<'_>,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let person: i64 = sqlx::query_scalar(
                "INSERT INTO persons (last_name, first_name, middle_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(n.last_name).bind(n.first_name).bind(n.middle_name).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO staff (school_id, person_id, position, since) VALUES ($1, $2, $3, $4)")
                .bind(school_id).bind(person).bind(n.position).bind(n.since)
                .execute(&mut *tx).await?;
            for role in &n.roles {
                sqlx::query("INSERT INTO role_grants (person_id, role, school_id, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(person).bind(role).bind(school_id).bind(audit.at)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit, "person", person)?;
            tx.commit().await?;
            Ok(person)
        })
    }

    /// Adds a line of the teaching load. The group, subject and teacher must belong to the
    /// school (else `NotFound`); the same line twice is a `Conflict`.
    pub async fn add_assignment(
        &self,
        school_id: i64,
        group_id: i64,
        subject_id: i64,
        teacher_id: i64,
        hours: i32,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let ok: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM edu_groups WHERE id = $1 AND school_id = $4) \
                      + (SELECT COUNT(*) FROM subjects WHERE id = $2 AND school_id = $4) \
                      + (SELECT COUNT(*) FROM role_grants WHERE person_id = $3 AND school_id = $4 AND role = 'teacher')",
            )
            .bind(group_id).bind(subject_id).bind(teacher_id).bind(school_id)
            .fetch_one(&mut *tx).await?;
            if ok < 3 {
                return Err(crate::StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO teaching_assignments (school_id, teacher_id, subject_id, edu_group_id, hours_per_week) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(school_id).bind(teacher_id).bind(subject_id).bind(group_id).bind(hours)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "teaching_assignment", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Removes a line of the teaching load of the school; `NotFound` if it is not there.
    pub async fn remove_assignment(
        &self,
        school_id: i64,
        id: i64,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.delete_school_row("teaching_assignments", school_id, id, audit)
            .await
    }

    /// Deletes one row of a school-owned table by id, audited in the same transaction;
    /// `NotFound` when the row is not there or belongs to another school. `table` is one of
    /// the names below, never input.
    pub(crate) async fn delete_school_row(
        &self,
        table: &'static str,
        school_id: i64,
        id: i64,
        audit: &AuditEntry,
    ) -> Result<()> {
        let (sql, kind) = match table {
            "teaching_assignments" => (
                "DELETE FROM teaching_assignments WHERE id = $1 AND school_id = $2",
                "teaching_assignment",
            ),
            "school_body_members" => (
                "DELETE FROM school_body_members WHERE id = $1 AND school_id = $2",
                "school_body_member",
            ),
            _ => unreachable!("delete_school_row: {table} is not a school-owned table"),
        };
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sql).bind(id).bind(school_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(crate::StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit, kind, id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Adds a subject to the school; a name already used is a `Conflict`.
    pub async fn add_subject(
        &self,
        school_id: i64,
        name: &str,
        area: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO subjects (school_id, name, knowledge_area) VALUES ($1, $2, $3) RETURNING id")
                .bind(school_id).bind(name).bind(area).fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "subject", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }
}
