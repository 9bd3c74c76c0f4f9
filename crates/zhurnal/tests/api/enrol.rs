//! A real school from zero (issue 17): the operator's command line creates a municipality,
//! a school and its deputy with an access code; the deputy signs up with it; the roster is
//! imported from a workbook another program wrote (one bad row refused, nothing applied;
//! fixed, applied; the same file again changes nothing); a parent gets a code, signs up and
//! sees the child. Codes: one answer for wrong, used, expired and revoked ones.

use crate::helpers::{TestApp, multipart};
use crate::on_both;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::Command;
use zhurnal_store::DatabaseUrl;

const BAD: &[u8] = include_bytes!("../fixtures/roster_bad_row.xlsx");
const GOOD: &[u8] = include_bytes!("../fixtures/roster.xlsx");

fn cli(app: &TestApp, args: &[&str]) -> String {
    let db = match &app.database {
        DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = Command::new(env!("CARGO_BIN_EXE_zhurnal"))
        .args(args)
        .env("ZHURNAL_DATABASE_URL", db)
        .output()
        .expect("run zhurnal");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "zhurnal {args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

async fn register(app: &TestApp, code: &str, login: &str) -> reqwest::Response {
    app.client()
        .post(app.at("/api/v1/register"))
        .json(&json!({ "code": code, "login": login, "password": "зелёный чай с мятой" }))
        .send()
        .await
        .unwrap()
}

async fn token_of(app: &TestApp, login: &str) -> String {
    let res = app
        .client()
        .post(app.at("/api/v1/auth/token"))
        .json(&json!({ "login": login, "password": "зелёный чай с мятой" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "token for {login}");
    let body: Value = res.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

async fn roster(
    app: &TestApp,
    token: &str,
    school: &str,
    file: &[u8],
    apply: bool,
) -> (StatusCode, Value) {
    let res = app
        .client()
        .post(app.at(&format!("/api/v1/schools/{school}/roster?apply={apply}")))
        .bearer_auth(token)
        .body(file.to_vec())
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

async fn code_for(app: &TestApp, token: &str, school: &str, person: i64) -> (StatusCode, Value) {
    let res = app
        .client()
        .post(app.at(&format!("/api/v1/schools/{school}/access-codes")))
        .bearer_auth(token)
        .json(&json!({ "person_id": person, "applied_on": "2026-11-27" }))
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

async fn person_named(app: &TestApp, last: &str, first: &str) -> i64 {
    let accounts = app.store.persons_named(last, first).await.unwrap();
    *accounts.first().expect("the person")
}

async fn a_school_starts_from_zero(app: &TestApp) {
    // The operator's command line: a municipality, a school, its deputy with a code.
    let m = cli(
        app,
        &[
            "municipality",
            "add",
            "--name",
            "Тестовый округ",
            "--time-zone",
            "Asia/Vladivostok",
        ],
    );
    let school = cli(
        app,
        &[
            "school",
            "add",
            "--municipality",
            m.trim(),
            "--name",
            "Школа с нуля",
            "--short-name",
            "Школа 0",
        ],
    );
    let school = school.trim().to_owned();
    let out = cli(
        app,
        &[
            "staff",
            "add",
            "--school",
            &school,
            "--last-name",
            "Орлова",
            "--first-name",
            "Наталья",
            "--position",
            "Заместитель директора",
            "--role",
            "deputy_director",
            "--role",
            "clerk",
            "--access-code",
        ],
    );
    let code = out
        .split_whitespace()
        .skip_while(|w| *w != "code")
        .nth(1)
        .expect("the code is printed")
        .to_owned();

    // A wrong code and the right one: the deputy signs up once, and only once.
    let wrong = register(app, "AAAA-BBBB-CCCC", "orlova.n").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong: Value = wrong.json().await.unwrap();
    let ok = register(app, &code.to_lowercase(), "orlova.n").await;
    assert_eq!(
        ok.status(),
        StatusCode::CREATED,
        "the code works in any case"
    );
    let again = register(app, &code, "orlova.n2").await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again: Value = again.json().await.unwrap();
    assert_eq!(wrong, again, "a used code answers exactly as a wrong one");
    let deputy = token_of(app, "orlova.n").await;

    // The roster with one bad row: named by row and column, nothing applied.
    let (status, body) = roster(app, &deputy, &school, BAD, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["applied"], false);
    let problems = body["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{body}");
    assert_eq!(problems[0]["row"], 4);
    assert_eq!(problems[0]["column"], "Дата рождения");
    assert_eq!(problems[0]["code"], "bad_date");
    let id: i64 = school.parse().unwrap();
    assert!(
        app.store.school_classes(id, 2026).await.unwrap().is_empty(),
        "nothing applied"
    );

    // Fixed: checked, applied, and applied again without a change.
    let (status, body) = roster(app, &deputy, &school, GOOD, false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applied"], false, "a check changes nothing");
    let (status, body) = roster(app, &deputy, &school, GOOD, true).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["applied"], true);
    let fates: Vec<&str> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fate"].as_str().unwrap())
        .collect();
    assert_eq!(fates, ["new"; 4]);
    assert_eq!(body["new_classes"], json!(["1А", "3Б", "1Б"]));
    assert_eq!(
        body["new_parents"], 4,
        "the two children's mother is one person"
    );
    let (_, body) = roster(app, &deputy, &school, GOOD, true).await;
    let fates: Vec<&str> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fate"].as_str().unwrap())
        .collect();
    assert_eq!(
        fates, ["unchanged"; 4],
        "the same file again changes nothing"
    );

    // A first-grader's mother gets a code; a second code revokes the first.
    let mother = person_named(app, "Ким", "Ольга").await;
    let (status, first) = code_for(app, &deputy, &school, mother).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (_, second) = code_for(app, &deputy, &school, mother).await;
    let revoked = register(app, first["code"].as_str().unwrap(), "kim.olga").await;
    assert_eq!(
        revoked.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the reissued code is void"
    );
    let ok = register(app, second["code"].as_str().unwrap(), "kim.olga").await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let parent = token_of(app, "kim.olga").await;
    let me = app.api_get(&parent, "/api/v1/me").await;
    let children = me["children"].as_array().expect("children");
    assert_eq!(children.len(), 1, "{me}");
    assert!(children[0].to_string().contains("Даниил"), "{me}");

    // Another school's clerk reaches neither the roster nor the people of this school.
    let clerk = app.token("clerk").await;
    let (status, _) = roster(app, &clerk, &school, GOOD, false).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = code_for(app, &deputy, &school, app.person("teacher").await).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a person of another school answers as missing"
    );

    // A code expires: 15 days later it answers as a wrong one.
    let father = person_named(app, "Тихонов", "Андрей").await;
    let (_, late) = code_for(app, &deputy, &school, father).await;
    app.clock.advance_secs(15 * 86_400);
    let expired = register(app, late["code"].as_str().unwrap(), "tikhonov.a").await;
    assert_eq!(expired.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let expired: Value = expired.json().await.unwrap();
    assert_eq!(expired, wrong);
}
on_both!(school_from_zero, a_school_starts_from_zero);

/// The clerk's pages: the import checked and applied through the form, the class's access
/// list, and a code's slip.
async fn the_clerks_pages_work(app: &TestApp) {
    let clerk = app.signed_in("clerk").await;
    let csrf = app.csrf(&clerk).await;
    let page = app.page(&clerk, "/roster/import").await;
    assert!(page.contains("Загрузка списка учеников"), "{page}");
    let send = |file: &'static [u8], op: &'static str| {
        let (ctype, body) = multipart(&[("csrf", &csrf), ("op", op)], ("roster.xlsx", file));
        clerk
            .post(app.at("/roster/import"))
            .header("content-type", ctype)
            .body(body)
            .send()
    };
    let res = send(BAD, "apply").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Строка 4, «Дата рождения»"), "{html}");
    assert!(html.contains("Ничего не загружено"), "{html}");
    let res = send(GOOD, "apply").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Список загружен"), "{html}");

    let template = clerk
        .get(app.at("/roster/import/template"))
        .send()
        .await
        .unwrap();
    let text = template.text().await.unwrap();
    assert!(text.contains("Номер личного дела;Фамилия"), "{text}");

    let class = app.class_id("1А").await;
    let list = app
        .page(&clerk, &format!("/roster/access?class={class}"))
        .await;
    assert!(list.contains("Ким Даниил Олегович"), "{list}");
    let mother = person_named(app, "Ким", "Ольга").await;
    let slip = clerk
        .post(app.at("/roster/access"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("person", &mother.to_string()),
            ("applied_on", "2026-11-27"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(slip.status(), StatusCode::OK);
    let slip = slip.text().await.unwrap();
    assert!(slip.contains("Ким Ольга Викторовна"), "{slip}");
    assert!(slip.contains("/register"), "{slip}");
    let list = app
        .page(&clerk, &format!("/roster/access?class={class}"))
        .await;
    assert!(list.contains("код выдан, действует до"), "{list}");
}
on_both!(clerks_pages, the_clerks_pages_work);

async fn transfer(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let res = app
        .client()
        .post(app.at("/api/v1/schools/1/transfers"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

/// A mid-year transfer (§2.12): refused onto marks already given, with no order, into the
/// same class or for another school's student; done, the marks stay in the diary, the old
/// class keeps the student until the day and the new class has them from it; the movement
/// report adds up on every line.
async fn a_student_moves_to_another_class(app: &TestApp) {
    let deputy = app.token("deputy").await;
    let student = app.person("student").await;
    let (from, to) = (app.class_id("7Б").await, app.class_id("7А").await);
    let pupil = app.token("student").await;
    let marks_before = app.api_get(&pupil, "/api/v1/diary/marks").await;
    let body = |on: &str, order: &str, class: i64| {
        json!({ "student_id": student, "to_class_id": class, "on": on,
                "order_number": order, "order_date": "2026-11-27" })
    };
    let (status, err) = transfer(app, &deputy, body("2026-11-20", "15-у", to)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err.to_string().contains("\"on\""),
        "the date is named: {err}"
    );
    let (status, err) = transfer(app, &deputy, body("2026-11-30", " ", to)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.to_string().contains("order_number"), "{err}");
    let (status, _) = transfer(app, &deputy, body("2026-11-30", "15-у", from)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the same class");
    let elsewhere = app.store.school_classes(2, 2026).await.unwrap()[0].id;
    let (status, _) = transfer(app, &deputy, body("2026-11-30", "15-у", elsewhere)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another school's class answers as missing"
    );

    let (status, done) = transfer(app, &deputy, body("2026-11-30", "15-у", to)).await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    let old: Vec<i64> = app
        .store
        .group_members(1, from)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    let new: Vec<i64> = app
        .store
        .group_members(1, to)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert!(!old.contains(&student) && new.contains(&student));
    let marks_after = app.api_get(&pupil, "/api/v1/diary/marks").await;
    assert_eq!(
        marks_before, marks_after,
        "the marks of the old class stay in the diary"
    );

    let report = app
        .api_get(
            &deputy,
            "/api/v1/schools/1/movement?from=2026-09-01&to=2026-12-31",
        )
        .await;
    let rows = report.as_array().unwrap();
    for r in rows {
        let n = |k: &str| r[k].as_i64().unwrap();
        assert_eq!(n("at_end"), n("at_start") + n("arrived") - n("left"), "{r}");
        assert_eq!(
            n("left"),
            n("transferred_out")
                + n("to_other_school")
                + n("graduated")
                + n("family")
                + n("left_other"),
            "{r}"
        );
    }
    let line = |name: &str| rows.iter().find(|r| r["class"] == name).unwrap().clone();
    assert_eq!(line("7Б")["transferred_out"], 1);
    assert_eq!(line("7А")["transferred_in"], 1);
    let total = rows.last().unwrap();
    assert_eq!(total["class_id"], 0);
    assert_eq!(total["transferred_in"], total["transferred_out"]);

    // The page and its CSV say the same.
    let client = app.signed_in("deputy").await;
    let page = app
        .page(&client, "/roster/movement?from=2026-09-01&to=2026-12-31")
        .await;
    assert!(
        page.contains("Движение обучающихся") && page.contains("Всего по школе"),
        "{page}"
    );
    let csv = client
        .get(app.at("/roster/movement?from=2026-09-01&to=2026-12-31&format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("На начало;Прибыло"), "{csv}");
    let bad = client
        .get(app.at("/roster/movement?from=2026-12-31&to=2026-09-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both!(
    transfer_and_movement,
    a_student_moves_to_another_class,
    spawn_filled
);

/// Consents to processing (§2.8): the deputy's list names the families whose papers are
/// missing; a consent recorded for a child takes them off it; a signer who is not the
/// child's parent, or another school's child, answers as missing; a class teacher sees only
/// their class.
async fn the_deputy_sees_missing_papers(app: &TestApp) {
    let deputy = app.token("deputy").await;
    let papers = app.api_get(&deputy, "/api/v1/schools/1/papers").await;
    let rows = papers.as_array().unwrap();
    assert!(
        rows.iter().all(|r| r["consent_on"].is_null()),
        "no consent recorded yet"
    );
    assert!(rows.iter().all(|r| r["attention"] == true));
    let student = app.person("student").await;
    let parent = app.person("parent").await;
    let post = |body: Value| {
        app.client()
            .post(app.at("/api/v1/schools/1/consents"))
            .bearer_auth(&deputy)
            .json(&body)
            .send()
    };
    let res = post(
        json!({ "student_id": student, "signer_id": app.person("teacher").await,
                           "signed_on": "2026-09-01" }),
    )
    .await
    .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "a signer who is not the child's parent"
    );
    let res =
        post(json!({ "student_id": student, "signer_id": parent, "signed_on": "01.09.2026" }))
            .await
            .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post(
        json!({ "student_id": student, "signer_id": parent, "signed_on": "2026-09-01",
                           "document": "№ 17/2026" }),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let papers = app.api_get(&deputy, "/api/v1/schools/1/papers").await;
    let line = papers
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["student_id"] == student)
        .unwrap()
        .clone();
    assert_eq!(line["consent_on"], "2026-09-01");
    let other = app.store.school_classes(2, 2026).await.unwrap()[0].id;
    let stranger = app.store.group_members(2, other).await.unwrap()[0].id;
    let res =
        post(json!({ "student_id": stranger, "signer_id": stranger, "signed_on": "2026-09-01" }))
            .await
            .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "another school's child"
    );

    // The class teacher's list holds only their class; the page says the same.
    let ct = app.token("classteacher").await;
    let mine = app.api_get(&ct, "/api/v1/schools/1/papers").await;
    assert!(
        mine.as_array().unwrap().iter().all(|r| r["class"] == "7Б"),
        "{mine}"
    );
    let client = app.signed_in("deputy").await;
    let page = app.page(&client, "/roster/consents").await;
    assert!(page.contains("без согласия на обработку"), "{page}");
}
on_both!(consents, the_deputy_sees_missing_papers);
