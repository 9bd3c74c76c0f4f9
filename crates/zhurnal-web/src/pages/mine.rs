//! The teacher's own page (§4.1): today's lessons in the school's zone, the lessons still
//! missing a topic before their edit window closes, and the students who have fewer marks
//! than the school's minimum in the current period.

use super::timetable::pick_school;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::calendar::default_scheme;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::grading::MarkValue;
use zhurnal_store::{LessonRow, SchoolRow};

pub struct TodayLine {
    pub href: String,
    pub number: i32,
    pub what: String,
    pub room: String,
    pub topic: String,
}

pub struct MissingLine {
    pub href: String,
    pub what: String,
    pub until: String,
}

pub struct FewLine {
    pub journal: String,
    pub href: String,
    pub students: String,
    pub left: String,
}

#[derive(Template)]
#[template(path = "mine.html")]
pub struct MinePage {
    pub c: Chrome,
    pub today: String,
    pub lessons: Vec<TodayLine>,
    pub missing: Vec<MissingLine>,
    pub few: Vec<FewLine>,
    pub min_marks: u16,
}

#[derive(Deserialize, Default)]
pub struct MineQuery {
    school: Option<String>,
}

/// A journal the teacher keeps with students below the school's minimum of marks in its
/// current period.
pub struct FewMarks {
    pub group_id: i64,
    pub subject_id: i64,
    pub group_name: String,
    pub subject_name: String,
    pub period_id: i64,
    pub period_name: String,
    pub period_end: Date,
    /// (person id, short name, marks so far).
    pub students: Vec<(i64, String, u16)>,
}

/// What the teacher's own page shows, as data: the one computation for page and API.
pub struct Mine {
    pub today: Date,
    /// Today's lessons the teacher gives.
    pub lessons: Vec<LessonRow>,
    /// Lessons of the edit window still without a topic, each with the last day it can be
    /// filled by the teacher.
    pub missing: Vec<(LessonRow, Date)>,
    pub few: Vec<FewMarks>,
    pub min_marks: u16,
}

pub async fn mine(state: &AppState, ctx: &Ctx, school: &SchoolRow) -> Result<Mine, AppError> {
    let me = ctx.actor()?.person_id;
    let today = today_in(state.clock.now(), &school.time_zone);
    let settings = state.store.grading_settings(school.id).await?;
    let lessons = state
        .store
        .teacher_lessons(school.id, me, today, today)
        .await?
        .into_iter()
        .filter(|l| l.teacher_id == Some(me))
        .collect();
    // Lessons of the edit window still without a topic: after the window only the deputy
    // can fill them.
    let window = i64::from(settings.edit_window_days);
    let since = today.checked_sub(window.days()).unwrap_or(today);
    let mut missing = Vec::new();
    for l in state
        .store
        .teacher_lessons(school.id, me, since, today)
        .await?
        .into_iter()
        .filter(|l| l.teacher_id == Some(me) && l.status != "cancelled")
    {
        if l.topic.is_empty() {
            let date: Date = l.date.parse().unwrap_or(today);
            let until = date.checked_add(window.days()).unwrap_or(date);
            missing.push((l, until));
        }
    }
    // Students below the minimum, per journal the teacher keeps, in its current period.
    let year = study_year_of(today);
    let today_s = today.to_string();
    let groups = state.store.group_classes(school.id).await?;
    let schemes = state.store.period_schemes(school.id, year).await?;
    let periods = state.store.periods(school.id, year).await?;
    let year_classes: Vec<i64> = state
        .store
        .school_classes(school.id, year)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let mut few = Vec::new();
    let mut seen = Vec::new();
    for l in state.store.teaching_load(school.id).await? {
        let Some((class, parallel)) = groups.get(&l.group_id).copied() else {
            continue;
        };
        if l.teacher_id != me
            || !year_classes.contains(&class)
            || seen.contains(&(l.group_id, l.subject_id))
        {
            continue;
        }
        seen.push((l.group_id, l.subject_id));
        let scheme = schemes
            .iter()
            .find(|(p, _)| *p == i32::from(parallel))
            .map_or(default_scheme(parallel).to_owned(), |(_, s)| s.clone());
        let Some(period) = periods
            .iter()
            .find(|p| p.scheme == scheme && p.start_date <= today_s && today_s <= p.end_date)
        else {
            continue;
        };
        let j = state
            .store
            .journal(
                school.id,
                l.group_id,
                l.subject_id,
                &period.start_date,
                &period.end_date,
            )
            .await?;
        let mut counts: HashMap<i64, u16> = HashMap::new();
        for m in &j.marks {
            if MarkValue::parse(&m.value, settings.rules.scale)
                .ok()
                .and_then(MarkValue::numeric)
                .is_some()
            {
                *counts.entry(m.person_id).or_default() += 1;
            }
        }
        let students: Vec<(i64, String, u16)> = state
            .store
            .group_members(school.id, l.group_id)
            .await?
            .iter()
            .filter_map(|p| {
                let n = counts.get(&p.id).copied().unwrap_or(0);
                (n < settings.rules.min_marks).then(|| (p.id, p.short_name(), n))
            })
            .collect();
        if students.is_empty() {
            continue;
        }
        few.push(FewMarks {
            group_id: l.group_id,
            subject_id: l.subject_id,
            group_name: l.group_name.clone(),
            subject_name: l.subject_name.clone(),
            period_id: period.id,
            period_name: period.name.clone(),
            period_end: period.end_date.parse().unwrap_or(today),
            students,
        });
    }
    Ok(Mine {
        today,
        lessons,
        missing,
        few,
        min_marks: settings.rules.min_marks,
    })
}

pub async fn mine_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MineQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let t = ctx.t();
    let m = mine(&state, &ctx, &school).await?;
    let lesson_href = |id: i64| format!("/journal/lesson?school={}&id={id}", school.id);
    let page = MinePage {
        c: Chrome::new(&ctx, t.s("mine.title"), "/journal/mine"),
        today: t.weekday_date(m.today),
        lessons: m
            .lessons
            .iter()
            .map(|l| TodayLine {
                href: lesson_href(l.id),
                number: l.number,
                what: format!("{} · {}", l.group_name, l.subject_name),
                room: l.room.clone(),
                topic: l.topic.clone(),
            })
            .collect(),
        missing: m
            .missing
            .iter()
            .map(|(l, until)| MissingLine {
                href: lesson_href(l.id),
                what: format!(
                    "{}, {}: {} · {}",
                    t.weekday_date(l.date.parse().unwrap_or(m.today)),
                    t.lesson_number(l.number),
                    l.group_name,
                    l.subject_name
                ),
                until: t.date(*until),
            })
            .collect(),
        few: m
            .few
            .iter()
            .map(|f| FewLine {
                journal: format!("{} · {}", f.group_name, f.subject_name),
                href: format!(
                    "/journal?school={}&journal={}-{}&period={}",
                    school.id, f.group_id, f.subject_id, f.period_id
                ),
                students: f
                    .students
                    .iter()
                    .map(|(_, name, n)| format!("{name} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", "),
                left: format!("{}, {}", f.period_name, t.date(f.period_end)),
            })
            .collect(),
        min_marks: m.min_marks,
    };
    html(StatusCode::OK, &page)
}
