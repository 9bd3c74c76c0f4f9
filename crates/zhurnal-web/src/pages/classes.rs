//! Classes and subgroups of a school year (§2.3; DOMAIN.md §3): the list with class teacher,
//! size against capacity and subgroups; new classes (parallel + letter as free text) and new
//! subgroups made of some of a class's students (language groups, informatics…).

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::bells::second_shift_allowed;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_store::{AuditEntry, ClassChange, NewClass, SchoolRow, StoreError, short_name};

pub struct ClassItem {
    pub id: i64,
    pub name: String,
    pub teacher: String,
    pub students: i64,
    pub capacity: String,
    pub over: bool,
    pub shift: i32,
    pub subgroups: Vec<String>,
}

/// The selected class as its edit form shows it.
pub struct EditClass {
    pub id: i64,
    pub name: String,
    pub teacher_id: i64,
    pub capacity: String,
    pub shift: i32,
}

pub struct Member {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "classes.html")]
pub struct ClassesPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub year: i16,
    pub year_label: String,
    pub classes: Vec<ClassItem>,
    pub teachers: Vec<Choice>,
    pub class_choices: Vec<Choice>,
    pub members: Vec<Member>,
    pub selected_class: i64,
    pub parallel: String,
    pub letter: String,
    pub capacity: String,
    pub subgroup_name: String,
    pub done: Option<&'static str>,
    pub class_error: Option<&'static str>,
    pub subgroup_error: Option<&'static str>,
    pub edit: Option<EditClass>,
    pub edit_error: Option<&'static str>,
    pub shift: String,
}

#[derive(Deserialize, Default)]
pub struct ClassesQuery {
    school: Option<String>,
    year: Option<i16>,
    class: Option<String>,
    done: Option<String>,
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
    selected: Option<i64>,
) -> Result<ClassesPage, AppError> {
    let t = ctx.t();
    let overview = state.store.class_overview(school.id, year).await?;
    let subgroups = state.store.subgroups(school.id, year).await?;
    let teachers = state.store.school_teachers(school.id).await?;
    let selected = selected
        .filter(|id| overview.iter().any(|c| c.id == *id))
        .or(overview.first().map(|c| c.id))
        .unwrap_or(0);
    let members = if selected == 0 {
        Vec::new()
    } else {
        state.store.group_members(school.id, selected).await?
    };
    Ok(ClassesPage {
        c: Chrome::new(ctx, t.s("classes.title"), "/setup/classes"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        year,
        year_label: format!("{}/{}", year, year + 1),
        classes: overview
            .iter()
            .map(|c| ClassItem {
                id: c.id,
                name: c.name.clone(),
                teacher: match (
                    &c.teacher_last_name,
                    &c.teacher_first_name,
                    &c.teacher_middle_name,
                ) {
                    (Some(a), Some(b), Some(m)) => short_name(a, b, m),
                    _ => "—".into(),
                },
                students: c.students,
                capacity: c.capacity.map_or("—".into(), |n| n.to_string()),
                over: c.capacity.is_some_and(|cap| c.students > i64::from(cap)),
                shift: c.shift,
                subgroups: subgroups
                    .iter()
                    .filter(|g| g.parent_id == c.id)
                    .map(|g| format!("{} ({})", g.name, g.students))
                    .collect(),
            })
            .collect(),
        teachers: teachers
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.short_name(),
                selected: false,
            })
            .collect(),
        class_choices: overview
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: c.id == selected,
            })
            .collect(),
        members: members
            .iter()
            .map(|p| Member {
                id: p.id,
                name: p.full_name(),
                checked: false,
            })
            .collect(),
        selected_class: selected,
        parallel: String::new(),
        letter: String::new(),
        capacity: "25".into(),
        subgroup_name: String::new(),
        done: None,
        class_error: None,
        subgroup_error: None,
        edit: overview
            .iter()
            .find(|c| c.id == selected)
            .map(|c| EditClass {
                id: c.id,
                name: c.name.clone(),
                teacher_id: c.class_teacher_id.unwrap_or(0),
                capacity: c.capacity.map_or(String::new(), |n| n.to_string()),
                shift: c.shift,
            }),
        edit_error: None,
        shift: "1".into(),
    })
}

async fn school_and_year(
    state: &AppState,
    ctx: &Ctx,
    school: Option<&str>,
    year: Option<i16>,
) -> Result<(SchoolRow, i16), AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(state, ctx, &reach, school).await?;
    let year =
        year.unwrap_or_else(|| study_year_of(today_in(state.clock.now(), &school.time_zone)));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    Ok((school, year))
}

pub async fn classes_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ClassesQuery>,
) -> Result<Response, AppError> {
    let (school, year) = school_and_year(&state, &ctx, q.school.as_deref(), q.year).await?;
    let selected = q.class.as_deref().and_then(|s| s.parse().ok());
    let mut p = build(&state, &ctx, &school, year, selected).await?;
    p.done = match q.done.as_deref() {
        Some("class") => Some(ctx.t().s("classes.class_created")),
        Some("subgroup") => Some(ctx.t().s("classes.subgroup_created")),
        Some("edit") => Some(ctx.t().s("classes.class_updated")),
        _ => None,
    };
    html(StatusCode::OK, &p)
}

pub async fn classes_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    ctx.actor()?;
    let t = ctx.t();
    let year = form.one("year").parse::<i16>().ok();
    let (school, year) = school_and_year(&state, &ctx, Some(form.one("school")), year).await?;
    match form.one("op") {
        "create_class" => {
            let result = add_class(
                &state,
                &ctx,
                &school,
                year,
                [
                    form.one("parallel"),
                    form.one("letter"),
                    form.one("capacity"),
                    form.one("teacher"),
                    form.one("shift"),
                ],
            )
            .await?
            .map(|_| ());
            match result {
                Ok(()) => Ok(crate::error::redirect(&format!(
                    "/setup/classes?school={}&year={year}&done=class",
                    school.id
                ))
                .into_response()),
                Err(key) => {
                    let mut p = build(&state, &ctx, &school, year, None).await?;
                    p.class_error = Some(t.s(key));
                    p.parallel = form.one("parallel").to_owned();
                    p.letter = form.one("letter").to_owned();
                    p.capacity = form.one("capacity").to_owned();
                    p.shift = form.one("shift").to_owned();
                    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
                }
            }
        }
        "edit_class" => {
            let class: i64 = form.one("class").parse().map_err(|_| AppError::NotFound)?;
            let raw = [form.one("teacher"), form.one("capacity"), form.one("shift")];
            match edit_class(&state, &ctx, &school, class, raw).await? {
                Ok(()) => Ok(crate::error::redirect(&format!(
                    "/setup/classes?school={}&year={year}&class={class}&done=edit",
                    school.id
                ))
                .into_response()),
                Err(key) => {
                    let mut p = build(&state, &ctx, &school, year, Some(class)).await?;
                    p.edit_error = Some(t.s(key));
                    if let Some(e) = p.edit.as_mut() {
                        e.capacity = form.one("capacity").to_owned();
                    }
                    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
                }
            }
        }
        "create_subgroup" => {
            let class: i64 = form.one("class").parse().map_err(|_| AppError::NotFound)?;
            let name = form.one("name").trim().to_owned();
            let members: Vec<i64> = form
                .all("member")
                .iter()
                .filter_map(|s| s.parse().ok())
                .collect();
            let result = add_subgroup(&state, &ctx, &school, class, &name, &members)
                .await?
                .map(|_| ());
            match result {
                Ok(()) => Ok(crate::error::redirect(&format!(
                    "/setup/classes?school={}&year={year}&class={class}&done=subgroup",
                    school.id
                ))
                .into_response()),
                Err(key) => {
                    let mut p = build(&state, &ctx, &school, year, Some(class)).await?;
                    p.subgroup_error = Some(t.s(key));
                    p.subgroup_name = name;
                    for m in &mut p.members {
                        m.checked = members.contains(&m.id);
                    }
                    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
                }
            }
        }
        _ => Err(AppError::BadRequest("unknown operation".into())),
    }
}

/// Creates a class of `year` from what the person typed: parallel, letter, capacity and the
/// class teacher's person id (may be empty). `Err(key)` names what is wrong.
pub async fn add_class(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
    [parallel, letter, capacity, teacher, shift]: [&str; 5],
) -> Result<Result<i64, &'static str>, AppError> {
    let shift = match shift.trim() {
        "" | "1" => 1,
        "2" => 2,
        _ => return Ok(Err("classes.bad_shift")),
    };
    let parallel = parallel
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|n| (1..=11).contains(n));
    let letter = letter.trim().to_uppercase();
    let capacity = capacity
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=40).contains(n));
    let teachers = state.store.school_teachers(school.id).await?;
    let teacher_id = teacher
        .parse::<i64>()
        .ok()
        .filter(|id| teachers.iter().any(|p| p.id == *id));
    let Some(parallel) = parallel else {
        return Ok(Err("classes.bad_parallel"));
    };
    if letter.is_empty() || letter.chars().count() > 10 {
        return Ok(Err("classes.bad_letter"));
    }
    if capacity.is_none() {
        return Ok(Err("classes.bad_capacity"));
    }
    if !teacher.is_empty() && teacher_id.is_none() {
        return Ok(Err("classes.bad_teacher"));
    }
    if shift == 2 && school.shifts < 2 {
        return Ok(Err("classes.no_second_shift"));
    }
    if shift == 2 && !second_shift_allowed(parallel) {
        return Ok(Err("classes.bad_shift"));
    }
    let new = NewClass {
        shift,
        study_year: year,
        parallel,
        letter: &letter,
        class_teacher_id: teacher_id,
        capacity,
    };
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.class".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state.store.create_class(school.id, &new, &audit).await {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::Conflict(_)) => Ok(Err("classes.exists")),
        Err(e) => Err(e.into()),
    }
}

/// Creates a subgroup of a class from some of its students; a class outside the school
/// answers 404 (audited).
pub async fn add_subgroup(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class: i64,
    name: &str,
    members: &[i64],
) -> Result<Result<i64, &'static str>, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Ok(Err("classes.bad_subgroup_name"));
    }
    if members.is_empty() {
        return Ok(Err("classes.no_members"));
    }
    let today = today_in(state.clock.now(), &school.time_zone).to_string();
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.subgroup".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state
        .store
        .create_subgroup(school.id, class, name, members, &today, &audit)
        .await
    {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::Conflict(_)) => Ok(Err("classes.exists")),
        Err(StoreError::NotFound) => {
            Err(crate::routes::deny_object(state, ctx, "edu_group", &class.to_string()).await)
        }
        Err(e) => Err(e.into()),
    }
}

/// Changes a class's class teacher (the role moves with it), capacity and shift.
pub async fn edit_class(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class_id: i64,
    [teacher, capacity, shift]: [&str; 3],
) -> Result<Result<(), &'static str>, AppError> {
    let Some(parallel) = state.store.class_parallel(school.id, class_id).await? else {
        return Err(
            crate::routes::deny_object(state, ctx, "edu_group", &class_id.to_string()).await,
        );
    };
    let teachers = state.store.school_teachers(school.id).await?;
    let teacher_id = teacher
        .parse::<i64>()
        .ok()
        .filter(|id| teachers.iter().any(|p| p.id == *id));
    if !teacher.is_empty() && teacher_id.is_none() {
        return Ok(Err("classes.bad_teacher"));
    }
    let Some(capacity) = capacity
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=40).contains(n))
    else {
        return Ok(Err("classes.bad_capacity"));
    };
    let shift = match shift.trim() {
        "" | "1" => 1,
        "2" if school.shifts < 2 => return Ok(Err("classes.no_second_shift")),
        "2" if second_shift_allowed(parallel) => 2,
        _ => return Ok(Err("classes.bad_shift")),
    };
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.class_edit".into(),
        details: serde_json::json!({ "class_teacher_id": teacher_id, "capacity": capacity, "shift": shift }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let change = ClassChange {
        class_teacher_id: teacher_id,
        capacity: Some(capacity),
        shift,
    };
    match state
        .store
        .update_class(school.id, class_id, &change, &audit)
        .await
    {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::NotFound) => {
            Err(crate::routes::deny_object(state, ctx, "edu_group", &class_id.to_string()).await)
        }
        Err(e) => Err(e.into()),
    }
}
