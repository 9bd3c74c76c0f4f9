//! Staff and administration (§2.4): who works at the school, in which position, with which
//! roles and subjects; new staff members. Roles given here are limited to teaching and the
//! clerk: administrative and technical roles are granted by the municipality or from the
//! command line, so a deputy cannot raise anyone's rights (least privilege).

use super::auth::check_csrf;
use super::timetable::pick_school;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::clock::today_in;
use zhurnal_core::{Action, Role};
use zhurnal_store::{AuditEntry, NewStaff, SchoolRow};

/// The roles the staff page may give.
const GRANTABLE: [Role; 2] = [Role::Teacher, Role::Clerk];

pub struct StaffItem {
    pub name: String,
    pub position: String,
    pub roles: String,
    pub subjects: String,
    pub has_login: bool,
}

pub struct RoleChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "staff.html")]
pub struct StaffPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub staff: Vec<StaffItem>,
    pub roles: Vec<RoleChoice>,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub position: String,
    pub done: bool,
    pub error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct StaffQuery {
    school: Option<String>,
    done: Option<String>,
}

pub(crate) async fn school_for(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
) -> Result<SchoolRow, AppError> {
    let reach = ctx.actor()?.reach(Action::ManageStaff);
    Ok(pick_school(state, ctx, &reach, asked).await?.0)
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    checked: &[&str],
) -> Result<StaffPage, AppError> {
    let t = ctx.t();
    let staff = state.store.staff(school.id).await?;
    let roles = state.store.school_roles(school.id).await?;
    let subjects = state.store.taught_subjects(school.id).await?;
    Ok(StaffPage {
        c: Chrome::new(ctx, t.s("staff.title"), "/setup/staff"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        staff: staff
            .iter()
            .map(|s| StaffItem {
                name: [
                    s.last_name.as_str(),
                    s.first_name.as_str(),
                    s.middle_name.as_str(),
                ]
                .join(" ")
                .trim()
                .to_owned(),
                position: s.position.clone(),
                roles: roles
                    .iter()
                    .filter(|(p, _)| *p == s.person_id)
                    .filter_map(|(_, r)| r.parse::<Role>().ok())
                    .map(|r| t.role(r))
                    .collect::<Vec<_>>()
                    .join(", "),
                subjects: subjects
                    .iter()
                    .filter(|(p, _)| *p == s.person_id)
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                has_login: s.login.is_some(),
            })
            .collect(),
        roles: GRANTABLE
            .iter()
            .map(|r| RoleChoice {
                value: r.api_name(),
                label: t.role(*r),
                checked: checked.contains(&r.api_name()),
            })
            .collect(),
        last_name: String::new(),
        first_name: String::new(),
        middle_name: String::new(),
        position: String::new(),
        done: false,
        error: None,
    })
}

pub async fn staff_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StaffQuery>,
) -> Result<Response, AppError> {
    let school = school_for(&state, &ctx, q.school.as_deref()).await?;
    let mut p = build(&state, &ctx, &school, &["teacher"]).await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

pub async fn staff_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    ctx.actor()?;
    let school = school_for(&state, &ctx, Some(form.one("school"))).await?;
    let (last, first, middle, position) = (
        form.one("last_name").trim(),
        form.one("first_name").trim(),
        form.one("middle_name").trim(),
        form.one("position").trim(),
    );
    let roles: Vec<&str> = form.all("role");
    if let Err(key) = add_member(
        &state,
        &ctx,
        &school,
        [last, first, middle],
        position,
        &roles,
    )
    .await?
    {
        let mut p = build(&state, &ctx, &school, &roles).await?;
        p.error = Some(ctx.t().s(key));
        (p.last_name, p.first_name, p.middle_name, p.position) = (
            last.to_owned(),
            first.to_owned(),
            middle.to_owned(),
            position.to_owned(),
        );
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    Ok(
        crate::error::redirect(&format!("/setup/staff?school={}&done=1", school.id))
            .into_response(),
    )
}

/// Adds a staff member (§2.4): a surname and a name (each at most 60 characters, the
/// patronymic optional), a position (at most 120), and only teaching or clerical roles. The
/// message key of the first problem, or the new person's id.
pub(crate) async fn add_member(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    [last, first, middle]: [&str; 3],
    position: &str,
    roles: &[&str],
) -> Result<Result<i64, &'static str>, AppError> {
    let error = if last.is_empty()
        || first.is_empty()
        || [last, first, middle].iter().any(|s| s.chars().count() > 60)
    {
        Some("staff.need_name")
    } else if position.is_empty() || position.chars().count() > 120 {
        Some("staff.need_position")
    } else if roles
        .iter()
        .any(|r| !GRANTABLE.iter().any(|g| g.api_name() == *r))
    {
        Some("staff.role_not_allowed")
    } else {
        None
    };
    if let Some(key) = error {
        return Ok(Err(key));
    }
    // A role named twice is the same role once (the page's checkboxes cannot repeat one).
    let mut roles = roles.to_vec();
    roles.sort_unstable();
    roles.dedup();
    let since = today_in(state.clock.now(), &school.time_zone).to_string();
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "staff.add".into(),
        details: serde_json::json!({ "position": position, "roles": roles }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let new = NewStaff {
        last_name: last,
        first_name: first,
        middle_name: middle,
        position,
        roles,
        since: &since,
    };
    Ok(Ok(state.store.add_staff(school.id, &new, &audit).await?))
}
