//! The planned topics (КТП) of a journal: the teacher loads the plan from a spreadsheet
//! (CSV or XLSX) and the year's lessons without a topic get theirs in order; the page shows
//! the plan beside the dates of the lessons each topic falls on. Everyone who may read the
//! journal sees the plan; only its teacher loads one.

use super::timetable::pick_school;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::i18n::sheet_message;
use crate::journal::parse_journal_key;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::plan::{PlanError, parse};
use zhurnal_core::sheet::read;
use zhurnal_store::SchoolRow;

pub struct PlanLine {
    pub position: i32,
    pub topic: String,
    pub hours: i32,
    pub homework: String,
    /// «02.09, 04.09»: the lessons the topic falls on.
    pub dates: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub c: Chrome,
    pub school_id: i64,
    pub journal: String,
    pub heading: String,
    /// «7Б · Алгебра».
    pub label: String,
    pub editable: bool,
    pub lines: Vec<PlanLine>,
    /// Lessons of the year (not cancelled), and how many the plan covers.
    pub lessons: usize,
    pub planned: usize,
    /// After a load: «Загружено тем: N; заполнено уроков: M».
    pub done: Option<String>,
    pub errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    school: Option<String>,
    journal: Option<String>,
    topics: Option<usize>,
    filled: Option<usize>,
}

pub fn plan_message(t: &Tr, e: &PlanError) -> String {
    let at = |line: usize| format!("{} {line}: ", t.s("import.line"));
    match e {
        PlanError::Empty => t.s("plan.empty").to_owned(),
        PlanError::BlankTopic { line } => format!("{}{}", at(*line), t.s("plan.blank_topic")),
        PlanError::Hours { line, value } => {
            format!("{}{} «{value}»", at(*line), t.s("plan.bad_hours"))
        }
        PlanError::Number { line, value } => {
            format!("{}{} «{value}»", at(*line), t.s("plan.bad_number"))
        }
        PlanError::Order {
            line,
            number,
            previous,
        } => format!(
            "{}{} {number} ← {previous}",
            at(*line),
            t.s("plan.out_of_order")
        ),
        PlanError::TooLong { line, max } => {
            format!("{}{} ({max})", at(*line), t.s("plan.too_long"))
        }
        PlanError::TooMany { found } => format!("{} ({found})", t.s("plan.too_many")),
    }
}

pub async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    group: i64,
    subject: i64,
) -> Result<PlanPage, AppError> {
    let t = ctx.t();
    let label = super::journal::visible_label(state, ctx, school, group, subject).await?;
    let actor = ctx.actor()?;
    let editable = actor.reach(Action::EditJournal).covers(school)
        && state
            .store
            .teaches(school.id, actor.person_id, group, subject)
            .await?;
    let rows = state.store.topic_plan(school.id, group, subject).await?;
    let lessons: Vec<String> = state
        .store
        .journal(school.id, group, subject, "0000-01-01", "9999-12-31")
        .await?
        .lessons
        .into_iter()
        .filter(|l| l.status != "cancelled")
        .map(|l| {
            l.date
                .parse::<jiff::civil::Date>()
                .map_or(l.date.clone(), |d| d.strftime("%d.%m").to_string())
        })
        .collect();
    let mut next = 0usize;
    let lines = rows
        .into_iter()
        .map(|r| {
            let hours = usize::try_from(r.hours).unwrap_or(1);
            let dates = lessons
                .iter()
                .skip(next)
                .take(hours)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            next += hours;
            PlanLine {
                position: r.position,
                topic: r.topic,
                hours: r.hours,
                homework: r.homework,
                dates,
            }
        })
        .collect();
    Ok(PlanPage {
        c: Chrome::new(ctx, t.s("plan.title"), "/journal"),
        school_id: school.id,
        journal: format!("{group}-{subject}"),
        heading: format!("{}: {label}", t.s("plan.title")),
        label,
        editable,
        lines,
        lessons: lessons.len(),
        planned: next,
        done: None,
        errors: Vec::new(),
    })
}

/// The plan's page for its teacher; anyone else is refused as if the journal did not exist
/// (audited).
pub async fn editable(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    group: i64,
    subject: i64,
) -> Result<PlanPage, AppError> {
    let page = build(state, ctx, school, group, subject).await?;
    if !page.editable {
        return Err(crate::routes::deny_object(
            state,
            ctx,
            "journal",
            &format!("{group}:{subject}"),
        )
        .await);
    }
    Ok(page)
}

pub async fn plan_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let (group, subject) = q
        .journal
        .as_deref()
        .and_then(parse_journal_key)
        .ok_or(AppError::NotFound)?;
    let mut page = build(&state, &ctx, &school, group, subject).await?;
    if let (Some(topics), Some(filled)) = (q.topics, q.filled) {
        let t = ctx.t();
        page.done = Some(format!(
            "{}: {topics}; {}: {filled}.",
            t.s("plan.loaded"),
            t.s("plan.filled")
        ));
    }
    html(StatusCode::OK, &page)
}

/// Loads a plan (a file in the form) or, without a file and with `apply`, fills the empty
/// topics again from the plan already loaded — after the timetable brought new lessons.
pub async fn plan_post(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let (fields, file) = crate::files::read_upload(&ctx, multipart).await?;
    let field = |k: &str| fields.get(k).map_or("", String::as_str);
    let reach = ctx.actor()?.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(field("school"))).await?;
    let (group, subject) = parse_journal_key(field("journal")).ok_or(AppError::NotFound)?;
    let mut page = editable(&state, &ctx, &school, group, subject).await?;
    let t = ctx.t();
    let file = file.filter(|(name, _)| !name.is_empty());
    let name = file.as_ref().map(|(n, _)| crate::files::safe_name(n));
    let plan = match file {
        None if field("apply").is_empty() => {
            page.errors.push(t.s("files.none").to_owned());
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        None => None,
        Some((_, data)) => {
            let rows = match crate::blocking::parse(move || read(&data)).await? {
                Ok(rows) => rows,
                Err(e) => {
                    page.errors.push(sheet_message(&t, &e));
                    return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
                }
            };
            match parse(&rows) {
                Ok(plan) => Some(plan),
                Err(errors) => {
                    page.errors = errors.iter().map(|e| plan_message(&t, e)).collect();
                    return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
                }
            }
        }
    };
    let filled = save_plan(
        &state,
        &ctx,
        &school,
        (group, subject),
        plan.as_deref(),
        name,
    )
    .await?;
    let topics = match &plan {
        Some(p) => p.len(),
        None => page.lines.len(),
    };
    Ok(crate::error::redirect(&format!(
        "/journal/plan?school={}&journal={group}-{subject}&topics={topics}&filled={filled}",
        school.id
    ))
    .into_response())
}

/// Saves a plan (or, with `None`, fills empty topics again from the saved one), audited;
/// the number of lessons that got a topic.
pub async fn save_plan(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (group, subject): (i64, i64),
    plan: Option<&[zhurnal_core::plan::PlannedTopic]>,
    file: Option<String>,
) -> Result<usize, AppError> {
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: if plan.is_some() {
            "journal.plan"
        } else {
            "journal.plan_apply"
        }
        .into(),
        details: serde_json::json!({
            "group_id": group,
            "subject_id": subject,
            "file": file,
            "topics": plan.map(<[_]>::len),
        })
        .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    Ok(state
        .store
        .save_topic_plan(school.id, group, subject, plan, &audit)
        .await?)
}
