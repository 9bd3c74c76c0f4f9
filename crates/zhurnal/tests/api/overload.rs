//! Under overload the server answers «busy, retry in a second» (503 + Retry-After) at once
//! instead of letting every request time out; the liveness probe is never held up.

use crate::helpers::{Backend, TestApp};
use reqwest::StatusCode;
use std::time::Duration;
use zhurnal_web::WebConfig;
use zhurnal_web::shed::ShedPolicy;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_sheds_load_with_503_and_retry_after() {
    let cfg = WebConfig {
        shed: ShedPolicy {
            max_in_flight: 1,
            queue_wait: Duration::from_millis(5),
        },
        ..WebConfig::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, cfg)
        .await
        .expect("sqlite app");
    // A token request verifies a password with argon2id: it holds the only slot a while.
    // Keep the slot busy with a few of them, and ask for pages meanwhile.
    let slow = |k: usize| {
        let req = app
            .client()
            .post(app.at("/api/v1/auth/token"))
            .json(&serde_json::json!({"login": format!("nobody{k}"), "password": "wrong"}));
        async move { req.send().await.unwrap().status() }
    };
    let mut holders = Vec::new();
    let mut shed = None;
    for k in 0..50 {
        holders.push(tokio::spawn(slow(k)));
        tokio::time::sleep(Duration::from_millis(2)).await;
        let res = app.client().get(app.at("/api/v1/me")).send().await.unwrap();
        if res.status() == StatusCode::SERVICE_UNAVAILABLE {
            shed = Some(res);
            break;
        }
    }
    let res = shed.expect("a request beyond the limit is shed");
    assert_eq!(res.headers()["retry-after"], "1");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "overloaded");
    // The liveness probe is answered all the same.
    let res = app.client().get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    for h in holders {
        // The held requests were not lost: each got its own answer (401 for a wrong password
        // or 503 if it too was shed), none an error of the server.
        let status = h.await.unwrap();
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
    }
    let res = app.client().get(app.at("/login")).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "free again once the peak passed"
    );
    app.stop().await;
}
