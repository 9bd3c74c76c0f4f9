//! The teacher's own day through the API (§4.1), as on «Мои уроки» (`pages::mine`): today's
//! lessons, lessons still without a topic before their edit window closes, and students with
//! fewer marks than the school's minimum in the current period.

use super::timetable::LessonOut;
use super::{ErrorBody, school_of};
use crate::ctx::Ctx;
use crate::pages::mine::mine;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MissingOut {
    pub lesson: LessonOut,
    /// The last day the teacher can still write the topic, YYYY-MM-DD.
    pub until: String,
}

#[derive(Serialize, ToSchema)]
pub struct FewStudentOut {
    pub person_id: i64,
    pub name: String,
    pub marks: u16,
}

#[derive(Serialize, ToSchema)]
pub struct FewMarksOut {
    pub group_id: i64,
    pub subject_id: i64,
    /// «7Б · Алгебра».
    pub journal: String,
    pub period_id: i64,
    pub period: String,
    /// The period's last day, YYYY-MM-DD.
    pub period_end: String,
    pub students: Vec<FewStudentOut>,
}

#[derive(Serialize, ToSchema)]
pub struct MineOut {
    /// YYYY-MM-DD in the school's zone.
    pub today: String,
    pub lessons: Vec<LessonOut>,
    pub missing_topics: Vec<MissingOut>,
    /// The school's minimum of marks per period.
    pub min_marks: u16,
    pub few_marks: Vec<FewMarksOut>,
}

/// The caller's teaching day: today's lessons, topics still to write, students short of
/// marks.
#[utoipa::path(
    get,
    path = "/api/v1/journal/mine",
    tag = "journal",
    params(MineQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The teacher's day", body = MineOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not fill journals", body = ErrorBody),
        (status = 404, description = "No such school in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MineQuery>,
) -> Result<Json<MineOut>, AppError> {
    let school = school_of(&state, &ctx, Action::EditJournal, q.school_id).await?;
    let m = mine(&state, &ctx, &school).await?;
    Ok(Json(MineOut {
        today: m.today.to_string(),
        lessons: m
            .lessons
            .into_iter()
            .map(super::timetable::lesson_out)
            .collect(),
        missing_topics: m
            .missing
            .into_iter()
            .map(|(l, until)| MissingOut {
                lesson: super::timetable::lesson_out(l),
                until: until.to_string(),
            })
            .collect(),
        min_marks: m.min_marks,
        few_marks: m
            .few
            .into_iter()
            .map(|f| FewMarksOut {
                journal: format!("{} · {}", f.group_name, f.subject_name),
                group_id: f.group_id,
                subject_id: f.subject_id,
                period_id: f.period_id,
                period: f.period_name,
                period_end: f.period_end.to_string(),
                students: f
                    .students
                    .into_iter()
                    .map(|(person_id, name, marks)| FewStudentOut {
                        person_id,
                        name,
                        marks,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
