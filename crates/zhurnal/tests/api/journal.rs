//! The class journal through the API (§4.1): marks, absences and lesson texts written by the
//! teacher who gives the lesson, within the edit window, with history that cannot be edited.

use crate::helpers::TestApp;
use crate::helpers::multipart;
use crate::on_both;
use jiff::civil::Date;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhurnal_store::LessonRow;

/// A 7Б lesson of `subject` on `date`.
async fn lesson(app: &TestApp, subject: &str, date: Date) -> Option<LessonRow> {
    let class = app.class_id("7Б").await;
    app.store
        .class_lessons(1, class, date, date)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.subject_name == subject)
}

/// The first date from `from` going back on which 7Б has a lesson of `subject`.
async fn lesson_before(app: &TestApp, subject: &str, from: Date) -> LessonRow {
    let mut d = from;
    for _ in 0..30 {
        if let Some(l) = lesson(app, subject, d).await {
            return l;
        }
        d = d.yesterday().unwrap();
    }
    panic!("no {subject} lesson before {from}");
}

/// Form fields as `submit` takes them.
fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

pub(crate) async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let res = app
        .client()
        .request(method, app.at(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn marks_are_written_once_and_kept_forever(app: &TestApp) {
    let teacher = app.token("teacher").await;
    // Today is Saturday 28 November 2026 in the school's zone.
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let class = app.class_id("7Б").await;
    let students = app.store.group_members(1, class).await.unwrap();
    let pupil = students[0].id;
    let put = |body: Value| call(app, &teacher, Method::PUT, "/api/v1/journal/marks", body);

    // A mark, then the same request again (a retry after a lost answer): one mark.
    let body = json!({"lesson_id": algebra.id, "person_id": pupil, "value": "5", "idempotency_key": "k-1"});
    let (status, first) = put(body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["replayed"], false);
    let (status, again) = put(body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["mark_id"], first["mark_id"]);
    // Changed to 4: the old value is reported and kept in the history.
    let (status, changed) = put(json!({"lesson_id": algebra.id, "person_id": pupil, "value": "4", "idempotency_key": "k-2"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(changed["old_value"], "5");
    let history = app.store.lesson_history(1, algebra.id).await.unwrap();
    let values: Vec<(Option<&str>, Option<&str>)> = history
        .iter()
        .filter(|h| h.kind == "mark")
        .map(|h| (h.old_value.as_deref(), h.new_value.as_deref()))
        .collect();
    assert_eq!(values, vec![(None, Some("5")), (Some("5"), Some("4"))]);
    assert_eq!(app.audit_count("journal.mark").await, 2);

    // Not on the scale, signs the school does not use, a removal.
    let (status, err) =
        put(json!({"lesson_id": algebra.id, "person_id": pupil, "value": "6"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"]["value"]
            .as_str()
            .unwrap()
            .contains("Это не отметка"),
        "{err}"
    );
    let (status, err) =
        put(json!({"lesson_id": algebra.id, "person_id": pupil, "value": "4+"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"]["value"]
            .as_str()
            .unwrap()
            .contains("«+»")
    );

    // The journal shows it to the teacher and to the class teacher; not to another class's.
    let subject = algebra.subject_id;
    let path = format!(
        "/api/v1/journal?group_id={class}&subject_id={subject}&from=2026-11-01&to=2026-11-30"
    );
    let got = app.api_get(&teacher, &path).await;
    assert!(
        got["marks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["person_id"] == pupil && m["value"] == "4"),
        "{got}"
    );
    assert_eq!(got["students"].as_array().unwrap().len(), students.len());
    let class_teacher = app.token("classteacher").await;
    let got = app.api_get(&class_teacher, &path).await;
    assert!(got["lessons"].as_array().unwrap().len() > 5);
    let other = app.class_id("5А").await;
    let res = app
        .client()
        .get(app.at(&format!(
            "/api/v1/journal?group_id={other}&subject_id={subject}&from=2026-11-01&to=2026-11-30"
        )))
        .bearer_auth(&class_teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let parent = app.token("parent").await;
    let res = app
        .client()
        .get(app.at(&path))
        .bearer_auth(&parent)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "parents read the diary, not the journal"
    );

    // Someone else's lesson answers as if it did not exist, and is audited.
    let russian = lesson_before(app, "Русский язык", Date::constant(2026, 11, 27)).await;
    let denied = app.audit_count("authz.denied").await;
    let (status, _) = put(json!({"lesson_id": russian.id, "person_id": pupil, "value": "5"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("authz.denied").await, denied + 1);
    // A student of another class: the same.
    let stranger = app.store.group_members(1, other).await.unwrap()[0].id;
    let (status, _) =
        put(json!({"lesson_id": algebra.id, "person_id": stranger, "value": "5"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Before the lesson: no marks yet, but the topic and homework may be planned.
    let mut future = Date::constant(2026, 11, 30);
    let next = loop {
        if let Some(l) = lesson(app, "Алгебра", future).await {
            break l;
        }
        future = future.tomorrow().unwrap();
    };
    let (status, err) = put(json!({"lesson_id": next.id, "person_id": pupil, "value": "5"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"]["lesson_id"]
            .as_str()
            .unwrap()
            .contains("ещё не прошёл")
    );
    let (status, _) = call(
        app,
        &teacher,
        Method::PUT,
        &format!("/api/v1/journal/lessons/{}", next.id),
        json!({"topic": "Линейная функция", "homework": "№ 312, 315", "homework_due": next.date}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, err) = call(
        app,
        &teacher,
        Method::PUT,
        &format!("/api/v1/journal/lessons/{}", next.id),
        json!({"topic": "x", "homework_due": "2026-01-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["homework_due"].is_string());

    // After the edit window (7 days by default) the teacher can no longer change it.
    let old = lesson_before(app, "Алгебра", Date::constant(2026, 11, 18)).await;
    let (status, err) = put(json!({"lesson_id": old.id, "person_id": pupil, "value": "5"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"]["lesson_id"]
            .as_str()
            .unwrap()
            .contains("Срок исправлений истёк")
    );

    // Absences: ill, then cleared; the journal shows the first.
    let absence = |status: Value| json!({"lesson_id": algebra.id, "person_id": students[1].id, "status": status, "reason_code": "illness"});
    let (status, _) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/absences",
        absence(json!("absent")),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let got = app.api_get(&teacher, &path).await;
    assert!(
        got["absences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["person_id"] == students[1].id && a["reason"] == "illness")
    );
    let (status, _) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/absences",
        absence(json!("gone")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/absences",
        absence(Value::Null),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let history = app.store.lesson_history(1, algebra.id).await.unwrap();
    assert_eq!(history.iter().filter(|h| h.kind == "absence").count(), 2);

    // The history cannot be rewritten, not even by the database user.
    app.assert_append_only("journal_history", "new_value = '5'")
        .await;
}
on_both!(marks, marks_are_written_once_and_kept_forever);

async fn the_journal_page_saves_changed_cells(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let class = app.class_id("7Б").await;
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    // The lesson before it, still inside the 7-day window.
    let day: Date = algebra.date.parse().unwrap();
    let earlier = lesson_before(app, "Алгебра", day.yesterday().unwrap()).await;
    let journal = format!("{class}-{}", algebra.subject_id);
    let path = format!("/journal?journal={journal}");
    let html = app.page(&teacher, &path).await;
    assert!(html.contains("Классный журнал: 7Б · Алгебра"), "{html}");
    let students = app.store.group_members(1, class).await.unwrap();
    let (a, b) = (students[0].id, students[1].id);
    let cell = |lesson: i64, person: i64| format!("c-{lesson}-{person}");
    let was = |lesson: i64, person: i64| format!("o-{lesson}-{person}");
    assert!(
        html.contains(&format!("name=\"{}\"", cell(algebra.id, a))),
        "the lesson's cells are open"
    );
    // Two marks and an absence; a cell left as it was is not written.
    let fields = vec![
        ("journal".to_owned(), journal.clone()),
        (cell(algebra.id, a), "5".to_owned()),
        (was(algebra.id, a), String::new()),
        (cell(earlier.id, a), "4".to_owned()),
        (was(earlier.id, a), String::new()),
        (cell(algebra.id, b), "н".to_owned()),
        (was(algebra.id, b), String::new()),
        (cell(earlier.id, b), String::new()),
        (was(earlier.id, b), String::new()),
    ];
    let form = borrowed(&fields);
    let res = app.submit(&teacher, &path, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("saved=3")
    );
    assert_eq!(app.audit_count("journal.mark").await, 2);
    assert_eq!(app.audit_count("journal.absence").await, 1);
    // The average is explained; with two marks (the minimum is three) nothing is proposed.
    let html = app.page(&teacher, &path).await;
    assert!(html.contains("(5×1 + 4×1) / 2 = 4.50"), "{html}");
    assert!(html.contains("мало отметок"));
    // A bad value is refused in its cell, with what was typed kept; the rest is saved.
    let fields = [
        ("journal".to_owned(), journal.clone()),
        (cell(algebra.id, a), "7".to_owned()),
        (was(algebra.id, a), "5".to_owned()),
        (cell(algebra.id, b), String::new()),
        (was(algebra.id, b), "н".to_owned()),
    ];
    let form = borrowed(&fields);
    let res = app.submit(&teacher, &path, &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Это не отметка") && html.contains("value=\"7\""),
        "{html}"
    );
    assert!(
        html.contains("Сохранено ячеек: 1"),
        "the absence was cleared"
    );
    // A lesson out of the window cannot be changed from the page either.
    let old = lesson_before(app, "Алгебра", Date::constant(2026, 11, 18)).await;
    let fields = [
        ("journal".to_owned(), journal.clone()),
        (cell(old.id, a), "5".to_owned()),
        (was(old.id, a), String::new()),
    ];
    let form = borrowed(&fields);
    let res = app.submit(&teacher, &path, &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Срок исправлений истёк"));
    // Period marks: one typed (a bad one refused), then the proposals accepted for the rest.
    let html = app.page(&teacher, &path).await;
    let period = crate::helpers::hidden_value(&html, "period").unwrap();
    let fields = [
        ("journal".to_owned(), journal.clone()),
        ("period".to_owned(), period.clone()),
        (format!("p-{a}"), "4".to_owned()),
        (format!("q-{a}"), String::new()),
        (format!("p-{b}"), "отл".to_owned()),
        (format!("q-{b}"), String::new()),
    ];
    let form = borrowed(&fields);
    let res = app.submit(&teacher, &path, &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Это не отметка"));
    let period_id: i64 = period.parse().unwrap();
    let marks = app
        .store
        .period_marks(1, period_id, algebra.subject_id)
        .await
        .unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!((marks[0].person_id, marks[0].value.as_str()), (a, "4"));
    assert_eq!(
        marks[0].proposed.as_deref(),
        None,
        "two marks, fewer than the minimum of three: nothing was proposed, and that is kept"
    );
    let fields = [
        ("journal".to_owned(), journal.clone()),
        ("period".to_owned(), period.clone()),
        ("op".to_owned(), "accept".to_owned()),
    ];
    let form = borrowed(&fields);
    let res = app.submit(&teacher, &path, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let marks = app
        .store
        .period_marks(1, period_id, algebra.subject_id)
        .await
        .unwrap();
    assert_eq!(
        marks.iter().find(|m| m.person_id == a).unwrap().value,
        "4",
        "a set mark stays"
    );
    assert!(
        marks.iter().all(|m| m.value != "н/а"),
        "н/а is never set for the teacher"
    );
    assert!(app.audit_count("journal.period_mark").await >= 1);
    // The class teacher sees the journal of their class, read-only.
    let class_teacher = app.signed_in("classteacher").await;
    let html = app.page(&class_teacher, &path).await;
    assert!(html.contains("4.50") && !html.contains(&format!("name=\"{}\"", cell(algebra.id, a))));
    assert!(!html.contains(&format!("name=\"p-{a}\"")));
    // The teacher opens it again with nothing written between: the table is kept per set
    // of cells the viewer may change, so theirs are still open and the class teacher's not.
    let html = app.page(&teacher, &path).await;
    assert!(html.contains(&format!("name=\"{}\"", cell(algebra.id, a))));
    assert!(html.contains(&format!("name=\"p-{a}\"")));
    let html = app.page(&class_teacher, &path).await;
    assert!(!html.contains(&format!("name=\"{}\"", cell(algebra.id, a))));
}
on_both!(page, the_journal_page_saves_changed_cells);

async fn a_lesson_holds_its_topic_works_and_history(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let class = app.class_id("7Б").await;
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let path = format!("/journal/lesson?id={}", algebra.id);
    let html = app.page(&teacher, &path).await;
    assert!(
        html.contains("7Б · Алгебра") && html.contains("На уроке пока нет работ"),
        "{html}"
    );
    let id = algebra.id.to_string();
    let res = app
        .submit(
            &teacher,
            &path,
            &[
                ("id", &id),
                ("op", "text"),
                ("topic", "Графики <функций>"),
                ("homework", "№ 301"),
                ("due", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let test_type = app
        .store
        .work_types(1)
        .await
        .unwrap()
        .into_iter()
        .find(|w| w.name == "Контрольная работа")
        .unwrap();
    let res = app
        .submit(
            &teacher,
            &path,
            &[
                ("id", &id),
                ("op", "add_work"),
                ("work_type", &test_type.id.to_string()),
                ("kind", "lesson"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let journal = app
        .store
        .journal(1, class, algebra.subject_id, &algebra.date, &algebra.date)
        .await
        .unwrap();
    let work = journal
        .works
        .iter()
        .find(|w| w.work_type_id == test_type.id)
        .unwrap()
        .id;
    let students = app.store.group_members(1, class).await.unwrap();
    let cell = |p: i64| format!("w-{work}-{p}");
    let was = |p: i64| format!("o-{work}-{p}");
    let fields = [
        (cell(students[0].id), "5".to_owned()),
        (was(students[0].id), String::new()),
        (cell(students[1].id), "x".to_owned()),
        (was(students[1].id), String::new()),
    ];
    let mut form: Vec<(&str, &str)> = vec![("id", &id), ("op", "marks")];
    form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let res = app.submit(&teacher, &path, &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Это не отметка") && html.contains("value=\"x\""));
    // The page shows the topic escaped, the work with its weight, the history.
    let html = app.page(&teacher, &path).await;
    assert!(
        html.contains("Графики &#60;функций&#62;") || html.contains("Графики &lt;функций&gt;"),
        "{html}"
    );
    assert!(html.contains("Контрольная работа (×3)"));
    assert!(
        html.contains("— → 5") && html.contains("тема и задание"),
        "{html}"
    );
    // The journal's average weighs the test: (5×3) / 3.
    let grid = app
        .page(
            &teacher,
            &format!("/journal?journal={class}-{}", algebra.subject_id),
        )
        .await;
    assert!(grid.contains("(5×3) / 3 = 5.00"), "{grid}");
    // The class teacher reads the lesson and its history but cannot change it.
    let class_teacher = app.signed_in("classteacher").await;
    let html = app.page(&class_teacher, &path).await;
    assert!(html.contains("— → 5") && !html.contains("name=\"op\" value=\"marks\""));
    let res = class_teacher
        .get(app.at("/journal/lesson?id=99999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
on_both!(lesson_page, a_lesson_holds_its_topic_works_and_history);

async fn a_cell_is_saved_as_it_is_typed(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let class = app.class_id("7Б").await;
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let path = format!("/journal?journal={class}-{}", algebra.subject_id);
    let html = app.page(&teacher, &path).await;
    assert!(html.contains("data-autosave") && html.contains("/static/journal.js"));
    let csrf = crate::helpers::hidden_value(&html, "csrf").unwrap();
    let pupil = app.store.group_members(1, class).await.unwrap()[2].id;
    let cell = format!("c-{}-{pupil}", algebra.id);
    let post = |value: &str, was: &str, key: &str| {
        let form = [
            ("csrf", csrf.as_str()),
            ("school", "1"),
            ("cell", cell.as_str()),
            ("value", value),
            ("was", was),
            ("key", key),
        ];
        let req = teacher.post(app.at("/journal/cell")).form(&form);
        async move { req.send().await.unwrap() }
    };
    let res = post("5", "", "cell-key-1").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["value"], "5");
    // The same request again (the answer was lost): nothing new is written.
    let res = post("5", "", "cell-key-1").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.audit_count("journal.mark").await, 1);
    // Someone who still sees an empty cell cannot overwrite the 5 unknowingly.
    let res = post("3", "", "cell-key-2").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("другой пользователь"),
        "{body}"
    );
    assert_eq!(app.audit_count("journal.mark").await, 1);
    // Undo: back to empty from what is there.
    let res = post("", "5", "cell-key-3").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["value"], "");
    // Without the CSRF token nothing happens.
    let res = teacher
        .post(app.at("/journal/cell"))
        .form(&[("school", "1"), ("cell", cell.as_str()), ("value", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The script itself is served, as JavaScript, from this origin.
    let res = app
        .client()
        .get(app.at("/static/journal.js"))
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}
on_both!(autosave, a_cell_is_saved_as_it_is_typed);

async fn the_school_sets_its_grading_rules(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/grading").await;
    assert!(
        html.contains("value=\"4.65\"") && html.contains("value=\"7\""),
        "{html}"
    );
    let mut fields = vec![
        ("method", "weighted"),
        ("five", "4.5"),
        ("four", "4.70"),
        ("three", "2.5"),
        ("min_marks", "3"),
        ("window", "30"),
        ("with_signs", "1"),
    ];
    let res = app.submit(&deputy, "/setup/grading", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"four-error\""));
    fields[2].1 = "3.5";
    let res = app.submit(&deputy, "/setup/grading", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.audit_count("setup.grading").await, 1);
    let settings = app.store.grading_settings(1).await.unwrap();
    assert_eq!(settings.edit_window_days, 30);
    assert_eq!(settings.rules.bounds, vec![(5, 450), (4, 350), (3, 250)]);
    // The teacher now may correct a lesson three weeks old, and give «4+».
    let teacher = app.token("teacher").await;
    let old = lesson_before(app, "Алгебра", Date::constant(2026, 11, 9)).await;
    let class = app.class_id("7Б").await;
    let pupil = app.store.group_members(1, class).await.unwrap()[0].id;
    let (status, body) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/marks",
        json!({"lesson_id": old.id, "person_id": pupil, "value": "4+"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The rules through the API: read by a teacher, changed by the deputy, checked alike.
    let rules = app.api_get(&teacher, "/api/v1/schools/1/grading").await;
    assert!(
        rules["method"].is_string()
            && rules["five"].as_f64().unwrap() > rules["four"].as_f64().unwrap(),
        "{rules}"
    );
    let deputy = app.token("deputy").await;
    let mut changed = rules.clone();
    changed["four"] = json!(4.9);
    let (status, err) = call(
        app,
        &deputy,
        Method::PUT,
        "/api/v1/schools/1/grading",
        changed.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["four"].is_string(), "{err}");
    changed["four"] = rules["four"].clone();
    changed["edit_window_days"] = json!(10);
    let (status, _) = call(
        app,
        &deputy,
        Method::PUT,
        "/api/v1/schools/1/grading",
        changed.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.api_get(&teacher, "/api/v1/schools/1/grading").await["edit_window_days"],
        10
    );
    let (status, _) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/schools/1/grading",
        changed,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Teachers do not change the rules.
    let teacher_web = app.signed_in("teacher").await;
    let res = teacher_web
        .get(app.at("/setup/grading"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
on_both!(grading, the_school_sets_its_grading_rules);

async fn the_deputy_corrects_with_a_reason(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let old = lesson_before(app, "Алгебра", Date::constant(2026, 11, 12)).await;
    let pupil = app.store.group_members(1, class).await.unwrap()[3].id;
    let deputy = app.signed_in("deputy").await;
    let path = format!("/journal/lesson?id={}", old.id);
    let html = app.page(&deputy, &path).await;
    assert!(html.contains("Исправление отметки"), "{html}");
    let (id, person) = (old.id.to_string(), pupil.to_string());
    let form = [
        ("id", id.as_str()),
        ("person", person.as_str()),
        ("work", ""),
        ("value", "4"),
    ];
    let page = app.page(&deputy, &path).await;
    let csrf = crate::helpers::hidden_value(&page, "csrf").unwrap();
    let post = |reason: &str| {
        let mut f = vec![("csrf", csrf.as_str()), ("school", "1")];
        f.extend(form);
        f.push(("reason", reason));
        let req = deputy.post(app.at("/journal/correction")).form(&f);
        async move { req.send().await.unwrap() }
    };
    let res = post("  ").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Укажите причину"));
    let res = post("заявление учителя от 27.11").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let history = app.store.lesson_history(1, old.id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.new_value.as_deref(), last.reason.as_str()),
        (Some("4"), "заявление учителя от 27.11")
    );
    assert!(
        app.page(&deputy, &path)
            .await
            .contains("заявление учителя от 27.11")
    );
    // Through the API: the corrections route, with a reason; teachers may not use it.
    let token = app.token("deputy").await;
    let body =
        json!({"lesson_id": old.id, "person_id": pupil, "value": "5", "reason": "апелляция"});
    let (status, out) = call(
        app,
        &token,
        Method::PUT,
        "/api/v1/journal/corrections",
        body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["old_value"], "4");
    let teacher = app.token("teacher").await;
    let (status, _) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/corrections",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("journal.correction").await, 1);
}
on_both!(correction, the_deputy_corrects_with_a_reason);

async fn a_closed_period_locks_its_marks(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let pupil = app.store.group_members(1, class).await.unwrap()[0].id;
    let period = app
        .store
        .periods(1, 2026)
        .await
        .unwrap()
        .into_iter()
        .find(|p| {
            p.scheme == "quarters" && p.start_date <= algebra.date && algebra.date <= p.end_date
        })
        .unwrap();
    let deputy = app.signed_in("deputy").await;
    let period_s = period.id.to_string();
    let res = app
        .submit(
            &deputy,
            "/setup/periods",
            &[("year", "2026"), ("op", "close"), ("period", &period_s)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.audit_count("journal.period_close").await, 1);
    let teacher = app.token("teacher").await;
    let body = json!({"lesson_id": algebra.id, "person_id": pupil, "value": "5"});
    let (status, err) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/marks",
        body.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"]["lesson_id"]
            .as_str()
            .unwrap()
            .contains("Период закрыт"),
        "{err}"
    );
    let web = app.signed_in("teacher").await;
    let html = app
        .page(
            &web,
            &format!(
                "/journal?journal={class}-{}&period={}",
                algebra.subject_id, period.id
            ),
        )
        .await;
    assert!(
        html.contains("Период закрыт") && !html.contains("data-autosave"),
        "{html}"
    );
    // The deputy still corrects, with a reason; then reopens, and the teacher may again.
    let deputy_token = app.token("deputy").await;
    let mut fix = body.clone();
    fix["reason"] = "ошибка при переносе".into();
    let (status, _) = call(
        app,
        &deputy_token,
        Method::PUT,
        "/api/v1/journal/corrections",
        fix,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let res = app
        .submit(
            &deputy,
            "/setup/periods",
            &[("year", "2026"), ("op", "reopen"), ("period", &period_s)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut again = body;
    again["value"] = "4".into();
    let (status, _) = call(app, &teacher, Method::PUT, "/api/v1/journal/marks", again).await;
    assert_eq!(status, StatusCode::OK);
    // The same through the API: everyone of the school reads the periods; the deputy closes
    // and reopens; a teacher may not.
    let parent = app.token("parent").await;
    let periods = app.api_get(&parent, "/api/v1/schools/1/periods").await;
    assert_eq!(periods["study_year"], 2026);
    let listed = periods["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == period.id)
        .unwrap();
    assert_eq!(listed["closed"], false);
    assert!(
        periods["grades"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["grade"] == 7 && g["scheme"] == "quarters")
    );
    let close = format!("/api/v1/schools/1/periods/{}/close", period.id);
    let (status, _) = call(app, &teacher, Method::POST, &close, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(app, &deputy_token, Method::POST, &close, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let periods = app.api_get(&parent, "/api/v1/schools/1/periods").await;
    let listed = periods["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == period.id)
        .unwrap();
    assert_eq!(listed["closed"], true);
    let reopen = format!("/api/v1/schools/1/periods/{}/reopen", period.id);
    let (status, _) = call(app, &deputy_token, Method::POST, &reopen, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(
        app,
        &deputy_token,
        Method::POST,
        "/api/v1/schools/1/periods/999999/close",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both!(closed_period, a_closed_period_locks_its_marks);

async fn homework_files_are_checked_and_kept(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let path = format!("/journal/lesson?id={}", algebra.id);
    let csrf = crate::helpers::hidden_value(&app.page(&teacher, &path).await, "csrf").unwrap();
    let id = algebra.id.to_string();
    let upload = |csrf: &str, name: &str, data: &[u8]| {
        let (content_type, body) = multipart(
            &[("csrf", csrf), ("school", "1"), ("id", &id)],
            (name, data),
        );
        let req = teacher
            .post(app.at("/journal/lesson/file"))
            .header("content-type", content_type)
            .body(body);
        async move { req.send().await.unwrap() }
    };
    let res = upload(&csrf, "Задание №5.pdf", b"%PDF-1.4 homework").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&teacher, &path).await;
    assert!(html.contains("Задание №5.pdf"), "{html}");
    let file = app.store.lesson_files(1, algebra.id).await.unwrap()[0].id;
    let res = teacher
        .get(app.at(&format!("/journal/file?id={file}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("UTF-8''%D0%97"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.4 homework");
    // A page pretending to be a PDF, a program, no token: refused.
    let res = upload(&csrf, "task.pdf", b"<html><script>alert(1)</script>").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("не соответствует"));
    let res = upload(&csrf, "run.exe", b"MZ...").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = upload("forged", "task.pdf", b"%PDF-1.4").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.lesson_files(1, algebra.id).await.unwrap().len(),
        1
    );
    // Parents do not read the journal's files here (the diary will show them).
    let parent = app.signed_in("parent").await;
    let res = parent
        .get(app.at(&format!("/journal/file?id={file}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // …they download it through the API, for the child whose lesson it is.
    let token = app.token("parent").await;
    let student = app.person("student").await;
    let res = app
        .client()
        .get(app.at(&format!("/api/v1/diary/files/{file}?child={student}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.4 homework");
    let sister = app.sibling().await;
    let res = app
        .client()
        .get(app.at(&format!("/api/v1/diary/files/{file}?child={sister}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Removed, and the history says so.
    let file_s = file.to_string();
    let res = app
        .submit(
            &teacher,
            &path,
            &[("id", &id), ("op", "delete_file"), ("file", &file_s)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        app.store
            .lesson_files(1, algebra.id)
            .await
            .unwrap()
            .is_empty()
    );
    let history = app.store.lesson_history(1, algebra.id).await.unwrap();
    assert_eq!(history.len(), 2, "attached, then removed");
}
on_both!(files, homework_files_are_checked_and_kept);

async fn the_class_teacher_checks_the_class_journal(app: &TestApp) {
    let class = app.class_id("7Б").await;
    // A mark entered three weeks after its lesson (by a correction) counts as late.
    let old = lesson_before(app, "Алгебра", Date::constant(2026, 11, 12)).await;
    let pupil = app.store.group_members(1, class).await.unwrap()[0].id;
    let deputy_token = app.token("deputy").await;
    let body =
        json!({"lesson_id": old.id, "person_id": pupil, "value": "5", "reason": "поздно внесено"});
    let (status, _) = call(
        app,
        &deputy_token,
        Method::PUT,
        "/api/v1/journal/corrections",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let class_teacher = app.signed_in("classteacher").await;
    let html = app.page(&class_teacher, "/journal/class").await;
    assert!(html.contains("Проверка журнала класса 7Б"), "{html}");
    assert!(html.contains("7Б · Алгебра") && html.contains("проверок не было"));
    let row = html
        .split("7Б · Алгебра")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        row.contains("<strong class=\"warning-inline\">1</strong>"),
        "one late mark: {row}"
    );
    let class_s = class.to_string();
    let res = app
        .submit(
            &class_teacher,
            "/journal/class",
            &[("class", &class_s), ("comment", "Темы заполнены не везде")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&class_teacher, "/journal/class").await;
    assert!(html.contains("Темы заполнены не везде") && !html.contains("проверок не было"));
    assert_eq!(app.audit_count("journal.class_check").await, 1);
    // The deputy reads it but the check is the class teacher's.
    let deputy = app.signed_in("deputy").await;
    let html = app
        .page(&deputy, &format!("/journal/class?class={class}"))
        .await;
    assert!(html.contains("Темы заполнены не везде") && !html.contains("Отметить проверку"));
    // An absence the teacher marked: the class teacher gives its reason from a parent's note.
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let teacher = app.token("teacher").await;
    let body = json!({"lesson_id": algebra.id, "person_id": pupil, "status": "absent"});
    let (status, _) = call(app, &teacher, Method::PUT, "/api/v1/journal/absences", body).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let html = app.page(&class_teacher, "/journal/class").await;
    assert!(html.contains("отсутствовал (н)"), "{html}");
    let field = format!("r-{}-{pupil}", algebra.id);
    let res = app
        .submit(
            &class_teacher,
            "/journal/class",
            &[("class", &class_s), ("op", "reasons"), (&field, "illness")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let j = app
        .store
        .journal(1, class, algebra.subject_id, &algebra.date, &algebra.date)
        .await
        .unwrap();
    assert_eq!(j.absences[0].reason, "illness");
    assert_eq!(app.audit_count("journal.absence_reason").await, 1);
    // Through the API: the class teacher changes it to excused; an unknown reason and another
    // class's absence are refused.
    let token = app.token("classteacher").await;
    let reason = |reason: &str, lesson: i64| json!({"lesson_id": lesson, "person_id": pupil, "reason": reason});
    let path = "/api/v1/journal/absence-reasons";
    let (status, _) = call(
        app,
        &token,
        Method::PUT,
        path,
        reason("excused", algebra.id),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let j = app
        .store
        .journal(1, class, algebra.subject_id, &algebra.date, &algebra.date)
        .await
        .unwrap();
    assert_eq!(j.absences[0].reason, "excused");
    let (status, _) = call(
        app,
        &token,
        Method::PUT,
        path,
        reason("holiday", algebra.id),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(app, &token, Method::PUT, path, reason("illness", 999_999)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The same through the API: the keeping of each journal and the checks; a check by the
    // class teacher, refused to the deputy (who reads only).
    let token = app.token("classteacher").await;
    let report = app.api_get(&token, "/api/v1/journal/class-check").await;
    assert_eq!(report["class_id"], class);
    assert_eq!(report["can_check"], true);
    assert!(
        report["journals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["late"] == 1),
        "{report}"
    );
    assert_eq!(report["checks"][0]["comment"], "Темы заполнены не везде");
    let (status, err) = call(
        app,
        &token,
        Method::POST,
        "/api/v1/journal/class-check",
        json!({"class_id": class, "comment": "ж".repeat(1001)}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["comment"].is_string());
    let (status, _) = call(
        app,
        &token,
        Method::POST,
        "/api/v1/journal/class-check",
        json!({"class_id": class, "comment": "Всё заполнено"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(app.audit_count("journal.class_check").await, 2);
    let deputy_token = app.token("deputy").await;
    let (status, _) = call(
        app,
        &deputy_token,
        Method::POST,
        "/api/v1/journal/class-check",
        json!({"class_id": class}),
    )
    .await;
    assert!(
        matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{status}"
    );
    // Another class's teacher cannot open 7Б's.
    let other = app.class_id("5А").await;
    let res = class_teacher
        .get(app.at(&format!("/journal/class?class={other}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
on_both!(class_check, the_class_teacher_checks_the_class_journal);

async fn the_teacher_sees_what_is_missing(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let html = app.page(&teacher, "/journal/mine").await;
    assert!(
        html.contains("Мои уроки") && html.contains("Сегодня уроков нет"),
        "{html}"
    );
    let algebra = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let href = format!("id={}\"", algebra.id);
    assert!(
        html.contains(&href),
        "a lesson of the window without a topic is listed"
    );
    assert!(html.contains("Мало отметок") && html.contains("7Б · Алгебра"));
    let token = app.token("teacher").await;
    let (status, _) = call(
        app,
        &token,
        Method::PUT,
        &format!("/api/v1/journal/lessons/{}", algebra.id),
        json!({"topic": "Системы уравнений"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let html = app.page(&teacher, "/journal/mine").await;
    assert!(!html.contains(&href), "filled, no longer listed");
}
on_both!(mine, the_teacher_sees_what_is_missing);

/// The year's lessons of 7Б in algebra, not cancelled, in order.
async fn algebra_year(app: &TestApp) -> (i64, i64, Vec<zhurnal_store::JournalLesson>) {
    let l = lesson_before(app, "Алгебра", Date::constant(2026, 11, 27)).await;
    let lessons = app
        .store
        .journal(1, l.group_id, l.subject_id, "0000-01-01", "9999-12-31")
        .await
        .unwrap()
        .lessons
        .into_iter()
        .filter(|l| l.status != "cancelled")
        .collect();
    (l.group_id, l.subject_id, lessons)
}

async fn topic_plans_fill_lessons_in_order(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let (group, subject, year) = algebra_year(app).await;
    let journal = format!("{group}-{subject}");
    let path = format!("/journal/plan?journal={journal}");
    // The second lesson's topic the teacher wrote herself, before any plan.
    app.store
        .write_lesson_text(
            1,
            year[1].id,
            "Своя тема",
            "",
            None,
            &zhurnal_store::AuditEntry {
                outcome: "success".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let html = app.page(&teacher, &path).await;
    assert!(html.contains("План ещё не загружен"), "{html}");
    let csrf = crate::helpers::hidden_value(&html, "csrf").unwrap();
    let upload = |client: &reqwest::Client, csrf: &str, name: &str, data: &[u8]| {
        let (content_type, body) = multipart(
            &[("csrf", csrf), ("school", "1"), ("journal", &journal)],
            (name, data),
        );
        let req = client
            .post(app.at("/journal/plan"))
            .header("content-type", content_type)
            .body(body);
        async move { req.send().await.unwrap() }
    };
    // A plan with a mistake is refused whole, each problem named with its line.
    let res = upload(
        &teacher,
        &csrf,
        "ктп.csv",
        "№;Тема;Часы\n1;Дроби;два\n3;Степени;1\n2;Корни;1\n".as_bytes(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Строка 2: число часов должно быть от 1 до 10, а не «два»"),
        "{html}"
    );
    assert!(
        html.contains("Строка 4: номера уроков должны идти по порядку"),
        "{html}"
    );
    assert!(
        app.store
            .topic_plan(1, group, subject)
            .await
            .unwrap()
            .is_empty()
    );
    // The teacher's spreadsheet as Excel saves it: a workbook with a header row.
    let book = include_bytes!("../fixtures/plan_algebra_7.xlsx");
    let res = upload(&teacher, &csrf, "КТП алгебра 7.xlsx", book).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let html = app.page(&teacher, &to).await;
    assert!(
        html.contains("Загружено тем: 3; заполнено тем уроков: 3."),
        "{html}"
    );
    assert!(html.contains("Одночлены &#38; многочлены"), "{html}");
    let (_, _, after) = algebra_year(app).await;
    assert_eq!(after[0].topic, "Повторение: действия с дробями");
    assert_eq!(after[0].homework, "№ 1–10");
    assert_eq!(
        after[1].topic, "Своя тема",
        "a topic the teacher wrote stays"
    );
    // «Степень…» takes two lessons: the second of them is lesson 3; its homework goes last.
    assert_eq!(after[2].topic, "Степень с натуральным показателем");
    assert_eq!(after[2].homework, "§ 18, № 403");
    assert_eq!(after[3].topic, "Одночлены & многочлены");
    assert_eq!(
        after[4].topic, year[4].topic,
        "beyond the plan nothing changes"
    );
    let history = app.store.lesson_history(1, after[0].id).await.unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.kind == "lesson" && h.reason == "КТП")
    );
    // A CSV from Russian Excel (Windows-1251) replaces the plan; filled topics stay.
    let cp1251: Vec<u8> = vec![
        0xB9, b';', 0xD2, 0xE5, 0xEC, 0xE0, b'\n', b'1', b';', 0xC4, 0xF0, 0xEE, 0xE1, 0xE8, b'\n',
    ];
    let res = upload(&teacher, &csrf, "ктп.csv", &cp1251).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let plan = app.store.topic_plan(1, group, subject).await.unwrap();
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].topic, "Дроби");
    // Only the journal's teacher loads a plan; the class teacher and the deputy read it.
    let deputy = app.signed_in("deputy").await;
    assert!(app.page(&deputy, &path).await.contains("Дроби"));
    let deputy_csrf = app.csrf(&deputy).await;
    let res = upload(&deputy, &deputy_csrf, "ктп.csv", b"1;X\n").await;
    assert!(
        res.status() == StatusCode::NOT_FOUND || res.status() == StatusCode::FORBIDDEN,
        "{}",
        res.status()
    );
    let parent = app.signed_in("parent").await;
    let res = parent.get(app.at(&path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.topic_plan(1, group, subject).await.unwrap()[0].topic,
        "Дроби"
    );
}

on_both!(plans, topic_plans_fill_lessons_in_order);

/// The demo's journal up to today: marks, absences, homework and topics as a real school's,
/// nothing in the future, and the first quarter's marks confirmed.
async fn the_demo_journal_is_filled_up_to_today(app: &TestApp) {
    let (group, subject, year) = algebra_year(app).await;
    let today = "2026-11-28";
    let past: Vec<_> = year.iter().filter(|l| l.date.as_str() < today).collect();
    assert!(
        past.iter().all(|l| !l.topic.is_empty()),
        "every lesson given has its topic"
    );
    assert_eq!(past[0].topic, "Повторение курса математики 5–6 классов");
    assert!(past.iter().filter(|l| !l.homework.is_empty()).count() > past.len() / 2);
    let future = app
        .store
        .journal(1, group, subject, today, "9999-12-31")
        .await
        .unwrap();
    assert!(
        future.marks.is_empty() && future.absences.is_empty(),
        "nothing after today"
    );
    assert!(
        future.lessons.iter().all(|l| !l.topic.is_empty()),
        "the plan covers the year"
    );
    let j = app
        .store
        .journal(1, group, subject, "2026-09-01", today)
        .await
        .unwrap();
    let students = app.store.group_members(1, group).await.unwrap().len();
    let per_student = j.marks.len() as f64 / students as f64;
    assert!(
        (8.0..40.0).contains(&per_student),
        "{per_student} marks a student since September"
    );
    assert!(!j.absences.is_empty());
    // The teacher's grid of the current quarter: marks, averages with their computation.
    let teacher = app.signed_in("teacher").await;
    let html = app
        .page(&teacher, &format!("/journal?journal={group}-{subject}"))
        .await;
    assert!(html.contains("II четверть"), "{html}");
    assert!(html.contains(" = "), "an explained average: {html}");
    // The first quarter is over: its marks were confirmed by the teacher.
    let periods = app.store.periods(1, 2026).await.unwrap();
    let q1 = periods
        .iter()
        .find(|p| p.name == "I четверть" && p.scheme == "quarters")
        .unwrap();
    let marks = app.store.period_marks(1, q1.id, subject).await.unwrap();
    assert!(marks.len() >= students, "{} of {students}", marks.len());
    // Filled on the lesson's day: the class teacher's check finds no late marks.
    let class = app.class_id("7Б").await;
    assert!(
        app.store
            .late_marks(1, class, "2026-09-01", today)
            .await
            .unwrap()
            .iter()
            .all(|(_, _, date, at)| {
                let day: jiff::civil::Date = date.parse().unwrap();
                let lesson_ms = day
                    .at(0, 0, 0, 0)
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .unwrap()
                    .timestamp()
                    .as_millisecond();
                *at - lesson_ms < 2 * 86_400_000
            })
    );
}

on_both!(
    demo_journal,
    the_demo_journal_is_filled_up_to_today,
    spawn_filled
);

/// Year marks: proposed from the period marks, set from the last period on, with history;
/// the 9th grade has its exam and final columns (Приказ 546).
async fn year_marks_follow_the_periods(app: &TestApp) {
    let teacher = app.signed_in("teacher").await;
    let (group, subject, _) = algebra_year(app).await;
    let path = format!("/journal/year?journal={group}-{subject}");
    let html = app.page(&teacher, &path).await;
    assert!(
        html.contains("Годовые отметки выставляются с начала последнего периода"),
        "{html}"
    );
    assert!(
        !html.contains("name=\"y-"),
        "no fields before the last period: {html}"
    );
    let pupil = app.store.group_members(1, group).await.unwrap()[0].id;
    let periods: Vec<_> = app
        .store
        .periods(1, 2026)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.scheme == "quarters")
        .collect();
    assert_eq!(periods.len(), 4);
    let audit = zhurnal_store::AuditEntry {
        outcome: "success".into(),
        ..Default::default()
    };
    for (p, v) in periods.iter().zip(["3", "3", "4", "4"]) {
        let w = zhurnal_store::PeriodMarkWrite {
            period_id: p.id,
            subject_id: subject,
            person_id: pupil,
            value: Some(v),
            proposed: None,
            average_hundredths: None,
            reason: "",
        };
        app.store.write_period_mark(1, &w, &audit).await.unwrap();
    }
    // Through the API too: shown, locked with the reason, not writable yet.
    let token = app.token("teacher").await;
    let query = format!("/api/v1/journal/year-marks?group_id={group}&subject_id={subject}");
    let sheet = app.api_get(&token, &query).await;
    assert_eq!(sheet["editable"], false);
    assert!(!sheet["locked"].as_str().unwrap().is_empty());
    assert_eq!(sheet["periods"].as_array().unwrap().len(), 4);
    let put = |token: String, body: Value| async move {
        call(app, &token, Method::PUT, "/api/v1/journal/year-marks", body).await
    };
    let (status, _) = put(
        token.clone(),
        json!({"group_id": group, "subject_id": subject, "marks": [{"person_id": pupil, "kind": "year", "value": "4"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Spring: the fourth quarter has begun.
    app.clock.advance_secs(135 * 86_400);
    // Sessions do not outlive a season: sign in again.
    let teacher = app.signed_in("teacher").await;
    let html = app.page(&teacher, &path).await;
    assert!(
        html.contains("предложение: 4"),
        "3, 3, 4, 4 → 4 in the student's favour: {html}"
    );
    let csrf = crate::helpers::hidden_value(&html, "csrf").unwrap();
    let journal = format!("{group}-{subject}");
    let res = teacher
        .post(app.at("/journal/year"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("school", "1"),
            ("journal", &journal),
            ("op", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let marks = app.store.year_marks(1, 2026, subject).await.unwrap();
    let mine = marks
        .iter()
        .find(|m| m.person_id == pupil && m.kind == "year")
        .unwrap();
    assert_eq!(mine.value, "4");
    assert_eq!(mine.proposed.as_deref(), Some("4"));
    // A typed mark off the scale is refused next to its field; the accepted one stays.
    let other = app.store.group_members(1, group).await.unwrap()[1].id;
    let name = format!("y-{other}");
    let old = format!("oy-{other}");
    let res = teacher
        .post(app.at("/journal/year"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("school", "1"),
            ("journal", &journal),
            (&name, "7"),
            (&old, ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"ey-"),
        "{html}"
    );
    // The API in spring: the proposal and the set mark; a value off the scale refuses the
    // request; an exam in the 7th grade is no kind of mark there.
    let token = app.token("teacher").await;
    let sheet = app.api_get(&token, &query).await;
    assert_eq!(sheet["editable"], true);
    let row = sheet["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["person_id"] == pupil)
        .unwrap();
    assert_eq!(row["year"]["value"], "4");
    assert_eq!(row["year"]["proposed"], "4");
    assert_eq!(row["periods"], json!(["3", "3", "4", "4"]));
    assert!(row["exam"].is_null());
    let (status, err) = put(
        token.clone(),
        json!({"group_id": group, "subject_id": subject, "marks": [{"person_id": other, "kind": "year", "value": "7"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"][format!("person_id:{other}:year").as_str()].is_string(),
        "{err}"
    );
    let (status, _) = put(
        token.clone(),
        json!({"group_id": group, "subject_id": subject, "marks": [{"person_id": other, "kind": "exam", "value": "5"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, saved) = put(
        token.clone(),
        json!({"group_id": group, "subject_id": subject, "marks": [{"person_id": other, "kind": "year", "value": "5"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["saved"], 1);
    // Kept in the history with its kind.
    let history: Vec<(String, Option<String>)> = app
        .store
        .person_history(1, pupil)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.kind, h.new_value))
        .collect();
    assert!(
        history.contains(&("year_mark".into(), Some("year: 4".into()))),
        "{history:?}"
    );
    // The 9th grade: exam and final columns.
    let load = app.store.teaching_load(1).await.unwrap();
    let nine = load
        .iter()
        .find(|l| l.group_name == "9А" && l.subject_name == "Алгебра")
        .unwrap();
    let deputy = app.signed_in("deputy").await;
    let html = app
        .page(
            &deputy,
            &format!(
                "/journal/year?journal={}-{}",
                nine.group_id, nine.subject_id
            ),
        )
        .await;
    assert!(
        html.contains(">Экзамен<") && html.contains(">Итоговая<"),
        "{html}"
    );
    assert!(
        !html.contains("name=\"y-"),
        "the deputy reads, the teacher writes: {html}"
    );
    // Algebra is an exam subject for every 9th-grader: the final mark waits for the exam,
    // follows a passed one, and a failed one blocks it, saying why.
    let pupil = app.store.group_members(1, nine.group_id).await.unwrap()[0].id;
    let set = |kind: &'static str, value: &'static str| {
        let write = zhurnal_store::YearMarkWrite {
            study_year: 2026,
            subject_id: nine.subject_id,
            person_id: pupil,
            kind,
            value: Some(value),
            proposed: None,
            reason: "",
        };
        let audit = zhurnal_store::AuditEntry {
            outcome: "success".into(),
            ..Default::default()
        };
        async move { app.store.write_year_mark(1, &write, &audit).await.unwrap() }
    };
    let year_page = format!(
        "/journal/year?journal={}-{}",
        nine.group_id, nine.subject_id
    );
    set("year", "4").await;
    let html = app.page(&deputy, &year_page).await;
    assert!(
        html.contains("итоговая — после отметки за экзамен"),
        "{html}"
    );
    set("exam", "5").await;
    let html = app.page(&deputy, &year_page).await;
    assert!(
        html.contains("предложение: 5"),
        "(4 + 5) / 2 = 4.5 → 5: {html}"
    );
    set("exam", "2").await;
    let html = app.page(&deputy, &year_page).await;
    assert!(html.contains("экзамен не сдан"), "{html}");
}

on_both!(year_marks, year_marks_follow_the_periods);

async fn period_marks_are_proposed_and_set_through_the_api(app: &TestApp) {
    let algebra = app.algebra_lesson().await;
    let teacher = app.token("teacher").await;
    let period = app
        .store
        .periods(1, 2026)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "II четверть" && p.scheme == "quarters")
        .unwrap();
    let query = format!(
        "/api/v1/journal/period-marks?group_id={}&subject_id={}&period_id={}",
        algebra.group_id, algebra.subject_id, period.id
    );
    let sheet = app.api_get(&teacher, &query).await;
    assert_eq!(sheet["period"], "II четверть");
    assert_eq!(sheet["closed"], false);
    let students = sheet["students"].as_array().unwrap();
    assert!(students.len() > 20, "{sheet}");
    let with_marks = students
        .iter()
        .find(|s| s["marks"].as_u64().unwrap() >= 3)
        .unwrap_or_else(|| panic!("{sheet}"));
    assert!(with_marks["explanation"].as_str().unwrap().contains(" = "));
    assert!(!with_marks["proposed"].as_str().unwrap().is_empty());
    assert!(with_marks["value"].is_null());
    let person = with_marks["person_id"].as_i64().unwrap();

    // A value off the scale refuses the whole request, with the student named.
    let body = json!({"group_id": algebra.group_id, "subject_id": algebra.subject_id, "period_id": period.id,
        "marks": [{"person_id": person, "value": "5"}, {"person_id": students[0]["person_id"], "value": "7"}]});
    let (status, err) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/period-marks",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let field = format!("person_id:{}", students[0]["person_id"]);
    assert!(err["error"]["fields"][field.as_str()].is_string(), "{err}");
    assert!(
        app.api_get(&teacher, &query).await["students"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["value"].is_null())
    );
    // One set by hand, then the rest accepted as proposed.
    let before = app.audit_count("journal.period_mark").await;
    let body = json!({"group_id": algebra.group_id, "subject_id": algebra.subject_id, "period_id": period.id,
        "marks": [{"person_id": person, "value": "5"}]});
    let (status, saved) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/period-marks",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["saved"], 1);
    assert_eq!(app.audit_count("journal.period_mark").await, before + 1);
    let body = json!({"group_id": algebra.group_id, "subject_id": algebra.subject_id, "period_id": period.id,
        "accept_proposals": true});
    let (status, saved) = call(
        app,
        &teacher,
        Method::PUT,
        "/api/v1/journal/period-marks",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(saved["saved"].as_u64().unwrap() > 10, "{saved}");
    let after = app.api_get(&teacher, &query).await;
    let mine = after["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["person_id"] == person)
        .unwrap();
    assert_eq!(mine["value"], "5");
    // A family does not read journals; another teacher's group is as if it did not exist.
    let parent = app.token("parent").await;
    let res = app
        .client()
        .get(app.at(&query))
        .bearer_auth(&parent)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other = app.class_id("3А").await;
    let res = app
        .client()
        .get(app.at(&format!(
            "/api/v1/journal/period-marks?group_id={other}&subject_id={}&period_id={}",
            algebra.subject_id, period.id
        )))
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
on_both!(
    period_marks_api,
    period_marks_are_proposed_and_set_through_the_api,
    spawn_filled
);
