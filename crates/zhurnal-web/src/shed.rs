//! Degrading under overload instead of falling over: at most `max_in_flight` requests are
//! worked on at once; a request that cannot start within `queue_wait` is answered at once
//! with 503 and `Retry-After`, so a peak (1 September, Monday 8 am) slows some people by a
//! second instead of timing everyone out. `/healthz` is never queued: it is the liveness
//! probe and the benchmarks' ceiling.

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The limit and how long a request may wait for its turn.
#[derive(Debug, Clone, Copy)]
pub struct ShedPolicy {
    pub max_in_flight: usize,
    pub queue_wait: Duration,
}

impl Default for ShedPolicy {
    fn default() -> Self {
        // Far above what two cores serve concurrently with the database's few connections,
        // far below what exhausts memory.
        ShedPolicy {
            max_in_flight: 512,
            queue_wait: Duration::from_secs(2),
        }
    }
}

/// The gate every request but `/healthz` passes.
#[derive(Clone)]
pub struct Gate {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Gate {
    pub fn new(policy: ShedPolicy) -> Gate {
        Gate {
            permits: Arc::new(Semaphore::new(policy.max_in_flight.max(1))),
            wait: policy.queue_wait,
        }
    }
}

pub async fn gate(
    axum::extract::State(gate): axum::extract::State<Gate>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    let permit = match gate.permits.clone().try_acquire_owned() {
        Ok(p) => p,
        Err(_) => {
            match tokio::time::timeout(gate.wait, gate.permits.clone().acquire_owned()).await {
                Ok(Ok(p)) => p,
                _ => return busy(req.uri().path().starts_with("/api/")),
            }
        }
    };
    let res = next.run(req).await;
    drop(permit);
    res
}

/// 503 with `Retry-After: 1`, as JSON under `/api/` and as a short page elsewhere. Built
/// without the session or the database: an overloaded server must answer it cheaply.
fn busy(api: bool) -> Response {
    let mut res = if api {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "error": {
                "code": "overloaded",
                "message": "Сервер перегружен, повторите запрос через секунду. The server is busy; retry in a second."
            }})),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>Журнал: подождите</title>\
             <p>Сейчас очень много запросов. Страница обновится через секунду.</p>\
             <p lang=\"en\">The server is busy; the page will reload in a second.</p>\
             <meta http-equiv=\"refresh\" content=\"1\"></html>",
        )
            .into_response()
    };
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}
