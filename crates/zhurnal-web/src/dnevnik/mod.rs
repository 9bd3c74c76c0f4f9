//! A Dnevnik.ru REST API v2–compatible surface under `/v2/` (and `/v2.0/`), so clients
//! written for that service work against Zhurnal with only the base URL changed.
//!
//! The wire rules (see `docs/api.md`): the token comes from the `Access-Token` header, the
//! `access_token` query parameter or `Authorization: Bearer`; every answer is JSON, errors
//! `{"type","description"}`; every id is sent twice, as a number and as a string (`id`,
//! `id_str`), because the service's ids exceed 2^53; dates in paths and queries are read
//! leniently (date only, `T` or space, seconds optional, fields not zero-padded).
//!
//! Privacy is the UI's: a student sees themself, a parent their children, a teacher the
//! classes they teach; anything else answers as if it did not exist (404), and is audited.

pub mod auth;
pub mod reach;
pub mod read;

use crate::AppError;
use axum::Json;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde_json::{Value, json};

/// Where the compatible surface lives (after [`rewrite`]).
pub const PREFIX: &str = "/v2/";

/// Rewrites a request path before routing: `/v2.0/…` is `/v2/…`; and a path that carries a
/// whole URL after `/v2/` (a known bug of an older Python client, which joins its base URL
/// with an absolute one: `/v2/https://api.dnevnik.ru/v2.0/marks/values`) is read as the
/// path inside it.
pub fn rewrite<B>(mut req: axum::http::Request<B>) -> axum::http::Request<B> {
    if let Some(path) = normalised(req.uri().path()) {
        let pq = match req.uri().query() {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        let mut parts = req.uri().clone().into_parts();
        if let Ok(p) = pq.parse() {
            parts.path_and_query = Some(p);
            if let Ok(uri) = Uri::from_parts(parts) {
                *req.uri_mut() = uri;
            }
        }
    }
    req
}

/// The path to route instead of `path`, if it is one of the aliases.
fn normalised(path: &str) -> Option<String> {
    let rest = path
        .strip_prefix("/v2.0/")
        .or_else(|| path.strip_prefix("/v2/"))?;
    let inner = rest
        .strip_prefix("https:/")
        .or_else(|| rest.strip_prefix("http:/"))
        // Both `//host/` and a collapsed `/host/` arrive, depending on the client.
        .map(|r| r.trim_start_matches('/'))
        .and_then(|r| r.split_once('/'))
        .and_then(|(_, after_host)| {
            after_host
                .strip_prefix("v2.0/")
                .or_else(|| after_host.strip_prefix("v2/"))
        });
    match inner {
        Some(inner) => Some(format!("{PREFIX}{inner}")),
        None if path.starts_with("/v2.0/") => Some(format!("{PREFIX}{rest}")),
        None => None,
    }
}

/// The token a client of the compatible surface presented, if any.
pub fn presented_token(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(v) = headers.get("access-token").and_then(|v| v.to_str().ok()) {
        return Some(v.trim().to_owned());
    }
    if let Some(q) = query {
        for pair in q.split('&') {
            if let Some(v) = pair.strip_prefix("access_token=") {
                return Some(percent_decode(v));
            }
        }
    }
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_owned())
}

/// Decodes `%XX` and `+` of a query value.
pub fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The error answer of the compatible surface: `{"type","description"}` with a status.
pub fn error_response(err: &AppError, description: &str, matched: bool) -> Response {
    let (status, kind) = match err {
        AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "authorizationInvalidToken"),
        AppError::Forbidden | AppError::Withheld(_) => {
            (StatusCode::FORBIDDEN, "authorizationOwnerForbidden")
        }
        AppError::Csrf => (StatusCode::FORBIDDEN, "invalidRequest"),
        AppError::NotFound if matched => (StatusCode::NOT_FOUND, "apiResourceUnavailable"),
        AppError::NotFound => (StatusCode::NOT_FOUND, "apiMethodNotSupported"),
        AppError::BadRequest(_) | AppError::Validation(_) => {
            (StatusCode::BAD_REQUEST, "parameterInvalid")
        }
        AppError::Conflict(_) => (StatusCode::CONFLICT, "invalidRequest"),
        AppError::Locked { .. } => (StatusCode::TOO_MANY_REQUESTS, "apiRequestLimit"),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "apiServerError"),
    };
    (
        status,
        Json(json!({ "type": kind, "description": description })),
    )
        .into_response()
}

/// A date as clients send it: `2024-09-02`, `2024-09-02T08:30:00`, `2024-09-02 08:30:00`,
/// `2024-09-02T14:47:56.142741`, `2024-9-2T8:5:0`. The time of day is ignored: ranges are
/// whole days.
pub fn parse_when(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    let day = raw.split(['T', ' ', 't']).next()?;
    let mut parts = day.splitn(3, '-');
    let y: i16 = parts.next()?.trim().parse().ok()?;
    let m: i8 = parts.next()?.trim().parse().ok()?;
    let d: i8 = parts.next()?.trim().parse().ok()?;
    Date::new(y, m, d).ok()
}

/// [`parse_when`], or `parameterInvalid` naming the parameter.
pub fn when(field: &str, raw: &str) -> Result<Date, AppError> {
    parse_when(raw).ok_or_else(|| {
        AppError::BadRequest(format!(
            "{field}: expected a date such as 2026-09-01 or 2026-09-01T00:00:00, got «{raw}»"
        ))
    })
}

/// An id path segment, or 404 (an id that cannot exist).
pub fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().map_err(|_| AppError::NotFound)
}

/// `YYYY-MM-DDTHH:MM:SS` for a stored day (`YYYY-MM-DD`) and an optional `HH:MM`.
pub fn stamp(day: &str, time: Option<&str>) -> String {
    format!("{day}T{}:00", time.unwrap_or("00:00"))
}

/// `YYYY-MM-DDTHH:MM:SS` of an instant (ms) in a school's zone.
pub fn instant(ms: i64, tz: &str) -> String {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(zone).strftime("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// Inserts `key` and `key_str` for an id.
pub fn put_id(obj: &mut Value, key: &str, id: i64) {
    obj[key] = id.into();
    obj[format!("{key}_str")] = id.to_string().into();
}

/// Inserts `key` and `key_str` for an optional id (null and null).
pub fn put_opt_id(obj: &mut Value, key: &str, id: Option<i64>) {
    match id {
        Some(id) => put_id(obj, key, id),
        None => {
            obj[key] = Value::Null;
            obj[format!("{key}_str")] = Value::Null;
        }
    }
}

/// Inserts `key` and `key_str` for a list of ids.
pub fn put_ids(obj: &mut Value, key: &str, ids: &[i64]) {
    obj[key] = ids.to_vec().into();
    obj[format!("{key}_str")] = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().into();
}

/// A decimal with a comma, as the service writes averages: `4,50`.
pub fn comma_decimal(value: f64, places: usize) -> String {
    format!("{value:.places$}").replace('.', ",")
}

/// The compatible surface's routes (each is also in the route table).
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/v2/users/me", get(read::users_me))
        .route("/v2/users/me/context", get(read::users_me_context))
        .route("/v2/users/me/roles", get(read::users_me_roles))
        .route("/v2/users/me/schools", get(read::my_school_ids))
        .route("/v2/users/me/edu-groups", get(read::my_group_ids))
        .route("/v2/users/me/children", get(read::my_children))
        .route(
            "/v2/users/me/school/{school}/homeworks",
            get(read::my_homework),
        )
        .route("/v2/schools/person-schools", get(read::person_schools))
        .route("/v2/schools/{school}", get(read::school_one))
        .route("/v2/work-types/{school}", get(read::work_types))
        .route("/v2/persons", get(read::persons_query))
        .route("/v2/persons/{person}", get(read::person_one))
        .route("/v2/persons/{person}/edu-groups", get(read::person_groups))
        .route(
            "/v2/persons/{person}/schools/{school}/marks/{from}/{to}",
            get(read::person_school_marks),
        )
        .route(
            "/v2/persons/{person}/subjects/{subject}/marks/{from}/{to}",
            get(read::person_subject_marks),
        )
        .route(
            "/v2/persons/{person}/edu-groups/{group}/marks/{from}/{to}",
            get(read::person_group_marks),
        )
        .route(
            "/v2/persons/{person}/edu-groups/{group}/allfinalmarks",
            get(read::person_all_finals),
        )
        .route(
            "/v2/persons/{person}/edu-groups/{group}/final-marks",
            get(read::person_finals),
        )
        .route(
            "/v2/persons/{person}/reporting-periods/{period}/avg-mark",
            get(read::person_period_average),
        )
        .route(
            "/v2/persons/{person}/reporting-periods/{period}/subjects/{subject}/avg-mark",
            get(read::person_period_subject_average),
        )
        .route(
            "/v2/persons/{person}/school/{school}/homeworks",
            get(read::person_homework),
        )
        .route(
            "/v2/persons/{person}/groups/{group}/schedules",
            get(read::person_schedule),
        )
        .route(
            "/v2/persons/{person}/lesson-log-entries",
            get(read::person_log),
        )
        .route("/v2/edu-groups/{group}", get(read::group_one))
        .route("/v2/edu-groups/{group}/persons", get(read::group_persons))
        .route("/v2/edu-groups/{group}/subjects", get(read::group_subjects))
        .route(
            "/v2/edu-groups/{group}/lessons/{from}/{to}",
            get(read::group_lessons),
        )
        .route(
            "/v2/edu-groups/{group}/subjects/{subject}/marks/{from}/{to}",
            get(read::group_subject_marks),
        )
        .route(
            "/v2/edu-groups/{group}/reporting-periods",
            get(read::group_periods),
        )
        .route(
            "/v2/edu-groups/{group}/timetables",
            get(read::group_timetable),
        )
        .route("/v2/lessons/{lesson}", get(read::lesson_one))
        .route("/v2/lessons/{lesson}/marks", get(read::lesson_marks))
        .route("/v2/lessons/{lesson}/log-entries", get(read::lesson_log))
        .route("/v2/lesson-log-entries/statuses", get(read::log_statuses))
        .route("/v2/marks/{mark}", get(read::mark_one))
        .route(
            "/v2/authorizations/bycredentials",
            post(auth::by_credentials),
        )
        .route("/login/", post(auth::login_form))
        .route("/oauth2/Authorization/Result", get(auth::result_page))
        .route(
            "/oauth2",
            get(crate::oauth::authorize_get).post(auth::oauth_post),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_leniently() {
        let d = Date::constant(2024, 9, 2);
        for raw in [
            "2024-09-02",
            "2024-09-02T08:30:00",
            "2024-09-02 08:30:00",
            "2024-09-02T14:47:56.142741",
            "2024-9-2T8:5:0",
            " 2024-09-02 ",
        ] {
            assert_eq!(parse_when(raw), Some(d), "{raw}");
        }
        for raw in [
            "",
            "02.09.2024",
            "2024-13-01",
            "2024-02-30",
            "yesterday",
            "2024-09",
        ] {
            assert_eq!(parse_when(raw), None, "{raw}");
        }
    }

    #[test]
    fn aliases_and_the_absolute_url_bug_are_rewritten() {
        assert_eq!(
            normalised("/v2.0/users/me").as_deref(),
            Some("/v2/users/me")
        );
        assert_eq!(normalised("/v2/users/me"), None);
        assert_eq!(
            normalised("/v2/https://api.dnevnik.ru/v2.0/marks/values").as_deref(),
            Some("/v2/marks/values")
        );
        assert_eq!(
            normalised("/v2/https:/api.dnevnik.ru/v2/persons/1/groups/2/schedules").as_deref(),
            Some("/v2/persons/1/groups/2/schedules")
        );
        assert_eq!(normalised("/api/v1/me"), None);
        let req = rewrite(
            axum::http::Request::builder()
                .uri("/v2.0/users/me?access_token=abc")
                .body(())
                .unwrap(),
        );
        assert_eq!(req.uri().to_string(), "/v2/users/me?access_token=abc");
    }

    #[test]
    fn tokens_come_from_header_query_or_bearer() {
        let mut h = HeaderMap::new();
        assert_eq!(
            presented_token(&h, Some("x=1&access_token=ab%2Bc")),
            Some("ab+c".into())
        );
        h.insert("authorization", "Bearer xyz".parse().unwrap());
        assert_eq!(presented_token(&h, None), Some("xyz".into()));
        h.insert("access-token", "abc".parse().unwrap());
        assert_eq!(
            presented_token(&h, Some("access_token=q")),
            Some("abc".into())
        );
        assert_eq!(presented_token(&HeaderMap::new(), Some("a=b")), None);
    }

    #[test]
    fn decimals_take_a_comma_and_ids_come_in_pairs() {
        assert_eq!(comma_decimal(4.5, 2), "4,50");
        assert_eq!(comma_decimal(4.5, 1), "4,5");
        let mut v = json!({});
        put_id(&mut v, "id", 1565042653527550944);
        assert_eq!(v["id_str"], "1565042653527550944");
        assert_eq!(v["id"].as_i64(), Some(1565042653527550944));
        assert_eq!(
            percent_decode("2024-09-02+00%3A00%3A00"),
            "2024-09-02 00:00:00"
        );
        assert_eq!(percent_decode("50%"), "50%");
    }
}
