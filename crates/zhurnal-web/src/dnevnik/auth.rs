//! Getting a token the ways clients of the service do:
//! - `POST /login/` with `login` and `password` (in the query string, as the Python client
//!   sends them, or a form body), answered with a redirect to
//!   `/oauth2/Authorization/Result?result=success#access_token=<token>&state=<state>`; a
//!   refusal redirects to the same page without `result=success`;
//! - `POST /v2/authorizations/bycredentials` with a JSON body `{username, password}`.
//!
//! Both go through the one login check (throttling, audit, argon2id) and open an API
//! session, the same kind of token `/api/v1` takes. No cookie is set: the token travels
//! in the redirect's fragment, which the server never sees again.

use super::percent_decode;
use crate::ctx::Ctx;
use crate::login::{self, Outcome, Refusal};
use crate::oauth::redirect;
use crate::pages::Chrome;
use crate::{AppError, AppState};
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};

/// Where the login flow lands.
pub const RESULT_PATH: &str = "/oauth2/Authorization/Result";

/// Every `key=value` of a query string or form body, decoded.
pub(crate) fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

pub(crate) fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// The `state` an app put in its return address, kept for the redirect's fragment (only
/// characters that need no escaping there).
fn state_of(return_url: Option<&str>) -> String {
    let Some(url) = return_url else {
        return String::new();
    };
    let query = url.split_once('?').map_or("", |(_, q)| q);
    get(&pairs(query), "state")
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        .take(200)
        .collect()
}

/// `POST /login/`: the service's login form, as its clients post it.
pub async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut fields = pairs(query.as_deref().unwrap_or(""));
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        fields.extend(pairs(&String::from_utf8_lossy(&body)));
    }
    let (Some(user), Some(password)) = (get(&fields, "login"), get(&fields, "password")) else {
        return Ok(redirect(&format!(
            "{RESULT_PATH}?result=fail&error=credentials_required"
        )));
    };
    let state_param = state_of(get(&fields, "ReturnUrl"));
    Ok(
        match login::login(&state, &ctx, user, password, "api").await? {
            Outcome::Opened(o) => redirect(&format!(
                "{RESULT_PATH}?result=success#access_token={}&state={state_param}",
                o.token
            )),
            Outcome::Refused(Refusal::Invalid) => redirect(&format!(
                "{RESULT_PATH}?result=fail&error=invalid_credentials"
            )),
            Outcome::Refused(Refusal::Locked(_)) => {
                redirect(&format!("{RESULT_PATH}?result=fail&error=locked"))
            }
        },
    )
}

#[derive(Template)]
#[template(path = "oauth_result.html")]
struct ResultPage {
    c: Chrome,
    success: bool,
}

/// `GET /oauth2/Authorization/Result`: where the login flow ends, for a person who sees it
/// in a browser. The token, if any, is in the fragment, for the app.
pub async fn result_page(ctx: Ctx, RawQuery(query): RawQuery) -> Result<Response, AppError> {
    let fields = pairs(query.as_deref().unwrap_or(""));
    let page = ResultPage {
        c: Chrome::new(&ctx, ctx.t().s("oauth.result_title"), RESULT_PATH),
        success: get(&fields, "result") == Some("success"),
    };
    let mut res = Html(page.render()?).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `POST /oauth2`: what the Python client posts when the login did not end in success (the
/// service offered a consent step there). Without a signed-in browser session it fails.
pub async fn oauth_post() -> Response {
    redirect(&format!("{RESULT_PATH}?result=fail&error=login_required"))
}

/// `POST /v2/authorizations/bycredentials`: `{"username","password"}` (also `login`) →
/// `{"accessToken","expiresIn",…}`; a refusal is `authorizationFailed`.
pub async fn by_credentials(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.contains("json"));
    let (user, password) = if json_body {
        let v: Value = serde_json::from_slice(&body)
            .map_err(|e| AppError::BadRequest(format!("the body is not JSON: {e}")))?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        (s("username").or_else(|| s("login")), s("password"))
    } else {
        let f = pairs(&String::from_utf8_lossy(&body));
        (
            get(&f, "username").or(get(&f, "login")).map(str::to_owned),
            get(&f, "password").map(str::to_owned),
        )
    };
    let (Some(user), Some(password)) = (user, password) else {
        return Err(AppError::BadRequest(
            "username and password are required".into(),
        ));
    };
    let failed = |description: &str| {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "type": "authorizationFailed", "description": description })),
        )
            .into_response()
    };
    Ok(
        match login::login(&state, &ctx, &user, &password, "api").await? {
            Outcome::Opened(o) => {
                let expires_in = (o.expires_at - state.clock.now_ms()) / 1000;
                Json(json!({
                "accessToken": o.token, "expiresIn": expires_in, "expiresIn_str": expires_in.to_string(),
                "refreshToken": Value::Null, "scope": "CommonInfo,ContactInfo,FriendsAndRelatives,EducationalInfo",
                "user": o.user_id, "user_str": o.user_id.to_string(),
                "person": o.person_id, "person_str": o.person_id.to_string(),
            }))
            .into_response()
            }
            Outcome::Refused(Refusal::Invalid) => failed(ctx.t().s("login.failed")),
            Outcome::Refused(Refusal::Locked(until)) => {
                let mut res = failed(ctx.t().s("login.locked"));
                let secs = ((until - state.clock.now_ms()) / 1000).max(1);
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
                *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                res
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_and_state_are_read() {
        let f = pairs(
            "login=ivanova%40x&password=a+b%26c&ReturnUrl=https%3A%2F%2Fx%2Foauth2%3Fstate%3Dab12%26scope%3DA",
        );
        assert_eq!(get(&f, "login"), Some("ivanova@x"));
        assert_eq!(get(&f, "password"), Some("a b&c"));
        assert_eq!(state_of(get(&f, "ReturnUrl")), "ab12");
        assert_eq!(state_of(Some("https://x/oauth2?state=<script>")), "script");
        assert_eq!(state_of(None), "");
    }
}
