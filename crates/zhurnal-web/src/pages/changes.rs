//! One-off timetable changes by the deputy director (§2.6): a substitute teacher, a cancelled
//! or moved lesson, an extra lesson. After each change the lessons of the affected dates are
//! derived again, so the journal and the substitute's own timetable show it at once.

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::calendar::DayKind;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::timetable::Change;
use zhurnal_store::{AuditEntry, ClassRow, LessonRow, NewChange, PersonRow, SchoolRow};

pub struct LessonChoice {
    pub entry_id: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "changes.html")]
pub struct ChangesPage {
    pub c: Chrome,
    pub school_id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub date: String,
    pub date_human: String,
    pub classes: Vec<Choice>,
    pub lessons: Vec<LessonChoice>,
    pub teachers: Vec<Choice>,
    pub subjects: Vec<Choice>,
    pub kind: String,
    pub to_date: String,
    pub number: String,
    pub reason: String,
    pub done: bool,
    pub summary: Option<&'static str>,
    pub date_error: Option<&'static str>,
    pub lesson_error: Option<&'static str>,
    pub teacher_error: Option<&'static str>,
    pub move_error: Option<&'static str>,
    pub subject_error: Option<&'static str>,
    pub timetable_href: String,
}

#[derive(Deserialize, Default)]
pub struct ChangesQuery {
    school: Option<String>,
    class: Option<String>,
    date: Option<String>,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub date: String,
    /// `substitute`, `cancel`, `move` or `extra`.
    #[serde(default)]
    pub kind: String,
    /// The template entry of the lesson (for substitute, cancel, move).
    #[serde(default)]
    pub lesson: String,
    #[serde(default)]
    pub teacher: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub to_date: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub reason: String,
}

pub struct Setting {
    pub school: SchoolRow,
    pub class: ClassRow,
    pub classes: Vec<ClassRow>,
    pub date: Date,
}

pub async fn setting(
    state: &AppState,
    ctx: &Ctx,
    school: Option<&str>,
    class: Option<&str>,
    date: Option<&str>,
) -> Result<Setting, AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(state, ctx, &reach, school).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let date = match date.filter(|s| !s.is_empty()) {
        Some(raw) => raw
            .parse::<Date>()
            .map_err(|_| AppError::BadRequest(format!("bad date {raw}")))?,
        None => today,
    };
    let classes = state
        .store
        .school_classes(school.id, study_year_of(date))
        .await?;
    let class = match class.filter(|s| !s.is_empty()) {
        Some(raw) => {
            let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
            match classes.iter().find(|c| c.id == id) {
                Some(c) => c.clone(),
                None => return Err(crate::routes::deny_object(state, ctx, "class", raw).await),
            }
        }
        None => classes.first().cloned().ok_or(AppError::NotFound)?,
    };
    Ok(Setting {
        school,
        class,
        classes,
        date,
    })
}

fn lesson_label(l: &LessonRow) -> String {
    format!(
        "{}. {} — {} ({})",
        l.number,
        l.subject_name,
        l.teacher_short_name(),
        l.group_name
    )
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    s: &Setting,
    form: &ChangeForm,
) -> Result<ChangesPage, AppError> {
    let t = ctx.t();
    let lessons = state
        .store
        .class_lessons(s.school.id, s.class.id, s.date, s.date)
        .await?;
    let teachers: Vec<PersonRow> = state.store.school_teachers(s.school.id).await?;
    let subjects = state.store.school_subjects(s.school.id).await?;
    Ok(ChangesPage {
        c: Chrome::new(ctx, t.s("changes.title"), "/timetable/changes"),
        school_id: s.school.id,
        class_id: s.class.id,
        class_name: s.class.name.clone(),
        date: s.date.to_string(),
        date_human: t.weekday_date(s.date),
        classes: s
            .classes
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: c.id == s.class.id,
            })
            .collect(),
        lessons: lessons
            .iter()
            // Only lessons standing where the timetable puts them can be changed: a moved
            // or extra lesson is changed by changing its move or extra entry.
            .filter(|l| l.status != "cancelled")
            .filter_map(|l| l.entry_in_place().map(|id| (l, id.to_string())))
            .map(|(l, id)| LessonChoice {
                selected: id == form.lesson,
                entry_id: id,
                label: lesson_label(l),
            })
            .collect(),
        teachers: teachers
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: p.short_name(),
                selected: p.id.to_string() == form.teacher,
            })
            .collect(),
        subjects: subjects
            .iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name.clone(),
                selected: id.to_string() == form.subject,
            })
            .collect(),
        kind: if form.kind.is_empty() {
            "substitute".into()
        } else {
            form.kind.clone()
        },
        to_date: form.to_date.clone(),
        number: form.number.clone(),
        reason: form.reason.clone(),
        done: false,
        summary: None,
        date_error: None,
        lesson_error: None,
        teacher_error: None,
        move_error: None,
        subject_error: None,
        timetable_href: format!(
            "/timetable?school={}&class={}&date={}",
            s.school.id, s.class.id, s.date
        ),
    })
}

pub async fn changes_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ChangesQuery>,
) -> Result<Response, AppError> {
    let s = setting(
        &state,
        &ctx,
        q.school.as_deref(),
        q.class.as_deref(),
        q.date.as_deref(),
    )
    .await?;
    let mut p = page(&state, &ctx, &s, &ChangeForm::default()).await?;
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

/// Marks the lessons of the academic year of `date` as possibly out of date: called before
/// an edit of the timetable or calendar commits, so that a failure between the edit and
/// [`rederive`] is repaired at the next start (`Store::repair_lessons`).
pub async fn mark_stale(state: &AppState, school_id: i64, date: Date) -> Result<(), AppError> {
    state
        .store
        .mark_lessons_stale(school_id, study_year_of(date), state.clock.now_ms())
        .await?;
    Ok(())
}

/// Re-derives the lessons of a school for `from..=to` from the calendar, the templates and
/// the changes, stores the result and clears the year's stale mark.
pub async fn rederive(
    state: &AppState,
    school_id: i64,
    from: Date,
    to: Date,
) -> Result<(), AppError> {
    state
        .store
        .derive_lessons(school_id, from, to, state.clock.now_ms())
        .await?;
    state
        .store
        .clear_lessons_stale(school_id, study_year_of(from))
        .await?;
    Ok(())
}

/// What is wrong with a requested change: a message key per field.
#[derive(Debug, Default)]
pub struct ChangeErrors {
    pub date: Option<&'static str>,
    pub lesson: Option<&'static str>,
    pub teacher: Option<&'static str>,
    pub moved: Option<&'static str>,
    pub subject: Option<&'static str>,
    pub reason: Option<&'static str>,
}

impl ChangeErrors {
    fn any(&self) -> bool {
        self.date.is_some()
            || self.lesson.is_some()
            || self.teacher.is_some()
            || self.moved.is_some()
            || self.subject.is_some()
            || self.reason.is_some()
    }

    /// `(field, message key)` pairs, for the API.
    pub fn fields(&self) -> Vec<(&'static str, &'static str)> {
        [
            ("date", self.date),
            ("lesson", self.lesson),
            ("teacher", self.teacher),
            ("to_date", self.moved),
            ("subject", self.subject),
            ("reason", self.reason),
        ]
        .into_iter()
        .filter_map(|(f, e)| e.map(|e| (f, e)))
        .collect()
    }
}

/// Checks a requested change against the calendar, the day's lessons and the teachers'
/// other lessons. The outer error is for requests that cannot be answered at all.
pub async fn validate(
    state: &AppState,
    s: &Setting,
    form: &ChangeForm,
) -> Result<Result<Change, ChangeErrors>, AppError> {
    let mut e = ChangeErrors::default();
    let calendar = state
        .store
        .calendar(s.school.id, study_year_of(s.date))
        .await?;
    let grade = s.class.parallel as i16;
    let is_study_day = |d: Date| {
        calendar
            .as_ref()
            .is_some_and(|c| matches!(c.day(d, grade), DayKind::Study { .. }))
    };
    if !is_study_day(s.date) {
        e.date = Some("changes.not_study_day");
    }
    if form.reason.chars().count() > 500 {
        e.reason = Some("changes.reason_too_long");
    }
    let day_lessons = state
        .store
        .class_lessons(s.school.id, s.class.id, s.date, s.date)
        .await?;
    let teachers = state.store.school_teachers(s.school.id).await?;
    let subjects = state.store.school_subjects(s.school.id).await?;
    let teacher = form
        .teacher
        .parse::<i64>()
        .ok()
        .filter(|id| teachers.iter().any(|p| p.id == *id));
    let number = form
        .number
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|n| (1..=12).contains(n));
    let live = |l: &&LessonRow| l.status != "cancelled";
    let lesson = day_lessons.iter().filter(live).find(|l| {
        l.entry_in_place()
            .is_some_and(|id| id.to_string() == form.lesson)
    });
    let entry_id: Option<i64> = lesson.and_then(LessonRow::entry_in_place);
    // Whether a teacher already gives a lesson at that date and number.
    let teacher_busy = async |teacher: i64, d: Date, n: i32| -> Result<bool, AppError> {
        let theirs = state
            .store
            .teacher_lessons(s.school.id, teacher, d, d)
            .await?;
        Ok(theirs
            .iter()
            .filter(live)
            .any(|b| b.number == n && b.teacher_id == Some(teacher)))
    };
    let taken = |lessons: &[LessonRow], n: i16| {
        lessons
            .iter()
            .filter(live)
            .any(|l| l.number == i32::from(n))
    };
    let change = match form.kind.as_str() {
        "substitute" | "cancel" | "move" if entry_id.is_none() => {
            e.lesson = Some("changes.pick_lesson");
            None
        }
        "substitute" => match (teacher, lesson) {
            (Some(t), Some(l)) if Some(t) == l.teacher_id => {
                e.teacher = Some("changes.same_teacher");
                None
            }
            (Some(t), Some(l)) => {
                if teacher_busy(t, s.date, l.number).await? {
                    e.teacher = Some("changes.teacher_busy");
                    None
                } else {
                    entry_id.map(|entry_id| Change::Substitute {
                        date: s.date,
                        entry_id,
                        teacher_id: t,
                    })
                }
            }
            _ => {
                e.teacher = Some("changes.pick_teacher");
                None
            }
        },
        "cancel" => entry_id.map(|entry_id| Change::Cancel {
            date: s.date,
            entry_id,
        }),
        "move" => match (form.to_date.trim().parse::<Date>().ok(), number) {
            (Some(d), Some(n)) if is_study_day(d) => {
                let there = state
                    .store
                    .class_lessons(s.school.id, s.class.id, d, d)
                    .await?;
                let mover = lesson.and_then(|l| l.teacher_id);
                if taken(&there, n) {
                    e.moved = Some("changes.slot_taken");
                    None
                } else if let Some(t) = mover
                    && teacher_busy(t, d, i32::from(n)).await?
                {
                    e.moved = Some("changes.teacher_busy_then");
                    None
                } else {
                    entry_id.map(|entry_id| Change::Move {
                        date: s.date,
                        entry_id,
                        to_date: d,
                        to_number: n,
                        room: None,
                    })
                }
            }
            (Some(_), Some(_)) => {
                e.moved = Some("changes.not_study_day");
                None
            }
            _ => {
                e.moved = Some("changes.bad_move");
                None
            }
        },
        "extra" => {
            let subject = form
                .subject
                .parse::<i64>()
                .ok()
                .filter(|id| subjects.iter().any(|(s, _)| s == id));
            if subject.is_none() {
                e.subject = Some("changes.pick_subject");
            }
            if teacher.is_none() {
                e.teacher = Some("changes.pick_teacher");
            }
            match number {
                Some(n) if taken(&day_lessons, n) => e.moved = Some("changes.slot_taken"),
                None => e.moved = Some("changes.bad_number"),
                Some(n) => {
                    if let Some(t) = teacher
                        && teacher_busy(t, s.date, i32::from(n)).await?
                    {
                        e.teacher = Some("changes.teacher_busy");
                    }
                }
            }
            match (subject, teacher, number) {
                (Some(subject_id), Some(teacher_id), Some(number)) => Some(Change::Extra {
                    id: 0,
                    date: s.date,
                    number,
                    group_id: s.class.id,
                    subject_id,
                    teacher_id,
                    room: String::new(),
                }),
                _ => None,
            }
        }
        _ => {
            return Err(AppError::BadRequest(
                "kind must be substitute, cancel, move or extra".into(),
            ));
        }
    };
    Ok(match change {
        Some(c) if !e.any() => Ok(c),
        _ => Err(e),
    })
}

/// Records a validated change and re-derives the dates it touches. Returns the change's id.
pub async fn apply(
    state: &AppState,
    ctx: &Ctx,
    s: &Setting,
    change: Change,
    kind: &str,
    reason: &str,
) -> Result<i64, AppError> {
    let actor = ctx.actor()?;
    let (lo, hi) = match &change {
        Change::Move { date, to_date, .. } => ((*date).min(*to_date), (*date).max(*to_date)),
        other => (other.date(), other.date()),
    };
    let audit = AuditEntry {
        school_id: Some(s.school.id),
        action: "timetable.change".into(),
        details:
            serde_json::json!({ "kind": kind, "class": s.class.id, "date": s.date.to_string() })
                .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let new = NewChange {
        change,
        reason: reason.trim().to_owned(),
        created_by: Some(actor.person_id),
    };
    mark_stale(state, s.school.id, lo).await?;
    let id = state.store.add_change(s.school.id, &new, &audit).await?;
    rederive(state, s.school.id, lo, hi).await?;
    Ok(id)
}

pub async fn changes_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    let t = ctx.t();
    let s = setting(
        &state,
        &ctx,
        Some(&form.school),
        Some(&form.class),
        Some(&form.date),
    )
    .await?;
    match validate(&state, &s, &form).await? {
        Ok(change) => {
            apply(&state, &ctx, &s, change, &form.kind, &form.reason).await?;
            let back = format!(
                "/timetable/changes?school={}&class={}&date={}&done=1",
                s.school.id, s.class.id, s.date
            );
            Ok(crate::error::redirect(&back).into_response())
        }
        Err(e) => {
            let mut p = page(&state, &ctx, &s, &form).await?;
            p.date_error = e.date.map(|k| t.s(k));
            p.lesson_error = e.lesson.map(|k| t.s(k));
            p.teacher_error = e.teacher.map(|k| t.s(k));
            p.move_error = e.moved.map(|k| t.s(k));
            p.subject_error = e.subject.map(|k| t.s(k));
            p.summary = Some(e.reason.map_or(t.s("account.form_errors"), |k| t.s(k)));
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}
