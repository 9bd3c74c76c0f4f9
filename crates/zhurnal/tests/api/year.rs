//! Preparing the next academic year through the API alone (§2.3–§2.6): calendar from this
//! year's in one step, curriculum, a class and a subgroup, teaching load, the weekly
//! timetable — and the lessons of the new year derived from them.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl Api<'_> {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self
            .app
            .client()
            .request(method, self.app.at(path))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

fn field<'a>(err: &'a Value, name: &str) -> &'a str {
    err["error"]["fields"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no field {name} in {err}"))
}

async fn a_year_is_prepared_through_the_api(app: &TestApp) {
    let api = Api {
        app,
        token: app.token("deputy").await,
    };
    // Calendar: next year from this one in one step, once.
    let (status, cal) = api
        .call(
            Method::POST,
            "/api/v1/schools/1/calendar/next",
            Some(json!({"from_year": 2026})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{cal}");
    assert_eq!(cal["study_year"], 2027);
    assert_eq!(cal["start"], "2027-09-01");
    assert!(!cal["holidays"].as_array().unwrap().is_empty());
    let (status, err) = api
        .call(
            Method::POST,
            "/api/v1/schools/1/calendar/next",
            Some(json!({"from_year": 2026})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&err, "from_year").contains("уже"), "{err}");
    // Edited as a whole: a holiday that ends before it starts is refused by its index.
    let mut body = json!({
        "start": cal["start"], "end": cal["end"], "week_days": 5,
        "holidays": cal["holidays"].as_array().unwrap().iter()
            .map(|h| json!({"name": h["name"], "start": h["start"], "end": h["end"], "grades": h["grades"]}))
            .collect::<Vec<_>>(),
        "moved_days": [],
    });
    body["holidays"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "Лишние", "start": "2027-12-10", "end": "2027-12-01"}));
    let last = body["holidays"].as_array().unwrap().len() - 1;
    let (status, err) = api
        .call(
            Method::PUT,
            "/api/v1/schools/1/calendar?year=2027",
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field(&err, &format!("holidays[{last}]")).contains("раньше"),
        "{err}"
    );
    body["holidays"].as_array_mut().unwrap().pop();
    body["moved_days"] =
        json!([{"date": "2027-11-04", "kind": "day_off", "name": "День народного единства"}]);
    let (status, saved) = api
        .call(
            Method::PUT,
            "/api/v1/schools/1/calendar?year=2027",
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["moved_days"][0]["kind"], "day_off");

    // Curriculum of the 5th parallel, copied from this year and checked.
    let (_, plan) = api
        .call(
            Method::GET,
            "/api/v1/schools/1/curriculum?year=2026&parallel=5",
            None,
        )
        .await;
    let lines: Vec<Value> = plan["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["hours_per_week"].as_i64().unwrap() > 0)
        .map(|l| json!({"subject_id": l["subject_id"], "hours_per_week": l["hours_per_week"], "grading": l["grading"]}))
        .collect();
    assert!(lines.len() > 5);
    let mut too_many = lines.clone();
    too_many[0]["hours_per_week"] = 11.into();
    let (status, err) = api
        .call(
            Method::PUT,
            "/api/v1/schools/1/curriculum?year=2027&parallel=5",
            Some(json!({"lines": too_many})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    field(&err, "lines[0]");
    let mut over = lines.clone();
    for l in &mut over {
        l["hours_per_week"] = 10.into();
    }
    let (status, err) = api
        .call(
            Method::PUT,
            "/api/v1/schools/1/curriculum?year=2027&parallel=5",
            Some(json!({"lines": over})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&err, "lines").contains('>'), "{err}");
    let (status, saved) = api
        .call(
            Method::PUT,
            "/api/v1/schools/1/curriculum?year=2027&parallel=5",
            Some(json!({"lines": lines})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["total_hours"], plan["total_hours"]);

    // A class of the new year, refused when wrong or twice.
    let teachers = app.store.school_teachers(1).await.unwrap();
    let teacher = teachers[0].id;
    let (status, err) = api
        .call(
            Method::POST,
            "/api/v1/schools/1/classes",
            Some(json!({"study_year": 2027, "parallel": 12, "letter": "Д", "capacity": 25})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    field(&err, "parallel");
    let new_class = json!({"study_year": 2027, "parallel": 5, "letter": "д", "capacity": 25, "class_teacher_id": teacher});
    let (status, created) = api
        .call(
            Method::POST,
            "/api/v1/schools/1/classes",
            Some(new_class.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let class = created["id"].as_i64().unwrap();
    let (status, _) = api
        .call(Method::POST, "/api/v1/schools/1/classes", Some(new_class))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = api
        .call(Method::GET, "/api/v1/schools/1/classes?year=2027", None)
        .await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == class)
        .unwrap();
    assert_eq!(listed["name"], "5Д");
    assert_eq!(listed["class_teacher_id"], teacher);

    // A subgroup of this year's 7Б from some of its students.
    let seventh = app.class_id("7Б").await;
    let members: Vec<i64> = app
        .store
        .group_members(1, seventh)
        .await
        .unwrap()
        .iter()
        .take(5)
        .map(|p| p.id)
        .collect();
    let (status, err) = api
        .call(
            Method::POST,
            "/api/v1/schools/1/subgroups",
            Some(json!({"class_id": seventh, "name": "Информатика 3", "member_ids": []})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    field(&err, "member_ids");
    let (status, _) = api
        .call(
            Method::POST,
            "/api/v1/schools/1/subgroups",
            Some(json!({"class_id": seventh, "name": "Информатика 3", "member_ids": members})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Teaching load of the new class: added, listed, removed once.
    let subject = lines[0]["subject_id"].as_i64().unwrap();
    let (status, err) = api
        .call(Method::POST, "/api/v1/schools/1/load", Some(json!({"group_id": class, "subject_id": subject, "teacher_id": teacher, "hours_per_week": 0})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    field(&err, "hours_per_week");
    let (status, created) = api
        .call(Method::POST, "/api/v1/schools/1/load", Some(json!({"group_id": class, "subject_id": subject, "teacher_id": teacher, "hours_per_week": 2})))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let line = created["id"].as_i64().unwrap();
    let (_, load) = api
        .call(Method::GET, "/api/v1/schools/1/load?year=2027", None)
        .await;
    assert_eq!(load.as_array().unwrap().len(), 1, "{load}");
    assert_eq!(load[0]["group_name"], "5Д");
    // The timetable of the new class from 1 September 2027: the lessons follow.
    let (status, saved) = api
        .call(
            Method::PUT,
            "/api/v1/timetable/templates",
            Some(json!({"class_id": class, "valid_from": "2027-09-01", "entries": [
                {"weekday": 1, "number": 1, "group_id": class, "subject_id": subject, "teacher_id": teacher, "room": "305"},
                {"weekday": 3, "number": 2, "group_id": class, "subject_id": subject, "teacher_id": teacher, "room": "305"}
            ]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved["warnings"].as_array().unwrap().len(),
        0,
        "hours match the load"
    );
    let (status, week) = api
        .call(
            Method::GET,
            &format!("/api/v1/timetable?class_id={class}&from=2027-09-06&to=2027-09-12"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{week}");
    let dates: Vec<&str> = week["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2027-09-06", "2027-09-08"]);
    let (status, _) = api
        .call(
            Method::DELETE,
            &format!("/api/v1/schools/1/load/{line}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api
        .call(
            Method::DELETE,
            &format!("/api/v1/schools/1/load/{line}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for action in [
        "setup.calendar",
        "setup.curriculum",
        "setup.class",
        "setup.subgroup",
        "setup.load_add",
        "setup.load_remove",
        "setup.timetable_template",
    ] {
        assert!(app.audit_count(action).await >= 1, "{action} is audited");
    }
    // Someone else's school is not there.
    let (status, _) = api
        .call(Method::GET, "/api/v1/schools/2/classes", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both!(api, a_year_is_prepared_through_the_api);
