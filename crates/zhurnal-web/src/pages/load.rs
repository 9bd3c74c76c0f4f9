//! The teaching load report (§2.5–§2.6): per class and per teacher, the weekly hours of the
//! load against the hours the timetable in force actually gives.

use super::timetable::{Choice, pick_school};
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use zhurnal_core::Action;
use zhurnal_core::clock::today_in;
use zhurnal_core::timetable::templates_in_force;
use zhurnal_store::short_name;

pub struct LoadLine {
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
    pub classes: Vec<Choice>,
    pub lines: Vec<LoadLine>,
    pub teachers: Vec<TeacherTotal>,
    pub mismatches: usize,
}

#[derive(Deserialize, Default)]
pub struct LoadQuery {
    school: Option<String>,
    class: Option<String>,
}

pub async fn load_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LoadQuery>,
) -> Result<Response, AppError> {
    let t = ctx.t();
    let reach = ctx.actor()?.reach(Action::ViewTimetable);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let load = state.store.teaching_load(school.id).await?;
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
    let class_filter: Option<i64> = q
        .class
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| AppError::NotFound))
        .transpose()?;
    let mut classes: Vec<Choice> = Vec::new();
    let mut lines = Vec::new();
    let mut totals: BTreeMap<(String, i64), (i32, i32)> = BTreeMap::new();
    for row in &load {
        if !classes.iter().any(|c| c.value == row.group_id.to_string()) {
            classes.push(Choice {
                value: row.group_id.to_string(),
                label: row.group_name.clone(),
                selected: Some(row.group_id) == class_filter,
            });
        }
        let timetable = planned
            .get(&(row.group_id, row.subject_id, row.teacher_id))
            .copied()
            .unwrap_or(0);
        let teacher = short_name(&row.last_name, &row.first_name, &row.middle_name);
        let total = totals.entry((teacher.clone(), row.teacher_id)).or_default();
        total.0 += row.hours_per_week;
        total.1 += timetable;
        if class_filter.is_none_or(|c| c == row.group_id) {
            lines.push(LoadLine {
                group: row.group_name.clone(),
                subject: row.subject_name.clone(),
                teacher,
                load: row.hours_per_week,
                timetable,
                differs: timetable != row.hours_per_week,
            });
        }
    }
    if class_filter.is_some_and(|c| !classes.iter().any(|x| x.value == c.to_string())) {
        return Err(AppError::NotFound);
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
    let page = LoadPage {
        c: Chrome::new(&ctx, t.s("load.title"), "/setup/load"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        classes,
        lines,
        teachers,
        mismatches,
    };
    html(StatusCode::OK, &page)
}
