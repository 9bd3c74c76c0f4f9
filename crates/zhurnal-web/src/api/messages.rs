//! Messages between families and teachers through the API (§4.2, §3.4), with the rules of
//! the «Сообщения» page: whom one may write to, one thread per family, replies, and a
//! family's complaint that opens the thread to the school's administration.

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::pages::messages::{ThreadLine, build, complaint_lines, reply, start, thread_page};
use crate::routes::deny_object;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ThreadLineOut {
    pub id: i64,
    pub topic: String,
    /// The student the thread is about.
    pub about: String,
    /// When the last message came, as the page writes it.
    pub when: String,
    pub unread: i64,
    pub complaint: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RecipientOut {
    /// What to send as `to`.
    pub to: String,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessagesOut {
    pub threads: Vec<ThreadLineOut>,
    /// Whom the caller may write to.
    pub recipients: Vec<RecipientOut>,
}

fn thread_out(t: ThreadLine) -> ThreadLineOut {
    ThreadLineOut {
        id: t.id,
        topic: t.topic,
        about: t.about,
        when: t.when,
        unread: t.unread,
        complaint: t.complaint,
    }
}

/// The threads families raised complaints about, for the administration of their school
/// (each is read at `GET /api/v1/messages/complaints/{id}`).
#[utoipa::path(
    get,
    path = "/api/v1/messages/complaints",
    tag = "messages",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The threads with complaints", body = Vec<ThreadLineOut>),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not read the school's reports", body = ErrorBody),
    )
)]
pub async fn get_complaints(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<ThreadLineOut>>, AppError> {
    let lines = complaint_lines(&state, &ctx).await?;
    Ok(Json(lines.into_iter().map(thread_out).collect()))
}

fn id_of(raw: &str) -> Option<i64> {
    raw.parse().ok()
}

/// The caller's threads and whom they may write to.
#[utoipa::path(
    get,
    path = "/api/v1/messages",
    tag = "messages",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Threads, newest first, and recipients", body = MessagesOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not use messages", body = ErrorBody),
    )
)]
pub async fn get_messages(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<MessagesOut>, AppError> {
    let page = build(&state, &ctx).await?;
    Ok(Json(MessagesOut {
        threads: page.threads.into_iter().map(thread_out).collect(),
        recipients: page
            .recipients
            .into_iter()
            .map(|r| RecipientOut {
                to: r.value,
                label: r.label,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewThreadIn {
    /// One of the recipients' `to`.
    pub to: String,
    /// Up to 200 characters.
    pub topic: String,
    /// Up to 5000 characters.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct StartedOut {
    /// The threads started: one, or one per family of a class.
    pub threads: Vec<i64>,
}

/// Starts a thread (to a whole class: one per family).
#[utoipa::path(
    post,
    path = "/api/v1/messages",
    tag = "messages",
    request_body = NewThreadIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Started", body = StartedOut),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not use messages", body = ErrorBody),
        (status = 422, description = "An unknown recipient, or an empty or too long topic or text (`fields`)", body = ErrorBody),
    )
)]
pub async fn post_thread(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<NewThreadIn>,
) -> Result<(StatusCode, Json<StartedOut>), AppError> {
    let threads = start(&state, &ctx, &body.to, body.topic.trim(), body.body.trim())
        .await?
        .map_err(AppError::Validation)?;
    Ok((StatusCode::CREATED, Json(StartedOut { threads })))
}

#[derive(Serialize, ToSchema)]
pub struct MessageOut {
    pub author: String,
    pub when: String,
    pub body: String,
    pub mine: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ThreadOut {
    pub id: i64,
    pub topic: String,
    pub about: String,
    pub messages: Vec<MessageOut>,
    /// The caller is in the thread (may reply); otherwise the administration reading a
    /// complaint.
    pub member: bool,
    /// When a complaint was raised, empty if none.
    pub complaint: String,
    pub may_complain: bool,
}

/// A thread the caller is in (read, it is marked read), or one with a complaint for the
/// administration of its school.
#[utoipa::path(
    get,
    path = "/api/v1/messages/{id}",
    tag = "messages",
    params(("id" = i64, Path, description = "The thread")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The thread", body = ThreadOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not use messages", body = ErrorBody),
        (status = 404, description = "No such thread of the caller's", body = ErrorBody),
    )
)]
pub async fn get_thread(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Json<ThreadOut>, AppError> {
    thread_out_of(&state, &ctx, &raw).await
}

/// A thread a family raised a complaint about, for the administration of its school.
#[utoipa::path(
    get,
    path = "/api/v1/messages/complaints/{id}",
    tag = "messages",
    params(("id" = i64, Path, description = "The thread")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The thread", body = ThreadOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not read the school's reports", body = ErrorBody),
        (status = 404, description = "No complaint thread of the caller's schools", body = ErrorBody),
    )
)]
pub async fn get_complaint(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Json<ThreadOut>, AppError> {
    thread_out_of(&state, &ctx, &raw).await
}

async fn thread_out_of(
    state: &AppState,
    ctx: &Ctx,
    raw: &str,
) -> Result<Json<ThreadOut>, AppError> {
    let Some(id) = id_of(raw) else {
        return Err(deny_object(state, ctx, "message_thread", raw).await);
    };
    let page = thread_page(state, ctx, id).await?;
    Ok(Json(ThreadOut {
        id,
        topic: page.topic,
        about: page.about,
        messages: page
            .messages
            .into_iter()
            .map(|m| MessageOut {
                author: m.author,
                when: m.when,
                body: m.body,
                mine: m.mine,
            })
            .collect(),
        member: page.member,
        complaint: page.complaint,
        may_complain: page.may_complain,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyIn {
    /// Up to 5000 characters.
    pub body: String,
}

/// Replies in a thread the caller is in.
#[utoipa::path(
    post,
    path = "/api/v1/messages/{id}",
    tag = "messages",
    params(("id" = i64, Path, description = "The thread")),
    request_body = ReplyIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Sent"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not use messages", body = ErrorBody),
        (status = 404, description = "No such thread of the caller's", body = ErrorBody),
        (status = 422, description = "Empty or too long (`fields.body`)", body = ErrorBody),
    )
)]
pub async fn post_reply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ReplyIn>,
) -> Result<StatusCode, AppError> {
    let id = member_thread(&state, &ctx, &raw).await?.0;
    reply(&state, &ctx, id, &body.body)
        .await?
        .map_err(|problem| AppError::Validation(vec![("body".into(), problem)]))?;
    Ok(StatusCode::CREATED)
}

/// The thread of a path if the caller is in it (404, audited, otherwise), and whether they
/// may raise a complaint about it.
async fn member_thread(state: &AppState, ctx: &Ctx, raw: &str) -> Result<(i64, bool), AppError> {
    let Some(id) = id_of(raw) else {
        return Err(deny_object(state, ctx, "message_thread", raw).await);
    };
    let page = thread_page(state, ctx, id).await?;
    if !page.member {
        return Err(deny_object(state, ctx, "message_thread", raw).await);
    }
    Ok((id, page.may_complain))
}

/// Raises a complaint about a thread (a family member of it): the school's administration
/// may read it from then on.
#[utoipa::path(
    post,
    path = "/api/v1/messages/{id}/complaint",
    tag = "messages",
    params(("id" = i64, Path, description = "The thread")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Raised"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller does not use messages", body = ErrorBody),
        (status = 404, description = "No such thread of the caller's", body = ErrorBody),
        (status = 422, description = "Not a family member of the thread, or a complaint is raised already", body = ErrorBody),
    )
)]
pub async fn post_complaint(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<StatusCode, AppError> {
    let (id, may) = member_thread(&state, &ctx, &raw).await?;
    if !may {
        return Err(AppError::Validation(vec![(
            "id".into(),
            ctx.t().s("messages.no_complaint").to_owned(),
        )]));
    }
    let actor = ctx.actor()?;
    let audit = zhurnal_store::AuditEntry {
        school_id: actor.home_school(),
        action: "messages.complaint".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .raise_complaint(id, actor.person_id, &audit)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
