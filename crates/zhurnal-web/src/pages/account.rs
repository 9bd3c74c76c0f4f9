//! One's own account: login shown, password changed.

use super::auth::check_csrf;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::security::{hash_password, verify_password};
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use zhurnal_core::account::{PasswordError, check_new_password};
use zhurnal_store::{AuditEntry, ip_key, login_key};

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub c: Chrome,
    pub login: String,
    pub done: bool,
    pub summary: Option<&'static str>,
    pub current_error: Option<&'static str>,
    pub new_error: Option<&'static str>,
    pub repeat_error: Option<&'static str>,
    pub locked_for: Option<String>,
}

impl AccountPage {
    fn new(ctx: &Ctx) -> Result<AccountPage, AppError> {
        let t = ctx.t();
        Ok(AccountPage {
            c: Chrome::new(ctx, t.s("account.title"), "/account"),
            login: ctx.actor()?.login.clone(),
            done: false,
            summary: None,
            current_error: None,
            new_error: None,
            repeat_error: None,
            locked_for: None,
        })
    }
}

pub async fn account_get(ctx: Ctx) -> Result<Response, AppError> {
    html(StatusCode::OK, &AccountPage::new(&ctx)?)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub fn policy_message(e: PasswordError) -> &'static str {
    match e {
        PasswordError::TooShort => "account.too_short",
        PasswordError::TooLong => "account.too_long",
        PasswordError::TooCommon => "account.too_common",
        PasswordError::ContainsLogin => "account.contains_login",
    }
}

/// What a change of one's own password came to.
pub enum PasswordOutcome {
    Changed,
    /// Too many wrong current passwords: minutes until the next try.
    Locked {
        minutes: i64,
    },
    /// Message keys by field: `current`, `new`, `repeat`.
    Problems(Vec<(&'static str, &'static str)>),
}

/// Changes the actor's password: the current one checked under the login throttle, the new
/// one by the policy; every other session and token of the account ends. The one rule for
/// the page and the API.
pub async fn change_own_password(
    state: &AppState,
    ctx: &Ctx,
    current: String,
    new: String,
    repeat: &str,
) -> Result<PasswordOutcome, AppError> {
    let actor = ctx.actor()?;
    let mut problems = Vec::new();
    if let Err(e) = check_new_password(&new, &actor.login) {
        problems.push(("new", policy_message(e)));
    }
    if new != repeat {
        problems.push(("repeat", "account.mismatch"));
    }
    let creds = state
        .store
        .credentials(&actor.login)
        .await?
        .ok_or(AppError::Unauthorized)?;
    // The current password is checked under the same throttle as a login: a session left
    // open must not become a way to guess it.
    let now = state.clock.now_ms();
    let policy = state.cfg.throttle;
    let keys = [
        (login_key(&actor.login), policy.max_per_login),
        (ip_key(&ctx.ip), policy.max_per_ip),
    ];
    let event = |action: &str, outcome: &str| AuditEntry {
        school_id: actor.home_school(),
        action: action.into(),
        target_kind: "user".into(),
        target_id: actor.user_id.to_string(),
        outcome: outcome.into(),
        details: "{\"reason\":\"wrong_current_password\"}".into(),
        ..ctx.audit_base(now)
    };
    let mut locked = state
        .store
        .reserve_login_attempt(&keys, policy, &event("auth.lock", "failure"))
        .await?;
    if locked.is_none() {
        if verify_password(current, creds.password_hash).await {
            state
                .store
                .release_login_attempt(&keys[0].0, &keys[1].0)
                .await?;
        } else {
            problems.insert(0, ("current", "account.wrong_current"));
            locked = state
                .store
                .record_login_failure(&keys, policy, event("account.password", "failure"))
                .await?;
        }
    }
    if let Some(until) = locked {
        let minutes = ((until - now) / 1000 + 59) / 60;
        return Ok(PasswordOutcome::Locked {
            minutes: minutes.max(1),
        });
    }
    if !problems.is_empty() {
        return Ok(PasswordOutcome::Problems(problems));
    }
    let hash = hash_password(new).await.map_err(AppError::Internal)?;
    let entry = AuditEntry {
        school_id: actor.home_school(),
        action: "account.password".into(),
        target_kind: "user".into(),
        target_id: actor.user_id.to_string(),
        details: "{}".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .change_password(actor.user_id, Some(actor.session_id), &hash, &entry)
        .await?;
    Ok(PasswordOutcome::Changed)
}

pub async fn password_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let t = ctx.t();
    let mut page = AccountPage::new(&ctx)?;
    match change_own_password(&state, &ctx, form.current, form.new, &form.repeat).await? {
        PasswordOutcome::Changed => {
            page.done = true;
            html(StatusCode::OK, &page)
        }
        PasswordOutcome::Locked { minutes } => {
            page.summary = Some(t.s("account.locked"));
            page.locked_for = Some(t.minutes(minutes));
            html(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        PasswordOutcome::Problems(problems) => {
            for (field, key) in problems {
                let slot = match field {
                    "current" => &mut page.current_error,
                    "new" => &mut page.new_error,
                    _ => &mut page.repeat_error,
                };
                *slot = Some(t.s(key));
            }
            page.summary = Some(t.s("account.form_errors"));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
