//! Files attached to lessons (homework material) through the API, for staff: the list of a
//! lesson's files, uploading one (the body is the file itself) and downloading one — the
//! same limits, checks and audit as the lesson page (`pages::lesson`). Families download
//! through `/api/v1/diary/files/{id}`.

use super::{ErrorBody, school_of};
use crate::ctx::Ctx;
use crate::journal::may_change;
use crate::pages::lesson::{attach, readable_file, readable_lesson};
use crate::{AppError, AppState};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_core::journal::Change;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchoolQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// The file's name with its extension («задание.pdf»): the type is checked against it.
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct LessonFileOut {
    pub id: i64,
    pub lesson_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

fn out(f: zhurnal_store::LessonFileRow) -> LessonFileOut {
    LessonFileOut {
        id: f.id,
        lesson_id: f.lesson_id,
        name: f.name,
        content_type: f.content_type,
        size: f.size,
    }
}

/// A lesson's files, for whoever may read its journal.
#[utoipa::path(
    get,
    path = "/api/v1/journal/lessons/{id}/files",
    tag = "journal",
    params(("id" = i64, Path, description = "Lesson id"), SchoolQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The files, in the order attached", body = [LessonFileOut]),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see journals", body = ErrorBody),
        (status = 404, description = "No such lesson in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_lesson_files(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<SchoolQuery>,
) -> Result<Json<Vec<LessonFileOut>>, AppError> {
    let school = school_of(&state, &ctx, Action::ViewJournal, q.school_id).await?;
    readable_lesson(&state, &ctx, &school, id).await?;
    let files = state.store.lesson_files(school.id, id).await?;
    Ok(Json(files.into_iter().map(out).collect()))
}

/// Attaches a file to a lesson the caller gives (within the journal's edit window): the
/// request body is the file, its name in `name`. At most 5 files per lesson and 10 MiB
/// each; documents, images, audio and video by their content, not only their name.
#[utoipa::path(
    post,
    path = "/api/v1/journal/lessons/{id}/files",
    tag = "journal",
    params(("id" = i64, Path, description = "Lesson id"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Attached", body = LessonFileOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not fill journals", body = ErrorBody),
        (status = 404, description = "No such lesson in the caller's reach", body = ErrorBody),
        (status = 422, description = "`file`: empty, over 10 MiB, of a type not accepted, or a sixth file; `lesson_id`: outside the edit window", body = ErrorBody),
    )
)]
pub async fn post_lesson_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<LessonFileOut>), AppError> {
    let school = school_of(&state, &ctx, Action::EditJournal, q.school_id).await?;
    may_change(&state, &ctx, &school, id, Change::Text, "", "lesson_id").await?;
    let t = ctx.t();
    let refuse = |m: String| AppError::Validation(vec![("file".into(), m)]);
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(refuse(t.s("files.too_big").to_owned()));
        }
        Err(e) => return Err(AppError::BadRequest(e.body_text())),
    };
    if body.is_empty() || q.name.trim().is_empty() {
        return Err(refuse(t.s("files.none").to_owned()));
    }
    let added = attach(&state, &ctx, &school, id, &q.name, &body)
        .await?
        .map_err(refuse)?;
    Ok((StatusCode::CREATED, Json(out(added))))
}

/// A lesson's file as a download, for whoever may read the lesson's journal.
#[utoipa::path(
    get,
    path = "/api/v1/journal/files/{id}",
    tag = "journal",
    params(("id" = i64, Path, description = "The file"), SchoolQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see journals", body = ErrorBody),
        (status = 404, description = "No such file in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_journal_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<SchoolQuery>,
) -> Result<axum::response::Response, AppError> {
    let school = school_of(&state, &ctx, Action::ViewJournal, q.school_id).await?;
    let (meta, data) = readable_file(&state, &ctx, &school, id).await?;
    Ok(crate::files::download(&meta.name, meta.content_type, data))
}
