//! «Сеансы» (`/account/sessions`): the person's sessions and tokens, each with a button that
//! ends it. Parses, calls `ops`, renders.

use super::ops::{self, SessionView};
use crate::ctx::Ctx;
use crate::pages::auth::check_csrf;
use crate::pages::{Chrome, html};
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sessions.html")]
pub struct SessionsPage {
    pub c: Chrome,
    pub sessions: Vec<SessionView>,
    pub ended: bool,
}

#[derive(Deserialize, Default)]
pub struct SessionsQuery {
    ended: Option<String>,
}

pub async fn sessions_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SessionsQuery>,
) -> Result<Response, AppError> {
    let page = SessionsPage {
        c: Chrome::new(&ctx, ctx.t().s("sessions.title"), "/account/sessions"),
        sessions: ops::sessions(&state, &ctx).await?,
        ended: q.ended.is_some(),
    };
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    session: String,
}

pub async fn sessions_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let id = form
        .session
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    ops::end_session(&state, &ctx, id).await?;
    let current = ctx.actor()?.session_id == id;
    // Ending the session in use is a logout: the browser goes to the login form.
    let to = if current {
        "/login"
    } else {
        "/account/sessions?ended=1"
    };
    Ok(crate::error::redirect(to).into_response())
}
