//! Checking and saving new weekly templates (§2.6), shared by the grid editor, the CSV
//! import and the API: double bookings against every other class's week in force on the start
//! date, weekly hours against the teaching load, one-off changes that would stop applying.
//! Saving is all classes or none, then the lessons are derived again from the start date.

use super::changes::rederive;
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap, HashSet};
use zhurnal_core::calendar::Calendar;
use zhurnal_core::clock::study_year_of;
use zhurnal_core::timetable::{
    Change, Conflict, Entry, conflicts, hours_against_load, templates_in_force,
};
use zhurnal_store::{AuditEntry, SchoolRow, StoreError};

/// New weeks by class. New entries carry negative ids, which the caller's `label` names
/// (a CSV line, a grid cell).
pub type Weeks = BTreeMap<i64, Vec<Entry>>;

/// What a check found: errors stop the save, warnings do not.
#[derive(Debug, Default)]
pub struct Checked {
    pub errors: Vec<String>,
    /// Errors tied to one new entry (its negative id), for marking a grid cell.
    pub at: HashMap<i64, Vec<String>>,
    pub warnings: Vec<String>,
}

/// The calendar of the academic year a start date falls in, or the message key saying why not.
pub async fn calendar_for(
    state: &AppState,
    school_id: i64,
    raw: &str,
) -> Result<Result<(Date, Calendar), &'static str>, AppError> {
    let Ok(date) = raw.trim().parse::<Date>() else {
        return Ok(Err("import.bad_date"));
    };
    Ok(
        match state.store.calendar(school_id, study_year_of(date)).await? {
            Some(c) if date <= c.end => Ok((date, c)),
            _ => Err("import.no_calendar"),
        },
    )
}

pub async fn check_weeks(
    state: &AppState,
    t: &Tr,
    school: &SchoolRow,
    valid_from: Date,
    calendar: &Calendar,
    weeks: &Weeks,
    label: &(dyn Fn(i64) -> String + Sync),
) -> Result<Checked, AppError> {
    let mut out = Checked::default();
    let year_classes = state
        .store
        .school_classes(school.id, study_year_of(valid_from))
        .await?;
    let subjects = state.store.school_subjects(school.id).await?;
    let teachers = state.store.school_teachers(school.id).await?;
    let groups = state.store.group_classes(school.id).await?;
    let subgroups = state
        .store
        .subgroups(school.id, study_year_of(valid_from))
        .await?;
    let class_name = |group: i64| {
        let class = groups.get(&group).map_or(group, |g| g.0);
        year_classes
            .iter()
            .find(|c| c.id == class)
            .map_or(String::new(), |c| c.name.clone())
    };
    // Double bookings against the whole school: the new weeks plus every other class's
    // template in force on the start date (of the same academic year: last year's classes
    // end with it).
    let templates = state.store.templates(school.id).await?;
    let mut all: Vec<Entry> = weeks.values().flatten().cloned().collect();
    let group_of: HashMap<i64, i64> = templates
        .iter()
        .flat_map(|w| w.entries.iter().map(|e| (e.id, e.group_id)))
        .collect();
    all.extend(
        templates_in_force(&templates, valid_from)
            .into_iter()
            .filter(|w| {
                !weeks.contains_key(&w.class_id) && year_classes.iter().any(|c| c.id == w.class_id)
            })
            .flat_map(|w| w.entries.iter().cloned()),
    );
    for c in conflicts(&all, &groups) {
        let (key, ids) = match &c {
            Conflict::Teacher { entries, .. } => ("import.teacher_busy", entries),
            Conflict::Room { entries, .. } => ("import.room_busy", entries),
            Conflict::Group { entries, .. } => ("import.class_busy", entries),
        };
        let new: Vec<i64> = ids.iter().copied().filter(|i| *i < 0).collect();
        if new.is_empty() {
            continue;
        }
        // Name the other classes involved, so the deputy knows where to look.
        let mut others: Vec<String> = ids
            .iter()
            .filter(|i| **i > 0)
            .filter_map(|i| group_of.get(i))
            .map(|g| class_name(*g))
            .collect();
        others.dedup();
        let mut message = t.s(key).to_owned();
        if !others.is_empty() {
            message = format!("{message} ({})", others.join(", "));
        }
        let names: Vec<String> = new.iter().map(|i| label(*i)).collect();
        out.errors.push(format!("{}: {message}", names.join("; ")));
        for i in new {
            out.at.entry(i).or_default().push(message.clone());
        }
    }
    // Hours against the load of the classes saved: a warning, the load may be wrong.
    let load: Vec<(i64, i64, i64, i16)> = state
        .store
        .teaching_load(school.id)
        .await?
        .into_iter()
        .filter(|l| weeks.contains_key(&groups.get(&l.group_id).map_or(l.group_id, |g| g.0)))
        .map(|l| {
            (
                l.group_id,
                l.subject_id,
                l.teacher_id,
                l.hours_per_week as i16,
            )
        })
        .collect();
    let new_entries: Vec<Entry> = weeks.values().flatten().cloned().collect();
    for ((group, subject, teacher), planned, wanted) in hours_against_load(&new_entries, &load) {
        let group = subgroups.iter().find(|g| g.id == group).map_or_else(
            || class_name(group),
            |g| format!("{} {}", class_name(group), g.name),
        );
        let subject = subjects
            .iter()
            .find(|s| s.0 == subject)
            .map_or(String::new(), |s| s.1.clone());
        let teacher = teachers
            .iter()
            .find(|p| p.id == teacher)
            .map_or(String::new(), |p| p.short_name());
        out.warnings.push(format!(
            "{group}, {subject}, {teacher}: {} {planned}, {} {wanted}",
            t.s("import.in_file"),
            t.s("import.in_load")
        ));
    }
    // One-off changes from that date on that point at lines of the replaced weeks would
    // silently stop applying: say so before anything is saved.
    let replaced: HashSet<i64> = templates
        .iter()
        .filter(|w| weeks.contains_key(&w.class_id))
        .flat_map(|w| w.entries.iter().map(|e| e.id))
        .collect();
    let orphaned = state
        .store
        .changes(school.id, valid_from, calendar.end)
        .await?
        .iter()
        .filter(|c| c.date() >= valid_from)
        .filter(|c| match c {
            Change::Substitute { entry_id, .. }
            | Change::Cancel { entry_id, .. }
            | Change::Move { entry_id, .. } => replaced.contains(entry_id),
            Change::Extra { .. } => false,
        })
        .count();
    if orphaned > 0 {
        out.warnings
            .push(format!("{}: {orphaned}", t.s("import.orphaned_changes")));
    }
    Ok(out)
}

/// Saves checked weeks in one transaction and derives the lessons again from the start date.
/// `Err(key)` when one-off changes still point at lines being replaced.
pub async fn save_weeks(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (valid_from, calendar): (Date, &Calendar),
    weeks: Weeks,
    action: &str,
    details: serde_json::Value,
) -> Result<Result<(), &'static str>, AppError> {
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: action.into(),
        target_kind: "school".into(),
        target_id: school.id.to_string(),
        details: details.to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let weeks: Vec<(i64, Vec<Entry>)> = weeks.into_iter().collect();
    super::changes::mark_stale(state, school.id, calendar.start).await?;
    match state
        .store
        .save_templates(school.id, valid_from, &weeks, &audit)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            // Nothing was saved: the lessons are as they were.
            state
                .store
                .clear_lessons_stale(school.id, study_year_of(calendar.start))
                .await?;
            return Ok(Err("import.changes_refer"));
        }
        Err(e) => return Err(e.into()),
    }
    rederive(
        state,
        school.id,
        valid_from.max(calendar.start),
        calendar.end,
    )
    .await?;
    Ok(Ok(()))
}
