//! Messages between families and teachers: written only to the child's own teachers, read
//! only by the thread's members, opened to the administration by a complaint, and never
//! shared between families.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = app.csrf(client).await;
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    client
        .post(app.at(path))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn families_and_teachers_write_to_each_other(app: &TestApp) {
    let student = app.person("student").await;
    let teacher_id = app.person("teacher").await;
    let parent = app.signed_in("parent").await;
    let page = app.page(&parent, "/messages").await;
    assert!(page.contains("классный руководитель:"), "{page}");
    let to = format!("family:{student}:{teacher_id}");
    assert!(
        page.contains(&format!("value=\"{to}\"")),
        "the algebra teacher is a recipient: {page}"
    );
    // Refused without a subject; nothing is sent.
    let res = post(
        app,
        &parent,
        "/messages",
        &[("to", &to), ("topic", " "), ("body", "Текст")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("id=\"topic-error\">Укажите тему")
    );
    // Someone else's teacher-child pair is not a recipient.
    let res = post(
        app,
        &parent,
        "/messages",
        &[("to", "family:1:1"), ("topic", "Т"), ("body", "Т")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(
        app,
        &parent,
        "/messages",
        &[
            ("to", &to),
            ("topic", "Контрольная работа"),
            ("body", "Можно ли переписать контрольную?"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let thread = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(thread.starts_with("/messages/thread?id="));
    let id = thread.trim_start_matches("/messages/thread?id=").to_owned();
    // The teacher sees it unread, reads it and answers.
    let teacher = app.signed_in("teacher").await;
    let list = app.page(&teacher, "/messages").await;
    assert!(
        list.contains("Контрольная работа") && list.contains("(новых: 1)"),
        "{list}"
    );
    let html = app.page(&teacher, &thread).await;
    assert!(html.contains("Можно ли переписать контрольную?"), "{html}");
    assert!(
        !app.page(&teacher, "/messages").await.contains("(новых: 1)"),
        "read now"
    );
    let res = post(
        app,
        &teacher,
        "/messages/thread",
        &[
            ("id", &id),
            ("op", "reply"),
            ("body", "Да, в четверг после уроков."),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        app.page(&parent, &thread)
            .await
            .contains("Да, в четверг после уроков.")
    );
    assert!(
        app.page(&parent, "/notifications")
            .await
            .contains("Контрольная работа: новое сообщение")
    );
    // Nobody outside the thread reads it — not the child who was not in it, not a colleague,
    // not the administration before a complaint; each answers 404 and is audited.
    for login in ["student", "classteacher", "deputy"] {
        let client = app.signed_in(login).await;
        let res = client.get(app.at(&thread)).send().await.unwrap();
        assert!(
            res.status() == StatusCode::NOT_FOUND || res.status() == StatusCode::FORBIDDEN,
            "{login}: {}",
            res.status()
        );
    }
    let deputy = app.signed_in("deputy").await;
    let complaint = format!("/messages/complaint?id={id}");
    let res = deputy.get(app.at(&complaint)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // A complaint opens it to the administration.
    let res = post(
        app,
        &parent,
        "/messages/thread",
        &[("id", &id), ("op", "complaint")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        app.page(&deputy, "/messages/complaints")
            .await
            .contains("Контрольная работа")
    );
    let html = app.page(&deputy, &complaint).await;
    assert!(
        html.contains("Да, в четверг после уроков.") && html.contains("подана жалоба"),
        "{html}"
    );
    assert!(
        !html.contains("name=\"body\""),
        "the administration reads, it does not write here"
    );
    // The teacher writes to every family of 7Б: one thread each, so no family sees another.
    let class = app.class_id("7Б").await;
    let families = {
        let mut n = 0;
        for m in app.store.group_members(1, class).await.unwrap() {
            if !app.store.parents_of(m.id).await.unwrap().is_empty() {
                n += 1;
            }
        }
        n
    };
    let res = post(
        app,
        &teacher,
        "/messages",
        &[
            ("to", &format!("group:{class}")),
            ("topic", "Родительское собрание"),
            ("body", "В пятницу в 18:00."),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let threads = app.store.threads_of(teacher_id).await.unwrap();
    assert_eq!(
        threads
            .iter()
            .filter(|t| t.topic == "Родительское собрание")
            .count(),
        families
    );
    let parent_id = app.person("parent").await;
    let mine: Vec<_> = app
        .store
        .threads_of(parent_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.topic == "Родительское собрание")
        .collect();
    assert_eq!(mine.len(), 1);
    let (_, members, _) = app
        .store
        .thread(parent_id, mine[0].id)
        .await
        .unwrap()
        .unwrap();
    let mut expected = app.store.parents_of(student).await.unwrap();
    expected.push(teacher_id);
    expected.sort_unstable();
    assert_eq!(members, expected, "the teacher and this family only");
}
on_both!(messages, families_and_teachers_write_to_each_other);

async fn messages_through_the_api(app: &TestApp) {
    let student = app.person("student").await;
    let teacher_id = app.person("teacher").await;
    let parent = app.token("parent").await;
    let http = app.client();
    let send = |token: &str, path: &str, body: serde_json::Value| {
        http.post(app.at(path))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let list = app.api_get(&parent, "/api/v1/messages").await;
    let to = format!("family:{student}:{teacher_id}");
    assert!(
        list["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["to"] == to.as_str()),
        "{list}"
    );
    // Someone else's pair, and an empty topic: both fields named, nothing sent.
    let res = send(
        &parent,
        "/api/v1/messages",
        serde_json::json!({"to": "family:1:1", "topic": " ", "body": "Т"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(
        err["error"]["fields"]["to"].is_string() && err["error"]["fields"]["topic"].is_string(),
        "{err}"
    );
    let res = send(
        &parent,
        "/api/v1/messages",
        serde_json::json!({"to": to, "topic": "Экскурсия", "body": "Во сколько сбор?"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<serde_json::Value>().await.unwrap()["threads"][0]
        .as_i64()
        .unwrap();
    // The teacher reads it and answers; the parent sees the answer.
    let teacher = app.token("teacher").await;
    let listed = app.api_get(&teacher, "/api/v1/messages").await;
    let line = listed["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    assert_eq!(line["unread"], 1);
    let thread = app
        .api_get(&teacher, &format!("/api/v1/messages/{id}"))
        .await;
    assert_eq!(thread["messages"][0]["body"], "Во сколько сбор?");
    let res = send(
        &teacher,
        &format!("/api/v1/messages/{id}"),
        serde_json::json!({"body": "В 9:00 у школы."}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let thread = app
        .api_get(&parent, &format!("/api/v1/messages/{id}"))
        .await;
    assert_eq!(thread["messages"][1]["body"], "В 9:00 у школы.");
    assert_eq!(thread["may_complain"], true);
    // The teacher may not complain; the parent may, once.
    let res = send(
        &teacher,
        &format!("/api/v1/messages/{id}/complaint"),
        serde_json::json!({}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = send(
        &parent,
        &format!("/api/v1/messages/{id}/complaint"),
        serde_json::json!({}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // The administration lists it and reads it; a teacher has no such list.
    let director = app.token("director").await;
    let listed = app.api_get(&director, "/api/v1/messages/complaints").await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == id && t["complaint"] == true),
        "{listed}"
    );
    let read = app
        .api_get(&director, &format!("/api/v1/messages/complaints/{id}"))
        .await;
    assert_eq!(read["member"], false, "{read}");
    let res = http
        .get(app.at("/api/v1/messages/complaints"))
        .bearer_auth(&teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Another family does not see the thread at all.
    let stranger = app.token("classteacher").await;
    let res = http
        .get(app.at(&format!("/api/v1/messages/{id}")))
        .bearer_auth(&stranger)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
on_both!(messages_api, messages_through_the_api);
