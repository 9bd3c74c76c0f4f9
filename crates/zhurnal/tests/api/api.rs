//! The JSON API: tokens, /me, errors, the OpenAPI document.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;

async fn token_and_me(app: &TestApp) {
    let res = app
        .client()
        .post(app.at("/api/v1/auth/token"))
        .json(&serde_json::json!({"login": "Parent", "password": "demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap();
    let me: serde_json::Value = app.api_get(token, "/api/v1/me").await;
    assert_eq!(me["login"], "parent");
    assert!(me["id"].is_i64() && me["person_id"].is_i64());
    assert!(me["full_name"].as_str().unwrap().split(' ').count() >= 2);
    assert_eq!(me["roles"][0]["role"], "parent");
    assert_eq!(me["roles"][0]["school_id"], 1);
    let children = me["children"].as_array().unwrap();
    assert_eq!(children.len(), 2);
    let classes: Vec<&str> = children
        .iter()
        .map(|c| c["class_name"].as_str().unwrap())
        .collect();
    assert!(
        classes.contains(&"7Б") && classes.contains(&"3А"),
        "{classes:?}"
    );
    // The student's person is the parent's child.
    let student_token = app.token("student").await;
    let student: serde_json::Value = app.api_get(&student_token, "/api/v1/me").await;
    assert!(
        children
            .iter()
            .any(|c| c["person_id"] == student["person_id"])
    );
    assert_eq!(student["children"].as_array().unwrap().len(), 0);
}
on_both!(me, token_and_me);

async fn a_bearer_token_can_be_revoked(app: &TestApp) {
    let token = app.token("teacher").await;
    let res = app
        .client()
        .post(app.at("/api/v1/auth/revoke"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .client()
        .get(app.at("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A token expires.
    let token = app.token("teacher").await;
    app.clock.advance_secs(3601);
    let res = app
        .client()
        .get(app.at("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A web session cookie value is not accepted as a bearer token, nor the reverse.
    let res = app
        .client()
        .get(app.at("/api/v1/me"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
on_both!(revoke, a_bearer_token_can_be_revoked);

async fn bad_input_gets_structured_errors(app: &TestApp) {
    let url = app.at("/api/v1/auth/token");
    for (body, content_type) in [
        ("{not json", "application/json"),
        ("{\"login\":\"teacher\"}", "application/json"),
        (
            "{\"login\":\"teacher\",\"password\":\"demo\",\"role\":\"director\"}",
            "application/json",
        ),
        (
            "login=teacher&password=demo",
            "application/x-www-form-urlencoded",
        ),
    ] {
        let res = app
            .client()
            .post(&url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{body}: {}", res.status());
        assert_eq!(res.headers()["content-type"], "application/json", "{body}");
        let json: serde_json::Value = res.json().await.unwrap();
        assert!(
            json["error"]["code"].is_string() && json["error"]["message"].is_string(),
            "{json}"
        );
    }
}
on_both!(api_errors, bad_input_gets_structured_errors);

async fn the_openapi_document_is_served(app: &TestApp) {
    let doc: serde_json::Value = app
        .client()
        .get(app.at("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/auth/token", "/api/v1/me", "/api/v1/schools"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
on_both!(openapi, the_openapi_document_is_served);

async fn schools_in_scope_through_the_api(app: &TestApp) {
    let token = app.token("inspector").await;
    let schools: serde_json::Value = app.api_get(&token, "/api/v1/schools").await;
    let list = schools.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["time_zone"], "Asia/Vladivostok");
    assert!(list[0]["students"].as_i64().unwrap() > 600, "{}", list[0]);
    assert_eq!(list[0]["classes"], 30);
    let token = app.token("director").await;
    let schools: serde_json::Value = app.api_get(&token, "/api/v1/schools").await;
    assert_eq!(schools.as_array().unwrap().len(), 1);
}
on_both!(schools, schools_in_scope_through_the_api);
