//! The timetable (§2.6): weeks derived from the calendar, and one-off changes by the deputy.

use crate::helpers::{TestApp, hidden_value};
use crate::on_both;
use jiff::civil::Date;
use reqwest::StatusCode;
use zhurnal_store::LessonRow;

async fn lessons_on(app: &TestApp, class: i64, d: Date) -> Vec<LessonRow> {
    app.store.class_lessons(1, class, d, d).await.unwrap()
}

async fn weeks_follow_the_calendar(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let client = app.signed_in("classteacher").await;
    let html = app.page(&client, "/timetable").await;
    assert!(
        html.contains("Расписание уроков:"),
        "a teacher sees their own lessons by default"
    );
    let html = app
        .page(&client, &format!("/timetable?class={class}"))
        .await;
    assert!(html.contains("Расписание класса 7Б"));
    assert!(html.contains("08:30–09:15"), "bell times");
    // The autumn break and the public holiday are named, with no lessons.
    let html = app
        .page(
            &client,
            &format!("/timetable?class={class}&date=2026-10-28"),
        )
        .await;
    assert!(html.contains("Осенние каникулы") && html.contains("На этой неделе уроков нет"));
    let html = app
        .page(
            &client,
            &format!("/timetable?class={class}&date=2026-11-04"),
        )
        .await;
    assert!(html.contains("День народного единства"));
    assert!(
        lessons_on(app, class, Date::constant(2026, 11, 4))
            .await
            .is_empty()
    );
    assert!(
        lessons_on(app, class, Date::constant(2026, 11, 5))
            .await
            .len()
            >= 5,
        "an ordinary Thursday"
    );
    // The demo teacher teaches algebra in 7Б, and sees it in their own timetable.
    let teacher = app.signed_in("teacher").await;
    let html = app.page(&teacher, "/timetable?date=2026-11-30").await;
    assert!(html.contains("Расписание уроков:") && html.contains("7Б") && html.contains("Алгебра"));
    // A bad date is a clear 400; a class of another school is like none.
    assert_eq!(
        client
            .get(app.at("/timetable?date=32.13.2026"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::BAD_REQUEST
    );
    let director = app.signed_in("director").await;
    let other_school_class = app.store.school_classes(2, 2026).await.unwrap()[0].id;
    assert_eq!(
        director
            .get(app.at(&format!("/timetable?class={other_school_class}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        director
            .get(app.at("/timetable?school=2"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let inspector = app.signed_in("inspector").await;
    assert_eq!(
        inspector
            .get(app.at("/timetable?school=2"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}
on_both!(weeks, weeks_follow_the_calendar);

async fn post_change(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.submit(client, "/timetable/changes", fields).await
}

async fn the_deputy_substitutes_cancels_and_moves(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let class_s = class.to_string();
    let monday = Date::constant(2026, 11, 30);
    let before = lessons_on(app, class, monday).await;
    let first = before
        .iter()
        .find(|l| l.number == 1)
        .expect("a first lesson")
        .clone();
    let entry = first.origin.trim_start_matches("entry:").to_owned();
    let deputy = app.signed_in("deputy").await;

    // A substitute who is free at that time.
    let teachers = app.store.school_teachers(1).await.unwrap();
    let mut substitute = None;
    for t in &teachers {
        let busy = app
            .store
            .teacher_lessons(1, t.id, monday, monday)
            .await
            .unwrap();
        if Some(t.id) != first.teacher_id && !busy.iter().any(|l| l.number == 1) {
            substitute = Some(t.clone());
            break;
        }
    }
    let substitute = substitute.expect("somebody is free at lesson 1");
    let sub_id = substitute.id.to_string();
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-11-30"),
            ("kind", "substitute"),
            ("lesson", &entry),
            ("teacher", &sub_id),
            ("reason", "болезнь"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = lessons_on(app, class, monday).await;
    let same = after.iter().find(|l| l.number == 1).unwrap();
    assert_eq!(
        same.id, first.id,
        "the lesson keeps its identity (and its journal data)"
    );
    assert_eq!(same.teacher_id, Some(substitute.id));
    assert_eq!(same.replaced_teacher_id, first.teacher_id);
    let sub_week = app
        .store
        .teacher_lessons(1, substitute.id, monday, monday)
        .await
        .unwrap();
    assert!(
        sub_week.iter().any(|l| l.id == first.id),
        "the substitute has the lesson in their timetable"
    );
    let html = app
        .page(
            &deputy,
            &format!("/timetable?class={class}&date=2026-11-30"),
        )
        .await;
    assert!(
        html.contains("замена, вместо"),
        "the class timetable shows the substitution"
    );
    assert_eq!(app.audit_count("timetable.change").await, 1);

    // A teacher already teaching then cannot substitute.
    let second = before.iter().find(|l| l.number == 2).unwrap().clone();
    let entry2 = second.origin.trim_start_matches("entry:").to_owned();
    let busy_teacher = first.teacher_id.filter(|t| Some(*t) != second.teacher_id);
    if let Some(busy) = busy_teacher {
        let busy_at_2 = app
            .store
            .teacher_lessons(1, busy, monday, monday)
            .await
            .unwrap()
            .iter()
            .any(|l| l.number == 2);
        if busy_at_2 {
            let res = post_change(
                app,
                &deputy,
                &[
                    ("class", &class_s),
                    ("date", "2026-11-30"),
                    ("kind", "substitute"),
                    ("lesson", &entry2),
                    ("teacher", &busy.to_string()),
                ],
            )
            .await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
    }

    // Moving onto a taken slot is refused with the reason next to the field.
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-11-30"),
            ("kind", "move"),
            ("lesson", &entry2),
            ("to_date", "2026-12-01"),
            ("number", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"move-error\""));
    // Moving to a free slot works: lesson 2 goes to Tuesday lesson 8.
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-11-30"),
            ("kind", "move"),
            ("lesson", &entry2),
            ("to_date", "2026-12-01"),
            ("number", "8"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        !lessons_on(app, class, monday)
            .await
            .iter()
            .any(|l| l.id == second.id)
    );
    let tuesday = lessons_on(app, class, Date::constant(2026, 12, 1)).await;
    assert!(
        tuesday.iter().any(|l| l.id == second.id && l.number == 8),
        "moved, same lesson"
    );

    // The moved lesson is not offered as a target on its new day: it is changed through
    // its move, and a change aimed at it is refused.
    let page = app
        .page(
            &deputy,
            &format!("/timetable/changes?class={class}&date=2026-12-01"),
        )
        .await;
    assert!(
        !page.contains(&format!("value=\"{entry2}\"")),
        "the moved lesson is not a target"
    );
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-12-01"),
            ("kind", "cancel"),
            ("lesson", &entry2),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A lesson marked held stays held when the day is derived again.
    exec(
        app,
        "UPDATE lessons SET status = 'held' WHERE id = $1",
        first.id,
    )
    .await;

    // Cancelling lesson 3: gone from the day.
    let third = before.iter().find(|l| l.number == 3).unwrap().clone();
    let entry3 = third.origin.trim_start_matches("entry:").to_owned();
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-11-30"),
            ("kind", "cancel"),
            ("lesson", &entry3),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        !lessons_on(app, class, monday)
            .await
            .iter()
            .any(|l| l.number == 3)
    );

    // An extra lesson.
    let subjects = app.store.school_subjects(1).await.unwrap();
    let physics = subjects
        .iter()
        .find(|(_, n)| n == "Физика")
        .unwrap()
        .0
        .to_string();
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-11-30"),
            ("kind", "extra"),
            ("subject", &physics),
            ("teacher", &sub_id),
            ("number", "9"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        lessons_on(app, class, monday)
            .await
            .iter()
            .any(|l| l.number == 9 && l.subject_name == "Физика")
    );

    let still = lessons_on(app, class, monday)
        .await
        .into_iter()
        .find(|l| l.id == first.id)
        .unwrap();
    assert_eq!(
        still.status, "held",
        "re-deriving keeps what the journal recorded"
    );

    // Nothing can be changed on a holiday.
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-11-04"),
            ("kind", "extra"),
            ("subject", &physics),
            ("teacher", &sub_id),
            ("number", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("нет занятий"));
}
on_both!(changes, the_deputy_substitutes_cancels_and_moves);

async fn exec(app: &TestApp, sql: &str, id: i64) {
    use zhurnal_store::DatabaseUrl;
    match &app.database {
        DatabaseUrl::Sqlite(path) => {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
            pool.close().await;
        }
        DatabaseUrl::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

async fn set_topic(app: &TestApp, lesson_id: i64) {
    exec(
        app,
        "UPDATE lessons SET topic = 'Линейные уравнения' WHERE id = $1",
        lesson_id,
    )
    .await;
}

async fn post_calendar(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![("year", "2026")];
    form.extend_from_slice(fields);
    app.submit(client, "/setup/calendar", &form).await
}

async fn the_deputy_keeps_the_calendar(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/calendar").await;
    assert!(
        html.contains("2026/2027")
            && html.contains("Осенние каникулы")
            && html.contains("День Победы")
    );

    // A lesson with journal data, on a day about to become a holiday.
    let tuesday = Date::constant(2026, 12, 8);
    let before = lessons_on(app, class, tuesday).await;
    assert!(!before.is_empty());
    set_topic(app, before[0].id).await;

    // A reversed holiday is refused next to the form, nothing saved.
    let res = post_calendar(
        app,
        &deputy,
        &[
            ("op", "add_holiday"),
            ("name", "Карантин"),
            ("start", "2026-12-09"),
            ("end", "2026-12-07"),
            ("from_grade", "1"),
            ("to_grade", "11"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"holiday-error\""));
    assert_eq!(lessons_on(app, class, tuesday).await.len(), before.len());

    let res = post_calendar(
        app,
        &deputy,
        &[
            ("op", "add_holiday"),
            ("name", "Карантин"),
            ("start", "2026-12-07"),
            ("end", "2026-12-09"),
            ("from_grade", "5"),
            ("to_grade", "11"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Three days off: kept, with a warning beside it (the recommended holidays are a week).
    let html = app.page(&deputy, "/setup/calendar").await;
    assert_eq!(
        html.matches("короче 7 дней").count(),
        1,
        "only the quarantine is flagged"
    );
    let during = lessons_on(app, class, tuesday).await;
    assert_eq!(during.len(), 1, "only the lesson with journal data remains");
    assert_eq!(
        (during[0].id, during[0].status.as_str()),
        (before[0].id, "cancelled"),
        "kept, marked cancelled, never silently deleted"
    );
    let first_grade = app.class_id("1А").await;
    assert!(
        !lessons_on(app, first_grade, tuesday).await.is_empty(),
        "grades 1–4 still study"
    );
    let html = app
        .page(
            &deputy,
            &format!("/timetable?class={class}&date=2026-12-08"),
        )
        .await;
    assert!(html.contains("Карантин") && html.contains("отменён"));

    // A Saturday worked on Monday's timetable.
    let monday = lessons_on(app, class, Date::constant(2026, 12, 14))
        .await
        .len();
    let res = post_calendar(
        app,
        &deputy,
        &[
            ("op", "add_moved"),
            ("date", "2026-12-12"),
            ("moved_kind", "working"),
            ("weekday", "1"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        lessons_on(app, class, Date::constant(2026, 12, 12))
            .await
            .len(),
        monday
    );
    let res = post_calendar(
        app,
        &deputy,
        &[
            ("op", "add_moved"),
            ("date", "2026-12-12"),
            ("moved_kind", "working"),
            ("weekday", "2"),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "one entry per date"
    );

    // Removing the quarantine brings the lessons back, the kept one in place.
    let html = app.page(&deputy, "/setup/calendar").await;
    let index = html
        .split("Карантин")
        .nth(1)
        .and_then(|rest| hidden_value(rest, "index"))
        .unwrap();
    let res = post_calendar(app, &deputy, &[("op", "delete_holiday"), ("index", &index)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = lessons_on(app, class, tuesday).await;
    assert_eq!(after.len(), before.len());
    assert!(
        after
            .iter()
            .any(|l| l.id == before[0].id && l.status == "planned")
    );

    // The next year in one step.
    let res = post_calendar(app, &deputy, &[("op", "next_year")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let next = app
        .store
        .calendar(1, 2027)
        .await
        .unwrap()
        .expect("next year");
    assert_eq!(next.start, Date::constant(2027, 9, 1));
    assert_eq!(next.holidays.len(), 4);
    let res = post_calendar(app, &deputy, &[("op", "next_year")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "only once");
    assert!(app.audit_count("setup.calendar").await >= 4);
    // The teacher cannot.
    let teacher = app.signed_in("teacher").await;
    assert_eq!(
        teacher
            .get(app.at("/setup/calendar"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}
on_both!(calendar, the_deputy_keeps_the_calendar);

async fn the_timetable_through_the_api(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let token = app.token("classteacher").await;
    let get = |url: String, token: String| {
        let client = app.client();
        async move { client.get(url).bearer_auth(token).send().await.unwrap() }
    };
    let res = get(
        app.at(&format!(
            "/api/v1/timetable?class_id={class}&from=2026-11-30&to=2026-12-04"
        )),
        token.clone(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    let lessons = body["lessons"].as_array().unwrap();
    let html_count: usize = {
        let mut n = 0;
        for d in 0..5 {
            n += lessons_on(
                app,
                class,
                Date::constant(2026, 11, 30)
                    .checked_add(jiff::Span::new().days(d))
                    .unwrap(),
            )
            .await
            .len();
        }
        n
    };
    assert_eq!(
        lessons.len(),
        html_count,
        "the API shows the same lessons as the store"
    );
    assert!(
        lessons
            .iter()
            .all(|l| l["group_name"].as_str().unwrap().starts_with("7Б")
                && l["teacher_name"].is_string())
    );
    // English is taught in two groups side by side: both lessons are in the class's week.
    assert!(
        lessons
            .iter()
            .any(|l| l["group_name"] == "7Б Английский, гр. 1")
            && lessons
                .iter()
                .any(|l| l["group_name"] == "7Б Английский, гр. 2")
    );
    // Bad input: structured 400s.
    for q in [
        "from=2026-11-30&to=2026-11-01",
        "from=30.11.2026&to=2026-12-01",
        "from=2026-09-01&to=2026-12-31",
    ] {
        let res = get(
            app.at(&format!("/api/v1/timetable?class_id={class}&{q}")),
            token.clone(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{q}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_request");
    }
    // The calendar.
    let cal: serde_json::Value = get(app.at("/api/v1/schools/1/calendar"), token.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cal["study_year"], 2026);
    assert_eq!(cal["start"], "2026-09-01");
    assert_eq!(cal["week_days"], 5);
    assert!(
        cal["holidays"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == "Дополнительные каникулы для 1 класса"
                && h["grades"] == serde_json::json!([1]))
    );
    assert_eq!(
        get(app.at("/api/v1/schools/2/calendar"), token.clone())
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "another school"
    );

    // A change through the API: the class teacher may not, the deputy may.
    let monday = Date::constant(2026, 11, 30);
    let first = lessons_on(app, class, monday)
        .await
        .into_iter()
        .find(|l| l.number == 1)
        .unwrap();
    let entry: i64 = first.origin.trim_start_matches("entry:").parse().unwrap();
    let body = serde_json::json!({"school_id": 1, "class_id": class, "date": "2026-11-30", "kind": "cancel", "entry_id": entry, "reason": "экскурсия"});
    let res = app
        .client()
        .post(app.at("/api/v1/timetable/changes"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let deputy = app.token("deputy").await;
    let bad = serde_json::json!({"school_id": 1, "class_id": class, "date": "2026-11-30", "kind": "move", "entry_id": entry, "to_date": "2026-12-01", "number": 1});
    let res = app
        .client()
        .post(app.at("/api/v1/timetable/changes"))
        .bearer_auth(&deputy)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "validation");
    assert!(
        err["error"]["fields"]["to_date"]
            .as_str()
            .unwrap()
            .contains("уже есть урок"),
        "{err}"
    );
    let res = app
        .client()
        .post(app.at("/api/v1/timetable/changes"))
        .bearer_auth(&deputy)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(
        !lessons_on(app, class, monday)
            .await
            .iter()
            .any(|l| l.number == 1)
    );
    let unknown = serde_json::json!({"school_id": 1, "class_id": class, "date": "2026-11-30", "kind": "cancel", "entry_id": entry, "teacher": 5});
    let res = app
        .client()
        .post(app.at("/api/v1/timetable/changes"))
        .bearer_auth(&deputy)
        .json(&unknown)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
}
on_both!(api, the_timetable_through_the_api);

async fn the_bells_are_checked_before_saving(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/bells").await;
    assert!(
        html.contains("value=\"08:30\"") && html.contains("value=\"15:05\""),
        "the demo's bells are shown"
    );
    let csrf = hidden_value(&html, "csrf").unwrap();
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str()), ("school", "1")];
        form.extend(fields);
        deputy.post(app.at("/setup/bells")).form(&form).send()
    };
    // A 50-minute first lesson starting at 7:45: refused, with the reasons next to lesson 1.
    let res = post(vec![
        ("start_1", "07:45"),
        ("end_1", "08:35"),
        ("start_2", "08:45"),
        ("end_2", "09:30"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("не раньше 8:00") || html.contains("не больше 45 минут"),
        "{html}"
    );
    assert!(html.contains("aria-describedby=\"msg_1\""));
    assert_eq!(app.store.bells(1).await.unwrap().len(), 7, "nothing saved");
    // Unreadable time.
    let res = post(vec![("start_1", "8:30"), ("end_1", "nine")])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A legal but unusual schedule (no long break) is saved with a warning.
    let res = post(vec![
        ("start_1", "08:00"),
        ("end_1", "08:45"),
        ("start_2", "08:55"),
        ("end_2", "09:40"),
        ("start_3", "09:50"),
        ("end_3", "10:35"),
        ("start_4", "10:45"),
        ("end_4", "11:30"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .page(&deputy, "/setup/bells?shift=1&weekday=0&saved=1")
        .await;
    assert!(html.contains("Расписание звонков сохранено") && html.contains("Нет большой перемены"));
    assert_eq!(app.store.bells(1).await.unwrap().len(), 4);
    assert!(app.audit_count("setup.bells").await >= 1);
}
on_both!(bells, the_bells_are_checked_before_saving);

async fn the_load_is_compared_with_the_timetable(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let deputy = app.signed_in("deputy").await;
    let html = app
        .page(&deputy, &format!("/setup/load?class={class}"))
        .await;
    assert!(html.contains("Алгебра") && html.contains("По учителям"));
    // Every line of 7Б's load is listed, and the timetable column is filled from the templates.
    let load = app.store.teaching_load(1).await.unwrap();
    let lines = load.iter().filter(|l| l.group_id == class).count();
    assert_eq!(html.matches("<tr><td>7Б</td>").count(), lines);
    assert_eq!(
        deputy
            .get(app.at("/setup/load?class=999999"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}
on_both!(load, the_load_is_compared_with_the_timetable);

async fn post_import(
    app: &TestApp,
    client: &reqwest::Client,
    op: &str,
    valid_from: &str,
    csv: &str,
) -> reqwest::Response {
    app.submit(
        client,
        "/setup/timetable/import",
        &[("op", op), ("valid_from", valid_from), ("csv", csv)],
    )
    .await
}

async fn a_timetable_is_imported_all_or_nothing(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let deputy = app.signed_in("deputy").await;
    // The algebra teacher of 7Б (the demo teacher), and a teacher busy elsewhere on Monday 1.
    let monday = Date::constant(2026, 12, 7);
    let before = lessons_on(app, class, monday).await;
    let algebra = before
        .iter()
        .find(|l| l.subject_name == "Алгебра")
        .or(before.first())
        .unwrap()
        .clone();
    let teachers = app.store.school_teachers(1).await.unwrap();
    let name_of = |id: Option<i64>| {
        teachers
            .iter()
            .find(|p| Some(p.id) == id)
            .unwrap()
            .full_name()
    };
    let other_class = app.class_id("5А").await;
    let busy = lessons_on(app, other_class, monday)
        .await
        .into_iter()
        .find(|l| l.number == 1)
        .unwrap();
    // A Tuesday lesson number at which the algebra teacher is free in every other class.
    let theirs = app
        .store
        .teacher_lessons(
            1,
            algebra.teacher_id.unwrap(),
            Date::constant(2026, 12, 8),
            Date::constant(2026, 12, 8),
        )
        .await
        .unwrap();
    let free = (1..=8)
        .find(|n| !theirs.iter().any(|l| l.number == *n && l.group_id != class))
        .unwrap();
    let ok_csv = format!(
        "Класс;День;Урок;Предмет;Учитель;Кабинет\n7Б;пн;{};{};{};21\n7Б;вт;{free};Физика;{};22\n",
        algebra.number,
        algebra.subject_name,
        name_of(algebra.teacher_id),
        name_of(algebra.teacher_id)
    );
    // Dry run: fine, nothing saved, hours differ from the load (a warning only).
    let res = post_import(app, &deputy, "check", "2026-12-07", &ok_csv).await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        html.split("role=\"alert\"").nth(1).unwrap_or("")
    );
    assert!(
        html.contains("Ошибок нет") && html.contains("по нагрузке"),
        "{html}"
    );
    assert_eq!(
        lessons_on(app, class, monday).await.len(),
        before.len(),
        "a check saves nothing"
    );
    // A cancellation already recorded for 8 December would stop applying: the check says so.
    let tuesday_first = lessons_on(app, class, Date::constant(2026, 12, 8))
        .await
        .into_iter()
        .find(|l| l.number == 1)
        .unwrap();
    let entry = tuesday_first.origin.trim_start_matches("entry:").to_owned();
    let class_s = class.to_string();
    let res = post_change(
        app,
        &deputy,
        &[
            ("class", &class_s),
            ("date", "2026-12-08"),
            ("kind", "cancel"),
            ("lesson", &entry),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = post_import(app, &deputy, "check", "2026-12-07", &ok_csv)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("перестанут действовать: 1"), "{html}");

    // Errors are all reported by line, and nothing is saved even with 'apply'.
    let bad_csv = format!(
        "7Б;пн;1;Алгебра;Никто Такой;21\n9Я;пн;2;Алгебра;{};21\n7Б;пн;3;Астрология;{};21\n7Б;пн;{};{};{};{}\n",
        name_of(algebra.teacher_id),
        name_of(algebra.teacher_id),
        busy.number,
        busy.subject_name,
        name_of(busy.teacher_id),
        "99"
    );
    let res = post_import(app, &deputy, "apply", "2026-12-07", &bad_csv).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for expected in [
        "Строка 1: нет такого учителя",
        "Строка 2: нет такого класса",
        "Строка 3: нет такого предмета",
        "у учителя два урока одновременно",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert_eq!(lessons_on(app, class, monday).await.len(), before.len());

    // Apply: from 7 December 7Б has exactly the imported week; before, nothing changed.
    let res = post_import(app, &deputy, "apply", "2026-12-07", &ok_csv).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = lessons_on(app, class, monday).await;
    assert_eq!(after.len(), 1);
    assert_eq!(
        after[0].id, algebra.id,
        "the same lesson at the same place keeps its identity"
    );
    let tuesday = lessons_on(app, class, Date::constant(2026, 12, 8)).await;
    assert_eq!(
        tuesday
            .iter()
            .map(|l| (l.number, l.subject_name.as_str()))
            .collect::<Vec<_>>(),
        vec![(free, "Физика")]
    );
    assert!(
        lessons_on(app, class, Date::constant(2026, 11, 30))
            .await
            .len()
            >= 5,
        "the week before is untouched"
    );
    assert_eq!(app.audit_count("setup.timetable_import").await, 1);
    // A date outside any saved calendar is refused next to the field.
    let res = post_import(app, &deputy, "check", "2030-01-10", &ok_csv).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"date-error\""));
}
on_both!(import, a_timetable_is_imported_all_or_nothing);

async fn classes_and_subgroups(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/classes").await;
    assert!(html.contains("2026/2027") && html.contains(">7Б<"));
    let csrf = hidden_value(&html, "csrf").unwrap();
    let teacher = app.store.school_teachers(1).await.unwrap()[0]
        .id
        .to_string();
    let post = |fields: Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![
            ("csrf", csrf.clone()),
            ("school", "1".into()),
            ("year", "2026".into()),
        ];
        form.extend(fields);
        deputy.post(app.at("/setup/classes")).form(&form).send()
    };
    let res = post(vec![
        ("op", "create_class".into()),
        ("parallel", "7".into()),
        ("letter", "г".into()),
        ("capacity", "25".into()),
        ("teacher", teacher.clone()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let classes = app.store.school_classes(1, 2026).await.unwrap();
    let new = classes
        .iter()
        .find(|c| c.name == "7Г")
        .expect("created, letter upper-cased");
    assert_eq!(
        new.class_teacher_id.map(|t| t.to_string()),
        Some(teacher.clone())
    );
    let grants = app.store.grants_of(teacher.parse().unwrap()).await.unwrap();
    assert!(
        grants
            .iter()
            .any(|g| g.role == "class_teacher" && g.edu_group_id == Some(new.id))
    );
    for (fields, expected) in [
        (
            vec![("parallel", "7"), ("letter", "Б"), ("capacity", "25")],
            "уже есть",
        ),
        (
            vec![("parallel", "12"), ("letter", "А"), ("capacity", "25")],
            "от 1 до 11",
        ),
        (
            vec![("parallel", "7"), ("letter", ""), ("capacity", "25")],
            "литеру",
        ),
        (
            vec![("parallel", "7"), ("letter", "Д"), ("capacity", "99")],
            "от 1 до 40",
        ),
    ] {
        let mut f: Vec<(&'static str, String)> = vec![("op", "create_class".into())];
        f.extend(fields.into_iter().map(|(k, v)| (k, v.to_owned())));
        let res = post(f).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
        assert!(res.text().await.unwrap().contains(expected), "{expected}");
    }
    // A language group of three students of 7Б.
    let class = app.class_id("7Б").await;
    let members = app.store.group_members(1, class).await.unwrap();
    let mut f: Vec<(&'static str, String)> = vec![
        ("op", "create_subgroup".into()),
        ("class", class.to_string()),
        ("name", "7Б — английский, группа 1".into()),
    ];
    f.extend(members.iter().take(3).map(|m| ("member", m.id.to_string())));
    let res = post(f).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let groups = app.store.subgroups(1, 2026).await.unwrap();
    let g = groups
        .iter()
        .find(|g| g.parent_id == class)
        .expect("subgroup");
    assert_eq!(g.students, 3);
    assert_eq!(
        app.store
            .group_classes(1)
            .await
            .unwrap()
            .get(&g.id)
            .map(|x| x.0),
        Some(class),
        "belongs to its class"
    );
    // A student of another class cannot be put in it.
    let other = app
        .store
        .group_members(1, app.class_id("5А").await)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let res = post(vec![
        ("op", "create_subgroup".into()),
        ("class", class.to_string()),
        ("name", "чужая".into()),
        ("member", other),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        app.store
            .subgroups(1, 2026)
            .await
            .unwrap()
            .iter()
            .all(|g| g.name != "чужая"),
        "nothing half-saved"
    );
    let res = post(vec![
        ("op", "create_subgroup".into()),
        ("class", class.to_string()),
        ("name", "пустая".into()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both!(classes, classes_and_subgroups);

async fn the_school_profile(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/profile").await;
    assert!(html.contains("МБОУ СОШ № 7") && html.contains("value=\"Asia/Vladivostok\" selected"));
    let csrf = hidden_value(&html, "csrf").unwrap();
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("school", "1".to_owned()),
        ("short_name", "МБОУ СОШ № 7".to_owned()),
        ("full_name", "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7»".to_owned()),
        ("kind", "general".to_owned()),
        ("city", "Светлоярск".to_owned()),
        ("address", "ул. Школьная, 7".to_owned()),
        ("phone", "+7 (4212) 00-00-07".to_owned()),
        ("email", "not an address".to_owned()),
        ("time_zone", "Mars/Olympus".to_owned()),
        ("shifts", "2".to_owned()),
    ];
    let res = deputy
        .post(app.at("/setup/profile"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"email-error\"") && html.contains("id=\"time_zone-error\""));
    assert!(html.contains("ул. Школьная, 7"), "what was typed is kept");
    form[8].1 = "school7@example.ru".into();
    form[9].1 = "Asia/Yekaterinburg".into();
    let res = deputy
        .post(app.at("/setup/profile"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let school = app.store.school(1).await.unwrap().unwrap();
    assert_eq!(
        (
            school.time_zone.as_str(),
            school.address.as_str(),
            school.shifts
        ),
        ("Asia/Yekaterinburg", "ул. Школьная, 7", 2)
    );
    assert!(app.audit_count("setup.profile").await == 1);
    // Through the API: read, a bad zone refused by name, a change saved.
    let token = app.token("deputy").await;
    let mut profile = app.api_get(&token, "/api/v1/schools/1/profile").await;
    assert_eq!(profile["time_zone"], "Asia/Yekaterinburg");
    assert_eq!(profile["shifts"], 2);
    let put = |body: serde_json::Value| {
        app.client()
            .put(app.at("/api/v1/schools/1/profile"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    profile["time_zone"] = "Mars/Olympus".into();
    let res = put(profile.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["error"]["fields"]["time_zone"].is_string(), "{err}");
    profile["time_zone"] = "Asia/Vladivostok".into();
    profile["phone"] = "+7 (4212) 11-11-07".into();
    let res = put(profile).await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let school = app.store.school(1).await.unwrap().unwrap();
    assert_eq!(
        (school.time_zone.as_str(), school.phone.as_str()),
        ("Asia/Vladivostok", "+7 (4212) 11-11-07")
    );
    assert_eq!(app.audit_count("setup.profile").await, 2);
}
on_both!(profile, the_school_profile);

async fn the_curriculum_plan(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/curriculum?parallel=1").await;
    assert!(
        html.contains("начальное общее") && html.contains("value=\"none\" selected"),
        "grade 1 is not marked by default"
    );
    let html = app.page(&deputy, "/setup/curriculum?parallel=7").await;
    let csrf = hidden_value(&html, "csrf").unwrap();
    let plan = app.store.curriculum(1, 2026, 7).await.unwrap();
    let algebra = plan.iter().find(|r| r.subject_name == "Алгебра").unwrap();
    assert_eq!(algebra.hours_per_week, Some(3));
    // Over the sanitary maximum: refused, nothing saved.
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("school".into(), "1".into()),
        ("parallel".into(), "7".into()),
    ];
    for r in &plan {
        form.push((format!("hours_{}", r.subject_id), "3".into()));
        form.push((format!("grading_{}", r.subject_id), "five_point".into()));
    }
    let res = deputy
        .post(app.at("/setup/curriculum"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("больше допустимой"));
    assert_eq!(
        app.store
            .curriculum(1, 2026, 7)
            .await
            .unwrap()
            .iter()
            .find(|r| r.subject_id == algebra.subject_id)
            .unwrap()
            .hours_per_week,
        Some(3)
    );
    // A real change: algebra 4 hours, physics pass/fail (odd, but the school decides).
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), csrf),
        ("school".into(), "1".into()),
        ("parallel".into(), "7".into()),
    ];
    for r in &plan {
        let hours = if r.subject_id == algebra.subject_id {
            Some(4)
        } else {
            r.hours_per_week
        };
        form.push((
            format!("hours_{}", r.subject_id),
            hours.map_or(String::new(), |h| h.to_string()),
        ));
        let grading = if r.subject_name == "Физика" {
            "pass_fail"
        } else {
            r.grading.as_deref().unwrap_or("five_point")
        };
        form.push((format!("grading_{}", r.subject_id), grading.into()));
    }
    let res = deputy
        .post(app.at("/setup/curriculum"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let plan = app.store.curriculum(1, 2026, 7).await.unwrap();
    assert_eq!(
        plan.iter()
            .find(|r| r.subject_id == algebra.subject_id)
            .unwrap()
            .hours_per_week,
        Some(4)
    );
    assert_eq!(
        plan.iter()
            .find(|r| r.subject_name == "Физика")
            .unwrap()
            .grading
            .as_deref(),
        Some("pass_fail")
    );
    assert!(
        plan.iter()
            .find(|r| r.subject_name == "Химия")
            .unwrap()
            .hours_per_week
            .is_none(),
        "not taught in grade 7"
    );
    assert_eq!(app.audit_count("setup.curriculum").await, 1);
}
on_both!(curriculum, the_curriculum_plan);

async fn the_staff_list(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/staff").await;
    assert!(
        html.contains("Директор")
            && html.contains("Алгебра")
            && html.contains("Классный руководитель")
    );
    let csrf = hidden_value(&html, "csrf").unwrap();
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str()), ("school", "1")];
        form.extend(fields);
        deputy.post(app.at("/setup/staff")).form(&form).send()
    };
    let res = post(vec![
        ("last_name", "Соколова"),
        ("first_name", "Ирина"),
        ("position", "Учитель"),
        ("role", "director"),
    ])
    .await
    .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no raising of rights from here"
    );
    assert!(res.text().await.unwrap().contains("нельзя"));
    let res = post(vec![
        ("last_name", ""),
        ("first_name", "Ирина"),
        ("position", "Учитель"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let before = app.store.school_teachers(1).await.unwrap().len();
    let res = post(vec![
        ("last_name", "Соколова"),
        ("first_name", "Ирина"),
        ("middle_name", "Олеговна"),
        ("position", "Учитель информатики"),
        ("role", "teacher"),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.school_teachers(1).await.unwrap().len(),
        before + 1,
        "a new teacher of the school"
    );
    let html = app.page(&deputy, "/setup/staff").await;
    assert!(html.contains("Соколова Ирина Олеговна") && html.contains("Учитель информатики"));
    assert_eq!(app.audit_count("staff.add").await, 1);
    // Through the API: the same list, the same rule against raising rights.
    let token = app.token("deputy").await;
    let staff = app.api_get(&token, "/api/v1/schools/1/staff").await;
    let new = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["last_name"] == "Соколова")
        .unwrap_or_else(|| panic!("{staff}"));
    assert_eq!(new["roles"], serde_json::json!(["teacher"]));
    assert_eq!(new["has_login"], false);
    let add = |body: serde_json::Value| {
        app.client()
            .post(app.at("/api/v1/schools/1/staff"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let res = add(serde_json::json!({"last_name": "Орлов", "first_name": "Пётр", "position": "Завуч", "roles": ["deputy_director"]}))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["error"]["fields"]["roles"].is_string(), "{err}");
    let res = add(serde_json::json!({"last_name": "Орлов", "first_name": "Пётр", "position": "Секретарь", "roles": ["clerk"]}))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(app.audit_count("staff.add").await, 2);
}
on_both!(staff, the_staff_list);

async fn promotion_by_order(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/promotion").await;
    assert!(html.contains("Приказов ещё нет"));
    let csrf = hidden_value(&html, "csrf").unwrap();
    let class7 = app.class_id("7Б").await;
    let members = app.store.group_members(1, class7).await.unwrap();
    let (retained, conditional) = (&members[1], &members[2]);
    let class11 = app.class_id("11А").await;
    let graduates = app.store.group_members(1, class11).await.unwrap().len();
    let name = |p: &zhurnal_store::PersonRow| {
        format!("{} {} {}", p.last_name, p.first_name, p.middle_name)
    };
    let exceptions = format!(
        "7Б; {}; оставлен\n7Б; {}; условно\n",
        name(retained),
        name(conditional)
    );
    let post = |op: &'static str, number: &'static str, exceptions: String| {
        let form = [
            ("csrf", csrf.clone()),
            ("school", "1".into()),
            ("number", number.into()),
            ("order_date", "2026-11-26".into()),
            ("exceptions", exceptions),
            ("op", op.into()),
        ];
        deputy.post(app.at("/setup/promotion")).form(&form).send()
    };
    // Mistakes are listed by line; nothing happens.
    let res = post(
        "apply",
        "12-о",
        "7Б; Нет Такого; оставлен\n9Я; Кто-то; условно\n7Б; x\n".into(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Строка 1: нет такого ученика")
            && html.contains("Строка 2: нет такого класса")
            && html.contains("Строка 3: нужно три поля")
    );
    assert!(app.store.school_classes(1, 2027).await.unwrap().is_empty());
    // A pupil with a year «2» has an academic debt: promoted conditionally by default.
    let debtor = &members[3];
    let algebra = app.algebra_lesson().await.subject_id;
    let write = zhurnal_store::YearMarkWrite {
        study_year: 2026,
        subject_id: algebra,
        person_id: debtor.id,
        kind: "year",
        value: Some("2"),
        proposed: None,
        reason: "",
    };
    let audit = zhurnal_store::AuditEntry {
        outcome: "success".into(),
        ..Default::default()
    };
    app.store.write_year_mark(1, &write, &audit).await.unwrap();
    // A check shows the plan.
    let res = post("check", "12-о", exceptions.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Оставлены: 1, переведены условно: 2"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "{} {} (7Б): Алгебра «2»",
            debtor.last_name, debtor.first_name
        )),
        "{html}"
    );
    // Applied two days after the order: on time.
    let res = post("apply", "12-о", exceptions.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let next = app.store.school_classes(1, 2027).await.unwrap();
    let eight_b = next.iter().find(|c| c.name == "8Б").expect("7Б moved up");
    let eight_members = app.store.group_members(1, eight_b.id).await.unwrap();
    assert_eq!(eight_members.len(), members.len() - 1);
    assert!(eight_members.iter().any(|m| m.id == conditional.id));
    let seven_b = next
        .iter()
        .find(|c| c.name == "7Б")
        .expect("a 7Б for the retained student");
    let new_seven = app.store.group_members(1, seven_b.id).await.unwrap();
    assert!(
        new_seven.iter().any(|m| m.id == retained.id),
        "the retained student joins the new 7Б (with last year's 6Б)"
    );
    assert_eq!(
        eight_b.class_teacher_id,
        app.store
            .school_classes(1, 2026)
            .await
            .unwrap()
            .iter()
            .find(|c| c.id == class7)
            .unwrap()
            .class_teacher_id
    );
    assert!(next.iter().all(|c| c.parallel != 12), "no 12th grade");
    assert!(
        app.store
            .group_members(1, class11)
            .await
            .unwrap()
            .is_empty(),
        "{graduates} graduates left"
    );
    let html = app.page(&deputy, "/setup/promotion").await;
    assert!(html.contains("12-о") && html.contains("в срок"));
    // Only once a year.
    let res = post("apply", "13-о", String::new()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_count("roster.promotion").await, 1);
}
on_both!(promotion, promotion_by_order);

async fn the_deputy_edits_the_load_and_subjects(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let class = app.class_id("7Б").await;
    let html = app
        .page(&deputy, &format!("/setup/load?class={class}"))
        .await;
    let csrf = hidden_value(&html, "csrf").unwrap();
    // A new subject, then a load line for it.
    let form = [
        ("csrf", csrf.as_str()),
        ("school", "1"),
        ("parallel", "7"),
        ("op", "add_subject"),
        ("name", "Шахматы"),
        ("area", "Внеурочная деятельность"),
    ];
    assert_eq!(
        deputy
            .post(app.at("/setup/curriculum"))
            .form(&form)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    let res = deputy
        .post(app.at("/setup/curriculum"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same subject twice"
    );
    let chess = app
        .store
        .school_subjects(1)
        .await
        .unwrap()
        .into_iter()
        .find(|(_, n)| n == "Шахматы")
        .unwrap()
        .0
        .to_string();
    let teacher = app.store.school_teachers(1).await.unwrap()[3]
        .id
        .to_string();
    let class_s = class.to_string();
    let add = |hours: &'static str| {
        let form = vec![
            ("csrf", csrf.clone()),
            ("school", "1".into()),
            ("year", "2026".into()),
            ("class", class_s.clone()),
            ("op", "add".into()),
            ("group", class_s.clone()),
            ("subject", chess.clone()),
            ("teacher", teacher.clone()),
            ("hours", hours.into()),
        ];
        deputy.post(app.at("/setup/load")).form(&form).send()
    };
    assert_eq!(
        add("11").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "hours out of range"
    );
    assert_eq!(add("1").await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(
        add("1").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same line twice"
    );
    let line = app
        .store
        .teaching_load(1)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.subject_name == "Шахматы")
        .expect("added");
    assert_eq!((line.group_id, line.hours_per_week), (class, 1));
    let html = app
        .page(&deputy, &format!("/setup/load?class={class}"))
        .await;
    assert!(html.contains("Шахматы"));
    // Another school's line cannot be removed from here; this one can.
    let other = app.store.teaching_load(2).await.unwrap()[0].id.to_string();
    let remove = |id: String| {
        let form = vec![
            ("csrf", csrf.clone()),
            ("school", "1".into()),
            ("year", "2026".into()),
            ("op", "remove".into()),
            ("line", id),
        ];
        deputy.post(app.at("/setup/load")).form(&form).send()
    };
    assert_eq!(remove(other).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(
        remove(line.id.to_string()).await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        app.store
            .teaching_load(1)
            .await
            .unwrap()
            .iter()
            .all(|l| l.subject_name != "Шахматы")
    );
    // The teacher sees the report but no editing form.
    let teacher_client = app.signed_in("teacher").await;
    let html = app.page(&teacher_client, "/setup/load").await;
    assert!(html.contains("По учителям") && !html.contains("name=\"op\" value=\"add\""));
    assert_eq!(app.audit_count("setup.load_add").await, 1);
    assert_eq!(app.audit_count("setup.load_remove").await, 1);
}
on_both!(load_edit, the_deputy_edits_the_load_and_subjects);

/// The "done when": the deputy prepares the next academic year from the pages —
/// calendar, classes (by promotion), curriculum, load, timetable — and the new year's
/// lessons are exactly the new classes' lessons.
async fn the_deputy_prepares_the_next_year(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let csrf = app.csrf(&deputy).await;
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![("csrf", csrf.clone()), ("school", "1".into())];
        form.extend(fields);
        deputy.post(app.at(path)).form(&form).send()
    };
    // Calendar of 2027/2028 from this one.
    let res = post(
        "/setup/calendar",
        vec![("year", "2026".into()), ("op", "next_year".into())],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Classes of 2027 by promotion.
    let res = post(
        "/setup/promotion",
        vec![
            ("number", "41-о".into()),
            ("order_date", "2026-11-27".into()),
            ("exceptions", String::new()),
            ("op", "apply".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let eight_b = app
        .store
        .school_classes(1, 2027)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == "8Б")
        .unwrap();
    // Curriculum of grade 8 in 2027: algebra 3 hours.
    let subjects = app.store.school_subjects(1).await.unwrap();
    let algebra = subjects.iter().find(|(_, n)| n == "Алгебра").unwrap().0;
    let mut fields: Vec<(&'static str, String)> =
        vec![("year", "2027".into()), ("parallel", "8".into())];
    let plan_fields: Vec<(String, String)> = subjects
        .iter()
        .flat_map(|(id, _)| {
            [
                (
                    format!("hours_{id}"),
                    if *id == algebra {
                        "3".to_owned()
                    } else {
                        String::new()
                    },
                ),
                (format!("grading_{id}"), "five_point".to_owned()),
            ]
        })
        .collect();
    let mut form: Vec<(String, String)> =
        vec![("csrf".into(), csrf.clone()), ("school".into(), "1".into())];
    form.extend(fields.drain(..).map(|(k, v)| (k.to_owned(), v)));
    form.extend(plan_fields);
    let res = deputy
        .post(app.at("/setup/curriculum"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.store
            .curriculum(1, 2027, 8)
            .await
            .unwrap()
            .iter()
            .find(|r| r.subject_id == algebra)
            .unwrap()
            .hours_per_week,
        Some(3)
    );
    // Load: algebra in the new 8Б by the demo teacher.
    let teacher = app
        .store
        .teaching_load(1)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.subject_name == "Алгебра" && l.group_name == "7Б")
        .unwrap()
        .teacher_id;
    let res = post(
        "/setup/load",
        vec![
            ("year", "2027".into()),
            ("op", "add".into()),
            ("group", eight_b.id.to_string()),
            ("subject", algebra.to_string()),
            ("teacher", teacher.to_string()),
            ("hours", "3".into()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Timetable of the new 8Б from 1 September 2027.
    let name = app
        .store
        .school_teachers(1)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == teacher)
        .unwrap()
        .full_name();
    let csv = format!(
        "8Б;пн;1;Алгебра;{name};21\n8Б;ср;2;Алгебра;{name};21\n8Б;пт;3;Алгебра;{name};21\n"
    );
    let res = post(
        "/setup/timetable/import",
        vec![
            ("op", "apply".into()),
            ("valid_from", "2027-09-01".into()),
            ("csv", csv),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let monday = Date::constant(2027, 9, 6);
    let lessons = app
        .store
        .class_lessons(1, eight_b.id, monday, Date::constant(2027, 9, 10))
        .await
        .unwrap();
    assert_eq!(
        lessons
            .iter()
            .map(|l| (l.date.as_str(), l.number))
            .collect::<Vec<_>>(),
        vec![("2027-09-06", 1), ("2027-09-08", 2), ("2027-09-10", 3)]
    );
    // Last year's classes have no lessons in the new year.
    let old_7b = app.class_id("7Б").await;
    assert!(
        app.store
            .class_lessons(1, old_7b, monday, monday)
            .await
            .unwrap()
            .is_empty()
    );
    let html = app
        .page(
            &deputy,
            &format!("/timetable?class={}&date=2027-09-06", eight_b.id),
        )
        .await;
    assert!(html.contains("Расписание класса 8Б") && html.contains("Алгебра"));
}
on_both!(next_year, the_deputy_prepares_the_next_year);

async fn the_reporting_periods(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let html = app.page(&deputy, "/setup/periods").await;
    assert!(html.contains("value=\"I четверть\"") && html.contains("value=\"2026-10-24\""));
    let csrf = hidden_value(&html, "csrf").unwrap();
    let before = app.store.periods(1, 2026).await.unwrap();
    let mut base: Vec<(String, String)> = vec![
        ("csrf".into(), csrf),
        ("school".into(), "1".into()),
        ("year".into(), "2026".into()),
    ];
    for p in &before {
        let f = format!("{}_{}", p.scheme, p.number);
        base.push((format!("{f}_name"), p.name.clone()));
        base.push((format!("{f}_start"), p.start_date.clone()));
        base.push((format!("{f}_end"), p.end_date.clone()));
    }
    let with = |extra: Vec<(&str, &str)>| {
        let mut form = base.clone();
        for g in 1..=11 {
            let scheme = extra
                .iter()
                .find(|(k, _)| *k == format!("grade_{g}"))
                .map_or(if g >= 10 { "half_years" } else { "quarters" }, |(_, v)| *v);
            form.push((format!("grade_{g}"), scheme.to_owned()));
        }
        form.extend(
            extra
                .into_iter()
                .filter(|(k, _)| !k.starts_with("grade_"))
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        deputy.post(app.at("/setup/periods")).form(&form).send()
    };
    // Grade 5 on trimesters that have no dates: refused.
    let res = with(vec![("grade_5", "trimesters")]).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("укажите даты всех периодов")
    );
    // Overlapping trimesters: refused.
    let tri = vec![
        ("grade_5", "trimesters"),
        ("trimesters_1_name", "I триместр"),
        ("trimesters_1_start", "2026-09-01"),
        ("trimesters_1_end", "2026-11-30"),
        ("trimesters_2_name", "II триместр"),
        ("trimesters_2_start", "2026-11-20"),
        ("trimesters_2_end", "2027-02-28"),
        ("trimesters_3_name", "III триместр"),
        ("trimesters_3_start", "2027-03-09"),
        ("trimesters_3_end", "2027-05-26"),
    ];
    let res = with(tri.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Триместры, 2: начинается раньше")
    );
    // Trimesters that leave no study day outside them.
    let mut good = tri;
    good[5] = ("trimesters_2_start", "2026-12-01");
    good[8] = ("trimesters_3_start", "2027-03-01");
    let res = with(good).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let schemes = app.store.period_schemes(1, 2026).await.unwrap();
    assert_eq!(
        schemes
            .iter()
            .find(|(p, _)| *p == 5)
            .map(|(_, s)| s.as_str()),
        Some("trimesters")
    );
    let after = app.store.periods(1, 2026).await.unwrap();
    assert_eq!(after.iter().filter(|p| p.scheme == "trimesters").count(), 3);
    for p in &before {
        assert!(
            after
                .iter()
                .any(|a| a.id == p.id && a.start_date == p.start_date),
            "existing periods keep their ids"
        );
    }
    assert!(app.audit_count("setup.periods").await >= 1);
    // A quarter that ends days before the holidays leaves study days in no period: refused,
    // naming them.
    let mut form = base.clone();
    for (k, v) in form.iter_mut() {
        if k == "quarters_2_end" {
            *v = "2026-12-28".into();
        }
    }
    for g in 1..=11 {
        let scheme = if g >= 10 { "half_years" } else { "quarters" };
        form.push((format!("grade_{g}"), scheme.to_owned()));
    }
    let res = deputy
        .post(app.at("/setup/periods"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("учебные дни не входят ни в один период")
            && html.contains("29.12.2026–30.12.2026"),
        "{html}"
    );
}
on_both!(periods, the_reporting_periods);
