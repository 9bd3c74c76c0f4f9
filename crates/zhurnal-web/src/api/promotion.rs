//! Year-end promotion by order through the API (§2.12): the orders applied so far with the
//! days each took, and checking or applying a new one with the same rules as the
//! «Перевод учащихся» page (`pages::promotion`).

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::promotion::{Exception, apply_order, check_order, orders, school_year};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::promotion::Decision;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PromotionQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderOut {
    pub number: String,
    /// The order's date, YYYY-MM-DD.
    pub order_date: String,
    /// The day it was applied in Zhurnal (the transfer takes effect that day).
    pub applied_on: String,
    pub moved: i32,
    pub leavers: i32,
    /// Days from the order to its application.
    pub days: i64,
    /// Applied within the regulation's three days.
    pub on_time: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PromotionOut {
    pub school_id: i64,
    /// The study year that ends (its first calendar year).
    pub year: i16,
    /// Oldest first.
    pub orders: Vec<OrderOut>,
}

/// The school's promotion orders and how long each took to apply.
#[utoipa::path(
    get,
    path = "/api/v1/roster/promotion",
    tag = "roster",
    params(PromotionQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The orders", body = PromotionOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not transfer students", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_promotion(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PromotionQuery>,
) -> Result<Json<PromotionOut>, AppError> {
    let raw = q.school_id.map(|s| s.to_string());
    let (school, year, _) = school_year(&state, &ctx, raw.as_deref()).await?;
    let orders = orders(&state, school.id)
        .await?
        .into_iter()
        .map(|o| OrderOut {
            number: o.number,
            order_date: o.order_date,
            applied_on: o.applied_on,
            moved: o.moved,
            leavers: o.leavers,
            days: o.days,
            on_time: o.on_time,
        })
        .collect();
    Ok(Json(PromotionOut {
        school_id: school.id,
        year,
        orders,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionIn {
    /// The class as the school names it («9А»).
    pub class: String,
    /// «Фамилия Имя» or «Фамилия Имя Отчество», as in the roster.
    pub student: String,
    /// `retain` (повторное обучение), `conditional` (условный перевод), `leave` or
    /// `promote`; the Russian words of the page are accepted too.
    pub decision: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionIn {
    pub school_id: Option<i64>,
    /// The director's order number, at most 40 characters.
    pub number: String,
    /// The order's date, YYYY-MM-DD, not after today.
    pub order_date: String,
    /// Students not simply promoted; everyone else moves up, the 11th grade leaves.
    #[serde(default)]
    pub exceptions: Vec<ExceptionIn>,
    /// Only check and report what the order would do.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PromotionDone {
    /// False with `dry_run`.
    pub applied: bool,
    pub new_classes: usize,
    pub moved: usize,
    pub leavers: usize,
    pub retained: usize,
    pub conditional: usize,
}

/// Checks a promotion order and, unless `dry_run`, applies it in one step: new classes for
/// the next year, every student moved, retained or leaving, the order kept with its dates.
/// All or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/roster/promotion",
    tag = "roster",
    request_body = PromotionIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Applied (or checked, with `dry_run`): what the order does", body = PromotionDone),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not transfer students", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
        (status = 422, description = "Problems by field: `number`, `order_date`, `exceptions[i]`, `classes` (none to promote), `order` (the year was already promoted); nothing applied", body = ErrorBody),
    )
)]
pub async fn post_promotion(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<PromotionIn>,
) -> Result<Json<PromotionDone>, AppError> {
    let raw = body.school_id.map(|s| s.to_string());
    let (school, year, today) = school_year(&state, &ctx, raw.as_deref()).await?;
    let t = ctx.t();
    let list: Vec<Result<Exception<'_>, ()>> = body
        .exceptions
        .iter()
        .map(|e| {
            Ok(Exception {
                class: &e.class,
                student: &e.student,
                decision: &e.decision,
            })
        })
        .collect();
    let checked = check_order(
        &state,
        &t,
        &school,
        (year, today),
        &body.number,
        &body.order_date,
        &list,
    )
    .await?;
    let mut fields: Vec<(String, String)> = checked
        .errors
        .iter()
        .map(|(f, m)| ((*f).to_owned(), m.clone()))
        .collect();
    fields.extend(
        checked
            .exception_errors
            .iter()
            .map(|(i, m)| (format!("exceptions[{i}]"), m.clone())),
    );
    if checked.no_classes {
        fields.push(("classes".into(), t.s("promotion.no_classes").to_owned()));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let mut done = PromotionDone {
        applied: false,
        new_classes: checked.plan.classes.len(),
        moved: checked.plan.moves.len(),
        leavers: checked.plan.leavers.len(),
        retained: checked.count(Decision::Retain),
        conditional: checked.count(Decision::Conditional),
    };
    if !body.dry_run {
        apply_order(&state, &ctx, &school, (year, today), &body.number, &checked)
            .await?
            .map_err(|key| AppError::Validation(vec![("order".into(), t.s(key).to_owned())]))?;
        done.applied = true;
    }
    Ok(Json(done))
}
