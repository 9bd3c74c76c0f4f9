//! `GET /api/v1/me`: who the token belongs to.

use super::ErrorBody;
use crate::AppError;
use crate::ctx::Ctx;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct RoleOut {
    /// API role name: `director`, `deputy_director`, `class_teacher`, `teacher`, `clerk`,
    /// `tech_admin`, `student`, `parent`, `inspector`, `municipal_operator`.
    pub role: String,
    pub school_id: Option<i64>,
    pub municipality_id: Option<i64>,
    /// For `class_teacher`: the class.
    pub edu_group_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ChildOut {
    pub person_id: i64,
    pub full_name: String,
    pub school_id: Option<i64>,
    pub class_id: Option<i64>,
    pub class_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    /// The user (login account) id.
    pub id: i64,
    /// The person the account belongs to.
    pub person_id: i64,
    pub login: String,
    pub full_name: String,
    pub roles: Vec<RoleOut>,
    /// For parents: their linked children.
    pub children: Vec<ChildOut>,
}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The authenticated user", body = Me),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
pub async fn get_me(ctx: Ctx) -> Result<Json<Me>, AppError> {
    let a = ctx.actor()?;
    Ok(Json(Me {
        id: a.user_id,
        person_id: a.person_id,
        login: a.login.clone(),
        full_name: a.full_name.clone(),
        roles: a
            .grants
            .iter()
            .map(|g| RoleOut {
                role: g.role.api_name().into(),
                school_id: g.school_id,
                municipality_id: g.municipality_id,
                edu_group_id: g.edu_group_id,
            })
            .collect(),
        children: a
            .children
            .iter()
            .map(|c| ChildOut {
                person_id: c.person_id,
                full_name: [
                    c.last_name.as_str(),
                    c.first_name.as_str(),
                    c.middle_name.as_str(),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
                school_id: c.school_id,
                class_id: c.class_id,
                class_name: c.class_name.clone(),
            })
            .collect(),
    }))
}
