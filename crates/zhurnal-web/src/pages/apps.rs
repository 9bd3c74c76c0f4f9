//! Third-party apps as people see them:
//! - «Приложения школы» (`/setup/apps`, the school's tech admin): register an app — its name,
//!   the addresses it may be sent back to, the scopes it may ask for, whether it keeps a
//!   secret (a server) or proves itself with PKCE only (a phone or browser app) — and withdraw
//!   it, which ends every grant and token of it at once;
//! - «Приложения» (`/account/apps`, everyone): the apps one allowed, with what and whose data,
//!   each withdrawn with one button.

use super::auth::check_csrf;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::dnevnik::auth::{get, pairs};
use crate::oauth::scope_key;
use crate::routes::{deny_object, or_deny};
use crate::security::{random_token, token_hash};
use crate::{AppError, AppState};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use zhurnal_core::oauth::{AppScope, parse_scopes, redirect_problem, scopes_text};
use zhurnal_core::{Action, Scope, permission};
use zhurnal_store::{AuditEntry, NewClient};

pub struct ScopeChoice {
    pub name: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

pub struct AppItem {
    pub id: i64,
    pub name: String,
    pub client_id: String,
    pub redirects: Vec<String>,
    pub scopes: Vec<&'static str>,
    pub confidential: bool,
    pub created: String,
    pub revoked: Option<String>,
}

/// What was just registered: shown once (the secret is never shown again).
pub struct Registered {
    pub client_id: String,
    pub secret: Option<String>,
}

#[derive(Template)]
#[template(path = "apps.html")]
pub struct AppsPage {
    pub c: Chrome,
    pub school: String,
    pub apps: Vec<AppItem>,
    pub scopes: Vec<ScopeChoice>,
    pub name: String,
    pub redirects: String,
    pub confidential: bool,
    pub name_error: Option<&'static str>,
    pub redirects_error: Option<String>,
    pub scopes_error: Option<&'static str>,
    pub registered: Option<Registered>,
    pub withdrawn: bool,
}

/// The school whose apps the actor manages (the tech admin's school).
fn managed_school(ctx: &Ctx) -> Result<i64, AppError> {
    ctx.actor()?
        .grants
        .iter()
        .find(|g| permission::scope_of(g.role, Action::ManageApps) == Some(Scope::School))
        .and_then(|g| g.school_id)
        .ok_or(AppError::Forbidden)
}

async fn page(state: &AppState, ctx: &Ctx, school_id: i64) -> Result<AppsPage, AppError> {
    let t = ctx.t();
    let school = state
        .refs
        .school(&state.store, school_id)
        .await?
        .map(|s| s.short_name)
        .unwrap_or_default();
    let tz = state
        .refs
        .school(&state.store, school_id)
        .await?
        .map(|s| s.time_zone)
        .unwrap_or_else(|| "UTC".into());
    let day = |ms: i64| t.date_text(crate::dnevnik::instant(ms, &tz).get(..10).unwrap_or(""));
    let apps = state
        .store
        .clients_of_school(school_id)
        .await?
        .into_iter()
        .map(|c| AppItem {
            id: c.id,
            redirects: c.redirects().map(str::to_owned).collect(),
            scopes: parse_scopes(&c.scopes)
                .unwrap_or_default()
                .into_iter()
                .map(|s| t.s(scope_key(s)))
                .collect(),
            confidential: c.secret_hash.is_some(),
            created: day(c.created_at),
            revoked: c.revoked_at.map(day),
            name: c.name,
            client_id: c.client_id,
        })
        .collect();
    Ok(AppsPage {
        c: Chrome::new(ctx, t.s("apps.title"), "/setup/apps"),
        school,
        apps,
        scopes: AppScope::ALL
            .iter()
            .map(|s| ScopeChoice {
                name: s.name(),
                label: t.s(scope_key(*s)),
                checked: matches!(s, AppScope::Profile | AppScope::Diary),
            })
            .collect(),
        name: String::new(),
        redirects: String::new(),
        confidential: false,
        name_error: None,
        redirects_error: None,
        scopes_error: None,
        registered: None,
        withdrawn: false,
    })
}

pub async fn apps_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let school = managed_school(&ctx)?;
    html(StatusCode::OK, &page(&state, &ctx, school).await?)
}

pub async fn apps_post(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = pairs(&String::from_utf8_lossy(&body));
    check_csrf(&ctx, get(&f, "csrf").unwrap_or(""))?;
    let school = managed_school(&ctx)?;
    let actor = ctx.actor()?;
    let t = ctx.t();
    let now = state.clock.now_ms();
    let mut p = page(&state, &ctx, school).await?;
    if let Some(raw) = get(&f, "withdraw") {
        let Ok(id) = raw.parse::<i64>() else {
            return Err(deny_object(&state, &ctx, "oauth_client", raw).await);
        };
        let audit = AuditEntry {
            school_id: Some(school),
            action: "oauth.client_withdrawn".into(),
            ..ctx.audit_base(now)
        };
        let done = state.store.revoke_client(school, id, &audit).await;
        or_deny(&state, &ctx, "oauth_client", raw, done).await?;
        let mut p = page(&state, &ctx, school).await?;
        p.withdrawn = true;
        return html(StatusCode::OK, &p);
    }
    // Registering.
    p.name = get(&f, "name").unwrap_or("").trim().to_owned();
    p.redirects = get(&f, "redirects").unwrap_or("").trim().to_owned();
    p.confidential = get(&f, "confidential") == Some("1");
    let chosen: Vec<&str> = f
        .iter()
        .filter(|(k, _)| k == "scope")
        .map(|(_, v)| v.as_str())
        .collect();
    for s in &mut p.scopes {
        s.checked = chosen.contains(&s.name);
    }
    if p.name.is_empty() || p.name.chars().count() > 100 {
        p.name_error = Some(t.s("apps.name_required"));
    }
    let uris: Vec<&str> = p
        .redirects
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if uris.is_empty() || uris.len() > 10 {
        p.redirects_error = Some(t.s("apps.redirects_required").to_owned());
    } else if let Some((uri, key)) = uris
        .iter()
        .find_map(|u| redirect_problem(u).map(|k| (u, k)))
    {
        p.redirects_error = Some(format!("{uri}: {}", t.s(key)));
    }
    let scopes = parse_scopes(&chosen.join(" ")).unwrap_or_default();
    if scopes.is_empty() {
        p.scopes_error = Some(t.s("apps.scopes_required"));
    }
    if p.name_error.is_some() || p.redirects_error.is_some() || p.scopes_error.is_some() {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let client_id = random_token()[..32].to_owned();
    let secret = p.confidential.then(random_token);
    let secret_hash = secret.as_deref().map(token_hash);
    let redirects = uris.join("\n");
    let scope_names = scopes_text(&scopes);
    let audit = AuditEntry {
        school_id: Some(school),
        action: "oauth.client_registered".into(),
        details:
            serde_json::json!({ "name": p.name, "client_id": client_id, "scopes": scope_names })
                .to_string(),
        ..ctx.audit_base(now)
    };
    state
        .store
        .create_client(
            &NewClient {
                school_id: school,
                client_id: &client_id,
                name: &p.name,
                redirect_uris: &redirects,
                scopes: &scope_names,
                secret_hash: secret_hash.as_deref(),
                created_by: actor.person_id,
                now,
            },
            &audit,
        )
        .await?;
    let mut p = page(&state, &ctx, school).await?;
    p.registered = Some(Registered { client_id, secret });
    html(StatusCode::OK, &p)
}

pub struct GrantItem {
    pub id: i64,
    pub app: String,
    pub school: String,
    pub scopes: Vec<&'static str>,
    pub children: Vec<String>,
    pub granted: String,
    pub last_used: Option<String>,
}

#[derive(Template)]
#[template(path = "account_apps.html")]
pub struct GrantsPage {
    pub c: Chrome,
    pub grants: Vec<GrantItem>,
    pub withdrawn: bool,
}

async fn grants_page(state: &AppState, ctx: &Ctx) -> Result<GrantsPage, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let mut grants = Vec::new();
    for g in state.store.grants_of_user(actor.user_id).await? {
        let school = state.refs.school(&state.store, g.school_id).await?;
        let tz = school
            .as_ref()
            .map_or("UTC", |s| s.time_zone.as_str())
            .to_owned();
        let day = |ms: i64| t.date_text(crate::dnevnik::instant(ms, &tz).get(..10).unwrap_or(""));
        let shared: Vec<i64> = g
            .children
            .split(',')
            .filter_map(|c| c.parse().ok())
            .collect();
        grants.push(GrantItem {
            id: g.id,
            app: g.client_name.clone(),
            school: school.map(|s| s.short_name).unwrap_or_default(),
            scopes: parse_scopes(&g.scopes)
                .unwrap_or_default()
                .into_iter()
                .map(|s| t.s(scope_key(s)))
                .collect(),
            children: actor
                .children
                .iter()
                .filter(|c| shared.contains(&c.person_id))
                .map(|c| format!("{} {}", c.first_name, c.last_name))
                .collect(),
            granted: day(g.created_at),
            last_used: g.last_used_at.map(day),
        });
    }
    Ok(GrantsPage {
        c: Chrome::new(ctx, t.s("apps.mine_title"), "/account/apps"),
        grants,
        withdrawn: false,
    })
}

pub async fn mine_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    html(StatusCode::OK, &grants_page(&state, &ctx).await?)
}

pub async fn mine_post(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = pairs(&String::from_utf8_lossy(&body));
    check_csrf(&ctx, get(&f, "csrf").unwrap_or(""))?;
    let actor = ctx.actor()?;
    let raw = get(&f, "withdraw").unwrap_or("");
    let audit = AuditEntry {
        action: "oauth.revoke".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let done = match raw.parse::<i64>() {
        Ok(id) => {
            state
                .store
                .revoke_grant(id, Some(actor.user_id), &audit)
                .await
        }
        Err(_) => Err(zhurnal_store::StoreError::NotFound),
    };
    or_deny(&state, &ctx, "oauth_grant", raw, done).await?;
    let mut p = grants_page(&state, &ctx).await?;
    p.withdrawn = true;
    html(StatusCode::OK, &p)
}
