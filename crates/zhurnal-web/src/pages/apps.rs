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
    /// The scopes in words, and their names.
    pub scopes: Vec<&'static str>,
    pub scope_names: Vec<&'static str>,
    pub confidential: bool,
    /// In words, and as YYYY-MM-DD in the school's zone.
    pub created: String,
    pub created_on: String,
    pub revoked: Option<String>,
    pub revoked_on: Option<String>,
}

/// What was just registered: shown once (the secret is never shown again).
pub struct Registered {
    pub id: i64,
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
    pub name_error: Option<String>,
    pub redirects_error: Option<String>,
    pub scopes_error: Option<String>,
    pub registered: Option<Registered>,
    pub withdrawn: bool,
}

/// The school whose apps the actor manages (the tech admin's school). Never through an app.
pub fn managed_school(ctx: &Ctx) -> Result<i64, AppError> {
    let actor = ctx.actor()?;
    if !actor.app_may(None) {
        return Err(AppError::Forbidden);
    }
    actor
        .grants
        .iter()
        .find(|g| permission::scope_of(g.role, Action::ManageApps) == Some(Scope::School))
        .and_then(|g| g.school_id)
        .ok_or(AppError::Forbidden)
}

/// The school's registered apps, withdrawn ones included.
pub async fn app_items(
    state: &AppState,
    ctx: &Ctx,
    school_id: i64,
) -> Result<Vec<AppItem>, AppError> {
    let t = ctx.t();
    let tz = state
        .refs
        .school(&state.store, school_id)
        .await?
        .map(|s| s.time_zone)
        .unwrap_or_else(|| "UTC".into());
    let iso = |ms: i64| {
        crate::dnevnik::instant(ms, &tz)
            .get(..10)
            .unwrap_or("")
            .to_owned()
    };
    Ok(state
        .store
        .clients_of_school(school_id)
        .await?
        .into_iter()
        .map(|c| {
            let scopes = parse_scopes(&c.scopes).unwrap_or_default();
            AppItem {
                id: c.id,
                redirects: c.redirects().map(str::to_owned).collect(),
                scopes: scopes.iter().map(|s| t.s(scope_key(*s))).collect(),
                scope_names: scopes.iter().map(|s| s.name()).collect(),
                confidential: c.secret_hash.is_some(),
                created: t.date_text(&iso(c.created_at)),
                created_on: iso(c.created_at),
                revoked: c.revoked_at.map(|at| t.date_text(&iso(at))),
                revoked_on: c.revoked_at.map(iso),
                name: c.name,
                client_id: c.client_id,
            }
        })
        .collect())
}

async fn page(state: &AppState, ctx: &Ctx, school_id: i64) -> Result<AppsPage, AppError> {
    let t = ctx.t();
    let school = state
        .refs
        .school(&state.store, school_id)
        .await?
        .map(|s| s.short_name)
        .unwrap_or_default();
    let apps = app_items(state, ctx, school_id).await?;
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

/// Withdraws one of the school's apps: every grant and token of it ends at once. Another
/// school's app, or none, is refused as if it did not exist (audited).
pub async fn withdraw_app(
    state: &AppState,
    ctx: &Ctx,
    school: i64,
    raw: &str,
) -> Result<(), AppError> {
    let Ok(id) = raw.parse::<i64>() else {
        return Err(deny_object(state, ctx, "oauth_client", raw).await);
    };
    let audit = AuditEntry {
        school_id: Some(school),
        action: "oauth.client_withdrawn".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let done = state.store.revoke_client(school, id, &audit).await;
    or_deny(state, ctx, "oauth_client", raw, done).await
}

/// An app to register, as the tech admin describes it.
pub struct NewApp<'a> {
    pub name: &'a str,
    pub redirects: Vec<&'a str>,
    pub scopes: Vec<&'a str>,
    pub confidential: bool,
}

/// Registers an app for the school: a name (1–100 characters), 1–10 return addresses (https,
/// or http to this computer), at least one known scope. Problems by field (`name`,
/// `redirects`, `scopes`), in the user's language.
pub async fn register_app(
    state: &AppState,
    ctx: &Ctx,
    school: i64,
    app: &NewApp<'_>,
) -> Result<Result<Registered, Vec<(&'static str, String)>>, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let mut problems = Vec::new();
    let name = app.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push(("name", t.s("apps.name_required").to_owned()));
    }
    let uris: Vec<&str> = app
        .redirects
        .iter()
        .map(|u| u.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if uris.is_empty() || uris.len() > 10 {
        problems.push(("redirects", t.s("apps.redirects_required").to_owned()));
    } else if let Some((uri, key)) = uris
        .iter()
        .find_map(|u| redirect_problem(u).map(|k| (u, k)))
    {
        problems.push(("redirects", format!("{uri}: {}", t.s(key))));
    }
    let scopes = parse_scopes(&app.scopes.join(" ")).unwrap_or_default();
    if scopes.is_empty() {
        problems.push(("scopes", t.s("apps.scopes_required").to_owned()));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = state.clock.now_ms();
    let client_id = random_token()[..32].to_owned();
    let secret = app.confidential.then(random_token);
    let secret_hash = secret.as_deref().map(token_hash);
    let redirects = uris.join("\n");
    let scope_names = scopes_text(&scopes);
    let audit = AuditEntry {
        school_id: Some(school),
        action: "oauth.client_registered".into(),
        details: serde_json::json!({ "name": name, "client_id": client_id, "scopes": scope_names })
            .to_string(),
        ..ctx.audit_base(now)
    };
    let id = state
        .store
        .create_client(
            &NewClient {
                school_id: school,
                client_id: &client_id,
                name,
                redirect_uris: &redirects,
                scopes: &scope_names,
                secret_hash: secret_hash.as_deref(),
                created_by: actor.person_id,
                now,
            },
            &audit,
        )
        .await?;
    Ok(Ok(Registered {
        id,
        client_id,
        secret,
    }))
}

pub async fn apps_post(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = pairs(&String::from_utf8_lossy(&body));
    check_csrf(&ctx, get(&f, "csrf").unwrap_or(""))?;
    let school = managed_school(&ctx)?;
    if let Some(raw) = get(&f, "withdraw") {
        withdraw_app(&state, &ctx, school, raw).await?;
        let mut p = page(&state, &ctx, school).await?;
        p.withdrawn = true;
        return html(StatusCode::OK, &p);
    }
    let mut p = page(&state, &ctx, school).await?;
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
    let app = NewApp {
        name: &p.name,
        redirects: p.redirects.lines().collect(),
        scopes: chosen.clone(),
        confidential: p.confidential,
    };
    match register_app(&state, &ctx, school, &app).await? {
        Ok(registered) => {
            let mut p = page(&state, &ctx, school).await?;
            p.registered = Some(registered);
            html(StatusCode::OK, &p)
        }
        Err(problems) => {
            for (field, message) in problems {
                let slot = match field {
                    "name" => &mut p.name_error,
                    "redirects" => &mut p.redirects_error,
                    _ => &mut p.scopes_error,
                };
                *slot = Some(message);
            }
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}

pub struct GrantItem {
    pub id: i64,
    pub app: String,
    pub school: String,
    /// The scopes in words, and their names.
    pub scopes: Vec<&'static str>,
    pub scope_names: Vec<&'static str>,
    /// The children shared (a parent's grant): names, and person ids.
    pub children: Vec<String>,
    pub child_ids: Vec<i64>,
    /// In words, and as YYYY-MM-DD in the school's zone.
    pub granted: String,
    pub granted_on: String,
    pub last_used: Option<String>,
    pub last_used_on: Option<String>,
}

#[derive(Template)]
#[template(path = "account_apps.html")]
pub struct GrantsPage {
    pub c: Chrome,
    pub grants: Vec<GrantItem>,
    pub withdrawn: bool,
}

/// The apps the actor allowed, each with what and whose data.
pub async fn grant_items(state: &AppState, ctx: &Ctx) -> Result<Vec<GrantItem>, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let mut grants = Vec::new();
    for g in state.store.grants_of_user(actor.user_id).await? {
        let school = state.refs.school(&state.store, g.school_id).await?;
        let tz = school
            .as_ref()
            .map_or("UTC", |s| s.time_zone.as_str())
            .to_owned();
        let iso = |ms: i64| {
            crate::dnevnik::instant(ms, &tz)
                .get(..10)
                .unwrap_or("")
                .to_owned()
        };
        let shared: Vec<i64> = g
            .children
            .split(',')
            .filter_map(|c| c.parse().ok())
            .collect();
        let children: Vec<_> = actor
            .children
            .iter()
            .filter(|c| shared.contains(&c.person_id))
            .collect();
        let scopes = parse_scopes(&g.scopes).unwrap_or_default();
        grants.push(GrantItem {
            id: g.id,
            app: g.client_name.clone(),
            school: school.map(|s| s.short_name).unwrap_or_default(),
            scopes: scopes.iter().map(|s| t.s(scope_key(*s))).collect(),
            scope_names: scopes.iter().map(|s| s.name()).collect(),
            children: children
                .iter()
                .map(|c| format!("{} {}", c.first_name, c.last_name))
                .collect(),
            child_ids: children.iter().map(|c| c.person_id).collect(),
            granted: t.date_text(&iso(g.created_at)),
            granted_on: iso(g.created_at),
            last_used: g.last_used_at.map(|at| t.date_text(&iso(at))),
            last_used_on: g.last_used_at.map(iso),
        });
    }
    Ok(grants)
}

/// Withdraws one of the actor's grants: the app's tokens end at once. Someone else's grant,
/// or none, is refused as if it did not exist (audited).
pub async fn withdraw_grant(state: &AppState, ctx: &Ctx, raw: &str) -> Result<(), AppError> {
    let actor = ctx.actor()?;
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
    or_deny(state, ctx, "oauth_grant", raw, done).await
}

async fn grants_page(state: &AppState, ctx: &Ctx) -> Result<GrantsPage, AppError> {
    Ok(GrantsPage {
        c: Chrome::new(ctx, ctx.t().s("apps.mine_title"), "/account/apps"),
        grants: grant_items(state, ctx).await?,
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
    withdraw_grant(&state, &ctx, get(&f, "withdraw").unwrap_or("")).await?;
    let mut p = grants_page(&state, &ctx).await?;
    p.withdrawn = true;
    html(StatusCode::OK, &p)
}
