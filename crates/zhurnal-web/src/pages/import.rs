//! Importing weekly timetables from CSV (§2.6) with a dry run: the check reports every
//! problem by line (unknown names, double bookings against the whole school, hours against
//! the load); applying saves all classes of the file at once or nothing, then derives the
//! lessons from the chosen date.

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
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use zhurnal_core::Action;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::timetable::{
    Conflict, Entry, Slot, conflicts, hours_against_load, templates_in_force,
};
use zhurnal_core::timetable_csv::{CsvError, normalise_name, parse};
use zhurnal_store::{AuditEntry, SchoolRow, StoreError};

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub valid_from: String,
    pub csv: String,
    pub checked: bool,
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
    let valid_from = form.valid_from.trim().parse::<Date>().ok();
    let calendar = match valid_from {
        Some(d) => state.store.calendar(school.id, study_year_of(d)).await?,
        None => None,
    };
    let (Some(valid_from), Some(calendar)) = (valid_from, calendar) else {
        p.date_error = Some(t.s(if valid_from.is_none() {
            "import.bad_date"
        } else {
            "import.no_calendar"
        }));
        p.errors.push(t.s("import.bad_date").to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    };
    let (lines, csv_errors) = parse(&form.csv);
    p.errors
        .extend(csv_errors.iter().map(|e| csv_message(&t, e)));
    p.lines = lines.len();
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
    let mut weeks: BTreeMap<i64, Vec<Entry>> = BTreeMap::new();
    for l in &lines {
        let at = format!("{} {}: ", t.s("import.line"), l.line);
        let class = class_by.get(&normalise_name(&l.class)).copied();
        let subject = subject_by.get(&normalise_name(&l.subject)).copied();
        let teacher = find_teacher(&by_full, &by_short, &by_last, &l.teacher);
        if class.is_none() {
            p.errors
                .push(format!("{at}{} «{}»", t.s("import.unknown_class"), l.class));
        }
        if subject.is_none() {
            p.errors.push(format!(
                "{at}{} «{}»",
                t.s("import.unknown_subject"),
                l.subject
            ));
        }
        match teacher {
            Err(true) => p.errors.push(format!(
                "{at}{} «{}»",
                t.s("import.ambiguous_teacher"),
                l.teacher
            )),
            Err(false) => p.errors.push(format!(
                "{at}{} «{}»",
                t.s("import.unknown_teacher"),
                l.teacher
            )),
            Ok(_) => {}
        }
        if let (Some(class), Some(subject), Ok(teacher)) = (class, subject, teacher) {
            // New lines carry the negated line number as id, to name them in conflicts.
            weeks.entry(class).or_default().push(Entry {
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
    p.classes = weeks.len();
    // Double bookings against the whole school: the new weeks plus every other class's
    // template in force on the start date.
    let templates = state.store.templates(school.id).await?;
    let mut all: Vec<Entry> = weeks.values().flatten().cloned().collect();
    all.extend(
        templates_in_force(&templates, valid_from)
            .into_iter()
            // Other classes of the same academic year (last year's classes end with it).
            .filter(|w| {
                !weeks.contains_key(&w.class_id) && classes.iter().any(|c| c.id == w.class_id)
            })
            .flat_map(|w| w.entries.iter().cloned()),
    );
    let groups = state.store.group_classes(school.id).await?;
    let lines_of = |ids: &[i64]| {
        ids.iter()
            .filter(|i| **i < 0)
            .map(|i| (-i).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for c in conflicts(&all, &groups) {
        let (key, ids) = match &c {
            Conflict::Teacher { entries, .. } => ("import.teacher_busy", entries),
            Conflict::Room { entries, .. } => ("import.room_busy", entries),
            Conflict::Group { entries, .. } => ("import.class_busy", entries),
        };
        if ids.iter().any(|i| *i < 0) {
            p.errors.push(format!(
                "{} {}: {}",
                t.s("import.lines"),
                lines_of(ids),
                t.s(key)
            ));
        }
    }
    // Hours against the load of the imported classes: a warning, the load may be wrong.
    let load: Vec<(i64, i64, i64, i16)> = state
        .store
        .teaching_load(school.id)
        .await?
        .into_iter()
        .filter(|l| weeks.contains_key(&l.group_id))
        .map(|l| {
            (
                l.group_id,
                l.subject_id,
                l.teacher_id,
                l.hours_per_week as i16,
            )
        })
        .collect();
    let new_entries: Vec<Entry> = weeks.values().flatten().cloned().collect();
    for ((group, subject, teacher), planned, wanted) in hours_against_load(&new_entries, &load) {
        let class = classes
            .iter()
            .find(|c| c.id == group)
            .map_or(String::new(), |c| c.name.clone());
        let subject = subjects
            .iter()
            .find(|s| s.0 == subject)
            .map_or(String::new(), |s| s.1.clone());
        let teacher = teachers
            .iter()
            .find(|p| p.id == teacher)
            .map_or(String::new(), |p| p.short_name());
        p.warnings.push(format!(
            "{class}, {subject}, {teacher}: {} {planned}, {} {wanted}",
            t.s("import.in_file"),
            t.s("import.in_load")
        ));
    }
    // One-off changes from that date on that point at lines of the replaced weeks would
    // silently stop applying: say so before anything is saved.
    let replaced: std::collections::HashSet<i64> = templates
        .iter()
        .filter(|w| weeks.contains_key(&w.class_id))
        .flat_map(|w| w.entries.iter().map(|e| e.id))
        .collect();
    let orphaned = state
        .store
        .changes(school.id, valid_from, calendar.end)
        .await?
        .iter()
        .filter(|c| c.date() >= valid_from)
        .filter(|c| match c {
            zhurnal_core::timetable::Change::Substitute { entry_id, .. }
            | zhurnal_core::timetable::Change::Cancel { entry_id, .. }
            | zhurnal_core::timetable::Change::Move { entry_id, .. } => replaced.contains(entry_id),
            zhurnal_core::timetable::Change::Extra { .. } => false,
        })
        .count();
    if orphaned > 0 {
        p.warnings
            .push(format!("{}: {orphaned}", t.s("import.orphaned_changes")));
    }
    if !p.errors.is_empty() || form.op != "apply" {
        let status = if p.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return html(status, &p);
    }
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.timetable_import".into(),
        target_kind: "school".into(),
        target_id: school.id.to_string(),
        details: serde_json::json!({ "valid_from": valid_from.to_string(), "classes": weeks.len(), "lines": lines.len() }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let weeks: Vec<(i64, Vec<Entry>)> = weeks.into_iter().collect();
    match state
        .store
        .save_templates(school.id, valid_from, &weeks, &audit)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            p.errors.push(t.s("import.changes_refer").to_owned());
            return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
        Err(e) => return Err(e.into()),
    }
    rederive(
        &state,
        school.id,
        valid_from.max(calendar.start),
        calendar.end,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/setup/timetable/import?school={}&done={}",
        school.id,
        lines.len()
    ))
    .into_response())
}
