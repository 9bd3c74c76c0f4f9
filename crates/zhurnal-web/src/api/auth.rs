//! `POST /api/v1/auth/token` and `POST /api/v1/auth/revoke`.

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::login::{self, Outcome, Refusal};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub login: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

/// Exchanges a login and password for a bearer token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/token",
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "A new token", body = TokenResponse),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Wrong login or password (the same answer for both)", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorBody),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    match login::login(&state, &ctx, &req.login, &req.password, "api").await? {
        Outcome::Opened(o) => Ok(Json(TokenResponse {
            access_token: o.token,
            token_type: "Bearer",
            expires_in: (o.expires_at - state.clock.now_ms()) / 1000,
        })),
        Outcome::Refused(Refusal::Invalid) => Err(AppError::Unauthorized),
        Outcome::Refused(Refusal::Locked(until)) => Err(AppError::Locked {
            retry_after_secs: (until - state.clock.now_ms()) / 1000,
        }),
    }
}

/// Revokes the token used to call it.
#[utoipa::path(
    post,
    path = "/api/v1/auth/revoke",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The token no longer works"),
        (status = 401, description = "No valid token", body = ErrorBody),
    )
)]
pub async fn revoke_token(State(state): State<AppState>, ctx: Ctx) -> Result<StatusCode, AppError> {
    login::logout(&state, &ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
