//! The week's timetable of a class or a teacher (§2.6): exactly the lessons that take place,
//! with substitutions, cancellations and holidays, for any date.

use super::{Chrome, html};
use crate::ctx::{Ctx, Reach};
use crate::routes::deny_object;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::bells::{Bell, bells_for};
use zhurnal_core::calendar::{Calendar, DayKind};
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_store::{LessonRow, SchoolRow};

#[derive(Deserialize, Default)]
pub struct WeekQuery {
    pub school: Option<String>,
    pub class: Option<String>,
    pub teacher: Option<String>,
    pub date: Option<String>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Cell {
    pub subject: String,
    /// The other side: the teacher in a class's timetable, the class in a teacher's.
    pub with: String,
    pub room: String,
    /// «замена: Петрова А. И.» / «заменяет Иванову…».
    pub note: String,
    pub cancelled: bool,
    /// The lesson's own times when they differ from the row's (another shift, a day with
    /// bells of its own).
    pub time: String,
}

pub struct Day {
    pub title: String,
    pub iso: String,
    pub today: bool,
    /// Holiday or weekend name when there are no lessons.
    pub off: String,
}

pub struct Row {
    pub number: i32,
    pub time: String,
    /// One list of lessons per day column.
    pub cells: Vec<Vec<Cell>>,
}

#[derive(Template)]
#[template(path = "timetable.html")]
pub struct TimetablePage {
    pub c: Chrome,
    pub heading: String,
    pub school_id: i64,
    pub schools: Vec<Choice>,
    pub classes: Vec<Choice>,
    pub teachers: Vec<Choice>,
    pub date: String,
    pub prev: String,
    pub next: String,
    pub this_week: String,
    pub days: Vec<Day>,
    pub rows: Vec<Row>,
    pub empty: bool,
}

/// What the week is of.
enum Subject {
    Class(i64, String),
    Teacher(i64, String),
}

/// The schools an actor may see timetables of, and the one asked for.
pub async fn pick_school(
    state: &AppState,
    ctx: &Ctx,
    reach: &Reach,
    asked: Option<&str>,
) -> Result<(SchoolRow, Vec<SchoolRow>), AppError> {
    let schools = super::schools::visible_schools_plain(state, reach).await?;
    let school = match asked.filter(|s| !s.is_empty()) {
        Some(raw) => {
            let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
            match schools.iter().find(|s| s.id == id) {
                Some(s) => s.clone(),
                None if state.store.school(id).await?.is_some() => {
                    return Err(deny_object(state, ctx, "school", raw).await);
                }
                None => return Err(AppError::NotFound),
            }
        }
        None => {
            let home = ctx.actor()?.home_school();
            schools
                .iter()
                .find(|s| Some(s.id) == home)
                .or(schools.first())
                .cloned()
                .ok_or(AppError::NotFound)?
        }
    };
    Ok((school, schools))
}

pub(crate) fn monday_of(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
}

pub(crate) fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

pub async fn timetable_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WeekQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let reach = actor.reach(Action::ViewTimetable);
    let (school, schools) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let date = match q.date.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => raw
            .parse::<Date>()
            .map_err(|_| AppError::BadRequest(format!("bad date {raw}")))?,
        None => today,
    };
    let year = study_year_of(date);
    let classes = state.store.school_classes(school.id, year).await?;
    let teachers = state.store.school_teachers(school.id).await?;
    let parse_id = |raw: &Option<String>| {
        raw.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<i64>().map_err(|_| AppError::NotFound))
            .transpose()
    };
    let subject = match (parse_id(&q.class)?, parse_id(&q.teacher)?) {
        (Some(id), _) => match classes.iter().find(|c| c.id == id) {
            Some(c) => Subject::Class(c.id, c.name.clone()),
            None => return Err(deny_object(&state, &ctx, "class", &id.to_string()).await),
        },
        (None, Some(id)) => match teachers.iter().find(|p| p.id == id) {
            Some(p) => Subject::Teacher(p.id, p.short_name()),
            None => return Err(deny_object(&state, &ctx, "teacher", &id.to_string()).await),
        },
        // By default: one's own lessons, one's own class, or the first class.
        (None, None) => {
            if let Some(p) = teachers.iter().find(|p| p.id == actor.person_id) {
                Subject::Teacher(p.id, p.short_name())
            } else if let Some(c) = classes
                .iter()
                .find(|c| c.class_teacher_id == Some(actor.person_id))
                .or(classes.first())
            {
                Subject::Class(c.id, c.name.clone())
            } else {
                return Err(AppError::NotFound);
            }
        }
    };
    let monday = monday_of(date);
    let saturday = add_days(monday, 5);
    let lessons = match &subject {
        Subject::Class(id, _) => {
            state
                .store
                .class_lessons(school.id, *id, monday, saturday)
                .await?
        }
        Subject::Teacher(id, _) => {
            state
                .store
                .teacher_lessons(school.id, *id, monday, saturday)
                .await?
        }
    };
    let calendar = state.store.calendar(school.id, year).await?;
    // Times: the row shows the shift's every-day bells (the class's shift; the first for a
    // teacher); a lesson whose own bells differ shows them in its cell.
    let schedules = state.store.bell_schedules(school.id).await?;
    let shifts = state.store.class_shifts(school.id).await?;
    let groups = state.store.group_classes(school.id).await?;
    let shift_of = |group: i64| {
        let class = groups.get(&group).map_or(group, |g| g.0);
        shifts.get(&class).copied().unwrap_or(1)
    };
    let base_shift = match &subject {
        Subject::Class(id, _) => shift_of(*id),
        Subject::Teacher(..) => 1,
    };
    let bells = bells_for(&schedules, base_shift, 0);
    let time_of = |l: &LessonRow| {
        let weekday = l
            .date
            .parse::<Date>()
            .map_or(0, |d| d.weekday().to_monday_one_offset());
        bells_for(&schedules, shift_of(l.group_id), weekday)
            .iter()
            .find(|b| i32::from(b.number) == l.number)
            .map(span)
            .unwrap_or_default()
    };
    let grade = match &subject {
        Subject::Class(id, _) => classes
            .iter()
            .find(|c| c.id == *id)
            .map_or(5, |c| c.parallel as i16),
        Subject::Teacher(..) => 5,
    };
    let show_saturday = calendar
        .as_ref()
        .is_some_and(|c| matches!(c.day(saturday, grade), DayKind::Study { .. }))
        || lessons.iter().any(|l| l.date == saturday.to_string());
    let dates: Vec<Date> = (0..if show_saturday { 6 } else { 5 })
        .map(|i| add_days(monday, i))
        .collect();
    let days = dates
        .iter()
        .map(|d| day_header(&t, *d, today, calendar.as_ref(), grade))
        .collect();
    let max_number = lessons
        .iter()
        .map(|l| l.number)
        .chain(bells.iter().map(|b| i32::from(b.number)))
        .max()
        .unwrap_or(6);
    let mut rows = Vec::new();
    for number in 1..=max_number {
        let time = bells
            .iter()
            .find(|b| i32::from(b.number) == number)
            .map(span)
            .unwrap_or_default();
        let cells = dates
            .iter()
            .map(|d| {
                let iso = d.to_string();
                lessons
                    .iter()
                    .filter(|l| l.number == number && l.date == iso)
                    .map(|l| {
                        let mut c = cell(&t, l, &subject, &teachers);
                        let own = time_of(l);
                        if own != time {
                            c.time = own;
                        }
                        c
                    })
                    .collect()
            })
            .collect();
        rows.push(Row {
            number,
            time,
            cells,
        });
    }
    // Lesson 0 exists only if used.
    if lessons.iter().any(|l| l.number == 0) {
        let cells = dates
            .iter()
            .map(|d| {
                lessons
                    .iter()
                    .filter(|l| l.number == 0 && l.date == d.to_string())
                    .map(|l| cell(&t, l, &subject, &teachers))
                    .collect()
            })
            .collect();
        rows.insert(
            0,
            Row {
                number: 0,
                time: String::new(),
                cells,
            },
        );
    }
    let (kind, id, name) = match &subject {
        Subject::Class(id, name) => (
            "class",
            *id,
            format!("{} {name}", t.s("timetable.of_class")),
        ),
        Subject::Teacher(id, name) => (
            "teacher",
            *id,
            format!("{} {name}", t.s("timetable.of_teacher")),
        ),
    };
    let link = |d: Date| format!("/timetable?school={}&{kind}={id}&date={d}", school.id);
    let page = TimetablePage {
        c: Chrome::new(&ctx, &name, "/timetable"),
        heading: name.clone(),
        school_id: school.id,
        schools: schools
            .iter()
            .map(|s| Choice {
                value: s.id.to_string(),
                label: s.short_name.clone(),
                selected: s.id == school.id,
            })
            .collect(),
        classes: classes
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: matches!(subject, Subject::Class(x, _) if x == c.id),
            })
            .collect(),
        teachers: teachers
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.short_name(),
                selected: matches!(subject, Subject::Teacher(x, _) if x == p.id),
            })
            .collect(),
        date: date.to_string(),
        prev: link(add_days(monday, -7)),
        next: link(add_days(monday, 7)),
        this_week: link(today),
        empty: lessons.is_empty(),
        days,
        rows,
    };
    html(StatusCode::OK, &page)
}

/// «08:30–09:15».
pub(crate) fn span(b: &Bell) -> String {
    format!("{}–{}", b.start.strftime("%H:%M"), b.end.strftime("%H:%M"))
}

pub(crate) fn day_header(
    t: &crate::i18n::Tr,
    d: Date,
    today: Date,
    calendar: Option<&Calendar>,
    grade: i16,
) -> Day {
    let off = match calendar.map(|c| c.day(d, grade)) {
        Some(DayKind::Holiday { name }) => name,
        Some(DayKind::Weekend) => t.s("timetable.weekend").to_owned(),
        Some(DayKind::OutsideYear) => t.s("timetable.outside_year").to_owned(),
        _ => String::new(),
    };
    Day {
        title: t.weekday_date(d),
        iso: d.to_string(),
        today: d == today,
        off,
    }
}

fn cell(
    t: &crate::i18n::Tr,
    l: &LessonRow,
    subject: &Subject,
    teachers: &[zhurnal_store::PersonRow],
) -> Cell {
    let teacher = l.teacher_short_name();
    let replaced = l
        .replaced_teacher_id
        .and_then(|id| teachers.iter().find(|p| p.id == id))
        .map(|p| p.short_name());
    let (with, note) = match subject {
        Subject::Class(..) => (
            teacher.clone(),
            replaced
                .map(|r| format!("{} {r}", t.s("timetable.instead_of")))
                .unwrap_or_default(),
        ),
        Subject::Teacher(id, _) => {
            let note = if l.replaced_teacher_id == Some(*id) {
                format!("{} {teacher}", t.s("timetable.replaced_by"))
            } else if l.replaced_teacher_id.is_some() {
                t.s("timetable.substitution").to_owned()
            } else {
                String::new()
            };
            (l.group_name.clone(), note)
        }
    };
    Cell {
        subject: l.subject_name.clone(),
        with,
        room: l.room.clone(),
        note,
        cancelled: l.status == "cancelled",
        time: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Weekday;

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(
            monday_of(Date::constant(2026, 11, 28)),
            Date::constant(2026, 11, 23)
        );
        assert_eq!(
            monday_of(Date::constant(2026, 11, 23)),
            Date::constant(2026, 11, 23)
        );
        assert_eq!(
            monday_of(Date::constant(2026, 11, 29)).weekday(),
            Weekday::Monday
        );
    }
}
