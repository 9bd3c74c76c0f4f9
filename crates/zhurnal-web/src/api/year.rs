//! Preparing an academic year through the API (§2.3–§2.5): the calendar (and the next year
//! from this one in one step), the curriculum plan of a parallel, classes and subgroups, and
//! the teaching load. The same checks, messages and audit as the deputy's pages: each write
//! goes through the very function the page uses.

use super::timetable::{CalendarOut, calendar_out};
use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::timetable::pick_school;
use crate::pages::{calendar, classes, curriculum, load};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_core::calendar::{Calendar, CalendarError, Grades, Holiday, MovedDay, StudyWeek};
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::curriculum::{Grading, max_weekly_hours};
use zhurnal_store::{SchoolRow, short_name};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The academic year by the year it starts in (2026 for 2026/2027); default: the current one.
    pub year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

async fn school_year(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    year: Option<i16>,
) -> Result<(SchoolRow, i16), AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(state, ctx, &reach, Some(id)).await?;
    let year =
        year.unwrap_or_else(|| study_year_of(today_in(state.clock.now(), &school.time_zone)));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::BadRequest("year: expected 2000–2100".into()));
    }
    Ok((school, year))
}

fn invalid(ctx: &Ctx, field: &str, key: &str) -> AppError {
    AppError::Validation(vec![(field.to_owned(), ctx.t().s(key).to_owned())])
}

// ---------------------------------------------------------------- calendar

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayIn {
    pub name: String,
    pub start: String,
    pub end: String,
    /// The grades it applies to; all (1–11) when absent.
    pub grades: Option<Vec<i16>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovedDayIn {
    pub date: String,
    /// `working` (a school day on another weekday's timetable) or `day_off`.
    pub kind: String,
    /// For `working`: 1 = Monday … 6 = Saturday.
    pub weekday: Option<i8>,
    /// For `day_off`: its name.
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarIn {
    pub start: String,
    pub end: String,
    /// 5 or 6 school days a week.
    pub week_days: i8,
    #[serde(default)]
    pub holidays: Vec<HolidayIn>,
    #[serde(default)]
    pub moved_days: Vec<MovedDayIn>,
}

/// The calendar from its JSON, or the problems by field.
fn calendar_in(ctx: &Ctx, year: i16, body: &CalendarIn) -> Result<Calendar, AppError> {
    let t = ctx.t();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut bad = |field: String, key: &str| fields.push((field, t.s(key).to_owned()));
    let date = |raw: &str| raw.trim().parse::<Date>().ok();
    let (start, end) = (date(&body.start), date(&body.end));
    if start.is_none() {
        bad("start".into(), "calendar.bad_dates");
    }
    if end.is_none() {
        bad("end".into(), "calendar.bad_dates");
    }
    if start.is_some_and(|s| study_year_of(s) != year) {
        bad("start".into(), "calendar.start_in_year");
    }
    let week = match body.week_days {
        5 => StudyWeek::Five,
        6 => StudyWeek::Six,
        _ => {
            bad("week_days".into(), "api.week_days");
            StudyWeek::Five
        }
    };
    let mut holidays = Vec::new();
    for (i, h) in body.holidays.iter().enumerate() {
        let grades = match &h.grades {
            None => Some(Grades::ALL),
            Some(list) if !list.is_empty() && list.iter().all(|g| (1..=11).contains(g)) => Some(
                Grades(list.iter().fold(0, |bits, g| bits | Grades::only(*g).0)),
            ),
            Some(_) => None,
        };
        match (date(&h.start), date(&h.end), grades) {
            (Some(start), Some(end), Some(grades)) => holidays.push(Holiday {
                name: h.name.trim().to_owned(),
                start,
                end,
                grades,
            }),
            (_, _, None) => bad(format!("holidays[{i}].grades"), "calendar.bad_grades"),
            _ => bad(format!("holidays[{i}]"), "calendar.bad_dates"),
        }
    }
    let mut moved = Vec::new();
    for (i, m) in body.moved_days.iter().enumerate() {
        let Some(day) = date(&m.date) else {
            bad(format!("moved_days[{i}].date"), "calendar.bad_dates");
            continue;
        };
        if moved.iter().any(|d: &MovedDay| match d {
            MovedDay::WorkingAs { date, .. } | MovedDay::DayOff { date, .. } => *date == day,
        }) {
            bad(format!("moved_days[{i}].date"), "calendar.moved_twice");
            continue;
        }
        match m.kind.as_str() {
            "working" => match m
                .weekday
                .and_then(|w| Weekday::from_monday_one_offset(w).ok())
            {
                Some(weekday) => moved.push(MovedDay::WorkingAs { date: day, weekday }),
                None => bad(format!("moved_days[{i}].weekday"), "calendar.pick_weekday"),
            },
            "day_off" if !m.name.trim().is_empty() => moved.push(MovedDay::DayOff {
                date: day,
                name: m.name.trim().to_owned(),
            }),
            "day_off" => bad(format!("moved_days[{i}].name"), "calendar.name_day_off"),
            _ => bad(format!("moved_days[{i}].kind"), "api.moved_kind"),
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let (Some(start), Some(end)) = (start, end) else {
        unreachable!("both dates parsed, or a field error returned above")
    };
    // Checked in the order given, so that an index names the line the client sent.
    let mut cal = Calendar {
        start,
        end,
        week,
        holidays,
        moved,
    };
    let problems: Vec<(String, String)> = cal
        .check()
        .into_iter()
        .map(|e| {
            let field = match e {
                CalendarError::YearReversed => "end".to_owned(),
                CalendarError::HolidayReversed(i)
                | CalendarError::HolidayOutsideYear(i)
                | CalendarError::HolidayUnnamed(i)
                | CalendarError::HolidayNameLong(i) => format!("holidays[{i}]"),
                CalendarError::WorkingAsSunday(i)
                | CalendarError::MovedOutsideYear(i)
                | CalendarError::MovedNameLong(i) => {
                    format!("moved_days[{i}]")
                }
            };
            (field, t.s(calendar::error_key(e)).to_owned())
        })
        .collect();
    if problems.is_empty() {
        cal.holidays.sort_by_key(|h| h.start);
        cal.moved.sort_by_key(|m| match m {
            MovedDay::WorkingAs { date, .. } | MovedDay::DayOff { date, .. } => *date,
        });
        Ok(cal)
    } else {
        Err(AppError::Validation(problems))
    }
}

/// Saves a school's calendar of an academic year as a whole; the year's lessons are derived
/// again. Holidays and moved days are given in full (what is left out is removed).
#[utoipa::path(
    put,
    path = "/api/v1/schools/{id}/calendar",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), YearQuery),
    request_body = CalendarIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = CalendarOut),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director edits the calendar", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
        (status = 422, description = "Problems by field (`start`, `holidays[i]`, `moved_days[i].weekday`…); nothing saved", body = ErrorBody),
    )
)]
pub async fn put_calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
    ApiJson(body): ApiJson<CalendarIn>,
) -> Result<Json<CalendarOut>, AppError> {
    let (school, year) = school_year(&state, &ctx, &id, q.year).await?;
    let cal = calendar_in(&ctx, year, &body)?;
    let existing = state.store.calendar(school.id, year).await?;
    calendar::store_calendar(
        &state,
        &ctx,
        &school,
        (year, year),
        existing.as_ref(),
        &cal,
        "api",
    )
    .await?;
    Ok(Json(calendar_out(school.id, year, &cal)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextYearIn {
    /// The year to copy from (2026 for 2026/2027); the new one is the year after.
    pub from_year: i16,
}

/// Creates next academic year's calendar from this one in one step: the same holidays and
/// moved days shifted to the new year's dates, to be corrected afterwards.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/calendar/next",
    tag = "setup",
    params(("id" = i64, Path, description = "School id")),
    request_body = NextYearIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new year's calendar", body = CalendarOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director edits the calendar", body = ErrorBody),
        (status = 404, description = "No such school in reach, or no calendar for `from_year`", body = ErrorBody),
        (status = 422, description = "The next year already has a calendar", body = ErrorBody),
    )
)]
pub async fn post_next_year(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NextYearIn>,
) -> Result<(StatusCode, Json<CalendarOut>), AppError> {
    let (school, year) = school_year(&state, &ctx, &id, Some(body.from_year)).await?;
    let cal = state
        .store
        .calendar(school.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    if state.store.calendar(school.id, year + 1).await?.is_some() {
        return Err(invalid(&ctx, "from_year", "calendar.next_exists"));
    }
    let next = cal.next_year();
    calendar::store_calendar(
        &state,
        &ctx,
        &school,
        (year, year + 1),
        Some(&cal),
        &next,
        "next_year",
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(calendar_out(school.id, year + 1, &next)),
    ))
}

// ---------------------------------------------------------------- curriculum

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// The academic year (2026 for 2026/2027); default: the current one.
    pub year: Option<i16>,
    /// The parallel, 1–11.
    pub parallel: i16,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLine {
    pub subject_id: i64,
    /// Present in answers only.
    #[serde(default, skip_deserializing)]
    pub subject_name: String,
    /// Weekly hours, 0–10 (0: not taught in this parallel).
    pub hours_per_week: i32,
    /// `five_point`, `pass_fail` or `none`.
    pub grading: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanOut {
    pub study_year: i16,
    pub parallel: i16,
    /// The most weekly hours this parallel may have (СанПиН, by the school's week).
    pub max_hours: i16,
    pub total_hours: i32,
    /// Every subject of the school, with its hours in this parallel.
    pub lines: Vec<PlanLine>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    /// The lines to keep; subjects left out are not taught in this parallel.
    pub lines: Vec<PlanLine>,
}

async fn plan_out(
    state: &AppState,
    school: &SchoolRow,
    year: i16,
    parallel: i16,
) -> Result<PlanOut, AppError> {
    let rows = state.store.curriculum(school.id, year, parallel).await?;
    let lines: Vec<PlanLine> = rows
        .into_iter()
        .map(|r| PlanLine {
            subject_id: r.subject_id,
            subject_name: r.subject_name,
            hours_per_week: r.hours_per_week.unwrap_or(0),
            grading: r.grading.unwrap_or_else(|| "five_point".into()),
        })
        .collect();
    Ok(PlanOut {
        study_year: year,
        parallel,
        max_hours: max_weekly_hours(parallel, curriculum::week_of(school)),
        total_hours: lines.iter().map(|l| l.hours_per_week).sum(),
        lines,
    })
}

fn check_parallel(parallel: i16) -> Result<(), AppError> {
    if (1..=11).contains(&parallel) {
        Ok(())
    } else {
        Err(AppError::BadRequest("parallel: expected 1–11".into()))
    }
}

/// The curriculum plan of a parallel: weekly hours and grading per subject.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/curriculum",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), PlanQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan", body = PlanOut),
        (status = 400, description = "Bad parallel or year", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not edit school setup", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
    )
)]
pub async fn get_curriculum(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Json<PlanOut>, AppError> {
    check_parallel(q.parallel)?;
    let (school, year) = school_year(&state, &ctx, &id, q.year).await?;
    Ok(Json(plan_out(&state, &school, year, q.parallel).await?))
}

/// Saves the plan of a parallel as a whole, checked against the weekly maximum.
#[utoipa::path(
    put,
    path = "/api/v1/schools/{id}/curriculum",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), PlanQuery),
    request_body = PlanIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = PlanOut),
        (status = 400, description = "Malformed body, bad parallel or year", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director edits the plan", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
        (status = 422, description = "Problems by line (`lines[i]`) or over the weekly maximum (`lines`); nothing saved", body = ErrorBody),
    )
)]
pub async fn put_curriculum(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
    ApiJson(body): ApiJson<PlanIn>,
) -> Result<Json<PlanOut>, AppError> {
    check_parallel(q.parallel)?;
    let (school, year) = school_year(&state, &ctx, &id, q.year).await?;
    let t = ctx.t();
    let subjects = state.store.school_subjects(school.id).await?;
    let mut fields = Vec::new();
    let mut rows: Vec<(i64, i32, &'static str)> = Vec::new();
    for (i, l) in body.lines.iter().enumerate() {
        let field = format!("lines[{i}]");
        let grading = Grading::parse(&l.grading);
        if !subjects.iter().any(|s| s.0 == l.subject_id) {
            fields.push((field, t.s("import.unknown_subject").to_owned()));
        } else if rows.iter().any(|r| r.0 == l.subject_id) {
            fields.push((field, t.s("api.subject_twice").to_owned()));
        } else if !(0..=10).contains(&l.hours_per_week) {
            fields.push((field, t.s("curriculum.bad_hours").to_owned()));
        } else if let Some(g) = grading {
            if l.hours_per_week > 0 {
                rows.push((l.subject_id, l.hours_per_week, g.code()));
            }
        } else {
            fields.push((field, t.s("api.grading").to_owned()));
        }
    }
    let total: i32 = rows.iter().map(|r| r.1).sum();
    let max = max_weekly_hours(q.parallel, curriculum::week_of(&school));
    if fields.is_empty() && total > i32::from(max) {
        fields.push((
            "lines".into(),
            format!("{} {total} > {max}.", t.s("curriculum.over_max")),
        ));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    curriculum::store_curriculum(&state, &ctx, &school, (year, q.parallel), &rows, total).await?;
    Ok(Json(plan_out(&state, &school, year, q.parallel).await?))
}

// ---------------------------------------------------------------- classes

#[derive(Serialize, ToSchema)]
pub struct SubgroupOut {
    pub id: i64,
    pub name: String,
    pub students: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ClassOut {
    pub id: i64,
    pub name: String,
    pub parallel: i32,
    pub capacity: Option<i32>,
    pub class_teacher_id: Option<i64>,
    pub class_teacher_name: Option<String>,
    pub students: i64,
    pub subgroups: Vec<SubgroupOut>,
}

/// The classes of an academic year with their class teachers, sizes and subgroups.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/classes",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), YearQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Classes in parallel and letter order", body = Vec<ClassOut>),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not edit school setup", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
    )
)]
pub async fn get_classes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Vec<ClassOut>>, AppError> {
    let (school, year) = school_year(&state, &ctx, &id, q.year).await?;
    let overview = state.store.class_overview(school.id, year).await?;
    let subgroups = state.store.subgroups(school.id, year).await?;
    Ok(Json(
        overview
            .into_iter()
            .map(|c| ClassOut {
                subgroups: subgroups
                    .iter()
                    .filter(|g| g.parent_id == c.id)
                    .map(|g| SubgroupOut {
                        id: g.id,
                        name: g.name.clone(),
                        students: g.students,
                    })
                    .collect(),
                class_teacher_name: match (
                    &c.teacher_last_name,
                    &c.teacher_first_name,
                    &c.teacher_middle_name,
                ) {
                    (Some(a), Some(b), Some(m)) => Some(short_name(a, b, m)),
                    _ => None,
                },
                id: c.id,
                name: c.name,
                parallel: c.parallel,
                capacity: c.capacity,
                class_teacher_id: c.class_teacher_id,
                students: c.students,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassIn {
    /// The academic year (2026 for 2026/2027).
    pub study_year: i16,
    /// 1–11.
    pub parallel: i16,
    /// Free text, up to 10 characters («А», «Б», «инж»…); stored in capitals.
    pub letter: String,
    /// 1–40 students.
    pub capacity: i32,
    pub class_teacher_id: Option<i64>,
    /// 1 (default) or 2; grades 1, 5, 9, 10 and 11 study in the first shift only.
    pub shift: Option<i16>,
}

/// Creates a class of an academic year.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/classes",
    tag = "setup",
    params(("id" = i64, Path, description = "School id")),
    request_body = ClassIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director creates classes", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
        (status = 422, description = "A bad field, or the class exists; nothing saved", body = ErrorBody),
    )
)]
pub async fn post_class(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ClassIn>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let (school, year) = school_year(&state, &ctx, &id, Some(body.study_year)).await?;
    let teacher = body
        .class_teacher_id
        .map(|t| t.to_string())
        .unwrap_or_default();
    let raw = [
        body.parallel.to_string(),
        body.letter.clone(),
        body.capacity.to_string(),
        teacher,
        body.shift.unwrap_or(1).to_string(),
    ];
    match classes::add_class(
        &state,
        &ctx,
        &school,
        year,
        [&raw[0], &raw[1], &raw[2], &raw[3], &raw[4]],
    )
    .await?
    {
        Ok(id) => Ok((StatusCode::CREATED, Json(Created { id }))),
        Err(key) => {
            let field = match key {
                "classes.bad_parallel" => "parallel",
                "classes.bad_capacity" => "capacity",
                "classes.bad_teacher" => "class_teacher_id",
                "classes.bad_shift" | "classes.no_second_shift" => "shift",
                _ => "letter",
            };
            Err(invalid(&ctx, field, key))
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassEditIn {
    /// The new class teacher (the class_teacher role moves with it); none when absent.
    pub class_teacher_id: Option<i64>,
    /// 1–40 students.
    pub capacity: i32,
    /// 1 or 2; grades 1, 5, 9, 10 and 11 study in the first shift only.
    pub shift: i16,
}

/// Changes a class: class teacher, capacity, shift (all given).
#[utoipa::path(
    put,
    path = "/api/v1/schools/{id}/classes/{class}",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), ("class" = i64, Path, description = "Class id")),
    request_body = ClassEditIn,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director changes classes", body = ErrorBody),
        (status = 404, description = "No such school or class in reach", body = ErrorBody),
        (status = 422, description = "A bad field; nothing saved", body = ErrorBody),
    )
)]
pub async fn put_class(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, class)): Path<(String, i64)>,
    ApiJson(body): ApiJson<ClassEditIn>,
) -> Result<StatusCode, AppError> {
    let (school, _) = school_year(&state, &ctx, &id, None).await?;
    let raw = [
        body.class_teacher_id
            .map(|t| t.to_string())
            .unwrap_or_default(),
        body.capacity.to_string(),
        body.shift.to_string(),
    ];
    match classes::edit_class(&state, &ctx, &school, class, [&raw[0], &raw[1], &raw[2]]).await? {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(key) => {
            let field = match key {
                "classes.bad_capacity" => "capacity",
                "classes.bad_shift" | "classes.no_second_shift" => "shift",
                _ => "class_teacher_id",
            };
            Err(invalid(&ctx, field, key))
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubgroupIn {
    pub class_id: i64,
    /// «Английский, гр. 1», «Информатика 2»…
    pub name: String,
    /// Students of the class who study in it.
    pub member_ids: Vec<i64>,
}

/// Creates a subgroup of a class from some of its students.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/subgroups",
    tag = "setup",
    params(("id" = i64, Path, description = "School id")),
    request_body = SubgroupIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director creates subgroups", body = ErrorBody),
        (status = 404, description = "No such school or class in reach", body = ErrorBody),
        (status = 422, description = "No name, no members, a student not of the class, or the subgroup exists", body = ErrorBody),
    )
)]
pub async fn post_subgroup(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SubgroupIn>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let (school, _) = school_year(&state, &ctx, &id, None).await?;
    match classes::add_subgroup(
        &state,
        &ctx,
        &school,
        body.class_id,
        &body.name,
        &body.member_ids,
    )
    .await?
    {
        Ok(id) => Ok((StatusCode::CREATED, Json(Created { id }))),
        Err(key) => {
            let field = if key == "classes.no_members" {
                "member_ids"
            } else {
                "name"
            };
            Err(invalid(&ctx, field, key))
        }
    }
}

// ---------------------------------------------------------------- teaching load

#[derive(Serialize, ToSchema)]
pub struct LoadOut {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub subject_id: i64,
    pub subject_name: String,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub hours_per_week: i32,
}

/// The teaching load of an academic year: teacher × subject × class or subgroup × hours.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/load",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), YearQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The load", body = Vec<LoadOut>),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not edit school setup", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
    )
)]
pub async fn get_load(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Vec<LoadOut>>, AppError> {
    let (school, year) = school_year(&state, &ctx, &id, q.year).await?;
    let groups = state.store.group_classes(school.id).await?;
    let year_classes: std::collections::HashSet<i64> = state
        .store
        .school_classes(school.id, year)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    Ok(Json(
        state
            .store
            .teaching_load(school.id)
            .await?
            .into_iter()
            .filter(|l| {
                groups
                    .get(&l.group_id)
                    .is_some_and(|g| year_classes.contains(&g.0))
            })
            .map(|l| LoadOut {
                teacher_name: short_name(&l.last_name, &l.first_name, &l.middle_name),
                id: l.id,
                group_id: l.group_id,
                group_name: l.group_name,
                subject_id: l.subject_id,
                subject_name: l.subject_name,
                teacher_id: l.teacher_id,
                hours_per_week: l.hours_per_week,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadIn {
    /// A class or a subgroup.
    pub group_id: i64,
    pub subject_id: i64,
    pub teacher_id: i64,
    /// 1–10.
    pub hours_per_week: i32,
}

/// Adds a line of teaching load.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{id}/load",
    tag = "setup",
    params(("id" = i64, Path, description = "School id")),
    request_body = LoadIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director assigns the load", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
        (status = 422, description = "Unknown group, subject or teacher, bad hours, or the line exists", body = ErrorBody),
    )
)]
pub async fn post_load(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LoadIn>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let (school, _) = school_year(&state, &ctx, &id, None).await?;
    let ids = [
        body.group_id.to_string(),
        body.subject_id.to_string(),
        body.teacher_id.to_string(),
    ];
    match load::add_load(
        &state,
        &ctx,
        &school,
        [&ids[0], &ids[1], &ids[2]],
        &body.hours_per_week.to_string(),
    )
    .await?
    {
        Ok(id) => Ok((StatusCode::CREATED, Json(Created { id }))),
        Err(key) => {
            let field = if key == "load.bad_hours" {
                "hours_per_week"
            } else {
                "group_id"
            };
            Err(invalid(&ctx, field, key))
        }
    }
}

/// Removes a line of teaching load.
#[utoipa::path(
    delete,
    path = "/api/v1/schools/{id}/load/{line}",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), ("line" = i64, Path, description = "Load line id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director assigns the load", body = ErrorBody),
        (status = 404, description = "No such school or line in reach", body = ErrorBody),
    )
)]
pub async fn delete_load(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, line)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    let (school, _) = school_year(&state, &ctx, &id, None).await?;
    load::remove_load(&state, &ctx, &school, line).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- bells

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BellIn {
    /// 1, 2, 3… without gaps.
    pub number: i16,
    /// HH:MM in the school's zone.
    pub start: String,
    pub end: String,
}

#[derive(Serialize, ToSchema)]
pub struct BellScheduleOut {
    /// 1 or 2.
    pub shift: i8,
    /// 1 = Monday … 6 = Saturday; absent for every day of the shift.
    pub weekday: Option<i8>,
    pub bells: Vec<BellIn>,
}

/// Every bell schedule of the school: per shift, every day or one weekday.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{id}/bells",
    tag = "setup",
    params(("id" = i64, Path, description = "School id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Schedules by shift and weekday", body = Vec<BellScheduleOut>),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not edit school setup", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
    )
)]
pub async fn get_bells(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Vec<BellScheduleOut>>, AppError> {
    let (school, _) = school_year(&state, &ctx, &id, None).await?;
    let hm = |t: jiff::civil::Time| t.strftime("%H:%M").to_string();
    Ok(Json(
        state
            .store
            .bell_schedules(school.id)
            .await?
            .into_iter()
            .map(|s| BellScheduleOut {
                shift: s.shift,
                weekday: s.weekday,
                bells: s
                    .bells
                    .iter()
                    .map(|b| BellIn {
                        number: b.number,
                        start: hm(b.start),
                        end: hm(b.end),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BellsQuery {
    /// 1 (default) or 2, within the school's shifts.
    pub shift: Option<i8>,
    /// 1 = Monday … 6 = Saturday for a day's own bells; absent for every day.
    pub weekday: Option<i8>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BellsIn {
    pub bells: Vec<BellIn>,
}

#[derive(Serialize, ToSchema)]
pub struct BellsSaved {
    /// Local choices worth a look (no big break, short lessons…), in the user's language.
    pub warnings: Vec<String>,
}

/// Saves the bells of a shift (or one weekday of it), checked against the rules of the
/// school day: fixed rules refuse the save, local choices come back as warnings.
#[utoipa::path(
    put,
    path = "/api/v1/schools/{id}/bells",
    tag = "setup",
    params(("id" = i64, Path, description = "School id"), BellsQuery),
    request_body = BellsIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = BellsSaved),
        (status = 400, description = "Malformed body, or a shift or weekday the school does not have", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director edits the bells", body = ErrorBody),
        (status = 404, description = "No such school in reach", body = ErrorBody),
        (status = 422, description = "Problems by lesson (`bells[i]`) or for the whole day (`bells`); nothing saved", body = ErrorBody),
    )
)]
pub async fn put_bells(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<BellsQuery>,
    ApiJson(body): ApiJson<BellsIn>,
) -> Result<Json<BellsSaved>, AppError> {
    let (school, _) = school_year(&state, &ctx, &id, None).await?;
    let shift = q.shift.unwrap_or(1);
    if !(1..=school.shifts.clamp(1, 2) as i8).contains(&shift) {
        return Err(AppError::BadRequest(format!(
            "shift: the school has {} shift(s)",
            school.shifts
        )));
    }
    if q.weekday
        .is_some_and(|w| !(1..=school.study_week.clamp(5, 6) as i8).contains(&w))
    {
        return Err(AppError::BadRequest(
            "weekday: outside the school's study week".into(),
        ));
    }
    let t = ctx.t();
    let mut fields = Vec::new();
    let mut bells = Vec::new();
    for (i, b) in body.bells.iter().enumerate() {
        match (b.start.trim().parse(), b.end.trim().parse()) {
            (Ok(start), Ok(end)) => bells.push(zhurnal_core::bells::Bell {
                number: b.number,
                start,
                end,
            }),
            _ => fields.push((format!("bells[{i}]"), t.s("bells.msg_bad_time").to_owned())),
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let findings = zhurnal_core::bells::check(&bells);
    let index_of = |n: i16| bells.iter().position(|b| b.number == n);
    let mut warnings = Vec::new();
    for f in &findings {
        let text = t.s(crate::pages::bells::message(f.code)).to_owned();
        match f.severity {
            zhurnal_core::bells::Severity::Error => fields.push((
                f.lesson
                    .and_then(index_of)
                    .map_or("bells".to_owned(), |i| format!("bells[{i}]")),
                text,
            )),
            zhurnal_core::bells::Severity::Warning => warnings.push(text),
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    crate::pages::bells::store_bells(&state, &ctx, &school, (shift, q.weekday), &bells).await?;
    Ok(Json(BellsSaved { warnings }))
}
