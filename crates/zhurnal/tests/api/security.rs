//! Headers, escaping, the append-only audit log, health checks.

use crate::helpers::{Backend, TestApp};
use crate::on_both;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use zhurnal_store::{AuditEntry, NewAccount};

async fn every_response_carries_security_headers(app: &TestApp) {
    let client = app.signed_in("director").await;
    for path in [
        "/",
        "/login",
        "/schools",
        "/audit",
        "/nowhere",
        "/static/app.css",
        "/healthz",
        "/api/v1/me",
    ] {
        let res = client.get(app.at(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        let cache = h[CACHE_CONTROL].to_str().unwrap();
        if path.starts_with("/static/") {
            assert!(cache.starts_with("public"), "{path}");
        } else {
            assert_eq!(cache, "no-store", "{path}: pages carry personal data");
        }
    }
    let page = client.get(app.at("/")).send().await.unwrap();
    assert_eq!(page.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script"),
        "no inline or external script on the shell"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external origins"
    );
}
on_both!(headers, every_response_carries_security_headers);

async fn names_are_escaped(app: &TestApp) {
    let hash = zhurnal_web::security::hash_password_blocking("a long enough password").unwrap();
    let account = NewAccount {
        login: "xss-test",
        last_name: "<script>alert(1)</script>",
        first_name: "\"><img src=x onerror=alert(2)>",
        middle_name: "",
        password_hash: &hash,
    };
    let (_, person) = app
        .store
        .create_account(
            &account,
            &AuditEntry {
                at: 1,
                action: "account.create".into(),
                outcome: "success".into(),
                ..AuditEntry::default()
            },
        )
        .await
        .unwrap();
    let grant = zhurnal_store::NewGrant {
        role: "teacher",
        school_id: Some(1),
        municipality_id: None,
        edu_group_id: None,
    };
    app.store
        .grant_role(
            person,
            &grant,
            &AuditEntry {
                at: 1,
                action: "role.grant".into(),
                outcome: "success".into(),
                ..AuditEntry::default()
            },
        )
        .await
        .unwrap();
    let (client, res) = app.web_login("xss-test", "a long enough password").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&client, "/").await;
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img src=x"));
}
on_both!(escaping, names_are_escaped);

async fn the_audit_log_cannot_be_rewritten(app: &TestApp) {
    let _ = app.web_login("teacher", "wrong-password").await;
    assert!(app.audit_count("auth.login").await >= 1);
    app.assert_append_only("audit_log", "outcome = 'success'")
        .await;
    assert!(app.audit_count("auth.login").await >= 1, "nothing was lost");
}
on_both!(audit_append_only, the_audit_log_cannot_be_rewritten);

async fn health_and_readiness(app: &TestApp) {
    let res = app.client().get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "ok");
    let res = app.client().get(app.at("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
on_both!(health, health_and_readiness);

async fn unknown_pages_are_404_in_the_users_language(app: &TestApp) {
    let res = app
        .client()
        .get(app.at("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Страница не найдена"));
    let res = app
        .client()
        .get(app.at("/no/such/page"))
        .header("cookie", "zh_lang=en")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("Page not found") && html.contains("<html lang=\"en\">"));
}
on_both!(not_found_page, unknown_pages_are_404_in_the_users_language);

async fn the_language_switch_remembers(app: &TestApp) {
    let client = app.signed_in("teacher").await;
    // A link (GET) changes only this browser's cookie, nothing stored.
    let res = client
        .get(app.at("/lang/en?next=/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account");
    let html = app.page(&client, "/account").await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Change password"));
    let other = app.signed_in("teacher").await;
    let html = app.page(&other, "/").await;
    assert!(
        html.contains("<html lang=\"ru\">"),
        "a GET did not change the account"
    );
    // The signed-in switch is a form: it stores the choice on the account.
    let csrf = app.csrf(&other).await;
    let res = other
        .post(app.at("/lang"))
        .form(&[("csrf", csrf.as_str()), ("lang", "en"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let third = app.signed_in("teacher").await;
    let html = app.page(&third, "/").await;
    assert!(
        html.contains("<html lang=\"en\">"),
        "a new browser gets the account's language"
    );
    let res = other
        .post(app.at("/lang"))
        .form(&[("csrf", "forged"), ("lang", "ru")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = client.get(app.at("/lang/de")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
on_both!(language, the_language_switch_remembers);

#[tokio::test]
async fn sqlite_runs_with_the_durable_settings() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let report = app.store.durability().await.unwrap();
    let get = |k: &str| {
        report
            .0
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("writer.journal_mode").as_deref(), Some("wal"));
    assert_eq!(get("writer.synchronous").as_deref(), Some("2"), "FULL");
    assert_eq!(get("writer.foreign_keys").as_deref(), Some("1"));
    assert_eq!(get("reader.foreign_keys").as_deref(), Some("1"));
    app.stop().await;
}
