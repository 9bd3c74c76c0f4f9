//! The JSON API under `/api/v1`. It authenticates with bearer tokens only (a session cookie
//! is ignored there, see `ctx::build`), so it needs no CSRF defence; errors are
//! `{"error":{"code","message"}}` (see `crate::error`).

pub mod account;
pub mod apps;
pub mod audit;
pub mod auth;
pub mod bodies;
pub mod diary;
pub mod files;
pub mod grading;
pub mod journal;
pub mod me;
pub mod messages;
pub mod mine;
pub mod notices;
pub mod openapi;
pub mod periods;
pub mod plan;
pub mod promotion;
pub mod roster;
pub mod schools;
pub mod setup;
pub mod staff;
pub mod timetable;
pub mod wall;
pub mod year;

use crate::AppError;
use axum::extract::{FromRequest, Request};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// A JSON body whose rejections (bad syntax, wrong type, unknown field) become the API's
/// structured 400 instead of axum's plain-text answer.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(AppError::BadRequest(rejection.body_text())),
        }
    }
}

/// The error envelope, for the OpenAPI document.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `unauthorized`, `forbidden`, `not_found`, `bad_request`,
    /// `validation`, `conflict`, `too_many_attempts`, `csrf_failed`, `no_electronic_access`, `internal`.
    pub code: String,
    /// A human-readable message in the user's language.
    pub message: String,
    /// For `internal` errors: the reference to quote to support.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For `validation` errors: a message per field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<std::collections::BTreeMap<String, String>>,
    /// For `bad_request`: what exactly could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A date in a path or query, or a structured 400 naming the field.
pub fn parse_date(field: &str, raw: &str) -> Result<jiff::civil::Date, AppError> {
    raw.trim().parse().map_err(|_| {
        AppError::BadRequest(format!(
            "{field}: expected a date as YYYY-MM-DD, got «{raw}»"
        ))
    })
}

/// The school asked for (default: the caller's), within the caller's reach for `action`.
pub async fn school_of(
    state: &crate::AppState,
    ctx: &crate::ctx::Ctx,
    action: zhurnal_core::Action,
    school_id: Option<i64>,
) -> Result<zhurnal_store::SchoolRow, AppError> {
    let reach = ctx.actor()?.reach(action);
    let raw = school_id.map(|s| s.to_string());
    Ok(
        crate::pages::timetable::pick_school(state, ctx, &reach, raw.as_deref())
            .await?
            .0,
    )
}
