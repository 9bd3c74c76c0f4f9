//! Applying a promotion order (§2.12) in one transaction: the order, the new year's classes,
//! closed and opened memberships, the per-student decisions, and the audit row.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, StoreError, on_read, on_write};
use std::collections::HashMap;
use zhurnal_core::promotion::{Decision, Plan};

#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub number: &'a str,
    pub order_date: &'a str,
    pub effective_date: &'a str,
    pub from_year: i16,
    /// The date it was applied, in the school's zone (for the 3-day rule).
    pub applied_on: &'a str,
    pub created_by: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub order_date: String,
    pub effective_date: String,
    pub from_year: i32,
    pub applied_on: String,
    pub moved: i32,
    pub leavers: i32,
}

/// A student of a class, as the promotion page lists them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub class_id: i64,
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
}

impl Store {
    pub async fn transfer_orders(&self, school_id: i64) -> Result<Vec<OrderRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, OrderRow>(
            "SELECT id, number, order_date, effective_date, from_year, applied_on, moved, leavers FROM transfer_orders \
             WHERE school_id = $1 ORDER BY from_year DESC",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?))
    }

    /// The current students of every class of a school year.
    pub async fn year_members(&self, school_id: i64, study_year: i16) -> Result<Vec<MemberRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, MemberRow>(
            "SELECT m.edu_group_id AS class_id, p.id AS person_id, p.last_name, p.first_name, p.middle_name \
             FROM edu_group_members m JOIN edu_groups g ON g.id = m.edu_group_id JOIN persons p ON p.id = m.person_id \
             WHERE g.school_id = $1 AND g.study_year = $2 AND g.kind = 'class' AND m.until IS NULL ORDER BY p.last_name, p.first_name",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .fetch_all(pool)
        .await?))
    }

    /// Applies the plan. A second order for the same year is a `Conflict`.
    pub async fn apply_promotion(
        &self,
        school_id: i64,
        o: &NewOrder<'_>,
        plan: &Plan,
        decisions: &HashMap<i64, Decision>,
        audit: &AuditEntry,
    ) -> Result<i64> {
        let new_year = i32::from(o.from_year) + 1;
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let order: i64 = sqlx::query_scalar(
                "INSERT INTO transfer_orders (school_id, number, order_date, effective_date, from_year, applied_on, applied_at, moved, leavers, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(school_id).bind(o.number).bind(o.order_date).bind(o.effective_date).bind(i32::from(o.from_year))
            .bind(o.applied_on).bind(audit.at).bind(plan.moves.len() as i32).bind(plan.leavers.len() as i32).bind(o.created_by)
            .fetch_one(&mut *tx).await?;
            let mut class_ids: HashMap<(i16, String), i64> = HashMap::new();
            for (key, teacher, capacity) in &plan.classes {
                let name = format!("{}{}", key.parallel, key.letter);
                let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM edu_groups WHERE school_id = $1 AND study_year = $2 AND name = $3")
                    .bind(school_id).bind(new_year).bind(&name).fetch_optional(&mut *tx).await?;
                let id = match existing {
                    Some(id) => id,
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO edu_groups (school_id, kind, parallel, letter, name, study_year, class_teacher_id, capacity, created_at) \
                             VALUES ($1, 'class', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        )
                        .bind(school_id).bind(i32::from(key.parallel)).bind(&key.letter).bind(&name).bind(new_year)
                        .bind(teacher).bind(capacity).bind(audit.at)
                        .fetch_one(&mut *tx).await?;
                        if let Some(t) = teacher {
                            sqlx::query("INSERT INTO role_grants (person_id, role, school_id, edu_group_id, created_at) VALUES ($1, 'class_teacher', $2, $3, $4)")
                                .bind(t).bind(school_id).bind(id).bind(audit.at).execute(&mut *tx).await?;
                        }
                        id
                    }
                };
                class_ids.insert((key.parallel, key.letter.clone()), id);
            }
            let leaving = plan.moves.iter().map(|m| (m.person_id, m.from_class)).chain(plan.leavers.iter().copied());
            for (person, from) in leaving {
                // The class and its groups of the year that ends.
                let closed = sqlx::query(
                    "UPDATE edu_group_members SET until = $1 WHERE school_id = $2 AND person_id = $3 AND until IS NULL \
                     AND edu_group_id IN (SELECT id FROM edu_groups WHERE school_id = $2 AND (id = $4 OR parent_id = $4))",
                )
                .bind(o.effective_date).bind(school_id).bind(person).bind(from)
                .execute(&mut *tx).await?.rows_affected();
                if closed == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            for m in &plan.moves {
                let Some(class) = class_ids.get(&(m.to.parallel, m.to.letter.clone())) else { return Err(StoreError::NotFound) };
                sqlx::query("INSERT INTO edu_group_members (school_id, edu_group_id, person_id, since, note) VALUES ($1, $2, $3, $4, $5)")
                    .bind(school_id).bind(class).bind(m.person_id).bind(o.effective_date)
                    .bind(if m.conditional { "conditional" } else { "" })
                    .execute(&mut *tx).await?;
            }
            for (person, decision) in decisions {
                sqlx::query("INSERT INTO transfer_decisions (order_id, school_id, person_id, decision) VALUES ($1, $2, $3, $4)")
                    .bind(order).bind(school_id).bind(person).bind(decision.code())
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit, "transfer_order", order)?;
            tx.commit().await?;
            Ok(order)
        })
    }
}
