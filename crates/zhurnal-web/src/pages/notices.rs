//! A family's notices: what changed in the journal about their children (new and changed
//! marks, absences, period marks), unread first counted, and how they want to hear about
//! it — by email at once, as one digest a day, or only here.

use super::auth::check_csrf;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use zhurnal_core::Role;

pub struct NoticeLine {
    pub when: String,
    pub child: String,
    pub text: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notices.html")]
pub struct NoticesPage {
    pub c: Chrome,
    pub notices: Vec<NoticeLine>,
    pub unread: i64,
    pub email: String,
    pub mode: String,
    pub own: bool,
    /// Students choose whether to hear about their own marks.
    pub student: bool,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
}

impl NoticesPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

async fn build(state: &AppState, ctx: &Ctx) -> Result<NoticesPage, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let settings = state.store.notification_settings(actor.person_id).await?;
    let zone = crate::refs::home_zone(state, ctx).await?;
    let notices = state
        .store
        .notices_of(actor.person_id, 100)
        .await?
        .into_iter()
        .map(|n| NoticeLine {
            when: t.datetime(n.created_at, &zone),
            child: format!("{} {}", n.student_first_name, n.student_last_name),
            text: crate::mail::describe(&t, &n),
            unread: n.read_at.is_none(),
        })
        .collect();
    Ok(NoticesPage {
        c: Chrome::new(ctx, t.s("notify.title"), "/notifications"),
        notices,
        unread: state.store.unread_notices(actor.person_id).await?,
        email: settings.email,
        mode: settings.mode,
        own: settings.own,
        student: actor.grants.iter().any(|g| g.role == Role::Student),
        errors: Vec::new(),
        saved: false,
    })
}

/// What is wrong with notice settings, by field (`email`, `mode`), in the person's language:
/// an address that is not one, a way to hear that does not exist, email without an address.
pub(crate) fn settings_problems(
    t: &crate::i18n::Tr,
    email: &str,
    mode: &str,
) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let plausible = email.len() <= 254
        && email.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.')
        })
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>');
    if !email.is_empty() && !plausible {
        errors.push(("email".to_owned(), t.s("notify.bad_email").to_owned()));
    }
    if !["off", "immediate", "digest"].contains(&mode) {
        errors.push(("mode".to_owned(), t.s("notify.bad_mode").to_owned()));
    }
    if mode != "off" && email.is_empty() && errors.is_empty() {
        errors.push(("email".to_owned(), t.s("notify.email_needed").to_owned()));
    }
    errors
}

/// Saves checked notice settings of the actor, audited.
pub(crate) async fn save_settings(
    state: &AppState,
    ctx: &Ctx,
    email: &str,
    mode: &str,
    own: bool,
) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    let audit = zhurnal_store::AuditEntry {
        school_id: actor.home_school(),
        action: "notify.settings".into(),
        details: serde_json::json!({ "mode": mode, "email_set": !email.is_empty() }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .save_notification_settings(actor.person_id, email, mode, own, &audit)
        .await?;
    Ok(())
}

#[derive(serde::Deserialize, Default)]
pub struct NoticesQuery {
    saved: Option<String>,
}

pub async fn notices_get(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<NoticesQuery>,
) -> Result<Response, AppError> {
    let mut page = build(&state, &ctx).await?;
    page.saved = q.saved.is_some();
    html(StatusCode::OK, &page)
}

/// `op=read` marks everything read; `op=settings` saves the address and the way to hear.
pub async fn notices_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let actor = ctx.actor()?;
    let t = ctx.t();
    match form.one("op") {
        "read" => {
            state
                .store
                .mark_notices_read(actor.person_id, state.clock.now_ms())
                .await?;
        }
        "settings" => {
            let email = form.one("email").trim().to_owned();
            let mode = form.one("mode");
            let errors = settings_problems(&t, &email, mode);
            if !errors.is_empty() {
                let mut page = build(&state, &ctx).await?;
                page.email = email;
                page.mode = mode.to_owned();
                page.errors = errors;
                return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
            save_settings(&state, &ctx, &email, mode, form.one("own") == "1").await?;
            return Ok(crate::error::redirect("/notifications?saved=1").into_response());
        }
        _ => return Err(AppError::BadRequest("unknown op".into())),
    }
    Ok(crate::error::redirect("/notifications").into_response())
}
