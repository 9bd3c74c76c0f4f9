//! The curriculum plan (§2.5), per parallel: weekly hours of each subject and how it is
//! assessed (five-point, pass/fail, not marked). The week's total is checked against the
//! sanitary maximum for the grade before anything is saved.

use super::timetable::pick_school;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::calendar::StudyWeek;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::curriculum::{Grading, level_of, max_weekly_hours};
use zhurnal_store::{AuditEntry, SchoolRow};

pub struct Line {
    pub subject_id: i64,
    pub subject: String,
    pub hours: String,
    pub grading: &'static str,
    pub error: bool,
}

pub struct Tab {
    pub parallel: i16,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "curriculum.html")]
pub struct CurriculumPage {
    pub c: Chrome,
    pub school_id: i64,
    pub year: i16,
    pub parallel: i16,
    pub level: &'static str,
    pub tabs: Vec<Tab>,
    pub lines: Vec<Line>,
    pub total: i32,
    pub max: i16,
    pub saved: bool,
    pub summary: Option<String>,
    pub subject_error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct CurriculumQuery {
    school: Option<String>,
    year: Option<i16>,
    parallel: Option<i16>,
    saved: Option<String>,
}

/// The school and the academic year asked for (this one by default; the next one to prepare it).
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

pub fn week_of(school: &SchoolRow) -> StudyWeek {
    if school.study_week == 6 {
        StudyWeek::Six
    } else {
        StudyWeek::Five
    }
}

fn page(
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
    parallel: i16,
    lines: Vec<Line>,
) -> CurriculumPage {
    let t = ctx.t();
    let total = lines
        .iter()
        .filter_map(|l| l.hours.trim().parse::<i32>().ok())
        .sum();
    CurriculumPage {
        c: Chrome::new(ctx, t.s("curriculum.title"), "/setup/curriculum"),
        school_id: school.id,
        year,
        parallel,
        level: t.s(match level_of(parallel) {
            "primary" => "curriculum.primary",
            "basic" => "curriculum.basic",
            _ => "curriculum.secondary",
        }),
        tabs: (1..=11)
            .map(|p| Tab {
                parallel: p,
                current: p == parallel,
            })
            .collect(),
        lines,
        total,
        max: max_weekly_hours(parallel, week_of(school)),
        saved: false,
        summary: None,
        subject_error: None,
    }
}

pub async fn curriculum_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CurriculumQuery>,
) -> Result<Response, AppError> {
    let (school, year) = school_year(&state, &ctx, q.school.as_deref(), q.year).await?;
    let parallel = q.parallel.unwrap_or(1);
    if !(1..=11).contains(&parallel) {
        return Err(AppError::NotFound);
    }
    let rows = state.store.curriculum(school.id, year, parallel).await?;
    let lines = rows
        .into_iter()
        .map(|r| Line {
            subject_id: r.subject_id,
            subject: r.subject_name,
            hours: r.hours_per_week.map_or(String::new(), |h| h.to_string()),
            grading: r
                .grading
                .as_deref()
                .and_then(Grading::parse)
                .unwrap_or(Grading::FivePoint)
                .code(),
            error: false,
        })
        .collect();
    let mut p = page(&ctx, &school, year, parallel, lines);
    p.saved = q.saved.is_some();
    html(StatusCode::OK, &p)
}

pub async fn curriculum_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    super::auth::check_csrf(&ctx, form.one("csrf"))?;
    ctx.actor()?;
    let t = ctx.t();
    let (school, year) = school_year(
        &state,
        &ctx,
        Some(form.one("school")),
        form.one("year").parse().ok(),
    )
    .await?;
    let parallel: i16 = form
        .one("parallel")
        .parse()
        .ok()
        .filter(|p| (1..=11).contains(p))
        .ok_or(AppError::NotFound)?;
    if form.one("op") == "add_subject" {
        let (name, area) = (form.one("name").trim(), form.one("area").trim());
        let error = if name.is_empty() || name.chars().count() > 80 || area.chars().count() > 80 {
            Some("curriculum.bad_subject")
        } else {
            let audit = AuditEntry {
                school_id: Some(school.id),
                action: "setup.subject".into(),
                ..ctx.audit_base(state.clock.now_ms())
            };
            match state.store.add_subject(school.id, name, area, &audit).await {
                Ok(_) => None,
                Err(zhurnal_store::StoreError::Conflict(_)) => Some("curriculum.subject_exists"),
                Err(e) => return Err(e.into()),
            }
        };
        return match error {
            None => Ok(crate::error::redirect(&format!(
                "/setup/curriculum?school={}&parallel={parallel}&saved=1",
                school.id
            ))
            .into_response()),
            Some(key) => {
                let rows = state.store.curriculum(school.id, year, parallel).await?;
                let lines = rows
                    .into_iter()
                    .map(|r| Line {
                        subject_id: r.subject_id,
                        subject: r.subject_name,
                        hours: r.hours_per_week.map_or(String::new(), |h| h.to_string()),
                        grading: r
                            .grading
                            .as_deref()
                            .and_then(Grading::parse)
                            .unwrap_or(Grading::FivePoint)
                            .code(),
                        error: false,
                    })
                    .collect();
                let mut p = page(&ctx, &school, year, parallel, lines);
                p.subject_error = Some(t.s(key));
                html(StatusCode::UNPROCESSABLE_ENTITY, &p)
            }
        };
    }
    let subjects = state.store.curriculum(school.id, year, parallel).await?;
    let mut lines = Vec::new();
    let mut rows: Vec<(i64, i32, &'static str)> = Vec::new();
    let mut bad = false;
    for s in &subjects {
        let hours_raw = form
            .one(&format!("hours_{}", s.subject_id))
            .trim()
            .to_owned();
        let grading = Grading::parse(form.one(&format!("grading_{}", s.subject_id)))
            .unwrap_or(Grading::FivePoint);
        let hours = if hours_raw.is_empty() {
            Some(0)
        } else {
            hours_raw
                .parse::<i32>()
                .ok()
                .filter(|h| (0..=10).contains(h))
        };
        if hours.is_none() {
            bad = true;
        }
        if let Some(h) = hours.filter(|h| *h > 0) {
            rows.push((s.subject_id, h, grading.code()));
        }
        lines.push(Line {
            subject_id: s.subject_id,
            subject: s.subject_name.clone(),
            hours: hours_raw,
            grading: grading.code(),
            error: hours.is_none(),
        });
    }
    let mut p = page(&ctx, &school, year, parallel, lines);
    if bad {
        p.summary = Some(t.s("curriculum.bad_hours").to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    if p.total > i32::from(p.max) {
        p.summary = Some(format!(
            "{} {} > {}.",
            t.s("curriculum.over_max"),
            p.total,
            p.max
        ));
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    store_curriculum(&state, &ctx, &school, (year, parallel), &rows, p.total).await?;
    Ok(crate::error::redirect(&format!(
        "/setup/curriculum?school={}&parallel={parallel}&saved=1",
        school.id
    ))
    .into_response())
}

/// Saves a parallel's plan — (subject, weekly hours, grading code) — checked by the caller.
pub async fn store_curriculum(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (year, parallel): (i16, i16),
    rows: &[(i64, i32, &'static str)],
    total: i32,
) -> Result<(), AppError> {
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.curriculum".into(),
        target_kind: "parallel".into(),
        target_id: parallel.to_string(),
        details: serde_json::json!({ "study_year": year, "hours": total }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .save_curriculum(school.id, year, parallel, rows, &audit)
        .await?;
    Ok(())
}
