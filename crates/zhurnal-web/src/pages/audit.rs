//! The audit log, read-only, newest first, for the schools in the reader's reach.

use super::schools::visible_schools;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_store::AuditScope;

const PAGE: i64 = 50;

pub struct AuditItem {
    pub when: String,
    pub who: String,
    pub action: String,
    pub target: String,
    pub outcome: &'static str,
    pub denied: bool,
    pub ip: String,
}

pub struct ScopeOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub c: Chrome,
    pub options: Vec<ScopeOption>,
    pub items: Vec<AuditItem>,
    pub older: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    school: Option<String>,
    before: Option<i64>,
}

pub async fn audit_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let reach = actor.reach(Action::ViewAudit);
    let schools = visible_schools(&state, &reach).await?;
    // The choices: each municipality as a whole, then each school.
    let mut choices: Vec<(String, String, AuditScope)> = Vec::new();
    for m in &reach.municipalities {
        choices.push((
            format!("m{m}"),
            t.s("audit.all_schools").to_owned(),
            AuditScope::Municipality(*m),
        ));
    }
    for s in &schools {
        choices.push((
            s.id.to_string(),
            s.short_name.clone(),
            AuditScope::School(s.id),
        ));
    }
    let selected = match q.school.as_deref() {
        Some(v) => choices
            .iter()
            .position(|c| c.0 == v)
            .ok_or(AppError::NotFound)?,
        None => 0,
    };
    let Some((value, _, scope)) = choices.get(selected).cloned() else {
        return Err(AppError::NotFound);
    };
    let tz = schools
        .first()
        .map(|s| s.time_zone.clone())
        .unwrap_or_else(|| "UTC".into());
    let rows = state.store.audit_page(scope, q.before, PAGE).await?;
    let older = (rows.len() as i64 == PAGE)
        .then(|| {
            rows.last()
                .map(|r| format!("/audit?school={value}&before={}", r.id))
        })
        .flatten();
    let items = rows
        .into_iter()
        .map(|r| AuditItem {
            when: t.datetime(r.at, &tz),
            who: r.actor_login.unwrap_or_else(|| "—".into()),
            target: if r.target_kind.is_empty() {
                String::new()
            } else {
                format!("{} {}", r.target_kind, r.target_id)
            },
            outcome: match r.outcome.as_str() {
                "success" => t.s("outcome.success"),
                "denied" => t.s("outcome.denied"),
                _ => t.s("outcome.failure"),
            },
            denied: r.outcome != "success",
            action: r.action,
            ip: r.ip,
        })
        .collect();
    let options = choices
        .into_iter()
        .enumerate()
        .map(|(i, (value, label, _))| ScopeOption {
            value,
            label,
            selected: i == selected,
        })
        .collect();
    let page = AuditPage {
        c: Chrome::new(&ctx, t.s("audit.title"), "/audit"),
        options,
        items,
        older,
    };
    html(StatusCode::OK, &page)
}
