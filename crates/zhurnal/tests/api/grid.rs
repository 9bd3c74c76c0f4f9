//! Editing a class's weekly timetable (§2.6): in the grid page and through the API, with
//! conflicts shown before anything is saved and the lessons derived again after.

use crate::helpers::TestApp;
use crate::on_both;
use jiff::civil::Date;
use reqwest::StatusCode;
use zhurnal_core::timetable::{Entry, template_on};

/// The week of a class in force on a date, in weekday and number order.
async fn week_of(app: &TestApp, class: i64, d: Date) -> Vec<Entry> {
    let templates = app.store.templates(1).await.unwrap();
    let mut entries = template_on(&templates, class, d).unwrap().entries.clone();
    entries.sort_by_key(|e| (e.slot, e.group_id));
    entries
}

fn pick(e: &Entry) -> String {
    format!("{}-{}-{}", e.group_id, e.subject_id, e.teacher_id)
}

/// The grid form of a week: each entry in the first free line of its cell.
fn grid_fields(entries: &[Entry]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut used = std::collections::HashSet::new();
    for e in entries {
        let line = if used.insert((e.slot, 0)) { 0 } else { 1 };
        used.insert((e.slot, line));
        let cell = format!("{}-{}-{line}", e.slot.weekday, e.slot.number);
        out.push((format!("l-{cell}"), pick(e)));
        out.push((format!("r-{cell}"), e.room.clone()));
    }
    out
}

async fn post_grid(
    app: &TestApp,
    client: &reqwest::Client,
    class: i64,
    from: &str,
    op: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    let class = class.to_string();
    let mut form: Vec<(&str, &str)> = vec![("class", &class), ("from", from), ("op", op)];
    form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.submit(client, "/setup/timetable/grid", &form).await
}

async fn the_grid_edits_a_week_checked_against_the_school(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let monday = Date::constant(2026, 12, 7);
    let week = week_of(app, class, monday).await;
    let deputy = app.signed_in("deputy").await;
    // The grid opens with the week in force: every lesson selected in its cell.
    let html = app
        .page(
            &deputy,
            &format!("/setup/timetable/grid?class={class}&from=2026-12-07"),
        )
        .await;
    assert!(html.contains("Расписание класса: сетка 7Б"), "{html}");
    assert!(html.contains("Нагрузка класса и часы в сетке"));
    for e in &week {
        let selected = format!("<option value=\"{}\" selected>", pick(e));
        assert!(
            html.contains(&selected),
            "{:?} is shown in its cell",
            e.slot
        );
    }
    assert!(html.contains("for=\"l-1-1-0\""), "every select has a label");

    // Without Monday's first lesson: a check warns about hours and saves nothing.
    let first = week
        .iter()
        .find(|e| e.slot.weekday == 1 && e.slot.number == 1)
        .unwrap();
    let fewer: Vec<Entry> = week.iter().filter(|e| e.id != first.id).cloned().collect();
    let lessons_before = app
        .store
        .class_lessons(1, class, monday, monday)
        .await
        .unwrap()
        .len();
    let res = post_grid(
        app,
        &deputy,
        class,
        "2026-12-07",
        "check",
        &grid_fields(&fewer),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Ошибок нет") && html.contains("по нагрузке"),
        "{html}"
    );
    assert_eq!(week_of(app, class, monday).await.len(), week.len());

    // One teacher twice in one cell: refused at the cell and in the list, nothing saved.
    let mut twice = grid_fields(&week);
    twice.push(("l-1-1-1".into(), pick(first)));
    let res = post_grid(app, &deputy, class, "2026-12-07", "save", &twice).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Пн, урок 1: у учителя два урока одновременно"),
        "{html}"
    );
    assert!(html.contains("aria-describedby=\"e-1-1\"") && html.contains("id=\"e-1-1\""));
    // A room another class uses at that time: the other class is named.
    let other = app.class_id("5А").await;
    let theirs = week_of(app, other, monday).await;
    let busy = theirs
        .iter()
        .find(|e| !e.room.is_empty() && !week.iter().any(|w| w.slot == e.slot && w.room == e.room))
        .unwrap();
    let mut clash = grid_fields(&week);
    let room_field = format!("r-{}-{}-0", busy.slot.weekday, busy.slot.number);
    let line_field = format!("l-{}-{}-0", busy.slot.weekday, busy.slot.number);
    clash.retain(|(k, _)| *k != room_field && *k != line_field);
    clash.push((line_field, pick(first)));
    clash.push((room_field, busy.room.clone()));
    let res = post_grid(app, &deputy, class, "2026-12-07", "check", &clash).await;
    let html = res.text().await.unwrap();
    assert!(html.contains("кабинет занят дважды (5А)"), "{html}");
    // A value not in the class's load (a forged form) is refused at its cell.
    let mut forged = grid_fields(&fewer);
    forged.push(("l-1-1-0".into(), "999999-1-1".into()));
    let res = post_grid(app, &deputy, class, "2026-12-07", "save", &forged).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("нет в нагрузке класса"));
    // A date outside any saved academic year is refused next to the field.
    let res = post_grid(
        app,
        &deputy,
        class,
        "2030-01-10",
        "save",
        &grid_fields(&fewer),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"from-error\""));
    assert_eq!(app.audit_count("setup.timetable_grid").await, 0);

    // Save: from 7 December the first lesson is gone; the week before keeps it.
    let res = post_grid(
        app,
        &deputy,
        class,
        "2026-12-07",
        "save",
        &grid_fields(&fewer),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = app
        .store
        .class_lessons(1, class, monday, monday)
        .await
        .unwrap();
    assert_eq!(after.len(), lessons_before - 1);
    assert!(!after.iter().any(|l| l.number == 1));
    let before_week = Date::constant(2026, 11, 30);
    assert!(
        app.store
            .class_lessons(1, class, before_week, before_week)
            .await
            .unwrap()
            .iter()
            .any(|l| l.number == 1)
    );
    assert_eq!(week_of(app, class, monday).await.len(), week.len() - 1);
    assert_eq!(app.audit_count("setup.timetable_grid").await, 1);
    let html = app
        .page(
            &deputy,
            &format!("/setup/timetable/grid?class={class}&from=2026-12-07&done=1"),
        )
        .await;
    assert!(html.contains("Расписание сохранено") && html.contains("2026-12-07"));
}
on_both!(grid, the_grid_edits_a_week_checked_against_the_school);

async fn a_week_is_saved_through_the_api(app: &TestApp) {
    let class = app.class_id("7Б").await;
    let monday = Date::constant(2026, 12, 7);
    let deputy = app.token("deputy").await;
    let url = app.at(&format!(
        "/api/v1/timetable/templates?class_id={class}&date=2026-12-07"
    ));
    let res = app
        .client()
        .get(&url)
        .bearer_auth(&deputy)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let got: serde_json::Value = res.json().await.unwrap();
    let week = week_of(app, class, monday).await;
    let entries = got["entries"].as_array().unwrap().clone();
    assert_eq!(entries.len(), week.len());
    assert_eq!(got["valid_from"], "2026-09-01");

    let put = |body: serde_json::Value| {
        let client = app.client();
        let deputy = deputy.clone();
        let url = app.at("/api/v1/timetable/templates");
        async move {
            client
                .put(url)
                .bearer_auth(&deputy)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    // Errors by entry: a weekday outside the week, a group of another class, a double booking.
    let other_class = app.class_id("5А").await;
    let mut bad = entries.clone();
    bad[0]["weekday"] = 7.into();
    bad[1]["group_id"] = other_class.into();
    let res =
        put(serde_json::json!({"class_id": class, "valid_from": "2026-12-07", "entries": bad}))
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "validation");
    assert!(
        err["error"]["fields"]["entries[0]"]
            .as_str()
            .unwrap()
            .contains("учебной недели"),
        "{err}"
    );
    assert!(
        err["error"]["fields"]["entries[1]"]
            .as_str()
            .unwrap()
            .contains("подгруппа"),
        "{err}"
    );
    let mut twice = entries.clone();
    twice.push(entries[0].clone());
    let res =
        put(serde_json::json!({"class_id": class, "valid_from": "2026-12-07", "entries": twice}))
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    let last = format!("entries[{}]", entries.len());
    assert!(
        err["error"]["fields"][&last]
            .as_str()
            .unwrap()
            .contains("два урока"),
        "{err}"
    );
    let res =
        put(serde_json::json!({"class_id": class, "valid_from": "2030-01-10", "entries": entries}))
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A dry run of a week without its first entry: warnings, nothing saved.
    let fewer: Vec<serde_json::Value> = entries[1..].to_vec();
    let res = put(serde_json::json!({"class_id": class, "valid_from": "2026-12-07", "entries": fewer, "dry_run": true})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(out["saved"], false);
    assert!(!out["warnings"].as_array().unwrap().is_empty());
    assert_eq!(week_of(app, class, monday).await.len(), week.len());

    // Saved: the template from 7 December, the lessons derived again.
    let res =
        put(serde_json::json!({"class_id": class, "valid_from": "2026-12-07", "entries": fewer}))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["saved"],
        true
    );
    assert_eq!(week_of(app, class, monday).await.len(), week.len() - 1);
    let first = &entries[0];
    let day = Date::constant(2026, 12, 6 + first["weekday"].as_i64().unwrap() as i8);
    let lessons = app.store.class_lessons(1, class, day, day).await.unwrap();
    assert!(
        !lessons
            .iter()
            .any(|l| i64::from(l.number) == first["number"].as_i64().unwrap()
                && l.group_id == first["group_id"].as_i64().unwrap()),
        "the removed lesson is no longer derived"
    );
    assert_eq!(app.audit_count("setup.timetable_template").await, 1);
    // Others may not.
    let teacher = app.token("teacher").await;
    let res = app
        .client()
        .get(&url)
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
on_both!(api, a_week_is_saved_through_the_api);
