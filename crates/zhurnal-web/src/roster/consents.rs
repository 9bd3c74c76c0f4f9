//! Consents to the processing of children's personal data (§2.8) beside the statements on
//! receiving information electronically (§3.6): the operations, and the page «Согласия и
//! заявления» (`/roster/consents`) — the deputy's school-wide control list of families
//! whose papers are missing, and per class the form that records a consent or its
//! withdrawal. The API adapter is in `api.rs`.

use super::id_of;
use super::ops::school_for;
use crate::ctx::Ctx;
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
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::{Action, Role};
use zhurnal_store::{NewConsent, PapersRow, SchoolRow, full_name};

/// The version of the consent text a school uses unless it says otherwise.
pub const TEXT_VERSION: &str = "2026-09";

/// The school and the classes whose papers the actor keeps: the whole school for the
/// deputy, their own classes for a class teacher (`None` = every class).
pub async fn scope(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<i64>,
) -> Result<(SchoolRow, Option<Vec<i64>>), AppError> {
    let actor = ctx.actor()?;
    if !actor.whole_schools(Action::RecordConsents).is_empty() {
        return Ok((
            school_for(state, ctx, Action::RecordConsents, asked).await?,
            None,
        ));
    }
    let own: Vec<(i64, i64)> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::ClassTeacher)
        .filter_map(|g| g.school_id.zip(g.edu_group_id))
        .collect();
    let school_id = match asked {
        Some(id) if own.iter().any(|(s, _)| *s == id) => id,
        Some(id) => {
            return Err(crate::routes::deny_object(state, ctx, "school", &id.to_string()).await);
        }
        None => own.first().map(|(s, _)| *s).ok_or(AppError::NotFound)?,
    };
    let school = state
        .store
        .school_plain(school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let classes = own
        .iter()
        .filter(|(s, _)| *s == school_id)
        .map(|(_, c)| *c)
        .collect();
    Ok((school, Some(classes)))
}

/// The students whose papers the actor keeps, with those papers.
pub async fn papers(
    state: &AppState,
    school: &SchoolRow,
    classes: Option<&[i64]>,
) -> Result<Vec<PapersRow>, AppError> {
    let today = today_in(state.clock.now(), &school.time_zone);
    let rows = state
        .store
        .school_papers(school.id, study_year_of(today))
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| classes.is_none_or(|c| c.contains(&r.class_id)))
        .collect())
}

/// Records a consent to processing signed by `signer` (the student or a parent of theirs)
/// for a student whose papers the actor keeps; another school's or class's student answers
/// as missing.
pub async fn record(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    classes: Option<&[i64]>,
    consent: (i64, i64, Date, &str),
) -> Result<i64, AppError> {
    let (student, signer, signed_on, document) = consent;
    let mine = papers(state, school, classes).await?;
    if !mine.iter().any(|r| r.student_id == student) {
        return Err(crate::routes::deny_object(state, ctx, "person", &student.to_string()).await);
    }
    let mut audit = ctx.audit_base(state.clock.now_ms());
    audit.action = "roster.pd_consent".into();
    audit.school_id = Some(school.id);
    let c = NewConsent {
        school_id: school.id,
        student_id: student,
        signer_id: signer,
        signed_on: &signed_on.to_string(),
        document: document.trim(),
        text_version: TEXT_VERSION,
    };
    let done = state.store.record_consent(&c, &audit).await;
    crate::routes::or_deny(state, ctx, "person", &signer.to_string(), done).await
}

/// One student's line of the list.
pub struct PapersView {
    pub student_id: i64,
    pub class: String,
    pub name: String,
    pub consent: String,
    pub statement: String,
    pub attention: bool,
    /// The student and their parents, who may sign: (person, name).
    pub signers: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "roster_consents.html")]
pub struct ConsentsPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub no_consent: usize,
    pub refused: usize,
    pub no_statement: usize,
    pub all: bool,
    pub rows: Vec<PapersView>,
    pub today: String,
    pub done: Option<String>,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ConsentsQuery {
    school: Option<String>,
    all: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<i64>,
    all: bool,
) -> Result<ConsentsPage, AppError> {
    let t = ctx.t();
    let (school, classes) = scope(state, ctx, asked).await?;
    let rows = papers(state, &school, classes.as_deref()).await?;
    let mut parents = std::collections::HashMap::<i64, Vec<(i64, String)>>::new();
    let class_ids: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.class_id).collect();
    for class in class_ids {
        for p in state.store.class_parents(school.id, class).await? {
            parents.entry(p.child_id).or_default().push((
                p.parent_id,
                full_name(&p.last_name, &p.first_name, &p.middle_name),
            ));
        }
    }
    let view = |r: &PapersRow| {
        let name = full_name(&r.last_name, &r.first_name, &r.middle_name);
        let consent = match (&r.consent_on, &r.withdrawn_on) {
            (Some(on), _) => format!("{} {}", t.s("consents.given"), t.date_text(on)),
            (None, Some(w)) => format!("{} {}", t.s("consents.withdrawn"), t.date_text(w)),
            (None, None) => t.s("consents.none").to_owned(),
        };
        let statement = match r.statement.as_deref() {
            Some("consent") => t.s("consents.statement_consent"),
            Some(_) => t.s("consents.statement_refusal"),
            None => t.s("consents.statement_none"),
        }
        .to_owned();
        let mut signers = parents.get(&r.student_id).cloned().unwrap_or_default();
        signers.push((r.student_id, format!("{name} ({})", t.s("access.student"))));
        PapersView {
            student_id: r.student_id,
            class: r.class_name.clone(),
            name,
            consent,
            statement,
            attention: r.missing_something(),
            signers,
        }
    };
    Ok(ConsentsPage {
        c: Chrome::new(ctx, t.s("consents.title"), "/roster/consents"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        no_consent: rows.iter().filter(|r| r.consent_on.is_none()).count(),
        refused: rows
            .iter()
            .filter(|r| r.statement.as_deref() == Some("refusal"))
            .count(),
        no_statement: rows.iter().filter(|r| r.statement.is_none()).count(),
        all,
        rows: rows
            .iter()
            .filter(|r| all || r.missing_something())
            .map(view)
            .collect(),
        today: today_in(state.clock.now(), &school.time_zone).to_string(),
        done: None,
        error: None,
    })
}

pub async fn consents_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ConsentsQuery>,
) -> Result<Response, AppError> {
    let all = q.all.is_some_and(|a| a == "1");
    let page = page(&state, &ctx, id_of(q.school.as_deref())?, all).await?;
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    student: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    document: String,
}

pub async fn consents_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ConsentForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let t = ctx.t();
    let asked = id_of(Some(&form.school))?;
    let student = form
        .student
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    let signer = form
        .signer
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::NotFound)?;
    let signed_on = form.signed_on.trim().parse::<Date>();
    let document: String = form.document.chars().take(100).collect();
    let Ok(signed_on) = signed_on else {
        let mut p = page(&state, &ctx, asked, false).await?;
        p.error = Some(t.s("transfer.bad_date").to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    };
    let (school, classes) = scope(&state, &ctx, asked).await?;
    record(
        &state,
        &ctx,
        &school,
        classes.as_deref(),
        (student, signer, signed_on, &document),
    )
    .await?;
    let mut p = page(&state, &ctx, asked, false).await?;
    p.done = Some(t.s("consents.recorded").to_owned());
    html(StatusCode::OK, &p)
}
