//! Records about a class's students kept by the class teacher and the clerk: the parents'
//! statements of consent or refusal to get the child's performance electronically (§3.6),
//! and departures from the school (§5.2).

use crate::audit::insert_audit;
use crate::{AuditEntry, Result, Store, StoreError, on_read, on_write};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParentOfRow {
    pub child_id: i64,
    pub parent_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementRow {
    pub id: i64,
    pub student_id: i64,
    pub parent_id: Option<i64>,
    pub decision: String,
    pub signed_on: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartureRow {
    pub id: i64,
    pub school_id: i64,
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub left_on: String,
    pub reason: String,
    pub order_number: String,
}

/// What a departure writes.
#[derive(Debug, Clone)]
pub struct NewDeparture<'a> {
    pub school_id: i64,
    pub class_id: i64,
    pub person_id: i64,
    pub left_on: &'a str,
    pub reason: &'a str,
    pub order_number: &'a str,
}

impl Store {
    /// The parents of the students now in a class.
    pub async fn class_parents(&self, school_id: i64, class_id: i64) -> Result<Vec<ParentOfRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ParentOfRow>(
            "SELECT l.child_id, p.id AS parent_id, p.last_name, p.first_name, p.middle_name \
             FROM edu_group_members m JOIN parent_links l ON l.child_id = m.person_id JOIN persons p ON p.id = l.parent_id \
             WHERE m.school_id = $1 AND m.edu_group_id = $2 AND m.until IS NULL ORDER BY p.last_name, p.first_name",
        )
        .bind(school_id).bind(class_id)
        .fetch_all(pool).await?))
    }

    /// Every statement about the students now in a class, newest first.
    pub async fn class_statements(
        &self,
        school_id: i64,
        class_id: i64,
    ) -> Result<Vec<StatementRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, StatementRow>(
            "SELECT s.id, s.student_id, s.parent_id, s.decision, s.signed_on, s.recorded_at FROM access_statements s \
             JOIN edu_group_members m ON m.person_id = s.student_id AND m.edu_group_id = $2 AND m.until IS NULL \
             WHERE s.school_id = $1 ORDER BY s.id DESC",
        )
        .bind(school_id).bind(class_id)
        .fetch_all(pool).await?))
    }

    /// The day of the parents' refusal, when the latest statement about the child is one.
    pub async fn refused_on(&self, student_id: i64) -> Result<Option<String>> {
        let latest: Option<(String, String)> = on_read!(self, pool => sqlx::query_as(
            "SELECT decision, signed_on FROM access_statements WHERE student_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(student_id)
        .fetch_optional(pool).await?);
        Ok(latest.filter(|(d, _)| d == "refusal").map(|(_, on)| on))
    }

    /// Records a parent's statement, audited. The parent must be the child's.
    pub async fn record_statement(
        &self,
        school_id: i64,
        student_id: i64,
        parent_id: i64,
        decision: &str,
        signed_on: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let linked: Option<i64> = sqlx::query_scalar(
                "SELECT parent_id FROM parent_links WHERE parent_id = $1 AND child_id = $2",
            )
            .bind(parent_id).bind(student_id)
            .fetch_optional(&mut *tx).await?;
            if linked.is_none() {
                return Err(StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO access_statements (school_id, student_id, parent_id, decision, signed_on, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(school_id).bind(student_id).bind(parent_id).bind(decision).bind(signed_on)
            .bind(audit.actor_person_id).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "access_statement", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// How many marks and absences the student has on lessons from `date` on: a departure
    /// dated before them would leave journal entries for someone no longer in the class.
    pub async fn entries_from(&self, school_id: i64, person_id: i64, date: &str) -> Result<i64> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT (SELECT COUNT(*) FROM marks k JOIN works w ON w.id = k.work_id JOIN lessons l ON l.id = w.lesson_id \
                     WHERE k.school_id = $1 AND k.person_id = $2 AND l.date >= $3) \
                  + (SELECT COUNT(*) FROM lesson_log_entries e JOIN lessons l ON l.id = e.lesson_id \
                     WHERE e.school_id = $1 AND e.person_id = $2 AND l.date >= $3)",
        )
        .bind(school_id).bind(person_id).bind(date)
        .fetch_one(pool).await?))
    }

    /// Records a departure: every current membership of the student in the school ends on
    /// `left_on`, in one transaction with the record and its audit row.
    pub async fn record_departure(&self, d: &NewDeparture<'_>, audit: &AuditEntry) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let ended = sqlx::query(
                "UPDATE edu_group_members SET until = $1 WHERE school_id = $2 AND person_id = $3 AND until IS NULL",
            )
            .bind(d.left_on).bind(d.school_id).bind(d.person_id)
            .execute(&mut *tx).await?;
            if ended.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO departures (school_id, person_id, class_id, left_on, reason, order_number, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(d.school_id).bind(d.person_id).bind(d.class_id).bind(d.left_on).bind(d.reason)
            .bind(d.order_number).bind(audit.actor_person_id).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "departure", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The departures from a class, newest first.
    pub async fn class_departures(
        &self,
        school_id: i64,
        class_id: i64,
    ) -> Result<Vec<DepartureRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, DepartureRow>(
            "SELECT d.id, d.school_id, d.person_id, p.last_name, p.first_name, d.left_on, d.reason, d.order_number \
             FROM departures d JOIN persons p ON p.id = d.person_id WHERE d.school_id = $1 AND d.class_id = $2 ORDER BY d.id DESC",
        )
        .bind(school_id).bind(class_id)
        .fetch_all(pool).await?))
    }

    /// The latest departure of a person, if they left a school and are in no class since.
    pub async fn departure_of(&self, person_id: i64) -> Result<Option<DepartureRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, DepartureRow>(
            "SELECT d.id, d.school_id, d.person_id, p.last_name, p.first_name, d.left_on, d.reason, d.order_number \
             FROM departures d JOIN persons p ON p.id = d.person_id WHERE d.person_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM edu_group_members m WHERE m.person_id = d.person_id AND m.until IS NULL) \
             ORDER BY d.id DESC LIMIT 1",
        )
        .bind(person_id)
        .fetch_optional(pool).await?))
    }
}
