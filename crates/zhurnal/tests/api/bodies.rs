//! The school's self-government bodies (§2.4): the demo's councils, a new body with members
//! through the page and through the API, one chair per body, audited.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn bodies_are_kept_with_members_and_chairs(app: &TestApp) {
    let deputy = app.signed_in("deputy").await;
    // The demo's teachers' council is chaired by the director.
    let html = app.page(&deputy, "/setup/bodies").await;
    assert!(
        html.contains("Органы управления и самоуправления"),
        "{html}"
    );
    assert!(html.contains("Педагогический совет") && html.contains("Управляющий совет"));
    assert!(html.contains("Председатель"));

    // A student council through the page: an empty name is refused next to the field.
    let res = app
        .submit(
            &deputy,
            "/setup/bodies",
            &[
                ("op", "add_body"),
                ("kind", "student_council"),
                ("name", " "),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"body-error\""));
    let res = app
        .submit(
            &deputy,
            "/setup/bodies",
            &[
                ("op", "add_body"),
                ("kind", "student_council"),
                ("name", "Совет обучающихся"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bodies = app.store.bodies(1).await.unwrap();
    let student = bodies
        .iter()
        .find(|b| b.kind == "student_council")
        .unwrap()
        .id;
    let body = student.to_string();
    // A named member chairs it; a second chair is refused with a message saying why.
    let res = app
        .submit(
            &deputy,
            "/setup/bodies",
            &[
                ("op", "add_member"),
                ("body", &body),
                ("full_name", "Орлова Дарья Игоревна"),
                ("represents", "обучающиеся 11А"),
                ("role", "chair"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .submit(
            &deputy,
            "/setup/bodies",
            &[
                ("op", "add_member"),
                ("body", &body),
                ("full_name", "Соколов Илья Павлович"),
                ("represents", "обучающиеся 10Б"),
                ("role", "chair"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("уже есть председатель"));
    // Neither a staff member nor a name: refused.
    let res = app
        .submit(
            &deputy,
            "/setup/bodies",
            &[("op", "add_member"), ("body", &body), ("role", "member")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Through the API: the list, a member added by staff id (position by default), removed.
    let token = app.token("deputy").await;
    let list: Value = app.api_get(&token, "/api/v1/schools/1/bodies").await;
    let council = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == student)
        .unwrap();
    assert_eq!(council["members"][0]["role"], "chair");
    assert_eq!(council["members"][0]["full_name"], "Орлова Дарья Игоревна");
    let staff = app.store.staff(1).await.unwrap();
    let teacher = staff.iter().find(|s| s.position == "Учитель").unwrap();
    let res = app
        .client()
        .post(app.at(&format!("/api/v1/schools/1/bodies/{student}/members")))
        .bearer_auth(&token)
        .json(&json!({"person_id": teacher.person_id, "role": "secretary"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let member = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let members = app.store.body_members(1).await.unwrap();
    let added = members.iter().find(|m| m.id == member).unwrap();
    assert_eq!(added.represents, "Учитель");
    assert_eq!(added.role, "secretary");
    let res = app
        .client()
        .post(app.at(&format!("/api/v1/schools/1/bodies/{student}/members")))
        .bearer_auth(&token)
        .json(&json!({"person_id": teacher.person_id, "full_name": "Кто-то Ещё", "role": "member"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    assert!(err["error"]["fields"]["full_name"].is_string(), "{err}");
    let url = app.at(&format!("/api/v1/schools/1/bodies/members/{member}"));
    let res = app
        .client()
        .delete(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .client()
        .delete(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // A body of another school cannot be touched: the same answer as a missing one.
    let other = app.store.bodies(2).await.unwrap()[0].id;
    let res = app
        .client()
        .post(app.at(&format!("/api/v1/schools/1/bodies/{other}/members")))
        .bearer_auth(&token)
        .json(&json!({"full_name": "Чужой Человек", "role": "member"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.audit_count("setup.body").await,
        5,
        "four from the demo, one here"
    );
    assert!(app.audit_count("setup.body_member_remove").await == 1);
    // Teachers do not manage bodies.
    let teacher_client = app.signed_in("teacher").await;
    let res = teacher_client
        .get(app.at("/setup/bodies"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
on_both!(bodies, bodies_are_kept_with_members_and_chairs);
