//! The class wall (§3.5). The class teacher writes notes to the class — a meeting, a trip,
//! a change of plans — and removes them; every family of the class (and every student who
//! asked) gets a notice. Families read the wall of their child's class next to the diary.

use super::auth::check_csrf;
use super::class_check::{chosen_class, class_choices, school_and_class};
use super::diary::{DiaryQuery, answer, chosen, switcher};
use super::timetable::{Choice, pick_school};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_store::{SchoolRow, WallPostRow, short_name};

/// A post may be a few paragraphs, not a document.
const MAX_CHARS: usize = 4000;
/// How many posts the wall shows.
pub(crate) const SHOWN: i64 = 50;

pub struct PostLine {
    pub id: i64,
    pub author: String,
    pub when: String,
    pub paragraphs: Vec<String>,
}

#[derive(Template)]
#[template(path = "wall.html")]
pub struct WallPage {
    pub c: Chrome,
    pub heading: String,
    pub here: &'static str,
    pub school_id: i64,
    pub class_id: i64,
    /// The class teacher's classes (empty for families).
    pub classes: Vec<Choice>,
    /// A parent's children (empty unless there are two or more).
    pub children: Vec<Choice>,
    pub posts: Vec<PostLine>,
    pub can_post: bool,
    pub body: String,
    pub error: Option<String>,
    pub done: Option<&'static str>,
}

/// A post's text as typed, checked: not empty, at most [`MAX_CHARS`]; line ends as browsers
/// send them (CRLF) become plain newlines. A refusal keeps the text, with the problem.
pub(crate) fn post_body(t: &crate::i18n::Tr, raw: &str) -> Result<String, (String, &'static str)> {
    let body = raw.replace("\r\n", "\n").trim().to_owned();
    if body.is_empty() {
        Err((body, t.s("wall.empty")))
    } else if body.chars().count() > MAX_CHARS {
        Err((body, t.s("wall.too_long")))
    } else {
        Ok(body)
    }
}

fn lines(posts: &[WallPostRow], tz: &str, t: &crate::i18n::Tr) -> Vec<PostLine> {
    posts
        .iter()
        .map(|p| PostLine {
            id: p.id,
            author: short_name(&p.last_name, &p.first_name, &p.middle_name),
            when: t.datetime(p.created_at, tz),
            paragraphs: p
                .body
                .split("\n\n")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        })
        .collect()
}

/// The wall of the child's class, for the family.
pub async fn family_wall_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<DiaryQuery>,
) -> Result<Response, AppError> {
    let t = ctx.t();
    let (pupil, all) = chosen(&state, &ctx, &headers, q.child.as_deref()).await?;
    let posts = state
        .store
        .wall_posts(pupil.school.id, pupil.class_id, SHOWN)
        .await?;
    let heading = format!("{} {}", t.s("wall.title"), pupil.class_name);
    let page = WallPage {
        c: Chrome::new(&ctx, &heading, "/diary/wall"),
        heading,
        here: "/diary/wall",
        school_id: pupil.school.id,
        class_id: pupil.class_id,
        classes: Vec::new(),
        children: switcher(&all, &pupil),
        posts: lines(&posts, &pupil.school.time_zone, &t),
        can_post: false,
        body: String::new(),
        error: None,
        done: None,
    };
    answer(&page, &pupil, q.child.is_some())
}

#[derive(Deserialize, Default)]
pub struct WallQuery {
    school: Option<String>,
    class: Option<String>,
    done: Option<String>,
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    asked: Option<&str>,
) -> Result<WallPage, AppError> {
    let t = ctx.t();
    let (class, classes) = chosen_class(state, ctx, school, Action::PostClassWall, asked).await?;
    let posts = state.store.wall_posts(school.id, class.id, SHOWN).await?;
    let heading = format!("{} {}", t.s("wall.title"), class.name);
    Ok(WallPage {
        c: Chrome::new(ctx, &heading, "/wall"),
        heading,
        here: "/wall",
        school_id: school.id,
        class_id: class.id,
        classes: class_choices(&classes, class.id),
        children: Vec::new(),
        posts: lines(&posts, &school.time_zone, &t),
        can_post: true,
        body: String::new(),
        error: None,
        done: None,
    })
}

/// The class teacher's wall: the posts and the form to write one.
pub async fn wall_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WallQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::PostClassWall);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let mut page = build(&state, &ctx, &school, q.class.as_deref()).await?;
    page.done = match q.done.as_deref() {
        Some("posted") => Some("wall.posted"),
        Some("removed") => Some("wall.removed"),
        _ => None,
    };
    html(StatusCode::OK, &page)
}

/// Writes a post (`op=post`) or removes one (`op=remove`, `id`).
pub async fn wall_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let (school, class, _) = school_and_class(
        &state,
        &ctx,
        Action::PostClassWall,
        Some(form.one("school")),
        Some(form.one("class")),
    )
    .await?;
    let t = ctx.t();
    let back = |what: &str| {
        Ok(crate::error::redirect(&format!(
            "/wall?school={}&class={}&done={what}",
            school.id, class.id
        ))
        .into_response())
    };
    if form.one("op") == "remove" {
        let id = form.one("id");
        let audit = zhurnal_store::AuditEntry {
            school_id: Some(school.id),
            action: "wall.remove".into(),
            details: serde_json::json!({ "class_id": class.id }).to_string(),
            ..ctx.audit_base(state.clock.now_ms())
        };
        let Ok(n) = id.parse::<i64>() else {
            return Err(crate::routes::deny_object(&state, &ctx, "wall_post", id).await);
        };
        let removed = state
            .store
            .remove_wall_post(school.id, class.id, n, &audit)
            .await;
        crate::routes::or_deny(&state, &ctx, "wall_post", id, removed).await?;
        return back("removed");
    }
    let body = match post_body(&t, form.one("body")) {
        Ok(b) => b,
        Err((typed, problem)) => {
            let mut page = build(&state, &ctx, &school, Some(&class.id.to_string())).await?;
            page.body = typed;
            page.error = Some(problem.to_owned());
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let body = body.as_str();
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "wall.post".into(),
        details: serde_json::json!({ "class_id": class.id }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .post_to_wall(school.id, class.id, &class.name, body, &audit)
        .await?;
    back("posted")
}
