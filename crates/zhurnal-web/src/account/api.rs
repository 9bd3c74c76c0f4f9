//! The person's sessions and tokens through the API: `GET /api/v1/me/sessions` and
//! `DELETE /api/v1/me/sessions/{id}`. Parses, calls `ops`, renders.

use super::ops;
use crate::api::ErrorBody;
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    pub id: i64,
    /// The session or token this request is made with.
    pub current: bool,
    /// The browser and system, or the app, in the person's language.
    pub device: String,
    pub address: String,
    /// «7 декабря 2026, 15:11», in the person's school's zone and language.
    pub started: String,
    pub last_seen: String,
}

/// The caller's sessions and API tokens in force, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/me/sessions",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's sessions and tokens", body = [SessionOut]),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token", body = ErrorBody),
    )
)]
pub async fn get_sessions(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<SessionOut>>, AppError> {
    let out = ops::sessions(&state, &ctx)
        .await?
        .into_iter()
        .map(|s| SessionOut {
            id: s.id,
            current: s.current,
            device: s.device,
            address: s.address,
            started: s.started,
            last_seen: s.last_seen,
        })
        .collect();
    Ok(Json(out))
}

/// Ends one of the caller's sessions or tokens at once (this one too).
#[utoipa::path(
    delete,
    path = "/api/v1/me/sessions/{id}",
    tag = "account",
    params(("id" = i64, Path, description = "A session of the caller")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token", body = ErrorBody),
        (status = 404, description = "Not the caller's, or over already", body = ErrorBody),
    )
)]
pub async fn delete_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    ops::end_session(&state, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
