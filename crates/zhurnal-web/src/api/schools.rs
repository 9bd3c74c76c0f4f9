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

#[derive(serde::Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileIo {
    /// «МБОУ СОШ № 7», up to 100 characters.
    pub short_name: String,
    /// The full name as in the charter, up to 500 characters.
    pub full_name: String,
    /// `school`, `gymnasium`, `lyceum`…, as the profile page offers.
    pub kind: String,
    pub city: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// An IANA zone of Russia («Asia/Vladivostok»): every «today» of the school is in it.
    pub time_zone: String,
    /// 1 or 2.
    pub shifts: i32,
}

/// The school's profile.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/profile",
    tag = "setup",
    params(("id" = i64, Path, description = "The school")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = ProfileIo),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not set the school up", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(raw): axum::extract::Path<String>,
) -> Result<Json<ProfileIo>, AppError> {
    let s = crate::pages::profile::school_for(&state, &ctx, Some(&raw)).await?;
    Ok(Json(ProfileIo {
        short_name: s.short_name,
        full_name: s.full_name,
        kind: s.kind,
        city: s.city,
        address: s.address,
        phone: s.phone,
        email: s.email,
        time_zone: s.time_zone,
        shifts: s.shifts,
    }))
}

/// Changes the school's profile (every field at once), with the page's checks.
#[utoipa::path(
    put,
    path = "/api/v1/schools/{id}/profile",
    tag = "setup",
    params(("id" = i64, Path, description = "The school")),
    request_body = ProfileIo,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not set the school up", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
        (status = 422, description = "A field out of its rules (`fields` names it)", body = ErrorBody),
    )
)]
pub async fn put_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(raw): axum::extract::Path<String>,
    super::ApiJson(body): super::ApiJson<ProfileIo>,
) -> Result<axum::http::StatusCode, AppError> {
    let school = crate::pages::profile::school_for(&state, &ctx, Some(&raw)).await?;
    let form = crate::pages::profile::ProfileForm {
        school: school.id.to_string(),
        short_name: body.short_name,
        full_name: body.full_name,
        kind: body.kind,
        city: body.city,
        address: body.address,
        phone: body.phone,
        email: body.email,
        time_zone: body.time_zone,
        shifts: body.shifts.to_string(),
        ..Default::default()
    };
    let t = ctx.t();
    let profile = crate::pages::profile::validate(&form).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|(f, k)| (f.to_owned(), t.s(k).to_owned()))
                .collect(),
        )
    })?;
    crate::pages::profile::save(&state, &ctx, &school, &profile).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
