//! The class's students and parents: a parent's refusal of electronic access (§3.6) closes
//! the child's diary, notices and calendar to the family until a new consent; a departure
//! (§5.2) ends the child's place in the school that day and closes the diary with the day.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use serde_json::json;

struct Family {
    student: i64,
    parent: i64,
    sibling: i64,
}

async fn family(app: &TestApp) -> Family {
    Family {
        student: app.person("student").await,
        parent: app.person("parent").await,
        sibling: app.sibling().await,
    }
}

/// The teacher puts a mark for the student on an algebra lesson of the week before.
async fn mark_on_algebra(app: &TestApp, student: i64, value: &str) -> StatusCode {
    let lesson = app.algebra_lesson().await;
    let teacher = app.token("teacher").await;
    app.client()
        .put(app.at("/api/v1/journal/marks"))
        .bearer_auth(&teacher)
        .json(&json!({"lesson_id": lesson.id, "person_id": student, "value": value}))
        .send()
        .await
        .unwrap()
        .status()
}

/// Where a recorded form sends the browser back to.
fn back(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn a_refusal_closes_the_diary_until_a_new_consent(app: &TestApp) {
    let f = family(app).await;
    let class = app.class_id("7Б").await;
    let path = format!("/roster?class={class}");
    let pair = format!("{}:{}", f.student, f.parent);
    let tutor = app.signed_in("classteacher").await;
    let class_s = class.to_string();
    let statement = |pair: &str, decision: &'static str, date: &'static str| {
        let fields = [
            ("class", class_s.clone()),
            ("op", "statement".to_owned()),
            ("pair", pair.to_owned()),
            ("decision", decision.to_owned()),
            ("signed_on", date.to_owned()),
        ];
        let (tutor, path) = (&tutor, &path);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(tutor, path, &fields).await
        }
    };
    let html = app.page(&tutor, &path).await;
    assert!(html.contains("Ученики и родители класса 7Б"), "{html}");
    assert!(html.contains("заявления нет"), "{html}");
    assert!(html.contains(&format!("value=\"{pair}\"")), "{html}");

    // A date in the future is refused next to its field; nothing is recorded.
    let res = statement(&pair, "refusal", "2026-12-01").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"st-date-error\">дата не может быть позже сегодняшней"),
        "{html}"
    );
    assert_eq!(app.audit_count("roster.statement").await, 0);

    let res = statement(&pair, "refusal", "2026-11-27").await;
    let html = app.page(&tutor, &back(&res)).await;
    assert!(html.contains("Заявление записано."), "{html}");
    assert!(html.contains("отказ, 27\u{a0}ноября\u{a0}2026"), "{html}");

    // The parent: the child's diary says why it is closed; the other child's is open and
    // is the one shown by default; the calendar feed of the child stops.
    let parent = app.signed_in("parent").await;
    let res = parent
        .get(app.at(&format!("/diary?child={}", f.student)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("родители отказались получать сведения об успеваемости через Zhurnal (заявление от 27\u{a0}ноября\u{a0}2026)"),
        "{html}"
    );
    let html = app.page(&parent, "/diary").await;
    assert!(html.contains("3А"), "the sibling's week: {html}");
    let res = parent
        .get(app.at(&format!("/diary/marks?child={}", f.student)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The student sees the same explanation.
    let student = app.signed_in("student").await;
    let res = student.get(app.at("/diary")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The API says the same, as a structured error.
    let token = app.token("parent").await;
    let res = app
        .client()
        .get(app.at(&format!("/api/v1/diary/week?child={}", f.student)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "no_electronic_access");
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("заявление от 27\u{a0}ноября\u{a0}2026"),
        "{body}"
    );
    // No notices about the child while the refusal stands.
    let before = app.store.unread_notices(f.parent).await.unwrap();
    assert_eq!(mark_on_algebra(app, f.student, "4").await, StatusCode::OK);
    assert_eq!(app.store.unread_notices(f.parent).await.unwrap(), before);

    // A new consent opens it again.
    let res = statement(&pair, "consent", "2026-11-28").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = parent
        .get(app.at(&format!("/diary?child={}", f.student)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(mark_on_algebra(app, f.student, "5").await, StatusCode::OK);
    assert_eq!(
        app.store.unread_notices(f.parent).await.unwrap(),
        before + 1
    );
    assert_eq!(app.audit_count("roster.statement").await, 2);

    // Only the class's own teacher and the clerk keep the roster; a parent of another
    // class's child cannot be named, a subject teacher has no such page.
    let bad = format!("{}:{}", f.sibling, f.parent);
    let res = statement(&bad, "refusal", "2026-11-28").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let other = app.class_id("3А").await;
    let res = tutor
        .get(app.at(&format!("/roster?class={other}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let teacher = app.signed_in("teacher").await;
    let res = teacher.get(app.at("/roster")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

on_both!(
    roster_refusal,
    a_refusal_closes_the_diary_until_a_new_consent
);

async fn a_departure_ends_the_childs_place_and_diary(app: &TestApp) {
    let f = family(app).await;
    let class = app.class_id("7Б").await;
    let path = format!("/roster?class={class}");
    let clerk = app.signed_in("clerk").await;
    assert_eq!(mark_on_algebra(app, f.student, "5").await, StatusCode::OK);
    let depart = |date: &'static str| {
        let fields = [
            ("class", class.to_string()),
            ("op", "departure".to_owned()),
            ("student", f.student.to_string()),
            ("left_on", date.to_owned()),
            ("reason", "transfer".to_owned()),
            ("order", "45-у".to_owned()),
        ];
        let (clerk, path) = (&clerk, &path);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(clerk, path, &fields).await
        }
    };
    // Not before the marks the journal holds for the student, not in the future, a date.
    let res = depart("2026-11-20").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"dep-date-error\">с этой даты у ученика есть отметки или пропуски"),
        "{html}"
    );
    assert!(
        html.contains("value=\"45-у\""),
        "the typed order stays: {html}"
    );
    let res = depart("2026-12-02").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = depart("вчера").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("введите дату"));
    assert_eq!(app.audit_count("roster.departure").await, 0);

    let res = depart("2026-11-28").await;
    let html = app.page(&clerk, &back(&res)).await;
    assert!(html.contains("Выбытие записано."), "{html}");
    assert!(
        html.contains("28\u{a0}ноября\u{a0}2026, перевод в другую школу, приказ № 45-у"),
        "{html}"
    );
    assert_eq!(app.audit_count("roster.departure").await, 1);
    // Out of the class and its subgroups.
    assert!(
        app.store
            .person_groups(1, f.student)
            .await
            .unwrap()
            .is_empty()
    );
    // The student's diary tells the day; the parent's shows the other child, and the
    // departed one is no longer theirs to open here.
    let student = app.signed_in("student").await;
    let res = student.get(app.at("/diary")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("выбытие из школы 28\u{a0}ноября\u{a0}2026"),
        "{html}"
    );
    let parent = app.signed_in("parent").await;
    let html = app.page(&parent, "/diary").await;
    assert!(html.contains("3А"), "{html}");
    let res = parent
        .get(app.at(&format!("/diary?child={}", f.student)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Leaving twice is not possible: the student is no longer offered.
    let res = depart("2026-11-28").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

on_both!(
    roster_departure,
    a_departure_ends_the_childs_place_and_diary
);

async fn the_roster_is_kept_through_the_api(app: &TestApp) {
    let f = family(app).await;
    let class = app.class_id("7Б").await;
    // The class teacher of 7Б keeps its roster; the subject teacher does not.
    let token = app.token("classteacher").await;
    let roster = app
        .api_get(&token, &format!("/api/v1/roster?class_id={class}"))
        .await;
    assert_eq!(roster["class"], "7Б");
    let me = roster["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["person_id"] == f.student)
        .unwrap_or_else(|| panic!("{roster}"));
    assert_eq!(me["access"], "none");
    assert!(
        me["parents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["person_id"] == f.parent)
    );
    let teacher = app.token("teacher").await;
    let res = app
        .client()
        .get(app.at(&format!("/api/v1/roster?class_id={class}")))
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let post = |path: &'static str, body: serde_json::Value| {
        let token = token.clone();
        async move {
            let res = app
                .client()
                .post(app.at(path))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status();
            (
                status,
                res.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    // A statement dated in the future is refused, naming the field.
    let (status, err) = post(
        "/api/v1/roster/statements",
        json!({"class_id": class, "student_id": f.student, "parent_id": f.parent, "decision": "refusal", "signed_on": "2026-12-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["signed_on"].is_string(), "{err}");
    // Another family's parent for this child: as if it did not exist.
    let (status, _) = post(
        "/api/v1/roster/statements",
        json!({"class_id": class, "student_id": f.student, "parent_id": f.sibling, "decision": "refusal", "signed_on": "2026-11-27"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The refusal: the diary closes for the family at once.
    let (status, _) = post(
        "/api/v1/roster/statements",
        json!({"class_id": class, "student_id": f.student, "parent_id": f.parent, "decision": "refusal", "signed_on": "2026-11-27"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let roster = app
        .api_get(&token, &format!("/api/v1/roster?class_id={class}"))
        .await;
    let me = roster["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["person_id"] == f.student)
        .unwrap();
    assert_eq!(me["access"], "refusal");
    assert_eq!(me["access_since"], "2026-11-27");
    let parent = app.token("parent").await;
    let res = app
        .client()
        .get(app.at(&format!("/api/v1/diary/week?child={}", f.student)))
        .bearer_auth(&parent)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A departure with a too long order number and a future day: both fields named.
    let (status, err) = post(
        "/api/v1/roster/departures",
        json!({"class_id": class, "student_id": f.student, "reason": "transfer", "order_number": "№".repeat(51), "left_on": "2026-12-30"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"]["order_number"].is_string()
            && err["error"]["fields"]["left_on"].is_string(),
        "{err}"
    );
    let (status, _) = post(
        "/api/v1/roster/departures",
        json!({"class_id": class, "student_id": f.student, "reason": "transfer", "order_number": "112-у", "left_on": "2026-11-28"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let roster = app
        .api_get(&token, &format!("/api/v1/roster?class_id={class}"))
        .await;
    assert!(
        roster["students"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["person_id"] != f.student)
    );
    assert_eq!(roster["departures"][0]["person_id"], f.student);
    assert_eq!(roster["departures"][0]["order_number"], "112-у");
    assert_eq!(app.audit_count("roster.departure").await, 1);
}
on_both!(roster_api, the_roster_is_kept_through_the_api);
