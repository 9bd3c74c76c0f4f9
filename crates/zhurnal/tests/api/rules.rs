//! The journal's rules as Russian schools and the law require them (issue: marks are legal
//! records): how each subject is assessed, proposals only where there is a basis, a late
//! pupil marked. Through the pages and the API, on both backends.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use serde_json::{Value, json};
use zhurnal_store::LessonRow;

/// The first lesson of `subject` in `class` before 27 November 2026 (today is the 28th).
async fn lesson_of(app: &TestApp, class: &str, subject: &str) -> LessonRow {
    let class = app.class_id(class).await;
    app.store
        .class_lessons(
            1,
            class,
            jiff::civil::Date::constant(2026, 11, 16),
            jiff::civil::Date::constant(2026, 11, 27),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.subject_name == subject && l.status != "cancelled")
        .unwrap_or_else(|| panic!("a lesson of {subject}"))
}

async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    crate::journal::call(app, token, method, path, body).await
}

/// A correction by the deputy (any lesson, with a reason): the rules of marks apply to it
/// as to the teacher's own.
async fn correct(
    app: &TestApp,
    lesson: &LessonRow,
    pupil: i64,
    value: Option<&str>,
) -> (StatusCode, Value) {
    let deputy = app.token("deputy").await;
    let body = json!({ "lesson_id": lesson.id, "person_id": pupil, "value": value,
                       "reason": "проверка правил" });
    api(
        app,
        &deputy,
        reqwest::Method::PUT,
        "/api/v1/journal/corrections",
        body,
    )
    .await
}

async fn each_subject_takes_the_marks_of_its_assessment(app: &TestApp) {
    // Grade 1 is taught without marks.
    let first = lesson_of(app, "1А", "Математика").await;
    let pupil = app.store.group_members(1, first.group_id).await.unwrap()[0].id;
    let (status, body) = correct(app, &first, pupil, Some("5")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let why = body["error"]["fields"]["value"].as_str().unwrap();
    assert!(why.contains("без отметок"), "{why}");
    // ОРКСЭ is pass or fail: «5» refused, «зач» taken.
    let orkse = lesson_of(app, "4А", "ОРКСЭ").await;
    let pupil = app.store.group_members(1, orkse.group_id).await.unwrap()[0].id;
    let (status, body) = correct(app, &orkse, pupil, Some("5")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["value"]
            .as_str()
            .unwrap()
            .contains("«зач»")
    );
    let (status, body) = correct(app, &orkse, pupil, Some("зач")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["value"], "зач");
    // ОРКСЭ's period marks are proposed as pass or fail.
    let period = current_period(app).await;
    let deputy = app.token("deputy").await;
    let (status, marks) = api(
        app,
        &deputy,
        reqwest::Method::GET,
        &format!(
            "/api/v1/journal/period-marks?group_id={}&subject_id={}&period_id={period}",
            orkse.group_id, orkse.subject_id
        ),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{marks}");
    let proposed: Vec<&str> = marks["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["proposed"].as_str().unwrap())
        .collect();
    assert!(proposed.contains(&"зач"), "{proposed:?}");
    assert!(
        proposed.iter().all(|p| ["зач", "незач", ""].contains(p)),
        "{proposed:?}"
    );
}
on_both!(
    assessment,
    each_subject_takes_the_marks_of_its_assessment,
    spawn_filled
);

/// The quarter of grade 7 that 27 November 2026 falls in.
async fn current_period(app: &TestApp) -> i64 {
    app.store
        .periods(1, 2026)
        .await
        .unwrap()
        .into_iter()
        .find(|p| {
            p.scheme == "quarters"
                && p.kind != "year"
                && p.start_date.as_str() <= "2026-11-27"
                && "2026-11-27" <= p.end_date.as_str()
        })
        .expect("the second quarter")
        .id
}

async fn no_mark_is_proposed_without_a_basis(app: &TestApp) {
    let teacher = app.token("teacher").await;
    let algebra = app.algebra_lesson().await;
    let (group, subject) = (algebra.group_id, algebra.subject_id);
    let period = current_period(app).await;
    let path = format!(
        "/api/v1/journal/period-marks?group_id={group}&subject_id={subject}&period_id={period}"
    );
    let (_, before) = api(app, &teacher, reqwest::Method::GET, &path, Value::Null).await;
    let pupil = before["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["value"].is_null() && !s["proposed"].as_str().unwrap().is_empty())
        .expect("a pupil with a proposal")["person_id"]
        .as_i64()
        .unwrap();
    // The pupil keeps two algebra marks of the quarter; the others are removed.
    let periods = app.store.periods(1, 2026).await.unwrap();
    let quarter = periods.iter().find(|p| p.id == period).unwrap();
    let marks = app
        .store
        .marks_of_person(
            1,
            pupil,
            &quarter.start_date,
            &quarter.end_date,
            Some(subject),
        )
        .await
        .unwrap();
    assert!(marks.len() > 2, "{}", marks.len());
    let deputy = app.token("deputy").await;
    for m in &marks[2..] {
        let body = json!({ "lesson_id": m.lesson_id, "person_id": pupil, "work_id": m.work_id,
                           "value": null, "reason": "проверка правил" });
        let (status, body) = api(
            app,
            &deputy,
            reqwest::Method::PUT,
            "/api/v1/journal/corrections",
            body,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, after) = api(app, &teacher, reqwest::Method::GET, &path, Value::Null).await;
    let row = after["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["person_id"] == pupil)
        .unwrap()
        .clone();
    assert_eq!(row["marks"], 2, "{row}");
    assert_eq!(row["proposed"], "", "{row}");
    assert_eq!(row["below_minimum"], true, "{row}");
    // «Accept all» gives the others their proposals and leaves this pupil to the teacher.
    let (status, saved) = api(
        app,
        &teacher,
        reqwest::Method::PUT,
        "/api/v1/journal/period-marks",
        json!({ "group_id": group, "subject_id": subject, "period_id": period,
                "accept_proposals": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(saved["saved"].as_u64().unwrap() > 0);
    let set = app.store.period_marks(1, period, subject).await.unwrap();
    assert!(!set.iter().any(|m| m.person_id == pupil));
    // A quarter mark is whole and of the subject's kind.
    for value in ["4+", "зач"] {
        let (status, body) = api(
            app,
            &teacher,
            reqwest::Method::PUT,
            "/api/v1/journal/period-marks",
            json!({ "group_id": group, "subject_id": subject, "period_id": period,
                    "marks": [{ "person_id": pupil, "value": value }] }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{value}: {body}");
    }
}
on_both!(no_basis, no_mark_is_proposed_without_a_basis, spawn_filled);

async fn a_late_pupil_is_marked_beside_the_lateness(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let algebra = app.algebra_lesson().await;
    let path = format!(
        "/journal?journal={}-{}",
        algebra.group_id, algebra.subject_id
    );
    let html = app.page(&teacher, &path).await;
    let csrf = crate::helpers::hidden_value(&html, "csrf").unwrap();
    let pupil = app.store.group_members(1, algebra.group_id).await.unwrap()[3].id;
    let cell = format!("c-{}-{pupil}", algebra.id);
    let post = |value: &str, was: &str| {
        let form = [
            ("csrf", csrf.as_str()),
            ("school", "1"),
            ("cell", cell.as_str()),
            ("value", value),
            ("was", was),
        ];
        let req = teacher.post(app.at("/journal/cell")).form(&form);
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            let body: Value = res.json().await.unwrap();
            (status, body)
        }
    };
    let shown = |body: &Value| body["value"].as_str().unwrap_or_default().to_owned();
    let (_, body) = post("оп", "").await;
    assert_eq!(shown(&body), "оп");
    // A mark typed afterwards keeps the lateness…
    let (_, body) = post("5", "оп").await;
    assert_eq!(shown(&body), "5 оп", "{body}");
    // …and the grid shows both.
    let html = app.page(&teacher, &path).await;
    assert!(
        html.contains(&format!("name=\"{cell}\" value=\"5 оп\"")),
        "the cell shows «5 оп»"
    );
    // Removing the lateness leaves the mark; «н» over a mark is refused beside it.
    let (_, body) = post("5", "5 оп").await;
    assert_eq!(shown(&body), "5");
    let (status, body) = post("5 н", "5").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let marks = app.store.marks_of_lessons(1, &[algebra.id]).await.unwrap();
    assert!(marks.iter().any(|m| m.person_id == pupil && m.value == "5"));
}
on_both!(late_and_marked, a_late_pupil_is_marked_beside_the_lateness);
