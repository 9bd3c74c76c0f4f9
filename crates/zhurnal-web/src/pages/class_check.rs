//! The class teacher's view of their class's journal (§3.3): every subject, read-only, with
//! how each teacher keeps it — lessons without a topic or homework, marks entered after the
//! edit window — and the twice-monthly check recorded with a comment.

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use serde::Deserialize;
use zhurnal_core::calendar::default_scheme;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::{Action, Scope, permission};
use zhurnal_store::{ClassRow, SchoolRow};

/// The regulation asks for a check twice a month: more than this many days is late.
const CHECK_EVERY_DAYS: i64 = 16;

pub struct AbsenceLine {
    pub field: String,
    pub when: String,
    pub student: String,
    pub status: &'static str,
    pub reasons: Vec<Choice>,
}

/// The reasons the class teacher may give for an absence (DOMAIN.md §2).
const REASONS: [&str; 4] = ["unknown", "illness", "excused", "unexcused"];

pub struct FillLine {
    pub journal: String,
    pub href: String,
    pub teacher: String,
    pub lessons: i64,
    pub without_topic: i64,
    pub without_homework: i64,
    pub marks: i64,
    pub late: i64,
}

#[derive(Template)]
#[template(path = "class_check.html")]
pub struct ClassCheckPage {
    pub c: Chrome,
    pub school_id: i64,
    pub classes: Vec<Choice>,
    pub class_id: i64,
    pub heading: String,
    pub range: String,
    pub lines: Vec<FillLine>,
    pub checks: Vec<(String, String, String)>,
    pub overdue: Option<String>,
    pub can_check: bool,
    pub absences: Vec<AbsenceLine>,
    pub done: bool,
    pub error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ClassQuery {
    school: Option<String>,
    class: Option<String>,
    done: Option<String>,
}

/// The classes the actor may do `action` for: their own as class teacher, all of the
/// school for the administration (and the municipality's for inspectors).
pub(crate) fn overseen(
    actor: &crate::ctx::Actor,
    action: Action,
    school: &SchoolRow,
    classes: &[ClassRow],
) -> Vec<ClassRow> {
    classes
        .iter()
        .filter(|c| {
            actor.grants.iter().any(|g| {
                let here = g.school_id == Some(school.id);
                match permission::scope_of(g.role, action) {
                    Some(Scope::School) => here,
                    Some(Scope::Municipality) => g.municipality_id == Some(school.municipality_id),
                    Some(Scope::OwnClass) => here && g.edu_group_id == Some(c.id),
                    _ => false,
                }
            })
        })
        .cloned()
        .collect()
}

/// A class picker's options, `chosen` selected.
pub(crate) fn class_choices(classes: &[ClassRow], chosen: i64) -> Vec<Choice> {
    classes
        .iter()
        .map(|c| Choice {
            value: c.id.to_string(),
            label: c.name.clone(),
            selected: c.id == chosen,
        })
        .collect()
}

/// The school asked for among those the actor reaches for `action`, and the class in it
/// ([`chosen_class`]): what every page about one class starts with.
pub(crate) async fn school_and_class(
    state: &AppState,
    ctx: &Ctx,
    action: Action,
    school: Option<&str>,
    class: Option<&str>,
) -> Result<(SchoolRow, ClassRow, Vec<ClassRow>), AppError> {
    let reach = ctx.actor()?.reach(action);
    let (school, _) = pick_school(state, ctx, &reach, school).await?;
    let (class, classes) = chosen_class(state, ctx, &school, action, class).await?;
    Ok((school, class, classes))
}

/// The class asked for among those of this school year the actor may do `action` for —
/// else their own class, else the first — with all of them. Another class answers 404,
/// audited, like one that does not exist.
pub(crate) async fn chosen_class(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    action: Action,
    asked: Option<&str>,
) -> Result<(ClassRow, Vec<ClassRow>), AppError> {
    let actor = ctx.actor()?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let all = state
        .store
        .school_classes(school.id, study_year_of(today))
        .await?;
    let classes = overseen(actor, action, school, &all);
    let class = match asked.filter(|s| !s.is_empty()) {
        Some(raw) => match raw
            .parse::<i64>()
            .ok()
            .and_then(|id| classes.iter().find(|c| c.id == id))
        {
            Some(c) => c.clone(),
            None => return Err(crate::routes::deny_object(state, ctx, "class", raw).await),
        },
        None => classes
            .iter()
            .find(|c| c.class_teacher_id == Some(actor.person_id))
            .or(classes.first())
            .cloned()
            .ok_or(AppError::NotFound)?,
    };
    Ok((class, classes))
}

pub(crate) async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    asked: Option<&str>,
) -> Result<ClassCheckPage, AppError> {
    let t = ctx.t();
    let actor = ctx.actor()?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let year = study_year_of(today);
    let (class, classes) = chosen_class(state, ctx, school, Action::ViewJournal, asked).await?;
    // From the start of the class's current period to today.
    let scheme = state
        .store
        .period_schemes(school.id, year)
        .await?
        .into_iter()
        .find(|(p, _)| *p == class.parallel)
        .map_or(default_scheme(class.parallel as i16).to_owned(), |(_, s)| s);
    let today_s = today.to_string();
    let from = state
        .store
        .periods(school.id, year)
        .await?
        .into_iter()
        .filter(|p| p.scheme == scheme && p.start_date <= today_s)
        .map(|p| p.start_date)
        .max()
        .unwrap_or_else(|| today_s.clone());
    let fill = state
        .store
        .class_fill(school.id, class.id, &from, &today_s)
        .await?;
    let window = state
        .store
        .grading_settings(school.id)
        .await?
        .edit_window_days;
    let late = state
        .store
        .late_marks(school.id, class.id, &from, &today_s)
        .await?;
    let tz = jiff::tz::TimeZone::get(&school.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let late_by = |group: i64, subject: i64| {
        late.iter()
            .filter(|(g, s, _, _)| *g == group && *s == subject)
            .filter(|(_, _, date, at)| {
                // Entered after the end of the window's last day, in the school's zone.
                date.parse::<jiff::civil::Date>()
                    .ok()
                    .and_then(|d| d.checked_add((i64::from(window) + 1).days()).ok())
                    .and_then(|d| d.to_zoned(tz.clone()).ok())
                    .is_some_and(|limit| *at >= limit.timestamp().as_millisecond())
            })
            .count() as i64
    };
    let teachers = state.store.school_teachers(school.id).await?;
    let name_of = |id: Option<i64>| {
        id.and_then(|id| teachers.iter().find(|p| p.id == id))
            .map_or("—".to_owned(), |p| p.short_name())
    };
    let checks = state.store.journal_checks(school.id, class.id).await?;
    let overdue = match checks.first() {
        None => Some(t.s("class_check.never").to_owned()),
        Some(last) => {
            let days = (state.clock.now_ms() - last.at) / 86_400_000;
            (days > CHECK_EVERY_DAYS).then(|| format!("{} {days}", t.s("class_check.days_ago")))
        }
    };
    let is_class_teacher = actor.grants.iter().any(|g| {
        g.school_id == Some(school.id)
            && g.edu_group_id == Some(class.id)
            && permission::scope_of(g.role, Action::CheckClassJournal).is_some()
    });
    Ok(ClassCheckPage {
        c: Chrome::new(ctx, t.s("class_check.title"), "/journal/class"),
        school_id: school.id,
        classes: class_choices(&classes, class.id),
        class_id: class.id,
        heading: format!("{} {}", t.s("class_check.title"), class.name),
        range: format!("{from} — {today_s}"),
        lines: fill
            .iter()
            .map(|f| FillLine {
                journal: format!("{} · {}", f.group_name, f.subject_name),
                href: format!(
                    "/journal?school={}&journal={}-{}",
                    school.id, f.group_id, f.subject_id
                ),
                teacher: name_of(f.teacher_id),
                lessons: f.lessons,
                without_topic: f.without_topic,
                without_homework: f.without_homework,
                marks: f.marks,
                late: late_by(f.group_id, f.subject_id),
            })
            .collect(),
        checks: checks
            .iter()
            .map(|c| {
                (
                    t.datetime(c.at, &school.time_zone),
                    name_of(c.checked_by),
                    c.comment.clone(),
                )
            })
            .collect(),
        overdue,
        can_check: is_class_teacher,
        absences: state
            .store
            .class_absences(school.id, class.id, &from, &today_s)
            .await?
            .iter()
            .map(|a| AbsenceLine {
                field: format!("r-{}-{}", a.lesson_id, a.person_id),
                when: format!(
                    "{}, {}, {}",
                    a.date
                        .parse::<jiff::civil::Date>()
                        .map_or(a.date.clone(), |d| t.weekday_date(d)),
                    t.lesson_number(a.number),
                    a.subject_name
                ),
                student: format!("{} {}", a.last_name, a.first_name),
                status: t.s(if a.status == "late" {
                    "class_check.late_status"
                } else {
                    "class_check.absent_status"
                }),
                reasons: REASONS
                    .iter()
                    .map(|r| Choice {
                        value: (*r).to_owned(),
                        label: t.s(&format!("reason.{r}")).to_owned(),
                        selected: *r == a.reason,
                    })
                    .collect(),
            })
            .collect(),
        done: false,
        error: None,
    })
}

pub async fn class_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ClassQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let mut p = build(&state, &ctx, &school, q.class.as_deref()).await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

/// Records the class teacher's check of their class's journal.
pub async fn class_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let reach = ctx.actor()?.reach(Action::CheckClassJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let p = build(&state, &ctx, &school, Some(form.one("class"))).await?;
    if !p.can_check {
        return Err(crate::routes::deny_object(&state, &ctx, "class", form.one("class")).await);
    }
    if form.one("op") == "reasons" {
        return reasons_post(&state, &ctx, &school, &p, &form).await;
    }
    if let Err(problem) =
        record_check(&state, &ctx, &school, p.class_id, form.one("comment")).await?
    {
        let mut p = p;
        p.error = Some(problem);
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    Ok(crate::error::redirect(&format!(
        "/journal/class?school={}&class={}&done=1",
        school.id, p.class_id
    ))
    .into_response())
}

/// Records the class teacher's check (the caller made sure it is theirs), with a comment of
/// at most 1000 characters (the message key of the problem otherwise), audited.
pub(crate) async fn record_check(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class_id: i64,
    comment: &str,
) -> Result<Result<(), &'static str>, AppError> {
    let comment = comment.trim();
    if comment.chars().count() > 1000 {
        return Ok(Err("class_check.comment_long"));
    }
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "journal.class_check".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .add_journal_check(school.id, class_id, comment, &audit)
        .await?;
    Ok(Ok(()))
}

/// The class teacher gives the reasons of absences (a parent's note, a doctor's
/// certificate): each changed `r-{lesson}-{student}` select is written with its history.
async fn reasons_post(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    page: &ClassCheckPage,
    form: &FormPairs,
) -> Result<Response, AppError> {
    for line in &page.absences {
        let chosen = form.one(&line.field);
        let current = line
            .reasons
            .iter()
            .find(|r| r.selected)
            .map_or("", |r| r.value.as_str());
        if chosen.is_empty() || chosen == current {
            continue;
        }
        let (lesson, person) = line
            .field
            .trim_start_matches("r-")
            .split_once('-')
            .and_then(|(l, p)| Some((l.parse::<i64>().ok()?, p.parse::<i64>().ok()?)))
            .ok_or(AppError::NotFound)?;
        if let Err(key) = set_reason(state, ctx, school, page, lesson, person, chosen).await? {
            let mut p = build(state, ctx, school, Some(&page.class_id.to_string())).await?;
            p.error = Some(key);
            return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    }
    Ok(crate::error::redirect(&format!(
        "/journal/class?school={}&class={}&done=1",
        school.id, page.class_id
    ))
    .into_response())
}

/// Gives the reason of an absence or late arrival the class's journal holds since the
/// period began (the class teacher, from a parent's note or a doctor's certificate): one of
/// the known reasons, written with its history and audit. An absence not on the class's list
/// answers 404 (audited); a closed period is the message key of the refusal.
pub(crate) async fn set_reason(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    page: &ClassCheckPage,
    lesson: i64,
    person: i64,
    reason: &str,
) -> Result<Result<(), &'static str>, AppError> {
    if !REASONS.contains(&reason) {
        return Err(AppError::BadRequest(format!(
            "reason: one of {}, not «{reason}»",
            REASONS.join(", ")
        )));
    }
    let field = format!("r-{lesson}-{person}");
    let Some(line) = page.absences.iter().find(|a| a.field == field) else {
        return Err(crate::routes::deny_object(state, ctx, "absence", &field).await);
    };
    let Some(facts) = state.store.lesson_facts(school.id, lesson).await? else {
        return Err(AppError::NotFound);
    };
    if crate::journal::period_closed(state, school, facts.group_id, &facts.date).await? {
        return Ok(Err("journal.period_closed"));
    }
    let status = if line.status == ctx.t().s("class_check.late_status") {
        "late"
    } else {
        "absent"
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "journal.absence_reason".into(),
        details: serde_json::json!({ "lesson_id": lesson, "person_id": person, "reason": reason })
            .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .write_absence(
            school.id,
            lesson,
            person,
            Some((status, reason)),
            "",
            &audit,
        )
        .await?;
    Ok(Ok(()))
}
