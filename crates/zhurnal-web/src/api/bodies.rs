//! The school's self-government bodies through the API (§2.4): the same checks and audit
//! as the page, through the same functions.

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::bodies::{MemberInput, add_body, add_member, remove_member, school_for};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct BodyMemberOut {
    pub id: i64,
    /// The staff member's person id; absent for someone named (a parent, a student…).
    pub person_id: Option<i64>,
    pub full_name: String,
    pub represents: String,
    /// `chair`, `secretary` or `member`.
    pub role: String,
    pub since: String,
}

#[derive(Serialize, ToSchema)]
pub struct BodyOut {
    pub id: i64,
    /// `governing_council`, `teachers_council`, `student_council`, `parents_council` or `other`.
    pub kind: String,
    pub name: String,
    pub members: Vec<BodyMemberOut>,
}

#[derive(Serialize, ToSchema)]
pub struct BodyCreated {
    pub id: i64,
}

fn invalid(ctx: &Ctx, field: &str, key: &str) -> AppError {
    AppError::Validation(vec![(field.to_owned(), ctx.t().s(key).to_owned())])
}

/// The school's bodies with their members, chair and secretary first.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/bodies",
    tag = "setup",
    params(("id" = i64, Path, description = "School id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Bodies by name", body = Vec<BodyOut>),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage staff", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
    )
)]
pub async fn get_bodies(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Vec<BodyOut>>, AppError> {
    let school = school_for(&state, &ctx, Some(&id)).await?;
    let members = state.store.body_members(school.id).await?;
    Ok(Json(
        state
            .store
            .bodies(school.id)
            .await?
            .into_iter()
            .map(|b| BodyOut {
                members: members
                    .iter()
                    .filter(|m| m.body_id == b.id)
                    .map(|m| BodyMemberOut {
                        id: m.id,
                        person_id: m.person_id,
                        full_name: m.full_name.clone(),
                        represents: m.represents.clone(),
                        role: m.role.clone(),
                        since: m.since.clone(),
                    })
                    .collect(),
                id: b.id,
                kind: b.kind,
                name: b.name,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyIn {
    /// `governing_council`, `teachers_council`, `student_council`, `parents_council` or `other`.
    pub kind: String,
    pub name: String,
}

/// Creates a body.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/bodies",
    tag = "setup",
    params(("id" = i64, Path, description = "School id")),
    request_body = BodyIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = BodyCreated),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage staff", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
        (status = 422, description = "Bad kind or name, or the name is taken", body = ErrorBody),
    )
)]
pub async fn post_body(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BodyIn>,
) -> Result<(StatusCode, Json<BodyCreated>), AppError> {
    let school = school_for(&state, &ctx, Some(&id)).await?;
    match add_body(&state, &ctx, &school, &body.kind, &body.name).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(BodyCreated { id }))),
        Err(key) => Err(invalid(
            &ctx,
            if key == "bodies.bad_kind" {
                "kind"
            } else {
                "name"
            },
            key,
        )),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyMemberIn {
    /// A staff member's person id, or…
    pub person_id: Option<i64>,
    /// …the name of someone who is not staff.
    #[serde(default)]
    pub full_name: String,
    /// Whom they represent; a staff member's position by default.
    #[serde(default)]
    pub represents: String,
    /// `chair`, `secretary` or `member`.
    pub role: String,
}

/// Adds a member to a body.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/bodies/{body}/members",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), ("body" = i64, Path, description = "Body id")),
    request_body = BodyMemberIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = BodyCreated),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage staff", body = ErrorBody),
        (status = 404, description = "No such school or body in reach", body = ErrorBody),
        (status = 422, description = "Neither or both of person and name, unknown staff member, bad role, or the chair/secretary is taken", body = ErrorBody),
    )
)]
pub async fn post_body_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, body_id)): Path<(String, i64)>,
    ApiJson(m): ApiJson<BodyMemberIn>,
) -> Result<(StatusCode, Json<BodyCreated>), AppError> {
    let school = school_for(&state, &ctx, Some(&id)).await?;
    let person = m.person_id.map(|p| p.to_string()).unwrap_or_default();
    let input = MemberInput {
        person: &person,
        full_name: &m.full_name,
        represents: &m.represents,
        role: &m.role,
    };
    match add_member(&state, &ctx, &school, body_id, input).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(BodyCreated { id }))),
        Err(key) => {
            let field = match key {
                "bodies.bad_role" | "bodies.role_taken" => "role",
                "bodies.bad_represents" => "represents",
                "bodies.bad_person" => "person_id",
                _ => "full_name",
            };
            Err(invalid(&ctx, field, key))
        }
    }
}

/// Removes a member from a body.
#[utoipa::path(
    delete,
    path = "/api/v1/schools/{id}/bodies/members/{member}",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), ("member" = i64, Path, description = "Membership id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage staff", body = ErrorBody),
        (status = 404, description = "No such school or membership in reach", body = ErrorBody),
    )
)]
pub async fn delete_body_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, member)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    let school = school_for(&state, &ctx, Some(&id)).await?;
    remove_member(&state, &ctx, &school, member).await?;
    Ok(StatusCode::NO_CONTENT)
}
