//! The diary of a student, read by the student and their parents: the week day by day
//! (lessons with times, topics, homework and files, marks with their work type and weight,
//! absences) and the period's marks by subject with the average explained, the proposed and
//! the confirmed period mark, and a trend drawn on the server. No JavaScript anywhere.

use super::timetable::{Choice, add_days, day_header, monday_of, span};
use super::{Chrome, html};
use crate::ctx::{Ctx, cookie};
use crate::diary::{CHILD_COOKIE, Pupil, pick};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use zhurnal_core::bells::bells_for;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::grading::{Counted, MarkValue, propose};
use zhurnal_store::{DiaryMark, GradingSettings};

#[derive(Clone)]
pub struct MarkBadge {
    pub value: String,
    /// «Контрольная работа, вес 3».
    pub title: String,
    /// «КР».
    pub abbreviation: String,
    pub weight: i32,
    pub comment: String,
}

#[derive(Clone)]
pub struct DiaryLesson {
    pub number: i32,
    pub time: String,
    pub subject: String,
    pub teacher: String,
    pub room: String,
    pub cancelled: bool,
    pub topic: String,
    pub homework: String,
    pub due: String,
    pub files: Vec<(i64, String)>,
    pub marks: Vec<MarkBadge>,
    /// «н (болезнь)», «опоздание».
    pub absence: String,
}

#[derive(Clone)]
pub struct DiaryDay {
    pub title: String,
    pub iso: String,
    pub today: bool,
    pub off: String,
    pub lessons: Vec<DiaryLesson>,
}

#[derive(Template)]
#[template(path = "diary.html")]
pub struct WeekPage {
    pub c: Chrome,
    pub heading: String,
    pub child: i64,
    pub children: Vec<Choice>,
    pub date: String,
    pub prev: String,
    pub next: String,
    pub this_week: String,
    /// The days of the week with their rendering, kept in memory and shared by the student
    /// and their parents.
    pub week: std::sync::Arc<WeekView>,
    pub marks_link: String,
    /// Set when the week is someone's home page: their roles, as the home page marks them.
    pub home_roles: Option<String>,
    /// The page the children's links lead to.
    pub here: &'static str,
}

#[derive(Deserialize, Default)]
pub struct DiaryQuery {
    pub(crate) child: Option<String>,
    date: Option<String>,
    period: Option<String>,
}

/// «н (болезнь)» in the person's language.
fn absence_text(t: &crate::i18n::Tr, status: &str, reason: &str) -> String {
    let what = if status == "late" {
        t.s("diary.late")
    } else {
        t.s("diary.absent")
    };
    match reason {
        "illness" | "excused" | "unexcused" => {
            format!("{what} ({})", t.s(&format!("reason.{reason}")))
        }
        _ => what.to_owned(),
    }
}

fn badge(t: &crate::i18n::Tr, m: &DiaryMark) -> MarkBadge {
    MarkBadge {
        value: m.value.clone(),
        title: format!("{}, {} {}", m.work_type, t.s("diary.weight"), m.weight),
        abbreviation: m.abbreviation.clone(),
        weight: m.weight,
        comment: m.comment.clone(),
    }
}

/// Remembers the child a parent chose, for the next visit.
fn remember(res: &mut Response, pupil: &Pupil) {
    let v = format!(
        "{CHILD_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        pupil.person_id
    );
    if let Ok(v) = HeaderValue::from_str(&v) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The pupil asked for in the query, else the one the cookie remembers, else the first.
pub(crate) async fn chosen(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    child: Option<&str>,
) -> Result<(Pupil, Vec<Pupil>), AppError> {
    pick(state, ctx, child, cookie(headers, CHILD_COOKIE)).await
}

/// The page, remembering the child when it was chosen in this request.
pub(crate) fn answer<T: Template>(
    page: &T,
    pupil: &Pupil,
    chosen: bool,
) -> Result<Response, AppError> {
    let mut res = html(StatusCode::OK, page)?;
    if chosen {
        remember(&mut res, pupil);
    }
    Ok(res)
}

/// The links to switch children, when there is more than one.
pub(crate) fn switcher(all: &[Pupil], chosen: &Pupil) -> Vec<Choice> {
    if all.len() < 2 {
        return Vec::new();
    }
    all.iter()
        .map(|p| Choice {
            value: p.person_id.to_string(),
            label: format!("{}, {}", p.name, p.class_name),
            selected: p.person_id == chosen.person_id,
        })
        .collect()
}

/// The week of `pupil` that holds `date`.
pub async fn week_page(
    state: &AppState,
    ctx: &Ctx,
    pupil: &Pupil,
    all: &[Pupil],
    date: Option<&str>,
) -> Result<WeekPage, AppError> {
    let t = ctx.t();
    let school = &pupil.school;
    let today = today_in(state.clock.now(), &school.time_zone);
    let date = match date.filter(|s| !s.is_empty()) {
        Some(raw) => raw
            .parse::<Date>()
            .map_err(|_| AppError::BadRequest(format!("bad date {raw}")))?,
        None => today,
    };
    let monday = monday_of(date);
    let week = week_view(state, ctx, pupil, monday, today).await?;
    let link = |d: Date| format!("/diary?child={}&date={d}", pupil.person_id);
    let heading = pupil.heading(t.s("diary.title"));
    Ok(WeekPage {
        c: Chrome::new(ctx, &heading, "/diary"),
        heading,
        child: pupil.person_id,
        children: switcher(all, pupil),
        date: date.to_string(),
        prev: link(add_days(monday, -7)),
        next: link(add_days(monday, 7)),
        this_week: link(today),
        week,
        marks_link: format!("/diary/marks?child={}", pupil.person_id),
        home_roles: None,
        here: "/diary",
    })
}

/// A week of a student's diary as every reader of it sees it: the days, and their HTML.
pub struct WeekView {
    pub days: Vec<DiaryDay>,
    pub html: String,
    /// The days as the JSON week (`/api/v1/diary/week`) writes them, made by its first
    /// reader.
    pub json: std::sync::OnceLock<String>,
}

impl WeekView {
    /// About what it holds: the HTML, as much again in the days' strings, and the JSON
    /// (under half the HTML) once an app asked for it.
    fn bytes(&self) -> usize {
        2 * self.html.len() + self.html.len() / 2
    }
}

#[derive(Template)]
#[template(path = "diary_week.html")]
struct WeekDays<'a> {
    t: crate::i18n::Tr,
    child: i64,
    days: &'a [DiaryDay],
}

/// The week from `monday` of `pupil`, kept in memory until a write changes the student's
/// records or the school's: the student and both parents share it, so most diary pages of a
/// morning are one lookup and one copy instead of building and escaping every lesson.
async fn week_view(
    state: &AppState,
    ctx: &Ctx,
    pupil: &Pupil,
    monday: Date,
    today: Date,
) -> Result<std::sync::Arc<WeekView>, AppError> {
    use zhurnal_store::memo::{Dep, day_key};
    let t = ctx.t();
    let lang = match t.lang {
        crate::i18n::Lang::Ru => 0,
        crate::i18n::Lang::En => 1,
    };
    let key = (
        "diary_view",
        [
            pupil.person_id,
            pupil.class_id,
            day_key(&monday.to_string()),
            day_key(&today.to_string()) * 10 + lang,
        ],
    );
    let (school_id, person) = (pupil.school.id, pupil.person_id);
    let (owned_state, owned_pupil) = (state.clone(), pupil.clone());
    // Owned, so that a week only past its lifetime is read again in the background.
    let load = move || async move {
        let (state, pupil) = (&owned_state, &owned_pupil);
        let school = &pupil.school;
        let saturday = add_days(monday, 5);
        let week = week_data(state, pupil, monday, saturday).await?;
        let (lessons, marks, absences, files) =
            (&week.lessons, &week.marks, &week.absences, &week.files);
        let calendar = state
            .refs
            .calendar(&state.store, school.id, study_year_of(monday))
            .await?;
        let schedules = state.refs.bells(&state.store, school.id).await?;
        let shift = state
            .refs
            .shifts(&state.store, school.id)
            .await?
            .get(&pupil.class_id)
            .copied()
            .unwrap_or(1);
        let mut days = Vec::new();
        for i in 0..6 {
            let d = add_days(monday, i);
            let iso = d.to_string();
            let header = day_header(&t, d, today, (*calendar).as_ref(), pupil.grade);
            let weekday = d.weekday().to_monday_one_offset();
            let bells = bells_for(&schedules, shift, weekday);
            let day_lessons: Vec<DiaryLesson> = lessons
                .iter()
                .filter(|l| l.date == iso)
                .map(|l| DiaryLesson {
                    number: l.number,
                    time: bells
                        .iter()
                        .find(|b| i32::from(b.number) == l.number)
                        .map(span)
                        .unwrap_or_default(),
                    subject: l.subject_name.clone(),
                    teacher: l.teacher_short_name(),
                    room: l.room.clone(),
                    cancelled: l.status == "cancelled",
                    topic: l.topic.clone(),
                    homework: l.homework.clone(),
                    due: l
                        .homework_due
                        .as_deref()
                        .and_then(|d| d.parse::<Date>().ok())
                        .map(|d| t.weekday_date(d))
                        .unwrap_or_default(),
                    files: files
                        .iter()
                        .filter(|f| f.lesson_id == l.id)
                        .map(|f| (f.id, f.name.clone()))
                        .collect(),
                    marks: marks
                        .iter()
                        .filter(|m| m.lesson_id == l.id)
                        .map(|m| badge(&t, m))
                        .collect(),
                    absence: absences
                        .iter()
                        .find(|a| a.lesson_id == l.id)
                        .map(|a| absence_text(&t, &a.status, &a.reason))
                        .unwrap_or_default(),
                })
                .collect();
            // Saturday only when the class has lessons on it.
            if i == 5 && day_lessons.is_empty() {
                continue;
            }
            days.push(DiaryDay {
                title: header.title,
                iso: header.iso,
                today: header.today,
                off: header.off,
                lessons: day_lessons,
            });
        }
        let html = WeekDays {
            t,
            child: pupil.person_id,
            days: &days,
        }
        .render()?;
        Ok::<_, AppError>(WeekView {
            days,
            html,
            json: std::sync::OnceLock::new(),
        })
    };
    state
        .store
        .memo_refreshing(key, Dep::Person(school_id, person), load, WeekView::bytes)
        .await
}

pub async fn diary_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<DiaryQuery>,
) -> Result<Response, AppError> {
    let (pupil, all) = chosen(&state, &ctx, &headers, q.child.as_deref()).await?;
    let page = week_page(&state, &ctx, &pupil, &all, q.date.as_deref()).await?;
    // An entity tag of the page as rendered for this session: a client that kept its copy
    // (an app; browsers keep nothing of a page with personal data, `no-store`) revalidates
    // with If-None-Match and gets an empty 304 while nothing changed.
    let body = page.render()?;
    let etag = {
        use sha2::{Digest, Sha256};
        format!(
            "\"{}\"",
            &hex::encode(Sha256::digest(body.as_bytes()))[..32]
        )
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, axum::response::Html(body)).into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    if q.child.is_some() {
        remember(&mut res, &pupil);
    }
    Ok(res)
}

pub struct SubjectLine {
    pub subject: String,
    /// Every mark of the period: (date «12.11», value, work type, weight).
    pub marks: Vec<(String, MarkBadge)>,
    /// The lessons' days of those marks, `YYYY-MM-DD`, in the same order.
    pub dates: Vec<String>,
    pub average: String,
    pub explanation: String,
    pub proposed: String,
    pub below_minimum: bool,
    pub confirmed: String,
    pub trend: Option<Trend>,
}

/// A small chart of the running average after each mark, drawn as SVG on the server.
pub struct Trend {
    /// `x,y x,y …` of the running average.
    pub points: String,
    /// Each mark as a dot: (x, y).
    pub dots: Vec<(u32, u32)>,
    /// «4.20 → 4.55», for people who cannot see the chart.
    pub label: String,
}

pub const TREND_WIDTH: u32 = 160;
pub const TREND_HEIGHT: u32 = 40;

/// The trend of `values` (marks 2–5 with their weights).
fn trend(values: &[(f64, u8)]) -> Option<Trend> {
    if values.len() < 2 {
        return None;
    }
    let y = |v: f64| -> u32 {
        // 5 at the top, 2 at the bottom, 3 px of margin.
        let clamped = v.clamp(2.0, 5.0);
        (3.0 + (5.0 - clamped) / 3.0 * f64::from(TREND_HEIGHT - 6)).round() as u32
    };
    let step = f64::from(TREND_WIDTH - 6) / (values.len() - 1) as f64;
    let (mut sum, mut weights) = (0.0, 0.0);
    let mut points = Vec::new();
    let mut dots = Vec::new();
    let mut averages = Vec::new();
    for (i, (v, w)) in values.iter().enumerate() {
        let w = f64::from((*w).max(1));
        sum += v * w;
        weights += w;
        let avg = sum / weights;
        averages.push(avg);
        let x = (3.0 + step * i as f64).round() as u32;
        points.push(format!("{x},{}", y(avg)));
        dots.push((x, y(*v)));
    }
    let first = averages.first().copied().unwrap_or_default();
    let last = averages.last().copied().unwrap_or_default();
    Some(Trend {
        points: points.join(" "),
        dots,
        label: format!("{first:.2} → {last:.2}"),
    })
}

fn subject_line(
    subject: String,
    marks: &[&DiaryMark],
    settings: &GradingSettings,
    confirmed: Option<String>,
) -> SubjectLine {
    let rules = &settings.rules;
    let counted: Vec<Counted> = marks
        .iter()
        .filter_map(|m| {
            Some(Counted {
                value: MarkValue::parse(&m.value, rules.scale).ok()?,
                weight: m.weight.clamp(0, 10) as u8,
            })
        })
        .collect();
    let proposal = propose(&counted, rules);
    let numeric: Vec<(f64, u8)> = counted
        .iter()
        .filter_map(|c| Some((c.value.numeric()?, c.weight)))
        .collect();
    SubjectLine {
        subject,
        marks: Vec::new(),
        dates: Vec::new(),
        average: proposal.average.as_ref().map_or(String::new(), |a| {
            format!("{:.2}", f64::from(a.hundredths) / 100.0)
        }),
        explanation: proposal
            .average
            .as_ref()
            .map_or(String::new(), |a| a.explanation.clone()),
        proposed: proposal.mark.map(|m| m.code()).unwrap_or_default(),
        below_minimum: proposal.below_minimum && !marks.is_empty(),
        confirmed: confirmed.unwrap_or_default(),
        trend: trend(&numeric),
    }
}

/// A change of a mark the family may see: «28 ноября 2026, 16:30 — Алгебра (урок 23.11),
/// Кузьмина Ю. Н.: 4 → 5».
pub struct ChangeLine {
    pub when: String,
    pub subject: String,
    pub lesson: String,
    pub teacher: String,
    pub old: String,
    pub new: String,
}

pub struct YearRow {
    pub subject: String,
    pub marks: Vec<String>,
}

#[derive(Template)]
#[template(path = "diary_marks.html")]
pub struct MarksPage {
    pub c: Chrome,
    pub heading: String,
    pub child: i64,
    pub children: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub period_name: String,
    pub lines: Vec<SubjectLine>,
    pub week_link: String,
    /// The year's table: the periods across, each subject's period marks.
    pub year_heads: Vec<String>,
    pub year_rows: Vec<YearRow>,
    pub width: u32,
    pub height: u32,
    pub here: &'static str,
    pub changes: Vec<ChangeLine>,
}

/// A student's marks of a period by subject (with averages, proposals and confirmed period
/// marks) and the year's table of period marks: what the marks page and the API show.
pub struct MarksView {
    pub periods: Vec<zhurnal_store::PeriodRow>,
    pub current: Option<zhurnal_store::PeriodRow>,
    pub period_name: String,
    pub lines: Vec<SubjectLine>,
    pub year_rows: Vec<YearRow>,
}

pub async fn marks_view(
    state: &AppState,
    ctx: &Ctx,
    pupil: &Pupil,
    period: Option<&str>,
) -> Result<MarksView, AppError> {
    let t = ctx.t();
    let school = &pupil.school;
    let today = today_in(state.clock.now(), &school.time_zone);
    let year = study_year_of(today);
    let periods = crate::journal::periods_of_grade(state, school.id, year, pupil.grade).await?;
    let current = crate::journal::current_period(&periods, period, &today.to_string()).cloned();
    let settings = state.store.grading_settings(school.id).await?;
    let period_marks = state
        .store
        .diary_period_marks(school.id, pupil.person_id)
        .await?;
    let mut lines = Vec::new();
    let mut period_name = String::new();
    // The subjects the student has lessons in this year, in the order of the curriculum.
    let year_marks = match (periods.first(), periods.last()) {
        (Some(a), Some(b)) => {
            state
                .store
                .diary_marks(school.id, pupil.person_id, &a.start_date, &b.end_date)
                .await?
        }
        _ => Vec::new(),
    };
    let mut subjects: Vec<(i64, String)> = Vec::new();
    for m in &year_marks {
        if !subjects.iter().any(|s| s.0 == m.subject_id) {
            subjects.push((m.subject_id, m.subject_name.clone()));
        }
    }
    subjects.sort_by(|a, b| a.1.cmp(&b.1));
    if let Some(p) = &current {
        period_name = p.name.clone();
        for (subject_id, name) in &subjects {
            let marks: Vec<&DiaryMark> = year_marks
                .iter()
                .filter(|m| {
                    m.subject_id == *subject_id && p.start_date <= m.date && m.date <= p.end_date
                })
                .collect();
            let confirmed = period_marks
                .iter()
                .find(|pm| pm.period_id == p.id && pm.subject_id == *subject_id)
                .map(|pm| pm.value.clone());
            let mut line = subject_line(name.clone(), &marks, &settings, confirmed);
            line.dates = marks.iter().map(|m| m.date.clone()).collect();
            line.marks = marks
                .iter()
                .map(|m| {
                    let day = m
                        .date
                        .parse::<Date>()
                        .map_or(m.date.clone(), |d| d.strftime("%d.%m").to_string());
                    (day, badge(&t, m))
                })
                .collect();
            lines.push(line);
        }
    }
    let year_rows = subjects
        .iter()
        .map(|(id, name)| YearRow {
            subject: name.clone(),
            marks: periods
                .iter()
                .map(|p| {
                    period_marks
                        .iter()
                        .find(|pm| pm.period_id == p.id && pm.subject_id == *id)
                        .map(|pm| pm.value.clone())
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    Ok(MarksView {
        periods,
        current,
        period_name,
        lines,
        year_rows,
    })
}

pub async fn marks_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<DiaryQuery>,
) -> Result<Response, AppError> {
    let t = ctx.t();
    let (pupil, all) = chosen(&state, &ctx, &headers, q.child.as_deref()).await?;
    let view = marks_view(&state, &ctx, &pupil, q.period.as_deref()).await?;
    let school = &pupil.school;
    let current = view.current.as_ref();
    let periods = &view.periods;
    let heading = pupil.heading(t.s("diary.marks"));
    let page = MarksPage {
        c: Chrome::new(&ctx, &heading, "/diary"),
        heading,
        child: pupil.person_id,
        children: switcher(&all, &pupil),
        periods: periods
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.name.clone(),
                selected: Some(p.id) == current.map(|c| c.id),
            })
            .collect(),
        period_name: view.period_name,
        lines: view.lines,
        week_link: format!("/diary?child={}", pupil.person_id),
        year_heads: periods.iter().map(|p| p.name.clone()).collect(),
        year_rows: view.year_rows,
        width: TREND_WIDTH,
        height: TREND_HEIGHT,
        here: "/diary/marks",
        changes: state
            .store
            .mark_changes(school.id, pupil.person_id, 30)
            .await?
            .into_iter()
            .map(|c| ChangeLine {
                when: t.datetime(c.at, &school.time_zone),
                subject: c.subject_name.unwrap_or_default(),
                lesson: c
                    .lesson_date
                    .as_deref()
                    .and_then(|d| d.parse::<Date>().ok())
                    .map(|d| d.strftime("%d.%m").to_string())
                    .unwrap_or_else(|| t.s("diary.period_mark").to_owned()),
                teacher: match (&c.last_name, &c.first_name, &c.middle_name) {
                    (Some(a), Some(b), Some(m)) => zhurnal_store::short_name(a, b, m),
                    _ => String::new(),
                },
                old: c.old_value.unwrap_or_default(),
                new: c
                    .new_value
                    .unwrap_or_else(|| t.s("diary.removed").to_owned()),
            })
            .collect(),
    };
    answer(&page, &pupil, q.child.is_some())
}

pub struct HomeworkItem {
    pub subject: String,
    pub text: String,
    /// «задано 23.11».
    pub given: String,
    pub files: Vec<(i64, String)>,
}

/// Homework due on one day.
pub struct HomeworkDay {
    pub title: String,
    pub items: Vec<HomeworkItem>,
}

#[derive(Template)]
#[template(path = "diary_homework.html")]
pub struct HomeworkPage {
    pub c: Chrome,
    pub heading: String,
    pub child: i64,
    pub children: Vec<Choice>,
    pub here: &'static str,
    pub week_link: String,
    /// (title's message key, days): what is due, then what fell due.
    pub sections: Vec<(&'static str, Vec<HomeworkDay>)>,
}

/// Homework by due date: what is due from today for two weeks, and what fell due in the
/// last week.
pub async fn homework_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<DiaryQuery>,
) -> Result<Response, AppError> {
    let t = ctx.t();
    let (pupil, all) = chosen(&state, &ctx, &headers, q.child.as_deref()).await?;
    let school = &pupil.school;
    let today = today_in(state.clock.now(), &school.time_zone);
    let groups = state
        .store
        .person_groups(school.id, pupil.person_id)
        .await?;
    let rows = state
        .store
        .homework_due(
            school.id,
            &groups,
            &add_days(today, -7).to_string(),
            &add_days(today, 14).to_string(),
        )
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.lesson_id).collect();
    let files = state.store.files_of_lessons(school.id, &ids).await?;
    let today_s = today.to_string();
    let (mut upcoming, mut overdue): (Vec<HomeworkDay>, Vec<HomeworkDay>) =
        (Vec::new(), Vec::new());
    for r in &rows {
        let due = r.homework_due.clone().unwrap_or_else(|| r.date.clone());
        let title = due
            .parse::<Date>()
            .map_or(due.clone(), |d| t.weekday_date(d));
        let item = HomeworkItem {
            subject: r.subject_name.clone(),
            text: r.homework.clone(),
            given: r
                .date
                .parse::<Date>()
                .map_or(r.date.clone(), |d| d.strftime("%d.%m").to_string()),
            files: files
                .iter()
                .filter(|f| f.lesson_id == r.lesson_id)
                .map(|f| (f.id, f.name.clone()))
                .collect(),
        };
        let list = if due >= today_s {
            &mut upcoming
        } else {
            &mut overdue
        };
        match list.last_mut() {
            Some(day) if day.title == title => day.items.push(item),
            _ => list.push(HomeworkDay {
                title,
                items: vec![item],
            }),
        }
    }
    // The most recent missed days first.
    overdue.reverse();
    let heading = pupil.heading(t.s("diary.homework"));
    let page = HomeworkPage {
        c: Chrome::new(&ctx, &heading, "/diary"),
        heading,
        child: pupil.person_id,
        children: switcher(&all, &pupil),
        here: "/diary/homework",
        week_link: format!("/diary?child={}", pupil.person_id),
        sections: vec![("diary.upcoming", upcoming), ("diary.overdue", overdue)],
    };
    answer(&page, &pupil, q.child.is_some())
}

#[derive(Deserialize, Default)]
pub struct FileQuery {
    child: Option<String>,
    id: Option<i64>,
}

/// A homework file of one of the student's own lessons, always as a download.
pub async fn file_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<FileQuery>,
) -> Result<Response, AppError> {
    let (pupil, _) = chosen(&state, &ctx, &headers, q.child.as_deref()).await?;
    let id = q.id.ok_or(AppError::NotFound)?;
    homework_file(&state, &ctx, &pupil, id).await
}

/// A file of one of the student's own lessons as a download; any other answers 404, audited.
pub(crate) async fn homework_file(
    state: &AppState,
    ctx: &Ctx,
    pupil: &Pupil,
    id: i64,
) -> Result<Response, AppError> {
    let school = &pupil.school;
    let deny = || crate::routes::deny_object(state, ctx, "lesson_file", "");
    let Some((meta, data)) = state.store.lesson_file(school.id, id).await? else {
        return Err(deny().await);
    };
    let Some(lesson) = state.store.lesson_facts(school.id, meta.lesson_id).await? else {
        return Err(deny().await);
    };
    let groups = state
        .store
        .person_groups(school.id, pupil.person_id)
        .await?;
    if !groups.contains(&lesson.group_id) {
        return Err(deny().await);
    }
    Ok(crate::files::download(&meta.name, meta.content_type, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_runs_through_the_running_average() {
        let t = trend(&[(5.0, 1), (3.0, 1), (4.0, 2)]).unwrap();
        // Averages 5, 4, 4: the line starts at the top and settles a third of the way down.
        assert_eq!(t.points, "3,3 80,14 157,14");
        assert_eq!(t.dots, vec![(3, 3), (80, 26), (157, 14)]);
        assert_eq!(t.label, "5.00 → 4.00");
        assert!(trend(&[(5.0, 1)]).is_none());
    }
}

/// The hash a feed's secret is kept as.
fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub struct FeedLine {
    pub id: i64,
    pub created: String,
    pub revoked: String,
}

#[derive(Template)]
#[template(path = "diary_calendar.html")]
pub struct CalendarPage {
    pub c: Chrome,
    pub heading: String,
    pub child: i64,
    pub children: Vec<Choice>,
    pub here: &'static str,
    pub week_link: String,
    pub feeds: Vec<FeedLine>,
    /// The address of a feed just made: shown once, never stored.
    pub new_url: Option<String>,
}

async fn calendar_page(
    state: &AppState,
    ctx: &Ctx,
    pupil: &Pupil,
    all: &[Pupil],
    new_url: Option<String>,
) -> Result<CalendarPage, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let feeds = state
        .store
        .feeds_of(actor.person_id, pupil.person_id)
        .await?
        .into_iter()
        .map(|f| FeedLine {
            id: f.id,
            created: t.datetime(f.created_at, &pupil.school.time_zone),
            revoked: f
                .revoked_at
                .map(|at| t.datetime(at, &pupil.school.time_zone))
                .unwrap_or_default(),
        })
        .collect();
    let heading = pupil.heading(t.s("diary.calendar"));
    Ok(CalendarPage {
        c: Chrome::new(ctx, &heading, "/diary"),
        heading,
        child: pupil.person_id,
        children: switcher(all, pupil),
        here: "/diary/calendar",
        week_link: format!("/diary?child={}", pupil.person_id),
        feeds,
        new_url,
    })
}

pub async fn calendar_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<DiaryQuery>,
) -> Result<Response, AppError> {
    let (pupil, all) = chosen(&state, &ctx, &headers, q.child.as_deref()).await?;
    html(
        StatusCode::OK,
        &calendar_page(&state, &ctx, &pupil, &all, None).await?,
    )
}

/// What the diary's week is made of, read together and kept in memory: the class's lessons
/// the pupil takes (their subgroups only), with files, and the pupil's marks and absences.
/// Kept until the school's timetable or lessons, or the pupil's own records, change.
pub struct WeekData {
    pub lessons: Vec<zhurnal_store::LessonRow>,
    pub marks: Vec<DiaryMark>,
    pub absences: Vec<zhurnal_store::DiaryAbsence>,
    pub files: Vec<zhurnal_store::DiaryFile>,
}

pub async fn week_data(
    state: &AppState,
    pupil: &Pupil,
    monday: Date,
    saturday: Date,
) -> Result<std::sync::Arc<WeekData>, AppError> {
    use zhurnal_store::memo::{Dep, day_key};
    let (school, person) = (pupil.school.id, pupil.person_id);
    let (from, to) = (monday.to_string(), saturday.to_string());
    let store = &state.store;
    let load = async {
        let groups = store.person_groups(school, person).await?;
        let lessons: Vec<_> = store
            .class_lessons(school, pupil.class_id, monday, saturday)
            .await?
            .into_iter()
            .filter(|l| groups.contains(&l.group_id))
            .collect();
        let ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
        Ok::<_, zhurnal_store::StoreError>(WeekData {
            marks: store.diary_marks(school, person, &from, &to).await?,
            absences: store.diary_absences(school, person, &from, &to).await?,
            files: store.files_of_lessons(school, &ids).await?,
            lessons,
        })
    };
    let key = (
        "diary_week",
        [school, person, pupil.class_id, day_key(&from)],
    );
    Ok(store.memo(key, Dep::Person(school, person), load).await?)
}

/// Makes a calendar feed of the pupil for the actor; its address, to be shown once (only a
/// hash of its secret is kept). `origin` is where this server's addresses start.
pub async fn create_feed(
    state: &AppState,
    ctx: &Ctx,
    pupil: &Pupil,
    origin: &str,
) -> Result<(i64, String), AppError> {
    let actor = ctx.actor()?;
    let token = crate::security::random_token();
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(pupil.school.id),
        action: "diary.feed_create".into(),
        details: serde_json::json!({ "student_id": pupil.person_id }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let id = state
        .store
        .create_feed(
            pupil.school.id,
            pupil.person_id,
            actor.person_id,
            &token_hash(&token),
            &audit,
        )
        .await?;
    Ok((id, format!("{origin}/ics/{token}")))
}

/// Revokes one of the actor's feeds; anyone else's, or none, is refused as if it did not
/// exist (audited).
pub async fn revoke_feed(
    state: &AppState,
    ctx: &Ctx,
    pupil: &Pupil,
    raw: &str,
) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    let Ok(id) = raw.parse::<i64>() else {
        return Err(crate::routes::deny_object(state, ctx, "calendar_feed", raw).await);
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(pupil.school.id),
        action: "diary.feed_revoke".into(),
        details: serde_json::json!({ "student_id": pupil.person_id }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let revoked = state.store.revoke_feed(actor.person_id, id, &audit).await;
    crate::routes::or_deny(state, ctx, "calendar_feed", raw, revoked).await
}

/// The host a request reached Zhurnal by, for addresses given out.
/// Where this server's addresses start for the person asking: the configured public
/// address, else the `Host` they reached it by (a plain host name only).
pub fn origin_for(state: &AppState, headers: &HeaderMap) -> String {
    state
        .cfg
        .origin_of(headers)
        .unwrap_or_else(|| "http://localhost".to_owned())
}

/// Makes a feed (`op=create`: its address is shown once) or revokes one (`op=revoke`).
pub async fn calendar_post(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = super::FormPairs(pairs);
    super::auth::check_csrf(&ctx, form.one("csrf"))?;
    let (pupil, all) = pick(&state, &ctx, Some(form.one("child")), None).await?;
    let new_url = match form.one("op") {
        "create" => Some(
            create_feed(&state, &ctx, &pupil, &origin_for(&state, &headers))
                .await?
                .1,
        ),
        "revoke" => {
            revoke_feed(&state, &ctx, &pupil, form.one("feed")).await?;
            None
        }
        _ => return Err(AppError::BadRequest("unknown op".into())),
    };
    html(
        StatusCode::OK,
        &calendar_page(&state, &ctx, &pupil, &all, new_url).await?,
    )
}

/// The feed itself (public: the secret in the address is the key): the student's lessons
/// from a week ago to four weeks ahead, with times, rooms and topics, and homework on the
/// day it is due. An unknown or revoked secret, an owner who lost access to the child (a
/// parent link removed, the child left), or parents' refusal of electronic access answers 404.
pub async fn feed_get(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    let token = token.trim_end_matches(".ics");
    let Some(feed) = state.store.feed_by_token(&token_hash(token)).await? else {
        return Err(AppError::NotFound);
    };
    let still_allowed = feed.owner_id == feed.student_id
        || state
            .store
            .children_of(feed.owner_id)
            .await?
            .iter()
            .any(|c| c.person_id == feed.student_id);
    let Some(school) = state.store.school(feed.school_id).await? else {
        return Err(AppError::NotFound);
    };
    let groups = state
        .store
        .person_groups(school.id, feed.student_id)
        .await?;
    let classes = state.store.group_classes(school.id).await?;
    let class = groups
        .iter()
        .find(|g| classes.get(g).is_some_and(|c| c.0 == **g))
        .copied();
    // Parents who refused electronic access (§3.6) get no feed either.
    let refused = state.store.refused_on(feed.student_id).await?.is_some();
    let (Some(class), true, false) = (class, still_allowed, refused) else {
        return Err(AppError::NotFound);
    };
    let today = today_in(state.clock.now(), &school.time_zone);
    let (from, to) = (add_days(today, -7), add_days(today, 28));
    let lessons: Vec<_> = state
        .store
        .class_lessons(school.id, class, from, to)
        .await?
        .into_iter()
        .filter(|l| groups.contains(&l.group_id))
        .collect();
    let schedules = state.store.bell_schedules(school.id).await?;
    let shift = state
        .store
        .class_shifts(school.id)
        .await?
        .get(&class)
        .copied()
        .unwrap_or(1);
    let tz = jiff::tz::TimeZone::get(&school.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let mut events = Vec::new();
    for l in &lessons {
        let Ok(date) = l.date.parse::<Date>() else {
            continue;
        };
        let bells = bells_for(&schedules, shift, date.weekday().to_monday_one_offset());
        let Some(bell) = bells.iter().find(|b| i32::from(b.number) == l.number) else {
            continue;
        };
        let at = |time: jiff::civil::Time| date.to_datetime(time).to_zoned(tz.clone()).ok();
        let (Some(start), Some(end)) = (at(bell.start), at(bell.end)) else {
            continue;
        };
        let mut description = Vec::new();
        if !l.topic.is_empty() {
            description.push(format!("Тема: {}", l.topic));
        }
        if !l.homework.is_empty() {
            description.push(format!("Домашнее задание: {}", l.homework));
        }
        let teacher = l.teacher_short_name();
        if !teacher.is_empty() {
            description.push(format!("Учитель: {teacher}"));
        }
        events.push(zhurnal_core::ical::Event {
            uid: format!("lesson-{}@zhurnal", l.id),
            when: zhurnal_core::ical::When::Timed(start.timestamp(), end.timestamp()),
            summary: l.subject_name.clone(),
            location: if l.room.is_empty() {
                String::new()
            } else {
                format!("каб. {}", l.room)
            },
            description: description.join("\n"),
            cancelled: l.status == "cancelled",
        });
    }
    for h in state
        .store
        .homework_due(school.id, &groups, &from.to_string(), &to.to_string())
        .await?
    {
        let Some(due) = h
            .homework_due
            .as_deref()
            .and_then(|d| d.parse::<Date>().ok())
        else {
            continue;
        };
        events.push(zhurnal_core::ical::Event {
            uid: format!("homework-{}@zhurnal", h.lesson_id),
            when: zhurnal_core::ical::When::Day(due),
            summary: format!("ДЗ: {}", h.subject_name),
            location: String::new(),
            description: h.homework,
            cancelled: false,
        });
    }
    let body = zhurnal_core::ical::calendar("Дневник", &events, state.clock.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"diary.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}
