//! The journal's rules applied to a request (§4.1), shared by the journal page and the API:
//! who may see a group's journal in a subject, and whether a change to a lesson is allowed
//! now — the teacher who gives it, within the school's edit window; the deputy after it,
//! with a reason. Anything out of reach answers as if it did not exist, and is audited.

use crate::ctx::Ctx;
use crate::routes::deny_object;
use crate::{AppError, AppState};
use zhurnal_core::assessment::{self, Misfit};
use zhurnal_core::clock::today_in;
use zhurnal_core::curriculum::{Grading, default_grading};
use zhurnal_core::grading::{MarkError, MarkValue};
use zhurnal_core::journal::{Asker, Change, Lock, Verdict, decide};
use zhurnal_core::{Action, Scope, permission};
use zhurnal_store::memo::Dep;
use zhurnal_store::{GradingSettings, LessonFacts, SchoolRow};

/// Whether the actor may see the journal of a group in a subject at a school.
pub async fn may_view(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    group_id: i64,
    subject_id: i64,
) -> Result<bool, AppError> {
    let actor = ctx.actor()?;
    let groups = state.refs.groups(&state.store, school.id).await?;
    let Some((class_id, _)) = groups.get(&group_id).copied() else {
        return Ok(false);
    };
    // The grants answered from memory first; «does this teacher teach it» asks the database.
    let mut teacher_here = false;
    for g in &actor.grants {
        let here = g.school_id == Some(school.id);
        let allowed = match permission::scope_of(g.role, Action::ViewJournal) {
            None => false,
            Some(Scope::Municipality) => g.municipality_id == Some(school.municipality_id),
            Some(Scope::School) => here,
            Some(Scope::OwnClass) => here && g.edu_group_id == Some(class_id),
            Some(Scope::OwnSubjectGroups) => {
                teacher_here |= here;
                false
            }
            Some(Scope::OwnChild | Scope::SelfOnly) => false,
        };
        if allowed {
            return Ok(true);
        }
    }
    Ok(teacher_here && teaches(state, school.id, actor.person_id, group_id, subject_id).await?)
}

/// A lesson the actor may change now, with the school's grading settings.
pub struct Allowed {
    pub lesson: LessonFacts,
    pub settings: GradingSettings,
}

/// Checks a change to a lesson. A lesson out of the actor's reach answers 404 (audited);
/// a rule that stops the change answers 422 on `field` with the reason in the user's words.
pub async fn may_change(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    lesson_id: i64,
    change: Change,
    reason: &str,
    field: &str,
) -> Result<Allowed, AppError> {
    let actor = ctx.actor()?;
    // Every keystroke in the grid asks: the lesson's facts and the school's rules are kept
    // in memory until a write changes the school.
    let store = &state.store;
    let facts = store
        .memo(
            ("lesson_facts", [school.id, lesson_id, 0, 0]),
            Dep::School(school.id),
            store.lesson_facts(school.id, lesson_id),
        )
        .await?;
    let Some(lesson) = facts.as_ref().clone() else {
        return Err(deny_object(state, ctx, "lesson", &lesson_id.to_string()).await);
    };
    let asker = Asker {
        gives_lesson: lesson.teacher_id == Some(actor.person_id)
            && actor.reach(Action::EditJournal).covers(school),
        approves: actor
            .reach(Action::ApproveJournalCorrections)
            .covers(school),
    };
    let settings = settings_of(state, school.id).await?.as_ref().clone();
    let date = lesson
        .date
        .parse()
        .map_err(|_| AppError::Internal(format!("lesson {} has a bad date", lesson.id)))?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let lock = Lock {
        cancelled: lesson.status == "cancelled",
        period_closed: period_closed(state, school, lesson.group_id, &lesson.date).await?,
    };
    let verdict = decide(
        asker,
        change,
        date,
        lock,
        today,
        settings.edit_window_days,
        reason,
    );
    // An over-long reason is the reason's fault, whatever field the caller names.
    let field = if verdict == Verdict::ReasonTooLong {
        "reason"
    } else {
        field
    };
    let key = match verdict {
        Verdict::Allowed => return Ok(Allowed { lesson, settings }),
        Verdict::NotTheirs => {
            return Err(deny_object(state, ctx, "lesson", &lesson_id.to_string()).await);
        }
        Verdict::NotYet => "journal.not_yet",
        Verdict::WindowClosed => "journal.window_closed",
        Verdict::ReasonNeeded => "journal.reason_needed",
        Verdict::ReasonTooLong => "journal.reason_long",
        Verdict::Cancelled => "journal.cancelled",
        Verdict::PeriodClosed => "journal.period_closed",
    };
    Err(AppError::Validation(vec![(
        field.to_owned(),
        ctx.t().s(key).to_owned(),
    )]))
}

/// [`may_change`], with a rule that stops the change given as the message to show (a lesson
/// out of reach stays an error: 404, audited).
pub async fn may_change_or_why(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    lesson_id: i64,
    change: Change,
    reason: &str,
) -> Result<Result<Allowed, String>, AppError> {
    match may_change(state, ctx, school, lesson_id, change, reason, "lesson").await {
        Ok(a) => Ok(Ok(a)),
        Err(AppError::Validation(fields)) => Ok(Err(fields
            .into_iter()
            .next()
            .map_or(String::new(), |f| f.1))),
        Err(e) => Err(e),
    }
}

/// The work a journal cell writes to when none is named: the school's first work type
/// («Ответ на уроке»).
pub async fn default_work_type(state: &AppState, school: &SchoolRow) -> Result<i64, AppError> {
    work_types_of(state, school.id)
        .await?
        .first()
        .map(|w| w.id)
        .ok_or(AppError::NotFound)
}

/// A school's grading settings, kept in memory until a write changes them.
pub async fn settings_of(
    state: &AppState,
    school_id: i64,
) -> Result<std::sync::Arc<GradingSettings>, AppError> {
    let store = &state.store;
    Ok(store
        .memo(
            ("grading_settings", [school_id, 0, 0, 0]),
            Dep::All,
            store.grading_settings(school_id),
        )
        .await?)
}

/// A school's work types (the first is the default of a journal cell), kept in memory.
pub async fn work_types_of(
    state: &AppState,
    school_id: i64,
) -> Result<std::sync::Arc<Vec<zhurnal_store::WorkTypeRow>>, AppError> {
    let store = &state.store;
    Ok(store
        .memo(
            ("work_types", [school_id, 0, 0, 0]),
            Dep::All,
            store.work_types(school_id),
        )
        .await?)
}

/// Reads a typed current mark by the school's scale and the subject's assessment; the
/// message names what is wrong.
pub fn parse_mark(
    settings: &GradingSettings,
    grading: Grading,
    raw: &str,
) -> Result<MarkValue, &'static str> {
    assessment::current(grading, raw, settings.rules.scale).map_err(misfit_key)
}

/// Reads a typed period, year or final mark: whole marks only, by the subject's assessment.
pub fn parse_period_mark(
    settings: &GradingSettings,
    grading: Grading,
    raw: &str,
) -> Result<MarkValue, &'static str> {
    assessment::period(grading, raw, settings.rules.scale).map_err(misfit_key)
}

fn misfit_key(e: Misfit) -> &'static str {
    match e {
        Misfit::Mark(MarkError::NoOne) => "journal.no_one",
        Misfit::Mark(MarkError::NoSigns) => "journal.no_signs",
        Misfit::Mark(MarkError::Unknown(_)) => "journal.bad_mark",
        Misfit::WithoutMarks => "journal.without_marks",
        Misfit::PassFailOnly => "journal.pass_fail_only",
        Misfit::PointsOnly => "journal.points_only",
        Misfit::WholeOnly => "journal.whole_only",
    }
}

/// How the subject is assessed for the group (by its grade): the curriculum's word, else
/// the default — grade 1 without marks, ОРКСЭ pass/fail, the rest five-point. Kept in
/// memory: every mark typed asks.
pub async fn grading_of(
    state: &AppState,
    school_id: i64,
    group_id: i64,
    subject_id: i64,
) -> Result<Grading, AppError> {
    let store = &state.store;
    let found = store
        .memo(
            ("assessment", [school_id, group_id, subject_id, 0]),
            Dep::All,
            store.subject_assessment(school_id, group_id, subject_id),
        )
        .await?;
    Ok(match found.as_ref() {
        Some((grade, subject, plan)) => plan
            .as_deref()
            .and_then(Grading::parse)
            .unwrap_or_else(|| default_grading(*grade as i16, subject)),
        None => Grading::FivePoint,
    })
}

/// Whether the reporting period a group's lesson of `date` falls in is closed (by the
/// period scheme of the group's grade).
pub async fn period_closed(
    state: &AppState,
    school: &SchoolRow,
    group_id: i64,
    date: &str,
) -> Result<bool, AppError> {
    let Ok(day) = date.parse::<jiff::civil::Date>() else {
        return Ok(false);
    };
    let year = zhurnal_core::clock::study_year_of(day);
    let parallel = state
        .refs
        .groups(&state.store, school.id)
        .await?
        .get(&group_id)
        .map_or(5, |g| g.1);
    Ok(periods_of_grade(state, school.id, year, parallel)
        .await?
        .iter()
        .any(|p| {
            p.start_date.as_str() <= date && date <= p.end_date.as_str() && p.closed_at.is_some()
        }))
}

/// The reporting periods of a grade in a study year, by the school's scheme for the grade
/// (quarters or half-years), in order.
pub async fn periods_of_grade(
    state: &AppState,
    school_id: i64,
    year: i16,
    grade: i16,
) -> Result<Vec<zhurnal_store::PeriodRow>, AppError> {
    let store = &state.store;
    let year_key = [school_id, i64::from(year), 0, 0];
    let schemes = store
        .memo(
            ("period_schemes", year_key),
            Dep::All,
            store.period_schemes(school_id, year),
        )
        .await?;
    let scheme = schemes.iter().find(|(p, _)| i32::from(grade) == *p).map_or(
        zhurnal_core::calendar::default_scheme(grade).to_owned(),
        |(_, s)| s.clone(),
    );
    Ok(store
        .memo(
            ("periods", year_key),
            Dep::All,
            store.periods(school_id, year),
        )
        .await?
        .iter()
        .filter(|p| p.scheme == scheme)
        .cloned()
        .collect())
}

/// Whether the person teaches the group the subject (kept in memory: every journal page
/// and write asks).
pub async fn teaches(
    state: &AppState,
    school_id: i64,
    person: i64,
    group_id: i64,
    subject_id: i64,
) -> Result<bool, AppError> {
    let store = &state.store;
    Ok(*store
        .memo(
            ("teaches", [school_id, person, group_id, subject_id]),
            Dep::All,
            store.teaches(school_id, person, group_id, subject_id),
        )
        .await?)
}

/// The period asked for, else the one today falls in, else the last begun, else the first.
pub fn current_period<'a>(
    periods: &'a [zhurnal_store::PeriodRow],
    asked: Option<&str>,
    today: &str,
) -> Option<&'a zhurnal_store::PeriodRow> {
    asked
        .and_then(|raw| raw.parse::<i64>().ok())
        .and_then(|id| periods.iter().find(|p| p.id == id))
        .or_else(|| {
            periods
                .iter()
                .find(|p| p.start_date.as_str() <= today && today <= p.end_date.as_str())
        })
        .or_else(|| {
            periods
                .iter()
                .rev()
                .find(|p| p.start_date.as_str() <= today)
        })
        .or(periods.first())
}

/// A journal's key in forms and links, «{group}-{subject}».
pub fn parse_journal_key(raw: &str) -> Option<(i64, i64)> {
    let (g, s) = raw.split_once('-')?;
    Some((g.parse().ok()?, s.parse().ok()?))
}
