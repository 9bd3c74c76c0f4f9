//! The school's self-government bodies (§2.4): governing council, teachers' council, student
//! and parents' councils… with their members, one chair and one secretary each. A member is
//! a staff member picked from the list, or someone named (a parent, a student, a
//! representative of the founder) with whom they represent.

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::clock::today_in;
use zhurnal_store::{AuditEntry, NewBodyMember, SchoolRow, StoreError, short_name};

pub const KINDS: [&str; 5] = [
    "governing_council",
    "teachers_council",
    "student_council",
    "parents_council",
    "other",
];
pub const ROLES: [&str; 3] = ["chair", "secretary", "member"];

pub struct MemberItem {
    pub id: i64,
    pub name: String,
    pub represents: String,
    pub role: &'static str,
    pub since: String,
}

pub struct BodyItem {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub members: Vec<MemberItem>,
}

#[derive(Template)]
#[template(path = "bodies.html")]
pub struct BodiesPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub bodies: Vec<BodyItem>,
    pub kinds: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub staff: Vec<Choice>,
    pub body_choices: Vec<Choice>,
    pub name: String,
    pub full_name: String,
    pub represents: String,
    pub done: bool,
    pub body_error: Option<&'static str>,
    pub member_error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct BodiesQuery {
    school: Option<String>,
    done: Option<String>,
}

fn kind_label(t: &Tr, kind: &str) -> &'static str {
    t.s(match kind {
        "governing_council" => "bodies.governing_council",
        "teachers_council" => "bodies.teachers_council",
        "student_council" => "bodies.student_council",
        "parents_council" => "bodies.parents_council",
        _ => "bodies.other",
    })
}

fn role_label(t: &Tr, role: &str) -> &'static str {
    t.s(match role {
        "chair" => "bodies.chair",
        "secretary" => "bodies.secretary",
        _ => "bodies.member",
    })
}

pub async fn school_for(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
) -> Result<SchoolRow, AppError> {
    let reach = ctx.actor()?.reach(Action::ManageStaff);
    Ok(pick_school(state, ctx, &reach, asked).await?.0)
}

async fn build(state: &AppState, ctx: &Ctx, school: &SchoolRow) -> Result<BodiesPage, AppError> {
    let t = ctx.t();
    let bodies = state.store.bodies(school.id).await?;
    let members = state.store.body_members(school.id).await?;
    let staff = state.store.staff(school.id).await?;
    let choices = |list: &[&'static str], label: &dyn Fn(&str) -> &'static str| {
        list.iter()
            .map(|v| Choice {
                value: (*v).to_owned(),
                label: label(v).to_owned(),
                selected: false,
            })
            .collect::<Vec<_>>()
    };
    Ok(BodiesPage {
        c: Chrome::new(ctx, t.s("bodies.title"), "/setup/bodies"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        bodies: bodies
            .iter()
            .map(|b| BodyItem {
                id: b.id,
                name: b.name.clone(),
                kind: kind_label(&t, &b.kind),
                members: members
                    .iter()
                    .filter(|m| m.body_id == b.id)
                    .map(|m| MemberItem {
                        id: m.id,
                        name: m.full_name.clone(),
                        represents: m.represents.clone(),
                        role: role_label(&t, &m.role),
                        since: m.since.clone(),
                    })
                    .collect(),
            })
            .collect(),
        kinds: choices(&KINDS, &|k| kind_label(&t, k)),
        roles: choices(&ROLES, &|r| role_label(&t, r)),
        staff: staff
            .iter()
            .map(|s| Choice {
                value: s.person_id.to_string(),
                label: format!(
                    "{} — {}",
                    short_name(&s.last_name, &s.first_name, &s.middle_name),
                    s.position
                ),
                selected: false,
            })
            .collect(),
        body_choices: bodies
            .iter()
            .map(|b| Choice {
                value: b.id.to_string(),
                label: b.name.clone(),
                selected: false,
            })
            .collect(),
        name: String::new(),
        full_name: String::new(),
        represents: String::new(),
        done: false,
        body_error: None,
        member_error: None,
    })
}

pub async fn bodies_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<BodiesQuery>,
) -> Result<Response, AppError> {
    let school = school_for(&state, &ctx, q.school.as_deref()).await?;
    let mut p = build(&state, &ctx, &school).await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

/// Creates a body; `Err(key)` names what is wrong.
pub async fn add_body(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    kind: &str,
    name: &str,
) -> Result<Result<i64, &'static str>, AppError> {
    let name = name.trim();
    if !KINDS.contains(&kind) {
        return Ok(Err("bodies.bad_kind"));
    }
    if name.is_empty() || name.chars().count() > 120 {
        return Ok(Err("bodies.bad_name"));
    }
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.body".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state
        .store
        .create_body(school.id, kind, name, state.clock.now_ms(), &audit)
        .await
    {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::Conflict(_)) => Ok(Err("bodies.exists")),
        Err(e) => Err(e.into()),
    }
}

/// A member to add, as typed: a staff member's person id or a name, whom they represent,
/// their role in the body.
pub struct MemberInput<'a> {
    pub person: &'a str,
    pub full_name: &'a str,
    pub represents: &'a str,
    pub role: &'a str,
}

/// Adds a member to a body of the school; a body outside it answers 404 (audited).
pub async fn add_member(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    body: i64,
    m: MemberInput<'_>,
) -> Result<Result<i64, &'static str>, AppError> {
    if !ROLES.contains(&m.role) {
        return Ok(Err("bodies.bad_role"));
    }
    let staff = state.store.staff(school.id).await?;
    let person = if m.person.is_empty() {
        None
    } else {
        match m
            .person
            .parse::<i64>()
            .ok()
            .and_then(|id| staff.iter().find(|s| s.person_id == id))
        {
            Some(s) => Some(s),
            None => return Ok(Err("bodies.bad_person")),
        }
    };
    let typed = m.full_name.trim();
    let full_name = match (person, typed) {
        (Some(s), "") => format!("{} {} {}", s.last_name, s.first_name, s.middle_name)
            .trim()
            .to_owned(),
        (None, name) if !name.is_empty() && name.chars().count() <= 120 => name.to_owned(),
        (Some(_), _) => return Ok(Err("bodies.person_or_name")),
        (None, _) => return Ok(Err("bodies.no_person")),
    };
    let represents = m.represents.trim();
    if represents.chars().count() > 120 {
        return Ok(Err("bodies.bad_represents"));
    }
    let represents = match (person, represents) {
        (Some(s), "") => s.position.clone(),
        _ => represents.to_owned(),
    };
    let since = today_in(state.clock.now(), &school.time_zone).to_string();
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.body_member".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let new = NewBodyMember {
        person_id: person.map(|s| s.person_id),
        full_name: &full_name,
        represents: &represents,
        role: m.role,
        since: &since,
    };
    match state
        .store
        .add_body_member(school.id, body, &new, &audit)
        .await
    {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::Conflict(_)) => Ok(Err("bodies.role_taken")),
        Err(StoreError::NotFound) => {
            Err(crate::routes::deny_object(state, ctx, "school_body", &body.to_string()).await)
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes a member of a body of the school; anything else answers 404 (audited).
pub async fn remove_member(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    id: i64,
) -> Result<(), AppError> {
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.body_member_remove".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state.store.remove_body_member(school.id, id, &audit).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => {
            Err(crate::routes::deny_object(state, ctx, "school_body_member", &id.to_string()).await)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn bodies_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let school = school_for(&state, &ctx, Some(form.one("school"))).await?;
    let t = ctx.t();
    let back = format!("/setup/bodies?school={}&done=1", school.id);
    match form.one("op") {
        "add_body" => {
            match add_body(&state, &ctx, &school, form.one("kind"), form.one("name")).await? {
                Ok(_) => Ok(crate::error::redirect(&back).into_response()),
                Err(key) => {
                    let mut p = build(&state, &ctx, &school).await?;
                    p.body_error = Some(t.s(key));
                    p.name = form.one("name").to_owned();
                    for k in &mut p.kinds {
                        k.selected = k.value == form.one("kind");
                    }
                    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
                }
            }
        }
        "add_member" => {
            let body: i64 = form.one("body").parse().map_err(|_| AppError::NotFound)?;
            let input = MemberInput {
                person: form.one("person"),
                full_name: form.one("full_name"),
                represents: form.one("represents"),
                role: form.one("role"),
            };
            match add_member(&state, &ctx, &school, body, input).await? {
                Ok(_) => Ok(crate::error::redirect(&back).into_response()),
                Err(key) => {
                    let mut p = build(&state, &ctx, &school).await?;
                    p.member_error = Some(t.s(key));
                    p.full_name = form.one("full_name").to_owned();
                    p.represents = form.one("represents").to_owned();
                    for (list, field) in [
                        (&mut p.body_choices, "body"),
                        (&mut p.staff, "person"),
                        (&mut p.roles, "role"),
                    ] {
                        for c in list.iter_mut() {
                            c.selected = c.value == form.one(field);
                        }
                    }
                    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
                }
            }
        }
        "remove_member" => {
            let id: i64 = form.one("member").parse().map_err(|_| AppError::NotFound)?;
            remove_member(&state, &ctx, &school, id).await?;
            Ok(crate::error::redirect(&back).into_response())
        }
        _ => Err(AppError::BadRequest("unknown operation".into())),
    }
}
