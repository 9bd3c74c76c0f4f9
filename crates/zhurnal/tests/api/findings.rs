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
