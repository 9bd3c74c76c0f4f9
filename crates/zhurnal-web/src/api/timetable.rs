//! The timetable and the calendar through the API: the same data and rules as the pages.

use super::{ApiJson, ErrorBody, parse_date};
use crate::ctx::Ctx;
use crate::pages::changes::{ChangeForm, apply, setting, validate};
use crate::pages::timetable::pick_school;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_core::calendar::{Calendar, MovedDay};
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_store::LessonRow;

/// The longest range one request may ask for.
const MAX_DAYS: i64 = 62;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimetableQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// A class id (with its subgroups), or…
    pub class_id: Option<i64>,
    /// …a teacher's person id (lessons they give, or were replaced in).
    pub teacher_id: Option<i64>,
    /// First date, YYYY-MM-DD.
    pub from: String,
    /// Last date, YYYY-MM-DD; at most 62 days after `from`.
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct LessonOut {
    pub id: i64,
    pub date: String,
    pub number: i32,
    pub group_id: i64,
    pub group_name: String,
    pub subject_id: i64,
    pub subject_name: String,
    pub teacher_id: Option<i64>,
    pub teacher_name: Option<String>,
    pub room: String,
    /// `planned`, or `cancelled` for a lesson that no longer takes place but holds journal data.
    pub status: String,
    /// The timetable's teacher when a substitute gives the lesson.
    pub replaced_teacher_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TimetableOut {
    pub school_id: i64,
    pub lessons: Vec<LessonOut>,
}

pub(crate) fn lesson_out(l: LessonRow) -> LessonOut {
    let teacher_name = Some(l.teacher_short_name()).filter(|n| !n.is_empty());
    LessonOut {
        id: l.id,
        date: l.date,
        number: l.number,
        group_id: l.group_id,
        group_name: l.group_name,
        subject_id: l.subject_id,
        subject_name: l.subject_name,
        teacher_id: l.teacher_id,
        teacher_name,
        room: l.room,
        status: l.status,
        replaced_teacher_id: l.replaced_teacher_id,
    }
}

/// The lessons of a class or a teacher in a date range.
#[utoipa::path(
    get,
    path = "/api/v1/timetable",
    tag = "timetable",
    params(TimetableQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Lessons in date and number order", body = TimetableOut),
        (status = 400, description = "Bad dates, a range over 62 days, or neither class_id nor teacher_id", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see timetables", body = ErrorBody),
        (status = 404, description = "No such school, class or teacher in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_timetable(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TimetableQuery>,
) -> Result<Json<TimetableOut>, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewTimetable);
    let school_raw = q.school_id.map(|s| s.to_string());
    let (school, _) = pick_school(&state, &ctx, &reach, school_raw.as_deref()).await?;
    let (from, to) = (parse_date("from", &q.from)?, parse_date("to", &q.to)?);
    let days = (to - from).get_days();
    if !(0..=MAX_DAYS).contains(&i64::from(days)) {
        return Err(AppError::BadRequest(format!(
            "to must be on or after from, at most {MAX_DAYS} days later"
        )));
    }
    let lessons = match (q.class_id, q.teacher_id) {
        (Some(class), _) => {
            let year = study_year_of(from);
            if !state
                .store
                .school_classes(school.id, year)
                .await?
                .iter()
                .any(|c| c.id == class)
            {
                return Err(
                    crate::routes::deny_object(&state, &ctx, "class", &class.to_string()).await,
                );
            }
            state
                .store
                .class_lessons(school.id, class, from, to)
                .await?
        }
        (None, Some(teacher)) => {
            if !state
                .store
                .school_teachers(school.id)
                .await?
                .iter()
                .any(|p| p.id == teacher)
            {
                return Err(crate::routes::deny_object(
                    &state,
                    &ctx,
                    "teacher",
                    &teacher.to_string(),
                )
                .await);
            }
            state
                .store
                .teacher_lessons(school.id, teacher, from, to)
                .await?
        }
        (None, None) => return Err(AppError::BadRequest("give class_id or teacher_id".into())),
    };
    Ok(Json(TimetableOut {
        school_id: school.id,
        lessons: lessons.into_iter().map(lesson_out).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The academic year by the year it starts in (2026 for 2026/2027); default: the current one.
    pub year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct HolidayOut {
    pub name: String,
    pub start: String,
    pub end: String,
    /// The grades the holiday applies to.
    pub grades: Vec<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct MovedDayOut {
    pub date: String,
    /// `working` (a school day on another weekday's timetable) or `day_off`.
    pub kind: String,
    /// For `working`: 1 = Monday … 6 = Saturday.
    pub weekday: Option<i8>,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarOut {
    pub school_id: i64,
    pub study_year: i16,
    pub start: String,
    pub end: String,
    /// 5 or 6 school days a week (grade 1 always has 5).
    pub week_days: i8,
    pub holidays: Vec<HolidayOut>,
    pub moved_days: Vec<MovedDayOut>,
}

/// A school's academic-year calendar.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/calendar",
    tag = "timetable",
    params(("id" = i64, Path, description = "School id"), CalendarQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The calendar", body = CalendarOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see timetables", body = ErrorBody),
        (status = 404, description = "No such school in reach, or no calendar for that year", body = ErrorBody),
    )
)]
pub async fn get_calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<CalendarQuery>,
) -> Result<Json<CalendarOut>, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewTimetable);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(&id)).await?;
    let year = q
        .year
        .unwrap_or_else(|| study_year_of(today_in(state.clock.now(), &school.time_zone)));
    let cal = state
        .store
        .calendar(school.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(calendar_out(school.id, year, &cal)))
}

/// A calendar as the API shows it.
pub fn calendar_out(school_id: i64, year: i16, cal: &Calendar) -> CalendarOut {
    CalendarOut {
        school_id,
        study_year: year,
        start: cal.start.to_string(),
        end: cal.end.to_string(),
        week_days: if cal.week == zhurnal_core::calendar::StudyWeek::Six {
            6
        } else {
            5
        },
        holidays: cal
            .holidays
            .iter()
            .map(|h| HolidayOut {
                name: h.name.clone(),
                start: h.start.to_string(),
                end: h.end.to_string(),
                grades: (1..=11).filter(|g| h.grades.contains(*g)).collect(),
            })
            .collect(),
        moved_days: cal
            .moved
            .iter()
            .map(|m| match m {
                MovedDay::WorkingAs { date, weekday } => MovedDayOut {
                    date: date.to_string(),
                    kind: "working".into(),
                    weekday: Some(weekday.to_monday_one_offset()),
                    name: String::new(),
                },
                MovedDay::DayOff { date, name } => MovedDayOut {
                    date: date.to_string(),
                    kind: "day_off".into(),
                    weekday: None,
                    name: name.clone(),
                },
            })
            .collect(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeIn {
    pub school_id: i64,
    pub class_id: i64,
    /// The date of the lesson, YYYY-MM-DD.
    pub date: String,
    /// `substitute`, `cancel`, `move` or `extra`.
    pub kind: String,
    /// For substitute, cancel, move: the lesson's template entry (the number in its `origin`, `entry:N`).
    pub entry_id: Option<i64>,
    /// For substitute and extra.
    pub teacher_id: Option<i64>,
    /// For extra.
    pub subject_id: Option<i64>,
    /// For move: the new date.
    pub to_date: Option<String>,
    /// For move and extra: the lesson number, 1–12.
    pub number: Option<i16>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeOut {
    pub id: i64,
}

/// Records a one-off change (substitute, cancel, move, extra lesson); the lessons are derived again at once.
#[utoipa::path(
    post,
    path = "/api/v1/timetable/changes",
    tag = "timetable",
    request_body = ChangeIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded", body = ChangeOut),
        (status = 400, description = "Malformed body or unknown kind", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director changes the timetable", body = ErrorBody),
        (status = 404, description = "No such school or class in reach", body = ErrorBody),
        (status = 422, description = "The change breaks a rule; `fields` says which", body = ErrorBody),
    )
)]
pub async fn post_change(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(c): ApiJson<ChangeIn>,
) -> Result<(StatusCode, Json<ChangeOut>), AppError> {
    let date = parse_date("date", &c.date)?;
    let form = ChangeForm {
        csrf: String::new(),
        school: c.school_id.to_string(),
        class: c.class_id.to_string(),
        date: date.to_string(),
        kind: c.kind.clone(),
        lesson: c.entry_id.map(|v| v.to_string()).unwrap_or_default(),
        teacher: c.teacher_id.map(|v| v.to_string()).unwrap_or_default(),
        subject: c.subject_id.map(|v| v.to_string()).unwrap_or_default(),
        to_date: c.to_date.clone().unwrap_or_default(),
        number: c.number.map(|v| v.to_string()).unwrap_or_default(),
        reason: c.reason.clone(),
    };
    let s = setting(
        &state,
        &ctx,
        Some(&form.school),
        Some(&form.class),
        Some(&form.date),
    )
    .await?;
    match validate(&state, &s, &form).await? {
        Ok(change) => {
            let id = apply(&state, &ctx, &s, change, &c.kind, &c.reason).await?;
            Ok((StatusCode::CREATED, Json(ChangeOut { id })))
        }
        Err(e) => {
            let t = ctx.t();
            Err(AppError::Validation(
                e.fields()
                    .into_iter()
                    .map(|(f, k)| (f.to_owned(), t.s(k).to_owned()))
                    .collect(),
            ))
        }
    }
}
