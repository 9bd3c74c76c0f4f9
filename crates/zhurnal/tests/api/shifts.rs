//! Two shifts and days with bells of their own (§2.6; DOMAIN.md §3): a class moved to the
//! second shift shows the second shift's times, a Monday with its own bells shows them, and
//! the grades that must study in the first shift cannot be moved.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use zhurnal_store::SchoolProfile;

async fn set_shifts(app: &TestApp, shifts: i32) {
    let s = app.store.school(1).await.unwrap().unwrap();
    let profile = SchoolProfile {
        short_name: s.short_name,
        full_name: s.full_name,
        kind: s.kind,
        city: s.city,
        address: s.address,
        phone: s.phone,
        email: s.email,
        time_zone: s.time_zone,
        shifts,
    };
    app.store
        .update_school_profile(
            1,
            &profile,
            &zhurnal_store::AuditEntry {
                action: "setup.profile".into(),
                outcome: "success".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
}

fn second_shift_bells() -> Vec<(&'static str, &'static str)> {
    vec![
        ("shift", "2"),
        ("weekday", "0"),
        ("start_1", "13:30"),
        ("end_1", "14:15"),
        ("start_2", "14:25"),
        ("end_2", "15:10"),
        ("start_3", "15:30"),
        ("end_3", "16:15"),
        ("start_4", "16:35"),
        ("end_4", "17:20"),
        ("start_5", "17:30"),
        ("end_5", "18:15"),
    ]
}

async fn classes_follow_their_shift_and_day_bells(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    let seventh = app.class_id("7Б").await;
    let fifth = app.class_id("5А").await;
    let seventh_s = seventh.to_string();
    let fifth_s = fifth.to_string();
    let edit = |class: &'static str, shift: &'static str| {
        vec![
            ("op", "edit_class"),
            ("year", "2026"),
            ("class", class),
            ("capacity", "30"),
            ("shift", shift),
        ]
    };
    // One shift in the profile: no class goes to a second one.
    let mut form = edit("", "2");
    form[2].1 = &seventh_s;
    let res = app.submit(&deputy, "/setup/classes", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("одна смена"));
    set_shifts(app, 2).await;
    // Grade 5 studies in the first shift only; grade 7 may move.
    let mut form = edit("", "2");
    form[2].1 = &fifth_s;
    let res = app.submit(&deputy, "/setup/classes", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("только в первую смену"));
    let mut form = edit("", "2");
    form[2].1 = &seventh_s;
    let res = app.submit(&deputy, "/setup/classes", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.store.class_shifts(1).await.unwrap()[&seventh], 2);
    assert_eq!(app.audit_count("setup.class_edit").await, 1);

    // Until the second shift has bells, its classes show the first shift's.
    let week = format!("/timetable?class={seventh}&date=2026-12-08");
    assert!(app.page(&deputy, &week).await.contains("08:30–09:15"));
    let res = app
        .submit(&deputy, "/setup/bells?shift=2", &second_shift_bells())
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&deputy, &week).await;
    assert!(
        html.contains("13:30–14:15") && !html.contains("08:30–09:15"),
        "{html}"
    );
    // 5А stays in the first shift.
    let html = app
        .page(
            &deputy,
            &format!("/timetable?class={fifth}&date=2026-12-08"),
        )
        .await;
    assert!(html.contains("08:30–09:15"));

    // A Monday of its own in the first shift: 5А's Monday lessons show the day's times in
    // their cells; Tuesday's do not.
    let mut monday: Vec<(&str, &str)> = vec![("shift", "1"), ("weekday", "1")];
    monday.extend([
        ("start_1", "08:30"),
        ("end_1", "09:00"),
        ("start_2", "09:10"),
        ("end_2", "09:50"),
        ("start_3", "10:10"),
        ("end_3", "10:50"),
        ("start_4", "11:10"),
        ("end_4", "11:50"),
        ("start_5", "12:00"),
        ("end_5", "12:40"),
        ("start_6", "12:50"),
        ("end_6", "13:30"),
        ("start_7", "13:40"),
        ("end_7", "14:20"),
    ]);
    let res = app.submit(&deputy, "/setup/bells", &monday).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .page(
            &deputy,
            &format!("/timetable?class={fifth}&date=2026-12-07"),
        )
        .await;
    assert!(
        html.contains("09:10–09:50"),
        "Monday's own times in the cells"
    );
    assert!(
        html.contains("09:25–10:10"),
        "the row still shows the every-day times"
    );
    let page = app.page(&deputy, "/setup/bells?shift=1&weekday=1").await;
    assert!(page.contains("Удалить это расписание") && page.contains("1 смена, Пн"));
    // Removed: Monday follows the shift again.
    let res = app
        .submit(
            &deputy,
            "/setup/bells?shift=1&weekday=1",
            &[("shift", "1"), ("weekday", "1"), ("op", "delete")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .page(
            &deputy,
            &format!("/timetable?class={fifth}&date=2026-12-07"),
        )
        .await;
    assert!(!html.contains("09:10–09:50"));
    assert_eq!(app.audit_count("setup.bells_remove").await, 1);
    let page = app.page(&deputy, "/setup/bells?shift=1&weekday=1").await;
    assert!(page.contains("нет своего расписания звонков"));

    // The same through the API.
    let token = app.token("deputy").await;
    let got: serde_json::Value = app.api_get(&token, "/api/v1/schools/1/bells").await;
    let second = got
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shift"] == 2)
        .unwrap();
    assert_eq!(second["bells"][0]["start"], "13:30");
    let put = |query: &'static str, body: serde_json::Value| {
        let req = app
            .client()
            .put(app.at(&format!("/api/v1/schools/1/bells{query}")))
            .bearer_auth(&token)
            .json(&body);
        async move { req.send().await.unwrap() }
    };
    let early = serde_json::json!({"bells": [
        {"number": 1, "start": "07:45", "end": "08:30"},
        {"number": 2, "start": "08:40", "end": "09:25"}
    ]});
    let res = put("?shift=1&weekday=5", early).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(
        err["error"]["fields"]["bells[0]"]
            .as_str()
            .unwrap()
            .contains("8:00"),
        "{err}"
    );
    let res = put("?shift=1&weekday=6", serde_json::json!({"bells": []})).await;
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "a five-day school has no Saturday"
    );
    let friday = serde_json::json!({"bells": [
        {"number": 1, "start": "08:30", "end": "09:10"},
        {"number": 2, "start": "09:20", "end": "10:00"},
        {"number": 3, "start": "10:20", "end": "11:00"},
        {"number": 4, "start": "11:20", "end": "12:00"}
    ]});
    let res = put("?shift=1&weekday=5", friday).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = app
        .page(
            &deputy,
            &format!("/timetable?class={fifth}&date=2026-12-11"),
        )
        .await;
    assert!(html.contains("09:20–10:00"), "Friday's own times");
}
on_both!(shifts, classes_follow_their_shift_and_day_bells);
