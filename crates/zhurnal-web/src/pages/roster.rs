//! The class's students and their parents as the class teacher and the clerk keep them:
//! the parents' statements of consent or refusal to get the child's performance through
//! Zhurnal (§3.6), and a student's departure from the school on the day they leave (§5.2).
//! A refusal stops the diary, notices and calendar feed for the child; a departure ends the
//! child's place in every class and group of the school that day.

use super::auth::check_csrf;
use super::class_check::{class_choices, school_and_class};
use super::timetable::Choice;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::clock::today_in;
use zhurnal_store::{ClassRow, NewDeparture, SchoolRow, full_name};

/// Why a student leaves (the order's wording differs).
const REASONS: [&str; 4] = ["transfer", "graduation", "family", "other"];

pub struct StudentLine {
    pub name: String,
    pub parents: String,
    /// «согласие, 1 сентября 2026» / «отказ, …» / «заявления нет».
    pub access: String,
    pub refused: bool,
}

#[derive(Template)]
#[template(path = "roster.html")]
pub struct RosterPage {
    pub c: Chrome,
    pub school_id: i64,
    pub classes: Vec<Choice>,
    pub class_id: i64,
    pub heading: String,
    pub students: Vec<StudentLine>,
    /// «child:parent» pairs for the statement form.
    pub pairs: Vec<Choice>,
    pub decisions: Vec<Choice>,
    pub leavers: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub today: String,
    pub st_date: String,
    pub dep_date: String,
    pub dep_order: String,
    /// Statements, newest first: (when signed, student, parent, decision).
    pub statements: Vec<(String, String, String, String)>,
    /// Departures, newest first: (student, day, reason, order).
    pub departures: Vec<(String, String, String, String)>,
    pub done: Option<&'static str>,
    /// Field id → the problem, shown next to the field.
    pub errors: HashMap<&'static str, String>,
}

#[derive(Deserialize, Default)]
pub struct RosterQuery {
    school: Option<String>,
    class: Option<String>,
    done: Option<String>,
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class: &ClassRow,
    classes: &[ClassRow],
) -> Result<RosterPage, AppError> {
    let t = ctx.t();
    let today = today_in(state.clock.now(), &school.time_zone);
    let students = state.store.group_members(school.id, class.id).await?;
    let parents = state.store.class_parents(school.id, class.id).await?;
    let statements = state.store.class_statements(school.id, class.id).await?;
    let name_of_student = |id: i64| {
        students
            .iter()
            .find(|s| s.id == id)
            .map_or_else(String::new, |s| s.full_name())
    };
    let name_of_parent = |id: Option<i64>| {
        id.and_then(|id| parents.iter().find(|p| p.parent_id == id))
            .map_or_else(String::new, |p| {
                full_name(&p.last_name, &p.first_name, &p.middle_name)
            })
    };
    let decision = |d: &str| {
        t.s(if d == "refusal" {
            "roster.refusal"
        } else {
            "roster.consent"
        })
    };
    let lines = students
        .iter()
        .map(|s| {
            let latest = statements.iter().find(|x| x.student_id == s.id);
            StudentLine {
                name: s.full_name(),
                parents: parents
                    .iter()
                    .filter(|p| p.child_id == s.id)
                    .map(|p| full_name(&p.last_name, &p.first_name, &p.middle_name))
                    .collect::<Vec<_>>()
                    .join(", "),
                access: latest.map_or_else(
                    || t.s("roster.no_statement").to_owned(),
                    |x| format!("{}, {}", decision(&x.decision), t.date_text(&x.signed_on)),
                ),
                refused: latest.is_some_and(|x| x.decision == "refusal"),
            }
        })
        .collect();
    let today_s = today.to_string();
    Ok(RosterPage {
        c: Chrome::new(ctx, t.s("roster.title"), "/roster"),
        school_id: school.id,
        classes: class_choices(classes, class.id),
        class_id: class.id,
        heading: format!("{} {}", t.s("roster.title"), class.name),
        students: lines,
        pairs: parents
            .iter()
            .map(|p| Choice {
                value: format!("{}:{}", p.child_id, p.parent_id),
                label: format!(
                    "{} — {} {}",
                    full_name(&p.last_name, &p.first_name, &p.middle_name),
                    t.s("roster.parent_of"),
                    name_of_student(p.child_id)
                ),
                selected: false,
            })
            .collect(),
        decisions: ["consent", "refusal"]
            .iter()
            .map(|d| Choice {
                value: (*d).to_owned(),
                label: decision(d).to_owned(),
                selected: *d == "consent",
            })
            .collect(),
        leavers: students
            .iter()
            .map(|s| Choice {
                value: s.id.to_string(),
                label: s.full_name(),
                selected: false,
            })
            .collect(),
        reasons: REASONS
            .iter()
            .map(|r| Choice {
                value: (*r).to_owned(),
                label: t.s(&format!("roster.reason.{r}")).to_owned(),
                selected: *r == "transfer",
            })
            .collect(),
        st_date: today_s.clone(),
        dep_date: today_s.clone(),
        today: today_s,
        dep_order: String::new(),
        statements: statements
            .iter()
            .map(|x| {
                (
                    t.date_text(&x.signed_on),
                    name_of_student(x.student_id),
                    name_of_parent(x.parent_id),
                    decision(&x.decision).to_owned(),
                )
            })
            .collect(),
        departures: state
            .store
            .class_departures(school.id, class.id)
            .await?
            .iter()
            .map(|d| {
                (
                    format!("{} {}", d.last_name, d.first_name),
                    t.date_text(&d.left_on),
                    t.s(&format!("roster.reason.{}", d.reason)).to_owned(),
                    d.order_number.clone(),
                )
            })
            .collect(),
        done: None,
        errors: HashMap::new(),
    })
}

pub async fn roster_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RosterQuery>,
) -> Result<Response, AppError> {
    let (school, class, classes) = school_and_class(
        &state,
        &ctx,
        Action::ManageRoster,
        q.school.as_deref(),
        q.class.as_deref(),
    )
    .await?;
    let mut p = build(&state, &ctx, &school, &class, &classes).await?;
    p.done = match q.done.as_deref() {
        Some("statement") => Some("roster.statement_recorded"),
        Some("departure") => Some("roster.departure_recorded"),
        _ => None,
    };
    html(StatusCode::OK, &p)
}

/// A date typed in a form: required, a real day, not after today.
fn past_date(t: &Tr, raw: &str, today: Date) -> Result<Date, String> {
    match raw.trim().parse::<Date>() {
        Err(_) => Err(t.s("roster.date_needed").to_owned()),
        Ok(d) if d > today => Err(t.s("roster.date_future").to_owned()),
        Ok(d) => Ok(d),
    }
}

/// Records a statement (`op=statement`) or a departure (`op=departure`).
pub async fn roster_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let (school, class, classes) = school_and_class(
        &state,
        &ctx,
        Action::ManageRoster,
        Some(form.one("school")),
        Some(form.one("class")),
    )
    .await?;
    let mut page = build(&state, &ctx, &school, &class, &classes).await?;
    let back = |what: &str| {
        Ok(crate::error::redirect(&format!(
            "/roster?school={}&class={}&done={what}",
            school.id, class.id
        ))
        .into_response())
    };
    match form.one("op") {
        "statement" => {
            let pair = form.one("pair");
            let (child, parent) = pair
                .split_once(':')
                .and_then(|(c, p)| Some((c.parse::<i64>().ok()?, p.parse::<i64>().ok()?)))
                .unwrap_or((0, 0));
            let signed_on = form.one("signed_on");
            match record_statement(
                &state,
                &ctx,
                &school,
                &class,
                (child, parent),
                form.one("decision"),
                signed_on,
            )
            .await?
            {
                Ok(()) => back("statement"),
                Err(errors) => {
                    page.st_date = signed_on.to_owned();
                    page.errors = errors;
                    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
                }
            }
        }
        "departure" => {
            let raw = form.one("student");
            let reason = form.one("reason");
            let order = form.one("order").trim();
            page.dep_date = form.one("left_on").to_owned();
            page.dep_order = order.to_owned();
            for c in page.leavers.iter_mut() {
                c.selected = c.value == raw;
            }
            for c in page.reasons.iter_mut() {
                c.selected = c.value == reason;
            }
            let person = raw.parse::<i64>().unwrap_or(0);
            match record_departure(
                &state,
                &ctx,
                &school,
                &class,
                person,
                reason,
                order,
                form.one("left_on"),
            )
            .await?
            {
                Ok(()) => back("departure"),
                Err(errors) => {
                    page.errors = errors;
                    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
                }
            }
        }
        other => Err(AppError::BadRequest(format!("unknown operation {other}"))),
    }
}

/// Field problems of a roster write, by the page's field id (`st-date`, `dep-date`,
/// `dep-order`), in the person's language.
pub type FieldErrors = HashMap<&'static str, String>;

/// Records a parent's statement of consent or refusal (§3.6) for a child of the class: the
/// parent must be the child's (anything else answers 404, audited), the decision `consent`
/// or `refusal`, the day a real one not after today.
pub(crate) async fn record_statement(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class: &ClassRow,
    (child, parent): (i64, i64),
    decision: &str,
    signed_on: &str,
) -> Result<Result<(), FieldErrors>, AppError> {
    let parents = state.store.class_parents(school.id, class.id).await?;
    if !parents
        .iter()
        .any(|p| p.child_id == child && p.parent_id == parent)
    {
        return Err(crate::routes::deny_object(
            state,
            ctx,
            "student",
            &format!("{child}:{parent}"),
        )
        .await);
    }
    if !matches!(decision, "consent" | "refusal") {
        return Err(AppError::BadRequest(format!(
            "decision: consent or refusal, not «{decision}»"
        )));
    }
    let today = today_in(state.clock.now(), &school.time_zone);
    let date = match past_date(&ctx.t(), signed_on, today) {
        Ok(d) => d,
        Err(e) => return Ok(Err(HashMap::from([("st-date", e)]))),
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "roster.statement".into(),
        details: serde_json::json!({ "student_id": child, "parent_id": parent, "decision": decision, "signed_on": date.to_string() })
            .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .record_statement(
            school.id,
            child,
            parent,
            decision,
            &date.to_string(),
            &audit,
        )
        .await?;
    Ok(Ok(()))
}

/// Records a student's departure from the school (§5.2): a student of the class (anything
/// else answers 404, audited), a known reason, an order number of at most 50 characters, a
/// day not after today and not before marks or absences the journal holds for the student.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_departure(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class: &ClassRow,
    person: i64,
    reason: &str,
    order: &str,
    left_on: &str,
) -> Result<Result<(), FieldErrors>, AppError> {
    let t = ctx.t();
    let students = state.store.group_members(school.id, class.id).await?;
    if !students.iter().any(|s| s.id == person) {
        return Err(crate::routes::deny_object(state, ctx, "student", &person.to_string()).await);
    }
    if !REASONS.contains(&reason) {
        return Err(AppError::BadRequest(format!(
            "reason: one of {}, not «{reason}»",
            REASONS.join(", ")
        )));
    }
    let mut errors = FieldErrors::new();
    if order.chars().count() > 50 {
        errors.insert("dep-order", t.s("roster.order_long").to_owned());
    }
    let today = today_in(state.clock.now(), &school.time_zone);
    let date = match past_date(&t, left_on, today) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.insert("dep-date", e);
            None
        }
    };
    if let Some(d) = date {
        let later = state
            .store
            .entries_from(school.id, person, &d.to_string())
            .await?;
        if later > 0 {
            errors.insert(
                "dep-date",
                format!("{} ({later})", t.s("roster.entries_after")),
            );
        }
    }
    let Some(date) = date.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let left_on = date.to_string();
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "roster.departure".into(),
        details: serde_json::json!({ "person_id": person, "class_id": class.id, "left_on": left_on, "reason": reason, "order": order })
            .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let d = NewDeparture {
        school_id: school.id,
        class_id: class.id,
        person_id: person,
        left_on: &left_on,
        reason,
        order_number: order,
    };
    state.store.record_departure(&d, &audit).await?;
    Ok(Ok(()))
}
