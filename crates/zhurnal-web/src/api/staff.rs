//! The school's staff through the API (§2.4): who works there, in which position, with
//! which roles and subjects; new staff members with teaching or clerical roles only (the
//! page's rule: administrative roles are the municipality's to grant).

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::staff::{add_member, school_for};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct StaffOut {
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub position: String,
    /// Role names at the school (`teacher`, `class_teacher`, `clerk`…).
    pub roles: Vec<String>,
    /// The subjects they teach there.
    pub subjects: Vec<String>,
    pub has_login: bool,
}

/// The school's staff.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/staff",
    tag = "setup",
    params(("id" = i64, Path, description = "The school")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The staff, by surname", body = Vec<StaffOut>),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not keep staff records", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_staff(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Json<Vec<StaffOut>>, AppError> {
    let school = school_for(&state, &ctx, Some(&raw)).await?;
    let staff = state.store.staff(school.id).await?;
    let roles = state.store.school_roles(school.id).await?;
    let subjects = state.store.taught_subjects(school.id).await?;
    Ok(Json(
        staff
            .into_iter()
            .map(|s| StaffOut {
                roles: roles
                    .iter()
                    .filter(|(p, _)| *p == s.person_id)
                    .map(|(_, r)| r.clone())
                    .collect(),
                subjects: subjects
                    .iter()
                    .filter(|(p, _)| *p == s.person_id)
                    .map(|(_, n)| n.clone())
                    .collect(),
                has_login: s.login.is_some(),
                person_id: s.person_id,
                last_name: s.last_name,
                first_name: s.first_name,
                middle_name: s.middle_name,
                position: s.position,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffIn {
    pub last_name: String,
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    /// «учитель математики», up to 120 characters.
    pub position: String,
    /// `teacher` and/or `clerk`.
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StaffAdded {
    pub person_id: i64,
}

/// Adds a staff member.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/staff",
    tag = "setup",
    params(("id" = i64, Path, description = "The school")),
    request_body = StaffIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = StaffAdded),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not keep staff records", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
        (status = 422, description = "A missing name or position, or a role that may not be given here (`fields`)", body = ErrorBody),
    )
)]
pub async fn post_staff(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<StaffIn>,
) -> Result<(StatusCode, Json<StaffAdded>), AppError> {
    let school = school_for(&state, &ctx, Some(&raw)).await?;
    let roles: Vec<&str> = body.roles.iter().map(String::as_str).collect();
    let name = [
        body.last_name.trim(),
        body.first_name.trim(),
        body.middle_name.trim(),
    ];
    let person_id = add_member(&state, &ctx, &school, name, body.position.trim(), &roles)
        .await?
        .map_err(|key| {
            let field = match key {
                "staff.need_name" => "last_name",
                "staff.need_position" => "position",
                _ => "roles",
            };
            AppError::Validation(vec![(field.into(), ctx.t().s(key).into())])
        })?;
    Ok((StatusCode::CREATED, Json(StaffAdded { person_id })))
}
