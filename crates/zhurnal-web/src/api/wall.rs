//! The class wall through the API (§3.5): the class teacher reads, writes and removes the
//! notes of their class (every family of the class gets a notice, as from the page); a
//! student or parent reads the wall of the child's class.

use super::{ApiJson, ErrorBody};
use crate::ctx::Ctx;
use crate::diary::pick;
use crate::pages::class_check::{chosen_class, school_and_class};
use crate::pages::timetable::pick_school;
use crate::pages::wall::{SHOWN, post_body};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_store::{WallPostRow, short_name};

#[derive(Serialize, ToSchema)]
pub struct WallPostOut {
    pub id: i64,
    pub author_id: i64,
    /// «Иванова М. П.».
    pub author: String,
    /// The text as written; paragraphs are separated by an empty line.
    pub body: String,
    /// When it was posted, `YYYY-MM-DDTHH:MM:SS` in the school's zone.
    pub posted_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct WallOut {
    pub class_id: i64,
    pub class: String,
    /// The latest 50 posts, newest first.
    pub posts: Vec<WallPostOut>,
}

fn posts_out(posts: &[WallPostRow], tz: &str) -> Vec<WallPostOut> {
    posts
        .iter()
        .map(|p| WallPostOut {
            id: p.id,
            author_id: p.author_id,
            author: short_name(&p.last_name, &p.first_name, &p.middle_name),
            body: p.body.clone(),
            posted_at: crate::dnevnik::instant(p.created_at, tz),
        })
        .collect()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WallQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// The class; default: the caller's own class.
    pub class_id: Option<i64>,
}

/// The wall of a class the caller is class teacher of.
#[utoipa::path(
    get,
    path = "/api/v1/wall",
    tag = "wall",
    params(WallQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The wall", body = WallOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller leads no class", body = ErrorBody),
        (status = 404, description = "Not a class the caller leads", body = ErrorBody),
    )
)]
pub async fn get_wall(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<WallQuery>,
) -> Result<Json<WallOut>, AppError> {
    let (school, class, _) = school_and_class(
        &state,
        &ctx,
        Action::PostClassWall,
        q.school_id.map(|s| s.to_string()).as_deref(),
        q.class_id.map(|c| c.to_string()).as_deref(),
    )
    .await?;
    let posts = state.store.wall_posts(school.id, class.id, SHOWN).await?;
    Ok(Json(WallOut {
        class_id: class.id,
        class: class.name,
        posts: posts_out(&posts, &school.time_zone),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WallPostIn {
    pub school_id: Option<i64>,
    pub class_id: i64,
    /// Up to 4000 characters; an empty line separates paragraphs.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct WallPosted {
    pub id: i64,
}

/// Posts a note to the class's wall; every family of the class is notified.
#[utoipa::path(
    post,
    path = "/api/v1/wall",
    tag = "wall",
    request_body = WallPostIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Posted", body = WallPosted),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller leads no class", body = ErrorBody),
        (status = 404, description = "Not a class the caller leads", body = ErrorBody),
        (status = 422, description = "Empty or too long (`fields.body`)", body = ErrorBody),
    )
)]
pub async fn post_wall(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<WallPostIn>,
) -> Result<(StatusCode, Json<WallPosted>), AppError> {
    let (school, class, _) = school_and_class(
        &state,
        &ctx,
        Action::PostClassWall,
        body.school_id.map(|s| s.to_string()).as_deref(),
        Some(&body.class_id.to_string()),
    )
    .await?;
    let text = post_body(&ctx.t(), &body.body)
        .map_err(|(_, problem)| AppError::Validation(vec![("body".into(), problem.into())]))?;
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "wall.post".into(),
        details: serde_json::json!({ "class_id": class.id }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let id = state
        .store
        .post_to_wall(school.id, class.id, &class.name, &text, &audit)
        .await?;
    Ok((StatusCode::CREATED, Json(WallPosted { id })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchoolQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
}

/// Takes a post off the wall of a class the caller leads (kept, marked, audited).
#[utoipa::path(
    delete,
    path = "/api/v1/wall/{id}",
    tag = "wall",
    params(("id" = i64, Path, description = "The post"), SchoolQuery),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller leads no class", body = ErrorBody),
        (status = 404, description = "No such post on the wall of a class the caller leads", body = ErrorBody),
    )
)]
pub async fn delete_wall_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<SchoolQuery>,
) -> Result<StatusCode, AppError> {
    let reach = ctx.actor()?.reach(Action::PostClassWall);
    let raw_school = q.school_id.map(|s| s.to_string());
    let (school, _) = pick_school(&state, &ctx, &reach, raw_school.as_deref()).await?;
    let class = match raw.parse::<i64>() {
        Ok(id) => state.store.wall_post_class(school.id, id).await?,
        Err(_) => None,
    };
    let Some(class) = class else {
        return Err(crate::routes::deny_object(&state, &ctx, "wall_post", &raw).await);
    };
    // The post's class must be one the caller leads (404, audited, otherwise).
    let (class, _) = chosen_class(
        &state,
        &ctx,
        &school,
        Action::PostClassWall,
        Some(&class.to_string()),
    )
    .await?;
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "wall.remove".into(),
        details: serde_json::json!({ "class_id": class.id }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let id = raw.parse::<i64>().unwrap_or_default();
    let removed = state
        .store
        .remove_wall_post(school.id, class.id, id, &audit)
        .await;
    crate::routes::or_deny(&state, &ctx, "wall_post", &raw, removed).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FamilyWallQuery {
    /// The child (a person id); default: the first one the caller may see.
    pub child: Option<String>,
}

/// The wall of the child's class, for the student or a parent.
#[utoipa::path(
    get,
    path = "/api/v1/diary/wall",
    tag = "diary",
    params(FamilyWallQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The wall of the child's class", body = WallOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Not a diary user, or no electronic access for this child", body = ErrorBody),
        (status = 404, description = "No such child of the caller", body = ErrorBody),
    )
)]
pub async fn get_family_wall(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FamilyWallQuery>,
) -> Result<Json<WallOut>, AppError> {
    let (pupil, _) = pick(&state, &ctx, q.child.as_deref(), None).await?;
    let posts = state
        .store
        .wall_posts(pupil.school.id, pupil.class_id, SHOWN)
        .await?;
    Ok(Json(WallOut {
        class_id: pupil.class_id,
        class: pupil.class_name.clone(),
        posts: posts_out(&posts, &pupil.school.time_zone),
    }))
}
