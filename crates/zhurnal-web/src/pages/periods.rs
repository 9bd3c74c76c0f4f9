//! Reporting periods of the academic year (DOMAIN.md §3): the dates of the quarters,
//! half-years and trimesters, and which scheme each grade follows (quarters for 1–9 and
//! half-years for 10–11 by default). Saved as a whole, checked against the calendar.

use super::timetable::pick_school;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::calendar::{check_periods, default_scheme, describe_days, uncovered_days};
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_store::{AuditEntry, NewPeriod, SchoolRow};

/// (scheme, period kind, how many, catalogue key of the scheme's name, period name stem).
const SCHEMES: [(&str, &str, i32, &str, &str); 3] = [
    ("quarters", "quarter", 4, "periods.quarters", "четверть"),
    (
        "half_years",
        "half_year",
        2,
        "periods.half_years",
        "полугодие",
    ),
    (
        "trimesters",
        "trimester",
        3,
        "periods.trimesters",
        "триместр",
    ),
];

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

pub struct PeriodInput {
    pub field: String,
    pub number: i32,
    pub name: String,
    pub start: String,
    pub end: String,
    pub invalid: bool,
}

pub struct SchemeBlock {
    pub code: &'static str,
    pub title: &'static str,
    pub periods: Vec<PeriodInput>,
}

pub struct GradeChoice {
    pub grade: i16,
    pub scheme: String,
}

#[derive(Template)]
#[template(path = "periods.html")]
pub struct PeriodsPage {
    pub c: Chrome,
    pub school_id: i64,
    pub year: i16,
    pub schemes: Vec<SchemeBlock>,
    pub grades: Vec<GradeChoice>,
    pub saved: bool,
    pub errors: Vec<String>,
    /// Saved periods with their state, for closing and reopening.
    pub closing: Vec<(i64, String, bool)>,
    /// The actor may close and reopen periods.
    pub can_close: bool,
}

#[derive(Deserialize, Default)]
pub struct PeriodsQuery {
    school: Option<String>,
    year: Option<i16>,
    saved: Option<String>,
}

async fn school_year(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
    year: Option<i16>,
) -> Result<(SchoolRow, i16), AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(state, ctx, &reach, asked).await?;
    let year =
        year.unwrap_or_else(|| study_year_of(today_in(state.clock.now(), &school.time_zone)));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    Ok((school, year))
}

async fn stored(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
) -> Result<PeriodsPage, AppError> {
    let t = ctx.t();
    let periods = state.store.periods(school.id, year).await?;
    let schemes = state.store.period_schemes(school.id, year).await?;
    Ok(PeriodsPage {
        c: Chrome::new(ctx, t.s("periods.title"), "/setup/periods"),
        school_id: school.id,
        year,
        schemes: SCHEMES
            .iter()
            .map(|(code, _, count, key, stem)| SchemeBlock {
                code,
                title: t.s(key),
                periods: (1..=*count)
                    .map(|n| {
                        let p = periods.iter().find(|p| p.scheme == *code && p.number == n);
                        PeriodInput {
                            field: format!("{code}_{n}"),
                            number: n,
                            name: p.map_or_else(
                                || format!("{} {stem}", ROMAN[(n - 1) as usize]),
                                |p| p.name.clone(),
                            ),
                            start: p.map(|p| p.start_date.clone()).unwrap_or_default(),
                            end: p.map(|p| p.end_date.clone()).unwrap_or_default(),
                            invalid: false,
                        }
                    })
                    .collect(),
            })
            .collect(),
        grades: (1..=11)
            .map(|g| GradeChoice {
                grade: g,
                scheme: schemes
                    .iter()
                    .find(|(p, _)| *p == i32::from(g))
                    .map_or(default_scheme(g).to_owned(), |(_, s)| s.clone()),
            })
            .collect(),
        saved: false,
        errors: Vec::new(),
        closing: periods
            .iter()
            .map(|p| {
                (
                    p.id,
                    format!("{} ({} – {})", p.name, p.start_date, p.end_date),
                    p.closed_at.is_some(),
                )
            })
            .collect(),
        can_close: ctx
            .actor()?
            .reach(Action::ApproveJournalCorrections)
            .covers(school),
    })
}

pub async fn periods_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeriodsQuery>,
) -> Result<Response, AppError> {
    let (school, year) = school_year(&state, &ctx, q.school.as_deref(), q.year).await?;
    let mut p = stored(&state, &ctx, &school, year).await?;
    p.saved = q.saved.is_some();
    html(StatusCode::OK, &p)
}

pub async fn periods_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    super::auth::check_csrf(&ctx, form.one("csrf"))?;
    let t = ctx.t();
    let (school, year) = school_year(
        &state,
        &ctx,
        Some(form.one("school")),
        form.one("year").parse().ok(),
    )
    .await?;
    if let op @ ("close" | "reopen") = form.one("op") {
        close_or_reopen(&state, &ctx, &school, form.one("period"), op == "close").await?;
        return Ok(crate::error::redirect(&format!(
            "/setup/periods?school={}&year={year}&saved=1",
            school.id
        ))
        .into_response());
    }
    let mut p = stored(&state, &ctx, &school, year).await?;
    let calendar = state.store.calendar(school.id, year).await?;
    let bounds = calendar.as_ref().map(|c| (c.start, c.end));
    // The grades' schemes.
    let mut schemes: Vec<(i16, &'static str)> = Vec::new();
    for g in &mut p.grades {
        let chosen = form.one(&format!("grade_{}", g.grade));
        match SCHEMES.iter().find(|s| s.0 == chosen) {
            Some(s) => {
                g.scheme = s.0.to_owned();
                schemes.push((g.grade, s.0));
            }
            None => p.errors.push(format!(
                "{} {}: {}",
                t.s("periods.grade"),
                g.grade,
                t.s("periods.pick_scheme")
            )),
        }
    }
    let mut periods: Vec<NewPeriod> = Vec::new();
    for (block, (code, kind, ..)) in p.schemes.iter_mut().zip(SCHEMES.iter()) {
        for input in &mut block.periods {
            input.name = form.one(&format!("{}_name", input.field)).trim().to_owned();
            input.start = form
                .one(&format!("{}_start", input.field))
                .trim()
                .to_owned();
            input.end = form.one(&format!("{}_end", input.field)).trim().to_owned();
        }
        let filled = block
            .periods
            .iter()
            .any(|i| !i.start.is_empty() || !i.end.is_empty());
        let used = schemes.iter().any(|(_, s)| s == code);
        if !filled {
            if used {
                p.errors
                    .push(format!("{}: {}", block.title, t.s("periods.fill_used")));
            }
            continue;
        }
        let mut dates = Vec::new();
        for input in &mut block.periods {
            match (input.start.parse::<Date>(), input.end.parse::<Date>()) {
                (Ok(s), Ok(e)) if !input.name.is_empty() && input.name.chars().count() <= 60 => {
                    dates.push((s, e))
                }
                _ => {
                    input.invalid = true;
                    p.errors.push(format!(
                        "{}, {}: {}",
                        block.title,
                        input.number,
                        t.s("periods.bad_period")
                    ));
                }
            }
        }
        if dates.len() == block.periods.len() {
            for e in check_periods(&dates, bounds) {
                let (i, key) = match e {
                    zhurnal_core::calendar::PeriodError::Reversed(i) => {
                        (i, "calendar.holiday_reversed")
                    }
                    zhurnal_core::calendar::PeriodError::Overlap(i) => (i, "periods.overlap"),
                    zhurnal_core::calendar::PeriodError::OutsideYear(i) => (i, "periods.outside"),
                };
                block.periods[i].invalid = true;
                p.errors
                    .push(format!("{}, {}: {}", block.title, i + 1, t.s(key)));
            }
            // Every study day of the grades on this scheme must fall in one of its periods,
            // or the marks of its lessons would count in none.
            let grades = schemes.iter().filter(|(_, s)| s == code).map(|(g, _)| *g);
            let uncovered = calendar
                .as_ref()
                .map(|c| uncovered_days(c, &dates, grades))
                .unwrap_or_default();
            if !uncovered.is_empty() {
                p.errors.push(format!(
                    "{}: {} {}",
                    block.title,
                    t.s("periods.uncovered"),
                    describe_days(&uncovered)
                ));
            }
            periods.extend(block.periods.iter().map(|i| NewPeriod {
                scheme: code,
                kind,
                number: i.number,
                name: i.name.clone(),
                start: i.start.clone(),
                end: i.end.clone(),
            }));
        }
    }
    if !p.errors.is_empty() {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.periods".into(),
        target_kind: "academic_year".into(),
        target_id: year.to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .save_periods(school.id, year, &periods, &schemes, &audit)
        .await?;
    Ok(crate::error::redirect(&format!(
        "/setup/periods?school={}&year={year}&saved=1",
        school.id
    ))
    .into_response())
}

/// Closes (locking its marks) or reopens a reporting period of the school: the deputy's
/// correction power, not every setup editor's. Another school's period answers 404, audited.
pub(crate) async fn close_or_reopen(
    state: &AppState,
    ctx: &Ctx,
    school: &zhurnal_store::SchoolRow,
    raw_period: &str,
    close: bool,
) -> Result<(), AppError> {
    if !ctx
        .actor()?
        .reach(Action::ApproveJournalCorrections)
        .covers(school)
    {
        return Err(AppError::Forbidden);
    }
    let Ok(period) = raw_period.parse::<i64>() else {
        return Err(crate::routes::deny_object(state, ctx, "reporting_period", raw_period).await);
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: format!("journal.period_{}", if close { "close" } else { "reopen" }),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let done = state
        .store
        .set_period_closed(school.id, period, close, &audit)
        .await;
    crate::routes::or_deny(state, ctx, "reporting_period", raw_period, done).await
}
