//! The read endpoints of the compatible surface: the caller, their schools and groups,
//! lessons, marks, homework, the day-by-day schedule, bells, periods, final marks and
//! attendance, in the shapes clients of the service read (see `docs/api.md`).

use super::reach::{self, Student, family, today};
use super::{comma_decimal, instant, put_id, put_ids, put_opt_id, stamp, when};
use crate::ctx::{Actor, Ctx};
use crate::routes::deny_object;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use jiff::civil::Date;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use zhurnal_core::Role;
use zhurnal_core::bells::bells_for;
use zhurnal_core::grading::{Counted, MarkValue, Method, Scale, average};
use zhurnal_core::oauth::AppScope;
use zhurnal_store::{
    FinalInfo, GroupInfo, LessonInfo, LogInfo, MarkInfo, PersonInfo, SchoolRow, SubjectInfo,
    WorkInfo, WorkTypeRow,
};

type Answer = Result<Json<Value>, AppError>;

/// The longest range one request may ask for.
const MAX_DAYS: i32 = 400;

// ---------------------------------------------------------------- query and ranges

/// The last value of a query parameter, decoded.
fn param(query: &Option<String>, key: &str) -> Option<String> {
    query.as_deref().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| super::percent_decode(v))
            .next_back()
    })
}

/// A range of whole days from two lenient dates, checked.
fn range(from_field: &str, from: &str, to_field: &str, to: &str) -> Result<(Date, Date), AppError> {
    let (a, b) = (when(from_field, from)?, when(to_field, to)?);
    if b < a {
        return Err(AppError::BadRequest(format!(
            "{to_field} ({b}) is before {from_field} ({a})"
        )));
    }
    if (b - a).get_days() > MAX_DAYS {
        return Err(AppError::BadRequest(format!(
            "the range from {a} to {b} is longer than {MAX_DAYS} days"
        )));
    }
    Ok((a, b))
}

/// `startDate`/`endDate` from the query; a missing end is a week after the start, a
/// missing start is today.
fn query_range(
    state: &AppState,
    school: &SchoolRow,
    query: &Option<String>,
) -> Result<(Date, Date), AppError> {
    let start = param(query, "startDate").unwrap_or_else(|| today(state, school));
    let first = when("startDate", &start)?;
    let end = param(query, "endDate")
        .unwrap_or_else(|| first.saturating_add(jiff::Span::new().days(6)).to_string());
    range("startDate", &start, "endDate", &end)
}

// ---------------------------------------------------------------- objects

fn role_names(actor: &Actor) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in actor.roles() {
        let names: &[&'static str] = match r {
            Role::Student => &["EduStudent"],
            Role::Parent => &["EduParent"],
            Role::Teacher | Role::ClassTeacher => &["EduStaff"],
            Role::Director | Role::DeputyDirector => &["EduStaff", "EduSchoolAdministrator"],
            _ => &["OrganizationStaff"],
        };
        for n in names {
            if !out.contains(n) {
                out.push(n);
            }
        }
    }
    out
}

fn sex(raw: &Option<String>) -> Value {
    match raw.as_deref() {
        Some("m") => "Male".into(),
        Some("f") => "Female".into(),
        _ => Value::Null,
    }
}

fn short(p: &PersonInfo) -> String {
    zhurnal_store::short_name(&p.last_name, &p.first_name, &p.middle_name)
}

fn person_json(p: &PersonInfo) -> Value {
    let mut v = json!({
        "firstName": p.first_name, "lastName": p.last_name, "middleName": p.middle_name,
        "shortName": short(p), "sex": sex(&p.sex),
    });
    put_id(&mut v, "id", p.id);
    put_opt_id(&mut v, "userId", p.user_id);
    v
}

fn school_json(s: &SchoolRow) -> Value {
    let mut v = json!({
        "name": s.short_name, "fullName": s.full_name, "educationType": "Regular",
        "city": s.city, "timeZone": s.time_zone, "markType": "Mark5",
        "uses_avg": true, "uses_weighted_avg": true,
    });
    put_id(&mut v, "id", s.id);
    put_id(&mut v, "municipality", s.municipality_id);
    v
}

fn group_json(g: &GroupInfo) -> Value {
    let kind = if g.kind == "class" {
        "Group"
    } else {
        "Subgroup"
    };
    let mut v = json!({
        "type": kind, "name": g.name, "fullName": g.name, "parallel": g.parallel,
        "status": "Active", "studyyear": g.study_year, "educationType": "Regular",
        "journaltype": "Marks", "journalType": "Marks", "subjects": [],
    });
    put_id(&mut v, "id", g.id);
    put_ids(&mut v, "parentIds", g.parent_id.as_slice());
    put_id(&mut v, "school", g.school_id);
    put_opt_id(&mut v, "timetable", None);
    v
}

fn subject_json(s: &SubjectInfo) -> Value {
    let mut v = json!({ "name": s.name, "knowledgeArea": s.knowledge_area });
    put_id(&mut v, "id", s.id);
    v
}

fn lesson_status(status: &str) -> &'static str {
    match status {
        "held" => "Conducted",
        "cancelled" => "Cancelled",
        _ => "NotConducted",
    }
}

fn work_json(w: &WorkInfo, tz: &str) -> Value {
    let homework = w.kind == "homework";
    let mut v = json!({
        "type": if homework { "Homework" } else { "LessonWork" },
        "markType": "Mark5", "markCount": 1, "displayInJournal": true, "status": "Sent",
        "tasks": [], "text": w.text, "periodNumber": 0, "periodType": "",
        "isImportant": false, "files": [], "oneDriveLinks": [],
        "targetDate": stamp(w.target_date.as_deref().unwrap_or(&w.lesson_date), None),
        "sentDate": instant(w.created_at, tz),
    });
    put_id(&mut v, "id", w.id);
    put_id(&mut v, "workType", w.work_type_id);
    put_id(&mut v, "lesson", w.lesson_id);
    put_id(&mut v, "eduGroup", w.edu_group_id);
    put_id(&mut v, "subjectId", w.subject_id);
    put_opt_id(&mut v, "createdBy", w.created_by);
    v
}

/// Homework lives on its lesson in Zhurnal; the service has it as a work of the lesson. Its
/// id is the lesson's, numbered apart from the works of the journal.
const HOMEWORK_IDS: i64 = 1 << 41;

fn homework_json(l: &LessonInfo) -> Value {
    let mut v = json!({
        "type": "Homework", "markType": "Mark5", "markCount": 0, "displayInJournal": true,
        "status": "Sent", "tasks": [], "text": l.homework, "periodNumber": 0, "periodType": "",
        "isImportant": false, "files": [], "oneDriveLinks": [],
        "targetDate": stamp(l.homework_due.as_deref().unwrap_or(&l.date), None),
        "sentDate": stamp(&l.date, None),
    });
    put_id(&mut v, "id", HOMEWORK_IDS + l.id);
    put_opt_id(&mut v, "workType", None);
    put_id(&mut v, "lesson", l.id);
    put_id(&mut v, "eduGroup", l.edu_group_id);
    put_id(&mut v, "subjectId", l.subject_id);
    put_opt_id(&mut v, "createdBy", l.teacher_id);
    v
}

/// A lesson's works as the service lists them: the journal's, then the homework set.
fn works_of(l: &LessonInfo, works: &[&WorkInfo], tz: &str) -> Vec<Value> {
    let mut out: Vec<Value> = works.iter().map(|w| work_json(w, tz)).collect();
    if !l.homework.is_empty() {
        out.push(homework_json(l));
    }
    out
}

fn work_ids(l: &LessonInfo, works: &[&WorkInfo]) -> Vec<i64> {
    let mut out: Vec<i64> = works.iter().map(|w| w.id).collect();
    if !l.homework.is_empty() {
        out.push(HOMEWORK_IDS + l.id);
    }
    out
}

fn mood(value: &str) -> &'static str {
    match MarkValue::parse(value, Scale::default()) {
        Ok(MarkValue::Points { value: 4..=5, .. }) => "Good",
        Ok(MarkValue::Points { value: 3, .. }) => "Average",
        Ok(MarkValue::Points { .. }) => "Bad",
        _ => "NotSet",
    }
}

fn mark_json(m: &MarkInfo, tz: &str) -> Value {
    let numeric = m.value.chars().next().is_some_and(|c| c.is_ascii_digit());
    let mut v = json!({
        "type": if numeric { "Mark5" } else { "Text" },
        "value": m.value, "textValue": m.value, "number": 0,
        "date": instant(m.created_at, tz), "mood": mood(&m.value),
        "use_avg_calc": numeric && m.weight > 0, "comment": m.comment, "weight": m.weight,
    });
    put_id(&mut v, "id", m.id);
    put_id(&mut v, "person", m.person_id);
    put_id(&mut v, "work", m.work_id);
    put_id(&mut v, "lesson", m.lesson_id);
    put_id(&mut v, "workType", m.work_type_id);
    put_id(&mut v, "subject", m.subject_id);
    v
}

fn work_type_json(t: &WorkTypeRow, school_id: i64) -> Value {
    let mut v = json!({
        "name": t.name, "title": t.name, "abbreviation": t.abbreviation, "abbr": t.abbreviation,
        "weight": t.weight, "isFinal": t.is_final, "isImportant": t.weight >= 2,
        "kind": if t.is_final { "Final" } else { "Current" }, "kindId": i32::from(t.is_final),
    });
    put_id(&mut v, "id", t.id);
    put_id(&mut v, "schoolId", school_id);
    v
}

/// The service's attendance codes for Zhurnal's absences and late arrivals.
fn log_status(l: &LogInfo) -> &'static str {
    match (l.status.as_str(), l.reason.as_str()) {
        ("late", _) => "Late",
        (_, "illness") => "Ill",
        (_, "excused") => "Pass",
        _ => "Absent",
    }
}

fn log_json(l: &LogInfo, tz: &str) -> Value {
    let mut v = json!({
        "comment": l.comment, "status": log_status(l), "createdDate": instant(l.created_at, tz),
    });
    put_id(&mut v, "person", l.person_id);
    put_id(&mut v, "lesson", l.lesson_id);
    v
}

fn period_type(kind: &str) -> &'static str {
    match kind {
        "quarter" => "Quarter",
        "half_year" => "HalfYear",
        "trimester" => "Trimester",
        _ => "Year",
    }
}

// ---------------------------------------------------------------- lesson times

/// Lesson times of a school: the bells of each class's shift on each weekday.
struct Times {
    schedules: std::sync::Arc<Vec<zhurnal_core::bells::Schedule>>,
    shifts: std::sync::Arc<HashMap<i64, i8>>,
    classes: std::sync::Arc<HashMap<i64, (i64, i16)>>,
}

impl Times {
    async fn of(state: &AppState, school_id: i64) -> Result<Times, AppError> {
        Ok(Times {
            schedules: state.refs.bells(&state.store, school_id).await?,
            shifts: state.refs.shifts(&state.store, school_id).await?,
            classes: state.refs.groups(&state.store, school_id).await?,
        })
    }

    /// «08:30» and «09:15» of a lesson, if the school has bells for it.
    fn of_lesson(&self, group_id: i64, date: &str, number: i32) -> Option<(String, String)> {
        let class = self.classes.get(&group_id).map_or(group_id, |c| c.0);
        let shift = self.shifts.get(&class).copied().unwrap_or(1);
        let weekday = date.parse::<Date>().ok()?.weekday().to_monday_one_offset();
        bells_for(&self.schedules, shift, weekday)
            .iter()
            .find(|b| i32::from(b.number) == number)
            .map(|b| {
                (
                    b.start.strftime("%H:%M").to_string(),
                    b.end.strftime("%H:%M").to_string(),
                )
            })
    }

    fn grade(&self, group_id: i64) -> i16 {
        self.classes.get(&group_id).map_or(5, |c| c.1)
    }
}

/// A lesson as the lesson endpoints give it: with its subject, works and teacher.
fn lesson_json(l: &LessonInfo, works: &[&WorkInfo], times: &Times, tz: &str) -> Value {
    let start = times.of_lesson(l.edu_group_id, &l.date, l.number);
    let mut v = json!({
        "title": l.topic, "date": stamp(&l.date, start.as_ref().map(|s| s.0.as_str())),
        "number": l.number, "subject": subject_json(&SubjectInfo {
            id: l.subject_id, name: l.subject_name.clone(), knowledge_area: l.knowledge_area.clone() }),
        "status": lesson_status(&l.status), "resultPlaceId": Value::Null, "place": "",
        "works": works_of(l, works, tz),
    });
    put_id(&mut v, "id", l.id);
    put_id(&mut v, "group", l.edu_group_id);
    put_ids(&mut v, "teachers", l.teacher_id.as_slice());
    v
}

/// A lesson as the homework and schedule answers list it: ids instead of objects.
fn lesson_row(l: &LessonInfo, works: &[i64], times: &Times) -> Value {
    let hours = times.of_lesson(l.edu_group_id, &l.date, l.number);
    let mut v = json!({
        "title": l.topic, "number": l.number, "status": lesson_status(&l.status),
        "date": stamp(&l.date, hours.as_ref().map(|h| h.0.as_str())),
        "resultPlaceId": Value::Null, "building": "", "place": "", "floor": "",
        "hours": hours.map(|(a, b)| format!("{a} - {b}")).unwrap_or_default(),
    });
    put_id(&mut v, "id", l.id);
    put_id(&mut v, "subjectId", l.subject_id);
    put_ids(&mut v, "works", works);
    put_ids(&mut v, "teachers", l.teacher_id.as_slice());
    v
}

// ---------------------------------------------------------------- the caller

/// The caller, for what the `profile` scope covers (an app without it gets 403).
fn actor(ctx: &Ctx) -> Result<&Actor, AppError> {
    let a = ctx.actor()?;
    if a.app_may(Some(AppScope::Profile)) {
        Ok(a)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn me_person(state: &AppState, a: &Actor) -> Result<PersonInfo, AppError> {
    state
        .store
        .person_info(a.person_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The schools of the caller: of their grants, and their children's.
async fn my_schools(state: &AppState, ctx: &Ctx) -> Result<Vec<SchoolRow>, AppError> {
    let a = actor(ctx)?;
    let mut ids: Vec<i64> = a.grants.iter().filter_map(|g| g.school_id).collect();
    ids.extend(a.children.iter().filter_map(|c| c.school_id));
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for id in ids {
        if seen.insert(id)
            && let Some(s) = state.refs.school(&state.store, id).await?
        {
            out.push(s);
        }
    }
    Ok(out)
}

/// The caller's own groups: a student's class and subgroups, a teacher's classes.
async fn my_groups(state: &AppState, ctx: &Ctx) -> Result<Vec<GroupInfo>, AppError> {
    let a = actor(ctx)?;
    let mut out = Vec::new();
    for school in my_schools(state, ctx).await? {
        let day = today(state, &school);
        if a.grants
            .iter()
            .any(|g| g.role == Role::Student && g.school_id == Some(school.id))
        {
            out.extend(
                state
                    .store
                    .groups_of_person(a.person_id, &day)
                    .await?
                    .into_iter()
                    .filter(|g| g.school_id == school.id),
            );
        }
        if a.grants
            .iter()
            .any(|g| g.role.is_staff() && g.school_id == Some(school.id))
        {
            let year = zhurnal_core::clock::study_year_of(day.parse().unwrap_or_default());
            out.extend(
                state
                    .store
                    .groups_of_teacher(a.person_id, i32::from(year))
                    .await?
                    .into_iter()
                    .filter(|g| g.school_id == school.id),
            );
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|g| seen.insert(g.id));
    Ok(out)
}

fn user_json(a: &Actor, p: &PersonInfo, lang: &str, tz: &str) -> Value {
    let mut v = json!({
        "name": format!("{} {}", p.first_name, p.last_name), "login": a.login,
        "email": Value::Null, "phone": Value::Null,
        "fullName": format!("{} {} {}", p.last_name, p.first_name, p.middle_name).trim().to_owned(),
        "fullNameInverse": format!("{} {} {}", p.first_name, p.middle_name, p.last_name).split_whitespace().collect::<Vec<_>>().join(" "),
        "firstName": p.first_name, "middleName": p.middle_name, "lastName": p.last_name,
        "shortName": short(p), "locale": lang, "timezone": tz, "sex": sex(&p.sex),
        "birthday": p.birthday.as_deref().map(|d| stamp(d, None)), "roles": role_names(a),
        "photoSmall": Value::Null, "photoMedium": Value::Null, "photoLarge": Value::Null,
    });
    put_id(&mut v, "id", a.user_id);
    put_id(&mut v, "personId", a.person_id);
    v
}

/// `GET users/me`.
pub async fn users_me(State(state): State<AppState>, ctx: Ctx) -> Answer {
    let a = actor(&ctx)?;
    let p = me_person(&state, a).await?;
    let tz = my_schools(&state, &ctx)
        .await?
        .first()
        .map_or("Europe/Moscow".to_owned(), |s| s.time_zone.clone());
    Ok(Json(user_json(a, &p, ctx.lang.code(), &tz)))
}

/// `GET users/me/roles`.
pub async fn users_me_roles(ctx: Ctx) -> Answer {
    Ok(Json(json!(role_names(actor(&ctx)?))))
}

/// `GET users/me/context`: the caller, their schools and groups, their children.
pub async fn users_me_context(State(state): State<AppState>, ctx: Ctx) -> Answer {
    let a = actor(&ctx)?;
    let p = me_person(&state, a).await?;
    let schools = my_schools(&state, &ctx).await?;
    let groups = my_groups(&state, &ctx).await?;
    let class_ids: Vec<i64> = groups
        .iter()
        .filter(|g| g.kind == "class")
        .map(|g| g.id)
        .collect();
    let mut children = Vec::new();
    for c in family(&state, &ctx)
        .await?
        .iter()
        .filter(|c| c.person_id != a.person_id)
    {
        let info = state.store.person_info(c.person_id).await?;
        let mut v = json!({
            "firstName": info.as_ref().map(|i| i.first_name.clone()),
            "lastName": info.as_ref().map(|i| i.last_name.clone()),
            "middleName": info.as_ref().map(|i| i.middle_name.clone()),
            "shortName": info.as_ref().map(short),
            "schoolIds": [c.school.id], "groupIds": [c.class_id],
        });
        put_id(&mut v, "personId", c.person_id);
        put_opt_id(&mut v, "userId", info.and_then(|i| i.user_id));
        children.push(v);
    }
    let mut v = json!({
        "shortName": short(&p), "firstName": p.first_name, "lastName": p.last_name,
        "middleName": p.middle_name, "avatarUrl": Value::Null, "roles": role_names(a),
        "splitId": Value::Null, "sex": sex(&p.sex),
        "schools": schools.iter().map(|s| {
            let mut o = json!({ "name": s.short_name, "type": "Regular" });
            put_id(&mut o, "id", s.id);
            let ids: Vec<i64> = groups.iter().filter(|g| g.school_id == s.id && g.kind == "class").map(|g| g.id).collect();
            put_ids(&mut o, "groupIds", &ids);
            o
        }).collect::<Vec<_>>(),
        "eduGroups": groups.iter().map(group_json).collect::<Vec<_>>(),
        "children": children,
    });
    put_id(&mut v, "userId", a.user_id);
    put_id(&mut v, "personId", a.person_id);
    put_ids(
        &mut v,
        "schoolIds",
        &schools.iter().map(|s| s.id).collect::<Vec<_>>(),
    );
    put_ids(&mut v, "groupIds", &class_ids);
    Ok(Json(v))
}

/// `GET schools/person-schools`.
pub async fn person_schools(State(state): State<AppState>, ctx: Ctx) -> Answer {
    let schools = my_schools(&state, &ctx).await?;
    Ok(Json(json!(schools.iter().map(|s| {
        let mut v = json!({ "name": s.short_name, "educationType": "Regular", "tsoCityId": Value::Null, "tsoRegionTreePath": Value::Null });
        put_id(&mut v, "id", s.id);
        v
    }).collect::<Vec<_>>())))
}

/// `GET users/me/schools`: ids.
pub async fn my_school_ids(State(state): State<AppState>, ctx: Ctx) -> Answer {
    let ids: Vec<i64> = my_schools(&state, &ctx)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    Ok(Json(json!(ids)))
}

/// `GET users/me/edu-groups`: ids.
pub async fn my_group_ids(State(state): State<AppState>, ctx: Ctx) -> Answer {
    let ids: Vec<i64> = my_groups(&state, &ctx)
        .await?
        .iter()
        .map(|g| g.id)
        .collect();
    Ok(Json(json!(ids)))
}

/// `GET users/me/children`: the person ids of the caller's children.
pub async fn my_children(State(state): State<AppState>, ctx: Ctx) -> Answer {
    let a = actor(&ctx)?;
    let ids: Vec<i64> = family(&state, &ctx)
        .await?
        .iter()
        .map(|p| p.person_id)
        .filter(|id| *id != a.person_id)
        .collect();
    Ok(Json(json!(ids)))
}

/// `GET schools/{school}`: a school of the caller's.
pub async fn school_one(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let schools = my_schools(&state, &ctx).await?;
    match schools.iter().find(|s| s.id.to_string() == raw.trim()) {
        Some(s) => Ok(Json(school_json(s))),
        None => Err(deny_object(&state, &ctx, "school", &raw).await),
    }
}

/// `GET work-types/{school}`.
pub async fn work_types(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let schools = my_schools(&state, &ctx).await?;
    let Some(s) = schools.iter().find(|s| s.id.to_string() == raw.trim()) else {
        return Err(deny_object(&state, &ctx, "school", &raw).await);
    };
    let types = state.store.work_types(s.id).await?;
    Ok(Json(json!(
        types
            .iter()
            .map(|t| work_type_json(t, s.id))
            .collect::<Vec<_>>()
    )))
}

// ---------------------------------------------------------------- persons and groups

/// `GET persons/{person}`.
pub async fn person_one(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let a = actor(&ctx)?;
    let id = if raw.trim() == a.person_id.to_string() {
        a.person_id
    } else {
        reach::student(&state, &ctx, &raw).await?.person_id
    };
    let p = state
        .store
        .person_info(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(person_json(&p)))
}

/// `GET persons/{person}/edu-groups`: the student's class and subgroups.
pub async fn person_groups(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let a = actor(&ctx)?;
    if raw.trim() == a.person_id.to_string() && !a.grants.iter().any(|g| g.role == Role::Student) {
        let groups = my_groups(&state, &ctx).await?;
        return Ok(Json(json!(
            groups.iter().map(group_json).collect::<Vec<_>>()
        )));
    }
    let s = reach::student(&state, &ctx, &raw).await?;
    Ok(Json(json!(
        s.groups.iter().map(group_json).collect::<Vec<_>>()
    )))
}

/// `GET edu-groups/{group}`.
pub async fn group_one(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Answer {
    let (g, _, _) = reach::group(&state, &ctx, &raw).await?;
    Ok(Json(group_json(&g)))
}

async fn persons_of(state: &AppState, ctx: &Ctx, raw: &str) -> Answer {
    let (g, school, view) = reach::group(state, ctx, raw).await?;
    let persons = state
        .store
        .group_persons(g.id, &today(state, &school))
        .await?;
    Ok(Json(json!(
        persons
            .iter()
            .filter(|p| view.shows(p.id))
            .map(person_json)
            .collect::<Vec<_>>()
    )))
}

/// `GET edu-groups/{group}/persons`: the students (a family sees only its own).
pub async fn group_persons(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    persons_of(&state, &ctx, &raw).await
}

/// `GET persons?eduGroup=`.
pub async fn persons_query(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(q): RawQuery,
) -> Answer {
    let raw =
        param(&q, "eduGroup").ok_or_else(|| AppError::BadRequest("eduGroup: required".into()))?;
    persons_of(&state, &ctx, &raw).await
}

/// `GET edu-groups/{group}/subjects`.
pub async fn group_subjects(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let (g, _, _) = reach::group(&state, &ctx, &raw).await?;
    let subjects = state.store.group_subjects(g.id).await?;
    Ok(Json(json!(
        subjects.iter().map(subject_json).collect::<Vec<_>>()
    )))
}

/// `GET edu-groups/{group}/reporting-periods`.
pub async fn group_periods(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let (g, school, _) = reach::group(&state, &ctx, &raw).await?;
    let times = Times::of(&state, school.id).await?;
    let year = g.study_year as i16;
    let periods =
        crate::journal::periods_of_grade(&state, school.id, year, times.grade(g.id)).await?;
    Ok(Json(json!(periods.iter().map(|p| {
        let mut v = json!({
            "start": stamp(&p.start_date, None), "finish": stamp(&p.end_date, Some("23:59")),
            "number": p.number, "type": period_type(&p.kind), "name": p.name, "year": g.study_year,
        });
        put_id(&mut v, "id", p.id);
        v
    }).collect::<Vec<_>>())))
}

/// `GET edu-groups/{group}/timetables`: the bells of the class's shift.
pub async fn group_timetable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    const DAYS: [&str; 6] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let (g, school, _) = reach::group(&state, &ctx, &raw).await?;
    let times = Times::of(&state, school.id).await?;
    let class = times.classes.get(&g.id).map_or(g.id, |c| c.0);
    let shift = times.shifts.get(&class).copied().unwrap_or(1);
    let study_days = usize::try_from(school.study_week).unwrap_or(5).clamp(1, 6);
    // Lesson number → times → the weekdays they hold on.
    let mut items: BTreeMap<(i16, String, String), Vec<&str>> = BTreeMap::new();
    for (i, day) in DAYS.iter().enumerate().take(study_days) {
        for b in bells_for(&times.schedules, shift, (i + 1) as i8) {
            items
                .entry((
                    b.number,
                    b.start.strftime("%H:%M").to_string(),
                    b.end.strftime("%H:%M").to_string(),
                ))
                .or_default()
                .push(day);
        }
    }
    let list: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, ((number, start, end), days))| {
            json!({ "Id": i + 1, "Start": start, "Finish": end, "Name": format!("{number}"),
                    "Type": "Lesson", "DaysOfWeek": days, "LessonNumber": number })
        })
        .collect();
    Ok(Json(json!({
        "Name": format!("{} — {}", g.name, school.short_name),
        "Start": stamp(&format!("{}-09-01", g.study_year), None),
        "FirstLessonNumber": items.keys().map(|k| k.0).min().unwrap_or(1),
        "Items": list,
    })))
}

// ---------------------------------------------------------------- lessons

/// Lessons with their works, as the lesson endpoints give them.
async fn lessons_out(
    state: &AppState,
    school: &SchoolRow,
    lessons: &[LessonInfo],
) -> Result<Vec<Value>, AppError> {
    let ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
    let works = state.store.works_of_lessons(school.id, &ids).await?;
    let times = Times::of(state, school.id).await?;
    Ok(lessons
        .iter()
        .map(|l| {
            let mine: Vec<&WorkInfo> = works.iter().filter(|w| w.lesson_id == l.id).collect();
            lesson_json(l, &mine, &times, &school.time_zone)
        })
        .collect())
}

/// `GET edu-groups/{group}/lessons/{from}/{to}`.
pub async fn group_lessons(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((raw, from, to)): Path<(String, String, String)>,
) -> Answer {
    let (g, school, _) = reach::group(&state, &ctx, &raw).await?;
    let (a, b) = range("from", &from, "to", &to)?;
    let lessons = state
        .store
        .lessons_of_groups(school.id, &[g.id], &a.to_string(), &b.to_string(), None)
        .await?;
    Ok(Json(json!(lessons_out(&state, &school, &lessons).await?)))
}

/// `GET lessons/{lesson}`.
pub async fn lesson_one(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let (l, school, _) = reach::lesson(&state, &ctx, &raw).await?;
    let mut out = lessons_out(&state, &school, std::slice::from_ref(&l)).await?;
    Ok(Json(out.pop().unwrap_or(Value::Null)))
}

/// `GET lessons/{lesson}/marks`: the marks of the lesson the caller may see.
pub async fn lesson_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let (l, school, view) = reach::lesson(&state, &ctx, &raw).await?;
    let marks = state.store.marks_of_lessons(school.id, &[l.id]).await?;
    Ok(Json(json!(
        marks
            .iter()
            .filter(|m| view.shows(m.person_id))
            .map(|m| mark_json(m, &school.time_zone))
            .collect::<Vec<_>>()
    )))
}

/// `GET lessons/{lesson}/log-entries`: who was absent or late.
pub async fn lesson_log(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Answer {
    let (l, school, view) = reach::lesson(&state, &ctx, &raw).await?;
    let entries = state.store.log_of_lesson(school.id, l.id).await?;
    Ok(Json(json!(
        entries
            .iter()
            .filter(|e| view.shows(e.person_id))
            .map(|e| log_json(e, &school.time_zone))
            .collect::<Vec<_>>()
    )))
}

/// `GET lesson-log-entries/statuses`.
pub async fn log_statuses() -> Answer {
    Ok(Json(json!(["Attend", "Absent", "Ill", "Late", "Pass"])))
}

// ---------------------------------------------------------------- marks

fn marks_out(marks: &[MarkInfo], tz: &str) -> Value {
    json!(marks.iter().map(|m| mark_json(m, tz)).collect::<Vec<_>>())
}

/// `GET persons/{person}/schools/{school}/marks/{from}/{to}`.
pub async fn person_school_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, school, from, to)): Path<(String, String, String, String)>,
) -> Answer {
    let s = reach::student(&state, &ctx, &person).await?;
    if school.trim() != s.school.id.to_string() {
        return Err(deny_object(&state, &ctx, "school", &school).await);
    }
    marks_between(&state, &s, &from, &to, None).await
}

/// A student's marks from `from` to `to` (lenient dates), optionally in one subject.
async fn marks_between(
    state: &AppState,
    s: &Student,
    from: &str,
    to: &str,
    subject: Option<i64>,
) -> Answer {
    let (a, b) = range("from", from, "to", to)?;
    let marks = state
        .store
        .marks_of_person(
            s.school.id,
            s.person_id,
            &a.to_string(),
            &b.to_string(),
            subject,
        )
        .await?;
    let seen: Vec<MarkInfo> = marks
        .into_iter()
        .filter(|m| s.subjects.has(m.subject_id))
        .collect();
    Ok(Json(marks_out(&seen, &s.school.time_zone)))
}

/// `GET persons/{person}/subjects/{subject}/marks/{from}/{to}`.
pub async fn person_subject_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, subject, from, to)): Path<(String, String, String, String)>,
) -> Answer {
    let s = reach::student(&state, &ctx, &person).await?;
    let subject = super::id_of(&subject)?;
    marks_between(&state, &s, &from, &to, Some(subject)).await
}

/// The student and one of their groups from a path, or 404.
async fn student_in_group(
    state: &AppState,
    ctx: &Ctx,
    person: &str,
    group: &str,
) -> Result<(Student, GroupInfo), AppError> {
    let s = reach::student(state, ctx, person).await?;
    match s
        .groups
        .iter()
        .find(|g| g.id.to_string() == group.trim())
        .cloned()
    {
        Some(g) => Ok((s, g)),
        None => Err(deny_object(state, ctx, "edu_group", group).await),
    }
}

/// `GET persons/{person}/edu-groups/{group}/marks/{from}/{to}`.
pub async fn person_group_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, group, from, to)): Path<(String, String, String, String)>,
) -> Answer {
    let (s, _) = student_in_group(&state, &ctx, &person, &group).await?;
    marks_between(&state, &s, &from, &to, None).await
}

/// `GET edu-groups/{group}/subjects/{subject}/marks/{from}/{to}`.
pub async fn group_subject_marks(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((group, subject, from, to)): Path<(String, String, String, String)>,
) -> Answer {
    let subject = super::id_of(&subject)?;
    let (g, school, view) = reach::journal(&state, &ctx, &group, subject).await?;
    let (a, b) = range("from", &from, "to", &to)?;
    let lessons = state
        .store
        .lessons_of_groups(
            school.id,
            &[g.id],
            &a.to_string(),
            &b.to_string(),
            Some(subject),
        )
        .await?;
    let ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
    let marks = state.store.marks_of_lessons(school.id, &ids).await?;
    let seen: Vec<MarkInfo> = marks
        .into_iter()
        .filter(|m| view.shows(m.person_id))
        .collect();
    Ok(Json(marks_out(&seen, &school.time_zone)))
}

/// `GET marks/{mark}`.
pub async fn mark_one(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Answer {
    let found = match super::id_of(&raw) {
        Ok(id) => state.store.mark_info(id).await?,
        Err(_) => None,
    };
    if let Some(m) = found
        && let Ok(s) = reach::student(&state, &ctx, &m.person_id.to_string()).await
        && s.subjects.has(m.subject_id)
    {
        return Ok(Json(mark_json(&m, &s.school.time_zone)));
    }
    Err(deny_object(&state, &ctx, "mark", &raw).await)
}

/// `GET persons/{person}/reporting-periods/{period}/avg-mark`: «4,50».
pub async fn person_period_average(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, period)): Path<(String, String)>,
) -> Answer {
    average_of(&state, &ctx, &person, &period, None).await
}

/// `GET persons/{person}/reporting-periods/{period}/subjects/{subject}/avg-mark`.
pub async fn person_period_subject_average(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, period, subject)): Path<(String, String, String)>,
) -> Answer {
    let subject = super::id_of(&subject)?;
    average_of(&state, &ctx, &person, &period, Some(subject)).await
}

async fn average_of(
    state: &AppState,
    ctx: &Ctx,
    person: &str,
    period: &str,
    subject: Option<i64>,
) -> Answer {
    let s = reach::student(state, ctx, person).await?;
    let Some(class) = s.class().cloned() else {
        return Err(AppError::NotFound);
    };
    let times = Times::of(state, s.school.id).await?;
    let periods = crate::journal::periods_of_grade(
        state,
        s.school.id,
        class.study_year as i16,
        times.grade(class.id),
    )
    .await?;
    let Some(p) = periods.iter().find(|p| p.id.to_string() == period.trim()) else {
        return Err(deny_object(state, ctx, "period", period).await);
    };
    let marks = state
        .store
        .marks_of_person(
            s.school.id,
            s.person_id,
            &p.start_date,
            &p.end_date,
            subject,
        )
        .await?;
    let settings = state.store.grading_settings(s.school.id).await?;
    let counted: Vec<Counted> = marks
        .iter()
        .filter(|m| s.subjects.has(m.subject_id))
        .filter_map(|m| {
            let value = MarkValue::parse(&m.value, settings.rules.scale).ok()?;
            Some(Counted {
                value,
                weight: u8::try_from(m.weight).unwrap_or(1),
            })
        })
        .collect();
    let method = settings.rules.method;
    let avg = average(
        &counted,
        if method == Method::Weighted {
            Method::Weighted
        } else {
            Method::Arithmetic
        },
    );
    Ok(Json(json!(avg.map_or_else(
        String::new,
        |a| comma_decimal(f64::from(a.hundredths) / 100.0, 2)
    ))))
}

// ---------------------------------------------------------------- final marks

/// Final marks are not works of a lesson; each gets a work of its own in the answer, with
/// the id of the mark, and year marks are numbered apart from period marks.
const YEAR_IDS: i64 = 1 << 40;
/// The synthetic work types of final marks: a period's, and the year's.
const PERIOD_TYPE: i64 = YEAR_IDS + 1;
const YEAR_TYPE: i64 = YEAR_IDS + 2;

async fn finals(
    state: &AppState,
    s: &Student,
    class: &GroupInfo,
) -> Result<(Vec<FinalInfo>, Vec<zhurnal_store::PeriodRow>), AppError> {
    let times = Times::of(state, s.school.id).await?;
    let mut finals = state
        .store
        .finals_of_person(s.school.id, s.person_id, class.study_year)
        .await?;
    finals.retain(|f| s.subjects.has(f.subject_id));
    let periods = crate::journal::periods_of_grade(
        state,
        s.school.id,
        class.study_year as i16,
        times.grade(class.id),
    )
    .await?;
    Ok((finals, periods))
}

fn final_id(f: &FinalInfo) -> i64 {
    if f.period_id.is_some() {
        f.id
    } else {
        YEAR_IDS + f.id
    }
}

fn final_mark_json(f: &FinalInfo, tz: &str) -> Value {
    let id = final_id(f);
    let mut v = json!({
        "type": "Mark5", "value": f.value, "textValue": f.value, "number": 0,
        "date": instant(f.set_at, tz), "mood": mood(&f.value), "use_avg_calc": false,
    });
    put_id(&mut v, "id", id);
    put_id(&mut v, "person", f.person_id);
    put_id(&mut v, "work", id);
    put_opt_id(&mut v, "lesson", None);
    put_id(
        &mut v,
        "workType",
        if f.period_id.is_some() {
            PERIOD_TYPE
        } else {
            YEAR_TYPE
        },
    );
    put_id(&mut v, "subject", f.subject_id);
    v
}

/// `GET persons/{person}/edu-groups/{group}/allfinalmarks`: period and year marks.
pub async fn person_all_finals(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, group)): Path<(String, String)>,
) -> Answer {
    let (s, g) = student_in_group(&state, &ctx, &person, &group).await?;
    let (finals, periods) = finals(&state, &s, &g).await?;
    let tz = &s.school.time_zone;
    let works: Vec<Value> = finals
        .iter()
        .map(|f| {
            let period = periods.iter().find(|p| Some(p.id) == f.period_id);
            let mut v = json!({
                "type": "FinalMark", "markType": "Mark5", "markCount": 1, "status": "Sent",
                "periodNumber": period.map_or(0, |p| p.number),
                "periodType": period.map_or(if f.kind == "year" { "Year" } else { "Exam" }, |p| period_type(&p.kind)),
                "text": period.map_or_else(|| f.kind.clone(), |p| p.name.clone()),
                "displayInJournal": true, "tasks": [], "files": [],
            });
            put_id(&mut v, "id", final_id(f));
            put_id(&mut v, "eduGroup", g.id);
            put_id(&mut v, "subjectId", f.subject_id);
            put_opt_id(&mut v, "reportingPeriod", f.period_id);
            put_id(&mut v, "workType", if f.period_id.is_some() { PERIOD_TYPE } else { YEAR_TYPE });
            v
        })
        .collect();
    let subject_ids: BTreeSet<i64> = finals.iter().map(|f| f.subject_id).collect();
    let subjects = state
        .store
        .subjects_by_id(s.school.id, &subject_ids.into_iter().collect::<Vec<_>>())
        .await?;
    let types: Vec<Value> = [(PERIOD_TYPE, "Отметка за период", "Период"), (YEAR_TYPE, "Годовая отметка", "Год")]
        .iter()
        .map(|(id, name, abbr)| {
            let mut v = json!({ "name": name, "title": name, "abbreviation": abbr, "abbr": abbr,
                                "isFinal": true, "isImportant": true, "kind": "Final", "kindId": 1, "weight": 0 });
            put_id(&mut v, "id", *id);
            put_id(&mut v, "schoolId", s.school.id);
            v
        })
        .collect();
    Ok(Json(json!({
        "marks": finals.iter().map(|f| final_mark_json(f, tz)).collect::<Vec<_>>(),
        "works": works,
        "subjects": subjects.iter().map(subject_json).collect::<Vec<_>>(),
        "workTypes": types,
    })))
}

/// `GET persons/{person}/edu-groups/{group}/final-marks`: the year mark of each subject.
pub async fn person_finals(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, group)): Path<(String, String)>,
) -> Answer {
    let (s, g) = student_in_group(&state, &ctx, &person, &group).await?;
    let (finals, _) = finals(&state, &s, &g).await?;
    Ok(Json(json!(
        finals
            .iter()
            .filter(|f| f.kind == "year")
            .map(|f| {
                let mut v = json!({ "final-mark": final_mark_json(f, &s.school.time_zone) });
                put_id(&mut v, "subject", f.subject_id);
                v
            })
            .collect::<Vec<_>>()
    )))
}

// ---------------------------------------------------------------- homework, schedule, attendance

/// `{works, subjects, lessons, files, teachers}` for the homework of a student's groups due
/// in a range.
async fn homework_of(state: &AppState, s: &Student, from: Date, to: Date) -> Answer {
    let lessons = state
        .store
        .homework_of_groups(
            s.school.id,
            &s.group_ids(),
            &from.to_string(),
            &to.to_string(),
        )
        .await?;
    let ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
    let files = state.store.files_of_lessons(s.school.id, &ids).await?;
    let times = Times::of(state, s.school.id).await?;
    let subject_ids: BTreeSet<i64> = lessons.iter().map(|l| l.subject_id).collect();
    let subjects = state
        .store
        .subjects_by_id(s.school.id, &subject_ids.into_iter().collect::<Vec<_>>())
        .await?;
    let teacher_ids: BTreeSet<i64> = lessons.iter().filter_map(|l| l.teacher_id).collect();
    let teachers = state
        .store
        .persons_by_id(&teacher_ids.into_iter().collect::<Vec<_>>())
        .await?;
    Ok(Json(json!({
        "works": lessons.iter().map(|l| {
            let mut v = homework_json(l);
            let mine: Vec<i64> = files.iter().filter(|f| f.lesson_id == l.id).map(|f| f.id).collect();
            put_ids(&mut v, "files", &mine);
            v
        }).collect::<Vec<_>>(),
        "subjects": subjects.iter().map(subject_json).collect::<Vec<_>>(),
        "lessons": lessons.iter().map(|l| lesson_row(l, &[HOMEWORK_IDS + l.id], &times)).collect::<Vec<_>>(),
        "files": files.iter().map(|f| {
            let mut v = json!({ "name": f.name, "size": f.size, "typeGroup": "File", "type": "File",
                "pageUrl": Value::Null, "downloadUrl": format!("/journal/lesson/file?id={}", f.id),
                "storageType": "Local" });
            put_id(&mut v, "id", f.id);
            v
        }).collect::<Vec<_>>(),
        "teachers": teachers.iter().map(person_json).collect::<Vec<_>>(),
    })))
}

/// The student of `users/me/…`: the caller themself (a student), or their only child.
async fn me_as_student(state: &AppState, ctx: &Ctx) -> Result<Student, AppError> {
    let a = actor(ctx)?;
    let pupils = family(state, ctx).await?;
    let me = pupils
        .iter()
        .find(|p| p.person_id == a.person_id)
        .or(if pupils.len() == 1 {
            pupils.first()
        } else {
            None
        });
    match me {
        Some(p) => reach::student(state, ctx, &p.person_id.to_string()).await,
        None => Err(AppError::NotFound),
    }
}

/// The homework of a student due in the query's range, at the school of the path (another
/// school answers 404, audited).
async fn homework_at(
    state: &AppState,
    ctx: &Ctx,
    s: Student,
    school: &str,
    q: &Option<String>,
) -> Answer {
    if school.trim() != s.school.id.to_string() {
        return Err(deny_object(state, ctx, "school", school).await);
    }
    let (a, b) = query_range(state, &s.school, q)?;
    homework_of(state, &s, a, b).await
}

/// `GET users/me/school/{school}/homeworks?startDate&endDate`.
pub async fn my_homework(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(school): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let s = me_as_student(&state, &ctx).await?;
    homework_at(&state, &ctx, s, &school, &q).await
}

/// `GET persons/{person}/school/{school}/homeworks?startDate&endDate`.
pub async fn person_homework(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, school)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Answer {
    let s = reach::student(&state, &ctx, &person).await?;
    homework_at(&state, &ctx, s, &school, &q).await
}

/// `GET persons/{person}/groups/{group}/schedules?startDate&endDate`: day by day, the
/// lessons with their marks, homework, attendance and teachers.
pub async fn person_schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((person, group)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Answer {
    let (s, _) = student_in_group(&state, &ctx, &person, &group).await?;
    let (a, b) = query_range(&state, &s.school, &q)?;
    let (from, to) = (a.to_string(), b.to_string());
    let school = s.school.id;
    let tz = &s.school.time_zone;
    let lessons = state
        .store
        .lessons_of_groups(school, &s.group_ids(), &from, &to, None)
        .await?;
    let ids: Vec<i64> = lessons.iter().map(|l| l.id).collect();
    let works = state.store.works_of_lessons(school, &ids).await?;
    let due = state
        .store
        .homework_of_groups(school, &s.group_ids(), &from, &to)
        .await?;
    let mut marks = state
        .store
        .marks_of_person(school, s.person_id, &from, &to, None)
        .await?;
    marks.retain(|m| s.subjects.has(m.subject_id));
    let mut log = state
        .store
        .log_of_person(school, s.person_id, &from, &to)
        .await?;
    log.retain(|e| {
        let subject = lessons.iter().find(|l| l.id == e.lesson_id);
        subject.is_some_and(|l| s.subjects.has(l.subject_id))
    });
    let types = state.store.work_types(school).await?;
    let times = Times::of(&state, school).await?;
    let subject_ids: BTreeSet<i64> = lessons.iter().map(|l| l.subject_id).collect();
    let subjects = state
        .store
        .subjects_by_id(school, &subject_ids.into_iter().collect::<Vec<_>>())
        .await?;
    let teacher_ids: BTreeSet<i64> = lessons.iter().filter_map(|l| l.teacher_id).collect();
    let teachers = state
        .store
        .persons_by_id(&teacher_ids.into_iter().collect::<Vec<_>>())
        .await?;
    let mut days = Vec::new();
    let mut day = a;
    while day <= b {
        let d = day.to_string();
        let todays: Vec<&LessonInfo> = lessons.iter().filter(|l| l.date == d).collect();
        let lesson_ids: Vec<i64> = todays.iter().map(|l| l.id).collect();
        let day_works: Vec<&WorkInfo> = works
            .iter()
            .filter(|w| lesson_ids.contains(&w.lesson_id))
            .collect();
        let day_due: Vec<&LessonInfo> = due
            .iter()
            .filter(|l| l.homework_due.as_deref().unwrap_or(&l.date) == d)
            .collect();
        let day_marks: Vec<&MarkInfo> = marks.iter().filter(|m| m.date == d).collect();
        let used_types: BTreeSet<i64> = day_works.iter().map(|w| w.work_type_id).collect();
        let day_subjects: BTreeSet<i64> = todays.iter().map(|l| l.subject_id).collect();
        let day_teachers: BTreeSet<i64> = todays.iter().filter_map(|l| l.teacher_id).collect();
        let next = day.tomorrow().unwrap_or(day);
        days.push(json!({
            "date": stamp(&d, None),
            "lessons": todays.iter().map(|l| {
                let mine: Vec<&WorkInfo> = day_works.iter().copied().filter(|w| w.lesson_id == l.id).collect();
                lesson_row(l, &work_ids(l, &mine), &times)
            }).collect::<Vec<_>>(),
            "marks": day_marks.iter().map(|m| mark_json(m, tz)).collect::<Vec<_>>(),
            "works": todays.iter().flat_map(|l| {
                let mine: Vec<&WorkInfo> = day_works.iter().copied().filter(|w| w.lesson_id == l.id).collect();
                works_of(l, &mine, tz)
            }).collect::<Vec<_>>(),
            "homeworks": day_due.iter().map(|l| homework_json(l)).collect::<Vec<_>>(),
            "subjects": subjects.iter().filter(|x| day_subjects.contains(&x.id)).map(subject_json).collect::<Vec<_>>(),
            "workTypes": types.iter().filter(|t| used_types.contains(&t.id)).map(|t| work_type_json(t, school)).collect::<Vec<_>>(),
            "lessonLogEntries": log.iter().filter(|e| lesson_ids.contains(&e.lesson_id)).map(|e| log_json(e, tz)).collect::<Vec<_>>(),
            "teachers": teachers.iter().filter(|t| day_teachers.contains(&t.id))
                .map(|t| json!({ "person": person_json(t), "role": "Teacher" })).collect::<Vec<_>>(),
            "nextDate": stamp(&next.to_string(), None),
        }));
        if next == day {
            break;
        }
        day = next;
    }
    Ok(Json(json!({ "days": days })))
}

/// `GET persons/{person}/lesson-log-entries?startDate&endDate`: absences and late arrivals.
pub async fn person_log(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(person): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let s = reach::student(&state, &ctx, &person).await?;
    let (a, b) = query_range(&state, &s.school, &q)?;
    let (from, to) = (a.to_string(), b.to_string());
    let mut log = state
        .store
        .log_of_person(s.school.id, s.person_id, &from, &to)
        .await?;
    if s.subjects != reach::Subjects::All {
        let lessons = state
            .store
            .lessons_of_groups(s.school.id, &s.group_ids(), &from, &to, None)
            .await?;
        log.retain(|e| {
            let lesson = lessons.iter().find(|l| l.id == e.lesson_id);
            lesson.is_some_and(|l| s.subjects.has(l.subject_id))
        });
    }
    Ok(Json(json!({
        "logEntries": log.iter().map(|e| log_json(e, &s.school.time_zone)).collect::<Vec<_>>(),
    })))
}
