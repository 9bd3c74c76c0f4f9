//! The roster through the API: a roster file checked or applied
//! (`POST /api/v1/schools/{id}/roster`), and an access code issued
//! (`POST /api/v1/schools/{id}/access-codes`). Parses, calls `ops`, renders.

use super::ops;
use super::words;
use crate::api::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_store::full_name;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// `true` to apply the roster when it has no problem; otherwise it is only checked.
    #[serde(default)]
    apply: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RosterRowOut {
    /// The row's number in the file, as a spreadsheet shows it.
    pub row: usize,
    pub class: String,
    pub name: String,
    /// `new`, `updated`, `unchanged` or `refused`.
    pub fate: String,
}

#[derive(Serialize, ToSchema)]
pub struct RosterProblemOut {
    pub row: Option<usize>,
    /// The column's header as written in the file.
    pub column: Option<String>,
    /// `missing_column`, `required`, `bad_date`, `bad_class`, `in_another_class`,
    /// `duplicate_file_number`, `unreadable`…
    pub code: String,
    /// In the caller's language.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct RosterOut {
    /// Whether the roster is now applied (never when there is a problem).
    pub applied: bool,
    pub rows: Vec<RosterRowOut>,
    pub problems: Vec<RosterProblemOut>,
    pub new_classes: Vec<String>,
    pub new_parents: usize,
}

/// Checks a roster (CSV in UTF-8 or Windows-1251, or XLSX, as the request body) against
/// the school, and applies it all-or-nothing with `apply=true`. The same roster applied
/// twice changes nothing the second time.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/roster",
    tag = "roster",
    params(("id" = i64, Path, description = "The school"), RosterQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The roster file"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Checked (and applied when asked): no problem", body = RosterOut),
        (status = 422, description = "Problems by row and column; nothing applied", body = RosterOut),
        (status = 403, description = "Not the clerk's or the deputy's", body = ErrorBody),
        (status = 404, description = "Not a school of the caller", body = ErrorBody),
    )
)]
pub async fn post_roster(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<RosterQuery>,
    body: Bytes,
) -> Result<Response, AppError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let school = ops::enrolling_school(&state, &ctx, Some(id)).await?;
    let imported = ops::import_roster(&state, &ctx, &school, body.to_vec(), q.apply).await?;
    let t = ctx.t();
    let out = RosterOut {
        applied: imported.applied,
        rows: imported
            .rows
            .iter()
            .map(|(line, fate)| RosterRowOut {
                row: line.row,
                class: line.class.to_string(),
                name: full_name(&line.names.last, &line.names.first, &line.names.middle),
                fate: words::fate(&t, fate).0.to_owned(),
            })
            .collect(),
        problems: imported
            .troubles
            .iter()
            .map(|tr| {
                let said = words::trouble(&t, tr);
                RosterProblemOut {
                    row: said.row,
                    column: said.column,
                    code: said.code.to_owned(),
                    message: said.message,
                }
            })
            .collect(),
        new_classes: imported.new_classes,
        new_parents: imported.new_parents,
    };
    let status = if out.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(out)).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct CodeIn {
    /// A student, a parent of a student or a staff member of the school.
    pub person_id: i64,
    /// The day the person applied (`YYYY-MM-DD`); recorded as their application.
    #[serde(default)]
    pub applied_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CodeOut {
    /// The one-time code, `ABCD-EFGH-JKMN`: shown this once, kept only as a hash.
    pub code: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at: i64,
}

/// Issues a one-time access code with which exactly this person creates their own login at
/// `/register`; a code of theirs still in force is revoked.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/access-codes",
    tag = "roster",
    params(("id" = i64, Path, description = "The school")),
    request_body = CodeIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Issued", body = CodeOut),
        (status = 403, description = "Not the clerk's or the deputy's", body = ErrorBody),
        (status = 404, description = "Not a school of the caller, or not a person of it", body = ErrorBody),
        (status = 422, description = "A malformed date", body = ErrorBody),
    )
)]
pub async fn post_access_code(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CodeIn>,
) -> Result<(StatusCode, Json<CodeOut>), AppError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let school = ops::enrolling_school(&state, &ctx, Some(id)).await?;
    let applied_on = match input.applied_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<Date>().map_err(|_| {
            AppError::Validation(vec![(
                "applied_on".into(),
                ctx.t().s("access.bad_date").to_owned(),
            )])
        })?),
    };
    let issued = ops::issue_code(&state, &ctx, &school, input.person_id, applied_on).await?;
    Ok((
        StatusCode::CREATED,
        Json(CodeOut {
            code: issued.code,
            expires_at: issued.expires_at,
        }),
    ))
}
