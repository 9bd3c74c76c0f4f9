//! The diary as JSON: `GET /api/v1/diary/week` (a student's week as the diary shows it —
//! lessons with times, topics, homework, marks and absences) and `GET /api/v1/diary/marks`
//! (a period's marks by subject with averages, and the year's period marks), for the
//! student themself or a parent's child.
//! The same choice of child and the same privacy rules as the diary page: another child is
//! 404 (audited), a refusal of electronic access or a departure 403 with why.

use super::ErrorBody;
use crate::ctx::Ctx;
use crate::diary::pick;
use crate::pages::diary::{marks_view, week_page};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
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
) -> Result<Response, AppError> {
    let (pupil, all) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    let page = week_page(&state, &ctx, &pupil, &all, q.date.as_deref()).await?;
    // The days are the same for the student and both parents until a write changes them,
    // so their JSON is written once with the kept week and only the envelope per request.
    let days = match page.week.json.get() {
        Some(days) => days,
        None => {
            let days = serde_json::to_string(&days_out(&page.week.days))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            page.week.json.get_or_init(|| days)
        }
    };
    let body = week_body(pupil.person_id, &page.heading, days)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// A [`WeekOut`] written around its days' JSON, already written.
fn week_body(student_id: i64, student: &str, days: &str) -> Result<String, serde_json::Error> {
    Ok(format!(
        "{{\"student_id\":{student_id},\"student\":{},\"days\":{days}}}",
        serde_json::to_string(student)?
    ))
}

/// The days of a kept week in the API's shape ([`WeekOut::days`]).
fn days_out(days: &[crate::pages::diary::DiaryDay]) -> Vec<DayOut> {
    days.iter()
        .map(|d| DayOut {
            date: d.iso.clone(),
            title: d.title.clone(),
            today: d.today,
            off: d.off.clone(),
            lessons: d
                .lessons
                .iter()
                .map(|l| LessonOut {
                    number: l.number,
                    time: l.time.clone(),
                    subject: l.subject.clone(),
                    teacher: l.teacher.clone(),
                    room: l.room.clone(),
                    cancelled: l.cancelled,
                    topic: l.topic.clone(),
                    homework: l.homework.clone(),
                    homework_due: l.due.clone(),
                    marks: l
                        .marks
                        .iter()
                        .map(|m| MarkOut {
                            value: m.value.clone(),
                            work_type: m.abbreviation.clone(),
                            weight: m.weight,
                            comment: m.comment.clone(),
                        })
                        .collect(),
                    absence: l.absence.clone(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MarksQuery {
    /// The child (a person id); default: the first one the caller may see.
    pub child: Option<String>,
    /// A reporting period's id; default: the one today falls in.
    pub period: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DatedMarkOut {
    /// The lesson's day, YYYY-MM-DD.
    pub date: String,
    pub value: String,
    /// The work type's abbreviation («КР»).
    pub work_type: String,
    pub weight: i32,
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectMarksOut {
    pub subject: String,
    pub marks: Vec<DatedMarkOut>,
    /// The average as the school computes it («4.67»), empty without numeric marks.
    pub average: String,
    /// How it was computed: «(5×2 + 4×1) / 3 = 4.67».
    pub explanation: String,
    /// The period mark the rules propose from the average.
    pub proposed: String,
    /// Fewer marks than the school's minimum for a period mark.
    pub below_minimum: bool,
    /// The period mark the teacher set, if set.
    pub confirmed: String,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodOut {
    pub id: i64,
    pub name: String,
    /// YYYY-MM-DD.
    pub start: String,
    pub end: String,
}

#[derive(Serialize, ToSchema)]
pub struct YearRowOut {
    pub subject: String,
    /// The period marks, one per period of `periods` (empty where none is set).
    pub marks: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MarksOut {
    pub student_id: i64,
    pub student: String,
    pub periods: Vec<PeriodOut>,
    /// The period shown.
    pub period_id: Option<i64>,
    pub subjects: Vec<SubjectMarksOut>,
    /// The year's table of period marks.
    pub year: Vec<YearRowOut>,
}

/// A student's marks of a period by subject, with averages, proposed and confirmed period
/// marks, and the year's period marks: what the diary's «Отметки» page shows.
#[utoipa::path(
    get,
    path = "/api/v1/diary/marks",
    tag = "diary",
    params(MarksQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The marks", body = MarksOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or no electronic access for this child (the detail says why)", body = ErrorBody),
        (status = 404, description = "No such child of the caller", body = ErrorBody),
    )
)]
pub async fn get_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MarksQuery>,
) -> Result<Json<MarksOut>, AppError> {
    let (pupil, _) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    let view = marks_view(&state, &ctx, &pupil, q.period.as_deref()).await?;
    Ok(Json(MarksOut {
        student_id: pupil.person_id,
        student: pupil.name.clone(),
        period_id: view.current.as_ref().map(|p| p.id),
        periods: view
            .periods
            .iter()
            .map(|p| PeriodOut {
                id: p.id,
                name: p.name.clone(),
                start: p.start_date.clone(),
                end: p.end_date.clone(),
            })
            .collect(),
        subjects: view
            .lines
            .into_iter()
            .map(|l| SubjectMarksOut {
                marks: l
                    .dates
                    .iter()
                    .zip(&l.marks)
                    .map(|(date, (_, b))| DatedMarkOut {
                        date: date.clone(),
                        value: b.value.clone(),
                        work_type: b.abbreviation.clone(),
                        weight: b.weight,
                        comment: b.comment.clone(),
                    })
                    .collect(),
                subject: l.subject,
                average: l.average,
                explanation: l.explanation,
                proposed: l.proposed,
                below_minimum: l.below_minimum,
                confirmed: l.confirmed,
            })
            .collect(),
        year: view
            .year_rows
            .into_iter()
            .map(|r| YearRowOut {
                subject: r.subject,
                marks: r.marks,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HomeworkQuery {
    /// The child (a person id); default: the first one the caller may see.
    pub child: Option<String>,
    /// First due day, YYYY-MM-DD; default: a week ago.
    pub from: Option<String>,
    /// Last due day, YYYY-MM-DD; default: two weeks from today; at most 100 days after `from`.
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HomeworkFileOut {
    pub id: i64,
    pub name: String,
    /// Where to download it with the same token.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct HomeworkOut {
    pub lesson_id: i64,
    pub subject: String,
    pub text: String,
    /// The day of the lesson it was set at, YYYY-MM-DD.
    pub given: String,
    /// The day it is due, YYYY-MM-DD.
    pub due: String,
    pub files: Vec<HomeworkFileOut>,
}

#[derive(Serialize, ToSchema)]
pub struct HomeworkListOut {
    pub student_id: i64,
    pub from: String,
    pub to: String,
    /// By due day, then subject.
    pub homework: Vec<HomeworkOut>,
}

/// A student's homework by due day, with the teachers' files.
#[utoipa::path(
    get,
    path = "/api/v1/diary/homework",
    tag = "diary",
    params(HomeworkQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The homework", body = HomeworkListOut),
        (status = 400, description = "A malformed date or a range over 100 days", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or no electronic access for this child", body = ErrorBody),
        (status = 404, description = "No such child of the caller", body = ErrorBody),
    )
)]
pub async fn get_homework(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HomeworkQuery>,
) -> Result<Json<HomeworkListOut>, AppError> {
    let (pupil, _) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    let school = &pupil.school;
    let today = zhurnal_core::clock::today_in(state.clock.now(), &school.time_zone);
    let from = match q.from.as_deref() {
        Some(raw) => super::parse_date("from", raw)?,
        None => today.saturating_sub(jiff::Span::new().days(7)),
    };
    let to = match q.to.as_deref() {
        Some(raw) => super::parse_date("to", raw)?,
        None => today.saturating_add(jiff::Span::new().days(14)),
    };
    if !(0..=100).contains(&(to - from).get_days()) {
        return Err(AppError::BadRequest(
            "to must be on or after from, at most 100 days later".into(),
        ));
    }
    let groups = state
        .store
        .person_groups(school.id, pupil.person_id)
        .await?;
    let rows = state
        .store
        .homework_due(school.id, &groups, &from.to_string(), &to.to_string())
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.lesson_id).collect();
    let files = state.store.files_of_lessons(school.id, &ids).await?;
    Ok(Json(HomeworkListOut {
        student_id: pupil.person_id,
        from: from.to_string(),
        to: to.to_string(),
        homework: rows
            .into_iter()
            .map(|r| HomeworkOut {
                files: files
                    .iter()
                    .filter(|f| f.lesson_id == r.lesson_id)
                    .map(|f| HomeworkFileOut {
                        id: f.id,
                        name: f.name.clone(),
                        url: format!("/api/v1/diary/files/{}?child={}", f.id, pupil.person_id),
                    })
                    .collect(),
                lesson_id: r.lesson_id,
                subject: r.subject_name,
                text: r.homework,
                due: r.homework_due.unwrap_or_else(|| r.date.clone()),
                given: r.date,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The child (a person id); default: the first one the caller may see.
    pub child: Option<String>,
}

/// A file the teacher attached to a lesson of the student's (homework material), as a
/// download.
#[utoipa::path(
    get,
    path = "/api/v1/diary/files/{id}",
    tag = "diary",
    params(("id" = i64, Path, description = "The file"), FileQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or no electronic access for this child", body = ErrorBody),
        (status = 404, description = "No such file of the child's lessons", body = ErrorBody),
    )
)]
pub async fn get_file(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(raw): axum::extract::Path<String>,
    Query(q): Query<FileQuery>,
) -> Result<axum::response::Response, AppError> {
    let (pupil, _) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    let Ok(id) = raw.parse::<i64>() else {
        return Err(crate::routes::deny_object(&state, &ctx, "lesson_file", &raw).await);
    };
    crate::pages::diary::homework_file(&state, &ctx, &pupil, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_week_is_a_week_out() {
        let days = vec![DayOut {
            date: "2026-11-30".into(),
            title: "Понедельник, 30 ноября".into(),
            today: true,
            off: String::new(),
            lessons: vec![LessonOut {
                number: 1,
                time: "08:30–09:15".into(),
                subject: "Алгебра".into(),
                teacher: "Иванова А. П.".into(),
                room: "12".into(),
                cancelled: false,
                topic: "Графики \"функций\"".into(),
                homework: "№ 301\n№ 302".into(),
                homework_due: String::new(),
                marks: vec![MarkOut {
                    value: "5".into(),
                    work_type: "КР".into(),
                    weight: 2,
                    comment: "<b>".into(),
                }],
                absence: String::new(),
            }],
        }];
        let written =
            week_body(7, "Петров \"Петя\"", &serde_json::to_string(&days).unwrap()).unwrap();
        let whole = WeekOut {
            student_id: 7,
            student: "Петров \"Петя\"".into(),
            days,
        };
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&written).unwrap(),
            serde_json::to_value(&whole).unwrap()
        );
    }
}
