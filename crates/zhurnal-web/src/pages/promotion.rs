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
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::promotion::{Decision, OldClass, days_late, plan};
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

async fn school_year(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
) -> Result<(SchoolRow, i16, Date), AppError> {
    let reach = ctx.actor()?.reach(Action::TransferStudents);
    let (school, _) = pick_school(state, ctx, &reach, asked).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    Ok((school, study_year_of(today), today))
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
    form: PromotionForm,
) -> Result<PromotionPage, AppError> {
    let t = ctx.t();
    let orders = state
        .store
        .transfer_orders(school.id)
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
        .collect();
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

/// Reads the exceptions: one per line, `class; surname first name [patronymic]; decision`.
fn read_exceptions(t: &Tr, text: &str, classes: &Roster) -> (HashMap<i64, Decision>, Vec<String>) {
    let (mut out, mut errors) = (HashMap::new(), Vec::new());
    for (i, raw) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = format!("{} {}: ", t.s("import.line"), i + 1);
        let cols: Vec<&str> = raw.split(';').map(str::trim).collect();
        if cols.len() != 3 {
            errors.push(format!("{at}{}", t.s("promotion.columns")));
            continue;
        }
        let Some((_, students)) = classes.get(&normalise_name(cols[0])) else {
            errors.push(format!("{at}{} «{}»", t.s("import.unknown_class"), cols[0]));
            continue;
        };
        let wanted = normalise_name(cols[1]);
        let found: Vec<i64> = students
            .iter()
            .filter(|(_, name)| *name == wanted || name.starts_with(&format!("{wanted} ")))
            .map(|(id, _)| *id)
            .collect();
        let decision = Decision::parse(cols[2]);
        match (found.as_slice(), decision) {
            ([person], Some(d)) => {
                out.insert(*person, d);
            }
            ([], _) => errors.push(format!(
                "{at}{} «{}»",
                t.s("promotion.unknown_student"),
                cols[1]
            )),
            ([_, _, ..], _) => errors.push(format!(
                "{at}{} «{}»",
                t.s("promotion.ambiguous_student"),
                cols[1]
            )),
            (_, None) => errors.push(format!(
                "{at}{} «{}»",
                t.s("promotion.unknown_decision"),
                cols[2]
            )),
        }
    }
    (out, errors)
}

pub async fn promotion_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PromotionForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let actor = ctx.actor()?;
    let t = ctx.t();
    let (school, year, today) = school_year(&state, &ctx, Some(&form.school)).await?;
    let mut p = build(&state, &ctx, &school, year, form.clone()).await?;
    p.checked = true;
    let order_date = form.order_date.trim().parse::<Date>().ok();
    // Memberships change on the day the order is applied: "current" means "not closed".
    let effective = Some(today);
    if form.number.trim().is_empty() || form.number.chars().count() > 40 {
        p.errors.push(t.s("promotion.need_number").to_owned());
    }
    match (order_date, effective) {
        (Some(o), Some(e)) if o <= today && e >= o => {}
        _ => p.errors.push(t.s("promotion.bad_dates").to_owned()),
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
    let (decisions, errors) = read_exceptions(&t, &form.exceptions, &by_name);
    p.errors.extend(errors);
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
    let plan = plan(&old, &decisions);
    let count = |d: Decision| decisions.values().filter(|x| **x == d).count();
    p.summary = vec![
        format!("{}: {}", t.s("promotion.new_classes"), plan.classes.len()),
        format!("{}: {}", t.s("promotion.moved"), plan.moves.len()),
        format!("{}: {}", t.s("promotion.leavers"), plan.leavers.len()),
        format!(
            "{}: {}, {}: {}",
            t.s("promotion.retained"),
            count(Decision::Retain),
            t.s("promotion.conditional"),
            count(Decision::Conditional)
        ),
    ];
    if old.is_empty() {
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
    let (Some(order_date), Some(effective)) = (order_date, effective) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    };
    let (order_s, effective_s, today_s) = (
        order_date.to_string(),
        effective.to_string(),
        today.to_string(),
    );
    let order = NewOrder {
        number: form.number.trim(),
        order_date: &order_s,
        effective_date: &effective_s,
        from_year: year,
        applied_on: &today_s,
        created_by: Some(actor.person_id),
    };
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "roster.promotion".into(),
        details: serde_json::json!({ "number": order.number, "order_date": order_s, "moved": plan.moves.len(), "leavers": plan.leavers.len() }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    match state
        .store
        .apply_promotion(school.id, &order, &plan, &decisions, &audit)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/setup/promotion?school={}&done=1", school.id)).into_response(),
        ),
        Err(StoreError::Conflict(_)) => {
            p.errors.push(t.s("promotion.already").to_owned());
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}
