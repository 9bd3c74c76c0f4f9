//! `GET /api/v1/schools`: the schools the caller may see.

use super::ErrorBody;
use crate::ctx::Ctx;
use crate::pages::schools::visible_schools;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use zhurnal_core::Action;

#[derive(Serialize, ToSchema)]
pub struct SchoolOut {
    pub id: i64,
    pub municipality_id: i64,
    pub short_name: String,
    pub full_name: String,
    pub city: String,
    /// IANA time zone: every "today" of the school is computed in it.
    pub time_zone: String,
    pub classes: i64,
    pub students: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/schools",
    tag = "schools",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Schools in the caller's scope, by id", body = [SchoolOut]),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller's roles do not include seeing schools", body = ErrorBody),
    )
)]
pub async fn list_schools(
    axum::extract::State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<SchoolOut>>, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewSchools);
    let schools = visible_schools(&state, &reach).await?;
    Ok(Json(
        schools
            .into_iter()
            .map(|s| SchoolOut {
                id: s.id,
                municipality_id: s.municipality_id,
                short_name: s.short_name,
                full_name: s.full_name,
                city: s.city,
                time_zone: s.time_zone,
                classes: s.classes,
                students: s.students,
            })
            .collect(),
    ))
}
