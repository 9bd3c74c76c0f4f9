//! Reporting periods (quarters, half-years, trimesters) and the scheme each grade follows.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, on_read, on_write};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeriodRow {
    pub id: i64,
    pub scheme: String,
    pub kind: String,
    pub number: i32,
    pub name: String,
    pub start_date: String,
    pub end_date: String,
    /// When the period was closed (its marks locked); `None` while open.
    pub closed_at: Option<i64>,
}

/// A period to save; it keeps its id when its scheme and number stay.
#[derive(Debug, Clone)]
pub struct NewPeriod {
    pub scheme: &'static str,
    pub kind: &'static str,
    pub number: i32,
    pub name: String,
    pub start: String,
    pub end: String,
}

impl Store {
    pub async fn periods(&self, school_id: i64, study_year: i16) -> Result<Vec<PeriodRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, PeriodRow>(
            "SELECT id, scheme, kind, number, name, start_date, end_date, closed_at FROM reporting_periods \
             WHERE school_id = $1 AND study_year = $2 ORDER BY scheme, number",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .fetch_all(pool)
        .await?))
    }

    /// Closes (or reopens) a period of the school, audited; `NotFound` when it is not the
    /// school's.
    pub async fn set_period_closed(
        &self,
        school_id: i64,
        period_id: i64,
        closed: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE reporting_periods SET closed_at = $1, closed_by = $2 WHERE id = $3 AND school_id = $4",
            )
            .bind(closed.then_some(audit.at)).bind(if closed { audit.actor_person_id } else { None })
            .bind(period_id).bind(school_id)
            .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(crate::StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit, "reporting_period", period_id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// (parallel, scheme) for the grades that have one set.
    pub async fn period_schemes(
        &self,
        school_id: i64,
        study_year: i16,
    ) -> Result<Vec<(i32, String)>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, (i32, String)>(
            "SELECT parallel, scheme FROM period_schemes WHERE school_id = $1 AND study_year = $2 ORDER BY parallel",
        )
        .bind(school_id)
        .bind(i32::from(study_year))
        .fetch_all(pool)
        .await?))
    }

    /// Saves the periods of the schemes given (updating in place by scheme and number, so
    /// ids stay) and the scheme of each grade, in one transaction.
    pub async fn save_periods(
        &self,
        school_id: i64,
        study_year: i16,
        periods: &[NewPeriod],
        schemes: &[(i16, &str)],
        audit: &AuditEntry,
    ) -> Result<()> {
        let year = i32::from(study_year);
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut touched: Vec<&str> = periods.iter().map(|p| p.scheme).collect();
            touched.dedup();
            for scheme in touched {
                let keep = periods.iter().filter(|p| p.scheme == scheme).map(|p| p.number).max().unwrap_or(0);
                sqlx::query("DELETE FROM reporting_periods WHERE school_id = $1 AND study_year = $2 AND scheme = $3 AND number > $4")
                    .bind(school_id).bind(year).bind(scheme).bind(keep)
                    .execute(&mut *tx).await?;
            }
            for p in periods {
                sqlx::query(
                    "INSERT INTO reporting_periods (school_id, study_year, scheme, kind, number, name, start_date, end_date) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (school_id, study_year, scheme, number) DO UPDATE SET \
                       kind = excluded.kind, name = excluded.name, start_date = excluded.start_date, end_date = excluded.end_date",
                )
                .bind(school_id).bind(year).bind(p.scheme).bind(p.kind).bind(p.number).bind(&p.name).bind(&p.start).bind(&p.end)
                .execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM period_schemes WHERE school_id = $1 AND study_year = $2").bind(school_id).bind(year).execute(&mut *tx).await?;
            for (parallel, scheme) in schemes {
                sqlx::query("INSERT INTO period_schemes (school_id, study_year, parallel, scheme) VALUES ($1, $2, $3, $4)")
                    .bind(school_id).bind(year).bind(i32::from(*parallel)).bind(scheme)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(())
        })
    }
}
