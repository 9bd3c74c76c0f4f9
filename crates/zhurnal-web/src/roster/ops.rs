//! The roster's operations: a school's students, parents and classes imported from a
//! spreadsheet (checked, then applied all-or-nothing), and families' one-time access codes
//! (§5.1). Each takes the actor, checks the school is theirs to enrol in, and returns a typed
//! outcome; the adapters only render it.

use crate::ctx::Ctx;
use crate::routes::deny_object;
use crate::{AppError, AppState};
use jiff::civil::Date;
use zhurnal_core::Action;
use zhurnal_core::account::print_code;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::roster::{self, Line};
use zhurnal_core::sheet::{self, SheetError};
use zhurnal_store::{
    AccessRow, ClassRow, MovementRow, NewTransfer, RosterOutcome, RosterPlace, RowFate, SchoolRow,
    StoreError,
};

/// What is wrong with an uploaded roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trouble {
    /// The file is not a table Zhurnal can read.
    Sheet(SheetError),
    /// A row, column or the header breaks a rule of the roster.
    Row(roster::Problem),
    /// The row's student is already in another class: a transfer, not an import.
    InAnotherClass { row: usize, class: String },
}

impl Trouble {
    pub fn row(&self) -> Option<usize> {
        match self {
            Trouble::Sheet(_) => None,
            Trouble::Row(p) => Some(p.row),
            Trouble::InAnotherClass { row, .. } => Some(*row),
        }
    }
}

/// The result of checking or applying a roster.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Every readable row with its fate (what applying does or did).
    pub rows: Vec<(Line, RowFate)>,
    pub troubles: Vec<Trouble>,
    pub new_classes: Vec<String>,
    pub new_parents: usize,
    /// Whether the roster is now in the database (never when there is any trouble).
    pub applied: bool,
}

/// The school a roster or an access code is for: one of the actor's schools where they may
/// enrol students across the school; another school answers as missing (audited).
pub async fn enrolling_school(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<i64>,
) -> Result<SchoolRow, AppError> {
    school_for(state, ctx, Action::EnrolStudents, asked).await
}

/// The school an action across a whole school is asked for: one where the actor holds the
/// action school-wide, or a school of a municipality where they hold it (an inspector's, an
/// operator's); the first such when none is asked. Another school answers as missing.
pub async fn school_for(
    state: &AppState,
    ctx: &Ctx,
    action: Action,
    asked: Option<i64>,
) -> Result<SchoolRow, AppError> {
    let actor = ctx.actor()?;
    let mine = actor.whole_schools(action);
    let municipalities = actor.reach(action).municipalities;
    let id = match (asked, mine.first(), municipalities.first()) {
        (Some(id), _, _) => id,
        (None, Some(id), _) => *id,
        (None, None, Some(m)) => {
            let first = state.store.schools_of_municipality(*m).await?;
            first.first().map(|s| s.id).ok_or(AppError::NotFound)?
        }
        (None, None, None) => return Err(AppError::NotFound),
    };
    match state.store.school_plain(id).await? {
        Some(s) if mine.contains(&s.id) || municipalities.contains(&s.municipality_id) => Ok(s),
        Some(_) => Err(deny_object(state, ctx, "school", &id.to_string()).await),
        None => Err(AppError::NotFound),
    }
}

/// Reads a roster file and checks it against the school; applies it when `apply` and
/// nothing is wrong. Applying the same file twice changes nothing the second time.
pub async fn import_roster(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    bytes: Vec<u8>,
    apply: bool,
) -> Result<Imported, AppError> {
    let today = today_in(state.clock.now(), &school.time_zone);
    let read =
        crate::blocking::parse(move || sheet::read(&bytes).map(|rows| roster::read(&rows, today)))
            .await?;
    let read = match read {
        Ok(r) => r,
        Err(e) => {
            return Ok(Imported {
                troubles: vec![Trouble::Sheet(e)],
                ..Imported::default()
            });
        }
    };
    let mut troubles: Vec<Trouble> = read.problems.into_iter().map(Trouble::Row).collect();
    if read.lines.is_empty() && troubles.is_empty() {
        troubles.push(Trouble::Sheet(SheetError::Empty));
    }
    let since = today.to_string();
    let place = RosterPlace {
        school_id: school.id,
        study_year: study_year_of(today),
        since: &since,
        order_number: "",
    };
    let mut audit = ctx.audit_base(state.clock.now_ms());
    audit.action = "roster.import".into();
    audit.school_id = Some(school.id);
    let dry_run = !apply || !troubles.is_empty();
    let outcome = state
        .store
        .apply_roster(&place, &read.lines, dry_run, &audit)
        .await?;
    Ok(merge(read.lines, outcome, troubles, !dry_run))
}

/// Joins the store's fates to the lines, turning refused rows into troubles.
fn merge(
    lines: Vec<Line>,
    outcome: RosterOutcome,
    mut troubles: Vec<Trouble>,
    attempted: bool,
) -> Imported {
    let clean = outcome.clean();
    let mut rows = Vec::with_capacity(lines.len());
    for (line, (_, fate)) in lines.into_iter().zip(outcome.rows) {
        if let RowFate::InAnotherClass(class) = &fate {
            troubles.push(Trouble::InAnotherClass {
                row: line.row,
                class: class.clone(),
            });
        }
        rows.push((line, fate));
    }
    troubles.sort_by_key(Trouble::row);
    Imported {
        rows,
        applied: attempted && clean && troubles.is_empty(),
        troubles,
        new_classes: outcome.new_classes,
        new_parents: outcome.new_parents,
    }
}

/// A class's students and parents for the access list, with the class itself.
pub async fn class_access(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    class_id: Option<i64>,
) -> Result<(Vec<ClassRow>, Option<ClassRow>, Vec<AccessRow>), AppError> {
    let today = today_in(state.clock.now(), &school.time_zone);
    let classes = state
        .store
        .school_classes(school.id, study_year_of(today))
        .await?;
    let class = match class_id {
        Some(id) => match classes.iter().find(|c| c.id == id) {
            Some(c) => Some(c.clone()),
            None => return Err(deny_object(state, ctx, "class", &id.to_string()).await),
        },
        None => classes.first().cloned(),
    };
    let rows = match &class {
        Some(c) => {
            state
                .store
                .class_access(school.id, c.id, state.clock.now_ms())
                .await?
        }
        None => Vec::new(),
    };
    Ok((classes, class, rows))
}

/// An access code just issued: the code in clear (shown once, on the slip) and its expiry.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub person_name: String,
    pub school_name: String,
    /// `ABCD-EFGH-JKMN`.
    pub code: String,
    pub expires_at: i64,
    /// The day it expires, in the school's zone, as the slip prints it.
    pub expires_on: Date,
}

/// Issues a one-time access code to a person of the school, recording their application
/// (dated `applied_on`, default today) when none is on file. Any code of theirs still in
/// force is revoked. A person who is not the school's answers as missing.
pub async fn issue_code(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    person_id: i64,
    applied_on: Option<Date>,
) -> Result<IssuedCode, AppError> {
    let now = state.clock.now_ms();
    // The store refuses a person who is not the school's (NotFound, answered as missing).
    let Some(person) = state.store.person(person_id).await? else {
        return Err(deny_object(state, ctx, "person", &person_id.to_string()).await);
    };
    let mut audit = ctx.audit_base(now);
    audit.school_id = Some(school.id);
    let code = crate::security::access_code();
    let expires_at = now + state.cfg.access_code_days * 86_400_000;
    audit.action = "access.code_issued".into();
    let issued = state
        .store
        .issue_access_code(
            school.id,
            person_id,
            &crate::security::token_hash(&code),
            expires_at,
            applied_on.map(|d| d.to_string()).as_deref(),
            &audit,
        )
        .await;
    crate::routes::or_deny(state, ctx, "person", &person_id.to_string(), issued).await?;
    Ok(IssuedCode {
        person_name: person.full_name(),
        school_name: school.full_name.clone(),
        code: print_code(&code),
        expires_at,
        expires_on: today_in(ms_instant(expires_at), &school.time_zone),
    })
}

/// An instant stored as milliseconds since the epoch.
pub fn ms_instant(ms: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// Why a transfer was refused, in terms the deputy can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferRefused {
    /// The new class is the student's class already.
    SameClass,
    /// The date is not after the student joined the current class.
    BeforeEnrolment,
    /// The student has marks or absences in the journal from that date on.
    JournalEntriesAfter,
    /// The order's number is empty or longer than 50 characters.
    OrderNumber,
}

/// A transfer by order as the deputy asks for it.
pub struct TransferInput {
    pub student: i64,
    pub to_class: i64,
    pub on: Date,
    pub order_number: String,
    pub order_date: Date,
}

/// Moves a student to another class of the school from a date (§2.12): the old class's
/// journal keeps what was given before, the new class's journal has the student from that
/// day. A student or class that is not the school's answers as missing (audited).
pub async fn transfer(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    input: &TransferInput,
) -> Result<Result<i64, TransferRefused>, AppError> {
    let order = input.order_number.trim();
    if order.is_empty() || order.chars().count() > 50 || order.chars().any(char::is_control) {
        return Ok(Err(TransferRefused::OrderNumber));
    }
    let on = input.on.to_string();
    if state
        .store
        .entries_from(school.id, input.student, &on)
        .await?
        > 0
    {
        return Ok(Err(TransferRefused::JournalEntriesAfter));
    }
    let mut audit = ctx.audit_base(state.clock.now_ms());
    audit.action = "roster.transfer".into();
    audit.school_id = Some(school.id);
    let t = NewTransfer {
        school_id: school.id,
        person_id: input.student,
        to_class: input.to_class,
        on_date: &on,
        order_number: order,
        order_date: &input.order_date.to_string(),
    };
    match state.store.transfer_student(&t, &audit).await {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::Conflict(rule)) if rule == "same_class" => {
            Ok(Err(TransferRefused::SameClass))
        }
        Err(StoreError::Conflict(_)) => Ok(Err(TransferRefused::BeforeEnrolment)),
        Err(StoreError::NotFound) => {
            Err(deny_object(state, ctx, "person", &input.student.to_string()).await)
        }
        Err(e) => Err(e.into()),
    }
}

/// «Движение обучающихся» for `from`..=`to` of the school year `from` falls in, the school's
/// total last. Each line adds up: at the end = at the start + arrived − left.
pub async fn movement(
    state: &AppState,
    school: &SchoolRow,
    from: Date,
    to: Date,
) -> Result<Vec<MovementRow>, AppError> {
    let mut rows = state
        .store
        .movement(
            school.id,
            study_year_of(from),
            &from.to_string(),
            &to.to_string(),
        )
        .await?;
    let mut total = MovementRow {
        class_id: 0,
        ..MovementRow::default()
    };
    for r in &rows {
        total.at_start += r.at_start;
        total.arrived += r.arrived;
        total.enrolled += r.enrolled;
        total.transferred_in += r.transferred_in;
        total.left += r.left;
        total.transferred_out += r.transferred_out;
        total.to_other_school += r.to_other_school;
        total.graduated += r.graduated;
        total.family += r.family;
        total.left_other += r.left_other;
        total.at_end += r.at_end;
    }
    rows.push(total);
    Ok(rows)
}

/// Whether an application is overdue: recorded more than 3 days ago (§5.1) and not yet
/// answered with a code in force or a login.
pub fn overdue(row: &AccessRow, today: Date) -> bool {
    let answered = row.has_login || row.code_expires_at.is_some();
    let applied = row
        .applied_on
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok());
    !answered && applied.is_some_and(|d| today > d.saturating_add(jiff::Span::new().days(3)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_is_overdue_after_three_days_without_an_answer() {
        let row = |applied: Option<&str>, login: bool, code: Option<i64>| AccessRow {
            person_id: 1,
            last_name: String::new(),
            first_name: String::new(),
            middle_name: String::new(),
            kind: "mother".into(),
            student_id: 2,
            has_login: login,
            applied_on: applied.map(str::to_owned),
            code_expires_at: code,
        };
        let today = Date::new(2026, 12, 7).unwrap();
        assert!(!overdue(&row(Some("2026-12-04"), false, None), today));
        assert!(overdue(&row(Some("2026-12-03"), false, None), today));
        assert!(!overdue(&row(Some("2026-12-01"), false, Some(1)), today));
        assert!(!overdue(&row(Some("2026-12-01"), true, None), today));
        assert!(!overdue(&row(None, false, None), today));
    }
}
