//! What the pages do, the API does: promotion orders, the timetable import, topic plans,
//! lesson files, one's own password, apps and calendar feeds through `/api/v1`, with the
//! pages' rules, messages and audit.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sends a JSON request with a bearer token; the status and the JSON answer (null if none).
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = app
        .client()
        .request(method, app.at(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

use reqwest::Method;

async fn promotion_through_the_api(app: &TestApp) {
    let deputy = app.token("deputy").await;
    let (status, body) = call(app, Method::GET, &deputy, "/api/v1/roster/promotion", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["orders"], json!([]));
    assert_eq!(body["year"], 2026);
    let class7 = app.class_id("7Б").await;
    let members = app.store.group_members(1, class7).await.unwrap();
    let name = |p: &zhurnal_store::PersonRow| format!("{} {}", p.last_name, p.first_name);
    let order = |exceptions: Value, dry_run: bool| json!({ "number": "14-о", "order_date": "2026-11-26", "exceptions": exceptions, "dry_run": dry_run });
    // Every mistake comes back by field; nothing happens.
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/roster/promotion",
        Some(
            json!({ "number": "", "order_date": "2027-01-01", "exceptions": [
                { "class": "7Б", "student": "Нет Такого", "decision": "retain" },
                { "class": "9Я", "student": name(&members[0]), "decision": "retain" },
                { "class": "7Б", "student": name(&members[0]), "decision": "куда-нибудь" },
            ]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &body["error"]["fields"];
    assert!(
        fields["number"].is_string() && fields["order_date"].is_string(),
        "{body}"
    );
    assert!(
        fields["exceptions[0]"]
            .as_str()
            .unwrap()
            .contains("нет такого ученика")
    );
    assert!(
        fields["exceptions[1]"]
            .as_str()
            .unwrap()
            .contains("нет такого класса")
    );
    assert!(
        fields["exceptions[2]"]
            .as_str()
            .unwrap()
            .contains("куда-нибудь")
    );
    let exceptions = json!([
        { "class": "7Б", "student": name(&members[1]), "decision": "retain" },
        { "class": "7Б", "student": name(&members[2]), "decision": "conditional" },
    ]);
    // A dry run tells what the order does and changes nothing.
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/roster/promotion",
        Some(order(exceptions.clone(), true)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applied"], false);
    assert_eq!(
        (body["retained"].clone(), body["conditional"].clone()),
        (json!(1), json!(1))
    );
    assert!(body["moved"].as_u64().unwrap() > 100, "{body}");
    assert!(app.store.school_classes(1, 2027).await.unwrap().is_empty());
    // Applied: next year's classes exist, and the order is listed as on time.
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/roster/promotion",
        Some(order(exceptions.clone(), false)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applied"], true);
    let next = app.store.school_classes(1, 2027).await.unwrap();
    assert!(next.iter().any(|c| c.name == "8Б"));
    let (_, body) = call(app, Method::GET, &deputy, "/api/v1/roster/promotion", None).await;
    assert_eq!(body["orders"][0]["number"], "14-о");
    assert_eq!(body["orders"][0]["on_time"], true);
    // Only once a year.
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/roster/promotion",
        Some(order(json!([]), false)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["order"].is_string(), "{body}");
    assert_eq!(app.audit_count("roster.promotion").await, 1);
    // Not for a teacher.
    let teacher = app.token("teacher").await;
    let (status, _) = call(app, Method::GET, &teacher, "/api/v1/roster/promotion", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
on_both!(promotion, promotion_through_the_api);

async fn a_timetable_is_imported_through_the_api(app: &TestApp) {
    let deputy = app.token("deputy").await;
    let lesson = app.algebra_lesson().await;
    let teachers = app.store.school_teachers(1).await.unwrap();
    let teacher = teachers
        .iter()
        .find(|p| Some(p.id) == lesson.teacher_id)
        .unwrap()
        .full_name();
    let import = |csv: String, dry_run: bool| json!({ "valid_from": "2026-12-07", "csv": csv, "dry_run": dry_run });
    // Unknown names are reported with their lines; nothing is saved.
    let bad = "Класс;День;Урок;Предмет;Учитель;Кабинет\n7Б;пн;1;Алхимия;Никто Никакой;1\n";
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/timetable/import",
        Some(import(bad.into(), false)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = body["error"]["fields"].as_object().unwrap();
    let all: Vec<&str> = fields.values().filter_map(Value::as_str).collect();
    assert!(
        all.iter()
            .any(|m| m.contains("Строка 2") && m.contains("Алхимия")),
        "{body}"
    );
    assert!(all.iter().any(|m| m.contains("Никто Никакой")), "{body}");
    // A date outside any saved year is the date's problem.
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/timetable/import",
        Some(json!({ "valid_from": "1999-01-01", "csv": "x" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["valid_from"].is_string(), "{body}");
    // A good file: checked, then saved.
    let good = format!(
        "Класс;День;Урок;Предмет;Учитель;Кабинет\n7Б;пн;{};Алгебра;{teacher};21\n",
        lesson.number
    );
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/timetable/import",
        Some(import(good.clone(), true)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["saved"].clone(), body["lines"].clone()),
        (json!(false), json!(1))
    );
    assert_eq!(app.audit_count("setup.timetable_import").await, 0);
    let (status, body) = call(
        app,
        Method::POST,
        &deputy,
        "/api/v1/timetable/import",
        Some(import(good, false)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["saved"], true);
    assert_eq!(body["classes"], 1);
    assert_eq!(app.audit_count("setup.timetable_import").await, 1);
    let class = app.class_id("7Б").await;
    let monday = app
        .store
        .class_lessons(
            1,
            class,
            jiff::civil::Date::constant(2026, 12, 7),
            jiff::civil::Date::constant(2026, 12, 12),
        )
        .await
        .unwrap();
    assert_eq!(monday.len(), 1, "the imported week has one lesson");
    assert_eq!(monday[0].room, "21");
}
on_both!(import, a_timetable_is_imported_through_the_api);

async fn topic_plans_through_the_api(app: &TestApp) {
    let teacher = app.token("teacher").await;
    let lesson = app.algebra_lesson().await;
    let (group, subject) = (lesson.group_id, lesson.subject_id);
    let path = format!("/api/v1/journal/plan?group_id={group}&subject_id={subject}");
    let (status, body) = call(app, Method::GET, &teacher, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["editable"], true);
    assert_eq!(body["lines"], json!([]));
    let lessons = body["lessons"].as_u64().unwrap();
    assert!(lessons > 50, "{body}");
    let plan =
        |topics: Value| json!({ "group_id": group, "subject_id": subject, "topics": topics });
    // A bad topic is named by its index; nothing saved.
    let (status, body) = call(
        app,
        Method::PUT,
        &teacher,
        "/api/v1/journal/plan",
        Some(plan(json!([{ "topic": "Дроби" }, { "topic": "  ", "hours": 1 }, { "topic": "Корни", "hours": 11 }]))),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["topics[1]"].is_string(), "{body}");
    assert!(body["error"]["fields"]["topics[2]"].is_string(), "{body}");
    let (status, body) = call(
        app,
        Method::PUT,
        &teacher,
        "/api/v1/journal/plan",
        Some(plan(json!([
            { "topic": "Дроби", "hours": 2, "homework": "№ 1–5" },
            { "topic": "Степени" },
        ]))),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["topics"], 2);
    let filled = body["filled"].as_u64().unwrap();
    assert!((1..=3).contains(&filled), "{body}");
    let (_, body) = call(app, Method::GET, &teacher, &path, None).await;
    assert_eq!(body["lines"][0]["topic"], "Дроби");
    assert_eq!(body["lines"][0]["hours"], 2);
    assert_eq!(
        body["lines"][0]["dates"]
            .as_str()
            .unwrap()
            .split(", ")
            .count(),
        2
    );
    assert_eq!(body["planned"], 3);
    // Filling again changes nothing now, and says so.
    let (status, body) = call(
        app,
        Method::POST,
        &teacher,
        "/api/v1/journal/plan/fill",
        Some(json!({ "group_id": group, "subject_id": subject })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["topics"].clone(), body["filled"].clone()),
        (json!(2), json!(0))
    );
    assert_eq!(app.audit_count("journal.plan").await, 1);
    // Another teacher reads the plan of a class they keep but cannot load one.
    let other = app.token("classteacher").await;
    let (status, _) = call(
        app,
        Method::PUT,
        &other,
        "/api/v1/journal/plan",
        Some(plan(json!([{ "topic": "Чужая" }]))),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both!(plan, topic_plans_through_the_api);

async fn lesson_files_through_the_api(app: &TestApp) {
    let teacher = app.token("teacher").await;
    let lesson = app.algebra_lesson().await;
    let upload = |name: &str, data: &'static [u8]| {
        app.client()
            .post(app.at(&format!(
                "/api/v1/journal/lessons/{}/files?name={}",
                lesson.id,
                urlencode(name)
            )))
            .bearer_auth(&teacher)
            .header("content-type", "application/octet-stream")
            .body(data)
            .send()
    };
    let res = upload("Задание.pdf", b"%PDF-1.4 task").await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let file: Value = res.json().await.unwrap();
    assert_eq!(file["name"], "Задание.pdf");
    assert_eq!(file["content_type"], "application/pdf");
    // A file that is not what its name says is refused next to the field.
    let res = upload("вирус.pdf", b"MZ\x90\x00").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    assert!(err["error"]["fields"]["file"].is_string(), "{err}");
    let res = upload("пусто.txt", b"").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Listed and downloaded by staff; the family downloads it from the diary.
    let (status, list) = call(
        app,
        Method::GET,
        &teacher,
        &format!("/api/v1/journal/lessons/{}/files", lesson.id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let id = file["id"].as_i64().unwrap();
    let res = app
        .client()
        .get(app.at(&format!("/api/v1/journal/files/{id}")))
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.4 task");
    let parent = app.token("parent").await;
    let student = app.person("student").await;
    let res = app
        .client()
        .get(app.at(&format!("/api/v1/diary/files/{id}?child={student}")))
        .bearer_auth(&parent)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // A parent cannot upload, nor see the staff listing.
    let res = app
        .client()
        .post(app.at(&format!(
            "/api/v1/journal/lessons/{}/files?name=a.txt",
            lesson.id
        )))
        .bearer_auth(&parent)
        .body("text")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("journal.file").await, 1);
}
on_both!(files, lesson_files_through_the_api);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn ones_own_password_through_the_api(app: &TestApp) {
    let token = app.token("student").await;
    let other = app.token("student").await;
    let change = |current: &str, new: &str| json!({ "current": current, "new": new });
    let (status, body) = call(
        app,
        Method::POST,
        &token,
        "/api/v1/me/password",
        Some(change("wrong", "short")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = &body["error"]["fields"];
    assert!(
        fields["current"].is_string() && fields["new"].is_string(),
        "{body}"
    );
    let (status, body) = call(
        app,
        Method::POST,
        &token,
        "/api/v1/me/password",
        Some(change("demo", "лиственница-42-осень")),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // This token goes on; every other one of the account ended; the new password works.
    let (status, _) = call(app, Method::GET, &token, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(app, Method::GET, &other, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let res = app
        .client()
        .post(app.at("/api/v1/auth/token"))
        .json(&json!({ "login": "student", "password": "лиственница-42-осень" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.audit_count("account.password").await,
        2,
        "a failure and the change"
    );
}
on_both!(password, ones_own_password_through_the_api);

async fn calendar_feeds_through_the_api(app: &TestApp) {
    let parent = app.token("parent").await;
    let student = app.person("student").await;
    let feeds = format!("/api/v1/diary/calendar-feeds?child={student}");
    let (status, made) = call(
        app,
        Method::POST,
        &parent,
        "/api/v1/diary/calendar-feeds",
        Some(json!({ "child": student.to_string() })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let url = made["url"].as_str().unwrap();
    let path = &url[url.find("/ics/").unwrap()..];
    let res = app.client().get(app.at(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("BEGIN:VCALENDAR"));
    let (_, list) = call(app, Method::GET, &parent, &feeds, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert!(list[0]["revoked_at"].is_null());
    // Someone else cannot revoke it; its owner can, and the address stops at once.
    let student_token = app.token("student").await;
    let id = made["id"].as_i64().unwrap();
    let (status, _) = call(
        app,
        Method::DELETE,
        &student_token,
        &format!("/api/v1/diary/calendar-feeds/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        app,
        Method::DELETE,
        &parent,
        &format!("/api/v1/diary/calendar-feeds/{id}?child={student}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let res = app.client().get(app.at(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Another family's child does not exist for this parent.
    let (status, _) = call(
        app,
        Method::POST,
        &parent,
        "/api/v1/diary/calendar-feeds",
        Some(json!({ "child": "1" })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both!(feeds, calendar_feeds_through_the_api);

async fn apps_through_the_api(app: &TestApp) {
    let admin = app.token("techadmin").await;
    let (status, body) = call(
        app,
        Method::POST,
        &admin,
        "/api/v1/apps",
        Some(json!({ "name": "", "redirect_uris": ["http://evil.example/cb"], "scopes": [] })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &body["error"]["fields"];
    assert!(
        fields["name"].is_string()
            && fields["redirect_uris"]
                .as_str()
                .unwrap()
                .contains("evil.example")
            && fields["scopes"].is_string(),
        "{body}"
    );
    let (status, made) = call(
        app,
        Method::POST,
        &admin,
        "/api/v1/apps",
        Some(json!({ "name": "Школьный бот", "redirect_uris": ["https://bot.example/cb"], "scopes": ["profile", "diary"], "confidential": true })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["client_secret"].as_str().unwrap().len(), 64, "{made}");
    let (_, list) = call(app, Method::GET, &admin, "/api/v1/apps", None).await;
    assert_eq!(list[0]["name"], "Школьный бот");
    assert_eq!(list[0]["scopes"], json!(["profile", "diary"]));
    assert_eq!(list[0]["client_id"], made["client_id"]);
    assert!(list[0]["revoked_on"].is_null());
    let id = made["id"].as_i64().unwrap();
    let teacher = app.token("teacher").await;
    let (status, _) = call(app, Method::GET, &teacher, "/api/v1/apps", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        app,
        Method::DELETE,
        &admin,
        &format!("/api/v1/apps/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = call(app, Method::GET, &admin, "/api/v1/apps", None).await;
    assert!(list[0]["revoked_on"].is_string(), "{list}");
    let (status, _) = call(app, Method::DELETE, &admin, "/api/v1/apps/999999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // One's own grants: none yet for the parent; someone else's grant is not there.
    let parent = app.token("parent").await;
    let (status, grants) = call(app, Method::GET, &parent, "/api/v1/me/apps", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(grants, json!([]));
    let (status, _) = call(app, Method::DELETE, &parent, "/api/v1/me/apps/1", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both!(apps, apps_through_the_api);

async fn the_teachers_day_through_the_api(app: &TestApp) {
    let token = app.token("teacher").await;
    let (status, body) = call(app, Method::GET, &token, "/api/v1/journal/mine", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = app
        .page(&app.signed_in("teacher").await, "/journal/mine")
        .await;
    // The same lessons, topics to write and students short of marks as the page.
    for l in body["lessons"].as_array().unwrap() {
        assert!(page.contains(l["subject_name"].as_str().unwrap()), "{l}");
    }
    let few = body["few_marks"].as_array().unwrap();
    assert!(
        !few.is_empty(),
        "the demo has students short of marks: {body}"
    );
    for f in few {
        assert!(page.contains(f["journal"].as_str().unwrap()), "{f}");
        for s in f["students"].as_array().unwrap() {
            assert!(s["marks"].as_u64().unwrap() < body["min_marks"].as_u64().unwrap());
            assert!(
                page.contains(&format!("{} ({})", s["name"].as_str().unwrap(), s["marks"])),
                "{s}"
            );
        }
    }
    for m in body["missing_topics"].as_array().unwrap() {
        assert_eq!(m["lesson"]["teacher_id"], app.person("teacher").await);
    }
    let parent = app.token("parent").await;
    let (status, _) = call(app, Method::GET, &parent, "/api/v1/journal/mine", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
on_both!(mine, the_teachers_day_through_the_api);
