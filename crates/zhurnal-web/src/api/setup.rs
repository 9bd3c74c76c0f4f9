//! School setup through the API (§2.3–§2.6): the same checks, messages and audit as the
//! deputy's pages, so a script can prepare a year exactly as a person would.

use super::{ApiJson, ErrorBody, parse_date, school_of};
use crate::ctx::Ctx;
use crate::pages::import::{apply_import, check_import};
use crate::pages::weeks::{Weeks, calendar_for, check_weeks, save_weeks};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_core::clock::study_year_of;
use zhurnal_core::timetable::{Entry, Slot, template_on};
use zhurnal_store::{ClassRow, SchoolRow};

/// One lesson of a weekly template.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct TemplateEntry {
    /// 1 = Monday … 6 = Saturday (up to the school's study week).
    pub weekday: i8,
    /// Lesson number, 1–12.
    pub number: i16,
    /// The class itself or one of its subgroups.
    pub group_id: i64,
    pub subject_id: i64,
    /// A teacher's person id.
    pub teacher_id: i64,
    #[serde(default)]
    pub room: String,
}

#[derive(Serialize, ToSchema)]
pub struct TemplateOut {
    pub class_id: i64,
    /// The date the week shown has been in force since; absent when the class has none.
    pub valid_from: Option<String>,
    pub entries: Vec<TemplateEntry>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    pub class_id: i64,
    /// The date, YYYY-MM-DD, whose week is wanted.
    pub date: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateIn {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    pub class_id: i64,
    /// The date the week comes into force, YYYY-MM-DD, inside a saved academic year.
    pub valid_from: String,
    pub entries: Vec<TemplateEntry>,
    /// Check only: report errors and warnings, save nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TemplateSaved {
    /// False for a dry run.
    pub saved: bool,
    /// Things worth a look that do not stop the save (hours against the load, one-off
    /// changes that stop applying).
    pub warnings: Vec<String>,
}

/// One of the school's classes of the year `date` falls in, or 404 (audited).
async fn class_of(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class_id: i64,
    date: Date,
) -> Result<ClassRow, AppError> {
    let class = state
        .store
        .school_classes(school.id, study_year_of(date))
        .await?
        .into_iter()
        .find(|c| c.id == class_id);
    match class {
        Some(c) => Ok(c),
        None => Err(crate::routes::deny_object(state, ctx, "class", &class_id.to_string()).await),
    }
}

/// The weekly template of a class in force on a date.
#[utoipa::path(
    get,
    path = "/api/v1/timetable/templates",
    tag = "setup",
    params(TemplateQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The week in force, in weekday and number order", body = TemplateOut),
        (status = 400, description = "Bad date", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not edit school setup", body = ErrorBody),
        (status = 404, description = "No such school or class in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_template(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TemplateQuery>,
) -> Result<Json<TemplateOut>, AppError> {
    let date = parse_date("date", &q.date)?;
    let school = school_of(&state, &ctx, Action::EditSchoolSetup, q.school_id).await?;
    let class = class_of(&state, &ctx, &school, q.class_id, date).await?;
    let templates = state.store.templates(school.id).await?;
    let week = template_on(&templates, class.id, date);
    let mut entries: Vec<TemplateEntry> = week
        .map(|w| {
            w.entries
                .iter()
                .map(|e| TemplateEntry {
                    weekday: e.slot.weekday,
                    number: e.slot.number,
                    group_id: e.group_id,
                    subject_id: e.subject_id,
                    teacher_id: e.teacher_id,
                    room: e.room.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    entries.sort_by_key(|e| (e.weekday, e.number, e.group_id));
    Ok(Json(TemplateOut {
        class_id: class.id,
        valid_from: week.map(|w| w.valid_from.to_string()),
        entries,
    }))
}

/// Saves a class's weekly template from a date (or checks it with `dry_run`): the same checks
/// as the grid editor — double bookings of teachers, rooms and the class against every other
/// class's week, hours against the load — and the lessons are derived again from that date.
#[utoipa::path(
    put,
    path = "/api/v1/timetable/templates",
    tag = "setup",
    request_body = TemplateIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved (or checked, with `dry_run`)", body = TemplateSaved),
        (status = 400, description = "Malformed body or date", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director edits the timetable", body = ErrorBody),
        (status = 404, description = "No such school or class in reach", body = ErrorBody),
        (status = 422, description = "Problems by entry (`entries[i]`) or `valid_from`; nothing saved", body = ErrorBody),
    )
)]
pub async fn put_template(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TemplateIn>,
) -> Result<Json<TemplateSaved>, AppError> {
    let t = ctx.t();
    parse_date("valid_from", &body.valid_from)?;
    let school = school_of(&state, &ctx, Action::EditSchoolSetup, body.school_id).await?;
    let (valid_from, calendar) = match calendar_for(&state, school.id, &body.valid_from).await? {
        Ok(found) => found,
        Err(key) => {
            return Err(AppError::Validation(vec![(
                "valid_from".into(),
                t.s(key).to_owned(),
            )]));
        }
    };
    let class = class_of(&state, &ctx, &school, body.class_id, valid_from).await?;
    let groups = state.store.group_classes(school.id).await?;
    let subjects = state.store.school_subjects(school.id).await?;
    let teachers = state.store.school_teachers(school.id).await?;
    let days = school.study_week.clamp(5, 6) as i8;
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut entries = Vec::new();
    for (i, e) in body.entries.iter().enumerate() {
        let field = format!("entries[{i}]");
        let problem = if !(1..=days).contains(&e.weekday) {
            Some("api.bad_weekday")
        } else if !(1..=12).contains(&e.number) {
            Some("api.bad_number")
        } else if groups.get(&e.group_id).map(|g| g.0) != Some(class.id) {
            Some("api.not_this_class")
        } else if !subjects.iter().any(|s| s.0 == e.subject_id) {
            Some("import.unknown_subject")
        } else if !teachers.iter().any(|p| p.id == e.teacher_id) {
            Some("import.unknown_teacher")
        } else if e.room.trim().chars().count() > 20 {
            Some("grid.room_too_long")
        } else {
            None
        };
        if let Some(key) = problem {
            fields.insert(field, t.s(key).to_owned());
            continue;
        }
        entries.push(Entry {
            id: -(i as i64) - 1,
            group_id: e.group_id,
            subject_id: e.subject_id,
            teacher_id: e.teacher_id,
            room: e.room.trim().to_owned(),
            slot: Slot {
                weekday: e.weekday,
                number: e.number,
            },
        });
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields.into_iter().collect()));
    }
    let count = entries.len();
    let mut weeks: Weeks = BTreeMap::new();
    weeks.insert(class.id, entries);
    let label = |id: i64| format!("entries[{}]", -id - 1);
    let checked = check_weeks(&state, &t, &school, valid_from, &calendar, &weeks, &label).await?;
    if !checked.at.is_empty() {
        for (id, messages) in checked.at {
            fields.insert(label(id), messages.join("; "));
        }
        return Err(AppError::Validation(fields.into_iter().collect()));
    }
    if body.dry_run {
        return Ok(Json(TemplateSaved {
            saved: false,
            warnings: checked.warnings,
        }));
    }
    let details = serde_json::json!({
        "class_id": class.id,
        "valid_from": valid_from.to_string(),
        "lessons": count,
    });
    if let Err(key) = save_weeks(
        &state,
        &ctx,
        &school,
        (valid_from, &calendar),
        weeks,
        "setup.timetable_template",
        details,
    )
    .await?
    {
        return Err(AppError::Validation(vec![(
            "valid_from".into(),
            t.s(key).to_owned(),
        )]));
    }
    Ok(Json(TemplateSaved {
        saved: true,
        warnings: checked.warnings,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportIn {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// The date the imported weeks come into force, YYYY-MM-DD, inside a saved academic year.
    pub valid_from: String,
    /// The timetable as CSV, one lesson per line: class; weekday; lesson number; subject;
    /// teacher; room (`,` or `;` separated; a header line is allowed), as on the import page.
    pub csv: String,
    /// Only check and report; nothing is saved.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ImportDone {
    /// False with `dry_run`.
    pub saved: bool,
    /// Lessons read.
    pub lines: usize,
    /// Classes whose week the file replaces.
    pub classes: usize,
    /// Hours that differ from the teaching load and the like: saved anyway.
    pub warnings: Vec<String>,
}

/// Imports the weekly timetables of many classes from CSV (or checks them with `dry_run`):
/// names to ids, double bookings against the whole school, hours against the load. Every
/// class of the file is saved at once or none is; lessons are derived again from the date.
#[utoipa::path(
    post,
    path = "/api/v1/timetable/import",
    tag = "setup",
    request_body = ImportIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved (or checked, with `dry_run`)", body = ImportDone),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director edits the timetable", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
        (status = 422, description = "`valid_from`, or every problem of the file as `csv[i]` (each naming its line); nothing saved", body = ErrorBody),
    )
)]
pub async fn post_import(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<ImportIn>,
) -> Result<Json<ImportDone>, AppError> {
    let t = ctx.t();
    let school = school_of(&state, &ctx, Action::EditSchoolSetup, body.school_id).await?;
    let checked = check_import(&state, &t, &school, &body.valid_from, &body.csv).await?;
    if let Err(key) = checked.from {
        return Err(AppError::Validation(vec![(
            "valid_from".into(),
            t.s(key).to_owned(),
        )]));
    }
    if !checked.errors.is_empty() {
        return Err(AppError::Validation(
            checked
                .errors
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("csv[{i}]"), m.clone()))
                .collect(),
        ));
    }
    let mut done = ImportDone {
        saved: false,
        lines: checked.lines,
        classes: checked.classes,
        warnings: checked.warnings.clone(),
    };
    if !body.dry_run {
        apply_import(&state, &ctx, &school, checked)
            .await?
            .map_err(|key| {
                AppError::Validation(vec![("valid_from".into(), t.s(key).to_owned())])
            })?;
        done.saved = true;
    }
    Ok(Json(done))
}
