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

#[derive(Deserialize, ToSchema)]
pub struct TransferIn {
    pub student_id: i64,
    pub to_class_id: i64,
    /// The first day in the new class, `YYYY-MM-DD`.
    pub on: String,
    pub order_number: String,
    /// `YYYY-MM-DD`.
    pub order_date: String,
}

#[derive(Serialize, ToSchema)]
pub struct TransferOut {
    pub id: i64,
}

/// Moves a student to another class of the school from a date, by order (§2.12). The old
/// class's journal keeps what was given before that day.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/transfers",
    tag = "roster",
    params(("id" = i64, Path, description = "The school")),
    request_body = TransferIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Transferred", body = TransferOut),
        (status = 403, description = "Not the deputy's", body = ErrorBody),
        (status = 404, description = "Not a school, student or class of the caller's", body = ErrorBody),
        (status = 422, description = "A date, the order or the move itself refused; names the field", body = ErrorBody),
    )
)]
pub async fn post_transfer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TransferIn>,
) -> Result<(StatusCode, Json<TransferOut>), AppError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let school = ops::school_for(
        &state,
        &ctx,
        zhurnal_core::Action::TransferStudents,
        Some(id),
    )
    .await?;
    let t = ctx.t();
    let date = |raw: &str, field: &str| {
        raw.trim().parse::<Date>().map_err(|_| {
            AppError::Validation(vec![(
                field.to_owned(),
                t.s("transfer.bad_date").to_owned(),
            )])
        })
    };
    let input = ops::TransferInput {
        student: input.student_id,
        to_class: input.to_class_id,
        on: date(&input.on, "on")?,
        order_number: input.order_number,
        order_date: date(&input.order_date, "order_date")?,
    };
    match ops::transfer(&state, &ctx, &school, &input).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(TransferOut { id }))),
        Err(refused) => {
            let (field, message) = super::moves::refusal(&t, refused);
            Err(AppError::Validation(vec![(field.to_owned(), message)]))
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    /// The first day, `YYYY-MM-DD` (default: 1 September of the current school year).
    from: Option<String>,
    /// The last day, `YYYY-MM-DD` (default: today); in the same school year as `from`.
    to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MovementOut {
    /// The class's id; 0 for the school's total (the last line).
    pub class_id: i64,
    pub class: String,
    pub at_start: i64,
    pub arrived: i64,
    pub enrolled: i64,
    pub transferred_in: i64,
    pub left: i64,
    pub transferred_out: i64,
    pub to_other_school: i64,
    pub graduated: i64,
    pub family: i64,
    pub left_other: i64,
    /// Always `at_start + arrived - left`.
    pub at_end: i64,
}

/// «Движение обучающихся»: per class and for the school, the students at the start, who
/// arrived (enrolled, from another class), who left (to another class or school, graduated,
/// for family reasons), and at the end.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/movement",
    tag = "roster",
    params(("id" = i64, Path, description = "The school"), MovementQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report, the school's total last", body = [MovementOut]),
        (status = 403, description = "No right to reports", body = ErrorBody),
        (status = 404, description = "Not a school of the caller's", body = ErrorBody),
        (status = 422, description = "Dates malformed, reversed or in two school years", body = ErrorBody),
    )
)]
pub async fn get_movement(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<MovementQuery>,
) -> Result<Json<Vec<MovementOut>>, AppError> {
    use zhurnal_core::clock::{study_year_of, today_in};
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let school = ops::school_for(&state, &ctx, zhurnal_core::Action::ViewReports, Some(id)).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let bad = || {
        AppError::Validation(vec![(
            "from".into(),
            ctx.t().s("movement.bad_dates").to_owned(),
        )])
    };
    let day = |raw: Option<&str>, default: Date| match raw.map(str::trim).filter(|s| !s.is_empty())
    {
        None => Ok(default),
        Some(s) => s.parse::<Date>().map_err(|_| bad()),
    };
    let from = day(
        q.from.as_deref(),
        Date::new(study_year_of(today), 9, 1).unwrap_or(today),
    )?;
    let to = day(q.to.as_deref(), today)?;
    if from > to || study_year_of(from) != study_year_of(to) {
        return Err(bad());
    }
    let t = ctx.t();
    let rows = ops::movement(&state, &school, from, to).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| MovementOut {
                class_id: r.class_id,
                class: if r.class_id == 0 {
                    t.s("movement.total").to_owned()
                } else {
                    r.class_name
                },
                at_start: r.at_start,
                arrived: r.arrived,
                enrolled: r.enrolled,
                transferred_in: r.transferred_in,
                left: r.left,
                transferred_out: r.transferred_out,
                to_other_school: r.to_other_school,
                graduated: r.graduated,
                family: r.family,
                left_other: r.left_other,
                at_end: r.at_end,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PapersOut {
    pub student_id: i64,
    pub class: String,
    pub name: String,
    /// The day of the consent to processing in force, if any.
    pub consent_on: Option<String>,
    pub consent_version: Option<String>,
    pub withdrawn_on: Option<String>,
    /// `consent`, `refusal` or null (no statement handed over).
    pub statement: Option<String>,
    /// Whether something is missing: no consent in force, a refusal, or no statement.
    pub attention: bool,
}

/// The family papers of the students the caller keeps (the deputy: the school; a class
/// teacher: their classes): consent to processing (§2.8) and the statement on electronic
/// information (§3.6).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/papers",
    tag = "roster",
    params(("id" = i64, Path, description = "The school")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every student's papers", body = [PapersOut]),
        (status = 403, description = "Not the deputy's or a class teacher's", body = ErrorBody),
        (status = 404, description = "Not a school of the caller's", body = ErrorBody),
    )
)]
pub async fn get_papers(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Vec<PapersOut>>, AppError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let (school, classes) = super::consents::scope(&state, &ctx, Some(id)).await?;
    let rows = super::consents::papers(&state, &school, classes.as_deref()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| PapersOut {
                attention: r.missing_something(),
                student_id: r.student_id,
                class: r.class_name.clone(),
                name: full_name(&r.last_name, &r.first_name, &r.middle_name),
                consent_on: r.consent_on,
                consent_version: r.consent_version,
                withdrawn_on: r.withdrawn_on,
                statement: r.statement,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ConsentIn {
    pub student_id: i64,
    /// A parent linked to the student, or the student.
    pub signer_id: i64,
    /// `YYYY-MM-DD`.
    pub signed_on: String,
    /// The paper's reference (registry number), up to 100 characters.
    #[serde(default)]
    pub document: String,
}

/// Records a consent to the processing of a student's personal data (§2.8).
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/consents",
    tag = "roster",
    params(("id" = i64, Path, description = "The school")),
    request_body = ConsentIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = TransferOut),
        (status = 403, description = "Not the deputy's or a class teacher's", body = ErrorBody),
        (status = 404, description = "Not a student (or signer) the caller keeps", body = ErrorBody),
        (status = 422, description = "A malformed date or an over-long reference", body = ErrorBody),
    )
)]
pub async fn post_consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ConsentIn>,
) -> Result<(StatusCode, Json<TransferOut>), AppError> {
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let t = ctx.t();
    let signed_on = input.signed_on.trim().parse::<Date>().map_err(|_| {
        AppError::Validation(vec![(
            "signed_on".into(),
            t.s("transfer.bad_date").to_owned(),
        )])
    })?;
    if input.document.chars().count() > 100 || input.document.chars().any(char::is_control) {
        return Err(AppError::Validation(vec![(
            "document".into(),
            t.s("consents.bad_document").to_owned(),
        )]));
    }
    let (school, classes) = super::consents::scope(&state, &ctx, Some(id)).await?;
    let consent = (
        input.student_id,
        input.signer_id,
        signed_on,
        input.document.as_str(),
    );
    let id = super::consents::record(&state, &ctx, &school, classes.as_deref(), consent).await?;
    Ok((StatusCode::CREATED, Json(TransferOut { id })))
}
