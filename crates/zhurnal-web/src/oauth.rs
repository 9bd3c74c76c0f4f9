//! OAuth2 for third-party apps (RFC 6749, PKCE per RFC 7636, revocation per RFC 7009):
//!
//! - `GET /oauth2/authorize` (and the service-compatible `GET /oauth2`): a person signed in to
//!   Zhurnal sees which app asks, for what, and — for a parent — chooses the children whose
//!   data it may read; `POST /oauth2/authorize` records the decision and sends the browser back
//!   to the app with a one-time code (or, in the implicit flow, a token in the fragment);
//! - `POST /oauth2/token`: a code and its PKCE verifier, or a refresh token, for an access
//!   token (used once: a refresh token is replaced at every use);
//! - `POST /oauth2/revoke`: an app or a person ends a grant.
//!
//! The redirect address must be one the school registered for the app, exactly; until it is
//! checked, errors are shown here and never sent anywhere.

use crate::ctx::Ctx;
use crate::dnevnik::auth::{get, pairs};
use crate::pages::auth::check_csrf;
use crate::pages::{Chrome, html};
use crate::security::{constant_time_eq, random_token, token_hash};
use crate::{AppError, AppState};
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use zhurnal_core::Role;
use zhurnal_core::oauth::{
    AppScope, challenge_well_formed, parse_scopes, scopes_text, verifier_matches,
};
use zhurnal_store::{AuditEntry, ClientRow, NewAppGrant, NewAppToken};

/// How long a code may wait for its exchange.
const CODE_MINUTES: i64 = 10;

/// An authorization request, checked.
struct Asked {
    client: ClientRow,
    school: String,
    redirect_uri: String,
    /// `code` (with PKCE) or `token` (the implicit flow of the service's browser apps).
    response_type: String,
    scopes: Vec<AppScope>,
    state: String,
    challenge: String,
}

/// Why a request cannot go on: shown here (the app or its address is unknown), or sent back
/// to the app's verified address as `error=`.
enum Refusal {
    Here(&'static str),
    Back(String, &'static str, String),
}

async fn check(state: &AppState, fields: &[(String, String)]) -> Result<Asked, Refusal> {
    let client = match get(fields, "client_id") {
        Some(id) => state.store.client_by_client_id(id).await.ok().flatten(),
        None => None,
    };
    let Some(client) = client.filter(|c| c.revoked_at.is_none()) else {
        return Err(Refusal::Here("oauth.unknown_app"));
    };
    let registered: Vec<&str> = client.redirects().collect();
    let redirect_uri = match get(fields, "redirect_uri") {
        Some(uri) if registered.contains(&uri) => uri.to_owned(),
        None if registered.len() == 1 => registered[0].to_owned(),
        _ => return Err(Refusal::Here("oauth.unknown_redirect")),
    };
    let st = get(fields, "state").unwrap_or("").to_owned();
    let back = |code: &'static str| Refusal::Back(redirect_uri.clone(), code, st.clone());
    let response_type = get(fields, "response_type").unwrap_or("");
    let challenge = get(fields, "code_challenge").unwrap_or("").to_owned();
    match response_type {
        "code" => {
            if get(fields, "code_challenge_method") != Some("S256")
                || !challenge_well_formed(&challenge)
            {
                return Err(back("invalid_request"));
            }
        }
        "token" => {}
        _ => return Err(back("unsupported_response_type")),
    }
    let allowed = parse_scopes(&client.scopes).unwrap_or_default();
    let scopes = match get(fields, "scope") {
        None | Some("") => allowed.clone(),
        Some(raw) => match parse_scopes(raw) {
            Ok(s) => s,
            Err(_) => return Err(back("invalid_scope")),
        },
    };
    if scopes.is_empty() || scopes.iter().any(|s| !allowed.contains(s)) {
        return Err(back("invalid_scope"));
    }
    let school = state
        .refs
        .school(&state.store, client.school_id)
        .await
        .ok()
        .flatten()
        .map(|s| s.short_name)
        .unwrap_or_default();
    Ok(Asked {
        redirect_uri,
        response_type: response_type.to_owned(),
        scopes,
        state: st,
        challenge,
        school,
        client,
    })
}

/// `uri` with `params` added to its query (or to its fragment).
fn with_params(uri: &str, params: &[(&str, &str)], fragment: bool) -> String {
    let encoded: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::error::encode_path(v).replace('/', "%2F")))
        .collect();
    let sep = if fragment {
        "#"
    } else if uri.contains('?') {
        "&"
    } else {
        "?"
    };
    format!("{uri}{sep}{}", encoded.join("&"))
}

/// A 302 to `location`, never cached (it may carry a code or a token).
pub(crate) fn redirect(location: &str) -> Response {
    let mut res = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn refused(ctx: &Ctx, r: Refusal) -> Result<Response, AppError> {
    match r {
        Refusal::Here(key) => {
            let t = ctx.t();
            let page = ConsentPage {
                c: Chrome::new(ctx, t.s("oauth.consent_title"), "/oauth2/authorize"),
                problem: Some(t.s(key)),
                ..ConsentPage::empty(ctx)
            };
            html(StatusCode::BAD_REQUEST, &page)
        }
        Refusal::Back(uri, code, st) => Ok(redirect(&with_params(
            &uri,
            &[("error", code), ("state", &st)],
            false,
        ))),
    }
}

/// A child a parent may share.
pub struct ChildChoice {
    pub id: i64,
    pub name: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "oauth_consent.html")]
struct ConsentPage {
    c: Chrome,
    problem: Option<&'static str>,
    app: String,
    school: String,
    scopes: Vec<&'static str>,
    children: Vec<ChildChoice>,
    /// «your own data» for a student, «the classes you teach» for staff.
    whose: &'static str,
    children_error: Option<&'static str>,
    /// The request's fields, carried through the form.
    fields: Vec<(String, String)>,
}

impl ConsentPage {
    fn empty(ctx: &Ctx) -> ConsentPage {
        ConsentPage {
            c: Chrome::new(ctx, "", "/oauth2/authorize"),
            problem: None,
            app: String::new(),
            school: String::new(),
            scopes: Vec::new(),
            children: Vec::new(),
            whose: "",
            children_error: None,
            fields: Vec::new(),
        }
    }
}

/// The keys of the scope descriptions a person reads on the consent page.
pub fn scope_key(s: AppScope) -> &'static str {
    match s {
        AppScope::Profile => "oauth.scope_profile",
        AppScope::Diary => "oauth.scope_diary",
        AppScope::Journal => "oauth.scope_journal",
        AppScope::JournalWrite => "oauth.scope_journal_write",
        AppScope::School => "oauth.scope_school",
    }
}

const CARRIED: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

fn consent(
    ctx: &Ctx,
    asked: &Asked,
    fields: &[(String, String)],
    chosen: Option<&[i64]>,
) -> Result<ConsentPage, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let children: Vec<ChildChoice> = actor
        .children
        .iter()
        .map(|c| ChildChoice {
            id: c.person_id,
            name: format!(
                "{} {}{}",
                c.first_name,
                c.last_name,
                c.class_name
                    .as_deref()
                    .map(|n| format!(", {n}"))
                    .unwrap_or_default()
            ),
            chosen: chosen.is_none_or(|ids| ids.contains(&c.person_id)),
        })
        .collect();
    let whose = if actor.grants.iter().any(|g| g.role == Role::Student) {
        "oauth.whose_self"
    } else if actor.is_staff() {
        "oauth.whose_staff"
    } else {
        ""
    };
    Ok(ConsentPage {
        c: Chrome::new(ctx, t.s("oauth.consent_title"), "/oauth2/authorize"),
        problem: None,
        app: asked.client.name.clone(),
        school: asked.school.clone(),
        scopes: asked.scopes.iter().map(|s| t.s(scope_key(*s))).collect(),
        children,
        whose: if whose.is_empty() { "" } else { t.s(whose) },
        children_error: None,
        fields: CARRIED
            .iter()
            .filter_map(|k| get(fields, k).map(|v| ((*k).to_owned(), v.to_owned())))
            .collect(),
    })
}

/// `GET /oauth2/authorize` and `GET /oauth2`: the consent page (after signing in).
pub async fn authorize_get(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let raw = query.unwrap_or_default();
    let fields = pairs(&raw);
    let asked = match check(&state, &fields).await {
        Ok(a) => a,
        Err(r) => return refused(&ctx, r),
    };
    if ctx.actor.is_none() {
        let back = format!("/oauth2/authorize?{raw}");
        return Ok(redirect(&format!(
            "/login?next={}",
            crate::error::encode_path(&back)
        )));
    }
    consent_response(
        StatusCode::OK,
        &consent(&ctx, &asked, &fields, None)?,
        &asked,
    )
}

/// The consent page, allowed to send its form on to the app's return address.
fn consent_response(
    status: StatusCode,
    page: &ConsentPage,
    asked: &Asked,
) -> Result<Response, AppError> {
    let mut res = html(status, page)?;
    if let Some(csp) = crate::security::csp_sending_forms_to(&asked.redirect_uri) {
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    Ok(res)
}

/// `POST /oauth2/authorize`: the person's decision.
pub async fn authorize_post(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = pairs(&String::from_utf8_lossy(&body));
    check_csrf(&ctx, get(&fields, "csrf").unwrap_or(""))?;
    let asked = match check(&state, &fields).await {
        Ok(a) => a,
        Err(r) => return refused(&ctx, r),
    };
    if get(&fields, "decision") != Some("allow") {
        return Ok(redirect(&with_params(
            &asked.redirect_uri,
            &[("error", "access_denied"), ("state", &asked.state)],
            false,
        )));
    }
    let actor = ctx.actor()?;
    let chosen: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "child")
        .filter_map(|(_, v)| v.parse().ok())
        .filter(|id| actor.children.iter().any(|c| c.person_id == *id))
        .collect();
    let is_student = actor.grants.iter().any(|g| g.role == Role::Student);
    if !actor.children.is_empty()
        && chosen.is_empty()
        && !is_student
        && asked.scopes.contains(&AppScope::Diary)
    {
        let mut page = consent(&ctx, &asked, &fields, Some(&[]))?;
        page.children_error = Some(ctx.t().s("oauth.choose_child"));
        return consent_response(StatusCode::UNPROCESSABLE_ENTITY, &page, &asked);
    }
    let now = state.clock.now_ms();
    let children = chosen
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let scopes = scopes_text(&asked.scopes);
    let audit = AuditEntry {
        action: "oauth.grant".into(),
        details: json!({ "app": asked.client.client_id, "scopes": scopes, "children": chosen })
            .to_string(),
        ..ctx.audit_base(now)
    };
    let grant = NewAppGrant {
        client_pk: asked.client.id,
        user_id: actor.user_id,
        scopes: &scopes,
        children: &children,
        now,
    };
    if asked.response_type == "code" {
        let code = random_token();
        let hash = token_hash(&code);
        state
            .store
            .create_grant(
                &grant,
                Some((
                    &hash,
                    &asked.redirect_uri,
                    &asked.challenge,
                    now + CODE_MINUTES * 60_000,
                )),
                &audit,
            )
            .await?;
        return Ok(redirect(&with_params(
            &asked.redirect_uri,
            &[("code", &code), ("state", &asked.state)],
            false,
        )));
    }
    // The implicit flow: the token itself, in the fragment (never sent to a server).
    let grant_id = state.store.create_grant(&grant, None, &audit).await?;
    let issued = issue(&state, &ctx.ip, grant_id, actor.user_id).await?;
    Ok(redirect(&with_params(
        &asked.redirect_uri,
        &[
            ("access_token", &issued.access),
            ("token_type", "bearer"),
            ("expires_in", &issued.expires_in.to_string()),
            ("scope", &scopes),
            ("state", &asked.state),
        ],
        true,
    )))
}

struct Issued {
    access: String,
    refresh: String,
    expires_in: i64,
}

async fn issue(
    state: &AppState,
    ip: &str,
    grant_id: i64,
    user_id: i64,
) -> Result<Issued, AppError> {
    let now = state.clock.now_ms();
    let access = random_token();
    let refresh = random_token();
    let expires_in = state.cfg.api_token_minutes * 60;
    state
        .store
        .issue_app_token(&NewAppToken {
            grant_id,
            user_id,
            token_hash: &token_hash(&access),
            csrf_token: &random_token(),
            refresh_hash: &token_hash(&refresh),
            ip,
            now,
            expires_at: now + expires_in * 1000,
        })
        .await?;
    Ok(Issued {
        access,
        refresh,
        expires_in,
    })
}

/// An error of the token endpoint (RFC 6749 §5.2).
fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut res = (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The fields of a form or JSON body.
fn body_fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if json_body {
        match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body) {
            Ok(map) => map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    serde_json::Value::String(s) => Some((k, s)),
                    serde_json::Value::Number(n) => Some((k, n.to_string())),
                    _ => None,
                })
                .collect(),
            Err(_) => Vec::new(),
        }
    } else {
        pairs(&String::from_utf8_lossy(body))
    }
}

/// A confidential app must present its secret; a public one has none to present.
fn secret_ok(secret_hash: Option<&str>, given: Option<&str>) -> bool {
    match secret_hash {
        None => true,
        Some(h) => given.is_some_and(|g| constant_time_eq(h, &token_hash(g))),
    }
}

/// `POST /oauth2/token`.
pub async fn token(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = body_fields(&headers, &body);
    let now = state.clock.now_ms();
    let client_id = get(&f, "client_id").unwrap_or("");
    let grant = match get(&f, "grant_type") {
        Some("authorization_code") => {
            let code = get(&f, "code").unwrap_or("");
            let Some(row) = state.store.take_code(&token_hash(code), now).await? else {
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown code",
                ));
            };
            let grant = state.store.grant(row.grant_id).await?;
            if row.used_at.is_some() {
                // A code used twice was stolen or replayed: the grant ends (RFC 6749 §4.1.2).
                let audit = AuditEntry {
                    action: "oauth.code_replayed".into(),
                    outcome: "denied".into(),
                    ..ctx.audit_base(now)
                };
                let _ = state.store.revoke_grant(row.grant_id, None, &audit).await;
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "the code was already used",
                ));
            }
            let Some(grant) = grant.filter(|g| g.revoked_at.is_none()) else {
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "the grant was withdrawn",
                ));
            };
            if row.expires_at < now {
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "the code expired",
                ));
            }
            if grant.client_id != client_id {
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "the code was issued to another app",
                ));
            }
            if get(&f, "redirect_uri").is_some_and(|u| u != row.redirect_uri) {
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "redirect_uri differs from the authorization request",
                ));
            }
            if !verifier_matches(get(&f, "code_verifier").unwrap_or(""), &row.challenge) {
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "code_verifier does not match code_challenge",
                ));
            }
            grant
        }
        Some("refresh_token") => {
            let refresh = get(&f, "refresh_token").unwrap_or("");
            let found = state.store.grant_by_refresh(&token_hash(refresh)).await?;
            let Some(grant) = found.filter(|g| g.revoked_at.is_none() && g.client_id == client_id)
            else {
                return Ok(token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown or used refresh token",
                ));
            };
            grant
        }
        _ => {
            return Ok(token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be authorization_code or refresh_token",
            ));
        }
    };
    if !secret_ok(grant.secret_hash.as_deref(), get(&f, "client_secret")) {
        return Ok(token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client_secret is missing or wrong",
        ));
    }
    let issued = issue(&state, &ctx.ip, grant.id, grant.user_id).await?;
    let mut res = Json(json!({
        "access_token": issued.access, "token_type": "Bearer", "expires_in": issued.expires_in,
        "refresh_token": issued.refresh, "scope": grant.scopes,
    }))
    .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `POST /oauth2/revoke`: `token=` (an access or a refresh token) ends its grant. Always
/// 200, whether the token was known or not (RFC 7009 §2.2).
pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = body_fields(&headers, &body);
    let hash = token_hash(get(&f, "token").unwrap_or(""));
    let grant = match state.store.grant_by_refresh(&hash).await? {
        Some(g) => Some(g.id),
        None => state.store.grant_of_token(&hash).await?,
    };
    if let Some(id) = grant {
        let audit = AuditEntry {
            action: "oauth.revoke".into(),
            ..ctx.audit_base(state.clock.now_ms())
        };
        match state.store.revoke_grant(id, None, &audit).await {
            Ok(()) | Err(zhurnal_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(StatusCode::OK.into_response())
}
