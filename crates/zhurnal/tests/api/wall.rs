//! The class wall (§3.5): the class teacher posts, every family of the class reads it next
//! to the diary and gets a notice; other classes' families see nothing of it.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;

async fn the_class_teacher_posts_and_the_class_families_read(app: &TestApp) {
    let (student, parent) = (app.person("student").await, app.person("parent").await);
    let sibling = app.sibling().await;
    let class = app.class_id("7Б").await.to_string();
    let tutor = app.signed_in("classteacher").await;
    let html = app.page(&tutor, "/wall").await;
    assert!(html.contains("Стена класса 7Б"), "{html}");
    assert!(html.contains("На стене пока нет записей."), "{html}");

    // An empty post is refused next to its field.
    let res = app
        .submit(
            &tutor,
            "/wall",
            &[("class", &class), ("op", "post"), ("body", "  ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("id=\"body-error\">напишите текст записи")
    );

    let before = app.store.unread_notices(parent).await.unwrap();
    let text =
        "Родительское собрание в четверг в 18:00.\r\n\r\nКабинет 21. <script>alert(1)</script>";
    let res = app
        .submit(
            &tutor,
            "/wall",
            &[("class", &class), ("op", "post"), ("body", text)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .page(&tutor, res.headers()["location"].to_str().unwrap())
        .await;
    assert!(html.contains("Запись опубликована"), "{html}");
    assert!(
        html.contains("<p>Родительское собрание в четверг в 18:00.</p>"),
        "{html}"
    );
    assert!(
        html.contains("Кабинет 21. &#60;script&#62;"),
        "escaped: {html}"
    );
    assert!(!html.contains("<script>alert"), "{html}");

    // The parent reads it on the child's class wall and has a notice about it.
    let family = app.signed_in("parent").await;
    let html = app
        .page(&family, &format!("/diary/wall?child={student}"))
        .await;
    assert!(html.contains("Стена класса 7Б"), "{html}");
    assert!(html.contains("Родительское собрание в четверг"), "{html}");
    assert_eq!(app.store.unread_notices(parent).await.unwrap(), before + 1);
    let html = app.page(&family, "/notifications").await;
    assert!(
        html.contains("7Б: запись на стене класса «Родительское собрание в четверг в 18:00."),
        "{html}"
    );
    // The other child's class wall does not have it; the student sees their own.
    let html = app
        .page(&family, &format!("/diary/wall?child={sibling}"))
        .await;
    assert!(!html.contains("Родительское собрание"), "{html}");
    let pupil = app.signed_in("student").await;
    let html = app.page(&pupil, "/diary/wall").await;
    assert!(html.contains("Родительское собрание"), "{html}");

    // Only the class's own teacher writes there.
    let teacher = app.signed_in("teacher").await;
    let res = teacher.get(app.at("/wall")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let other = app.class_id("3А").await.to_string();
    let res = app
        .submit(
            &tutor,
            "/wall",
            &[("class", &other), ("op", "post"), ("body", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Removing takes it off every family's wall; a second removal finds nothing.
    let html = app.page(&tutor, "/wall").await;
    let id = crate::helpers::hidden_value(
        &html[html.find("name=\"op\" value=\"remove\"").unwrap()..],
        "id",
    )
    .unwrap();
    let res = app
        .submit(
            &tutor,
            "/wall",
            &[("class", &class), ("op", "remove"), ("id", &id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app
        .page(&family, &format!("/diary/wall?child={student}"))
        .await;
    assert!(!html.contains("Родительское собрание"), "{html}");
    let res = app
        .submit(
            &tutor,
            "/wall",
            &[("class", &class), ("op", "remove"), ("id", &id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("wall.post").await, 1);
    assert_eq!(app.audit_count("wall.remove").await, 1);
}

on_both!(
    class_wall,
    the_class_teacher_posts_and_the_class_families_read
);

async fn the_wall_through_the_api(app: &TestApp) {
    let parent = app.person("parent").await;
    let class = app.class_id("7Б").await;
    let tutor = app.token("classteacher").await;
    let http = app.client();
    // Empty: refused, naming the field.
    let res = http
        .post(app.at("/api/v1/wall"))
        .bearer_auth(&tutor)
        .json(&serde_json::json!({"class_id": class, "body": " "}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["error"]["fields"]["body"].is_string(), "{err}");
    let before = app.store.unread_notices(parent).await.unwrap();
    let res = http
        .post(app.at("/api/v1/wall"))
        .bearer_auth(&tutor)
        .json(&serde_json::json!({"class_id": class, "body": "Родительское собрание в четверг в 18:00.\r\n\r\nКабинет 214."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.store.unread_notices(parent).await.unwrap(), before + 1);
    // The family reads it beside the diary; the teacher sees it on the class's wall.
    let family = app.token("parent").await;
    let wall = app
        .api_get(
            &family,
            &format!("/api/v1/diary/wall?child={}", app.person("student").await),
        )
        .await;
    assert_eq!(wall["class"], "7Б");
    assert_eq!(wall["posts"][0]["id"], id);
    assert_eq!(
        wall["posts"][0]["body"],
        "Родительское собрание в четверг в 18:00.\n\nКабинет 214."
    );
    let theirs = app.api_get(&tutor, "/api/v1/wall").await;
    assert_eq!(theirs["posts"][0]["id"], id);
    // Another class's teacher cannot remove it; the class teacher can.
    let other = app.token("deputy").await;
    let res = http
        .delete(app.at(&format!("/api/v1/wall/{id}")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(res.status(), StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        res.status()
    );
    let res = http
        .delete(app.at(&format!("/api/v1/wall/{id}")))
        .bearer_auth(&tutor)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let wall = app.api_get(&family, "/api/v1/diary/wall").await;
    assert!(
        wall["posts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != id)
    );
    assert_eq!(app.audit_count("wall.remove").await, 1);
}
on_both!(wall_api, the_wall_through_the_api);
