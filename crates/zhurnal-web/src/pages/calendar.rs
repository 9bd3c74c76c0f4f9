//! The academic year's calendar, kept by the deputy director: the year's first and last
//! day, the 5- or 6-day week, holidays (for all grades or some), moved working days and days
//! off; and the next year created from this one in one step. Every save is checked as a
//! whole, stored all-or-nothing, and the year's lessons are derived again.

use super::auth::check_csrf;
use super::changes::rederive;
use super::timetable::pick_school;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::{Date, Weekday};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::calendar::{
    Calendar, CalendarError, Grades, Holiday, MovedDay, StudyWeek, recommended, short_holidays,
};
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_store::{AuditEntry, SchoolRow};

pub struct HolidayItem {
    pub index: usize,
    pub name: String,
    pub dates: String,
    pub grades: String,
    /// Shorter than the Ministry's recommended week: shown as a warning beside it.
    pub short: bool,
}

pub struct MovedItem {
    pub index: usize,
    pub date: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub year: i16,
    pub year_label: String,
    pub exists: bool,
    pub next_exists: bool,
    pub start: String,
    pub end: String,
    pub six_days: bool,
    pub holidays: Vec<HolidayItem>,
    pub moved: Vec<MovedItem>,
    pub form: CalendarForm,
    pub done: bool,
    pub summary: Option<String>,
    pub year_error: Option<&'static str>,
    pub holiday_error: Option<&'static str>,
    pub moved_error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    school: Option<String>,
    year: Option<i16>,
    done: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct CalendarForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub year: i16,
    /// `year`, `add_holiday`, `delete_holiday`, `add_moved`, `delete_moved`, `next_year`.
    #[serde(default)]
    pub op: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub week: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub from_grade: String,
    #[serde(default)]
    pub to_grade: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub moved_kind: String,
    #[serde(default)]
    pub weekday: String,
    #[serde(default)]
    pub index: String,
}

fn weekday_name(t: &Tr, w: Weekday) -> String {
    let monday = Date::constant(2026, 11, 23);
    let d = monday
        .checked_add(jiff::Span::new().days(i64::from(w.to_monday_zero_offset())))
        .unwrap_or(monday);
    t.weekday_date(d)
        .split(',')
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn load(
    state: &AppState,
    ctx: &Ctx,
    school: Option<&str>,
    year: Option<i16>,
) -> Result<(SchoolRow, i16, Option<Calendar>), AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(state, ctx, &reach, school).await?;
    let year =
        year.unwrap_or_else(|| study_year_of(today_in(state.clock.now(), &school.time_zone)));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    let cal = state.store.calendar(school.id, year).await?;
    Ok((school, year, cal))
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
    cal: Option<&Calendar>,
    form: CalendarForm,
) -> Result<CalendarPage, AppError> {
    let t = ctx.t();
    let fallback = recommended(year, StudyWeek::Five);
    let shown = cal.unwrap_or(&fallback);
    let short = short_holidays(shown);
    let next_exists = state.store.calendar(school.id, year + 1).await?.is_some();
    Ok(CalendarPage {
        c: Chrome::new(ctx, t.s("calendar.title"), "/setup/calendar"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        year,
        year_label: format!("{}/{}", year, year + 1),
        exists: cal.is_some(),
        next_exists,
        start: if form.start.is_empty() {
            shown.start.to_string()
        } else {
            form.start.clone()
        },
        end: if form.end.is_empty() {
            shown.end.to_string()
        } else {
            form.end.clone()
        },
        six_days: shown.week == StudyWeek::Six,
        holidays: shown
            .holidays
            .iter()
            .enumerate()
            .map(|(index, h)| HolidayItem {
                short: short.contains(&index),
                index,
                name: h.name.clone(),
                dates: format!("{} — {}", t.date(h.start), t.date(h.end)),
                grades: if h.grades == Grades::ALL {
                    t.s("calendar.all_grades").to_owned()
                } else {
                    h.grades.describe()
                },
            })
            .collect(),
        moved: shown
            .moved
            .iter()
            .enumerate()
            .map(|(index, m)| match m {
                MovedDay::WorkingAs { date, weekday } => MovedItem {
                    index,
                    date: t.weekday_date(*date),
                    what: format!(
                        "{} {}",
                        t.s("calendar.works_as"),
                        weekday_name(&t, *weekday)
                    ),
                },
                MovedDay::DayOff { date, name } => MovedItem {
                    index,
                    date: t.weekday_date(*date),
                    what: format!("{}: {name}", t.s("calendar.day_off")),
                },
            })
            .collect(),
        form,
        done: false,
        summary: None,
        year_error: None,
        holiday_error: None,
        moved_error: None,
    })
}

pub async fn calendar_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    let (school, year, cal) = load(&state, &ctx, q.school.as_deref(), q.year).await?;
    let mut p = page(
        &state,
        &ctx,
        &school,
        year,
        cal.as_ref(),
        CalendarForm::default(),
    )
    .await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

pub fn error_key(e: CalendarError) -> &'static str {
    match e {
        CalendarError::YearReversed => "calendar.year_reversed",
        CalendarError::HolidayReversed(_) => "calendar.holiday_reversed",
        CalendarError::HolidayOutsideYear(_) => "calendar.holiday_outside",
        CalendarError::HolidayUnnamed(_) => "calendar.holiday_unnamed",
        CalendarError::HolidayNameLong(_) | CalendarError::MovedNameLong(_) => "calendar.name_long",
        CalendarError::WorkingAsSunday(_) => "calendar.working_sunday",
        CalendarError::MovedOutsideYear(_) => "calendar.moved_outside",
    }
}

/// Which part of the page an error belongs next to.
enum Place {
    Year,
    Holiday,
    Moved,
}

pub async fn calendar_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CalendarForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    ctx.actor()?;
    let t = ctx.t();
    let (school, year, existing) = load(&state, &ctx, Some(&form.school), Some(form.year)).await?;
    let mut cal = existing
        .clone()
        .unwrap_or_else(|| recommended(year, StudyWeek::Five));
    let parse_date = |s: &str| s.trim().parse::<Date>().ok();
    let index = form.index.parse::<usize>().ok();
    // Apply the operation; a refusal names the place on the page and the message.
    let mut target_year = year;
    let refusal: Option<(Place, &'static str)> = match form.op.as_str() {
        "year" => match (parse_date(&form.start), parse_date(&form.end)) {
            (Some(s), Some(e)) => {
                cal.start = s;
                cal.end = e;
                cal.week = if form.week == "6" { StudyWeek::Six } else { StudyWeek::Five };
                (study_year_of(s) != year).then_some((Place::Year, "calendar.start_in_year"))
            }
            _ => Some((Place::Year, "calendar.bad_dates")),
        },
        "add_holiday" => {
            let grades = match (form.from_grade.parse::<i16>(), form.to_grade.parse::<i16>()) {
                (Ok(a), Ok(b)) if (1..=11).contains(&a) && (a..=11).contains(&b) => Some(Grades::range(a, b)),
                _ => None,
            };
            match (parse_date(&form.start), parse_date(&form.end), grades) {
                (Some(start), Some(end), Some(grades)) => {
                    cal.holidays.push(Holiday { name: form.name.trim().to_owned(), start, end, grades });
                    cal.holidays.sort_by_key(|h| h.start);
                    None
                }
                (_, _, None) => Some((Place::Holiday, "calendar.bad_grades")),
                _ => Some((Place::Holiday, "calendar.bad_dates")),
            }
        }
        "delete_holiday" => match index.filter(|i| *i < cal.holidays.len()) {
            Some(i) => {
                cal.holidays.remove(i);
                None
            }
            None => return Err(AppError::NotFound),
        },
        "add_moved" => match parse_date(&form.date) {
            Some(date) if cal.moved.iter().any(|m| matches!(m, MovedDay::WorkingAs { date: d, .. } | MovedDay::DayOff { date: d, .. } if *d == date)) => {
                Some((Place::Moved, "calendar.moved_twice"))
            }
            Some(date) => {
                if form.moved_kind == "working" {
                    match form.weekday.parse::<i8>().ok().and_then(|n| Weekday::from_monday_one_offset(n).ok()) {
                        Some(weekday) => {
                            cal.moved.push(MovedDay::WorkingAs { date, weekday });
                            None
                        }
                        None => Some((Place::Moved, "calendar.pick_weekday")),
                    }
                } else if form.name.trim().is_empty() {
                    Some((Place::Moved, "calendar.name_day_off"))
                } else {
                    cal.moved.push(MovedDay::DayOff { date, name: form.name.trim().to_owned() });
                    None
                }
            }
            None => Some((Place::Moved, "calendar.bad_dates")),
        },
        "delete_moved" => match index.filter(|i| *i < cal.moved.len()) {
            Some(i) => {
                cal.moved.remove(i);
                None
            }
            None => return Err(AppError::NotFound),
        },
        "next_year" => {
            if state.store.calendar(school.id, year + 1).await?.is_some() {
                Some((Place::Year, "calendar.next_exists"))
            } else {
                cal = cal.next_year();
                target_year = year + 1;
                None
            }
        }
        _ => return Err(AppError::BadRequest("unknown operation".into())),
    };
    cal.moved.sort_by_key(|m| match m {
        MovedDay::WorkingAs { date, .. } | MovedDay::DayOff { date, .. } => *date,
    });
    let refusal = refusal.or_else(|| {
        cal.check().first().map(|e| {
            let place = match e {
                CalendarError::YearReversed => Place::Year,
                CalendarError::WorkingAsSunday(_)
                | CalendarError::MovedOutsideYear(_)
                | CalendarError::MovedNameLong(_) => Place::Moved,
                _ => Place::Holiday,
            };
            (place, error_key(*e))
        })
    });
    if let Some((place, key)) = refusal {
        let mut p = page(&state, &ctx, &school, year, existing.as_ref(), form).await?;
        match place {
            Place::Year => p.year_error = Some(t.s(key)),
            Place::Holiday => p.holiday_error = Some(t.s(key)),
            Place::Moved => p.moved_error = Some(t.s(key)),
        }
        p.summary = Some(t.s("account.form_errors").to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    store_calendar(
        &state,
        &ctx,
        &school,
        (year, target_year),
        existing.as_ref(),
        &cal,
        &form.op,
    )
    .await?;
    Ok(crate::error::redirect(&format!(
        "/setup/calendar?school={}&year={target_year}&done=1",
        school.id
    ))
    .into_response())
}

/// Saves a checked calendar as `target_year`'s, audited with the operation that made it, and
/// derives the lessons of the year shown (`year`) again: they follow the calendar. A new year
/// has no classes yet (they come with promotion), so there is nothing to derive for it.
pub async fn store_calendar(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (year, target_year): (i16, i16),
    existing: Option<&Calendar>,
    cal: &Calendar,
    op: &str,
) -> Result<(), AppError> {
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.calendar".into(),
        target_kind: "academic_year".into(),
        target_id: target_year.to_string(),
        details: serde_json::json!({ "op": op }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    if target_year == year {
        super::changes::mark_stale(state, school.id, cal.start).await?;
    }
    state
        .store
        .save_calendar(school.id, target_year, cal, &audit)
        .await?;
    if target_year == year {
        let (from, to) = match existing {
            Some(old) => (old.start.min(cal.start), old.end.max(cal.end)),
            None => (cal.start, cal.end),
        };
        rederive(state, school.id, from, to).await?;
    }
    Ok(())
}
