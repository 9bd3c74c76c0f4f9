//! A school's grading rules through the API (DOMAIN.md §1): readable by everyone of the
//! school (they explain every proposed period mark), changed by the school's setup roles
//! with the same checks and audit as «Правила оценивания».

use super::{ApiJson, ErrorBody, school_of};
use crate::ctx::Ctx;
use crate::pages::grading::{Typed, check, store};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zhurnal_core::Action;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradingRules {
    /// `weighted` (Σ mark × weight / Σ weight) or `arithmetic`.
    pub method: String,
    /// The lowest average that earns a 5, a 4, a 3 (1.00–5.00, descending).
    pub five: f64,
    pub four: f64,
    pub three: f64,
    /// Fewer current marks than this in a period: no period mark is proposed (0–20).
    pub min_marks: u16,
    /// No 5 for the period with a 2 among the marks.
    pub no_top_with_two: bool,
    /// «1» is on the scale.
    pub with_one: bool,
    /// «+» and «−» are allowed.
    pub with_signs: bool,
    /// Days after a lesson its teacher may still change it; later only the deputy (0–60).
    pub edit_window_days: u8,
}

fn school_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// The school's grading rules.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/grading",
    tag = "setup",
    params(("id" = i64, Path, description = "The school")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rules", body = GradingRules),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_grading(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Json<GradingRules>, AppError> {
    // Everyone of the school reads them: they explain every proposed period mark.
    let school = school_of(&state, &ctx, Action::ViewHome, Some(school_id(&raw)?)).await?;
    let g = state.store.grading_settings(school.id).await?;
    let bound = |mark: u8| {
        g.rules
            .bounds
            .iter()
            .find(|b| b.0 == mark)
            .map_or(0.0, |b| f64::from(b.1) / 100.0)
    };
    Ok(Json(GradingRules {
        method: Typed::of(&g).method,
        five: bound(5),
        four: bound(4),
        three: bound(3),
        min_marks: g.rules.min_marks,
        no_top_with_two: g.rules.no_top_with_two,
        with_one: g.rules.scale.with_one,
        with_signs: g.rules.scale.with_signs,
        edit_window_days: g.edit_window_days,
    }))
}

/// Changes the school's grading rules (all fields at once).
#[utoipa::path(
    put,
    path = "/api/v1/schools/{id}/grading",
    tag = "setup",
    params(("id" = i64, Path, description = "The school")),
    request_body = GradingRules,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not set the school up", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
        (status = 422, description = "A rule out of range (`fields` names it)", body = ErrorBody),
    )
)]
pub async fn put_grading(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<GradingRules>,
) -> Result<StatusCode, AppError> {
    let school = school_of(
        &state,
        &ctx,
        Action::EditSchoolSetup,
        Some(school_id(&raw)?),
    )
    .await?;
    let typed = Typed {
        method: body.method,
        five: format!("{:.2}", body.five),
        four: format!("{:.2}", body.four),
        three: format!("{:.2}", body.three),
        min_marks: body.min_marks.to_string(),
        window: body.edit_window_days.to_string(),
        no_top_with_two: body.no_top_with_two,
        with_one: body.with_one,
        with_signs: body.with_signs,
    };
    let t = ctx.t();
    let g = check(&typed).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|(field, key)| {
                    let field = if field == "window" {
                        "edit_window_days"
                    } else {
                        field
                    };
                    (field.to_owned(), t.s(key).to_owned())
                })
                .collect(),
        )
    })?;
    store(&state, &ctx, &school, &g).await?;
    Ok(StatusCode::NO_CONTENT)
}
