//! Errors as one type, mapped to HTTP once. A handler returns `AppError`; the response carries
//! it in an extension and [`render`] (a middleware) turns it into a JSON error under `/api/`
//! or an error page in the user's language elsewhere.

use crate::ctx::Ctx;
use crate::pages::ErrorPage;
use axum::Json;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use zhurnal_store::StoreError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("CSRF check failed")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("too many attempts")]
    Locked { retry_after_secs: i64 },
    /// Input that parsed but breaks a rule: (field, message in the user's language).
    #[error("validation failed")]
    Validation(Vec<(String, String)>),
    /// A rule of the data refused the change (a duplicate, a row another change already
    /// took); names the rule.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Data the person would otherwise see that the school may not give them electronically
    /// now (the parents refused it, §3.6; the student left the school, §5.2), with why.
    #[error("withheld: {0}")]
    Withheld(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(rule) => AppError::Conflict(rule),
            StoreError::Invalid(why) => AppError::BadRequest(why),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf | AppError::Withheld(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code of the API error envelope.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Csrf => "csrf_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::Validation(_) => "validation",
            AppError::Locked { .. } => "too_many_attempts",
            AppError::Withheld(_) => "no_electronic_access",
            AppError::Internal(_) => "internal",
        }
    }

    /// The catalogue key of the message a person sees.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "login.expired",
            AppError::Forbidden => "error.forbidden",
            AppError::NotFound => "error.not_found",
            AppError::Csrf => "error.csrf",
            AppError::BadRequest(_) | AppError::Validation(_) => "error.bad_request",
            AppError::Conflict(_) => "error.conflict",
            AppError::Locked { .. } => "login.locked",
            AppError::Withheld(_) => "error.withheld",
            AppError::Internal(_) => "error.internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        if let AppError::Locked { retry_after_secs } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(1).to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(self);
        res
    }
}

/// Turns an `AppError` left in a response into its final form.
pub async fn render(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let ctx = req.extensions().get::<Ctx>().cloned();
    let matched = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .is_some();
    let res = next.run(req).await;
    let Some(err) = res.extensions().get::<AppError>().cloned() else {
        return res;
    };
    let reference = if let AppError::Internal(detail) = &err {
        // Logged with a reference the person can quote; the text never reaches the client.
        let reference = &crate::security::random_token()[..12];
        tracing::error!(reference, %path, "internal error: {detail}");
        reference.to_owned()
    } else {
        String::new()
    };
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let api = path.starts_with("/api/");
    let lang = ctx.as_ref().map(|c| c.lang).unwrap_or_default();
    let mut out = if path.starts_with(crate::dnevnik::PREFIX) {
        let t = crate::i18n::Tr::new(lang);
        let mut description = match err {
            AppError::NotFound if matched => t.s("api.not_found").to_owned(),
            AppError::NotFound => format!("{} {path}", t.s("api.no_method")),
            _ => t.s(err.message_key()).to_owned(),
        };
        if let AppError::BadRequest(detail) | AppError::Withheld(detail) = &err {
            description = detail.clone();
        }
        if !reference.is_empty() {
            description = format!("{description} ({reference})");
        }
        crate::dnevnik::error_response(&err, &description, matched)
    } else if api {
        let message = crate::i18n::Tr::new(lang).s(err.message_key());
        let mut body = serde_json::json!({ "error": { "code": err.code(), "message": message } });
        if !reference.is_empty() {
            body["error"]["reference"] = reference.into();
        }
        if let AppError::Validation(fields) = &err {
            let map: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(f, m)| (f.clone(), m.clone().into()))
                .collect();
            body["error"]["fields"] = map.into();
        }
        if let AppError::BadRequest(detail) | AppError::Withheld(detail) = &err {
            body["error"]["detail"] = detail.clone().into();
        }
        (err.status(), Json(body)).into_response()
    } else if matches!(err, AppError::Unauthorized) {
        let next = if path == "/" {
            String::new()
        } else {
            format!("?next={}", encode_path(&path))
        };
        redirect(&format!("/login{next}")).into_response()
    } else {
        match ctx {
            Some(ctx) => ErrorPage::response(&ctx, &err, &reference),
            None => (err.status(), err.to_string()).into_response(),
        }
    };
    if let Some(v) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out
}

/// A 303 to `to`, a path on this site built from the request's input: any byte a header
/// cannot carry (a control character, a space, non-ASCII) is percent-encoded, so a value
/// like `class=%0A` sends the browser back with it intact instead of failing the answer
/// after the change it reports was saved.
pub fn redirect(to: &str) -> Redirect {
    let mut out = String::with_capacity(to.len());
    for b in to.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Redirect::to(&out)
}

/// Percent-encodes a path for use inside a query parameter.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A redirect target from user input is accepted only if it stays on this site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        // A path on this site: one leading slash, then no second slash or backslash (which
        // browsers read as another host), no whitespace or control characters (which
        // browsers strip, turning "/\t/evil" into "//evil"), no scheme.
        Some(n)
            if n.starts_with('/')
                && !matches!(n.chars().nth(1), Some('/' | '\\'))
                && !n
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
                && !n.contains("://") =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_redirects_are_refused() {
        assert_eq!(safe_next(Some("/audit?x=1")), "/audit?x=1");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn paths_are_encoded() {
        assert_eq!(encode_path("/schools/2"), "/schools/2");
        assert_eq!(encode_path("/a b?c"), "/a%20b%3Fc");
    }
}
