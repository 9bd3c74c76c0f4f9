//! «Перевод в другой класс» (`/roster/transfer`, the deputy, §2.12) and «Движение
//! обучающихся» (`/roster/movement`, the administration and the inspectors): parse, call
//! `ops`, render.

use super::id_of;
use super::ops::{self, TransferInput, TransferRefused};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::pages::auth::check_csrf;
use crate::pages::{Chrome, html};
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_store::{ClassRow, MovementRow, PersonRow};

#[derive(Template)]
#[template(path = "roster_transfer.html")]
pub struct TransferPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub classes: Vec<ClassRow>,
    pub class_id: i64,
    pub students: Vec<PersonRow>,
    pub today: String,
    /// (field, message) of a refusal, shown next to its field.
    pub error: Option<(&'static str, String)>,
    pub done: Option<String>,
}

impl TransferPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Deserialize, Default)]
pub struct MovesQuery {
    school: Option<String>,
    class: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

async fn transfer_page(
    state: &AppState,
    ctx: &Ctx,
    school: Option<i64>,
    class: Option<i64>,
) -> Result<TransferPage, AppError> {
    let school = ops::school_for(state, ctx, Action::TransferStudents, school).await?;
    let (classes, class, _) = ops::class_access(state, ctx, &school, class).await?;
    let students = match &class {
        Some(c) => state.store.group_members(school.id, c.id).await?,
        None => Vec::new(),
    };
    Ok(TransferPage {
        c: Chrome::new(ctx, ctx.t().s("transfer.title"), "/roster/transfer"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        class_id: class.as_ref().map_or(0, |c| c.id),
        classes,
        students,
        today: today_in(state.clock.now(), &school.time_zone).to_string(),
        error: None,
        done: None,
    })
}

pub async fn transfer_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MovesQuery>,
) -> Result<Response, AppError> {
    let school = id_of(q.school.as_deref())?;
    let page = transfer_page(&state, &ctx, school, id_of(q.class.as_deref())?).await?;
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    class: String,
    #[serde(default)]
    student: String,
    #[serde(default)]
    to_class: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    order_number: String,
    #[serde(default)]
    order_date: String,
}

pub async fn transfer_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<TransferForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let t = ctx.t();
    let school = id_of(Some(&form.school))?;
    let mut page = transfer_page(&state, &ctx, school, id_of(Some(&form.class))?).await?;
    let date = |raw: &str, field: &'static str| {
        raw.trim()
            .parse::<Date>()
            .map_err(|_| (field, t.s("transfer.bad_date").to_owned()))
    };
    let parsed = (|| {
        Ok::<_, (&'static str, String)>(TransferInput {
            student: form
                .student
                .trim()
                .parse()
                .map_err(|_| ("student", t.s("transfer.choose_student").to_owned()))?,
            to_class: form
                .to_class
                .trim()
                .parse()
                .map_err(|_| ("to_class", t.s("transfer.choose_class").to_owned()))?,
            on: date(&form.on, "on")?,
            order_number: form.order_number.clone(),
            order_date: date(&form.order_date, "order_date")?,
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err(e) => {
            page.error = Some(e);
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let school_row =
        ops::school_for(&state, &ctx, Action::TransferStudents, Some(page.school_id)).await?;
    match ops::transfer(&state, &ctx, &school_row, &input).await? {
        Ok(_) => {
            let name = page
                .students
                .iter()
                .find(|s| s.id == input.student)
                .map(|s| s.full_name())
                .unwrap_or_default();
            let class = page
                .classes
                .iter()
                .find(|c| c.id == input.to_class)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let refreshed =
                transfer_page(&state, &ctx, Some(page.school_id), Some(page.class_id)).await?;
            page = refreshed;
            page.done = Some(format!(
                "{}: {name} → {class}, {}",
                t.s("transfer.done"),
                t.date(input.on)
            ));
            html(StatusCode::OK, &page)
        }
        Err(refused) => {
            page.error = Some(refusal(&t, refused));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// The field a refused transfer belongs to, and why, in the person's language.
pub fn refusal(t: &Tr, r: TransferRefused) -> (&'static str, String) {
    let (field, key) = match r {
        TransferRefused::SameClass => ("to_class", "transfer.same_class"),
        TransferRefused::BeforeEnrolment => ("on", "transfer.before_enrolment"),
        TransferRefused::JournalEntriesAfter => ("on", "transfer.entries_after"),
        TransferRefused::OrderNumber => ("order_number", "transfer.order_number"),
    };
    (field, t.s(key).to_owned())
}

#[derive(Template)]
#[template(path = "roster_movement.html")]
pub struct MovementPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub from: String,
    pub to: String,
    pub head: Vec<&'static str>,
    /// Each class's cells, the school's total last.
    pub table: Vec<Vec<String>>,
    pub date_error: Option<String>,
}

/// The report's columns, as the page and the CSV head them.
const COLUMNS: [&str; 12] = [
    "movement.class",
    "movement.at_start",
    "movement.arrived",
    "movement.enrolled",
    "movement.transferred_in",
    "movement.left",
    "movement.transferred_out",
    "movement.to_other_school",
    "movement.graduated",
    "movement.family",
    "movement.left_other",
    "movement.at_end",
];

fn cells(t: &Tr, r: &MovementRow) -> Vec<String> {
    let name = if r.class_id == 0 {
        t.s("movement.total").to_owned()
    } else {
        r.class_name.clone()
    };
    let mut out = vec![name];
    out.extend(
        [
            r.at_start,
            r.arrived,
            r.enrolled,
            r.transferred_in,
            r.left,
            r.transferred_out,
            r.to_other_school,
            r.graduated,
            r.family,
            r.left_other,
            r.at_end,
        ]
        .iter()
        .map(i64::to_string),
    );
    out
}

pub async fn movement_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MovesQuery>,
) -> Result<Response, AppError> {
    let t = ctx.t();
    let school = ops::school_for(
        &state,
        &ctx,
        Action::ViewReports,
        id_of(q.school.as_deref())?,
    )
    .await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let year_start = Date::new(study_year_of(today), 9, 1).unwrap_or(today);
    let parse =
        |raw: Option<&str>, default: Date| match raw.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => s.parse::<Date>().map_err(|_| ()),
        };
    let (from, to) = match (
        parse(q.from.as_deref(), year_start),
        parse(q.to.as_deref(), today),
    ) {
        (Ok(f), Ok(t)) if f <= t && study_year_of(f) == study_year_of(t) => (f, t),
        _ => {
            let page = MovementPage {
                c: Chrome::new(&ctx, t.s("movement.title"), "/roster/movement"),
                school_id: school.id,
                school_name: school.short_name.clone(),
                from: q.from.unwrap_or_default(),
                to: q.to.unwrap_or_default(),
                head: Vec::new(),
                table: Vec::new(),
                date_error: Some(t.s("movement.bad_dates").to_owned()),
            };
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let rows = ops::movement(&state, &school, from, to).await?;
    if q.format.as_deref() == Some("csv") {
        let head: Vec<&str> = COLUMNS.iter().map(|k| t.s(k)).collect();
        let body = zhurnal_core::export::csv(&head, rows.iter().map(|r| cells(&t, r)));
        return Ok(crate::files::download(
            &format!("movement-{from}-{to}.csv"),
            "text/csv; charset=utf-8".into(),
            body,
        ));
    }
    let page = MovementPage {
        c: Chrome::new(&ctx, t.s("movement.title"), "/roster/movement"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        from: from.to_string(),
        to: to.to_string(),
        head: COLUMNS.iter().map(|k| t.s(k)).collect(),
        table: rows.iter().map(|r| cells(&t, r)).collect(),
        date_error: None,
    };
    html(StatusCode::OK, &page)
}
