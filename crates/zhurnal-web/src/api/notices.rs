//! A person's notices through the API: what changed about their children (or themself) —
//! marks, absences, period marks, messages, wall posts — with the same wording as the page,
//! marking them read, and the way to hear about them (email at once, a daily digest, off).

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::notices::{save_settings, settings_problems};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How many notices one answer carries, newest first.
const SHOWN: i64 = 100;

#[derive(Serialize, ToSchema)]
pub struct NoticeOut {
    pub id: i64,
    /// `mark`, `absence`, `period_mark`, `message` or `wall`.
    pub kind: String,
    pub student_id: i64,
    pub student: String,
    /// The notice as the page and the email word it.
    pub text: String,
    /// `YYYY-MM-DDTHH:MM:SS` in the school's zone.
    pub created_at: String,
    pub read: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeSettings {
    /// Where email goes; empty for none.
    pub email: String,
    /// `off`, `immediate` or `digest`.
    pub mode: String,
    /// A student: also hear about their own marks.
    #[serde(default)]
    pub own: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NoticesOut {
    pub unread: i64,
    pub notices: Vec<NoticeOut>,
    pub settings: NoticeSettings,
}

/// The caller's latest notices and settings.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The notices, newest first", body = NoticesOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or an app's token: notices are the person's own", body = ErrorBody),
    )
)]
pub async fn get_notices(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<NoticesOut>, AppError> {
    let actor = ctx.actor()?;
    actor.in_person()?;
    let t = ctx.t();
    let settings = state.store.notification_settings(actor.person_id).await?;
    let zone = crate::refs::home_zone(&state, &ctx).await?;
    let notices = state
        .store
        .notices_of(actor.person_id, SHOWN)
        .await?
        .into_iter()
        .map(|n| NoticeOut {
            id: n.id,
            text: crate::mail::describe(&t, &n),
            created_at: crate::dnevnik::instant(n.created_at, &zone),
            read: n.read_at.is_some(),
            student: format!("{} {}", n.student_first_name, n.student_last_name),
            student_id: n.student_id,
            kind: n.kind,
        })
        .collect();
    Ok(Json(NoticesOut {
        unread: state.store.unread_notices(actor.person_id).await?,
        notices,
        settings: NoticeSettings {
            email: settings.email,
            mode: settings.mode,
            own: settings.own,
        },
    }))
}

/// Marks every notice of the caller read.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "All read"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or an app's token: notices are the person's own", body = ErrorBody),
    )
)]
pub async fn post_read(State(state): State<AppState>, ctx: Ctx) -> Result<StatusCode, AppError> {
    let actor = ctx.actor()?;
    actor.in_person()?;
    state
        .store
        .mark_notices_read(actor.person_id, state.clock.now_ms())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets how the caller hears about notices.
#[utoipa::path(
    put,
    path = "/api/v1/notifications/settings",
    tag = "notifications",
    request_body = NoticeSettings,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or an app's token: notices are the person's own", body = ErrorBody),
        (status = 422, description = "A bad address or way to hear (`fields.email`, `fields.mode`)", body = ErrorBody),
    )
)]
pub async fn put_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<NoticeSettings>,
) -> Result<StatusCode, AppError> {
    ctx.actor()?.in_person()?;
    let email = body.email.trim();
    let problems = settings_problems(&ctx.t(), email, &body.mode);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    save_settings(&state, &ctx, email, &body.mode, body.own).await?;
    Ok(StatusCode::NO_CONTENT)
}
