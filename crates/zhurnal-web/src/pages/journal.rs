//! The class journal page (§4.1): students down, the period's lessons across, a mark or «н»
//! in each cell, and at the end the average by the school's rule with its computation and
//! the period mark Zhurnal proposes. The teacher who gives a lesson types into its cells and
//! saves; only the cells that changed are written, each with its history. Works without
//! JavaScript.

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::journal::{
    default_work_type, grading_of, may_change_or_why, may_view, parse_mark, parse_period_mark,
};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use zhurnal_core::assessment::propose_for;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::curriculum::Grading;
use zhurnal_core::grading::{Counted, MarkValue};
use zhurnal_core::journal::{Attendance, CellError, CellText, Change};
use zhurnal_core::{Action, Scope, permission};
use zhurnal_store::memo::Dep;
use zhurnal_store::{Journal, JournalAbsence, JournalMark, JournalWork, MarkWrite, SchoolRow};

pub struct Column {
    pub lesson_id: i64,
    /// «27.11».
    pub day: String,
    pub title: String,
    pub cancelled: bool,
    pub editable: bool,
}

pub struct GridCell {
    pub name: String,
    pub value: String,
    pub label: String,
    pub editable: bool,
    pub error: Option<String>,
    /// Marks on the lesson's other works («КР 5»), read-only here.
    pub other: String,
}

pub struct StudentRow {
    pub number: usize,
    pub name: String,
    pub cells: Vec<GridCell>,
    pub average: String,
    pub explanation: String,
    pub proposed: String,
    pub below_minimum: bool,
    /// The period mark's field, its value, and why a typed one was refused.
    pub period_field: String,
    pub period_value: String,
    pub period_error: Option<String>,
}

#[derive(Template)]
#[template(path = "journal.html")]
pub struct JournalPage {
    pub c: Chrome,
    pub school_id: i64,
    pub journals: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub heading: String,
    pub selected: String,
    pub period: String,
    /// The period has lessons: the table is worth showing.
    pub has_lessons: bool,
    /// The rendered table (see [`JournalTable`]).
    pub table: std::sync::Arc<String>,
    pub any_editable: bool,
    /// The script's messages, as JSON, in the person's language.
    pub words: String,
    /// The actor teaches this group in this subject: they set its period marks.
    pub period_editable: bool,
    /// The period is closed: its marks are locked.
    pub period_closed: bool,
    pub saved: Option<usize>,
    pub errors: usize,
    pub empty: bool,
}

/// The journal's table alone: the bulk of the page, kept rendered (see `build`).
#[derive(Template)]
#[template(path = "journal_table.html")]
pub struct JournalTable<'a> {
    pub t: crate::i18n::Tr,
    pub school_id: i64,
    pub heading: &'a str,
    pub words: &'a str,
    pub any_editable: bool,
    pub period_editable: bool,
    pub columns: &'a [Column],
    pub rows: &'a [StudentRow],
}

#[derive(Deserialize, Default)]
pub struct JournalQuery {
    school: Option<String>,
    journal: Option<String>,
    period: Option<String>,
    saved: Option<usize>,
}

/// The (group, subject) journals the actor may open, with their labels.
pub(crate) async fn journals_of(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    year: i16,
) -> Result<Vec<((i64, i64), String)>, AppError> {
    let actor = ctx.actor()?;
    let groups = state.refs.groups(&state.store, school.id).await?;
    let store = &state.store;
    let classes: Vec<i64> = store
        .memo(
            ("school_classes", [school.id, i64::from(year), 0, 0]),
            Dep::All,
            store.school_classes(school.id, year),
        )
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    // Someone who sees the whole school's journals reads the whole load; a teacher only
    // their own part of it (a big school's load is hundreds of rows).
    let broad = actor.grants.iter().any(|g| {
        matches!(
            permission::scope_of(g.role, Action::ViewJournal),
            Some(Scope::School | Scope::Municipality)
        )
    });
    let own_classes: Vec<i64> = actor
        .grants
        .iter()
        .filter(|g| {
            g.school_id == Some(school.id)
                && permission::scope_of(g.role, Action::ViewJournal) == Some(Scope::OwnClass)
        })
        .filter_map(|g| g.edu_group_id)
        .collect();
    let load = if broad || own_classes.len() > 1 {
        store
            .memo(
                ("teaching_load", [school.id, 0, 0, 0]),
                Dep::All,
                store.teaching_load(school.id),
            )
            .await?
    } else {
        let own = own_classes.first().copied();
        store
            .memo(
                (
                    "teaching_load_of",
                    [school.id, actor.person_id, own.unwrap_or(0), 0],
                ),
                Dep::All,
                store.teaching_load_of(school.id, actor.person_id, own),
            )
            .await?
    };
    let mut out: Vec<((i64, i64), String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for l in load.iter() {
        let Some((class, _)) = groups.get(&l.group_id).copied() else {
            continue;
        };
        if !classes.contains(&class) || !seen.insert((l.group_id, l.subject_id)) {
            continue;
        }
        let visible = actor.grants.iter().any(|g| {
            let here = g.school_id == Some(school.id);
            match permission::scope_of(g.role, Action::ViewJournal) {
                Some(Scope::Municipality) => g.municipality_id == Some(school.municipality_id),
                Some(Scope::School) => here,
                Some(Scope::OwnClass) => here && g.edu_group_id == Some(class),
                Some(Scope::OwnSubjectGroups) => here && l.teacher_id == actor.person_id,
                _ => false,
            }
        });
        if visible {
            out.push((
                (l.group_id, l.subject_id),
                format!("{} · {}", l.group_name, l.subject_name),
            ));
        }
    }
    Ok(out)
}

/// The label («7Б · Алгебра») of a journal the actor may read; one out of reach answers as
/// if it did not exist, and is audited.
pub(crate) async fn visible_label(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    group: i64,
    subject: i64,
) -> Result<String, AppError> {
    if !may_view(state, ctx, school, group, subject).await? {
        return Err(crate::routes::deny_object(
            state,
            ctx,
            "journal",
            &format!("{group}:{subject}"),
        )
        .await);
    }
    let year = study_year_of(today_in(state.clock.now(), &school.time_zone));
    Ok(journals_of(state, ctx, school, year)
        .await?
        .into_iter()
        .find(|j| j.0 == (group, subject))
        .map(|j| j.1)
        .unwrap_or_default())
}

/// A journal's marks and absences by lesson and student: a grid of 30 students × 40
/// lessons is built by lookups instead of scanning every mark of the period for each cell.
pub(crate) struct Cells<'a> {
    /// Each lesson's first work of the default type («Ответ на уроке»), whose mark the
    /// cell shows.
    first_work: HashMap<i64, i64>,
    /// Each lesson's other works, in order.
    other_works: HashMap<i64, Vec<&'a JournalWork>>,
    /// The marks on each (work, student), in order.
    marks: HashMap<(i64, i64), Vec<&'a JournalMark>>,
    /// Each student's marks, in order.
    marks_of: HashMap<i64, Vec<&'a JournalMark>>,
    work_type: HashMap<i64, i64>,
    /// The first absence of each (lesson, student).
    absences: HashMap<(i64, i64), &'a JournalAbsence>,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(j: &'a Journal, default_type: i64) -> Cells<'a> {
        let mut cells = Cells {
            first_work: HashMap::new(),
            other_works: HashMap::new(),
            marks: HashMap::new(),
            marks_of: HashMap::new(),
            work_type: HashMap::new(),
            absences: HashMap::new(),
        };
        for w in &j.works {
            cells.work_type.insert(w.id, w.work_type_id);
            if w.work_type_id == default_type && w.kind == "lesson" {
                cells.first_work.entry(w.lesson_id).or_insert(w.id);
            } else {
                cells.other_works.entry(w.lesson_id).or_default().push(w);
            }
        }
        for m in &j.marks {
            cells
                .marks
                .entry((m.work_id, m.person_id))
                .or_default()
                .push(m);
            cells.marks_of.entry(m.person_id).or_default().push(m);
        }
        for a in &j.absences {
            cells
                .absences
                .entry((a.lesson_id, a.person_id))
                .or_insert(a);
        }
        cells
    }

    /// A cell's text: the mark on the lesson's first work of the default type and the
    /// attendance beside it — «5», «5 оп», «оп», «н».
    pub(crate) fn text(&self, lesson: i64, person: i64) -> String {
        self.cell(lesson, person).display()
    }

    /// What a cell holds, as the journal's rules read it.
    pub(crate) fn cell(&self, lesson: i64, person: i64) -> CellText {
        let mark = self
            .first_work
            .get(&lesson)
            .and_then(|w| self.marks.get(&(*w, person)))
            .and_then(|m| m.first())
            .map(|m| m.value.clone());
        let attendance = self
            .absences
            .get(&(lesson, person))
            .map(|a| match a.status.as_str() {
                "late" => Attendance::Late,
                _ => Attendance::Absent,
            });
        CellText { mark, attendance }
    }

    /// The student's marks on the lesson's other works («КР 5, ДЗ 4»), shown beside the cell.
    fn others(&self, lesson: i64, person: i64, abbreviations: &HashMap<i64, String>) -> String {
        let Some(works) = self.other_works.get(&lesson) else {
            return String::new();
        };
        let mut out = String::new();
        for w in works {
            for m in self.marks.get(&(w.id, person)).into_iter().flatten() {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(
                    abbreviations
                        .get(&w.work_type_id)
                        .map_or("", String::as_str),
                );
                out.push(' ');
                out.push_str(&m.value);
            }
        }
        out
    }

    /// What Zhurnal proposes for a student from the period's marks, weighted by work type,
    /// by the subject's assessment.
    pub(crate) fn proposal(
        &self,
        person: i64,
        grading: Grading,
        rules: &zhurnal_core::grading::Rules,
        weights: &HashMap<i64, u8>,
    ) -> zhurnal_core::grading::Proposal {
        let counted: Vec<Counted> = self
            .marks_of
            .get(&person)
            .into_iter()
            .flatten()
            .filter_map(|m| {
                let value = MarkValue::parse(&m.value, rules.scale).ok()?;
                let work_type = self.work_type.get(&m.work_id)?;
                Some(Counted {
                    value,
                    weight: weights.get(work_type).copied().unwrap_or(1),
                })
            })
            .collect();
        propose_for(grading, &counted, rules)
    }
}

async fn build(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    journal: Option<&str>,
    period: Option<&str>,
    errors: &HashMap<String, (String, String)>,
) -> Result<JournalPage, AppError> {
    let t = ctx.t();
    let today = today_in(state.clock.now(), &school.time_zone);
    let year = study_year_of(today);
    let journals = journals_of(state, ctx, school, year).await?;
    let picked = journal
        .and_then(crate::journal::parse_journal_key)
        .or(journals.first().map(|j| j.0));
    let mut page = JournalPage {
        c: Chrome::new(ctx, t.s("journal.title"), "/journal"),
        school_id: school.id,
        journals: journals
            .iter()
            .map(|((g, s), label)| Choice {
                value: format!("{g}-{s}"),
                label: label.clone(),
                selected: Some((*g, *s)) == picked,
            })
            .collect(),
        periods: Vec::new(),
        heading: t.s("journal.title").to_owned(),
        selected: String::new(),
        period: String::new(),
        has_lessons: false,
        table: std::sync::Arc::default(),
        any_editable: false,
        words: serde_json::json!({
            "saving": t.s("journal.js_saving"),
            "saved": t.s("journal.js_saved"),
            "offline": t.s("journal.js_offline"),
            "failed": t.s("journal.js_failed"),
            "undone": t.s("journal.js_undone"),
        })
        .to_string(),
        period_editable: false,
        period_closed: false,
        saved: None,
        errors: errors.len(),
        empty: journals.is_empty(),
    };
    let Some((group, subject)) = picked else {
        return Ok(page);
    };
    if !may_view(state, ctx, school, group, subject).await? {
        return Err(crate::routes::deny_object(
            state,
            ctx,
            "journal",
            &format!("{group}:{subject}"),
        )
        .await);
    }
    page.selected = format!("{group}-{subject}");
    if let Some((_, label)) = journals.iter().find(|j| j.0 == (group, subject)) {
        page.heading = format!("{}: {label}", t.s("journal.title"));
    }
    // The periods of the group's grade.
    let parallel = state
        .refs
        .groups(&state.store, school.id)
        .await?
        .get(&group)
        .map_or(5, |g| g.1);
    let periods = crate::journal::periods_of_grade(state, school.id, year, parallel).await?;
    let today_s = today.to_string();
    let current = crate::journal::current_period(&periods, period, &today_s);
    page.periods = periods
        .iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name.clone(),
            selected: Some(p.id) == current.map(|c| c.id),
        })
        .collect();
    let Some(current) = current else {
        return Ok(page);
    };
    page.period = current.id.to_string();
    // The period's journal is kept in memory until a write changes it (any mark or absence
    // of the school's people, any lesson of the school).
    let store = &state.store;
    let sid = school.id;
    let j = store
        .memo(
            ("journal", [sid, group, subject, current.id]),
            Dep::SchoolPeople(sid),
            store.journal(sid, group, subject, &current.start_date, &current.end_date),
        )
        .await?;
    let actor = ctx.actor()?;
    let settings = crate::journal::settings_of(state, sid).await?;
    let edits = actor.reach(Action::EditJournal).covers(school);
    page.period_closed = current.closed_at.is_some();
    page.period_editable = edits
        && !page.period_closed
        && today_s >= current.start_date
        && crate::journal::teaches(state, sid, actor.person_id, group, subject).await?;
    // Which lessons' cells this viewer may type into: the only part of the table that
    // differs between the people who open the same journal on the same day.
    let window = settings.edit_window_days;
    let open: Vec<bool> = j
        .lessons
        .iter()
        .map(|l| {
            let date: jiff::civil::Date = l.date.parse().unwrap_or(today);
            zhurnal_core::journal::decide(
                zhurnal_core::journal::Asker {
                    gives_lesson: edits && l.teacher_id == Some(actor.person_id),
                    approves: false,
                },
                Change::Result,
                date,
                zhurnal_core::journal::Lock {
                    cancelled: l.status == "cancelled",
                    period_closed: page.period_closed,
                },
                today,
                window,
                "",
            ) == zhurnal_core::journal::Verdict::Allowed
        })
        .collect();
    page.any_editable = open.contains(&true);
    page.has_lessons = !j.lessons.is_empty();
    let view = TableView {
        school_id: sid,
        group,
        subject,
        period: current,
        heading: &page.heading,
        words: &page.words,
        settings: &settings,
        open: &open,
        period_editable: page.period_editable,
    };
    // A page that shows refused cells is built for this answer alone; otherwise the table is
    // rendered once per journal, period, day, language and set of editable columns, and
    // shared by everyone who opens it until a write changes what it shows.
    page.table = if errors.is_empty() {
        let lang = match t.lang {
            crate::i18n::Lang::Ru => 0u8,
            crate::i18n::Lang::En => 1,
        };
        // The journal, period and viewer's variant are the key; the variant is a 64-bit hash,
        // whose collision could at worst show cells as open that saving would refuse
        // (every cell is checked again on save).
        let variant = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (
                today_s.as_str(),
                lang,
                &open,
                page.period_editable,
                &page.heading,
            )
                .hash(&mut h);
            h.finish() as i64
        };
        store
            .memo_sized(
                ("journal_view", [group, subject, current.id, variant]),
                Dep::SchoolPeople(sid),
                table(state, t, &j, &view, errors),
                |html: &String| html.len(),
            )
            .await?
    } else {
        std::sync::Arc::new(table(state, t, &j, &view, errors).await?)
    };
    Ok(page)
}

/// What the journal's table is drawn from besides the journal itself.
struct TableView<'a> {
    school_id: i64,
    group: i64,
    subject: i64,
    period: &'a zhurnal_store::PeriodRow,
    heading: &'a str,
    words: &'a str,
    /// The school's grading rules, which the averages and proposals follow.
    settings: &'a zhurnal_store::GradingSettings,
    /// Per lesson: the viewer may type into its cells.
    open: &'a [bool],
    period_editable: bool,
}

/// The journal's table, rendered: a column per lesson, a row per student with their cells,
/// average, proposal and period mark; `errors` are refused cells shown with what was typed.
async fn table(
    state: &AppState,
    t: crate::i18n::Tr,
    j: &Journal,
    v: &TableView<'_>,
    errors: &HashMap<String, (String, String)>,
) -> Result<String, AppError> {
    let store = &state.store;
    let sid = v.school_id;
    let students = store
        .memo(
            ("group_members", [sid, v.group, 0, 0]),
            Dep::All,
            store.group_members(sid, v.group),
        )
        .await?;
    let types = crate::journal::work_types_of(state, sid).await?;
    let weights = weights_of(&types);
    let grading = grading_of(state, v.school_id, v.group, v.subject).await?;
    let abbreviations: &HashMap<i64, String> = &types
        .iter()
        .map(|w| (w.id, w.abbreviation.clone()))
        .collect::<HashMap<_, _>>();
    let default_type = types.first().map_or(0, |w| w.id);
    let cells = Cells::new(j, default_type);
    let period_marks = store
        .memo(
            ("period_marks", [sid, v.period.id, v.subject, 0]),
            Dep::All,
            store.period_marks(sid, v.period.id, v.subject),
        )
        .await?;
    let marks_of: HashMap<i64, &str> = period_marks
        .iter()
        .map(|m| (m.person_id, m.value.as_str()))
        .collect();
    let mut columns = Vec::with_capacity(j.lessons.len());
    for (l, open) in j.lessons.iter().zip(v.open) {
        let date: jiff::civil::Date = l.date.parse().unwrap_or_default();
        columns.push(Column {
            lesson_id: l.id,
            day: date.strftime("%d.%m").to_string(),
            title: format!(
                "{}, {}{}",
                t.weekday_date(date),
                t.lesson_number(l.number),
                if l.topic.is_empty() {
                    String::new()
                } else {
                    format!(": {}", l.topic)
                }
            ),
            cancelled: l.status == "cancelled",
            editable: *open,
        });
    }
    let mut rows = Vec::with_capacity(students.len());
    for (i, s) in students.iter().enumerate() {
        let short = s.short_name();
        let row_cells = columns
            .iter()
            .map(|c| {
                let name = format!("c-{}-{}", c.lesson_id, s.id);
                let (value, error) = match errors.get(&name) {
                    Some((typed, message)) => (typed.clone(), Some(message.clone())),
                    None => (cells.text(c.lesson_id, s.id), None),
                };
                GridCell {
                    label: format!("{short}, {}", c.title),
                    name,
                    value,
                    editable: c.editable,
                    error,
                    other: cells.others(c.lesson_id, s.id, abbreviations),
                }
            })
            .collect();
        let proposal = cells.proposal(s.id, grading, &v.settings.rules, &weights);
        let period_field = format!("p-{}", s.id);
        let (period_value, period_error) = match errors.get(&period_field) {
            Some((typed, message)) => (typed.clone(), Some(message.clone())),
            None => (
                marks_of
                    .get(&s.id)
                    .map_or(String::new(), |m| (*m).to_owned()),
                None,
            ),
        };
        rows.push(StudentRow {
            number: i + 1,
            name: s.full_name(),
            cells: row_cells,
            average: proposal
                .average
                .as_ref()
                .map_or("—".into(), |a| a.display()),
            explanation: proposal
                .average
                .as_ref()
                .map_or(String::new(), |a| a.explanation.clone()),
            proposed: proposal.mark.map_or("—".into(), |m| m.code()),
            below_minimum: proposal.below_minimum,
            period_field,
            period_value,
            period_error,
        });
    }
    Ok(JournalTable {
        t,
        school_id: sid,
        heading: v.heading,
        words: v.words,
        any_editable: v.open.contains(&true),
        period_editable: v.period_editable,
        columns: &columns,
        rows: &rows,
    }
    .render()?)
}

pub async fn journal_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<JournalQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::ViewJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let mut p = build(
        &state,
        &ctx,
        &school,
        q.journal.as_deref(),
        q.period.as_deref(),
        &HashMap::new(),
    )
    .await?;
    p.saved = q.saved;
    html(StatusCode::OK, &p)
}

/// Saves the cells that changed: a mark on the lesson's first work («Ответ на уроке» by
/// default), «н» for absent, «оп» for late, empty to clear. Every cell is checked on its own;
/// a refused cell keeps what was typed and says why, the others are saved.
pub async fn journal_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let reach = ctx.actor()?.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let default_type = default_work_type(&state, &school).await?;
    let mut saved = 0;
    let mut errors: HashMap<String, (String, String)> = HashMap::new();
    saved += period_marks_post(&state, &ctx, &school, &form, &mut errors).await?;
    for (name, value) in &form.0 {
        let Some(rest) = name.strip_prefix("c-") else {
            continue;
        };
        let was = form.one(&format!("o-{rest}"));
        if value.trim() == was.trim() {
            continue;
        }
        let (lesson, person) = cell_ids(rest)?;
        match save_cell(
            &state,
            &ctx,
            &school,
            default_type,
            (lesson, person),
            value,
            was,
            None,
        )
        .await?
        {
            Ok(_) => saved += 1,
            Err(message) => {
                errors.insert(name.clone(), (value.trim().to_owned(), message));
            }
        }
    }
    if errors.is_empty() {
        return Ok(crate::error::redirect(&format!(
            "/journal?school={}&journal={}&period={}&saved={saved}",
            school.id,
            form.one("journal"),
            form.one("period")
        ))
        .into_response());
    }
    let mut p = build(
        &state,
        &ctx,
        &school,
        Some(form.one("journal")),
        Some(form.one("period")),
        &errors,
    )
    .await?;
    p.saved = Some(saved);
    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// Period marks typed in the journal's last column (`p-{student}`, with the shown value in
/// `q-{student}`), or all proposals accepted at once (`op=accept`: every student still
/// without a period mark gets the proposed one where there is a basis for it — none below the
/// school's minimum of marks, and «н/а» is the teacher's own decision). Only the teacher of
/// the group in the subject sets them.
async fn period_marks_post(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    form: &FormPairs,
    errors: &mut HashMap<String, (String, String)>,
) -> Result<usize, AppError> {
    let accept = form.one("op") == "accept";
    let changed: Vec<(i64, String)> = form
        .0
        .iter()
        .filter_map(|(name, value)| {
            let person = name.strip_prefix("p-")?.parse::<i64>().ok()?;
            let was = form.one(&format!("q-{person}"));
            (value.trim() != was.trim()).then(|| (person, value.trim().to_owned()))
        })
        .collect();
    if changed.is_empty() && !accept {
        return Ok(0);
    }
    let (group, subject) =
        crate::journal::parse_journal_key(form.one("journal")).ok_or(AppError::NotFound)?;
    let period_id: i64 = form.one("period").parse().map_err(|_| AppError::NotFound)?;
    let mut refused = Vec::new();
    let saved = set_period_marks(
        state,
        ctx,
        school,
        (group, subject, period_id),
        changed,
        accept,
        &mut refused,
    )
    .await?;
    for (person, typed, message) in refused {
        errors.insert(format!("p-{person}"), (typed, message));
    }
    Ok(saved)
}

/// Sets period marks of a group in a subject (the teacher of it, while the period is open):
/// `changed` as typed (empty removes), and with `accept` every student still without one
/// gets the proposed mark where there is a basis for one (see [`Cells::proposal`]). A value
/// the subject refuses, or a closed period,
/// is put in `refused` as (student, typed, message); the rest is saved. Returns how many.
pub(crate) async fn set_period_marks(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    (group, subject, period_id): (i64, i64, i64),
    changed: Vec<(i64, String)>,
    accept: bool,
    refused: &mut Vec<(i64, String, String)>,
) -> Result<usize, AppError> {
    let actor = ctx.actor()?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let period = state
        .store
        .periods(school.id, study_year_of(today))
        .await?
        .into_iter()
        .find(|p| p.id == period_id);
    let teaches = state
        .store
        .teaches(school.id, actor.person_id, group, subject)
        .await?;
    if period.as_ref().is_some_and(|p| p.closed_at.is_some()) {
        for (person, typed) in changed {
            refused.push((person, typed, ctx.t().s("journal.period_closed").to_owned()));
        }
        return Ok(0);
    }
    let Some(period) = period.filter(|_| teaches) else {
        return Err(crate::routes::deny_object(
            state,
            ctx,
            "journal",
            &format!("{group}:{subject}:{period_id}"),
        )
        .await);
    };
    let settings = state.store.grading_settings(school.id).await?;
    let j = state
        .store
        .journal(
            school.id,
            group,
            subject,
            &period.start_date,
            &period.end_date,
        )
        .await?;
    let weights = weights_of(&state.store.work_types(school.id).await?);
    let grading = grading_of(state, school.id, group, subject).await?;
    let members: Vec<i64> = state
        .store
        .group_members(school.id, group)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    let existing: Vec<i64> = state
        .store
        .period_marks(school.id, period_id, subject)
        .await?
        .iter()
        .map(|m| m.person_id)
        .collect();
    let mut writes: Vec<(i64, Option<String>)> = Vec::new();
    for (person, typed) in changed {
        if !members.contains(&person) {
            return Err(
                crate::routes::deny_object(state, ctx, "student", &person.to_string()).await,
            );
        }
        if typed.is_empty() {
            writes.push((person, None));
            continue;
        }
        match parse_period_mark(&settings, grading, &typed) {
            Ok(v) => writes.push((person, Some(v.code()))),
            Err(key) => refused.push((person, typed, ctx.t().s(key).to_owned())),
        }
    }
    // The period's marks indexed once for every proposal below.
    let cells = Cells::new(&j, 0);
    if accept {
        for &person in &members {
            if existing.contains(&person) || writes.iter().any(|w| w.0 == person) {
                continue;
            }
            // Only where there is a basis: below the minimum nothing is proposed, and «н/а»
            // is the teacher's own decision.
            let proposal = cells.proposal(person, grading, &settings.rules, &weights);
            if let Some(mark) = proposal.mark.filter(|m| *m != MarkValue::NotAssessed) {
                writes.push((person, Some(mark.code())));
            }
        }
    }
    let mut saved = 0;
    for (person, value) in writes {
        let proposal = cells.proposal(person, grading, &settings.rules, &weights);
        let proposed = proposal.mark.map(|m| m.code());
        let audit = zhurnal_store::AuditEntry {
            school_id: Some(school.id),
            action: "journal.period_mark".into(),
            details: serde_json::json!({ "period_id": period_id, "subject_id": subject, "person_id": person, "value": value, "proposed": proposed }).to_string(),
            ..ctx.audit_base(state.clock.now_ms())
        };
        let write = zhurnal_store::PeriodMarkWrite {
            period_id,
            subject_id: subject,
            person_id: person,
            value: value.as_deref(),
            proposed: proposed.as_deref(),
            average_hundredths: proposal.average.as_ref().map(|a| i32::from(a.hundredths)),
            reason: "",
        };
        state
            .store
            .write_period_mark(school.id, &write, &audit)
            .await?;
        saved += 1;
    }
    Ok(saved)
}

/// Work type → its weight in averages.
pub(crate) fn weights_of(types: &[zhurnal_store::WorkTypeRow]) -> HashMap<i64, u8> {
    types
        .iter()
        .map(|w| (w.id, w.weight.clamp(0, 10) as u8))
        .collect()
}

fn cell_ids(rest: &str) -> Result<(i64, i64), AppError> {
    let mut ids = rest.split('-').map(|p| p.parse::<i64>().ok());
    match (ids.next(), ids.next(), ids.next()) {
        (Some(Some(lesson)), Some(Some(person)), None) => Ok((lesson, person)),
        _ => Err(AppError::BadRequest(format!("unknown cell {rest}"))),
    }
}

/// Saves one journal cell: a mark on the lesson's first work of the default type, «н»
/// (absent), «оп» (late) or nothing. `was` is what the person saw: if the cell holds
/// something else now (someone else changed it meanwhile), nothing is written and the
/// message says so — no one silently overwrites anyone. `Ok(Ok(shown))` is the cell's new
/// text; `Ok(Err(message))` a refusal in the person's language.
#[allow(clippy::too_many_arguments)]
async fn save_cell(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    default_type: i64,
    (lesson, person): (i64, i64),
    typed: &str,
    was: &str,
    key: Option<&str>,
) -> Result<Result<String, String>, AppError> {
    let t = ctx.t();
    let typed = typed.trim();
    let allowed = match may_change_or_why(state, ctx, school, lesson, Change::Result, "").await? {
        Ok(a) => a,
        Err(message) => return Ok(Err(message)),
    };
    if !state
        .store
        .member_on(
            school.id,
            allowed.lesson.group_id,
            person,
            &allowed.lesson.date,
        )
        .await?
    {
        return Err(crate::routes::deny_object(state, ctx, "student", &person.to_string()).await);
    }
    let j = state
        .store
        .journal(
            school.id,
            allowed.lesson.group_id,
            allowed.lesson.subject_id,
            &allowed.lesson.date,
            &allowed.lesson.date,
        )
        .await?;
    let held = Cells::new(&j, default_type).cell(lesson, person);
    let current = held.display();
    if current == typed {
        return Ok(Ok(current));
    }
    if current != was.trim() {
        return Ok(Err(format!(
            "{} «{current}»",
            t.s("journal.changed_meanwhile")
        )));
    }
    let asked = match CellText::parse(typed) {
        Ok(c) => c,
        Err(CellError::TwoMarks) => return Ok(Err(t.s("journal.two_marks").to_owned())),
        Err(CellError::MarkWhileAbsent) => {
            return Ok(Err(t.s("journal.mark_while_absent").to_owned()));
        }
    };
    let target = CellText::after(&held, &asked);
    // The mark is checked before anything is written: a refused mark changes nothing.
    let value = match &target.mark {
        Some(typed) if Some(typed) != held.mark.as_ref() => {
            let lesson = &allowed.lesson;
            let grading = grading_of(state, school.id, lesson.group_id, lesson.subject_id).await?;
            match parse_mark(&allowed.settings, grading, typed) {
                Ok(v) => Some(v.code()),
                Err(key) => return Ok(Err(t.s(key).to_owned())),
            }
        }
        other => other.clone(),
    };
    let audit = |action: &str| zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: action.into(),
        details: serde_json::json!({ "lesson_id": lesson, "person_id": person, "value": typed })
            .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    if target.attendance != held.attendance {
        let status = target.attendance.map(|a| match a {
            Attendance::Absent => ("absent", "unknown"),
            Attendance::Late => ("late", "unknown"),
        });
        state
            .store
            .write_absence(
                school.id,
                lesson,
                person,
                status,
                "",
                &audit("journal.absence"),
            )
            .await?;
    }
    if value != held.mark {
        let write = MarkWrite {
            lesson_id: lesson,
            work_id: None,
            work_type_id: default_type,
            person_id: person,
            value: value.as_deref(),
            comment: "",
            reason: "",
            idempotency_key: key,
        };
        state
            .store
            .write_mark(school.id, &write, &audit("journal.mark"))
            .await?;
    }
    Ok(Ok(CellText {
        mark: value,
        attendance: target.attendance,
    }
    .display()))
}

#[derive(Serialize)]
struct CellAnswer {
    /// What the cell shows now.
    value: String,
    /// Why nothing was written, in the person's language.
    error: Option<String>,
}

/// One cell saved as it is typed (the journal's script): the same rules as the form.
/// Answers JSON: 200 with the cell's text, or 422 with the reason (and nothing written).
pub async fn cell_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let reach = ctx.actor()?.reach(Action::EditJournal);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let default_type = default_work_type(&state, &school).await?;
    let (lesson, person) = cell_ids(form.one("cell").trim_start_matches("c-"))?;
    let key = Some(form.one("key")).filter(|k| !k.is_empty() && k.len() <= 100);
    let answer = save_cell(
        &state,
        &ctx,
        &school,
        default_type,
        (lesson, person),
        form.one("value"),
        form.one("was"),
        key,
    )
    .await?;
    let (status, body) = match answer {
        Ok(value) => (StatusCode::OK, CellAnswer { value, error: None }),
        Err(message) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            CellAnswer {
                value: form.one("value").trim().to_owned(),
                error: Some(message),
            },
        ),
    };
    Ok((status, axum::Json(body)).into_response())
}
