//! Period and year marks through the API (§4.1): a group's proposals in a subject for a
//! period — each student's average with how it was computed, the mark the school's rules
//! propose, the mark set — and the year's (with exam and final marks in grades 9 and 11);
//! setting them, by the teacher of the group in the subject while allowed; the same rules
//! and audit as the journal's pages.

use super::{ApiJson, ErrorBody, school_of};
use crate::ctx::Ctx;
use crate::journal::may_view;
use crate::pages::journal::{Cells, set_period_marks, weights_of};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodMarksQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// A class or a subgroup.
    pub group_id: i64,
    pub subject_id: i64,
    /// A reporting period of the school.
    pub period_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodMarkOut {
    pub person_id: i64,
    pub student: String,
    /// How many current marks count in the average.
    pub marks: usize,
    /// «4.67»; empty without numeric marks.
    pub average: String,
    /// «(5×2 + 4×1) / 3 = 4.67».
    pub explanation: String,
    /// What the school's rules propose; empty when there is no basis.
    pub proposed: String,
    /// Fewer current marks than the school's minimum for a period mark.
    pub below_minimum: bool,
    /// The period mark set, if any.
    pub value: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodMarksOut {
    pub period_id: i64,
    pub period: String,
    /// Whether the period is closed (its marks locked).
    pub closed: bool,
    pub students: Vec<PeriodMarkOut>,
}

async fn period_of(
    state: &AppState,
    school: &zhurnal_store::SchoolRow,
    period_id: i64,
) -> Result<Option<zhurnal_store::PeriodRow>, AppError> {
    let school_id = school.id;
    let today = zhurnal_core::clock::today_in(state.clock.now(), &school.time_zone);
    let year = zhurnal_core::clock::study_year_of(today);
    let mut found = None;
    // A period of this school year or the one before (period marks are reviewed after
    // the summer too).
    for y in [year, year - 1] {
        if let Some(p) = state
            .store
            .periods(school_id, y)
            .await?
            .into_iter()
            .find(|p| p.id == period_id)
        {
            found = Some(p);
            break;
        }
    }
    Ok(found)
}

/// The proposed and set period marks of a group in a subject.
#[utoipa::path(
    get,
    path = "/api/v1/journal/period-marks",
    tag = "journal",
    params(PeriodMarksQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Each student's average, proposal and period mark", body = PeriodMarksOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see journals", body = ErrorBody),
        (status = 404, description = "No such school, group, subject or period in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_period_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PeriodMarksQuery>,
) -> Result<Json<PeriodMarksOut>, AppError> {
    let school = school_of(&state, &ctx, Action::ViewJournal, q.school_id).await?;
    let key = format!("{}:{}:{}", q.group_id, q.subject_id, q.period_id);
    let period = period_of(&state, &school, q.period_id).await?;
    let Some(period) = period else {
        return Err(crate::routes::deny_object(&state, &ctx, "journal", &key).await);
    };
    if !may_view(&state, &ctx, &school, q.group_id, q.subject_id).await? {
        return Err(crate::routes::deny_object(&state, &ctx, "journal", &key).await);
    }
    let j = state
        .store
        .journal(
            school.id,
            q.group_id,
            q.subject_id,
            &period.start_date,
            &period.end_date,
        )
        .await?;
    let settings = state.store.grading_settings(school.id).await?;
    let weights = weights_of(&state.store.work_types(school.id).await?);
    let set = state
        .store
        .period_marks(school.id, period.id, q.subject_id)
        .await?;
    let students = state.store.group_members(school.id, q.group_id).await?;
    let cells = Cells::new(&j, 0);
    let grading = crate::journal::grading_of(&state, school.id, q.group_id, q.subject_id).await?;
    Ok(Json(PeriodMarksOut {
        period_id: period.id,
        period: period.name.clone(),
        closed: period.closed_at.is_some(),
        students: students
            .iter()
            .map(|p| {
                let proposal = cells.proposal(p.id, grading, &settings.rules, &weights);
                PeriodMarkOut {
                    person_id: p.id,
                    student: p.full_name(),
                    marks: proposal.average.as_ref().map_or(0, |a| a.count),
                    average: proposal
                        .average
                        .as_ref()
                        .map_or(String::new(), |a| a.display()),
                    explanation: proposal
                        .average
                        .as_ref()
                        .map_or(String::new(), |a| a.explanation.clone()),
                    proposed: proposal.mark.map(|m| m.code()).unwrap_or_default(),
                    below_minimum: proposal.below_minimum,
                    value: set
                        .iter()
                        .find(|m| m.person_id == p.id)
                        .map(|m| m.value.clone()),
                }
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodMarkIn {
    pub person_id: i64,
    /// `5`, `4`, `3`, `2`, `зач`, `незач`, `н/а`, `осв`…; `null` removes the period mark.
    pub value: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodMarksIn {
    pub school_id: Option<i64>,
    pub group_id: i64,
    pub subject_id: i64,
    pub period_id: i64,
    #[serde(default)]
    pub marks: Vec<PeriodMarkIn>,
    /// Also give every student still without a period mark the proposed one, where there
    /// is a basis for it: nothing is proposed below the school's minimum of marks, and
    /// «н/а» is the teacher's own decision.
    #[serde(default)]
    pub accept_proposals: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodMarksSaved {
    /// How many period marks were set or removed.
    pub saved: usize,
}

/// Sets period marks of a group in a subject: all or nothing — a value the scale refuses,
/// or a closed period, refuses the whole request with a message per student.
#[utoipa::path(
    put,
    path = "/api/v1/journal/period-marks",
    tag = "journal",
    request_body = PeriodMarksIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = PeriodMarksSaved),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not fill journals", body = ErrorBody),
        (status = 404, description = "Not the caller's group and subject, or no such period or student", body = ErrorBody),
        (status = 422, description = "A value off the scale or a closed period; `fields` has `person_id:{id}`", body = ErrorBody),
    )
)]
pub async fn put_period_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<PeriodMarksIn>,
) -> Result<Json<PeriodMarksSaved>, AppError> {
    let school = school_of(&state, &ctx, Action::EditJournal, body.school_id).await?;
    let settings = state.store.grading_settings(school.id).await?;
    // Checked first, so a bad value changes nothing (the page saves what it can; an API
    // client gets all or nothing).
    let mut invalid = Vec::new();
    let grading =
        crate::journal::grading_of(&state, school.id, body.group_id, body.subject_id).await?;
    for m in &body.marks {
        if let Some(v) = m.value.as_deref()
            && let Err(key) = crate::journal::parse_period_mark(&settings, grading, v)
        {
            invalid.push((
                format!("person_id:{}", m.person_id),
                ctx.t().s(key).to_owned(),
            ));
        }
    }
    if !invalid.is_empty() {
        return Err(AppError::Validation(invalid));
    }
    let changed: Vec<(i64, String)> = body
        .marks
        .iter()
        .map(|m| (m.person_id, m.value.clone().unwrap_or_default()))
        .collect();
    let mut refused = Vec::new();
    let saved = set_period_marks(
        &state,
        &ctx,
        &school,
        (body.group_id, body.subject_id, body.period_id),
        changed,
        body.accept_proposals,
        &mut refused,
    )
    .await?;
    if !refused.is_empty() {
        return Err(AppError::Validation(
            refused
                .into_iter()
                .map(|(person, _, message)| (format!("person_id:{person}"), message))
                .collect(),
        ));
    }
    Ok(Json(PeriodMarksSaved { saved }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearMarksQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// A class or a subgroup.
    pub group_id: i64,
    pub subject_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct YearFieldOut {
    /// The mark set; empty if none.
    pub value: String,
    /// What Zhurnal proposes (the year mark from the period marks; the final mark from the
    /// year and exam marks, or in grade 11 from grades 10 and 11); empty if it cannot yet.
    pub proposed: String,
}

#[derive(Serialize, ToSchema)]
pub struct YearRowOut {
    pub person_id: i64,
    pub student: String,
    /// The period marks of the year, in the order of `periods`.
    pub periods: Vec<String>,
    pub year: YearFieldOut,
    /// Grade 9 only.
    pub exam: Option<YearFieldOut>,
    /// Grades 9 and 11 only.
    pub final_mark: Option<YearFieldOut>,
}

#[derive(Serialize, ToSchema)]
pub struct YearMarksOut {
    pub periods: Vec<String>,
    /// Whether the caller may set them now.
    pub editable: bool,
    /// Why not, when they may not (the last period has not begun, or is closed).
    pub locked: String,
    pub students: Vec<YearRowOut>,
}

/// The year (and exam and final) marks of a group in a subject, with the period marks and
/// what Zhurnal proposes.
#[utoipa::path(
    get,
    path = "/api/v1/journal/year-marks",
    tag = "journal",
    params(YearMarksQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The year's marks", body = YearMarksOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see journals", body = ErrorBody),
        (status = 404, description = "No such school, group or subject in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_year_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearMarksQuery>,
) -> Result<Json<YearMarksOut>, AppError> {
    let school = school_of(&state, &ctx, Action::ViewJournal, q.school_id).await?;
    let page = crate::pages::year_marks::build(
        &state,
        &ctx,
        &school,
        q.group_id,
        q.subject_id,
        &Default::default(),
    )
    .await?;
    let field = |f: &crate::pages::year_marks::Field| YearFieldOut {
        value: f.value.clone(),
        proposed: f.proposed.clone(),
    };
    Ok(Json(YearMarksOut {
        editable: page.editable,
        locked: page.locked.clone(),
        students: page
            .rows
            .iter()
            .map(|r| YearRowOut {
                person_id: r.person_id,
                student: r.name.clone(),
                periods: r.periods.clone(),
                year: field(&r.year),
                exam: page.with_exam.then(|| field(&r.exam)),
                final_mark: page.with_final.then(|| field(&r.final_mark)),
            })
            .collect(),
        periods: page.period_names,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearMarkIn {
    pub person_id: i64,
    /// `year`, `exam` (grade 9) or `final` (grades 9 and 11).
    pub kind: String,
    /// A mark on the school's scale; `null` removes it.
    pub value: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearMarksIn {
    pub school_id: Option<i64>,
    pub group_id: i64,
    pub subject_id: i64,
    #[serde(default)]
    pub marks: Vec<YearMarkIn>,
    /// Also set every proposed year and final mark where none is set yet.
    #[serde(default)]
    pub accept_proposals: bool,
}

/// Sets year, exam and final marks (the teacher of the group in the subject, from the start
/// of the year's last period until it is closed): all or nothing.
#[utoipa::path(
    put,
    path = "/api/v1/journal/year-marks",
    tag = "journal",
    request_body = YearMarksIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = PeriodMarksSaved),
        (status = 400, description = "Malformed body or an unknown kind", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not fill journals", body = ErrorBody),
        (status = 404, description = "Not the caller's group and subject now, or not its student", body = ErrorBody),
        (status = 422, description = "A value off the scale; `fields` has `person_id:{id}:{kind}`", body = ErrorBody),
    )
)]
pub async fn put_year_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<YearMarksIn>,
) -> Result<Json<PeriodMarksSaved>, AppError> {
    let school = school_of(&state, &ctx, Action::EditJournal, body.school_id).await?;
    let page = crate::pages::year_marks::build(
        &state,
        &ctx,
        &school,
        body.group_id,
        body.subject_id,
        &Default::default(),
    )
    .await?;
    let key = format!("{}:{}", body.group_id, body.subject_id);
    if !page.editable {
        return Err(crate::routes::deny_object(&state, &ctx, "journal", &key).await);
    }
    let settings = state.store.grading_settings(school.id).await?;
    let grading =
        crate::journal::grading_of(&state, school.id, body.group_id, body.subject_id).await?;
    let mut changes = Vec::new();
    let mut invalid = Vec::new();
    for m in &body.marks {
        let allowed = match m.kind.as_str() {
            "year" => true,
            "exam" => page.with_exam,
            "final" => page.with_final,
            _ => false,
        };
        if !allowed {
            return Err(AppError::BadRequest(format!(
                "kind: year{}{}, not «{}»",
                if page.with_exam { ", exam" } else { "" },
                if page.with_final { ", final" } else { "" },
                m.kind
            )));
        }
        if !page.rows.iter().any(|r| r.person_id == m.person_id) {
            return Err(crate::routes::deny_object(
                &state,
                &ctx,
                "student",
                &m.person_id.to_string(),
            )
            .await);
        }
        let value = m.value.clone().unwrap_or_default();
        if !value.is_empty()
            && let Err(k) = crate::journal::parse_period_mark(&settings, grading, &value)
        {
            invalid.push((
                format!("person_id:{}:{}", m.person_id, m.kind),
                ctx.t().s(k).to_owned(),
            ));
        }
        changes.push((m.kind.clone(), m.person_id, value));
    }
    if !invalid.is_empty() {
        return Err(AppError::Validation(invalid));
    }
    if body.accept_proposals {
        for r in &page.rows {
            for (kind, f, shown) in [
                ("year", &r.year, true),
                ("final", &r.final_mark, page.with_final),
            ] {
                let asked = changes.iter().any(|c| c.0 == kind && c.1 == r.person_id);
                if shown && !asked && f.value.is_empty() && !f.proposed.is_empty() {
                    changes.push((kind.to_owned(), r.person_id, f.proposed.clone()));
                }
            }
        }
    }
    let (saved, _) = crate::pages::year_marks::save_year_marks(
        &state,
        &ctx,
        &school,
        (body.group_id, body.subject_id),
        &page,
        changes,
    )
    .await?;
    Ok(Json(PeriodMarksSaved { saved }))
}
