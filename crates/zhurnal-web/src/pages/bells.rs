//! The bell schedule (§2.6; DOMAIN.md §3): checked against the rules of the school day
//! before it is saved. A broken fixed rule blocks the save; a local choice only warns.

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Time;
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::bells::{Bell, Finding, Schedule, Severity, bells_for, check};
use zhurnal_store::{AuditEntry, SchoolRow};

/// Rows offered in the form: room for a long day.
const ROWS: usize = 9;

pub struct BellRow {
    pub number: usize,
    pub start: String,
    pub end: String,
    pub error: Option<&'static str>,
    pub warning: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "bells.html")]
pub struct BellsPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub shift: i8,
    /// 0 for every day of the shift.
    pub weekday: i8,
    pub shifts: Vec<Choice>,
    pub weekdays: Vec<Choice>,
    /// The schedules the school has, as links.
    pub schedules: Vec<(String, String)>,
    /// The day shown has no bells of its own: the shift's (or first shift's) are shown.
    pub inherited: bool,
    /// The schedule shown exists and may be removed (a weekday's own, or the second shift).
    pub removable: bool,
    pub rows: Vec<BellRow>,
    pub general: Vec<&'static str>,
    pub warnings: Vec<&'static str>,
    pub saved: bool,
    pub summary: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct BellsQuery {
    school: Option<String>,
    shift: Option<i8>,
    weekday: Option<i8>,
    saved: Option<String>,
}

/// Which schedule a page is about: (shift, weekday or 0), within the school's shifts and week.
fn which(school: &SchoolRow, shift: Option<i8>, weekday: Option<i8>) -> (i8, i8) {
    let shifts = school.shifts.clamp(1, 2) as i8;
    let days = school.study_week.clamp(5, 6) as i8;
    (
        shift.filter(|s| (1..=shifts).contains(s)).unwrap_or(1),
        weekday.filter(|w| (1..=days).contains(w)).unwrap_or(0),
    )
}

fn schedule_label(t: &crate::i18n::Tr, shift: i8, weekday: Option<i8>) -> String {
    let shift = format!("{} {}", shift, t.s("bells.shift_suffix"));
    match weekday {
        None => format!("{shift}, {}", t.s("bells.every_day")),
        Some(w) => format!("{shift}, {}", t.weekday_short(w)),
    }
}

fn rows_from(bells: &[Bell]) -> Vec<BellRow> {
    (1..=ROWS)
        .map(|n| {
            let b = bells.get(n - 1);
            BellRow {
                number: n,
                start: b
                    .map(|b| b.start.strftime("%H:%M").to_string())
                    .unwrap_or_default(),
                end: b
                    .map(|b| b.end.strftime("%H:%M").to_string())
                    .unwrap_or_default(),
                error: None,
                warning: None,
            }
        })
        .collect()
}

/// The catalogue key of a finding's message.
pub fn message(code: &str) -> &'static str {
    match code {
        "bells.empty" => "bells.msg_empty",
        "bells.numbering" => "bells.msg_gap",
        "bells.reversed" => "bells.msg_reversed",
        "bells.too_early" => "bells.msg_too_early",
        "bells.too_late" => "bells.msg_too_late",
        "bells.too_long" => "bells.msg_too_long",
        "bells.short" => "bells.msg_short",
        "bells.overlap" => "bells.msg_overlap",
        "bells.short_break" => "bells.msg_short_break",
        "bells.no_big_break" => "bells.msg_no_big_break",
        "bells.too_many" => "bells.msg_too_many",
        _ => "bells.msg_bad_time",
    }
}

pub async fn school_for(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
) -> Result<SchoolRow, AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    Ok(pick_school(state, ctx, &reach, asked).await?.0)
}

fn page(
    ctx: &Ctx,
    school: &SchoolRow,
    (shift, weekday): (i8, i8),
    schedules: &[Schedule],
    rows: Vec<BellRow>,
) -> BellsPage {
    let t = ctx.t();
    let own = schedules
        .iter()
        .any(|s| s.shift == shift && s.weekday == Some(weekday).filter(|w| *w > 0));
    BellsPage {
        c: Chrome::new(ctx, t.s("bells.title"), "/setup/bells"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        shift,
        weekday,
        shifts: (1..=school.shifts.clamp(1, 2) as i8)
            .map(|s| Choice {
                value: s.to_string(),
                label: format!("{s} {}", t.s("bells.shift_suffix")),
                selected: s == shift,
            })
            .collect(),
        weekdays: std::iter::once((0, t.s("bells.every_day").to_owned()))
            .chain(
                (1..=school.study_week.clamp(5, 6) as i8)
                    .map(|w| (w, t.weekday_short(w).to_owned())),
            )
            .map(|(w, label)| Choice {
                value: w.to_string(),
                label,
                selected: w == weekday,
            })
            .collect(),
        schedules: schedules
            .iter()
            .map(|s| {
                (
                    format!(
                        "/setup/bells?school={}&shift={}&weekday={}",
                        school.id,
                        s.shift,
                        s.weekday.unwrap_or(0)
                    ),
                    schedule_label(&t, s.shift, s.weekday),
                )
            })
            .collect(),
        inherited: !own,
        removable: own && (weekday > 0 || shift == 2),
        rows,
        general: Vec::new(),
        warnings: Vec::new(),
        saved: false,
        summary: None,
    }
}

/// Puts each finding next to its row, or in the general list.
fn place(p: &mut BellsPage, t: &crate::i18n::Tr, findings: &[Finding]) {
    for f in findings {
        let text = t.s(message(f.code));
        let row = f
            .lesson
            .and_then(|n| usize::try_from(n).ok())
            .and_then(|n| p.rows.get_mut(n.wrapping_sub(1)));
        match (f.severity, row) {
            (Severity::Error, Some(r)) => r.error = r.error.or(Some(text)),
            (Severity::Warning, Some(r)) => r.warning = r.warning.or(Some(text)),
            (Severity::Error, None) => p.general.push(text),
            (Severity::Warning, None) => p.warnings.push(text),
        }
    }
}

pub async fn bells_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<BellsQuery>,
) -> Result<Response, AppError> {
    let school = school_for(&state, &ctx, q.school.as_deref()).await?;
    let (shift, weekday) = which(&school, q.shift, q.weekday);
    let schedules = state.store.bell_schedules(school.id).await?;
    let bells = match weekday {
        0 => bells_for(&schedules, shift, 7),
        w => bells_for(&schedules, shift, w),
    };
    let mut p = page(
        &ctx,
        &school,
        (shift, weekday),
        &schedules,
        rows_from(bells),
    );
    p.saved = q.saved.is_some();
    place(
        &mut p,
        &ctx.t(),
        &check(bells)
            .into_iter()
            .filter(|f| f.severity == Severity::Warning)
            .collect::<Vec<_>>(),
    );
    html(StatusCode::OK, &p)
}

pub async fn bells_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, form.get("csrf").map_or("", String::as_str))?;
    ctx.actor()?;
    let t = ctx.t();
    let school = school_for(&state, &ctx, form.get("school").map(String::as_str)).await?;
    let number = |name: &str| form.get(name).and_then(|v| v.parse::<i8>().ok());
    let (shift, weekday) = which(&school, number("shift"), number("weekday"));
    let day = Some(weekday).filter(|w| *w > 0);
    let audit = |action: &str, details: serde_json::Value| AuditEntry {
        school_id: Some(school.id),
        action: action.into(),
        target_kind: "school".into(),
        target_id: school.id.to_string(),
        details: details.to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let back = format!(
        "/setup/bells?school={}&shift={shift}&weekday={weekday}",
        school.id
    );
    if form.get("op").map(String::as_str) == Some("delete") {
        // The shift's every-day bells of the first shift stay: every lesson needs times.
        if day.is_none() && shift == 1 {
            return Err(AppError::BadRequest(
                "the first shift's bells cannot be removed".into(),
            ));
        }
        let details = serde_json::json!({ "shift": shift, "weekday": day });
        state
            .store
            .delete_bells(school.id, shift, day, &audit("setup.bells_remove", details))
            .await?;
        return Ok(crate::error::redirect(&back).into_response());
    }
    let schedules = state.store.bell_schedules(school.id).await?;
    let field = |name: String| {
        form.get(&name)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut rows: Vec<BellRow> = (1..=ROWS)
        .map(|n| BellRow {
            number: n,
            start: field(format!("start_{n}")),
            end: field(format!("end_{n}")),
            error: None,
            warning: None,
        })
        .collect();
    // Rows are read up to the last filled one; a blank row in between is a gap in numbering.
    let last = rows
        .iter()
        .rposition(|r| !r.start.is_empty() || !r.end.is_empty())
        .map_or(0, |i| i + 1);
    let mut bells = Vec::new();
    let mut unreadable = false;
    for r in rows.iter_mut().take(last) {
        match (r.start.parse::<Time>(), r.end.parse::<Time>()) {
            (Ok(start), Ok(end)) => bells.push(Bell {
                number: r.number as i16,
                start,
                end,
            }),
            _ => {
                r.error = Some(t.s("bells.msg_bad_time"));
                unreadable = true;
            }
        }
    }
    let findings = if unreadable {
        Vec::new()
    } else {
        check(&bells)
    };
    let blocked = unreadable || findings.iter().any(|f| f.severity == Severity::Error);
    let mut p = page(&ctx, &school, (shift, weekday), &schedules, rows);
    place(&mut p, &t, &findings);
    if blocked {
        p.summary = Some(t.s("bells.not_saved"));
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    store_bells(&state, &ctx, &school, (shift, day), &bells).await?;
    Ok(crate::error::redirect(&format!("{back}&saved=1")).into_response())
}

/// Saves checked bells of a shift, on every day (`None`) or one weekday, audited.
pub async fn store_bells(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (shift, day): (i8, Option<i8>),
    bells: &[Bell],
) -> Result<(), AppError> {
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.bells".into(),
        target_kind: "school".into(),
        target_id: school.id.to_string(),
        details: serde_json::json!({ "shift": shift, "weekday": day, "lessons": bells.len() })
            .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .save_bells(school.id, shift, day, bells, &audit)
        .await?;
    Ok(())
}
