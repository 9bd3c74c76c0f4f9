//! The teaching load (§2.5–§2.6): teacher × subject × class or group × weekly hours, per
//! class and per teacher, against the hours the timetable in force actually gives. The
//! deputy adds and removes lines here, for this year or — to prepare it — the next.

use super::timetable::{Choice, pick_school};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use zhurnal_core::Action;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::timetable::templates_in_force;
use zhurnal_store::{SchoolRow, StoreError, short_name};

pub struct LoadLine {
    pub id: i64,
    pub group: String,
    pub subject: String,
    pub teacher: String,
    pub load: i32,
    pub timetable: i32,
    pub differs: bool,
}

pub struct TeacherTotal {
    pub teacher: String,
    pub load: i32,
    pub timetable: i32,
    pub differs: bool,
}

#[derive(Template)]
#[template(path = "load.html")]
pub struct LoadPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub year: i16,
    pub class_filter: String,
    pub classes: Vec<Choice>,
    pub lines: Vec<LoadLine>,
    pub teachers: Vec<TeacherTotal>,
    pub mismatches: usize,
    pub can_edit: bool,
    pub groups: Vec<Choice>,
    pub subjects: Vec<Choice>,
    pub teacher_choices: Vec<Choice>,
    pub done: bool,
    pub error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct LoadQuery {
    school: Option<String>,
    class: Option<String>,
    year: Option<i16>,
    done: Option<String>,
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
    class_filter: Option<i64>,
) -> Result<LoadPage, AppError> {
    let t = ctx.t();
    let today = today_in(state.clock.now(), &school.time_zone);
    let year_classes = state.store.school_classes(school.id, year).await?;
    let subgroups = state.store.subgroups(school.id, year).await?;
    let in_year: HashSet<i64> = year_classes
        .iter()
        .map(|c| c.id)
        .chain(subgroups.iter().map(|g| g.id))
        .collect();
    let load: Vec<_> = state
        .store
        .teaching_load(school.id)
        .await?
        .into_iter()
        .filter(|l| in_year.contains(&l.group_id))
        .collect();
    // The hours each (group, subject, teacher) has in the templates in force today.
    let templates = state.store.templates(school.id).await?;
    let mut planned: BTreeMap<(i64, i64, i64), i32> = BTreeMap::new();
    for w in templates_in_force(&templates, today) {
        for e in &w.entries {
            *planned
                .entry((e.group_id, e.subject_id, e.teacher_id))
                .or_default() += 1;
        }
    }
    if class_filter.is_some_and(|c| !year_classes.iter().any(|x| x.id == c)) {
        return Err(AppError::NotFound);
    }
    let mut lines = Vec::new();
    let mut totals: BTreeMap<(String, i64), (i32, i32)> = BTreeMap::new();
    for row in &load {
        let timetable = planned
            .get(&(row.group_id, row.subject_id, row.teacher_id))
            .copied()
            .unwrap_or(0);
        let teacher = short_name(&row.last_name, &row.first_name, &row.middle_name);
        let total = totals.entry((teacher.clone(), row.teacher_id)).or_default();
        total.0 += row.hours_per_week;
        total.1 += timetable;
        let class_of_row = subgroups
            .iter()
            .find(|g| g.id == row.group_id)
            .map_or(row.group_id, |g| g.parent_id);
        if class_filter.is_none_or(|c| c == class_of_row) {
            lines.push(LoadLine {
                id: row.id,
                group: row.group_name.clone(),
                subject: row.subject_name.clone(),
                teacher,
                load: row.hours_per_week,
                timetable,
                differs: timetable != row.hours_per_week,
            });
        }
    }
    let mismatches = lines.iter().filter(|l| l.differs).count();
    let teachers = totals
        .into_iter()
        .map(|((teacher, _), (load, timetable))| TeacherTotal {
            teacher,
            load,
            timetable,
            differs: load != timetable,
        })
        .collect();
    let can_edit = ctx.actor()?.can(Action::EditSchoolSetup);
    let (subjects, staff) = if can_edit {
        (
            state.store.school_subjects(school.id).await?,
            state.store.school_teachers(school.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(LoadPage {
        c: Chrome::new(ctx, t.s("load.title"), "/setup/load"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        year,
        class_filter: class_filter.map(|c| c.to_string()).unwrap_or_default(),
        classes: year_classes
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: Some(c.id) == class_filter,
            })
            .collect(),
        lines,
        teachers,
        mismatches,
        can_edit,
        groups: year_classes
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: Some(c.id) == class_filter,
            })
            .chain(subgroups.iter().map(|g| Choice {
                value: g.id.to_string(),
                label: g.name.clone(),
                selected: false,
            }))
            .collect(),
        subjects: subjects
            .into_iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name,
                selected: false,
            })
            .collect(),
        teacher_choices: staff
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.short_name(),
                selected: false,
            })
            .collect(),
        done: false,
        error: None,
    })
}

pub async fn load_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LoadQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewTimetable);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let year = q
        .year
        .unwrap_or_else(|| study_year_of(today_in(state.clock.now(), &school.time_zone)));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    let class_filter: Option<i64> = q
        .class
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| AppError::NotFound))
        .transpose()?;
    let mut p = build(&state, &ctx, &school, year, class_filter).await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

pub async fn load_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    super::auth::check_csrf(&ctx, form.one("csrf"))?;
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let year: i16 = form
        .one("year")
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or(AppError::NotFound)?;
    let class_filter = form.one("class").parse::<i64>().ok();
    let back = format!(
        "/setup/load?school={}&year={year}&class={}&done=1",
        school.id,
        form.one("class")
    );
    let id = |name: &str| form.one(name).parse::<i64>().ok();
    let result = match form.one("op") {
        "add" => add_load(
            &state,
            &ctx,
            &school,
            [form.one("group"), form.one("subject"), form.one("teacher")],
            form.one("hours"),
        )
        .await?
        .map(|_| ()),
        "remove" => {
            let line = id("line").ok_or(AppError::NotFound)?;
            remove_load(&state, &ctx, &school, line).await?;
            Ok(())
        }
        _ => return Err(AppError::BadRequest("unknown operation".into())),
    };
    match result {
        Ok(()) => Ok(crate::error::redirect(&back).into_response()),
        Err(key) => {
            let mut p = build(&state, &ctx, &school, year, class_filter).await?;
            p.error = Some(ctx.t().s(key));
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}

/// Adds a line of teaching load — group, subject and teacher ids as typed, weekly hours 1–10.
/// `Err(key)` names what is wrong.
pub async fn add_load(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    [group, subject, teacher]: [&str; 3],
    hours: &str,
) -> Result<Result<i64, &'static str>, AppError> {
    let id = |s: &str| s.trim().parse::<i64>().ok();
    let hours = hours
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|h| (1..=10).contains(h));
    let (Some(g), Some(s), Some(t)) = (id(group), id(subject), id(teacher)) else {
        return Ok(Err("load.pick_all"));
    };
    let Some(h) = hours else {
        return Ok(Err("load.bad_hours"));
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "setup.load_add".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state
        .store
        .add_assignment(school.id, g, s, t, h, &audit)
        .await
    {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::Conflict(_)) => Ok(Err("load.exists")),
        Err(StoreError::NotFound) => Ok(Err("load.pick_all")),
        Err(e) => Err(e.into()),
    }
}

/// Removes a line of teaching load; a line outside the school answers 404 (audited).
pub async fn remove_load(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    line: i64,
) -> Result<(), AppError> {
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "setup.load_remove".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state.store.remove_assignment(school.id, line, &audit).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => {
            Err(
                crate::routes::deny_object(state, ctx, "teaching_assignment", &line.to_string())
                    .await,
            )
        }
        Err(e) => Err(e.into()),
    }
}
