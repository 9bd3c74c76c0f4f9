//! Whose data an API caller may read, decided once per request from the caller's grants:
//! a student themself, a parent their children (with the diary's rules: a refusal of
//! electronic access answers 403 with why), staff by the journal's scope — the school, the
//! class they lead, the groups they teach, the municipality for inspectors. Anything else
//! answers 404 exactly like an id that does not exist, and is audited.

use super::id_of;
use crate::ctx::Ctx;
use crate::diary::{Pupil, pick, pupils};
use crate::routes::deny_object;
use crate::{AppError, AppState};
use zhurnal_core::clock::today_in;
use zhurnal_core::oauth::AppScope;
use zhurnal_core::{Action, Role, Scope, permission};
use zhurnal_store::{GroupInfo, LessonInfo, SchoolRow};

/// A student whose data the caller may read.
#[derive(Debug, Clone)]
pub struct Student {
    pub person_id: i64,
    pub school: SchoolRow,
    /// The student's class and subgroups now, the class first.
    pub groups: Vec<GroupInfo>,
    /// Whose marks, final marks and attendance the caller reads: a subject teacher only
    /// their subjects' (as the journal shows them), family and administration all.
    pub subjects: Subjects,
}

/// The subjects of a group's journals the caller reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subjects {
    All,
    Only(Vec<i64>),
}

impl Subjects {
    pub fn has(&self, subject: i64) -> bool {
        match self {
            Subjects::All => true,
            Subjects::Only(ids) => ids.contains(&subject),
        }
    }
}

impl Student {
    pub fn group_ids(&self) -> Vec<i64> {
        self.groups.iter().map(|g| g.id).collect()
    }

    pub fn class(&self) -> Option<&GroupInfo> {
        self.groups.iter().find(|g| g.kind == "class")
    }
}

/// How much of a group the caller sees: all of it (staff), or only some of its students
/// (a student themself, a parent their children).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Whole,
    Only(Vec<i64>),
}

impl View {
    pub fn shows(&self, person_id: i64) -> bool {
        match self {
            View::Whole => true,
            View::Only(ids) => ids.contains(&person_id),
        }
    }
}

/// Today in the school's zone, as stored dates are written.
pub fn today(state: &AppState, school: &SchoolRow) -> String {
    today_in(state.clock.now(), &school.time_zone).to_string()
}

fn is_family(ctx: &Ctx) -> bool {
    ctx.actor.as_deref().is_some_and(|a| {
        a.app_may(Some(AppScope::Diary))
            && a.grants
                .iter()
                .any(|g| matches!(g.role, Role::Student | Role::Parent))
    })
}
/// The students the caller reads as family (themself, their children), without those whose
/// parents refused electronic access.
pub async fn family(state: &AppState, ctx: &Ctx) -> Result<Vec<Pupil>, AppError> {
    if !is_family(ctx) {
        return Ok(Vec::new());
    }
    Ok(pupils(state, ctx)
        .await?
        .into_iter()
        .filter(|p| p.refused_on.is_none())
        .collect())
}

/// Which subjects of a group's journals the caller's journal scope covers, if any: all of
/// them for the school or its municipality and the class they lead (and its subgroups);
/// for a subject teacher of the group (or of its class), the subjects they teach there —
/// the same as the journal's pages and `/api/v1` decide.
async fn staff_sees(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    group: &GroupInfo,
) -> Result<Option<Subjects>, AppError> {
    let actor = ctx.actor()?;
    if !actor.app_may(Some(AppScope::Journal)) {
        return Ok(None);
    }
    let class_id = if group.kind == "class" {
        Some(group.id)
    } else {
        group.parent_id
    };
    let mut teacher_here = false;
    for g in &actor.grants {
        let here = g.school_id == Some(school.id);
        let sees = match permission::scope_of(g.role, Action::ViewJournal) {
            None | Some(Scope::OwnChild | Scope::SelfOnly) => false,
            Some(Scope::Municipality) => g.municipality_id == Some(school.municipality_id),
            Some(Scope::School) => here,
            Some(Scope::OwnClass) => here && g.edu_group_id.is_some() && g.edu_group_id == class_id,
            Some(Scope::OwnSubjectGroups) => {
                teacher_here |= here;
                false
            }
        };
        if sees {
            return Ok(Some(Subjects::All));
        }
    }
    if !teacher_here {
        return Ok(None);
    }
    let taught: Vec<i64> = state
        .store
        .groups_of_teacher(actor.person_id, group.study_year)
        .await?
        .iter()
        .filter(|t| t.id == group.id || Some(t.id) == group.parent_id)
        .map(|t| t.id)
        .collect();
    let subjects = state
        .store
        .subjects_taught_in(school.id, actor.person_id, &taught)
        .await?;
    Ok((!subjects.is_empty()).then_some(Subjects::Only(subjects)))
}

/// A student the caller may read, by the id in a path.
pub async fn student(state: &AppState, ctx: &Ctx, raw: &str) -> Result<Student, AppError> {
    let Ok(id) = id_of(raw) else {
        return Err(deny_object(state, ctx, "person", raw).await);
    };
    if is_family(ctx) && pupils(state, ctx).await?.iter().any(|p| p.person_id == id) {
        // The diary's own choice: a refusal or a departure answers with why.
        let (pupil, _) = pick(state, ctx, Some(raw), None).await?;
        let groups = state
            .store
            .groups_of_person(id, &today(state, &pupil.school))
            .await?;
        return Ok(Student {
            person_id: id,
            school: pupil.school,
            groups,
            subjects: Subjects::All,
        });
    }
    let utc_today = today_in(state.clock.now(), "UTC").to_string();
    let groups = state.store.groups_of_person(id, &utc_today).await?;
    if let Some(class) = groups.iter().find(|g| g.kind == "class")
        && let Some(school) = state.refs.school(&state.store, class.school_id).await?
        && let Some(subjects) = staff_sees(state, ctx, &school, class).await?
    {
        return Ok(Student {
            person_id: id,
            school,
            groups,
            subjects,
        });
    }
    Err(deny_object(state, ctx, "person", raw).await)
}

/// A group the caller may read, with its school and how much of it they see.
pub async fn group(
    state: &AppState,
    ctx: &Ctx,
    raw: &str,
) -> Result<(GroupInfo, SchoolRow, View), AppError> {
    match group_quiet(state, ctx, raw, None).await {
        Err(AppError::NotFound) => Err(deny_object(state, ctx, "edu_group", raw).await),
        other => other,
    }
}

/// A group's journal in one subject the caller may read, with its school and view.
pub async fn journal(
    state: &AppState,
    ctx: &Ctx,
    raw: &str,
    subject: i64,
) -> Result<(GroupInfo, SchoolRow, View), AppError> {
    match group_quiet(state, ctx, raw, Some(subject)).await {
        Err(AppError::NotFound) => Err(deny_object(state, ctx, "edu_group", raw).await),
        other => other,
    }
}

/// A lesson the caller may read (through its group), with its school and view.
pub async fn lesson(
    state: &AppState,
    ctx: &Ctx,
    raw: &str,
) -> Result<(LessonInfo, SchoolRow, View), AppError> {
    let found = match id_of(raw) {
        Ok(id) => state.store.lesson_info(id).await?,
        Err(_) => None,
    };
    if let Some(lesson) = found {
        let group_raw = lesson.edu_group_id.to_string();
        // The group's own denial is audited under the lesson's id instead.
        let subject = Some(lesson.subject_id);
        if let Ok((_, school, view)) = group_quiet(state, ctx, &group_raw, subject).await {
            return Ok((lesson, school, view));
        }
    }
    Err(deny_object(state, ctx, "lesson", raw).await)
}

/// [`group`] without auditing a denial (the caller audits what it was asked for).
/// A group, and with `subject` its journal in that subject, without auditing a refusal.
async fn group_quiet(
    state: &AppState,
    ctx: &Ctx,
    raw: &str,
    subject: Option<i64>,
) -> Result<(GroupInfo, SchoolRow, View), AppError> {
    let id = id_of(raw)?;
    let group = state
        .store
        .group_info(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let school = state
        .refs
        .school(&state.store, group.school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(subjects) = staff_sees(state, ctx, &school, &group).await?
        && subject.is_none_or(|s| subjects.has(s))
    {
        return Ok((group, school, View::Whole));
    }
    let mut mine = Vec::new();
    for p in family(state, ctx).await? {
        let groups = state
            .store
            .groups_of_person(p.person_id, &today(state, &school))
            .await?;
        if groups.iter().any(|g| g.id == group.id) {
            mine.push(p.person_id);
        }
    }
    if mine.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok((group, school, View::Only(mine)))
}
