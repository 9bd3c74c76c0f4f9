//! The permission matrix: every route of the route table × every demo role, allow and deny
//! asserted alike; and object-level scope (404 like a nonexistent id, audited).

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::{Method, StatusCode};
use zhurnal_core::Role;
use zhurnal_core::demo::DEMO_LOGINS;
use zhurnal_core::permission::scope_of;
use zhurnal_web::routes::{Access, all};

/// Routes that end the session: requested last, after everything else.
fn ends_session(path: &str) -> bool {
    path == "/logout" || path == "/api/v1/auth/revoke"
}

async fn every_route_for_every_role(app: &TestApp) {
    for (login, _) in DEMO_LOGINS {
        let client = app.signed_in(login).await;
        let csrf = app.csrf(&client).await;
        let token = app.token(login).await;
        let me: serde_json::Value = app.api_get(&token, "/api/v1/me").await;
        let roles: Vec<Role> = me["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["role"].as_str().unwrap().parse().unwrap())
            .collect();
        let mut ordered: Vec<_> = all().iter().filter(|r| !ends_session(r.path)).collect();
        ordered.extend(all().iter().filter(|r| ends_session(r.path)));
        for route in ordered {
            let Access::Signed(action) = route.access else {
                continue;
            };
            let allowed = roles.iter().any(|r| scope_of(*r, action).is_some());
            let api = route.path.starts_with("/api/") || route.path.starts_with("/v2/");
            let method: Method = route.method.parse().unwrap();
            let denied_before = app.audit_count("authz.denied").await;
            let req = if api {
                app.client()
                    .request(method.clone(), app.at(route.example))
                    .bearer_auth(&token)
            } else {
                client.request(method.clone(), app.at(route.example))
            };
            let req = if method == Method::POST && !api {
                req.form(&[("csrf", csrf.as_str())])
            } else {
                req
            };
            let res = req.send().await.unwrap();
            let status = res.status();
            if allowed {
                assert!(
                    status != StatusCode::FORBIDDEN
                        && status != StatusCode::UNAUTHORIZED
                        && status.as_u16() < 500,
                    "{login} ({roles:?}) should be allowed {} {}: got {status}",
                    route.method,
                    route.example
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{login} ({roles:?}) must be denied {} {}",
                    route.method,
                    route.example
                );
                assert_eq!(
                    app.audit_count("authz.denied").await,
                    denied_before + 1,
                    "the denial of {login} on {} is audited",
                    route.example
                );
                if route.path.starts_with("/api/") {
                    let body: serde_json::Value = res.json().await.unwrap();
                    assert_eq!(body["error"]["code"], "forbidden");
                }
            }
        }
    }
}
on_both!(matrix, every_route_for_every_role);

async fn anonymous_requests_are_sent_to_log_in(app: &TestApp) {
    for route in all() {
        let method: Method = route.method.parse().unwrap();
        let res = app
            .client()
            .request(method, app.at(route.example))
            .send()
            .await
            .unwrap();
        match route.access {
            Access::Public => assert!(
                res.status() != StatusCode::UNAUTHORIZED,
                "{} is public",
                route.path
            ),
            Access::Signed(_) if route.path.starts_with("/api/") => {
                assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{}", route.path);
                let body: serde_json::Value = res.json().await.unwrap();
                assert_eq!(body["error"]["code"], "unauthorized");
                assert!(
                    body["error"]["message"]
                        .as_str()
                        .is_some_and(|m| !m.is_empty())
                );
            }
            Access::Signed(_) if route.path.starts_with("/v2/") => {
                assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{}", route.path);
                let body: serde_json::Value = res.json().await.unwrap();
                assert_eq!(body["type"], "authorizationInvalidToken");
            }
            Access::Signed(_) => {
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", route.path);
                assert!(
                    res.headers()["location"]
                        .to_str()
                        .unwrap()
                        .starts_with("/login")
                );
            }
        }
    }
}
on_both!(anonymous, anonymous_requests_are_sent_to_log_in);

async fn a_school_outside_scope_is_like_no_school(app: &TestApp) {
    let director = app.signed_in("director").await;
    assert_eq!(
        director
            .get(app.at("/schools/1"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let before = app.audit_count("authz.denied").await;
    let other = director.get(app.at("/schools/2")).send().await.unwrap();
    let missing = director
        .get(app.at("/schools/999999"))
        .send()
        .await
        .unwrap();
    let garbage = director.get(app.at("/schools/abc")).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(garbage.status(), StatusCode::NOT_FOUND);
    let (a, b) = (other.text().await.unwrap(), missing.text().await.unwrap());
    assert_eq!(
        a, b,
        "another school's page is indistinguishable from a missing one"
    );
    assert_eq!(
        app.audit_count("authz.denied").await,
        before + 1,
        "only the real school is audited as a denial"
    );
    let list = app.page(&director, "/schools").await;
    assert!(list.contains("МБОУ СОШ № 7") && !list.contains("МБОУ СОШ № 12"));
    // The inspector sees every school of the municipality.
    let inspector = app.signed_in("inspector").await;
    assert_eq!(
        inspector
            .get(app.at("/schools/2"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let list = app.page(&inspector, "/schools").await;
    assert!(list.contains("МБОУ СОШ № 7") && list.contains("МБОУ СОШ № 12"));
}
on_both!(object_scope, a_school_outside_scope_is_like_no_school);

async fn the_audit_log_shows_the_readers_scope(app: &TestApp) {
    // Events: a failed and a successful login at school 1.
    let _ = app.web_login("teacher", "wrong-password").await;
    let director = app.signed_in("director").await;
    let html = app.page(&director, "/audit").await;
    assert!(html.contains("auth.login"));
    assert!(
        html.contains(">director<"),
        "the director's own login is listed"
    );
    // Another school's log is not reachable by choosing it.
    assert_eq!(
        director
            .get(app.at("/audit?school=2"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let operator = app.signed_in("operator").await;
    assert_eq!(
        operator
            .get(app.at("/audit?school=2"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let html = app.page(&operator, "/audit?school=m1").await;
    assert!(html.contains(">operator<"));
}
on_both!(audit_page, the_audit_log_shows_the_readers_scope);

async fn the_audit_log_through_the_api(app: &TestApp) {
    let _ = app.web_login("teacher", "wrong-password").await;
    let director = app.token("director").await;
    let first = app.api_get(&director, "/api/v1/audit?limit=2").await;
    let events = first["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert!(events[0]["id"].as_i64() > events[1]["id"].as_i64());
    // The cursor goes on to older events, none repeated.
    let before = first["next_before"].as_i64().unwrap();
    let older = app
        .api_get(
            &director,
            &format!("/api/v1/audit?limit=500&before={before}"),
        )
        .await;
    let ids: Vec<i64> = older["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id < before));
    assert!(older["next_before"].is_null());
    let all: Vec<&serde_json::Value> = events
        .iter()
        .chain(older["events"].as_array().unwrap())
        .collect();
    assert!(
        all.iter().any(|e| e["action"] == "auth.login"
            && e["outcome"] == "failure"
            && e["details"]["reason"] == "wrong_password"),
        "{all:?}"
    );
    // Another school, a limit out of range, a reader without the right.
    let res = app
        .client()
        .get(app.at("/api/v1/audit?school_id=2"))
        .bearer_auth(&director)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .client()
        .get(app.at("/api/v1/audit?limit=0"))
        .bearer_auth(&director)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let teacher = app.token("teacher").await;
    let res = app
        .client()
        .get(app.at("/api/v1/audit"))
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let operator = app.token("operator").await;
    let whole = app
        .api_get(&operator, "/api/v1/audit?municipality_id=1")
        .await;
    assert!(!whole["events"].as_array().unwrap().is_empty());
}
on_both!(audit_api, the_audit_log_through_the_api);
