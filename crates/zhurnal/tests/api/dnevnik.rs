//! The Dnevnik.ru v2–compatible surface, checked with a published client of that API
//! (`pydnevnikruapi` from PyPI, not written here) run against the real server: its login
//! flow, a token, every core endpoint, and what a user would read there — a mark entered
//! through `/api/v1` appears through the compatible surface.
//!
//! The client runs in the virtual environment of [`clients_python`].

use crate::helpers::{TestApp, clients_dir, clients_python};
use crate::on_both;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// Runs the client with `args` and returns what it read.
async fn client(python: &Path, app: &TestApp, args: &[&str]) -> Value {
    let mut cmd = Command::new(python);
    cmd.arg(clients_dir().join("dnevnik_client.py"))
        .args(["--base", app.at("").trim_end_matches('/')])
        .args(["--from", "2026-11-23", "--to", "2026-11-28"])
        .args(args);
    // The server runs on this test's runtime: wait for the client off its threads.
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("the client runs");
    assert!(
        out.status.success(),
        "client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "client output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

async fn api_put(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app
        .client()
        .request(Method::PUT, app.at(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json().await.unwrap_or(Value::Null)
}

fn ids(list: &Value, key: &str) -> Vec<i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .filter_map(|v| v[key].as_i64())
        .collect()
}

async fn a_published_client_reads_the_diary(app: &TestApp) {
    let Some(python) = clients_python() else {
        return;
    };
    let student = app.person("student").await;
    let lesson = app.algebra_lesson().await;
    // The teacher writes a mark, an absence and homework through Zhurnal's own API.
    let teacher = app.token("teacher").await;
    let mark = api_put(
        app,
        &teacher,
        "/api/v1/journal/marks",
        json!({"lesson_id": lesson.id, "person_id": student, "value": "5", "idempotency_key": "dn-1"}),
    )
    .await;
    let mark_id = mark["mark_id"].as_i64().expect("mark id");
    api_put(
        app,
        &teacher,
        "/api/v1/journal/absences",
        json!({"lesson_id": lesson.id, "person_id": student, "status": "late"}),
    )
    .await;
    api_put(
        app,
        &teacher,
        &format!("/api/v1/journal/lessons/{}", lesson.id),
        json!({"topic": "Линейная функция и её график", "homework": "№ 301, 305 — построить графики"}),
    )
    .await;
    let classmate = app
        .store
        .group_members(1, app.class_id("7Б").await)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id != student)
        .unwrap()
        .id;
    let denied_before = app.audit_count("authz.denied").await;

    // The student signs in through the client's own login flow.
    let foreign = classmate.to_string();
    let got = client(
        &python,
        app,
        &[
            "--login",
            "student",
            "--password",
            "demo",
            "--foreign",
            &foreign,
        ],
    )
    .await;
    assert!(got.get("login_error").is_none(), "{got}");
    assert_eq!(got["token"].as_str().map(str::len), Some(64));
    assert_eq!(got["info"]["personId"], student);
    assert_eq!(got["info"]["personId_str"], student.to_string());
    assert_eq!(got["info"]["firstName"], "Анастасия");
    assert_eq!(got["info"]["roles"], json!(["EduStudent"]));
    assert_eq!(got["context"]["schools"][0]["name"], "МБОУ СОШ № 7");
    assert_eq!(got["school"][0]["id"], 1);
    assert_eq!(got["schools"], json!([1]));
    assert_eq!(got["group"]["name"], "7Б");
    assert_eq!(got["group"]["type"], "Group");
    // A student sees themself in the class list, nobody else.
    assert_eq!(ids(&got["pupils"], "id"), vec![student]);
    assert!(
        got["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Алгебра")
    );
    // The lesson, its subject, topic and homework.
    let lessons = got["lessons"].as_array().unwrap();
    let algebra = lessons
        .iter()
        .find(|l| l["id"] == lesson.id)
        .expect("the algebra lesson");
    assert_eq!(algebra["subject"]["name"], "Алгебра");
    assert_eq!(algebra["title"], "Линейная функция и её график");
    assert!(
        algebra["date"]
            .as_str()
            .unwrap()
            .starts_with(&lesson.date.to_string())
    );
    // The mark entered through /api/v1, as the client reads it.
    let marks = got["marks"].as_array().unwrap();
    let five = marks
        .iter()
        .find(|m| m["id"] == mark_id)
        .expect("the new mark");
    assert_eq!(five["value"], "5");
    assert_eq!(five["lesson"], lesson.id);
    assert_eq!(five["lesson_str"], lesson.id.to_string());
    assert_eq!(five["mood"], "Good");
    assert!(
        got["subject_marks"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    // Homework: the works with their text, the lesson rows with hours.
    let works = got["homework"]["works"].as_array().unwrap();
    assert!(
        works
            .iter()
            .any(|w| w["text"] == "№ 301, 305 — построить графики"),
        "{}",
        got["homework"]
    );
    assert_eq!(got["homework"], got["my_homework"]);
    // The schedule, day by day: Monday to Saturday, with the mark and the late arrival.
    let days = got["schedule"]["days"].as_array().unwrap();
    assert_eq!(days.len(), 6);
    let day = days
        .iter()
        .find(|d| {
            d["date"]
                .as_str()
                .unwrap()
                .starts_with(&lesson.date.to_string())
        })
        .unwrap();
    assert!(
        day["marks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == mark_id)
    );
    assert!(
        day["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["hours"].as_str().unwrap().contains(" - "))
    );
    assert!(
        day["lessonLogEntries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["status"] == "Late")
    );
    assert!(
        got["attendance"]["logEntries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["lesson"] == lesson.id && e["status"] == "Late")
    );
    // Bells, periods, final marks, the average with a decimal comma.
    assert!(!got["timetable"]["Items"].as_array().unwrap().is_empty());
    let periods: Vec<&str> = got["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(periods.contains(&"II четверть"), "{periods:?}");
    let finals = &got["final_marks"];
    assert!(!finals["marks"].as_array().unwrap().is_empty(), "{finals}");
    let work = finals["works"][0].clone();
    assert_eq!(work["periodType"], "Quarter");
    assert!(
        got["average"].as_str().unwrap().contains(','),
        "{}",
        got["average"]
    );
    assert_eq!(
        got["statuses"],
        json!(["Attend", "Absent", "Ill", "Late", "Pass"])
    );
    // A classmate's marks: the client gets the service's error object as if nothing were
    // there, and the attempt is audited.
    assert_eq!(got["foreign"]["type"], "apiResourceUnavailable");
    assert!(app.audit_count("authz.denied").await > denied_before);
    assert!(
        got["bad_date"].as_str().unwrap().contains("not-a-date"),
        "{}",
        got["bad_date"]
    );

    // The same through a token only, on the /v2.0/ spelling of the paths.
    let token = got["token"].as_str().unwrap().to_owned();
    let again = client(&python, app, &["--token", &token, "--prefix", "v2.0"]).await;
    assert_eq!(again["marks"], got["marks"]);

    // A parent reads a child; another family's child does not exist for them.
    let by_parent = client(
        &python,
        app,
        &[
            "--login",
            "parent",
            "--password",
            "demo",
            "--person",
            &student.to_string(),
            "--foreign",
            &foreign,
        ],
    )
    .await;
    assert_eq!(by_parent["info"]["roles"], json!(["EduParent"]));
    let children: Vec<i64> = by_parent["context"]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["personId"].as_i64().unwrap())
        .collect();
    assert!(
        children.contains(&student) && children.contains(&app.sibling().await),
        "{children:?}"
    );
    assert!(
        by_parent["marks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == mark_id)
    );
    assert_eq!(by_parent["foreign"]["type"], "apiResourceUnavailable");

    // A wrong password: the client's own error.
    let refused = client(&python, app, &["--login", "student", "--password", "wrong"]).await;
    assert_eq!(refused["login_error"], "Authentication failed");
}
on_both!(
    published_client,
    a_published_client_reads_the_diary,
    spawn_filled
);

async fn the_wire_rules_hold(app: &TestApp) {
    let http = app.client();
    // A token by credentials; then the token in the query string; JSON errors everywhere.
    let res = http
        .post(app.at("/v2/authorizations/bycredentials"))
        .json(&json!({"username": "student", "password": "demo", "client_id": "x", "client_secret": "y", "scope": "Schools"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let token = body["accessToken"].as_str().unwrap().to_owned();
    assert_eq!(body["person"], app.person("student").await);
    let me: Value = http
        .get(app.at(&format!("/v2.0/users/me?access_token={token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["login"], "student");
    let res = http
        .post(app.at("/v2/authorizations/bycredentials"))
        .json(&json!({"username": "student", "password": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["type"], "authorizationFailed");

    for (path, status, kind) in [
        (
            "/v2/users/me",
            StatusCode::UNAUTHORIZED,
            "authorizationInvalidToken",
        ),
        (
            "/v2/no/such/method",
            StatusCode::NOT_FOUND,
            "apiMethodNotSupported",
        ),
    ] {
        let res = http.get(app.at(path)).send().await.unwrap();
        assert_eq!(res.status(), status, "{path}");
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "application/json",
            "{path}"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["type"], kind, "{path}");
        assert!(!body["description"].as_str().unwrap().is_empty());
    }
    // A date the server cannot read is `parameterInvalid`, naming it.
    let class = app.class_id("7Б").await;
    let res = http
        .get(app.at(&format!(
            "/v2/edu-groups/{class}/lessons/2026-13-01/2026-11-28"
        )))
        .header("Access-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["type"], "parameterInvalid");
    assert!(body["description"].as_str().unwrap().contains("2026-13-01"));
    // The older client's absolute-URL bug and unpadded dates.
    let student = app.person("student").await;
    let res = http
        .get(app.at(&format!(
            "/v2/https://api.dnevnik.ru/v2.0/persons/{student}/groups/{class}/schedules?startDate=2026-11-23+00%3A00%3A00&endDate=2026-11-24+00%3A00%3A00"
        )))
        .header("Access-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["days"].as_array().unwrap().len(), 2);
    let res = http
        .get(app.at(&format!(
            "/v2/edu-groups/{class}/lessons/2026-11-23T8:5:0/2026-11-23"
        )))
        .header("Access-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let lessons: Value = res.json().await.unwrap();
    assert!(!lessons.as_array().unwrap().is_empty());
    // A teacher sees the class they teach whole; another class's teacher's group does not exist.
    let teacher = app.token("teacher").await;
    let res = http
        .get(app.at(&format!("/v2/edu-groups/{class}/persons")))
        .header("Access-Token", &teacher)
        .send()
        .await
        .unwrap();
    let persons: Value = res.json().await.unwrap();
    assert!(persons.as_array().unwrap().len() > 20, "{persons}");
    // Sign-in flow refusals land on the result page without `result=success`.
    let res = http
        .post(app.at("/login/?login=student&password=wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/oauth2/Authorization/Result?") && !to.contains("result=success"),
        "{to}"
    );
    let page = http.get(app.at(&to)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Войти не удалось"));
}
on_both!(wire_rules, the_wire_rules_hold);
