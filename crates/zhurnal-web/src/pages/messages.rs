//! Messages between families and teachers (§4.2, §3.4): a parent or student writes to the
//! class teacher or to a teacher of the child's subjects; a teacher writes to the family of
//! a student they teach, or to every family of their class (one thread per family, so no
//! family ever sees another). A family member may raise a complaint, which lets the school's
//! administration read the thread.

use super::auth::check_csrf;
use super::timetable::Choice;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::diary::pupils;
use crate::routes::deny_object;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::{Action, Role};
use zhurnal_store::{ThreadRow, short_name};

pub const MAX_TOPIC: usize = 200;
pub const MAX_BODY: usize = 5000;

pub struct ThreadLine {
    pub id: i64,
    pub topic: String,
    pub about: String,
    pub when: String,
    pub unread: i64,
    pub complaint: bool,
}

#[derive(Template)]
#[template(path = "messages.html")]
pub struct MessagesPage {
    pub c: Chrome,
    pub threads: Vec<ThreadLine>,
    /// Who the actor may write to: `family:{child}:{teacher}` or `student:{id}` / `class:{id}`.
    pub recipients: Vec<Choice>,
    pub topic: String,
    pub body: String,
    pub errors: Vec<(String, String)>,
    pub complaints: bool,
}

impl MessagesPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// A recipient choice and what it means.
#[derive(Debug, Clone)]
enum Target {
    /// A family member writes about `child` to `teacher`.
    Teacher {
        school: i64,
        child: i64,
        teacher: i64,
    },
    /// A teacher writes to the family of each of `students`.
    Families { school: i64, students: Vec<i64> },
}

/// Everyone the actor may write to, by choice value, with its label.
async fn targets(state: &AppState, ctx: &Ctx) -> Result<Vec<(String, String, Target)>, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let mut out = Vec::new();
    // Families: the class teacher and the teachers of the child's groups.
    for p in pupils(state, ctx).await? {
        let school = p.school.id;
        let year = study_year_of(today_in(state.clock.now(), &p.school.time_zone));
        let groups = state.store.person_groups(school, p.person_id).await?;
        let mut seen: Vec<i64> = Vec::new();
        if let Some(c) = state
            .store
            .school_classes(school, year)
            .await?
            .into_iter()
            .find(|c| c.id == p.class_id)
            && let Some(id) = c.class_teacher_id
            && let Some(teacher) = state.store.person(id).await?
        {
            seen.push(id);
            out.push((
                format!("family:{}:{id}", p.person_id),
                format!(
                    "{} — {}: {}",
                    p.name,
                    t.s("messages.class_teacher"),
                    teacher.short_name()
                ),
                Target::Teacher {
                    school,
                    child: p.person_id,
                    teacher: id,
                },
            ));
        }
        for l in state.store.teaching_load(school).await? {
            if !groups.contains(&l.group_id) || seen.contains(&l.teacher_id) {
                continue;
            }
            seen.push(l.teacher_id);
            out.push((
                format!("family:{}:{}", p.person_id, l.teacher_id),
                format!(
                    "{} — {}: {}",
                    p.name,
                    l.subject_name,
                    short_name(&l.last_name, &l.first_name, &l.middle_name)
                ),
                Target::Teacher {
                    school,
                    child: p.person_id,
                    teacher: l.teacher_id,
                },
            ));
        }
    }
    // Staff: the families of the students they teach, one by one or a whole class.
    let staff: Vec<_> = actor
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::Teacher | Role::ClassTeacher))
        .filter_map(|g| g.school_id.map(|s| (s, g.role, g.edu_group_id)))
        .collect();
    let mut schools: Vec<i64> = staff.iter().map(|s| s.0).collect();
    schools.dedup();
    for school in schools {
        let mut groups: Vec<(i64, String)> = Vec::new();
        for l in state.store.teaching_load(school).await? {
            if l.teacher_id == actor.person_id && !groups.iter().any(|g| g.0 == l.group_id) {
                groups.push((l.group_id, l.group_name.clone()));
            }
        }
        for (_, role, class) in staff.iter().filter(|s| s.0 == school) {
            if *role == Role::ClassTeacher
                && let Some(class) = class
                && !groups.iter().any(|g| g.0 == *class)
                && let Some(name) = state.store.class_name(school, *class).await?
            {
                groups.push((*class, name));
            }
        }
        groups.sort_by(|a, b| a.1.cmp(&b.1));
        for (group, name) in groups {
            let members = state.store.group_members(school, group).await?;
            out.push((
                format!("group:{group}"),
                format!("{}: {name}", t.s("messages.all_families")),
                Target::Families {
                    school,
                    students: members.iter().map(|m| m.id).collect(),
                },
            ));
            for m in members {
                out.push((
                    format!("student:{group}:{}", m.id),
                    format!("{}: {} ({name})", t.s("messages.family_of"), m.short_name()),
                    Target::Families {
                        school,
                        students: vec![m.id],
                    },
                ));
            }
        }
    }
    Ok(out)
}

fn line(t: &crate::i18n::Tr, th: &ThreadRow, names: &HashMap<i64, String>, tz: &str) -> ThreadLine {
    ThreadLine {
        id: th.id,
        topic: th.topic.clone(),
        about: names.get(&th.student_id).cloned().unwrap_or_default(),
        when: t.datetime(th.last_at, tz),
        unread: th.unread,
        complaint: th.complaint_at.is_some(),
    }
}

async fn names_of(state: &AppState, ids: &[i64]) -> Result<HashMap<i64, String>, AppError> {
    let mut out = HashMap::new();
    for id in ids {
        if let Some(p) = state.store.person(*id).await? {
            out.insert(*id, format!("{} {}", p.first_name, p.last_name));
        }
    }
    Ok(out)
}

pub(crate) async fn build(state: &AppState, ctx: &Ctx) -> Result<MessagesPage, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let threads = state.store.threads_of(actor.person_id).await?;
    let ids: Vec<i64> = threads.iter().map(|th| th.student_id).collect();
    let names = names_of(state, &ids).await?;
    let tz = crate::refs::home_zone(state, ctx).await?;
    Ok(MessagesPage {
        c: Chrome::new(ctx, t.s("messages.title"), "/messages"),
        threads: threads.iter().map(|th| line(&t, th, &names, &tz)).collect(),
        recipients: targets(state, ctx)
            .await?
            .into_iter()
            .map(|(value, label, _)| Choice {
                value,
                label,
                selected: false,
            })
            .collect(),
        topic: String::new(),
        body: String::new(),
        errors: Vec::new(),
        complaints: !actor.reach(Action::ViewReports).schools.is_empty(),
    })
}

pub async fn messages_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    html(StatusCode::OK, &build(&state, &ctx).await?)
}

/// Starts a thread (or, to a whole class, one thread per family).
pub async fn messages_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let topic = form.one("topic").trim().to_owned();
    let body = form.one("body").trim().to_owned();
    match start(&state, &ctx, form.one("to"), &topic, &body).await? {
        Err(errors) => {
            let mut page = build(&state, &ctx).await?;
            page.topic = topic;
            page.body = body;
            page.errors = errors;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Ok(started) if started.len() == 1 => Ok(crate::error::redirect(&format!(
            "/messages/thread?id={}",
            started[0]
        ))
        .into_response()),
        Ok(_) => Ok(crate::error::redirect("/messages").into_response()),
    }
}

/// Starts a thread to a recipient the actor may write to (`to` as [`targets`] names it): to
/// a teacher about a child, or to the family of each student of a choice (one thread per
/// family). Problems come back by field (`to`, `topic`, `body`); the threads started, by id.
pub(crate) async fn start(
    state: &AppState,
    ctx: &Ctx,
    to: &str,
    topic: &str,
    body: &str,
) -> Result<Result<Vec<i64>, Vec<(String, String)>>, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let all = targets(state, ctx).await?;
    let target = all.iter().find(|(v, _, _)| v == to);
    let mut errors = Vec::new();
    if target.is_none() {
        errors.push(("to".to_owned(), t.s("messages.bad_to").to_owned()));
    }
    if topic.is_empty() || topic.chars().count() > MAX_TOPIC {
        errors.push(("topic".to_owned(), t.s("messages.bad_topic").to_owned()));
    }
    if body.is_empty() || body.chars().count() > MAX_BODY {
        errors.push(("body".to_owned(), t.s("messages.bad_body").to_owned()));
    }
    let Some((_, _, target)) = target.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let audit = |school: i64| zhurnal_store::AuditEntry {
        school_id: Some(school),
        action: "messages.start".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    // Each thread to start: (school, the student it is about, its members).
    let mut threads: Vec<(i64, i64, Vec<i64>)> = Vec::new();
    match target {
        Target::Teacher {
            school,
            child,
            teacher,
        } => {
            // The family: the parents, and the student when it is the student who writes.
            let mut members = state.store.parents_of(*child).await?;
            members.push(*teacher);
            if actor.person_id == *child {
                members.push(*child);
            }
            threads.push((*school, *child, members));
        }
        Target::Families { school, students } => {
            for student in students {
                let members = state.store.parents_of(*student).await?;
                if !members.is_empty() {
                    threads.push((*school, *student, members));
                }
            }
        }
    }
    let mut started = Vec::new();
    for (school, student, members) in threads {
        let audit = audit(school);
        started.push(
            state
                .store
                .start_thread(
                    school,
                    student,
                    topic,
                    actor.person_id,
                    &members,
                    body,
                    &audit,
                )
                .await?,
        );
    }
    Ok(Ok(started))
}

pub struct MessageLine {
    pub author: String,
    pub when: String,
    pub body: String,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "message_thread.html")]
pub struct ThreadPage {
    pub c: Chrome,
    pub id: i64,
    pub topic: String,
    pub about: String,
    pub messages: Vec<MessageLine>,
    /// A member (may reply); otherwise the administration reading a complaint.
    pub member: bool,
    pub complaint: String,
    /// A family member may raise a complaint while none is raised.
    pub may_complain: bool,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ThreadQuery {
    id: Option<i64>,
}

/// The thread if the actor is in it, or is the administration of its school and a complaint
/// was raised; anything else answers 404, audited.
pub(crate) async fn thread_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<ThreadPage, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let id_text = id.to_string();
    let deny = || deny_object(state, ctx, "message_thread", &id_text);
    let Some((thread, members, messages)) = state.store.thread(actor.person_id, id).await? else {
        return Err(deny().await);
    };
    let member = members.contains(&actor.person_id);
    let admin = thread.complaint_at.is_some()
        && actor
            .reach(Action::ViewReports)
            .schools
            .contains(&thread.school_id);
    if !member && !admin {
        return Err(deny().await);
    }
    if member {
        state.store.mark_thread_read(id, actor.person_id).await?;
    }
    let tz = crate::refs::home_zone(state, ctx).await?;
    let family = actor.person_id == thread.student_id
        || state
            .store
            .parents_of(thread.student_id)
            .await?
            .contains(&actor.person_id);
    let about = names_of(state, &[thread.student_id])
        .await?
        .remove(&thread.student_id)
        .unwrap_or_default();
    Ok(ThreadPage {
        c: Chrome::new(ctx, &thread.topic, "/messages"),
        id,
        topic: thread.topic.clone(),
        about,
        messages: messages
            .iter()
            .map(|m| MessageLine {
                author: short_name(&m.last_name, &m.first_name, &m.middle_name),
                when: t.datetime(m.created_at, &tz),
                body: m.body.clone(),
                mine: m.author_id == actor.person_id,
            })
            .collect(),
        member,
        complaint: thread
            .complaint_at
            .map(|at| t.datetime(at, &tz))
            .unwrap_or_default(),
        may_complain: member && family && thread.complaint_at.is_none(),
        error: None,
    })
}

pub async fn thread_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ThreadQuery>,
) -> Result<Response, AppError> {
    let id = q.id.ok_or(AppError::NotFound)?;
    html(StatusCode::OK, &thread_page(&state, &ctx, id).await?)
}

/// `op=reply` adds a message; `op=complaint` opens the thread to the administration.
pub async fn thread_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let actor = ctx.actor()?;
    let id: i64 = form.one("id").parse().map_err(|_| AppError::NotFound)?;
    let mut page = thread_page(&state, &ctx, id).await?;
    if !page.member {
        return Err(deny_object(&state, &ctx, "message_thread", form.one("id")).await);
    }
    let audit = |action: &str| zhurnal_store::AuditEntry {
        school_id: actor.home_school(),
        action: action.into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match form.one("op") {
        "reply" => {
            if let Err(problem) = reply(&state, &ctx, id, form.one("body")).await? {
                page.error = Some(problem);
                return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
        }
        "complaint" if page.may_complain => {
            state
                .store
                .raise_complaint(id, actor.person_id, &audit("messages.complaint"))
                .await?;
        }
        _ => return Err(AppError::BadRequest("unknown op".into())),
    }
    Ok(crate::error::redirect(&format!("/messages/thread?id={id}")).into_response())
}

/// Adds a message to a thread the actor is a member of (the caller checked that): not
/// empty, at most [`MAX_BODY`] characters, audited. A refusal says why.
pub(crate) async fn reply(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    raw: &str,
) -> Result<Result<(), String>, AppError> {
    let actor = ctx.actor()?;
    let body = raw.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY {
        return Ok(Err(ctx.t().s("messages.bad_body").to_owned()));
    }
    let audit = zhurnal_store::AuditEntry {
        school_id: actor.home_school(),
        action: "messages.reply".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state.store.reply(id, actor.person_id, body, &audit).await?;
    Ok(Ok(()))
}

#[derive(Template)]
#[template(path = "complaints.html")]
pub struct ComplaintsPage {
    pub c: Chrome,
    pub threads: Vec<ThreadLine>,
}

/// The threads families raised complaints about, for the administration of their school.
pub async fn complaints_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let t = ctx.t();
    let page = ComplaintsPage {
        c: Chrome::new(&ctx, t.s("messages.complaints"), "/messages/complaints"),
        threads: complaint_lines(&state, &ctx).await?,
    };
    html(StatusCode::OK, &page)
}

/// The threads families raised complaints about, in the schools the actor reports on.
pub(crate) async fn complaint_lines(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Vec<ThreadLine>, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let tz = crate::refs::home_zone(state, ctx).await?;
    let mut threads = Vec::new();
    for school in actor.reach(Action::ViewReports).schools {
        threads.extend(
            state
                .store
                .complaint_threads(actor.person_id, school)
                .await?,
        );
    }
    let ids: Vec<i64> = threads.iter().map(|th| th.student_id).collect();
    let names = names_of(state, &ids).await?;
    Ok(threads.iter().map(|th| line(&t, th, &names, &tz)).collect())
}
