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
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::calendar::default_scheme;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::grading::MarkValue;

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

pub async fn mine_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MineQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let reach = actor.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let t = ctx.t();
    let me = actor.person_id;
    let today = today_in(state.clock.now(), &school.time_zone);
    let settings = state.store.grading_settings(school.id).await?;
    let lesson_href = |id: i64| format!("/journal/lesson?school={}&id={id}", school.id);
    let lessons = state
        .store
        .teacher_lessons(school.id, me, today, today)
        .await?
        .into_iter()
        .filter(|l| l.teacher_id == Some(me))
        .map(|l| TodayLine {
            href: lesson_href(l.id),
            number: l.number,
            what: format!("{} · {}", l.group_name, l.subject_name),
            room: l.room.clone(),
            topic: l.topic.clone(),
        })
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
            let date: jiff::civil::Date = l.date.parse().unwrap_or(today);
            let until = date.checked_add(window.days()).unwrap_or(date);
            missing.push(MissingLine {
                href: lesson_href(l.id),
                what: format!(
                    "{}, {}: {} · {}",
                    t.weekday_date(date),
                    t.lesson_number(l.number),
                    l.group_name,
                    l.subject_name
                ),
                until: t.date(until),
            });
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
        let below: Vec<String> = state
            .store
            .group_members(school.id, l.group_id)
            .await?
            .iter()
            .filter_map(|p| {
                let n = counts.get(&p.id).copied().unwrap_or(0);
                (n < settings.rules.min_marks).then(|| format!("{} ({n})", p.short_name()))
            })
            .collect();
        if below.is_empty() {
            continue;
        }
        let end: jiff::civil::Date = period.end_date.parse().unwrap_or(today);
        few.push(FewLine {
            journal: format!("{} · {}", l.group_name, l.subject_name),
            href: format!(
                "/journal?school={}&journal={}-{}&period={}",
                school.id, l.group_id, l.subject_id, period.id
            ),
            students: below.join(", "),
            left: format!("{}, {}", period.name, t.date(end)),
        });
    }
    let page = MinePage {
        c: Chrome::new(&ctx, t.s("mine.title"), "/journal/mine"),
        today: t.weekday_date(today),
        lessons,
        missing,
        few,
        min_marks: settings.rules.min_marks,
    };
    html(StatusCode::OK, &page)
}
