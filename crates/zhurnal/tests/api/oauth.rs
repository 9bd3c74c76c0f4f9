//! Third-party apps (OAuth2 with PKCE), as their people use them: the school's tech admin
//! registers an app; a parent signs in, reads what it asks for, chooses one child and
//! allows it; the app exchanges the code (with its verifier) for tokens that read that child
//! only, on `/api/v1` and on the compatible surface; refresh tokens work once; the parent
//! withdraws the app from «Приложения»; the school withdraws it altogether.

use crate::helpers::{TestApp, hidden_value};
use crate::on_both;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use zhurnal_core::oauth::challenge_of;

const REDIRECT: &str = "http://127.0.0.1:9/callback";
const VERIFIER: &str = "kHc9_x-q2C3t8lD1mPz7Wv0sYbNaEr5uJiGfT6oK4e.Q~";

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or_else(|| panic!("no {start} in {text}"));
    let rest = &text[from..];
    &rest[..rest.find(end).unwrap()]
}

fn query_value(location: &str, key: &str) -> Option<String> {
    let query = location.split_once(['?', '#'])?.1;
    query.split('&').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k == key).then(|| v.to_owned())
    })
}

/// The tech admin registers an app; its client_id.
async fn register(app: &TestApp, admin: &Client, name: &str) -> String {
    let csrf = app.csrf(admin).await;
    let res = admin
        .post(app.at("/setup/apps"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", name),
            ("redirects", REDIRECT),
            ("scope", "profile"),
            ("scope", "diary"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Приложение подключено"), "{html}");
    between(&html, "client_id: <code>", "</code>").to_owned()
}

fn authorize_query(client_id: &str, state: &str) -> String {
    format!(
        "response_type=code&client_id={client_id}&redirect_uri={}&scope=profile+diary&state={state}&code_challenge={}&code_challenge_method=S256",
        REDIRECT.replace(':', "%3A").replace('/', "%2F"),
        challenge_of(VERIFIER)
    )
}

/// The parent allows the app for `children`; the redirect's location.
async fn allow(
    app: &TestApp,
    parent: &Client,
    client_id: &str,
    children: &[i64],
) -> reqwest::Response {
    let page = app
        .page(
            parent,
            &format!("/oauth2/authorize?{}", authorize_query(client_id, "s-1")),
        )
        .await;
    let csrf = hidden_value(&page, "csrf").unwrap();
    let mut form: Vec<(String, String)> =
        vec![("csrf".into(), csrf), ("decision".into(), "allow".into())];
    for k in [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    ] {
        form.push((
            k.into(),
            hidden_value(&page, k).unwrap_or_else(|| panic!("{k} carried")),
        ));
    }
    for c in children {
        form.push(("child".into(), c.to_string()));
    }
    parent
        .post(app.at("/oauth2/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn exchange(app: &TestApp, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let res = app
        .client()
        .post(app.at("/oauth2/token"))
        .form(fields)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

async fn an_app_reads_only_what_the_parent_allowed(app: &TestApp) {
    let admin = app.signed_in("techadmin").await;
    // A plain-HTTP address elsewhere than this computer is refused, next to the field.
    let csrf = app.csrf(&admin).await;
    let res = admin
        .post(app.at("/setup/apps"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "X"),
            ("redirects", "http://evil.example/cb"),
            ("scope", "diary"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("нужен https://"));
    let client_id = register(app, &admin, "Дневник-бот").await;

    let student = app.person("student").await;
    let sister = app.sibling().await;
    // Not signed in: to the login form, which comes back here.
    let anonymous = app.client();
    let res = anonymous
        .get(app.at(&format!(
            "/oauth2/authorize?{}",
            authorize_query(&client_id, "s-1")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=/oauth2/authorize%3Fresponse_type%3Dcode")
    );
    // An unknown return address is refused here, never followed.
    let parent = app.signed_in("parent").await;
    let res = parent
        .get(app.at(&format!(
            "/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri=https%3A%2F%2Fevil.example%2F&code_challenge={}&code_challenge_method=S256",
            challenge_of(VERIFIER)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Адрес возврата не совпадает")
    );
    // The consent page names the app, the school, what it asks for and the children.
    let page = app
        .page(
            &parent,
            &format!("/oauth2/authorize?{}", authorize_query(&client_id, "s-1")),
        )
        .await;
    assert!(
        page.contains("Дневник-бот") && page.contains("МБОУ СОШ № 7"),
        "{page}"
    );
    assert!(page.contains("дневник: отметки, домашние задания"));
    assert!(page.contains("Анастасия"), "{page}");
    // Allowing without choosing a child is an error next to the choice.
    let res = allow(app, &parent, &client_id, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Выберите хотя бы одного ребёнка")
    );
    // One child chosen: back to the app with a code and the state.
    let res = allow(app, &parent, &client_id, &[student]).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    assert_eq!(query_value(&location, "state").as_deref(), Some("s-1"));
    let code = query_value(&location, "code").unwrap();

    // The exchange: a wrong verifier is refused, the right one gives tokens.
    let (status, err) = exchange(
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &VERIFIER.replace('k', "z")),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "invalid_grant");
    // (That attempt used the code up: a new consent gives a new one.)
    let res = allow(app, &parent, &client_id, &[student]).await;
    let code = query_value(res.headers()["location"].to_str().unwrap(), "code").unwrap();
    let (status, tokens) = exchange(
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "profile diary");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    // The token reads the chosen child, on both APIs; the other child does not exist for it.
    let http = app.client();
    let week = http
        .get(app.at(&format!(
            "/api/v1/diary/week?child={student}&date=2026-11-23"
        )))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(week.status(), StatusCode::OK);
    let res = http
        .get(app.at(&format!("/api/v1/diary/week?child={sister}")))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let ctx: Value = http
        .get(app.at("/v2/users/me/context"))
        .header("Access-Token", &access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let children: Vec<i64> = ctx["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["personId"].as_i64().unwrap())
        .collect();
    assert_eq!(children, vec![student]);
    let res = http
        .get(app.at(&format!("/v2/persons/{sister}/edu-groups")))
        .header("Access-Token", &access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Nothing outside the scopes.
    let res = http
        .get(app.at("/api/v1/schools"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nor the person's own matters: password, apps, calendar feeds (even with `diary`).
    for (method, path) in [
        (reqwest::Method::POST, "/api/v1/me/password"),
        (reqwest::Method::GET, "/api/v1/me/apps"),
        (reqwest::Method::GET, "/api/v1/diary/calendar-feeds"),
        (reqwest::Method::POST, "/api/v1/diary/calendar-feeds"),
        (reqwest::Method::GET, "/api/v1/apps"),
        // The outside test's finding 3: an app set the notices' address and kept getting
        // the other child's marks after it was withdrawn.
        (reqwest::Method::GET, "/api/v1/notifications"),
        (reqwest::Method::POST, "/api/v1/notifications/read"),
        (reqwest::Method::PUT, "/api/v1/notifications/settings"),
    ] {
        let res = http
            .request(method, app.at(path))
            .bearer_auth(&access)
            .json(&if path.ends_with("password") {
                serde_json::json!({ "current": "demo", "new": "длинный-пароль-2026" })
            } else if path.ends_with("settings") {
                serde_json::json!({ "email": "app@example.org", "mode": "immediate", "own": false })
            } else {
                serde_json::json!({})
            })
            .send()
            .await
            .unwrap();
        let status = res.status();
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            res.text().await.unwrap()
        );
    }
    let parent_id = app.person("parent").await;
    let settings = app.store.notification_settings(parent_id).await.unwrap();
    assert_ne!(settings.email, "app@example.org");

    // A refresh token works once.
    let (status, renewed) = exchange(
        app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    assert_ne!(renewed["refresh_token"], tokens["refresh_token"]);
    let (status, err) = exchange(
        app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "invalid_grant");

    // The parent's list of apps, and withdrawing one there.
    let list = app.page(&parent, "/account/apps").await;
    assert!(
        list.contains("Дневник-бот") && list.contains("Анастасия Алексеева"),
        "{list}"
    );
    let grant = hidden_value(&list, "withdraw").unwrap();
    let csrf = hidden_value(&list, "csrf").unwrap();
    let res = parent
        .post(app.at("/account/apps"))
        .form(&[("csrf", csrf.as_str()), ("withdraw", grant.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("Доступ отозван"));
    let res = http
        .get(app.at("/api/v1/me"))
        .bearer_auth(renewed["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.audit_count("oauth.grant").await, 2);
    assert_eq!(app.audit_count("oauth.revoke").await, 1);

    // The school withdraws the app: a token of another grant stops at once.
    let res = allow(app, &parent, &client_id, &[student, sister]).await;
    let code = query_value(res.headers()["location"].to_str().unwrap(), "code").unwrap();
    let (_, tokens) = exchange(
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let me = http
        .get(app.at("/api/v1/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let apps = app.page(&admin, "/setup/apps").await;
    let id = hidden_value(&apps, "withdraw").unwrap();
    let csrf = hidden_value(&apps, "csrf").unwrap();
    let res = admin
        .post(app.at("/setup/apps"))
        .form(&[("csrf", csrf.as_str()), ("withdraw", id.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("Приложение отключено"));
    let me = http
        .get(app.at("/api/v1/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    // …and it cannot be asked for again.
    let res = parent
        .get(app.at(&format!(
            "/oauth2/authorize?{}",
            authorize_query(&client_id, "s-2")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
on_both!(
    parent_allows_an_app,
    an_app_reads_only_what_the_parent_allowed
);

async fn a_denial_goes_back_to_the_app(app: &TestApp) {
    let admin = app.signed_in("techadmin").await;
    let client_id = register(app, &admin, "Виджет").await;
    let student = app.signed_in("student").await;
    let page = app
        .page(
            &student,
            &format!("/oauth2/authorize?{}", authorize_query(&client_id, "abc")),
        )
        .await;
    assert!(page.contains("только ваши сведения"), "{page}");
    let csrf = hidden_value(&page, "csrf").unwrap();
    let mut form = vec![
        ("csrf".to_owned(), csrf),
        ("decision".to_owned(), "deny".to_owned()),
    ];
    for k in [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    ] {
        form.push((k.into(), hidden_value(&page, k).unwrap()));
    }
    let res = student
        .post(app.at("/oauth2/authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(
        location,
        format!("{REDIRECT}?error=access_denied&state=abc")
    );
    // A request without PKCE goes back with invalid_request; an unknown app stays here.
    let res = student
        .get(app.at(&format!(
            "/oauth2/authorize?response_type=code&client_id={client_id}&state=q"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!("{REDIRECT}?error=invalid_request&state=q")
    );
    let res = student
        .get(app.at("/oauth2/authorize?response_type=code&client_id=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // A teacher may not register apps.
    let teacher = app.signed_in("teacher").await;
    let res = teacher.get(app.at("/setup/apps")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
on_both!(denial, a_denial_goes_back_to_the_app);
