//! One's own account through the API: changing the password, the apps one allowed (and
//! withdrawing them), and the diary's calendar feeds. These are the person's own matters: a
//! third-party app's token is refused here, whatever it was allowed.

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::diary::pick;
use crate::pages::account::{PasswordOutcome, change_own_password};
use crate::pages::apps::{grant_items, withdraw_grant};
use crate::pages::diary::{create_feed, origin_for, revoke_feed};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    pub current: String,
    /// At least 10 characters, not a common password, not containing the login.
    pub new: String,
}

/// Changes the caller's password. The current one is checked under the login throttle; on
/// success every other session and token of the account ends (this one stays).
#[utoipa::path(
    post,
    path = "/api/v1/me/password",
    tag = "account",
    request_body = PasswordIn,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token", body = ErrorBody),
        (status = 422, description = "`current` is wrong or `new` breaks the policy", body = ErrorBody),
        (status = 429, description = "Too many wrong passwords: `Retry-After` says when", body = ErrorBody),
    )
)]
pub async fn post_password(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<PasswordIn>,
) -> Result<StatusCode, AppError> {
    ctx.actor()?.in_person()?;
    let repeat = body.new.clone();
    match change_own_password(&state, &ctx, body.current, body.new, &repeat).await? {
        PasswordOutcome::Changed => Ok(StatusCode::NO_CONTENT),
        PasswordOutcome::Locked { minutes } => Err(AppError::Locked {
            retry_after_secs: minutes * 60,
        }),
        PasswordOutcome::Problems(problems) => Err(AppError::Validation(
            problems
                .into_iter()
                .map(|(field, key)| (field.to_owned(), ctx.t().s(key).to_owned()))
                .collect(),
        )),
    }
}

#[derive(Serialize, ToSchema)]
pub struct GrantOut {
    pub id: i64,
    pub app: String,
    /// The school that registered the app.
    pub school: String,
    /// Scope names: `profile`, `diary`, `journal`, `journal.write`, `school`.
    pub scopes: Vec<&'static str>,
    /// The children whose data the app may read (a parent's grant).
    pub children: Vec<i64>,
    /// YYYY-MM-DD.
    pub granted_on: String,
    pub last_used_on: Option<String>,
}

/// The apps the caller allowed, with what and whose data.
#[utoipa::path(
    get,
    path = "/api/v1/me/apps",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's grants", body = [GrantOut]),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token", body = ErrorBody),
    )
)]
pub async fn get_grants(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<GrantOut>>, AppError> {
    ctx.actor()?.in_person()?;
    Ok(Json(
        grant_items(&state, &ctx)
            .await?
            .into_iter()
            .map(|g| GrantOut {
                id: g.id,
                app: g.app,
                school: g.school,
                scopes: g.scope_names,
                children: g.child_ids,
                granted_on: g.granted_on,
                last_used_on: g.last_used_on,
            })
            .collect(),
    ))
}

/// Withdraws an app the caller allowed: its tokens stop working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/me/apps/{id}",
    tag = "account",
    params(("id" = i64, Path, description = "The grant")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token", body = ErrorBody),
        (status = 404, description = "Not a grant of the caller's", body = ErrorBody),
    )
)]
pub async fn delete_grant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<StatusCode, AppError> {
    ctx.actor()?.in_person()?;
    withdraw_grant(&state, &ctx, &raw).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The child (a person id); default: the first one the caller may see.
    pub child: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedOut {
    pub id: i64,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// The caller's calendar feeds of a child's diary (the secret addresses are not kept).
#[utoipa::path(
    get,
    path = "/api/v1/diary/calendar-feeds",
    tag = "diary",
    params(FeedQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The feeds, revoked ones included", body = [FeedOut]),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token, not a diary user, or no electronic access for this child", body = ErrorBody),
        (status = 404, description = "Not the caller's child", body = ErrorBody),
    )
)]
pub async fn get_feeds(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FeedQuery>,
) -> Result<Json<Vec<FeedOut>>, AppError> {
    ctx.actor()?.in_person()?;
    let (pupil, _) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    let feeds = state
        .store
        .feeds_of(ctx.actor()?.person_id, pupil.person_id)
        .await?;
    Ok(Json(
        feeds
            .into_iter()
            .map(|f| FeedOut {
                id: f.id,
                created_at: f.created_at,
                revoked_at: f.revoked_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedIn {
    /// The child (a person id); default: the first one the caller may see.
    pub child: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedMade {
    pub id: i64,
    /// The secret iCalendar address, given this once: lessons a week back to four weeks
    /// ahead, homework on the day it is due.
    pub url: String,
}

/// Makes a calendar feed of a child's diary for the caller.
#[utoipa::path(
    post,
    path = "/api/v1/diary/calendar-feeds",
    tag = "diary",
    request_body = FeedIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Made: its address, shown this once", body = FeedMade),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token, not a diary user, or no electronic access for this child", body = ErrorBody),
        (status = 404, description = "Not the caller's child", body = ErrorBody),
    )
)]
pub async fn post_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ApiJson(body): ApiJson<FeedIn>,
) -> Result<(StatusCode, Json<FeedMade>), AppError> {
    ctx.actor()?.in_person()?;
    let (pupil, _) = pick(&state, &ctx, body.child.as_deref(), None).await?;
    let (id, url) = create_feed(&state, &ctx, &pupil, &origin_for(&state, &headers)).await?;
    Ok((StatusCode::CREATED, Json(FeedMade { id, url })))
}

/// Revokes one of the caller's calendar feeds: its address stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/diary/calendar-feeds/{id}",
    tag = "diary",
    params(("id" = i64, Path, description = "The feed"), FeedQuery),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "An app's token, or not a diary user", body = ErrorBody),
        (status = 404, description = "Not a feed of the caller's", body = ErrorBody),
    )
)]
pub async fn delete_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Result<StatusCode, AppError> {
    ctx.actor()?.in_person()?;
    let (pupil, _) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    revoke_feed(&state, &ctx, &pupil, &raw).await?;
    Ok(StatusCode::NO_CONTENT)
}
