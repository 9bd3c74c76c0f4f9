//! The outside security test's findings, each kept as the request that showed it: the
//! server must answer these as the fix says, on both backends.

use crate::helpers::{TestApp, multipart};
use crate::on_both;
use reqwest::StatusCode;

/// The algebra journal of 7Б as the plan form names it, and the teacher signed in.
async fn plan_upload(app: &TestApp, name: &str, data: &[u8]) -> (StatusCode, String) {
    let teacher = app.signed_in("teacher").await;
    let lesson = app.algebra_lesson().await;
    let journal = format!("{}-{}", lesson.group_id, lesson.subject_id);
    let html = app
        .page(&teacher, &format!("/journal/plan?journal={journal}"))
        .await;
    let csrf = crate::helpers::hidden_value(&html, "csrf").unwrap();
    let (content_type, body) = multipart(
        &[("csrf", &csrf), ("school", "1"), ("journal", &journal)],
        (name, data),
    );
    let res = teacher
        .post(app.at("/journal/plan"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Finding 1 (high): a 279-byte workbook with a cell at `ZZZZZZZ1` aborted the server.
async fn a_cell_beyond_the_sheet_is_refused(app: &TestApp) {
    let book = include_bytes!("../fixtures/hostile_column.xlsx");
    let (status, html) = plan_upload(app, "ктп.xlsx", book).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Книга Excel повреждена"), "{html}");
    assert!(html.contains("ZZZZZZZ1"), "{html}");
    let health = app.client().get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}
on_both!(hostile_column, a_cell_beyond_the_sheet_is_refused);

/// Finding 2: 45 KB of ZIP holding six million empty shared strings grew the server by
/// 800 MB; now the reader stops at its limit and says which.
async fn a_workbook_that_inflates_is_refused(app: &TestApp) {
    let book = include_bytes!("../fixtures/hostile_strings.xlsx");
    assert!(book.len() < 50_000);
    let (status, html) = plan_upload(app, "ктп.xlsx", book).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("В таблице слишком много текста; наибольший объём, МБ, — 8"),
        "{html}"
    );
}
on_both!(hostile_strings, a_workbook_that_inflates_is_refused);

/// An answer of the compatible surface to a token, and its status.
async fn v2(app: &TestApp, token: &str, path: &str) -> (StatusCode, serde_json::Value) {
    let res = app
        .client()
        .get(app.at(path))
        .header("Access-Token", token)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or_default())
}

/// Finding 4: the compatible surface let a teacher read every subject's marks in a group
/// they teach one subject in; the journal's pages and `/api/v1` answer 404 there.
async fn a_teacher_reads_only_their_subjects_on_the_compatible_surface(app: &TestApp) {
    let token = app.token("teacher").await;
    let teacher = app.person("teacher").await;
    let class = app.class_id("7Б").await;
    let taught = app
        .store
        .subjects_taught_in(1, teacher, &[class])
        .await
        .unwrap();
    let lessons = app
        .store
        .class_lessons(
            1,
            class,
            jiff::civil::Date::constant(2026, 9, 1),
            jiff::civil::Date::constant(2026, 11, 27),
        )
        .await
        .unwrap();
    let of_class = |mine: bool| {
        lessons
            .iter()
            .filter(|l| l.group_id == class && taught.contains(&l.subject_id) == mine)
            .map(|l| (l.id, l.subject_id))
            .collect::<Vec<_>>()
    };
    let (own, other) = (of_class(true), of_class(false));
    assert!(!own.is_empty() && !other.is_empty());
    let marks = |ids: Vec<i64>| async move { app.store.marks_of_lessons(1, &ids).await.unwrap() };
    let own_marks = marks(own.iter().map(|l| l.0).collect()).await;
    let other_marks = marks(other.iter().map(|l| l.0).collect()).await;
    assert!(!own_marks.is_empty() && !other_marks.is_empty());
    let range = "2026-09-01/2026-11-28";
    for ((lesson, subject), mark, expected) in [
        (own[0], own_marks[0].id, StatusCode::OK),
        (other[0], other_marks[0].id, StatusCode::NOT_FOUND),
    ] {
        for path in [
            format!("/v2/edu-groups/{class}/subjects/{subject}/marks/{range}"),
            format!("/v2/marks/{mark}"),
            format!("/v2/lessons/{lesson}"),
            format!("/v2/lessons/{lesson}/marks"),
            format!("/v2/lessons/{lesson}/log-entries"),
        ] {
            let (status, _) = v2(app, &token, &path).await;
            assert_eq!(status, expected, "{path}");
        }
    }
    // A pupil's marks, final marks and average: only the teacher's subjects.
    let pupil = own_marks[0].person_id;
    let mut seen = 0;
    for path in [
        format!("/v2/persons/{pupil}/schools/1/marks/{range}"),
        format!("/v2/persons/{pupil}/edu-groups/{class}/marks/{range}"),
        format!("/v2/persons/{pupil}/edu-groups/{class}/final-marks"),
    ] {
        let (status, body) = v2(app, &token, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let marks = body
            .as_array()
            .cloned()
            .or_else(|| body["marks"].as_array().cloned())
            .unwrap_or_default();
        for m in &marks {
            let subject = m["subject"]
                .as_i64()
                .or_else(|| m["subject_str"].as_str()?.parse().ok());
            if let Some(subject) = subject {
                assert!(taught.contains(&subject), "{path}: subject {subject}");
                seen += 1;
            }
        }
    }
    assert!(
        seen > 0,
        "the pupil's marks in the teacher's subjects are there"
    );
    let other_subject = other[0].1;
    let (_, marks) = v2(
        app,
        &token,
        &format!("/v2/persons/{pupil}/subjects/{other_subject}/marks/{range}"),
    )
    .await;
    assert_eq!(marks, serde_json::json!([]));
}
on_both!(
    compatible_subjects,
    a_teacher_reads_only_their_subjects_on_the_compatible_surface,
    spawn_filled
);

/// Finding 5: a NUL character answered 500 on PostgreSQL (SQLite stored it), even before
/// sign-in. Now every way in answers a structured 400 on both backends.
async fn a_nul_character_is_a_bad_request_everywhere(app: &TestApp) {
    use serde_json::json;
    let http = app.client();
    let bad = |res: reqwest::Response| async move {
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        text
    };
    let body = bad(http
        .post(app.at("/api/v1/auth/token"))
        .json(&json!({ "login": "a\u{0}b", "password": "x" }))
        .send()
        .await
        .unwrap())
    .await;
    assert!(body.contains("\"code\":\"bad_request\""), "{body}");
    let body = bad(http
        .post(app.at("/v2/authorizations/bycredentials"))
        .json(&json!({ "username": "a\u{0}b", "password": "x" }))
        .send()
        .await
        .unwrap())
    .await;
    assert!(body.contains("parameterInvalid"), "{body}");
    bad(http
        .post(app.at("/login"))
        .form(&[("login", "a\u{0}b"), ("password", "x")])
        .send()
        .await
        .unwrap())
    .await;
    let token = app.token("student").await;
    bad(http
        .get(app.at("/v2/persons/1%00"))
        .header("Access-Token", &token)
        .send()
        .await
        .unwrap())
    .await;
    let parent = app.token("parent").await;
    bad(http
        .put(app.at("/api/v1/notifications/settings"))
        .bearer_auth(&parent)
        .json(&json!({ "email": "a\u{0}@example.org", "mode": "immediate", "own": false }))
        .send()
        .await
        .unwrap())
    .await;
    // A topic plan (КТП) in CSV with a NUL: the reader refuses the file, next to the form.
    let (status, html) = plan_upload(app, "ктп.csv", b"1;\x00;1\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Файл не похож"), "{html}");
    let settings = app
        .store
        .notification_settings(app.person("parent").await)
        .await
        .unwrap();
    assert!(!settings.email.contains('\0'));
}
on_both!(nul_characters, a_nul_character_is_a_bad_request_everywhere);

/// Finding 6: a redirect built from a form's raw value answered 500 after the change was
/// saved. Now the value is carried back percent-encoded.
async fn a_redirect_carries_any_value_back(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let csrf = app.csrf(&deputy).await;
    let class = app.class_id("7Б").await.to_string();
    let line = app.store.teaching_load(1).await.unwrap()[0].id.to_string();
    // A removal that goes through, with a class value no header may carry.
    let res = deputy
        .post(app.at("/setup/load"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("school", "1"),
            ("year", "2026"),
            ("class", "\n"),
            ("op", "remove"),
            ("line", &line),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap();
    assert!(to.contains("class=%0A"), "{to}");
    let teacher = app.signed_in("teacher").await;
    let csrf = app.csrf(&teacher).await;
    for (journal, period) in [(format!("{class}\r"), "1"), (class.clone(), "\u{7f}")] {
        let res = teacher
            .post(app.at("/journal"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("school", "1"),
                ("journal", &journal),
                ("period", period),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res.headers()["location"].to_str().unwrap();
        assert!(to.contains("%0D") || to.contains("%7F"), "{to}");
    }
}
on_both!(raw_redirects, a_redirect_carries_any_value_back);

/// Finding 7: a role named twice broke a rule of the schema, and any such conflict that a
/// handler did not expect answered 500. The role counts once; a conflict answers 409.
async fn a_repeated_role_counts_once(app: &TestApp) {
    let token = app.token("director").await;
    let res = app
        .client()
        .post(app.at("/api/v1/schools/1/staff"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "last_name": "Дублева", "first_name": "Роль", "middle_name": "",
            "position": "учитель", "roles": ["teacher", "teacher"]
        }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let person = body["person_id"].as_i64().unwrap();
    let roles = app.store.school_roles(1).await.unwrap();
    let held = roles.iter().filter(|r| r.0 == person).count();
    assert_eq!(held, 1, "one grant of the role");
}
on_both!(repeated_role, a_repeated_role_counts_once);

/// Finding 9: a replay answered `"value": null` (which means «removed»); a write that left
/// the value as it was did not remember its key, so its retry overwrote a later change;
/// keys were shared by everyone. Now a key is its sender's, kept for every outcome, and a
/// replay gives the first answer back.
async fn idempotency_keys_replay_the_first_answer(app: &TestApp) {
    use serde_json::{Value, json};
    let teacher = app.token("teacher").await;
    let deputy = app.token("deputy").await;
    let lesson = app.algebra_lesson().await;
    let pupil = app.store.group_members(1, lesson.group_id).await.unwrap()[0].id;
    let put = |token: &str, path: &str, body: Value| {
        let req = app
            .client()
            .put(app.at(path))
            .bearer_auth(token)
            .json(&body);
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            let body: Value = res.json().await.unwrap();
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let marks = "/api/v1/journal/marks";
    let mark = |value: &str, key: &str| json!({ "lesson_id": lesson.id, "person_id": pupil, "value": value, "idempotency_key": key });
    let first = put(&teacher, marks, mark("5", "f9-a")).await;
    let again = put(&teacher, marks, mark("5", "f9-a")).await;
    assert_eq!(again["replayed"], true);
    assert_eq!(again["value"], "5", "a replay is not a removal: {again}");
    assert_eq!(again["mark_id"], first["mark_id"]);
    // The same value again under a new key: nothing changes, but the key is remembered…
    let same = put(&teacher, marks, mark("5", "f9-b")).await;
    assert_eq!(same["replayed"], false);
    // …so after a later change its retry replays instead of writing «5» over the «3».
    put(&teacher, marks, mark("3", "f9-c")).await;
    let retry = put(&teacher, marks, mark("5", "f9-b")).await;
    assert_eq!(retry["replayed"], true, "{retry}");
    let now = app
        .store
        .marks_of_lessons(1, &[lesson.id])
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.person_id == pupil)
        .unwrap();
    assert_eq!(now.value, "3");
    // Another person's key of the same text is another key: the deputy's correction runs.
    let mut correction = mark("4", "f9-a");
    correction["reason"] = "исправление ошибки".into();
    let theirs = put(&deputy, "/api/v1/journal/corrections", correction).await;
    assert_eq!(theirs["replayed"], false, "{theirs}");
    assert_eq!(theirs["old_value"], "3");
}
on_both!(idempotency_keys, idempotency_keys_replay_the_first_answer);

/// Finding 10: a correction's reason of 100 000 characters went into the append-only
/// history, holiday and day-off names had no limit, the CSRF `Origin` check ignored the
/// scheme, and a calendar feed's address came from the request's `Host`.
async fn texts_have_limits_and_origins_match_whole(app: &TestApp) {
    use serde_json::json;
    let deputy = app.token("deputy").await;
    let lesson = app.algebra_lesson().await;
    let pupil = app.store.group_members(1, lesson.group_id).await.unwrap()[0].id;
    let res = app
        .client()
        .put(app.at("/api/v1/journal/corrections"))
        .bearer_auth(&deputy)
        .json(
            &json!({ "lesson_id": lesson.id, "person_id": pupil, "value": "4",
                       "reason": "я".repeat(100_000) }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"]["fields"]["reason"].is_string(), "{body}");
    // A holiday named with 101 characters is refused next to the holidays.
    let calendar: serde_json::Value = app
        .client()
        .get(app.at("/api/v1/schools/1/calendar"))
        .bearer_auth(&deputy)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut long = json!({});
    for key in ["start", "end", "week_days", "holidays", "moved_days"] {
        long[key] = calendar[key].clone();
    }
    long["holidays"][0]["name"] = "к".repeat(101).into();
    let res = app
        .client()
        .put(app.at("/api/v1/schools/1/calendar"))
        .bearer_auth(&deputy)
        .json(&long)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["holidays[0]"].is_string(), "{body}");
    // A form from the same host by another scheme is another site.
    let parent = app.signed_in("parent").await;
    let csrf = app.csrf(&parent).await;
    let host = app
        .at("/")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    for (origin, expected) in [
        (format!("ftp://{host}"), StatusCode::FORBIDDEN),
        (format!("https://{host}"), StatusCode::FORBIDDEN),
        (format!("http://{host}"), StatusCode::SEE_OTHER),
    ] {
        let res = parent
            .post(app.at("/diary/calendar"))
            .header("origin", &origin)
            .form(&[("csrf", csrf.as_str()), ("op", "create")])
            .send()
            .await
            .unwrap();
        let status = res.status();
        let html = res.text().await.unwrap_or_default();
        assert!(
            status == expected || (expected == StatusCode::SEE_OTHER && status == StatusCode::OK),
            "{origin}: {status} {}",
            html.chars().take(300).collect::<String>()
        );
    }
}
on_both!(
    limits_and_origins,
    texts_have_limits_and_origins_match_whole
);

/// With a public address configured, a feed's address is built from it whatever `Host`
/// the request names, and only that origin's forms are taken.
async fn the_public_address_is_the_one_handed_out(app: &TestApp) {
    let token = app.token("parent").await;
    let res = app
        .client()
        .post(app.at("/api/v1/diary/calendar-feeds"))
        .bearer_auth(&token)
        .header("host", "evil.example")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let url = body["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://journal.school.example/ics/"),
        "{url}"
    );
    let parent = app.signed_in("parent").await;
    let csrf = app.csrf(&parent).await;
    let host = app
        .at("/")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let res = parent
        .post(app.at("/diary/calendar"))
        .header("origin", format!("http://{host}"))
        .form(&[("csrf", csrf.as_str()), ("op", "create")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

mod public_address {
    use super::*;
    fn cfg() -> zhurnal_web::WebConfig {
        zhurnal_web::WebConfig {
            public_url: Some("https://journal.school.example".into()),
            ..Default::default()
        }
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, cfg())
            .await
            .unwrap();
        the_public_address_is_the_one_handed_out(&app).await;
        app.stop().await;
    }
}
