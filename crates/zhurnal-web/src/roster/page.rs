//! «Загрузка списка учеников» (`/roster/import`) and «Коды доступа» (`/roster/access`) for
//! the clerk and the deputy: parse the form, call `ops`, render.

use super::id_of;
use super::ops::{self, Imported, IssuedCode};
use super::words;
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::pages::auth::check_csrf;
use crate::pages::{Chrome, html};
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use zhurnal_core::clock::today_in;
use zhurnal_store::{ClassRow, full_name};

/// One row of the check's table.
pub struct RowView {
    pub row: usize,
    pub class: String,
    pub name: String,
    pub fate_code: &'static str,
    pub fate: &'static str,
}

/// One problem, placed as the clerk finds it in the spreadsheet.
pub struct TroubleView {
    pub place: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "roster_import.html")]
pub struct ImportPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub checked: bool,
    pub applied: bool,
    pub summary: String,
    pub rows: Vec<RowView>,
    pub troubles: Vec<TroubleView>,
    pub file_error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SchoolQuery {
    school: Option<String>,
    class: Option<String>,
}

pub async fn import_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SchoolQuery>,
) -> Result<Response, AppError> {
    let school = ops::enrolling_school(&state, &ctx, id_of(q.school.as_deref())?).await?;
    let page = ImportPage {
        c: Chrome::new(&ctx, ctx.t().s("roster_import.title"), "/roster/import"),
        school_id: school.id,
        school_name: school.short_name,
        checked: false,
        applied: false,
        summary: String::new(),
        rows: Vec::new(),
        troubles: Vec::new(),
        file_error: None,
    };
    html(StatusCode::OK, &page)
}

pub async fn import_post(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (fields, file) = crate::files::read_upload(&ctx, multipart).await?;
    let t = ctx.t();
    let asked = id_of(fields.get("school").map(String::as_str))?;
    let school = ops::enrolling_school(&state, &ctx, asked).await?;
    let apply = fields.get("op").is_some_and(|op| op == "apply");
    let mut page = ImportPage {
        c: Chrome::new(&ctx, t.s("roster_import.title"), "/roster/import"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        checked: true,
        applied: false,
        summary: String::new(),
        rows: Vec::new(),
        troubles: Vec::new(),
        file_error: None,
    };
    let Some((_, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        page.checked = false;
        page.file_error = Some(t.s("roster_import.no_file").to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let imported = ops::import_roster(&state, &ctx, &school, bytes, apply).await?;
    let status = if imported.troubles.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    fill(&mut page, &t, &imported);
    html(status, &page)
}

fn fill(page: &mut ImportPage, t: &Tr, imported: &Imported) {
    page.applied = imported.applied;
    page.rows = imported
        .rows
        .iter()
        .map(|(line, fate)| {
            let (fate_code, fate) = words::fate(t, fate);
            RowView {
                row: line.row,
                class: line.class.to_string(),
                name: full_name(&line.names.last, &line.names.first, &line.names.middle),
                fate_code,
                fate,
            }
        })
        .collect();
    page.troubles = imported
        .troubles
        .iter()
        .map(|tr| {
            let said = words::trouble(t, tr);
            let place = match (said.row, said.column) {
                (Some(r), Some(c)) => format!("{} {r}, «{c}»", t.s("roster_import.row")),
                (Some(r), None) => format!("{} {r}", t.s("roster_import.row")),
                (None, _) => t.s("roster_import.file").to_owned(),
            };
            TroubleView {
                place,
                message: said.message,
            }
        })
        .collect();
    let count = |code: &str| page.rows.iter().filter(|r| r.fate_code == code).count();
    page.summary = format!(
        "{}: {}; {}: {}; {}: {}; {}: {}",
        t.s("roster_import.fate_new"),
        count("new"),
        t.s("roster_import.fate_updated"),
        count("updated"),
        t.s("roster_import.fate_unchanged"),
        count("unchanged"),
        t.s("roster_import.new_classes"),
        if imported.new_classes.is_empty() {
            "—".to_owned()
        } else {
            imported.new_classes.join(", ")
        },
    );
}

/// The template: the header row a roster is read by, as CSV for any spreadsheet.
pub async fn template_get() -> Result<Response, AppError> {
    Ok(crate::files::download(
        "roster-template.csv",
        "text/csv; charset=utf-8".into(),
        zhurnal_core::roster::template_csv(),
    ))
}

/// A person of the class as the access list shows them.
pub struct PersonView {
    pub person_id: i64,
    pub name: String,
    pub who: &'static str,
    pub student: bool,
    /// «вход есть», «код действует до 21 декабря», «заявление от 1 декабря — просрочено».
    pub state: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "roster_access.html")]
pub struct AccessPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub classes: Vec<ClassRow>,
    pub class_id: i64,
    pub people: Vec<PersonView>,
    pub today: String,
}

pub async fn access_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SchoolQuery>,
) -> Result<Response, AppError> {
    let school = ops::enrolling_school(&state, &ctx, id_of(q.school.as_deref())?).await?;
    let t = ctx.t();
    let (classes, class, rows) =
        ops::class_access(&state, &ctx, &school, id_of(q.class.as_deref())?).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let people = rows
        .iter()
        .map(|r| {
            let overdue = ops::overdue(r, today);
            let state = if r.has_login {
                t.s("access.has_login").to_owned()
            } else if let Some(until) = r.code_expires_at {
                format!(
                    "{} {}",
                    t.s("access.code_until"),
                    t.date(today_in(super::ops::ms_instant(until), &school.time_zone))
                )
            } else if let Some(on) = &r.applied_on {
                let mut s = format!("{} {}", t.s("access.applied_on"), t.date_text(on));
                if overdue {
                    s.push_str(" — ");
                    s.push_str(t.s("access.overdue"));
                }
                s
            } else {
                t.s("access.no_application").to_owned()
            };
            PersonView {
                person_id: r.person_id,
                name: full_name(&r.last_name, &r.first_name, &r.middle_name),
                who: words::who(&t, &r.kind),
                student: r.kind == "student",
                state,
                overdue,
            }
        })
        .collect();
    let page = AccessPage {
        c: Chrome::new(&ctx, t.s("access.title"), "/roster/access"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        class_id: class.as_ref().map_or(0, |c| c.id),
        classes,
        people,
        today: today.to_string(),
    };
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    applied_on: String,
}

#[derive(Template)]
#[template(path = "access_slip.html")]
pub struct SlipPage {
    pub c: Chrome,
    pub slip: IssuedCode,
    pub expires: String,
    pub register_url: String,
}

/// Issues the code and answers with its slip, ready to print: the code is shown this once.
pub async fn access_post(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Form(form): Form<IssueForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let t = ctx.t();
    let school = ops::enrolling_school(&state, &ctx, id_of(Some(&form.school))?).await?;
    let person = form
        .person
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    let applied_on = match form.applied_on.trim() {
        "" => None,
        raw => Some(raw.parse::<Date>().map_err(|_| {
            AppError::Validation(vec![(
                "applied_on".into(),
                t.s("access.bad_date").to_owned(),
            )])
        })?),
    };
    let slip = ops::issue_code(&state, &ctx, &school, person, applied_on).await?;
    let page = SlipPage {
        c: Chrome::new(&ctx, t.s("access.slip_title"), "/roster/access"),
        expires: t.date(slip.expires_on),
        register_url: format!(
            "{}/register",
            crate::pages::diary::origin_for(&state, &headers)
        ),
        slip,
    };
    html(StatusCode::OK, &page)
}
