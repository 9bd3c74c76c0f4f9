//! What no text of a school can hold is refused at the door: a NUL character, in the path,
//! the query, a form or a JSON body. PostgreSQL cannot store one and SQLite would, so
//! without this the same request failed on one backend and was kept on the other; now both
//! answer the same structured 400 before any handler or query sees it. Uploaded files
//! (multipart, raw bodies) carry binary data and are checked by their own readers.

use crate::AppError;
use axum::body::Body;
use axum::http::{Request, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The most of a form or JSON body read here; the same as the routes' default limit.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Refuses a request with a NUL character anywhere in its text.
pub async fn refuse_nul(req: Request<Body>, next: Next) -> Response {
    // Path and query as sent (percent-encoded): read in place, every request passes here.
    let uri = req.uri();
    if has_nul_escape(uri.path()) || uri.query().is_some_and(has_nul_escape) {
        return refused("the address");
    }
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = kind.starts_with("application/x-www-form-urlencoded");
    let json = kind.starts_with("application/json") || kind.contains("+json");
    if !form && !json {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return AppError::BadRequest("the body is too large or was cut off".into())
                .into_response();
        }
    };
    let bad = bytes.contains(&0)
        || (form && has_nul_escape(&String::from_utf8_lossy(&bytes)))
        || (json && has_json_nul(&bytes));
    if bad {
        return refused(if json { "the JSON body" } else { "the form" });
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn refused(place: &str) -> Response {
    AppError::BadRequest(format!(
        "{place} holds a NUL character, which no text may contain"
    ))
    .into_response()
}

/// `%00` (percent-encoded NUL) or a raw NUL in an address or a form.
fn has_nul_escape(text: &str) -> bool {
    text.contains('\0') || text.contains("%00")
}

/// `\u0000` in a JSON text, outside an escaped backslash (`\\u0000` is the text «\u0000»).
fn has_json_nul(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1..].starts_with(b"u0000") {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_where_it_is_and_only_there() {
        assert!(has_json_nul(br#"{"login":"a\u0000b"}"#));
        assert!(has_json_nul(br#"["\\\u0000"]"#));
        assert!(!has_json_nul(
            br#"{"topic":"\\u0000 is how JSON writes NUL"}"#
        ));
        assert!(!has_json_nul(br#"{"topic":"\u0041"}"#));
        assert!(!has_json_nul(br#"\"#));
        assert!(has_nul_escape("/v2/persons/1%00"));
        assert!(has_nul_escape("class=%00"));
        assert!(!has_nul_escape("/journal?class=%0A100"));
    }
}
