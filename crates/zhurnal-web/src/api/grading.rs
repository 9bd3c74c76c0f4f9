//! A school's grading rules and reporting periods through the API (DOMAIN.md §1): readable by
//! everyone of the school (they explain every proposed period mark), the rules changed by the
//! school's setup roles with the same checks and audit as «Правила оценивания», periods
//! closed and reopened by the deputy.

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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodsQuery {
    /// The school year, by the year it starts in; default: the current one.
    pub year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportingPeriodOut {
    pub id: i64,
    /// `quarters`, `half_years` or `trimesters`.
    pub scheme: String,
    /// `quarter`, `half_year`, `trimester`.
    pub kind: String,
    pub number: i32,
    pub name: String,
    /// YYYY-MM-DD.
    pub start: String,
    pub end: String,
    /// Closed periods lock their marks until reopened.
    pub closed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct GradeSchemeOut {
    pub grade: i32,
    pub scheme: String,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodsOut {
    pub study_year: i16,
    pub periods: Vec<ReportingPeriodOut>,
    /// Which scheme each grade follows (the default where none is stored).
    pub grades: Vec<GradeSchemeOut>,
}

/// The school's reporting periods of a year and the scheme of each grade.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/periods",
    tag = "setup",
    params(("id" = i64, Path, description = "The school"), PeriodsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The periods", body = PeriodsOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_periods(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    axum::extract::Query(q): axum::extract::Query<PeriodsQuery>,
) -> Result<Json<PeriodsOut>, AppError> {
    let school = school_of(&state, &ctx, Action::ViewHome, Some(school_id(&raw)?)).await?;
    let year = q.year.unwrap_or_else(|| {
        zhurnal_core::clock::study_year_of(zhurnal_core::clock::today_in(
            state.clock.now(),
            &school.time_zone,
        ))
    });
    let stored = state.store.period_schemes(school.id, year).await?;
    Ok(Json(PeriodsOut {
        study_year: year,
        periods: state
            .store
            .periods(school.id, year)
            .await?
            .into_iter()
            .map(|p| ReportingPeriodOut {
                id: p.id,
                scheme: p.scheme,
                kind: p.kind,
                number: p.number,
                name: p.name,
                start: p.start_date,
                end: p.end_date,
                closed: p.closed_at.is_some(),
            })
            .collect(),
        grades: (1..=11)
            .map(|grade: i32| GradeSchemeOut {
                grade,
                scheme: stored.iter().find(|(g, _)| *g == grade).map_or_else(
                    || zhurnal_core::calendar::default_scheme(grade as i16).to_owned(),
                    |(_, s)| s.clone(),
                ),
            })
            .collect(),
    }))
}

async fn set_closed(
    state: &AppState,
    ctx: &Ctx,
    raw_school: &str,
    raw_period: &str,
    close: bool,
) -> Result<StatusCode, AppError> {
    let school = school_of(
        state,
        ctx,
        Action::ApproveJournalCorrections,
        Some(school_id(raw_school)?),
    )
    .await?;
    crate::pages::periods::close_or_reopen(state, ctx, &school, raw_period, close).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes a reporting period: its marks are locked until it is reopened.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/periods/{period}/close",
    tag = "setup",
    params(("id" = i64, Path, description = "The school"), ("period" = i64, Path, description = "The period")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Closed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not approve corrections", body = ErrorBody),
        (status = 404, description = "No such school or period in the caller's reach", body = ErrorBody),
    )
)]
pub async fn close_period(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((school, period)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    set_closed(&state, &ctx, &school, &period, true).await
}

/// Reopens a closed reporting period.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/periods/{period}/reopen",
    tag = "setup",
    params(("id" = i64, Path, description = "The school"), ("period" = i64, Path, description = "The period")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Reopened"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not approve corrections", body = ErrorBody),
        (status = 404, description = "No such school or period in the caller's reach", body = ErrorBody),
    )
)]
pub async fn reopen_period(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((school, period)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    set_closed(&state, &ctx, &school, &period, false).await
}
