//! Year and final marks of a journal (§4.1, DOMAIN.md §1.3, Приказ 546): the period marks
//! of the year side by side, the year mark Zhurnal proposes from them (their mean, a half in
//! the student's favour) and the one the teacher sets; in the 9th grade the exam mark and
//! the final mark as the mean of year and exam; in the 11th the final mark as the mean of
//! the half-year and year marks of grades 10 and 11. Set from the start of the year's last
//! period until it is closed; every change kept in the history.

use super::auth::check_csrf;
use super::timetable::pick_school;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::journal::parse_journal_key;
use crate::journal::{parse_period_mark, periods_of_grade};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use zhurnal_core::Action;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::grading::{
    MarkValue, NoFinal, Scale, exam_required_9, final_grade_9, final_grade_11, propose_year,
};
use zhurnal_store::{SchoolRow, YearMarkWrite};

/// One mark the teacher sets here: its field name, value, and why a typed one was refused.
pub struct Field {
    /// The column's message key, for the field's label.
    pub label: &'static str,
    pub name: String,
    pub value: String,
    pub proposed: String,
    /// Why nothing is proposed, where the rules say so (a grade-9 exam not there yet).
    pub why: String,
    pub error: Option<String>,
}

pub struct YearRow {
    pub number: usize,
    pub person_id: i64,
    pub name: String,
    pub periods: Vec<String>,
    pub year: Field,
    pub exam: Field,
    pub final_mark: Field,
}

impl YearRow {
    /// The fields the grade has: the year mark, then the exam (grade 9) and the final mark.
    pub fn shown(&self, with_exam: &bool, with_final: &bool) -> Vec<&Field> {
        let mut out = vec![&self.year];
        if *with_exam {
            out.push(&self.exam);
        }
        if *with_final {
            out.push(&self.final_mark);
        }
        out
    }
}

#[derive(Template)]
#[template(path = "year_marks.html")]
pub struct YearPage {
    pub c: Chrome,
    pub heading: String,
    pub school_id: i64,
    pub journal: String,
    pub period_names: Vec<String>,
    pub rows: Vec<YearRow>,
    pub editable: bool,
    /// Why the marks cannot be set now, when they cannot.
    pub locked: String,
    /// Grade 9: an exam column; grades 9 and 11: a final column.
    pub with_exam: bool,
    pub with_final: bool,
    pub saved: Option<usize>,
    pub errors: usize,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    school: Option<String>,
    journal: Option<String>,
    saved: Option<usize>,
}

/// Marks as stored were checked when set: read back, every mark of any school's scale counts
/// (a period «1» or a «4+» set before whole marks were required must not stop the year
/// proposal).
const STORED: Scale = Scale {
    with_one: true,
    with_signs: true,
};

fn points(raw: &str) -> Option<u8> {
    match MarkValue::parse(raw, STORED).ok()? {
        MarkValue::Points { value, .. } => Some(value),
        _ => None,
    }
}

/// The page, with `typed` values (field → (value, error)) kept after a refused save.
pub(crate) async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    group: i64,
    subject: i64,
    typed: &HashMap<String, (String, String)>,
) -> Result<YearPage, AppError> {
    let t = ctx.t();
    let label = super::journal::visible_label(state, ctx, school, group, subject).await?;
    let actor = ctx.actor()?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let year = study_year_of(today);
    let grade = state
        .store
        .group_classes(school.id)
        .await?
        .get(&group)
        .map_or(5, |g| g.1);
    let periods = periods_of_grade(state, school.id, year, grade).await?;
    let last = periods.last();
    let today_s = today.to_string();
    let locked = match last {
        None => t.s("year.no_periods"),
        Some(p) if today_s < p.start_date => t.s("year.not_yet"),
        Some(p) if p.closed_at.is_some() => t.s("year.closed"),
        Some(_) => "",
    };
    let editable = locked.is_empty()
        && actor.reach(Action::EditJournal).covers(school)
        && state
            .store
            .teaches(school.id, actor.person_id, group, subject)
            .await?;
    let students = state.store.group_members(school.id, group).await?;
    let mut by_period: HashMap<(i64, i64), String> = HashMap::new();
    for p in &periods {
        for m in state.store.period_marks(school.id, p.id, subject).await? {
            by_period.insert((p.id, m.person_id), m.value);
        }
    }
    let saved: HashMap<(i64, String), String> = state
        .store
        .year_marks(school.id, year, subject)
        .await?
        .into_iter()
        .map(|m| ((m.person_id, m.kind), m.value))
        .collect();
    // Every 9th-grader sits the exams in Russian and mathematics: their final marks wait.
    let exam_required = state
        .store
        .subject_assessment(school.id, group, subject)
        .await?
        .is_some_and(|(_, name, _)| exam_required_9(&name));
    let with_exam = grade == 9;
    let with_final = grade == 9 || grade == 11;
    let mut rows = Vec::new();
    for (i, s) in students.iter().enumerate() {
        let marks: Vec<String> = periods
            .iter()
            .map(|p| by_period.get(&(p.id, s.id)).cloned().unwrap_or_default())
            .collect();
        let values: Vec<MarkValue> = marks
            .iter()
            .filter_map(|m| MarkValue::parse(m, STORED).ok())
            .collect();
        // A year mark is proposed only once every period has its mark.
        let proposed_year = if values.len() == periods.len() {
            propose_year(&values).map(|m| m.code())
        } else {
            None
        };
        let field = |kind: &str, proposed: Option<String>| {
            let name = format!("{}-{}", &kind[..1], s.id);
            let (value, error) = match typed.get(&name) {
                Some((v, e)) => (v.clone(), (!e.is_empty()).then(|| e.clone())),
                None => (
                    saved
                        .get(&(s.id, kind.to_owned()))
                        .cloned()
                        .unwrap_or_default(),
                    None,
                ),
            };
            Field {
                label: match kind {
                    "year" => "year.year",
                    "exam" => "year.exam",
                    _ => "year.final",
                },
                name,
                value,
                proposed: proposed.unwrap_or_default(),
                why: String::new(),
                error,
            }
        };
        let year_field = field("year", proposed_year);
        let year_value = points(&year_field.value);
        let exam = field("exam", None);
        let mut final_why = "";
        let proposed_final = match grade {
            9 => year_value.and_then(|y| {
                match final_grade_9(y, points(&exam.value), exam_required) {
                    Ok(m) => Some(m.to_string()),
                    Err(NoFinal::ExamMissing) => {
                        final_why = t.s("year.exam_missing");
                        None
                    }
                    Err(NoFinal::ExamFailed) => {
                        final_why = t.s("year.exam_failed");
                        None
                    }
                }
            }),
            11 => {
                // Half-years and year of grade 10 (last year) and of grade 11.
                let earlier = state
                    .store
                    .earlier_marks(school.id, s.id, subject, year - 1)
                    .await?;
                let mut all: Vec<Option<u8>> = earlier.iter().map(|v| points(v)).collect();
                all.extend(marks.iter().map(|v| points(v)));
                all.push(year_value);
                (earlier.len() >= 3)
                    .then(|| final_grade_11(&all))
                    .flatten()
                    .map(|m| m.to_string())
            }
            _ => None,
        };
        let mut final_field = field("final", proposed_final);
        final_field.why = final_why.to_owned();
        rows.push(YearRow {
            number: i + 1,
            person_id: s.id,
            name: s.short_name(),
            periods: marks,
            year: year_field,
            exam,
            final_mark: final_field,
        });
    }
    Ok(YearPage {
        c: Chrome::new(ctx, t.s("year.title"), "/journal"),
        heading: format!("{}: {label}", t.s("year.title")),
        school_id: school.id,
        journal: format!("{group}-{subject}"),
        period_names: periods.iter().map(|p| p.name.clone()).collect(),
        rows,
        editable,
        locked: locked.to_owned(),
        with_exam,
        with_final,
        saved: None,
        errors: typed.values().filter(|(_, e)| !e.is_empty()).count(),
    })
}

pub async fn year_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let (group, subject) = q
        .journal
        .as_deref()
        .and_then(parse_journal_key)
        .ok_or(AppError::NotFound)?;
    let mut page = build(&state, &ctx, &school, group, subject, &HashMap::new()).await?;
    page.saved = q.saved;
    html(StatusCode::OK, &page)
}

/// Saves the marks that changed (`y-`, `e-`, `f-` with the shown value in `o…`), or with
/// `op=accept` every proposal where the field is still empty. Each mark is checked on its
/// own; refused ones stay typed with the reason, the others are saved.
pub async fn year_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let reach = ctx.actor()?.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let (group, subject) = parse_journal_key(form.one("journal")).ok_or(AppError::NotFound)?;
    let page = build(&state, &ctx, &school, group, subject, &HashMap::new()).await?;
    if !page.editable {
        return Err(crate::routes::deny_object(
            &state,
            &ctx,
            "journal",
            &format!("{group}:{subject}"),
        )
        .await);
    }
    let accept = form.one("op") == "accept";
    let mut changes: Vec<(String, String, String)> = Vec::new();
    for r in &page.rows {
        for (kind, f) in [
            ("year", &r.year),
            ("exam", &r.exam),
            ("final", &r.final_mark),
        ] {
            let typed = form.one(&f.name).trim().to_owned();
            let shown = form.one(&format!("o{}", f.name)).trim().to_owned();
            if accept && f.value.is_empty() && !f.proposed.is_empty() && kind != "exam" {
                changes.push((kind.to_owned(), f.name.clone(), f.proposed.clone()));
            } else if !accept && typed != shown {
                changes.push((kind.to_owned(), f.name.clone(), typed));
            }
        }
    }
    let mut changed = Vec::new();
    for (kind, name, value) in changes {
        let person: i64 = name[2..].parse().map_err(|_| AppError::NotFound)?;
        changed.push((kind, person, value));
    }
    let (saved, refused) =
        save_year_marks(&state, &ctx, &school, (group, subject), &page, changed).await?;
    let typed: HashMap<String, (String, String)> = refused
        .into_iter()
        .map(|(kind, person, value, error)| (format!("{}-{person}", &kind[..1]), (value, error)))
        .collect();
    if !typed.is_empty() {
        let mut page = build(&state, &ctx, &school, group, subject, &typed).await?;
        page.saved = Some(saved);
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    Ok(crate::error::redirect(&format!(
        "/journal/year?school={}&journal={group}-{subject}&saved={saved}",
        school.id
    ))
    .into_response())
}

/// Writes year, exam and final marks of a journal the page showed editable: each typed value
/// on the school's scale (empty removes), with what Zhurnal proposed kept beside it, audited.
/// Values the scale refuses come back as (kind, student, value, why); the rest is saved.
pub(crate) async fn save_year_marks(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (group, subject): (i64, i64),
    page: &YearPage,
    changes: Vec<(String, i64, String)>,
) -> Result<(usize, Vec<(String, i64, String, String)>), AppError> {
    let t = ctx.t();
    let settings = state.store.grading_settings(school.id).await?;
    let grading = crate::journal::grading_of(state, school.id, group, subject).await?;
    let year = study_year_of(today_in(state.clock.now(), &school.time_zone));
    let mut refused = Vec::new();
    let mut saved = 0;
    for (kind, person, value) in changes {
        if !value.is_empty()
            && let Err(key) = parse_period_mark(&settings, grading, &value)
        {
            refused.push((kind, person, value, t.s(key).to_owned()));
            continue;
        }
        let normalised = if value.is_empty() {
            None
        } else {
            parse_period_mark(&settings, grading, &value)
                .ok()
                .map(|m| m.code())
        };
        let proposed = page
            .rows
            .iter()
            .find(|r| r.person_id == person)
            .map(|r| match kind.as_str() {
                "year" => r.year.proposed.clone(),
                "exam" => r.exam.proposed.clone(),
                _ => r.final_mark.proposed.clone(),
            })
            .filter(|p| !p.is_empty());
        let audit = zhurnal_store::AuditEntry {
            school_id: Some(school.id),
            action: "journal.year_mark".into(),
            details: serde_json::json!({ "subject_id": subject, "person_id": person, "kind": kind, "value": normalised })
                .to_string(),
            ..ctx.audit_base(state.clock.now_ms())
        };
        let write = YearMarkWrite {
            study_year: year,
            subject_id: subject,
            person_id: person,
            kind: &kind,
            value: normalised.as_deref(),
            proposed: proposed.as_deref(),
            reason: "",
        };
        state
            .store
            .write_year_mark(school.id, &write, &audit)
            .await?;
        saved += 1;
    }
    Ok((saved, refused))
}
