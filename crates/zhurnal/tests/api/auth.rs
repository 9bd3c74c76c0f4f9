//! Logging in and out, sessions, throttling, passwords.

use crate::helpers::{TestApp, hidden_value};
use crate::on_both;
use reqwest::StatusCode;
use reqwest::header::{LOCATION, RETRY_AFTER, SET_COOKIE};
use zhurnal_core::demo::DEMO_LOGINS;

async fn every_demo_login_lands_on_its_home(app: &TestApp) {
    for (login, role) in DEMO_LOGINS {
        let (client, res) = app.web_login(login, "demo").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{login}");
        assert_eq!(res.headers()[LOCATION], "/");
        let cookie = res
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("zh_session="))
            .expect("session cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let home = client.get(app.at("/")).send().await.unwrap();
        assert_eq!(home.status(), StatusCode::OK);
        let html = home.text().await.unwrap();
        let roles = html
            .split("data-roles=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("data-roles");
        assert!(
            roles.split(' ').any(|r| r == role.api_name()),
            "{login}: {roles}"
        );
        assert!(
            !html.contains("⟦missing message⟧"),
            "{login}: untranslated text"
        );
    }
}
on_both!(demo_logins, every_demo_login_lands_on_its_home);

async fn the_demo_parent_sees_both_children(app: &TestApp) {
    let client = app.signed_in("parent").await;
    let html = app.page(&client, "/").await;
    assert!(html.contains("7Б"), "the demo student's class");
    assert!(html.contains("3А"), "the sibling's class");
}
on_both!(parent_children, the_demo_parent_sees_both_children);

async fn logout_kills_the_session(app: &TestApp) {
    let (client, res) = app.web_login("teacher", "demo").await;
    let cookie = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("zh_session="))
        .expect("session cookie");
    let csrf = app.csrf(&client).await;
    let res = client
        .post(app.at("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/login");
    assert_eq!(
        client.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    // The cookie replayed by hand after logout is dead: the session ended on the server.
    let res = app
        .client()
        .get(app.at("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.audit_count("auth.logout").await, 1);
}
on_both!(logout, logout_kills_the_session);

async fn logout_needs_the_csrf_token(app: &TestApp) {
    let client = app.signed_in("teacher").await;
    let res = client
        .post(app.at("/logout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        client.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::OK,
        "still signed in"
    );
}
on_both!(logout_csrf, logout_needs_the_csrf_token);

async fn login_form_needs_its_csrf_token(app: &TestApp) {
    let client = app.client();
    let res = client
        .post(app.at("/login"))
        .form(&[("login", "teacher"), ("password", "demo"), ("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        res.headers()
            .get_all(SET_COOKIE)
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("zh_session="))
    );
}
on_both!(login_csrf, login_form_needs_its_csrf_token);

/// The page minus the per-request CSRF token.
fn without_tokens(html: &str) -> String {
    match hidden_value(html, "csrf") {
        Some(v) => html.replace(&v, "TOKEN"),
        None => html.to_owned(),
    }
}

async fn unknown_login_and_wrong_password_look_the_same(app: &TestApp) {
    let (_, a) = app.web_login("teacher", "wrong-password").await;
    let (_, b) = app.web_login("nobody-here", "wrong-password").await;
    assert_eq!(a.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(a.status(), b.status());
    let (a, b) = (a.text().await.unwrap(), b.text().await.unwrap());
    assert!(a.contains("role=\"alert\""));
    assert_eq!(
        without_tokens(&a).replace("teacher", "X"),
        without_tokens(&b).replace("nobody-here", "X")
    );
    // The API too.
    let api = |login: &'static str| {
        let client = app.client();
        let url = app.at("/api/v1/auth/token");
        async move {
            let res = client
                .post(url)
                .json(&serde_json::json!({"login": login, "password": "nope"}))
                .send()
                .await
                .unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let (sa, ba) = api("teacher").await;
    let (sb, bb) = api("nobody-here").await;
    assert_eq!(sa, StatusCode::UNAUTHORIZED);
    assert_eq!((sa, ba), (sb, bb));
}
on_both!(same_answer, unknown_login_and_wrong_password_look_the_same);

async fn wrong_passwords_are_throttled(app: &TestApp) {
    for i in 1..=4 {
        let (_, res) = app.web_login("clerk", "wrong-password").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let (_, res) = app.web_login("clerk", "wrong-password").await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the fifth failure locks"
    );
    let retry: i64 = res.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry), "retry after {retry}");
    let html = res.text().await.unwrap();
    assert!(
        html.contains("15\u{a0}минут"),
        "the lock is explained: {html}"
    );
    // During the lock the correct password is refused too, in the API as well.
    let (_, res) = app.web_login("clerk", "demo").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = app
        .client()
        .post(app.at("/api/v1/auth/token"))
        .json(&serde_json::json!({"login": "clerk", "password": "demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key(RETRY_AFTER));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_attempts");
    assert_eq!(
        app.audit_count("auth.lock").await,
        1,
        "the lock is audited once"
    );
    // Other accounts are unaffected.
    app.signed_in("teacher").await;
    // The lock expires.
    app.clock.advance_secs(16 * 60);
    app.signed_in("clerk").await;
}
on_both!(throttle_login, wrong_passwords_are_throttled);

async fn one_address_trying_many_logins_is_throttled(app: &TestApp) {
    // 30 failures from one address (default limit), spread over logins so none locks.
    let logins = [
        "a-1", "b-2", "c-3", "d-4", "e-5", "f-6", "g-7", "h-8", "i-9", "j-10",
    ];
    for i in 0..29 {
        let (_, res) = app.web_login(logins[i % logins.len()], "guess").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let (_, res) = app.web_login("k-11", "guess").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let (_, res) = app.web_login("director", "demo").await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the address is locked for every login"
    );
}
on_both!(throttle_ip, one_address_trying_many_logins_is_throttled);

async fn idle_and_absolute_timeouts(app: &TestApp) {
    let client = app.signed_in("teacher").await;
    app.clock.advance_secs(29 * 60);
    assert_eq!(
        client.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    app.clock.advance_secs(29 * 60);
    assert_eq!(
        client.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::OK,
        "activity keeps it alive"
    );
    app.clock.advance_secs(31 * 60);
    let res = client.get(app.at("/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "idle for 31 minutes");
    let login_page = app.page(&client, "/login").await;
    assert!(
        login_page.contains("Сеанс завершён"),
        "the person is told why"
    );
    // Absolute lifetime: active every 20 minutes, still ends after 12 hours.
    let client = app.signed_in("teacher").await;
    for _ in 0..35 {
        app.clock.advance_secs(20 * 60);
        assert_eq!(
            client.get(app.at("/")).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    app.clock.advance_secs(20 * 60);
    assert_eq!(
        client.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER,
        "12 hours after login"
    );
}
on_both!(timeouts, idle_and_absolute_timeouts);

async fn changing_the_password(app: &TestApp) {
    let client = app.signed_in("student").await;
    let other = app.signed_in("student").await;
    let csrf = app.csrf(&client).await;
    let post = |current: &str, new: &str, repeat: &str| {
        client
            .post(app.at("/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", current),
                ("new", new),
                ("repeat", repeat),
            ])
            .send()
    };
    let res = post("wrong", "short", "other").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"current-error\""),
        "error next to the current password"
    );
    assert!(
        html.contains("не короче 12 символов"),
        "length rule explained"
    );
    assert!(html.contains("Пароли не совпадают"), "mismatch explained");
    let res = post("demo", "три белых коня бегут", "три белых коня бегут")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Пароль изменён"));
    assert_eq!(
        client.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::OK,
        "this session goes on"
    );
    assert_eq!(
        other.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER,
        "other sessions end"
    );
    let (_, res) = app.web_login("student", "demo").await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    let (_, res) = app.web_login("student", "три белых коня бегут").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let changes = app
        .store
        .audit_by_action("account.password", 10)
        .await
        .unwrap();
    assert_eq!(changes.iter().filter(|r| r.outcome == "success").count(), 1);
    assert_eq!(
        changes.iter().filter(|r| r.outcome == "failure").count(),
        1,
        "the wrong current password is recorded"
    );
}
on_both!(password_change, changing_the_password);

async fn login_keeps_where_you_were_going(app: &TestApp) {
    let client = app.client();
    let res = client.get(app.at("/audit")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/login?next=/audit");
    let page = app.page(&client, "/login?next=/audit").await;
    let csrf = hidden_value(&page, "csrf").unwrap();
    assert_eq!(hidden_value(&page, "next").as_deref(), Some("/audit"));
    let res = client
        .post(app.at("/login"))
        .form(&[
            ("login", "director"),
            ("password", "demo"),
            ("csrf", &csrf),
            ("next", "/audit"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[LOCATION], "/audit");
    // An off-site target is ignored.
    let client = app.client();
    let page = app.page(&client, "/login?next=//evil.example/").await;
    assert_eq!(hidden_value(&page, "next").as_deref(), Some("/"));
}
on_both!(next_after_login, login_keeps_where_you_were_going);

async fn a_foreign_origin_is_refused(app: &TestApp) {
    let client = app.signed_in("teacher").await;
    let csrf = app.csrf(&client).await;
    let res = client
        .post(app.at("/logout"))
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "even with the right token"
    );
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("отправлена с другого сайта")
    );
    assert_eq!(
        client.get(app.at("/")).send().await.unwrap().status(),
        StatusCode::OK,
        "still signed in"
    );
    // The same form from Zhurnal's own origin works.
    let res = client
        .post(app.at("/logout"))
        .header("origin", app.url.as_str())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
on_both!(foreign_origin, a_foreign_origin_is_refused);

async fn adults_are_greeted_by_name_and_patronymic(app: &TestApp) {
    let client = app.signed_in("director").await;
    let html = app.page(&client, "/").await;
    let h1 = html
        .split("<h1>")
        .nth(1)
        .and_then(|s| s.split("</h1>").next())
        .unwrap();
    let words: Vec<&str> = h1.trim_start_matches("Здравствуйте, ").split(' ').collect();
    assert_eq!(words.len(), 2, "{h1}");
    assert!(
        words[1].ends_with("вна")
            || words[1].ends_with("вич")
            || words[1].ends_with("ична")
            || words[1].ends_with("ич"),
        "{h1}"
    );
}
on_both!(greeting, adults_are_greeted_by_name_and_patronymic);

async fn parallel_guesses_do_not_slip_past_the_lock(app: &TestApp) {
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let client = app.client();
        let url = app.at("/api/v1/auth/token");
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&serde_json::json!({"login": "techadmin", "password": "guess"}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let mut checked = 0;
    for t in tasks {
        if t.await.unwrap() == StatusCode::UNAUTHORIZED {
            checked += 1;
        }
    }
    assert!(
        checked <= 5,
        "{checked} guesses were checked; at most 5 may be"
    );
    let res = app
        .client()
        .post(app.at("/api/v1/auth/token"))
        .json(&serde_json::json!({"login": "techadmin", "password": "demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}
on_both!(parallel_guesses, parallel_guesses_do_not_slip_past_the_lock);

async fn the_current_password_cannot_be_guessed_from_an_open_session(app: &TestApp) {
    let client = app.signed_in("parent").await;
    let csrf = app.csrf(&client).await;
    let mut last = StatusCode::OK;
    for _ in 0..5 {
        last = client
            .post(app.at("/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", "guess"),
                ("new", "a new long password"),
                ("repeat", "a new long password"),
            ])
            .send()
            .await
            .unwrap()
            .status();
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "the fifth wrong current password locks"
    );
    let res = client
        .post(app.at("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "demo"),
            ("new", "a new long password"),
            ("repeat", "a new long password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right one, during the lock"
    );
    let (_, res) = app.web_login("parent", "demo").await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "and logging in too"
    );
}
on_both!(
    password_guessing,
    the_current_password_cannot_be_guessed_from_an_open_session
);

async fn the_api_ignores_session_cookies(app: &TestApp) {
    let client = app.signed_in("teacher").await;
    let res = client.get(app.at("/api/v1/me")).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "a cookie is not an API credential"
    );
    let token = app.token("teacher").await;
    let res = app
        .client()
        .get(app.at("/"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "a bearer token is not a page credential"
    );
}
on_both!(api_cookies, the_api_ignores_session_cookies);

async fn failed_logins_of_staff_reach_their_school_audit(app: &TestApp) {
    let _ = app.web_login("clerk", "wrong-password").await;
    let rows = app.store.audit_by_action("auth.login", 10).await.unwrap();
    let failure = rows
        .iter()
        .find(|r| r.outcome == "failure" && r.target_id == "clerk")
        .unwrap();
    assert_eq!(failure.school_id, Some(1));
    let director = app.signed_in("director").await;
    let html = app.page(&director, "/audit").await;
    assert!(
        html.contains("login clerk"),
        "the director sees the failed attempt on their clerk"
    );
    // Open redirects through a stripped tab are refused.
    let page = app
        .client()
        .get(app.at("/login?next=/%09/evil.example"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(hidden_value(&page, "next").as_deref(), Some("/"));
}
on_both!(
    audit_scope_of_failures,
    failed_logins_of_staff_reach_their_school_audit
);

/// The session ids a sessions page offers to end, with whether each is the page's own.
fn listed_sessions(html: &str) -> Vec<(i64, bool)> {
    html.split("<li>")
        .filter_map(|row| {
            let at = row.find("name=\"session\" value=\"")? + "name=\"session\" value=\"".len();
            let id = row[at..].split('"').next()?.parse().ok()?;
            Some((id, row.contains("этот сеанс")))
        })
        .collect()
}

async fn a_person_ends_a_session_from_another_browser(app: &TestApp) {
    let phone = app.signed_in("parent").await;
    let laptop = app.signed_in("parent").await;
    // The laptop sees both sign-ins, its own marked.
    let html = app.page(&laptop, "/account/sessions").await;
    let listed = listed_sessions(&html);
    assert_eq!(listed.len(), 2, "{html}");
    assert_eq!(listed.iter().filter(|(_, own)| *own).count(), 1);
    let (phone_session, _) = *listed.iter().find(|(_, own)| !own).unwrap();
    // It ends the phone's session; the phone is signed out at once.
    let csrf = app.csrf(&laptop).await;
    let res = laptop
        .post(app.at("/account/sessions"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("session", &phone_session.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/account/sessions?ended=1");
    let res = phone.get(app.at("/account")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    assert!(app.audit_count("account.session_end").await >= 1);
    // Through the API: the token lists itself; another person's session is missing.
    let token = app.token("parent").await;
    let http = app.client();
    let mine: serde_json::Value = http
        .get(app.at("/api/v1/me/sessions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(mine.iter().any(|s| s["device"] == "Токен API"), "{mine:?}");
    let _teacher = app.signed_in("teacher").await;
    let teacher = app.store.credentials("teacher").await.unwrap().unwrap();
    let theirs = app.store.active_sessions(teacher.user_id, 0).await.unwrap()[0].id;
    let res = http
        .delete(app.at(&format!("/api/v1/me/sessions/{theirs}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "another's session is missing"
    );
    // The tech admin's «log out everywhere» from the command line ends the rest.
    let database = match &app.database {
        zhurnal_store::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        zhurnal_store::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhurnal"))
        .args(["user", "logout", "--login", "parent"])
        .env("ZHURNAL_DATABASE_URL", &database)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sessions and tokens ended"));
    // Kept session rows live at most 5 s in the server's memory.
    tokio::time::sleep(std::time::Duration::from_millis(5_500)).await;
    let res = http
        .get(app.at("/api/v1/me/sessions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = laptop.get(app.at("/account")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
on_both!(sessions_ended, a_person_ends_a_session_from_another_browser);
