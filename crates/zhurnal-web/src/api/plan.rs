//! The planned topics (КТП) of a journal through the API: reading the plan beside the lessons
//! it falls on, loading a new one, and filling empty topics again — the same rules and audit
//! as the «Планирование» page (`pages::plan`).

use super::{ApiJson, ErrorBody, school_of};
use crate::ctx::Ctx;
use crate::pages::plan::{build, editable, plan_message, save_plan};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_core::plan::parse;
use zhurnal_core::sheet::Row;
use zhurnal_store::SchoolRow;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// The class or subgroup.
    pub group_id: i64,
    pub subject_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PlanLineOut {
    pub position: i32,
    pub topic: String,
    /// Lessons the topic takes.
    pub hours: i32,
    pub homework: String,
    /// «02.09, 04.09»: the year's lessons the topic falls on.
    pub dates: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanOut {
    /// «7Б · Алгебра».
    pub journal: String,
    /// Whether the caller (the journal's teacher) may load a plan.
    pub editable: bool,
    /// The year's lessons that take place.
    pub lessons: usize,
    /// How many of them the plan covers.
    pub planned: usize,
    pub lines: Vec<PlanLineOut>,
}

/// A journal's topic plan, each topic with the dates of the lessons it falls on.
#[utoipa::path(
    get,
    path = "/api/v1/journal/plan",
    tag = "journal",
    params(PlanQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan", body = PlanOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see journals", body = ErrorBody),
        (status = 404, description = "No such journal in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PlanQuery>,
) -> Result<Json<PlanOut>, AppError> {
    let school = school_of(&state, &ctx, Action::ViewJournal, q.school_id).await?;
    let page = build(&state, &ctx, &school, q.group_id, q.subject_id).await?;
    Ok(Json(PlanOut {
        journal: page.label,
        editable: page.editable,
        lessons: page.lessons,
        planned: page.planned,
        lines: page
            .lines
            .into_iter()
            .map(|l| PlanLineOut {
                position: l.position,
                topic: l.topic,
                hours: l.hours,
                homework: l.homework,
                dates: l.dates,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicIn {
    pub topic: String,
    /// Lessons the topic takes, 1–10; default 1.
    #[serde(default)]
    pub hours: Option<u16>,
    #[serde(default)]
    pub homework: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    pub school_id: Option<i64>,
    pub group_id: i64,
    pub subject_id: i64,
    /// The plan in order; it replaces the journal's plan.
    pub topics: Vec<TopicIn>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FillIn {
    pub school_id: Option<i64>,
    pub group_id: i64,
    pub subject_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PlanSaved {
    /// Topics in the plan.
    pub topics: usize,
    /// Lessons without a topic that got one from the plan now.
    pub filled: usize,
}

/// The school and the journal's plan, if the caller is its teacher.
async fn editable_plan(
    state: &AppState,
    ctx: &Ctx,
    school_id: Option<i64>,
    group: i64,
    subject: i64,
) -> Result<(SchoolRow, usize), AppError> {
    let school = school_of(state, ctx, Action::EditJournal, school_id).await?;
    let page = editable(state, ctx, &school, group, subject).await?;
    Ok((school, page.lines.len()))
}

/// Loads a journal's topic plan: the year's lessons without a topic get theirs in order
/// (homework only where there is none); lessons the teacher already wrote stay as they are.
#[utoipa::path(
    put,
    path = "/api/v1/journal/plan",
    tag = "journal",
    request_body = PlanIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Loaded", body = PlanSaved),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not fill journals", body = ErrorBody),
        (status = 404, description = "Not a journal the caller teaches", body = ErrorBody),
        (status = 422, description = "Problems by topic (`topics[i]`) or of the whole plan (`topics`); nothing saved", body = ErrorBody),
    )
)]
pub async fn put_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<PlanIn>,
) -> Result<Json<PlanSaved>, AppError> {
    let (school, _) =
        editable_plan(&state, &ctx, body.school_id, body.group_id, body.subject_id).await?;
    let t = ctx.t();
    // The plan's own reader checks it, as if it came from a sheet with a header line.
    let mut rows = vec![Row {
        line: 1,
        cells: vec!["Тема".into(), "Часы".into(), "Домашнее задание".into()],
    }];
    rows.extend(body.topics.iter().enumerate().map(|(i, x)| Row {
        line: i + 2,
        cells: vec![
            x.topic.clone(),
            x.hours.map(|h| h.to_string()).unwrap_or_default(),
            x.homework.clone(),
        ],
    }));
    let plan = parse(&rows).map_err(|errors| {
        AppError::Validation(
            errors
                .iter()
                .map(|e| {
                    let field = e
                        .line()
                        .map_or("topics".to_owned(), |l| format!("topics[{}]", l - 2));
                    (field, plan_message(&t, e))
                })
                .collect(),
        )
    })?;
    let filled = save_plan(
        &state,
        &ctx,
        &school,
        (body.group_id, body.subject_id),
        Some(&plan),
        None,
    )
    .await?;
    Ok(Json(PlanSaved {
        topics: plan.len(),
        filled,
    }))
}

/// Fills the empty topics again from the plan already loaded (after the timetable brought
/// new lessons).
#[utoipa::path(
    post,
    path = "/api/v1/journal/plan/fill",
    tag = "journal",
    request_body = FillIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Filled", body = PlanSaved),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not fill journals", body = ErrorBody),
        (status = 404, description = "Not a journal the caller teaches", body = ErrorBody),
    )
)]
pub async fn post_fill(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<FillIn>,
) -> Result<Json<PlanSaved>, AppError> {
    let (school, topics) =
        editable_plan(&state, &ctx, body.school_id, body.group_id, body.subject_id).await?;
    let filled = save_plan(
        &state,
        &ctx,
        &school,
        (body.group_id, body.subject_id),
        None,
        None,
    )
    .await?;
    Ok(Json(PlanSaved { topics, filled }))
}
