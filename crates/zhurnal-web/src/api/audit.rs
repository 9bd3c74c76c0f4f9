//! The audit log through the API, read-only, newest first, for the schools (or the whole
//! municipality) in the reader's reach — for a school's or an authority's own monitoring.
//! Paged by a cursor: each answer gives `next_before` for the older events.

use super::ErrorBody;
use crate::ctx::Ctx;
use crate::pages::schools::visible_schools;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_store::AuditScope;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// One school; default: the first in reach (the whole municipality for its inspectors).
    pub school_id: Option<i64>,
    /// Every school of a municipality (inspectors and operators).
    pub municipality_id: Option<i64>,
    /// Only events older than this one (the previous answer's `next_before`).
    pub before: Option<i64>,
    /// How many, 1–500; default 100.
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEventOut {
    pub id: i64,
    /// `YYYY-MM-DDTHH:MM:SS`, UTC.
    pub at: String,
    pub school_id: Option<i64>,
    /// The login of who did it, if anybody signed in.
    pub actor: Option<String>,
    /// A short prefix of the session's token hash (never the token).
    pub session: String,
    pub ip: String,
    /// `auth.login`, `journal.mark`, `authz.denied`…
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    /// A JSON object with what changed.
    pub details: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub events: Vec<AuditEventOut>,
    /// Pass as `before` for the next, older events; absent at the end.
    pub next_before: Option<i64>,
}

/// Audit events, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Events, newest first", body = AuditOut),
        (status = 400, description = "A limit out of range", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not read the audit log", body = ErrorBody),
        (status = 404, description = "No such school or municipality in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_audit(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditOut>, AppError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "limit: 1 to 500, not {limit}"
        )));
    }
    let reach = ctx.actor()?.reach(Action::ViewAudit);
    let schools = visible_schools(&state, &reach).await?;
    let scope = match (q.school_id, q.municipality_id) {
        (Some(s), _) if schools.iter().any(|x| x.id == s) => AuditScope::School(s),
        (Some(s), _) => {
            return Err(crate::routes::deny_object(&state, &ctx, "school", &s.to_string()).await);
        }
        (None, Some(m)) if reach.municipalities.contains(&m) => AuditScope::Municipality(m),
        (None, Some(m)) => {
            let id = m.to_string();
            return Err(crate::routes::deny_object(&state, &ctx, "municipality", &id).await);
        }
        (None, None) => match (reach.municipalities.first(), schools.first()) {
            (Some(m), _) => AuditScope::Municipality(*m),
            (None, Some(s)) => AuditScope::School(s.id),
            (None, None) => return Err(AppError::NotFound),
        },
    };
    let rows = state.store.audit_page(scope, q.before, limit).await?;
    let next_before = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    Ok(Json(AuditOut {
        events: rows
            .into_iter()
            .map(|r| AuditEventOut {
                id: r.id,
                at: crate::dnevnik::instant(r.at, "UTC"),
                school_id: r.school_id,
                actor: r.actor_login,
                session: r.session_hash,
                ip: r.ip,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                outcome: r.outcome,
                details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
            })
            .collect(),
        next_before,
    }))
}
