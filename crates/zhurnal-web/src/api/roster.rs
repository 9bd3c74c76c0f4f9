//! The class roster through the API (§3.6, §5.2), for the class teacher of the class and the
//! clerk: the students with their parents and the state of electronic access, the parents'
//! statements and the departures; recording a statement and a departure with the same rules
//! and audit as the «Ученики и родители» page.

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::class_check::school_and_class;
use crate::pages::roster::{FieldErrors, record_departure, record_statement};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_store::full_name;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// The class; default: the caller's own class, else the first they keep.
    pub class_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ParentOut {
    pub person_id: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct RosterStudentOut {
    pub person_id: i64,
    pub name: String,
    pub parents: Vec<ParentOut>,
    /// `none` (no statement yet), `consent` or `refusal`: the latest statement decides.
    pub access: String,
    /// The day the deciding statement was signed, YYYY-MM-DD.
    pub access_since: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StatementOut {
    pub id: i64,
    pub student_id: i64,
    pub parent_id: Option<i64>,
    /// `consent` or `refusal`.
    pub decision: String,
    pub signed_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct DepartureOut {
    pub person_id: i64,
    pub name: String,
    pub left_on: String,
    /// `transfer`, `graduation`, `family` or `other`.
    pub reason: String,
    pub order_number: String,
}

#[derive(Serialize, ToSchema)]
pub struct RosterOut {
    pub school_id: i64,
    pub class_id: i64,
    pub class: String,
    pub students: Vec<RosterStudentOut>,
    /// Newest first.
    pub statements: Vec<StatementOut>,
    /// Newest first.
    pub departures: Vec<DepartureOut>,
}

/// The school and class asked for, among those whose roster the caller keeps.
async fn roster_class(
    state: &AppState,
    ctx: &Ctx,
    school_id: Option<i64>,
    class_id: Option<i64>,
) -> Result<(zhurnal_store::SchoolRow, zhurnal_store::ClassRow), AppError> {
    let (school, class, _) = school_and_class(
        state,
        ctx,
        Action::ManageRoster,
        school_id.map(|s| s.to_string()).as_deref(),
        class_id.map(|c| c.to_string()).as_deref(),
    )
    .await?;
    Ok((school, class))
}

/// A class's students, their parents and electronic access, statements and departures.
#[utoipa::path(
    get,
    path = "/api/v1/roster",
    tag = "roster",
    params(RosterQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The class roster", body = RosterOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller keeps no roster", body = ErrorBody),
        (status = 404, description = "No such school or class in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_roster(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RosterQuery>,
) -> Result<Json<RosterOut>, AppError> {
    let (school, class) = roster_class(&state, &ctx, q.school_id, q.class_id).await?;
    let students = state.store.group_members(school.id, class.id).await?;
    let parents = state.store.class_parents(school.id, class.id).await?;
    let statements = state.store.class_statements(school.id, class.id).await?;
    let departures = state.store.class_departures(school.id, class.id).await?;
    Ok(Json(RosterOut {
        school_id: school.id,
        class_id: class.id,
        class: class.name.clone(),
        students: students
            .iter()
            .map(|s| {
                let latest = statements.iter().find(|x| x.student_id == s.id);
                RosterStudentOut {
                    person_id: s.id,
                    name: s.full_name(),
                    parents: parents
                        .iter()
                        .filter(|p| p.child_id == s.id)
                        .map(|p| ParentOut {
                            person_id: p.parent_id,
                            name: full_name(&p.last_name, &p.first_name, &p.middle_name),
                        })
                        .collect(),
                    access: latest.map_or("none".into(), |x| x.decision.clone()),
                    access_since: latest.map(|x| x.signed_on.clone()),
                }
            })
            .collect(),
        statements: statements
            .iter()
            .map(|x| StatementOut {
                id: x.id,
                student_id: x.student_id,
                parent_id: x.parent_id,
                decision: x.decision.clone(),
                signed_on: x.signed_on.clone(),
            })
            .collect(),
        departures: departures
            .iter()
            .map(|d| DepartureOut {
                person_id: d.person_id,
                name: format!("{} {}", d.last_name, d.first_name),
                left_on: d.left_on.clone(),
                reason: d.reason.clone(),
                order_number: d.order_number.clone(),
            })
            .collect(),
    }))
}

/// The API's names of the roster form's fields.
fn api_fields(errors: FieldErrors) -> AppError {
    AppError::Validation(
        errors
            .into_iter()
            .map(|(k, v)| {
                let field = match k {
                    "st-date" => "signed_on",
                    "dep-date" => "left_on",
                    "dep-order" => "order_number",
                    other => other,
                };
                (field.to_owned(), v)
            })
            .collect(),
    )
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementIn {
    pub school_id: Option<i64>,
    pub class_id: i64,
    pub student_id: i64,
    /// One of the student's parents, who signed the statement.
    pub parent_id: i64,
    /// `consent` or `refusal` (§3.6: a refusal stops the diary, notices and calendar feed).
    pub decision: String,
    /// YYYY-MM-DD, not after today.
    pub signed_on: String,
}

/// Records a parent's statement of consent or refusal to get the child's performance
/// electronically.
#[utoipa::path(
    post,
    path = "/api/v1/roster/statements",
    tag = "roster",
    request_body = StatementIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded"),
        (status = 400, description = "Malformed body or an unknown decision", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller keeps no roster", body = ErrorBody),
        (status = 404, description = "Not a student and parent of a class in the caller's reach", body = ErrorBody),
        (status = 422, description = "A date that is not a day or is in the future (`fields.signed_on`)", body = ErrorBody),
    )
)]
pub async fn post_statement(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<StatementIn>,
) -> Result<StatusCode, AppError> {
    let (school, class) = roster_class(&state, &ctx, body.school_id, Some(body.class_id)).await?;
    record_statement(
        &state,
        &ctx,
        &school,
        &class,
        (body.student_id, body.parent_id),
        &body.decision,
        &body.signed_on,
    )
    .await?
    .map_err(api_fields)?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartureIn {
    pub school_id: Option<i64>,
    pub class_id: i64,
    pub student_id: i64,
    /// `transfer`, `graduation`, `family` or `other`.
    pub reason: String,
    /// The director's order, at most 50 characters.
    #[serde(default)]
    pub order_number: String,
    /// The last day, YYYY-MM-DD: not after today, not before the student's marks or absences.
    pub left_on: String,
}

/// Records a student's departure from the school: every current membership of the student
/// in the school ends that day.
#[utoipa::path(
    post,
    path = "/api/v1/roster/departures",
    tag = "roster",
    request_body = DepartureIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded"),
        (status = 400, description = "Malformed body or an unknown reason", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller keeps no roster", body = ErrorBody),
        (status = 404, description = "Not a student of a class in the caller's reach", body = ErrorBody),
        (status = 422, description = "A bad day (`fields.left_on`) or order number (`fields.order_number`)", body = ErrorBody),
    )
)]
pub async fn post_departure(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<DepartureIn>,
) -> Result<StatusCode, AppError> {
    let (school, class) = roster_class(&state, &ctx, body.school_id, Some(body.class_id)).await?;
    record_departure(
        &state,
        &ctx,
        &school,
        &class,
        body.student_id,
        &body.reason,
        body.order_number.trim(),
        &body.left_on,
    )
    .await?
    .map_err(api_fields)?;
    Ok(StatusCode::CREATED)
}
