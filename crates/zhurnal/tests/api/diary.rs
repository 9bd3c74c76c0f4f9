//! The diary of students and parents: the week with what the journal holds, marks by
//! subject with the average explained and a trend, switching children, and never another
//! family's child.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use serde_json::json;

/// The demo student (7Б) and their sibling (3А), children of the demo parent.
async fn children(app: &TestApp) -> (i64, i64) {
    (app.person("student").await, app.sibling().await)
}

async fn a_mark_the_teacher_enters_is_in_the_parents_week_at_once(app: &TestApp) {
    let (student, _) = children(app).await;
    let algebra = app.algebra_lesson().await;
    let teacher = app.token("teacher").await;
    let put = |path: &str, body: serde_json::Value| {
        let req = app
            .client()
            .put(app.at(path))
            .bearer_auth(&teacher)
            .json(&body);
        async move { req.send().await.unwrap() }
    };
    let res = put(
        "/api/v1/journal/marks",
        json!({"lesson_id": algebra.id, "person_id": student, "value": "5"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = put(
        &format!("/api/v1/journal/lessons/{}", algebra.id),
        json!({"topic": "Формулы сокращённого умножения", "homework": "№ 512, 514", "homework_due": "2026-11-30"}),
    )
    .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    // The parent's home page is the child's current week, with the mark, topic and homework.
    let parent = app.signed_in("parent").await;
    let html = app.page(&parent, "/").await;
    assert!(html.contains("Дневник:"), "{html}");
    assert!(html.contains("Формулы сокращённого умножения"), "{html}");
    assert!(html.contains("№ 512, 514"), "{html}");
    assert!(html.contains("<strong>5</strong>"), "{html}");
    assert!(html.contains("Ответ на уроке, вес 1"), "{html}");
    // The same week for the student, and the marks page explains the average.
    let student_client = app.signed_in("student").await;
    let week = app.page(&student_client, "/diary?date=2026-11-25").await;
    assert!(week.contains("Формулы сокращённого умножения"));
    // The same week as JSON for a client of the API, with the same privacy.
    let token = app.token("parent").await;
    let week = app
        .api_get(
            &token,
            &format!("/api/v1/diary/week?child={student}&date=2026-11-25"),
        )
        .await;
    assert_eq!(week["student_id"], student);
    let lesson = week["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["lessons"].as_array().unwrap().iter())
        .find(|l| l["topic"] == "Формулы сокращённого умножения")
        .unwrap_or_else(|| panic!("{week}"));
    assert_eq!(lesson["subject"], "Алгебра");
    assert_eq!(lesson["homework"], "№ 512, 514");
    assert_eq!(lesson["marks"][0]["value"], "5");
    assert_eq!(week["days"][0]["date"], "2026-11-23");
    // The period's marks with the average the diary explains, as JSON.
    let marks = app
        .api_get(&token, &format!("/api/v1/diary/marks?child={student}"))
        .await;
    let current = marks["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == marks["period_id"])
        .unwrap_or_else(|| panic!("{marks}"));
    assert_eq!(current["name"], "II четверть");
    let in_algebra = marks["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subject"] == "Алгебра")
        .unwrap_or_else(|| panic!("{marks}"));
    assert!(
        in_algebra["marks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["value"] == "5" && m["date"] == algebra.date.as_str()),
        "{in_algebra}"
    );
    assert_eq!(in_algebra["average"], "5.00");
    assert!(
        in_algebra["explanation"]
            .as_str()
            .unwrap()
            .contains("= 5.00")
    );
    let res = app
        .client()
        .get(app.at("/api/v1/diary/week?child=999999"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    // Homework by due day as JSON.
    let homework = app
        .api_get(&token, &format!("/api/v1/diary/homework?child={student}"))
        .await;
    assert!(
        homework["homework"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["subject"] == "Алгебра"
                && h["text"] == "№ 512, 514"
                && h["due"] == "2026-11-30"),
        "{homework}"
    );
    let res = app
        .client()
        .get(app.at("/api/v1/diary/homework?from=2026-01-01&to=2026-11-28"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // Homework by due date: Monday's algebra is due next.
    let homework = app
        .page(&parent, &format!("/diary/homework?child={student}"))
        .await;
    let upcoming = &homework[homework.find("Задано на ближайшие две недели").unwrap()..];
    assert!(upcoming.contains("Пн, 30\u{a0}ноября"), "{upcoming}");
    assert!(
        upcoming.contains("<strong>Алгебра</strong>: № 512, 514"),
        "{upcoming}"
    );
    // The week answers 304 to a client that has it already.
    let res = student_client
        .get(app.at("/diary?date=2026-11-25"))
        .send()
        .await
        .unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(res.headers()["cache-control"], "no-store");
    let res = student_client
        .get(app.at("/diary?date=2026-11-25"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert!(res.bytes().await.unwrap().is_empty());
    let marks = app
        .page(&parent, &format!("/diary/marks?child={student}"))
        .await;
    assert!(marks.contains("(5×1) / 1 = 5.00"), "{marks}");
    assert!(marks.contains("мало отметок"), "{marks}");
    // The teacher corrects the mark: the family sees when, by whom, and from what.
    let res = put(
        "/api/v1/journal/marks",
        json!({"lesson_id": algebra.id, "person_id": student, "value": "4"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let marks = app
        .page(&parent, &format!("/diary/marks?child={student}"))
        .await;
    let changes = &marks[marks.find("Изменения отметок").expect("changes listed")..];
    let teacher_name = algebra.teacher_short_name();
    assert!(
        changes.contains(&format!("Алгебра (23.11), {teacher_name}: 5 → 4")),
        "{changes}"
    );
}
on_both!(
    diary_week,
    a_mark_the_teacher_enters_is_in_the_parents_week_at_once
);

async fn a_parent_switches_children_and_it_is_remembered(app: &TestApp) {
    let (student, sibling) = children(app).await;
    let parent = app.signed_in("parent").await;
    let res = parent
        .get(app.at(&format!("/diary?child={sibling}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("zh_child="))
        .expect("the choice is remembered");
    assert_eq!(cookie, format!("zh_child={sibling}"));
    let html = res.text().await.unwrap();
    assert!(html.contains("3А"), "{html}");
    // Both children are one click away.
    assert!(
        html.contains(&format!("href=\"/diary?child={student}\"")),
        "{html}"
    );
    // The next visit opens the remembered child (the browser sends the cookie back).
    let html = app.page(&parent, "/").await;
    assert!(
        html.contains("<h1>Дневник: ") && html.contains(", 3А</h1>"),
        "{html}"
    );
}
on_both!(
    diary_children,
    a_parent_switches_children_and_it_is_remembered
);

async fn no_one_reads_another_familys_diary(app: &TestApp) {
    let (student, sibling) = children(app).await;
    let class = app.class_id("7Б").await;
    let classmate = app
        .store
        .group_members(1, class)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id != student)
        .unwrap()
        .id;
    let before = app.audit_count("authz.denied").await;
    let parent = app.signed_in("parent").await;
    let get = |client: &reqwest::Client, path: String| {
        let req = client.get(app.at(&path));
        async move {
            let res = req.send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let (status, other) = get(&parent, format!("/diary?child={classmate}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, missing) = get(&parent, "/diary?child=99999999".into()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        other, missing,
        "an existing child answers as one that does not exist"
    );
    let (status, _) = get(&parent, format!("/diary/marks?child={classmate}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The student reads only their own diary, not even their sibling's.
    let student_client = app.signed_in("student").await;
    let (status, _) = get(&student_client, format!("/diary?child={sibling}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(app.audit_count("authz.denied").await >= before + 4);
    // Staff have the journal, not a diary.
    let teacher = app.signed_in("teacher").await;
    let (status, _) = get(&teacher, "/diary".into()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
on_both!(diary_privacy, no_one_reads_another_familys_diary);

async fn the_filled_demo_diary_explains_and_draws(app: &TestApp) {
    let parent = app.signed_in("parent").await;
    let html = app.page(&parent, "/diary/marks").await;
    // Every subject with marks: an explained average, a trend as SVG, the first quarter's
    // confirmed marks in the year's table.
    assert!(html.contains("II четверть"), "{html}");
    assert!(html.matches("<svg class=\"trend\"").count() >= 5, "{html}");
    assert!(
        html.contains("role=\"img\" aria-label=\"Динамика среднего: "),
        "{html}"
    );
    assert!(html.contains("×3"), "a test's weight is shown: {html}");
    assert!(html.contains("Отметки за периоды учебного года"), "{html}");
    let year = &html[html.find("Отметки за периоды учебного года").unwrap()..];
    assert!(
        year.contains("<td>4</td>") || year.contains("<td>5</td>"),
        "{year}"
    );
    // The week of the demo: topics, homework and marks of real lessons.
    let week = app.page(&parent, "/diary?date=2026-11-25").await;
    assert!(week.contains("Домашнее задание:"), "{week}");
    assert!(week.contains("class=\"mark-badge\""), "{week}");
}
on_both!(
    diary_filled,
    the_filled_demo_diary_explains_and_draws,
    spawn_filled
);

/// The calendar feed: made by the parent, read by a published iCalendar parser, revocable.
async fn the_calendar_feed_parses_and_can_be_revoked(app: &TestApp) {
    let (student, _) = children(app).await;
    let parent = app.signed_in("parent").await;
    let page = app
        .page(&parent, &format!("/diary/calendar?child={student}"))
        .await;
    let csrf = crate::helpers::hidden_value(&page, "csrf").unwrap();
    let child = student.to_string();
    let res = parent
        .post(app.at("/diary/calendar"))
        .form(&[("csrf", csrf.as_str()), ("child", &child), ("op", "create")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let start = html.find("/ics/").expect("the new address is shown");
    let token: String = html[start + 5..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64);
    // Anyone with the address (a phone's calendar) reads it without signing in.
    let res = app
        .client()
        .get(app.at(&format!("/ics/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let text = res.text().await.unwrap();
    let calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("a standard parser reads the feed");
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let algebra: Vec<_> = events
        .iter()
        .filter(|e| prop(e, "SUMMARY") == "Алгебра")
        .collect();
    assert!(
        algebra.len() >= 6,
        "a month of 7Б algebra lessons: {}",
        algebra.len()
    );
    let first = algebra[0];
    assert!(prop(first, "DTSTART").ends_with('Z') && prop(first, "LOCATION").starts_with("каб. "));
    assert!(prop(first, "UID").starts_with("lesson-"));
    // Revoked: the address answers 404 from then on.
    let page = app
        .page(&parent, &format!("/diary/calendar?child={student}"))
        .await;
    let feed = page
        .split("name=\"feed\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let res = parent
        .post(app.at("/diary/calendar"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("child", &child),
            ("op", "revoke"),
            ("feed", &feed),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .client()
        .get(app.at(&format!("/ics/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Someone else's feed cannot be revoked by the student.
    let student_client = app.signed_in("student").await;
    let student_csrf = app.csrf(&student_client).await;
    let res = student_client
        .post(app.at("/diary/calendar"))
        .form(&[
            ("csrf", student_csrf.as_str()),
            ("child", &child),
            ("op", "revoke"),
            ("feed", &feed),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("diary.feed_create").await, 1);
}
on_both!(diary_calendar, the_calendar_feed_parses_and_can_be_revoked);

/// The diary's week is kept in memory between requests; a write through the server must
/// show at once all the same: a mark, a changed topic, an absence, a file, a move to a
/// subgroup… and another family's write must not disturb it.
async fn the_kept_week_follows_every_write(app: &TestApp) {
    let parent = app.token("parent").await;
    let teacher = app.token("teacher").await;
    let student = app.person("student").await;
    let lesson = app.algebra_lesson().await;
    let week_path = format!("/api/v1/diary/week?child={student}&date={}", lesson.date);
    let algebra = |week: &serde_json::Value| {
        week["days"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["date"] == lesson.date.as_str())
            .flat_map(|d| d["lessons"].as_array().unwrap().clone())
            .find(|l| l["number"] == lesson.number)
            .unwrap_or_else(|| panic!("{week}"))
    };
    let before = algebra(&app.api_get(&parent, &week_path).await);
    // A mark.
    let res = app
        .client()
        .put(app.at("/api/v1/journal/marks"))
        .bearer_auth(&teacher)
        .json(&json!({ "lesson_id": lesson.id, "person_id": student, "value": "2", "comment": "кэш" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let after = algebra(&app.api_get(&parent, &week_path).await);
    assert_ne!(before["marks"], after["marks"]);
    assert!(
        after["marks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["value"] == "2" && m["comment"] == "кэш"),
        "{after}"
    );
    // The topic.
    let res = app
        .client()
        .put(app.at(&format!("/api/v1/journal/lessons/{}", lesson.id)))
        .bearer_auth(&teacher)
        .json(&json!({ "topic": "Тема после кэша", "homework": "№ 1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let after = algebra(&app.api_get(&parent, &week_path).await);
    assert_eq!(after["topic"], "Тема после кэша");
    // A late arrival.
    let res = app
        .client()
        .put(app.at("/api/v1/journal/absences"))
        .bearer_auth(&teacher)
        .json(&json!({ "lesson_id": lesson.id, "person_id": student, "status": "late" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::NO_CONTENT,
        "{}",
        res.text().await.unwrap()
    );
    let after = algebra(&app.api_get(&parent, &week_path).await);
    assert!(!after["absence"].as_str().unwrap().is_empty(), "{after}");
    // A write straight through the store (as the command line's would be, in process).
    app.store
        .write_lesson_text(
            1,
            lesson.id,
            "Тема из хранилища",
            "",
            None,
            &zhurnal_store::AuditEntry {
                outcome: "success".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let after = algebra(&app.api_get(&parent, &week_path).await);
    assert_eq!(after["topic"], "Тема из хранилища");
}
on_both!(kept_week, the_kept_week_follows_every_write);
