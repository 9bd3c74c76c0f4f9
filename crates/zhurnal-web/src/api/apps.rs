//! The school's third-party apps through the API, for its tech admin: the list, registering
//! one and withdrawing one — the same checks and audit as «Приложения школы»
//! (`pages::apps`). Never open to an app's token.

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::apps::{NewApp, app_items, managed_school, register_app, withdraw_app};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct AppOut {
    pub id: i64,
    pub name: String,
    /// What the app sends as `client_id`.
    pub client_id: String,
    pub redirect_uris: Vec<String>,
    /// Scope names the app may ask for.
    pub scopes: Vec<&'static str>,
    /// Holds a secret (a server); otherwise it proves itself with PKCE only.
    pub confidential: bool,
    /// YYYY-MM-DD.
    pub created_on: String,
    /// Set once withdrawn.
    pub revoked_on: Option<String>,
}

/// The apps registered by the caller's school, withdrawn ones included.
#[utoipa::path(
    get,
    path = "/api/v1/apps",
    tag = "setup",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The school's apps", body = [AppOut]),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not the school's tech admin, or an app's token", body = ErrorBody),
    )
)]
pub async fn get_apps(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<AppOut>>, AppError> {
    let school = managed_school(&ctx)?;
    Ok(Json(
        app_items(&state, &ctx, school)
            .await?
            .into_iter()
            .map(|a| AppOut {
                id: a.id,
                name: a.name,
                client_id: a.client_id,
                redirect_uris: a.redirects,
                scopes: a.scope_names,
                confidential: a.confidential,
                created_on: a.created_on,
                revoked_on: a.revoked_on,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppIn {
    /// 1–100 characters, shown to people on the consent page.
    pub name: String,
    /// 1–10 return addresses: https, or http to 127.0.0.1 or localhost.
    pub redirect_uris: Vec<String>,
    /// Any of `profile`, `diary`, `journal`, `journal.write`, `school`.
    pub scopes: Vec<String>,
    /// Give the app a secret (a server); without one it must use PKCE.
    #[serde(default)]
    pub confidential: bool,
}

#[derive(Serialize, ToSchema)]
pub struct AppRegistered {
    pub id: i64,
    pub client_id: String,
    /// Given this once; only its hash is kept.
    pub client_secret: Option<String>,
}

/// Registers an app for the caller's school.
#[utoipa::path(
    post,
    path = "/api/v1/apps",
    tag = "setup",
    request_body = AppIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered", body = AppRegistered),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not the school's tech admin, or an app's token", body = ErrorBody),
        (status = 422, description = "Problems by field: `name`, `redirect_uris`, `scopes`", body = ErrorBody),
    )
)]
pub async fn post_app(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<AppIn>,
) -> Result<(StatusCode, Json<AppRegistered>), AppError> {
    let school = managed_school(&ctx)?;
    let app = NewApp {
        name: &body.name,
        redirects: body.redirect_uris.iter().map(String::as_str).collect(),
        scopes: body.scopes.iter().map(String::as_str).collect(),
        confidential: body.confidential,
    };
    match register_app(&state, &ctx, school, &app).await? {
        Ok(r) => Ok((
            StatusCode::CREATED,
            Json(AppRegistered {
                id: r.id,
                client_id: r.client_id,
                client_secret: r.secret,
            }),
        )),
        Err(problems) => Err(AppError::Validation(
            problems
                .into_iter()
                .map(|(field, m)| {
                    let field = if field == "redirects" {
                        "redirect_uris"
                    } else {
                        field
                    };
                    (field.to_owned(), m)
                })
                .collect(),
        )),
    }
}

/// Withdraws one of the school's apps: every grant and token of it ends at once.
#[utoipa::path(
    delete,
    path = "/api/v1/apps/{id}",
    tag = "setup",
    params(("id" = i64, Path, description = "The app's id (not its client_id)")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not the school's tech admin, or an app's token", body = ErrorBody),
        (status = 404, description = "Not an app of the school", body = ErrorBody),
    )
)]
pub async fn delete_app(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<StatusCode, AppError> {
    let school = managed_school(&ctx)?;
    withdraw_app(&state, &ctx, school, &raw).await?;
    Ok(StatusCode::NO_CONTENT)
}
