//! Importing weekly timetables from CSV (§2.6) with a dry run: the check reports every
//! problem by line (unknown names, double bookings against the whole school, hours against
//! the load); applying saves all classes of the file at once or nothing, then derives the
//! lessons from the chosen date.

use super::auth::check_csrf;
use super::timetable::pick_school;
use super::weeks::{Weeks, calendar_for, check_weeks, save_weeks};
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use zhurnal_core::Action;
use zhurnal_core::calendar::Calendar;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::timetable::{Entry, Slot};
use zhurnal_core::timetable_csv::{CsvError, normalise_name, parse};
use zhurnal_store::SchoolRow;

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub valid_from: String,
    pub csv: String,
    pub checked: bool,
    /// «Lessons read: N; classes: M.»
    pub summary: String,
    pub lines: usize,
    pub classes: usize,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub done: Option<String>,
    pub date_error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    school: Option<String>,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ImportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    csv: String,
    /// `check` (dry run) or `apply`.
    #[serde(default)]
    op: String,
}

fn blank(ctx: &Ctx, school: &SchoolRow, valid_from: String, csv: String) -> ImportPage {
    let t = ctx.t();
    ImportPage {
        c: Chrome::new(ctx, t.s("import.title"), "/setup/timetable/import"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        valid_from,
        csv,
        checked: false,
        summary: String::new(),
        lines: 0,
        classes: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
        done: None,
        date_error: None,
    }
}

pub async fn import_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let mut p = blank(&ctx, &school, today.to_string(), String::new());
    p.done = q.done.map(|n| format!("{} {n}", ctx.t().s("import.done")));
    html(StatusCode::OK, &p)
}

fn csv_message(t: &Tr, e: &CsvError) -> String {
    let at = |line: usize| format!("{} {line}: ", t.s("import.line"));
    match e {
        CsvError::Empty => t.s("import.empty").to_owned(),
        CsvError::Columns { line, found } => {
            format!("{}{} ({found})", at(*line), t.s("import.columns"))
        }
        CsvError::Weekday { line, value } => {
            format!("{}{} «{value}»", at(*line), t.s("import.weekday"))
        }
        CsvError::Number { line, value } => {
            format!("{}{} «{value}»", at(*line), t.s("import.number"))
        }
        CsvError::Blank { line, field } => {
            format!("{}{} ({field})", at(*line), t.s("import.blank"))
        }
    }
}

/// Normalised name → the people who have it.
type NameIndex = HashMap<String, Vec<i64>>;

/// Finds a teacher by full name, by «Фамилия И. О.», or by a surname nobody else has.
fn find_teacher(
    by_full: &NameIndex,
    by_short: &NameIndex,
    by_last: &NameIndex,
    raw: &str,
) -> Result<i64, bool> {
    let key = normalise_name(raw);
    for map in [by_full, by_short, by_last] {
        match map.get(&key).map(Vec::as_slice) {
            Some([one]) => return Ok(*one),
            Some([_, _, ..]) => return Err(true),
            _ => {}
        }
    }
    Err(false)
}

/// A timetable file checked against the school: what it holds and every problem found.
pub struct Checked {
    /// The start date and its year's calendar; `Err(key)` when the date is not usable.
    pub from: Result<(Date, Calendar), &'static str>,
    pub lines: usize,
    pub classes: usize,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub weeks: Weeks,
}

/// Reads a timetable CSV and checks it from `valid_from`: names to ids, then double bookings
/// against the whole school and hours against the load. The one rule for page and API.
pub async fn check_import(
    state: &AppState,
    t: &Tr,
    school: &SchoolRow,
    valid_from: &str,
    csv: &str,
) -> Result<Checked, AppError> {
    let mut out = Checked {
        from: calendar_for(state, school.id, valid_from).await?,
        lines: 0,
        classes: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
        weeks: BTreeMap::new(),
    };
    let Ok((valid_from, calendar)) = &out.from else {
        return Ok(out);
    };
    let valid_from = *valid_from;
    let (lines, csv_errors) = parse(csv);
    out.errors
        .extend(csv_errors.iter().map(|e| csv_message(t, e)));
    out.lines = lines.len();
    // Names → ids, from what the school has.
    let classes = state
        .store
        .school_classes(school.id, study_year_of(valid_from))
        .await?;
    let subjects = state.store.school_subjects(school.id).await?;
    let teachers = state.store.school_teachers(school.id).await?;
    let class_by: HashMap<String, i64> = classes
        .iter()
        .map(|c| (normalise_name(&c.name), c.id))
        .collect();
    let subject_by: HashMap<String, i64> = subjects
        .iter()
        .map(|(id, n)| (normalise_name(n), *id))
        .collect();
    let mut by_full: NameIndex = HashMap::new();
    let mut by_short: NameIndex = HashMap::new();
    let mut by_last: NameIndex = HashMap::new();
    for p in &teachers {
        by_full
            .entry(normalise_name(&p.full_name()))
            .or_default()
            .push(p.id);
        by_short
            .entry(normalise_name(&p.short_name()))
            .or_default()
            .push(p.id);
        by_last
            .entry(normalise_name(&p.last_name))
            .or_default()
            .push(p.id);
    }
    for l in &lines {
        let at = format!("{} {}: ", t.s("import.line"), l.line);
        let class = class_by.get(&normalise_name(&l.class)).copied();
        let subject = subject_by.get(&normalise_name(&l.subject)).copied();
        let teacher = find_teacher(&by_full, &by_short, &by_last, &l.teacher);
        if class.is_none() {
            out.errors
                .push(format!("{at}{} «{}»", t.s("import.unknown_class"), l.class));
        }
        if subject.is_none() {
            out.errors.push(format!(
                "{at}{} «{}»",
                t.s("import.unknown_subject"),
                l.subject
            ));
        }
        match teacher {
            Err(true) => out.errors.push(format!(
                "{at}{} «{}»",
                t.s("import.ambiguous_teacher"),
                l.teacher
            )),
            Err(false) => out.errors.push(format!(
                "{at}{} «{}»",
                t.s("import.unknown_teacher"),
                l.teacher
            )),
            Ok(_) => {}
        }
        if let (Some(class), Some(subject), Ok(teacher)) = (class, subject, teacher) {
            // New lines carry the negated line number as id, to name them in conflicts.
            out.weeks.entry(class).or_default().push(Entry {
                id: -(l.line as i64),
                group_id: class,
                subject_id: subject,
                teacher_id: teacher,
                room: l.room.clone(),
                slot: Slot {
                    weekday: l.weekday,
                    number: l.number,
                },
            });
        }
    }
    out.classes = out.weeks.len();
    let label = |id: i64| format!("{} {}", t.s("import.line"), -id);
    let checked = check_weeks(state, t, school, valid_from, calendar, &out.weeks, &label).await?;
    out.errors.extend(checked.errors);
    out.warnings.extend(checked.warnings);
    Ok(out)
}

/// Saves a clean import: every class of the file at once, lessons derived from the start
/// date. `Err(key)` when saving found a reason not to.
pub async fn apply_import(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    checked: Checked,
) -> Result<Result<(), &'static str>, AppError> {
    let (Ok((valid_from, calendar)), true) = (checked.from, checked.errors.is_empty()) else {
        return Err(AppError::Internal(
            "applying an import that did not pass".into(),
        ));
    };
    let details = serde_json::json!({ "valid_from": valid_from.to_string(), "classes": checked.classes, "lines": checked.lines });
    save_weeks(
        state,
        ctx,
        school,
        (valid_from, &calendar),
        checked.weeks,
        "setup.timetable_import",
        details,
    )
    .await
}

pub async fn import_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ImportForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let actor = ctx.actor()?;
    let t = ctx.t();
    let reach = actor.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(&form.school)).await?;
    let mut p = blank(&ctx, &school, form.valid_from.clone(), form.csv.clone());
    p.checked = true;
    let checked = check_import(&state, &t, &school, &form.valid_from, &form.csv).await?;
    if let Err(key) = checked.from {
        p.date_error = Some(t.s(key));
        p.errors.push(t.s(key).to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    p.lines = checked.lines;
    p.classes = checked.classes;
    p.summary = format!(
        "{}: {}; {}: {}.",
        t.s("import.read"),
        p.lines,
        t.s("import.classes"),
        p.classes
    );
    p.errors.extend(checked.errors.iter().cloned());
    p.warnings.extend(checked.warnings.iter().cloned());
    if !p.errors.is_empty() || form.op != "apply" {
        let status = if p.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return html(status, &p);
    }
    let lines = checked.lines;
    if let Err(key) = apply_import(&state, &ctx, &school, checked).await? {
        p.errors.push(t.s(key).to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    Ok(crate::error::redirect(&format!(
        "/setup/timetable/import?school={}&done={lines}",
        school.id
    ))
    .into_response())
}
