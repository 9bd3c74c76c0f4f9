//! `GET /api/v1/diary/week`: a student's week as the diary shows it — lessons with times,
//! topics, homework, marks and absences — for the student themself or a parent's child.
//! The same choice of child and the same privacy rules as the diary page: another child is
//! 404 (audited), a refusal of electronic access or a departure 403 with why.

use super::ErrorBody;
use crate::ctx::Ctx;
use crate::diary::pick;
use crate::pages::diary::week_page;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// The child (a person id); default: the first one the caller may see.
    pub child: Option<String>,
    /// Any day of the week wanted (YYYY-MM-DD); default: today in the school's zone.
    pub date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MarkOut {
    pub value: String,
    /// The work type's abbreviation («КР»).
    pub work_type: String,
    pub weight: i32,
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct LessonOut {
    pub number: i32,
    /// «08:30–09:15» in the school's zone.
    pub time: String,
    pub subject: String,
    pub teacher: String,
    pub room: String,
    pub cancelled: bool,
    pub topic: String,
    pub homework: String,
    /// When the homework is due, as the diary writes it.
    pub homework_due: String,
    pub marks: Vec<MarkOut>,
    /// «н (болезнь)», «опоздание» or empty.
    pub absence: String,
}

#[derive(Serialize, ToSchema)]
pub struct DayOut {
    /// YYYY-MM-DD.
    pub date: String,
    pub title: String,
    pub today: bool,
    /// A holiday's or weekend's name when there are no lessons.
    pub off: String,
    pub lessons: Vec<LessonOut>,
}

#[derive(Serialize, ToSchema)]
pub struct WeekOut {
    pub student_id: i64,
    pub student: String,
    pub days: Vec<DayOut>,
}

#[utoipa::path(
    get,
    path = "/api/v1/diary/week",
    tag = "diary",
    params(WeekQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The week", body = WeekOut),
        (status = 400, description = "A malformed date", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or no electronic access for this child (the detail says why)", body = ErrorBody),
        (status = 404, description = "No such child of the caller", body = ErrorBody),
    )
)]
pub async fn get_week(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WeekQuery>,
) -> Result<Json<WeekOut>, AppError> {
    let (pupil, all) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    let page = week_page(&state, &ctx, &pupil, &all, q.date.as_deref()).await?;
    Ok(Json(WeekOut {
        student_id: pupil.person_id,
        student: page.heading.clone(),
        days: page
            .days
            .into_iter()
            .map(|d| DayOut {
                date: d.iso,
                title: d.title,
                today: d.today,
                off: d.off,
                lessons: d
                    .lessons
                    .into_iter()
                    .map(|l| LessonOut {
                        number: l.number,
                        time: l.time,
                        subject: l.subject,
                        teacher: l.teacher,
                        room: l.room,
                        cancelled: l.cancelled,
                        topic: l.topic,
                        homework: l.homework,
                        homework_due: l.due,
                        marks: l
                            .marks
                            .into_iter()
                            .map(|m| MarkOut {
                                value: m.value,
                                work_type: m.abbreviation,
                                weight: m.weight,
                                comment: m.comment,
                            })
                            .collect(),
                        absence: l.absence,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
