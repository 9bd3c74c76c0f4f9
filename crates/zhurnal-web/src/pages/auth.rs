//! The login form and logout.

use super::{Chrome, html};
use crate::ctx::{Ctx, LOGIN_CSRF_COOKIE, cookie};
use crate::error::safe_next;
use crate::login::{self, Outcome, Refusal};
use crate::security::{constant_time_eq, random_token};
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub c: Chrome,
    pub csrf: String,
    pub login: String,
    pub next: String,
    pub error: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

/// Renders the form with a fresh double-submit token in a cookie and in the form.
fn login_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    login: &str,
    next: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let t = ctx.t();
    let csrf = random_token();
    let page = LoginPage {
        c: Chrome::new(ctx, t.s("login.title"), "/login"),
        csrf: csrf.clone(),
        login: login.to_owned(),
        next: next.to_owned(),
        error,
    };
    let mut res = html(status, &page)?;
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict{secure}");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

pub async fn login_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    if ctx.actor.is_some() {
        return Ok(crate::error::redirect(&next).into_response());
    }
    let notice = ctx
        .session_expired
        .then(|| ctx.t().s("login.expired").to_owned());
    login_page(&state, &ctx, StatusCode::OK, "", &next, notice)
}

pub async fn login_post(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !constant_time_eq(expected, &form.csrf) {
        return Err(AppError::Csrf);
    }
    let t = ctx.t();
    let next = safe_next(form.next.as_deref());
    if form.login.trim().is_empty() || form.password.is_empty() {
        return login_page(
            &state,
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.login,
            &next,
            Some(t.s("login.required").into()),
        );
    }
    match login::login(&state, &ctx, &form.login, &form.password, "web").await? {
        Outcome::Opened(opened) => {
            let mut res = crate::error::redirect(&next).into_response();
            let name = state.session_cookie_name();
            let secure = if state.cfg.secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let max_age = (opened.expires_at - state.clock.now_ms()) / 1000;
            let session = format!(
                "{name}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
                opened.token
            );
            let clear_csrf = format!(
                "{LOGIN_CSRF_COOKIE}=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict{secure}"
            );
            for c in [session, clear_csrf] {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            Ok(res)
        }
        Outcome::Refused(Refusal::Invalid) => login_page(
            &state,
            &ctx,
            StatusCode::UNAUTHORIZED,
            &form.login,
            &next,
            Some(t.s("login.failed").into()),
        ),
        Outcome::Refused(Refusal::Locked(until)) => {
            let secs = ((until - state.clock.now_ms()) / 1000).max(1);
            let minutes = (secs + 59) / 60;
            let message = format!("{} {}.", t.s("login.locked"), t.minutes(minutes));
            let mut res = login_page(
                &state,
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                &form.login,
                &next,
                Some(message),
            )?;
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(res)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

pub async fn logout_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    login::logout(&state, &ctx).await?;
    let mut res = crate::error::redirect("/login").into_response();
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let clear = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
        state.session_cookie_name()
    );
    if let Ok(v) = HeaderValue::from_str(&clear) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// Every state-changing form carries the session's CSRF token.
pub fn check_csrf(ctx: &Ctx, submitted: &str) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    if actor.via_bearer || constant_time_eq(&actor.csrf, submitted) {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}
