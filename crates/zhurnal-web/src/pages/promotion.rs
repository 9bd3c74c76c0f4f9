//! Year-end promotion by the school's order (§2.12): the deputy enters the order (number and
//! date) and the exceptions, checks the plan, and applies it in one step; the transfer takes
//! effect on the day it is applied. The time from the order to its application is kept, so
//! the regulation's three days can be checked (shown for every order).

use super::auth::check_csrf;
use super::timetable::pick_school;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::promotion::{Decision, OldClass, Plan, days_late, plan};
use zhurnal_core::timetable_csv::normalise_name;
use zhurnal_store::{AuditEntry, NewOrder, SchoolRow, StoreError};

/// The regulation's limit from the order to the transfer in the system (§2.12).
const DAYS_ALLOWED: i64 = 3;

pub struct OrderItem {
    pub number: String,
    pub order_date: String,
    pub applied_on: String,
    pub moved: i32,
    pub leavers: i32,
    pub on_time: bool,
    pub days: i64,
}

#[derive(Template)]
#[template(path = "promotion.html")]
pub struct PromotionPage {
    pub c: Chrome,
    pub school_id: i64,
    pub year: i16,
    pub orders: Vec<OrderItem>,
    pub form: PromotionForm,
    pub checked: bool,
    pub summary: Vec<String>,
    pub errors: Vec<String>,
    pub done: bool,
}

#[derive(Deserialize, Default, Clone)]
pub struct PromotionForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub order_date: String,
    #[serde(default)]
    pub exceptions: String,
    #[serde(default)]
    pub op: String,
}

#[derive(Deserialize, Default)]
pub struct PromotionQuery {
    school: Option<String>,
    done: Option<String>,
}

pub async fn school_year(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
) -> Result<(SchoolRow, i16, Date), AppError> {
    let reach = ctx.actor()?.reach(Action::TransferStudents);
    let (school, _) = pick_school(state, ctx, &reach, asked).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    Ok((school, study_year_of(today), today))
}

/// The school's promotion orders, each with the days from the order to its application.
pub async fn orders(state: &AppState, school_id: i64) -> Result<Vec<OrderItem>, AppError> {
    Ok(state
        .store
        .transfer_orders(school_id)
        .await?
        .into_iter()
        .map(|o| {
            let days = match (o.order_date.parse::<Date>(), o.applied_on.parse::<Date>()) {
                (Ok(a), Ok(b)) => days_late(a, b),
                _ => 0,
            };
            OrderItem {
                number: o.number,
                order_date: o.order_date,
                applied_on: o.applied_on,
                moved: o.moved,
                leavers: o.leavers,
                on_time: days <= DAYS_ALLOWED,
                days,
            }
        })
        .collect())
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
    form: PromotionForm,
) -> Result<PromotionPage, AppError> {
    let t = ctx.t();
    let orders = orders(state, school.id).await?;
    Ok(PromotionPage {
        c: Chrome::new(ctx, t.s("promotion.title"), "/setup/promotion"),
        school_id: school.id,
        year,
        orders,
        form,
        checked: false,
        summary: Vec::new(),
        errors: Vec::new(),
        done: false,
    })
}

pub async fn promotion_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PromotionQuery>,
) -> Result<Response, AppError> {
    let (school, year, today) = school_year(&state, &ctx, q.school.as_deref()).await?;
    let form = PromotionForm {
        order_date: today.to_string(),
        ..PromotionForm::default()
    };
    let mut p = build(&state, &ctx, &school, year, form).await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

/// Class name (normalised) → the class and its students (id, normalised full name).
type Roster = HashMap<String, (i64, Vec<(i64, String)>)>;

/// One exception to promotion, as the deputy names it: class, student, decision.
#[derive(Clone, Copy)]
pub struct Exception<'a> {
    pub class: &'a str,
    pub student: &'a str,
    pub decision: &'a str,
}

/// Splits the form's exceptions: one per line, `class; surname first name [patronymic];
/// decision`; blank lines skipped. A line with the wrong number of columns is `Err` with its
/// line number.
fn exception_lines(text: &str) -> Vec<(usize, Result<Exception<'_>, ()>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, raw)| {
            let cols: Vec<&str> = raw.split(';').map(str::trim).collect();
            let e = match cols.as_slice() {
                [class, student, decision] => Ok(Exception {
                    class,
                    student,
                    decision,
                }),
                _ => Err(()),
            };
            (i + 1, e)
        })
        .collect()
}

/// Resolves the exceptions against the year's classes: each names one student of the named
/// class and a known decision. Problems come back with the exception's index.
fn read_exceptions(
    t: &Tr,
    list: &[Result<Exception<'_>, ()>],
    classes: &Roster,
) -> (HashMap<i64, Decision>, Vec<(usize, String)>) {
    let (mut out, mut errors) = (HashMap::new(), Vec::new());
    for (i, e) in list.iter().enumerate() {
        let Ok(e) = e else {
            errors.push((i, t.s("promotion.columns").to_owned()));
            continue;
        };
        let Some((_, students)) = classes.get(&normalise_name(e.class)) else {
            errors.push((i, format!("{} «{}»", t.s("import.unknown_class"), e.class)));
            continue;
        };
        let wanted = normalise_name(e.student);
        let found: Vec<i64> = students
            .iter()
            .filter(|(_, name)| *name == wanted || name.starts_with(&format!("{wanted} ")))
            .map(|(id, _)| *id)
            .collect();
        match (found.as_slice(), Decision::parse(e.decision)) {
            ([person], Some(d)) => {
                out.insert(*person, d);
            }
            ([], _) => errors.push((
                i,
                format!("{} «{}»", t.s("promotion.unknown_student"), e.student),
            )),
            ([_, _, ..], _) => errors.push((
                i,
                format!("{} «{}»", t.s("promotion.ambiguous_student"), e.student),
            )),
            (_, None) => errors.push((
                i,
                format!("{} «{}»", t.s("promotion.unknown_decision"), e.decision),
            )),
        }
    }
    (out, errors)
}

/// A promotion order checked against the year that ends: what it would do, or why not.
pub struct Checked {
    pub plan: Plan,
    pub decisions: HashMap<i64, Decision>,
    /// The pupils with year marks that leave a debt: (pupil, «Иванов Пётр (7Б): Алгебра
    /// «2»»), by name.
    pub debts: Vec<(i64, String)>,
    pub order_date: Option<Date>,
    /// Problems with the order's number and date: (`number` or `order_date`, message).
    pub errors: Vec<(&'static str, String)>,
    /// Problems with the exceptions: (index in the list, message).
    pub exception_errors: Vec<(usize, String)>,
    /// The year has no classes to promote.
    pub no_classes: bool,
}

impl Checked {
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.exception_errors.is_empty() && !self.no_classes
    }

    pub fn count(&self, d: Decision) -> usize {
        self.decisions.values().filter(|x| **x == d).count()
    }
}

/// Each pupil's failing year marks of `year`: «Алгебра «2»», by pupil.
async fn debts_of(
    state: &AppState,
    school_id: i64,
    year: i16,
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (person, subject, value) in state.store.failing_year_marks(school_id, year).await? {
        out.entry(person)
            .or_default()
            .push(format!("{subject} «{value}»"));
    }
    Ok(out)
}

/// Checks an order (number, date, exceptions) against the school's classes of `year`:
/// the one rule for the page and the API. A pupil with a failing year mark is promoted
/// conditionally unless an exception says otherwise.
pub async fn check_order(
    state: &AppState,
    t: &Tr,
    school: &SchoolRow,
    (year, today): (i16, Date),
    number: &str,
    order_date: &str,
    exceptions: &[Result<Exception<'_>, ()>],
) -> Result<Checked, AppError> {
    let mut errors = Vec::new();
    let order_date = order_date.trim().parse::<Date>().ok();
    if number.trim().is_empty() || number.trim().chars().count() > 40 {
        errors.push(("number", t.s("promotion.need_number").to_owned()));
    }
    // Memberships change on the day the order is applied, which may not precede the order.
    if order_date.is_none_or(|o| o > today) {
        errors.push(("order_date", t.s("promotion.bad_dates").to_owned()));
    }
    // The year that ends: its classes and students.
    let classes = state.store.school_classes(school.id, year).await?;
    let members = state.store.year_members(school.id, year).await?;
    let overview = state.store.class_overview(school.id, year).await?;
    let mut by_name: Roster = HashMap::new();
    for c in &classes {
        let students = members
            .iter()
            .filter(|m| m.class_id == c.id)
            .map(|m| {
                (
                    m.person_id,
                    normalise_name(&format!(
                        "{} {} {}",
                        m.last_name, m.first_name, m.middle_name
                    )),
                )
            })
            .collect();
        by_name.insert(normalise_name(&c.name), (c.id, students));
    }
    let (mut decisions, exception_errors) = read_exceptions(t, exceptions, &by_name);
    // A year «2» or «н/а» is an academic debt: such a pupil is promoted conditionally
    // (273-ФЗ ст. 58 ч. 8) unless the order says otherwise for them.
    let mut debts = Vec::new();
    for (person, marks) in debts_of(state, school.id, year).await? {
        let Some(m) = members.iter().find(|m| m.person_id == person) else {
            continue;
        };
        decisions.entry(person).or_insert(Decision::Conditional);
        let class = classes.iter().find(|c| c.id == m.class_id);
        let line = format!(
            "{} {} ({}): {}",
            m.last_name,
            m.first_name,
            class.map_or("", |c| c.name.as_str()),
            marks.join(", ")
        );
        debts.push((person, line));
    }
    debts.sort_by(|a, b| a.1.cmp(&b.1));
    let old: Vec<OldClass> = overview
        .iter()
        .map(|c| OldClass {
            id: c.id,
            parallel: c.parallel as i16,
            letter: classes
                .iter()
                .find(|k| k.id == c.id)
                .map(|k| {
                    k.name
                        .trim_start_matches(|ch: char| ch.is_ascii_digit())
                        .to_owned()
                })
                .unwrap_or_default(),
            class_teacher_id: c.class_teacher_id,
            capacity: c.capacity,
            students: members
                .iter()
                .filter(|m| m.class_id == c.id)
                .map(|m| m.person_id)
                .collect(),
        })
        .collect();
    Ok(Checked {
        plan: plan(&old, &decisions),
        debts,
        decisions,
        order_date,
        errors,
        exception_errors,
        no_classes: old.is_empty(),
    })
}

/// Applies a clean order in one transaction, audited. `Err(key)`: the year was already
/// promoted.
pub async fn apply_order(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (year, today): (i16, Date),
    number: &str,
    checked: &Checked,
) -> Result<Result<(), &'static str>, AppError> {
    let actor = ctx.actor()?;
    let Some(order_date) = checked.order_date.filter(|_| checked.is_clean()) else {
        return Err(AppError::Internal(
            "applying an order that did not pass".into(),
        ));
    };
    let (order_s, today_s) = (order_date.to_string(), today.to_string());
    let order = NewOrder {
        number: number.trim(),
        order_date: &order_s,
        effective_date: &today_s,
        from_year: year,
        applied_on: &today_s,
        created_by: Some(actor.person_id),
    };
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "roster.promotion".into(),
        details: serde_json::json!({ "number": order.number, "order_date": order_s, "moved": checked.plan.moves.len(), "leavers": checked.plan.leavers.len() }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state
        .store
        .apply_promotion(school.id, &order, &checked.plan, &checked.decisions, &audit)
        .await
    {
        Ok(_) => Ok(Ok(())),
        Err(StoreError::Conflict(_)) => Ok(Err("promotion.already")),
        Err(e) => Err(e.into()),
    }
}

pub async fn promotion_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PromotionForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let t = ctx.t();
    let (school, year, today) = school_year(&state, &ctx, Some(&form.school)).await?;
    let mut p = build(&state, &ctx, &school, year, form.clone()).await?;
    p.checked = true;
    let lines = exception_lines(&form.exceptions);
    let list: Vec<_> = lines.iter().map(|(_, e)| *e).collect();
    let checked = check_order(
        &state,
        &t,
        &school,
        (year, today),
        &form.number,
        &form.order_date,
        &list,
    )
    .await?;
    p.errors
        .extend(checked.errors.iter().map(|(_, m)| m.clone()));
    p.errors.extend(
        checked
            .exception_errors
            .iter()
            .map(|(i, m)| format!("{} {}: {m}", t.s("import.line"), lines[*i].0)),
    );
    p.summary = vec![
        format!(
            "{}: {}",
            t.s("promotion.new_classes"),
            checked.plan.classes.len()
        ),
        format!("{}: {}", t.s("promotion.moved"), checked.plan.moves.len()),
        format!(
            "{}: {}",
            t.s("promotion.leavers"),
            checked.plan.leavers.len()
        ),
        format!(
            "{}: {}, {}: {}",
            t.s("promotion.retained"),
            checked.count(Decision::Retain),
            t.s("promotion.conditional"),
            checked.count(Decision::Conditional)
        ),
    ];
    let with_debts: Vec<&str> = checked
        .debts
        .iter()
        .filter(|(person, _)| checked.decisions.get(person) == Some(&Decision::Conditional))
        .map(|(_, line)| line.as_str())
        .collect();
    if !with_debts.is_empty() {
        p.summary.push(format!(
            "{} {}",
            t.s("promotion.debts"),
            with_debts.join("; ")
        ));
    }
    if checked.no_classes {
        p.errors.push(t.s("promotion.no_classes").to_owned());
    }
    if !p.errors.is_empty() || form.op != "apply" {
        let status = if p.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return html(status, &p);
    }
    match apply_order(&state, &ctx, &school, (year, today), &form.number, &checked).await? {
        Ok(()) => Ok(crate::error::redirect(&format!(
            "/setup/promotion?school={}&done=1",
            school.id
        ))
        .into_response()),
        Err(key) => {
            p.errors.push(t.s(key).to_owned());
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}
