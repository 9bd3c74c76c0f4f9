//! One lesson of the journal (§4.1): its topic and homework, its works (an answer in class,
//! a test, marked homework…) with a mark per student for each, and the history of every
//! change — who, when, from where, old → new, why — which no one can edit.

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::journal::{default_work_type, may_change_or_why, may_view, parse_mark};
use crate::routes::or_deny;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::clock::today_in;
use zhurnal_core::journal::{Asker, Change, Lock, Verdict, decide};
use zhurnal_store::{MarkWrite, SchoolRow};

pub struct WorkColumn {
    pub id: i64,
    pub title: String,
}

pub struct MarkCell {
    pub name: String,
    pub value: String,
    pub label: String,
    pub error: Option<String>,
}

pub struct StudentLine {
    pub name: String,
    pub cells: Vec<MarkCell>,
}

pub struct HistoryLine {
    pub at: String,
    pub who: String,
    pub what: String,
    pub change: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "lesson.html")]
pub struct LessonPage {
    pub c: Chrome,
    pub school_id: i64,
    pub lesson_id: i64,
    pub heading: String,
    pub back: String,
    pub topic: String,
    pub homework: String,
    pub due: String,
    pub text_editable: bool,
    pub marks_editable: bool,
    pub note: Option<&'static str>,
    pub works: Vec<WorkColumn>,
    pub students: Vec<StudentLine>,
    pub work_types: Vec<Choice>,
    pub history: Vec<HistoryLine>,
    /// Files attached to the homework: (id, name, size as people read it).
    pub files: Vec<(i64, String, String)>,
    /// The deputy may correct this lesson (with a reason).
    pub can_correct: bool,
    pub student_choices: Vec<Choice>,
    pub work_choices: Vec<Choice>,
    pub done: bool,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LessonQuery {
    school: Option<String>,
    id: Option<i64>,
    done: Option<String>,
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    lesson_id: i64,
    errors: &HashMap<String, (String, String)>,
) -> Result<LessonPage, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let id_s = lesson_id.to_string();
    let Some(lesson) = state.store.lesson_row(school.id, lesson_id).await? else {
        return Err(crate::routes::deny_object(state, ctx, "lesson", &id_s).await);
    };
    if !may_view(state, ctx, school, lesson.group_id, lesson.subject_id).await? {
        return Err(crate::routes::deny_object(state, ctx, "lesson", &id_s).await);
    }
    let facts = state
        .store
        .lesson_facts(school.id, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = state.store.grading_settings(school.id).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let date: jiff::civil::Date = lesson
        .date
        .parse()
        .map_err(|_| AppError::Internal("lesson date".into()))?;
    let asker = Asker {
        gives_lesson: actor.reach(Action::EditJournal).covers(school)
            && facts.teacher_id == Some(actor.person_id),
        approves: false,
    };
    let lock = Lock {
        cancelled: lesson.status == "cancelled",
        period_closed: crate::journal::period_closed(state, school, lesson.group_id, &lesson.date)
            .await?,
    };
    let verdict = |change| {
        decide(
            asker,
            change,
            date,
            lock,
            today,
            settings.edit_window_days,
            "",
        )
    };
    let (text_v, marks_v) = (verdict(Change::Text), verdict(Change::Result));
    let note = match marks_v {
        // No reason is given here, so it cannot be too long.
        Verdict::Allowed | Verdict::NotTheirs | Verdict::ReasonTooLong => None,
        Verdict::NotYet => Some("journal.not_yet"),
        Verdict::WindowClosed | Verdict::ReasonNeeded => Some("journal.window_closed"),
        Verdict::Cancelled => Some("journal.cancelled"),
        Verdict::PeriodClosed => Some("journal.period_closed"),
    };
    let journal = state
        .store
        .journal(
            school.id,
            lesson.group_id,
            lesson.subject_id,
            &lesson.date,
            &lesson.date,
        )
        .await?;
    let text = journal.lessons.iter().find(|l| l.id == lesson_id);
    let types = state.store.work_types(school.id).await?;
    let type_name = |id: i64| {
        types
            .iter()
            .find(|w| w.id == id)
            .map_or(String::new(), |w| format!("{} (×{})", w.name, w.weight))
    };
    let works: Vec<WorkColumn> = journal
        .works
        .iter()
        .filter(|w| w.lesson_id == lesson_id)
        .map(|w| WorkColumn {
            id: w.id,
            title: if w.kind == "homework" {
                format!(
                    "{}, {}",
                    type_name(w.work_type_id),
                    t.s("lesson.homework_kind")
                )
            } else {
                type_name(w.work_type_id)
            },
        })
        .collect();
    let work_choices: Vec<Choice> = works
        .iter()
        .map(|w| Choice {
            value: w.id.to_string(),
            label: w.title.clone(),
            selected: false,
        })
        .collect();
    let members = state
        .store
        .group_members(school.id, lesson.group_id)
        .await?;
    let students = members
        .iter()
        .map(|p| StudentLine {
            name: p.full_name(),
            cells: works
                .iter()
                .map(|w| {
                    let name = format!("w-{}-{}", w.id, p.id);
                    let (value, error) = match errors.get(&name) {
                        Some((typed, message)) => (typed.clone(), Some(message.clone())),
                        None => (
                            journal
                                .marks
                                .iter()
                                .find(|m| m.work_id == w.id && m.person_id == p.id)
                                .map_or(String::new(), |m| m.value.clone()),
                            None,
                        ),
                    };
                    MarkCell {
                        label: format!("{}, {}", p.short_name(), w.title),
                        name,
                        value,
                        error,
                    }
                })
                .collect(),
        })
        .collect();
    // The history: for the lesson's teacher, the class teacher and the administration
    // (whoever may see this journal).
    let people: HashMap<i64, String> = state
        .store
        .school_teachers(school.id)
        .await?
        .into_iter()
        .chain(members.iter().cloned())
        .map(|p| (p.id, p.short_name()))
        .collect();
    let history = state
        .store
        .lesson_history(school.id, lesson_id)
        .await?
        .into_iter()
        .map(|h| {
            let whom = h
                .person_id
                .and_then(|p| people.get(&p).cloned())
                .unwrap_or_default();
            HistoryLine {
                at: t.datetime(h.at, &school.time_zone),
                who: h
                    .actor_id
                    .and_then(|p| people.get(&p).cloned())
                    .unwrap_or_else(|| "—".into()),
                what: match h.kind.as_str() {
                    "mark" => format!("{}: {whom}", t.s("lesson.h_mark")),
                    "absence" => format!("{}: {whom}", t.s("lesson.h_absence")),
                    _ => t.s("lesson.h_text").to_owned(),
                },
                change: format!(
                    "{} → {}",
                    h.old_value.as_deref().unwrap_or("—"),
                    h.new_value.as_deref().unwrap_or("—")
                ),
                reason: h.reason,
            }
        })
        .collect();
    Ok(LessonPage {
        c: Chrome::new(ctx, t.s("lesson.title"), "/journal"),
        school_id: school.id,
        lesson_id,
        heading: format!(
            "{} · {}, {}, {}",
            lesson.group_name,
            lesson.subject_name,
            t.weekday_date(date),
            t.lesson_number(lesson.number)
        ),
        back: format!(
            "/journal?school={}&journal={}-{}",
            school.id, lesson.group_id, lesson.subject_id
        ),
        topic: text.map_or(String::new(), |l| l.topic.clone()),
        homework: text.map_or(String::new(), |l| l.homework.clone()),
        due: text
            .and_then(|l| l.homework_due.clone())
            .unwrap_or_default(),
        text_editable: text_v == Verdict::Allowed,
        marks_editable: marks_v == Verdict::Allowed,
        note,
        works,
        students,
        work_types: types
            .iter()
            .filter(|w| !w.is_final)
            .map(|w| Choice {
                value: w.id.to_string(),
                label: format!("{} (×{})", w.name, w.weight),
                selected: false,
            })
            .collect(),
        history,
        files: state
            .store
            .lesson_files(school.id, lesson_id)
            .await?
            .into_iter()
            .map(|f| {
                let size = if f.size >= 1024 * 1024 {
                    format!("{:.1} МБ", f.size as f64 / 1048576.0)
                } else {
                    format!("{} КБ", (f.size + 1023) / 1024)
                };
                (f.id, f.name, size)
            })
            .collect(),
        can_correct: actor
            .reach(Action::ApproveJournalCorrections)
            .covers(school)
            && marks_v != Verdict::Allowed
            && marks_v != Verdict::NotYet
            && lesson.status != "cancelled",
        student_choices: members
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.full_name(),
                selected: false,
            })
            .collect(),
        work_choices,
        done: false,
        error: None,
    })
}

pub async fn lesson_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LessonQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let id = q.id.ok_or(AppError::NotFound)?;
    let mut p = build(&state, &ctx, &school, id, &HashMap::new()).await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

pub async fn lesson_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let reach = ctx.actor()?.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let lesson_id: i64 = form.one("id").parse().map_err(|_| AppError::NotFound)?;
    let t = ctx.t();
    let back = format!("/journal/lesson?school={}&id={lesson_id}&done=1", school.id);
    let audit = |action: &str| zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: action.into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match form.one("op") {
        "text" => {
            let allowed = match allowed_or_refuse(
                &state,
                &ctx,
                &school,
                lesson_id,
                Change::Text,
                "",
            )
            .await?
            {
                Ok(a) => a,
                Err(page) => return Ok(page),
            };
            let (topic, homework) = (form.one("topic").trim(), form.one("homework").trim());
            if topic.chars().count() > 500 {
                return refuse(
                    &state,
                    &ctx,
                    &school,
                    lesson_id,
                    t.s("journal.topic_long").to_owned(),
                )
                .await;
            }
            if homework.chars().count() > 4000 {
                return refuse(
                    &state,
                    &ctx,
                    &school,
                    lesson_id,
                    t.s("journal.homework_long").to_owned(),
                )
                .await;
            }
            let due = match form.one("due").trim() {
                "" => None,
                raw => match raw.parse::<jiff::civil::Date>() {
                    Ok(d) if d.to_string() >= allowed.lesson.date => Some(d.to_string()),
                    _ => {
                        return refuse(
                            &state,
                            &ctx,
                            &school,
                            lesson_id,
                            t.s("journal.bad_due").to_owned(),
                        )
                        .await;
                    }
                },
            };
            state
                .store
                .write_lesson_text(
                    school.id,
                    lesson_id,
                    topic,
                    homework,
                    due.as_deref(),
                    &audit("journal.lesson"),
                )
                .await?;
        }
        "delete_file" => {
            if let Err(page) =
                allowed_or_refuse(&state, &ctx, &school, lesson_id, Change::Text, "").await?
            {
                return Ok(page);
            }
            let file: i64 = form.one("file").parse().map_err(|_| AppError::NotFound)?;
            let removed = state
                .store
                .remove_lesson_file(school.id, lesson_id, file, &audit("journal.file_remove"))
                .await;
            or_deny(&state, &ctx, "lesson_file", &file.to_string(), removed).await?;
        }
        "add_work" => {
            if let Err(page) =
                allowed_or_refuse(&state, &ctx, &school, lesson_id, Change::Result, "").await?
            {
                return Ok(page);
            }
            let work_type: i64 = form
                .one("work_type")
                .parse()
                .map_err(|_| AppError::BadRequest("work_type".into()))?;
            let kind = if form.one("kind") == "homework" {
                "homework"
            } else {
                "lesson"
            };
            let added = state
                .store
                .add_work(
                    school.id,
                    lesson_id,
                    work_type,
                    kind,
                    "",
                    &audit("journal.work"),
                )
                .await;
            or_deny(&state, &ctx, "work_type", &work_type.to_string(), added).await?;
        }
        "marks" => {
            let allowed =
                match allowed_or_refuse(&state, &ctx, &school, lesson_id, Change::Result, "")
                    .await?
                {
                    Ok(a) => a,
                    Err(page) => return Ok(page),
                };
            let members: Vec<i64> = state
                .store
                .group_members(school.id, allowed.lesson.group_id)
                .await?
                .iter()
                .map(|p| p.id)
                .collect();
            let (group, subject) = (allowed.lesson.group_id, allowed.lesson.subject_id);
            let grading = crate::journal::grading_of(&state, school.id, group, subject).await?;
            let mut errors: HashMap<String, (String, String)> = HashMap::new();
            for (name, value) in &form.0 {
                let Some(rest) = name.strip_prefix("w-") else {
                    continue;
                };
                let typed = value.trim();
                if typed == form.one(&format!("o-{rest}")).trim() {
                    continue;
                }
                let mut ids = rest.split('-').map(|p| p.parse::<i64>().ok());
                let (Some(Some(work)), Some(Some(person)), None) =
                    (ids.next(), ids.next(), ids.next())
                else {
                    return Err(AppError::BadRequest(format!("unknown field {name}")));
                };
                if !members.contains(&person) {
                    return Err(crate::routes::deny_object(
                        &state,
                        &ctx,
                        "student",
                        &person.to_string(),
                    )
                    .await);
                }
                let value = if typed.is_empty() {
                    None
                } else {
                    match parse_mark(&allowed.settings, grading, typed) {
                        Ok(v) => Some(v.code()),
                        Err(key) => {
                            errors.insert(name.clone(), (typed.to_owned(), t.s(key).to_owned()));
                            continue;
                        }
                    }
                };
                let write = MarkWrite {
                    lesson_id,
                    work_id: Some(work),
                    work_type_id: 0,
                    person_id: person,
                    value: value.as_deref(),
                    comment: "",
                    reason: "",
                    idempotency_key: None,
                };
                let written = state
                    .store
                    .write_mark(school.id, &write, &audit("journal.mark"))
                    .await;
                or_deny(&state, &ctx, "work", &work.to_string(), written).await?;
            }
            if !errors.is_empty() {
                let mut p = build(&state, &ctx, &school, lesson_id, &errors).await?;
                p.error = Some(t.s("journal.cells_refused").to_owned());
                return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
            }
        }
        _ => return Err(AppError::BadRequest("unknown operation".into())),
    }
    Ok(crate::error::redirect(&back).into_response())
}

/// A refusal, shown on the lesson's page above its forms.
async fn refuse(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    lesson_id: i64,
    message: String,
) -> Result<Response, AppError> {
    let mut p = build(state, ctx, school, lesson_id, &HashMap::new()).await?;
    p.error = Some(message);
    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// A correction by the deputy director, from the lesson's page: one student's mark on one
/// work (or on the lesson's answer in class), always with a reason.
pub async fn correction_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let reach = ctx.actor()?.reach(Action::ApproveJournalCorrections);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let lesson_id: i64 = form.one("id").parse().map_err(|_| AppError::NotFound)?;
    let reason = form.one("reason").trim();
    let allowed =
        match allowed_or_refuse(&state, &ctx, &school, lesson_id, Change::Result, reason).await? {
            Ok(a) => a,
            Err(page) => return Ok(page),
        };
    let person: i64 = form.one("person").parse().map_err(|_| AppError::NotFound)?;
    if !state
        .store
        .member_on(
            school.id,
            allowed.lesson.group_id,
            person,
            &allowed.lesson.date,
        )
        .await?
    {
        return Err(crate::routes::deny_object(&state, &ctx, "student", &person.to_string()).await);
    }
    let t = ctx.t();
    let typed = form.one("value").trim();
    let value = if typed.is_empty() {
        None
    } else {
        let lesson = &allowed.lesson;
        let grading =
            crate::journal::grading_of(&state, school.id, lesson.group_id, lesson.subject_id)
                .await?;
        match parse_mark(&allowed.settings, grading, typed) {
            Ok(v) => Some(v.code()),
            Err(key) => return refuse(&state, &ctx, &school, lesson_id, t.s(key).to_owned()).await,
        }
    };
    let default_type = default_work_type(&state, &school).await?;
    let write = MarkWrite {
        lesson_id,
        work_id: form.one("work").parse().ok(),
        work_type_id: default_type,
        person_id: person,
        value: value.as_deref(),
        comment: "",
        reason,
        idempotency_key: None,
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "journal.correction".into(),
        details: serde_json::json!({ "lesson_id": lesson_id, "person_id": person, "value": value, "reason": reason }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let written = state.store.write_mark(school.id, &write, &audit).await;
    or_deny(&state, &ctx, "work", form.one("work"), written).await?;
    Ok(crate::error::redirect(&format!(
        "/journal/lesson?school={}&id={lesson_id}&done=1",
        school.id
    ))
    .into_response())
}

/// Attaches a file to a lesson's homework (multipart form from the lesson page). The CSRF
/// token is checked before the file is looked at; type and size by [`crate::files::check`].
pub async fn file_post(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let (fields, file) = crate::files::read_upload(&ctx, multipart).await?;
    let field = |k: &str| fields.get(k).map_or("", String::as_str);
    let reach = ctx.actor()?.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(field("school"))).await?;
    let lesson_id: i64 = field("id").parse().map_err(|_| AppError::NotFound)?;
    if let Err(page) = allowed_or_refuse(&state, &ctx, &school, lesson_id, Change::Text, "").await?
    {
        return Ok(page);
    }
    let t = ctx.t();
    let Some((raw_name, data)) = file.filter(|(n, _)| !n.is_empty()) else {
        return refuse(
            &state,
            &ctx,
            &school,
            lesson_id,
            t.s("files.none").to_owned(),
        )
        .await;
    };
    if let Err(message) = attach(&state, &ctx, &school, lesson_id, &raw_name, &data).await? {
        return refuse(&state, &ctx, &school, lesson_id, message).await;
    }
    Ok(crate::error::redirect(&format!(
        "/journal/lesson?school={}&id={lesson_id}&done=1",
        school.id
    ))
    .into_response())
}

/// Attaches a file to a lesson the caller may change: at most [`crate::files::MAX_PER_LESSON`]
/// per lesson, type and size by [`crate::files::check`], audited with its hash. `Err` says
/// why not, in the user's language.
pub async fn attach(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    lesson_id: i64,
    raw_name: &str,
    data: &[u8],
) -> Result<Result<zhurnal_store::LessonFileRow, String>, AppError> {
    let t = ctx.t();
    if state.store.lesson_files(school.id, lesson_id).await?.len() >= crate::files::MAX_PER_LESSON {
        return Ok(Err(t.s("files.too_many").to_owned()));
    }
    let name = crate::files::safe_name(raw_name);
    let content_type = match crate::files::check(&name, data) {
        Ok(c) => c,
        Err(key) => return Ok(Err(t.s(key).to_owned())),
    };
    use sha2::{Digest, Sha256};
    let sha = hex::encode(Sha256::digest(data));
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "journal.file".into(),
        details: serde_json::json!({ "lesson_id": lesson_id, "name": name, "size": data.len(), "sha256": sha }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let new = zhurnal_store::NewLessonFile {
        name: &name,
        content_type,
        sha256: &sha,
        data,
    };
    let id = state
        .store
        .add_lesson_file(school.id, lesson_id, &new, &audit)
        .await?;
    Ok(Ok(zhurnal_store::LessonFileRow {
        id,
        lesson_id,
        size: data.len() as i64,
        content_type: content_type.to_owned(),
        name,
    }))
}

#[derive(Deserialize, Default)]
pub struct FileQuery {
    school: Option<String>,
    id: Option<i64>,
}

/// Sends an attached file to whoever may read the lesson's journal, always as a download
/// (never rendered in the page's origin).
pub async fn file_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FileQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let id = q.id.ok_or(AppError::NotFound)?;
    let (meta, data) = readable_file(&state, &ctx, &school, id).await?;
    Ok(crate::files::download(&meta.name, meta.content_type, data))
}

/// A lesson's file, for whoever may read the lesson's journal; anyone else is refused as if
/// it did not exist (audited).
pub async fn readable_file(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    id: i64,
) -> Result<(zhurnal_store::LessonFileRow, Vec<u8>), AppError> {
    let Some((meta, data)) = state.store.lesson_file(school.id, id).await? else {
        return Err(crate::routes::deny_object(state, ctx, "lesson_file", &id.to_string()).await);
    };
    readable_lesson(state, ctx, school, meta.lesson_id).await?;
    Ok((meta, data))
}

/// A lesson whose journal the actor may read; any other is refused as if it did not exist
/// (audited).
pub async fn readable_lesson(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    lesson_id: i64,
) -> Result<zhurnal_store::LessonFacts, AppError> {
    if let Some(lesson) = state.store.lesson_facts(school.id, lesson_id).await?
        && may_view(state, ctx, school, lesson.group_id, lesson.subject_id).await?
    {
        return Ok(lesson);
    }
    Err(crate::routes::deny_object(state, ctx, "lesson", &lesson_id.to_string()).await)
}

/// The change allowed, or the lesson's page saying why not (a lesson out of reach stays an
/// error: 404, audited).
async fn allowed_or_refuse(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    lesson_id: i64,
    change: Change,
    reason: &str,
) -> Result<Result<crate::journal::Allowed, Response>, AppError> {
    match may_change_or_why(state, ctx, school, lesson_id, change, reason).await? {
        Ok(a) => Ok(Ok(a)),
        Err(message) => Ok(Err(refuse(state, ctx, school, lesson_id, message).await?)),
    }
}
