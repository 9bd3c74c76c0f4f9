//! The weekly timetable of one class edited in a grid (§2.6): lesson numbers down, school
//! days across, in each cell a line of the class's teaching load (subject and teacher, the
//! class or one of its subgroups) and a room; a second line per cell lets two subgroups split
//! the class. «Check» shows double bookings against the rest of the school and hours against
//! the load without saving; «Save» saves the week as a new template valid from the chosen
//! date and derives the lessons again. Works without JavaScript.

use super::auth::check_csrf;
use super::timetable::{Choice, pick_school};
use super::weeks::{Weeks, calendar_for, check_weeks, save_weeks};
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use zhurnal_core::Action;
use zhurnal_core::clock::{study_year_of, today_in};
use zhurnal_core::timetable::{Entry, Slot, template_on};
use zhurnal_store::{ClassRow, SchoolRow, short_name};

/// Lines per cell: the whole class, or two subgroups side by side.
const LINES: u8 = 2;
const MAX_ROOM: usize = 20;

pub struct GridLine {
    pub field: String,
    pub room_field: String,
    pub label: String,
    pub options: Vec<Choice>,
    pub room: String,
}

pub struct GridCell {
    pub lines: Vec<GridLine>,
    /// The cell holds two subgroup lessons (or an error): its second line is shown open.
    pub split: bool,
    pub errors: Vec<String>,
    pub error_id: String,
}

pub struct GridRow {
    pub number: i16,
    pub time: String,
    pub cells: Vec<GridCell>,
}

pub struct LoadLine {
    pub label: String,
    pub load: i32,
    pub in_grid: i32,
}

#[derive(Template)]
#[template(path = "grid.html")]
pub struct GridPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub classes: Vec<Choice>,
    pub class_id: i64,
    pub class_name: String,
    pub from: String,
    pub in_force: String,
    pub days: Vec<String>,
    pub rows: Vec<GridRow>,
    pub load: Vec<LoadLine>,
    pub checked: bool,
    pub summary: String,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub date_error: Option<&'static str>,
    pub done: bool,
}

#[derive(Deserialize, Default)]
pub struct GridQuery {
    school: Option<String>,
    class: Option<String>,
    from: Option<String>,
    done: Option<String>,
}

/// A choice of the grid: which group has which subject with which teacher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Pick {
    group: i64,
    subject: i64,
    teacher: i64,
}

impl Pick {
    fn value(&self) -> String {
        format!("{}-{}-{}", self.group, self.subject, self.teacher)
    }
    fn parse(raw: &str) -> Option<Pick> {
        let mut it = raw.split('-').map(|p| p.parse::<i64>().ok());
        let pick = Pick {
            group: it.next()??,
            subject: it.next()??,
            teacher: it.next()??,
        };
        it.next().is_none().then_some(pick)
    }
}

/// The negative id naming a new entry by its cell and line, and back.
fn cell_id(weekday: i8, number: i16, line: u8) -> i64 {
    -(i64::from(weekday) * 1000 + i64::from(number) * 10 + i64::from(line))
}

fn cell_of(id: i64) -> (i8, i16) {
    let id = -id;
    ((id / 1000) as i8, ((id % 1000) / 10) as i16)
}

fn cell_label(t: &Tr, weekday: i8, number: i16) -> String {
    format!(
        "{}, {} {number}",
        t.weekday_short(weekday),
        t.s("grid.lesson")
    )
}

/// Everything the grid of one class needs to know.
struct Setting {
    school: SchoolRow,
    classes: Vec<ClassRow>,
    class: ClassRow,
    /// The choices of the class's load, with their labels and weekly hours.
    picks: BTreeMap<Pick, (String, i32)>,
    bells: Vec<(i16, String)>,
}

async fn setting(
    state: &AppState,
    ctx: &Ctx,
    school: Option<&str>,
    class: Option<&str>,
    from: Date,
) -> Result<Setting, AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(state, ctx, &reach, school).await?;
    let classes = state
        .store
        .school_classes(school.id, study_year_of(from))
        .await?;
    let class = match class.filter(|s| !s.is_empty()) {
        Some(raw) => {
            let found = raw
                .parse::<i64>()
                .ok()
                .and_then(|id| classes.iter().find(|c| c.id == id));
            match found {
                Some(c) => c.clone(),
                None => {
                    return Err(crate::routes::deny_object(state, ctx, "class", raw).await);
                }
            }
        }
        None => classes.first().cloned().ok_or(AppError::NotFound)?,
    };
    let groups = state.store.group_classes(school.id).await?;
    let subgroups = state
        .store
        .subgroups(school.id, study_year_of(from))
        .await?;
    let mut picks = BTreeMap::new();
    for l in state.store.teaching_load(school.id).await? {
        if groups.get(&l.group_id).map(|g| g.0) != Some(class.id) {
            continue;
        }
        let group = subgroups
            .iter()
            .find(|g| g.id == l.group_id)
            .map(|g| format!(" ({})", g.name))
            .unwrap_or_default();
        let label = format!(
            "{}{group} · {}",
            l.subject_name,
            short_name(&l.last_name, &l.first_name, &l.middle_name)
        );
        let pick = Pick {
            group: l.group_id,
            subject: l.subject_id,
            teacher: l.teacher_id,
        };
        picks.entry(pick).or_insert((label, 0)).1 += l.hours_per_week;
    }
    let schedules = state.store.bell_schedules(school.id).await?;
    let shift = state
        .store
        .class_shifts(school.id)
        .await?
        .get(&class.id)
        .copied()
        .unwrap_or(1);
    let bells = zhurnal_core::bells::bells_for(&schedules, shift, 0)
        .iter()
        .map(|b| {
            (
                b.number,
                format!("{}–{}", b.start.strftime("%H:%M"), b.end.strftime("%H:%M")),
            )
        })
        .collect();
    Ok(Setting {
        school,
        classes,
        class,
        picks,
        bells,
    })
}

/// The grid's lines as placed: (weekday, number, line) → (pick, room).
type Placed = BTreeMap<(i8, i16, u8), (Pick, String)>;

fn page(
    ctx: &Ctx,
    s: &Setting,
    from: &str,
    in_force: String,
    placed: &Placed,
    cell_errors: &HashMap<(i8, i16), Vec<String>>,
) -> GridPage {
    let t = ctx.t();
    let days = s.school.study_week.clamp(5, 6) as i8;
    let max_placed = placed.keys().map(|k| k.1).max().unwrap_or(0);
    let numbers = (s.bells.len() as i16).max(max_placed).max(7);
    let mut rows = Vec::new();
    for number in 1..=numbers {
        let mut cells = Vec::new();
        for weekday in 1..=days {
            let here = cell_label(&t, weekday, number);
            let lines = (0..LINES)
                .map(|line| {
                    let chosen = placed.get(&(weekday, number, line));
                    let mut options: Vec<Choice> = s
                        .picks
                        .iter()
                        .map(|(p, (label, _))| Choice {
                            value: p.value(),
                            label: label.clone(),
                            selected: chosen.is_some_and(|c| c.0 == *p),
                        })
                        .collect();
                    // A line of the saved week that the load no longer has stays visible.
                    if let Some((p, _)) = chosen.filter(|c| !s.picks.contains_key(&c.0)) {
                        options.push(Choice {
                            value: p.value(),
                            label: t.s("grid.not_in_load").to_owned(),
                            selected: true,
                        });
                    }
                    GridLine {
                        field: format!("l-{weekday}-{number}-{line}"),
                        room_field: format!("r-{weekday}-{number}-{line}"),
                        label: if line == 0 {
                            here.clone()
                        } else {
                            format!("{here}, {}", t.s("grid.second_line"))
                        },
                        options,
                        room: chosen.map(|c| c.1.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            let errors = cell_errors
                .get(&(weekday, number))
                .cloned()
                .unwrap_or_default();
            cells.push(GridCell {
                split: !errors.is_empty()
                    || (1..LINES).any(|line| placed.contains_key(&(weekday, number, line))),
                lines,
                errors,
                error_id: format!("e-{weekday}-{number}"),
            });
        }
        rows.push(GridRow {
            number,
            time: s
                .bells
                .iter()
                .find(|b| b.0 == number)
                .map(|b| b.1.clone())
                .unwrap_or_default(),
            cells,
        });
    }
    let mut counts: HashMap<Pick, i32> = HashMap::new();
    for (p, _) in placed.values() {
        *counts.entry(*p).or_default() += 1;
    }
    GridPage {
        c: Chrome::new(ctx, t.s("grid.title"), "/setup/timetable/grid"),
        school_id: s.school.id,
        school_name: s.school.short_name.clone(),
        classes: s
            .classes
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: c.id == s.class.id,
            })
            .collect(),
        class_id: s.class.id,
        class_name: s.class.name.clone(),
        from: from.to_owned(),
        in_force,
        days: (1..=days).map(|d| t.weekday_short(d).to_owned()).collect(),
        rows,
        load: s
            .picks
            .iter()
            .map(|(p, (label, hours))| LoadLine {
                label: label.clone(),
                load: *hours,
                in_grid: counts.get(p).copied().unwrap_or(0),
            })
            .collect(),
        checked: false,
        summary: String::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        date_error: None,
        done: false,
    }
}

/// The Monday after today in the school's zone: a new week usually starts on one.
fn next_monday(today: Date) -> Date {
    let ahead = 8 - i64::from(today.weekday().to_monday_one_offset());
    today.checked_add(ahead.days()).unwrap_or(today)
}

pub async fn grid_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<GridQuery>,
) -> Result<Response, AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(&state, &ctx, &reach, q.school.as_deref()).await?;
    let today = today_in(state.clock.now(), &school.time_zone);
    let from = q
        .from
        .as_deref()
        .and_then(|f| f.trim().parse::<Date>().ok())
        .unwrap_or_else(|| next_monday(today));
    let school_raw = school.id.to_string();
    let s = setting(&state, &ctx, Some(&school_raw), q.class.as_deref(), from).await?;
    let templates = state.store.templates(school.id).await?;
    let current = template_on(&templates, s.class.id, from);
    let placed: Placed = current
        .map(|w| {
            w.entries
                .iter()
                .map(|e| {
                    let pick = Pick {
                        group: e.group_id,
                        subject: e.subject_id,
                        teacher: e.teacher_id,
                    };
                    (e.slot, pick, e.room.clone())
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .fold(BTreeMap::new(), |mut acc, (slot, pick, room)| {
            // The first free line of the cell.
            if let Some(line) =
                (0..LINES).find(|l| !acc.contains_key(&(slot.weekday, slot.number, *l)))
            {
                acc.insert((slot.weekday, slot.number, line), (pick, room));
            }
            acc
        });
    let in_force = current.map_or(String::new(), |w| w.valid_from.to_string());
    let mut p = page(
        &ctx,
        &s,
        &from.to_string(),
        in_force,
        &placed,
        &HashMap::new(),
    );
    p.done = q.done.is_some();
    html(StatusCode::OK, &p)
}

pub async fn grid_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let t = ctx.t();
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    let (school, _) = pick_school(&state, &ctx, &reach, Some(form.one("school"))).await?;
    let found = calendar_for(&state, school.id, form.one("from")).await?;
    // Classes are of the year the start date falls in; with a bad date, of this year.
    let year_date = match &found {
        Ok((d, _)) => *d,
        Err(_) => today_in(state.clock.now(), &school.time_zone),
    };
    let school_raw = school.id.to_string();
    let s = setting(
        &state,
        &ctx,
        Some(&school_raw),
        Some(form.one("class")),
        year_date,
    )
    .await?;
    let days = s.school.study_week.clamp(5, 6) as i8;
    // Read the grid back; a value not among the class's choices is refused at its cell.
    let mut placed: Placed = BTreeMap::new();
    let mut cell_errors: HashMap<(i8, i16), Vec<String>> = HashMap::new();
    for (name, value) in &form.0 {
        let Some(rest) = name.strip_prefix("l-") else {
            continue;
        };
        let mut parts = rest.split('-').map(|p| p.parse::<i64>().ok());
        let (Some(Some(weekday)), Some(Some(number)), Some(Some(line)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AppError::BadRequest(format!("unknown field {name}")));
        };
        if !(1..=i64::from(days)).contains(&weekday)
            || !(1..=12).contains(&number)
            || !(0..i64::from(LINES)).contains(&line)
        {
            return Err(AppError::BadRequest(format!("unknown field {name}")));
        }
        let (weekday, number, line) = (weekday as i8, number as i16, line as u8);
        if value.is_empty() {
            continue;
        }
        let room = form
            .one(&format!("r-{weekday}-{number}-{line}"))
            .trim()
            .to_owned();
        let Some(pick) = Pick::parse(value).filter(|p| s.picks.contains_key(p)) else {
            cell_errors
                .entry((weekday, number))
                .or_default()
                .push(t.s("grid.not_in_load").to_owned());
            continue;
        };
        if room.chars().count() > MAX_ROOM {
            cell_errors
                .entry((weekday, number))
                .or_default()
                .push(t.s("grid.room_too_long").to_owned());
        }
        placed.insert((weekday, number, line), (pick, room));
    }
    let in_force = form.one("in_force").to_owned();
    let mut p = page(&ctx, &s, form.one("from"), in_force, &placed, &cell_errors);
    p.checked = true;
    let (from, calendar) = match found {
        Ok(found) => found,
        Err(key) => {
            p.date_error = Some(t.s(key));
            p.errors.push(t.s(key).to_owned());
            return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    let mut weeks: Weeks = BTreeMap::new();
    let entries = weeks.entry(s.class.id).or_default();
    for ((weekday, number, line), (pick, room)) in &placed {
        entries.push(Entry {
            id: cell_id(*weekday, *number, *line),
            group_id: pick.group,
            subject_id: pick.subject,
            teacher_id: pick.teacher,
            room: room.clone(),
            slot: Slot {
                weekday: *weekday,
                number: *number,
            },
        });
    }
    let label = |id: i64| {
        let (weekday, number) = cell_of(id);
        cell_label(&t, weekday, number)
    };
    let checked = check_weeks(&state, &t, &s.school, from, &calendar, &weeks, &label).await?;
    // Errors by cell for the grid, and the full list above it.
    for (id, messages) in &checked.at {
        let cell = cell_of(*id);
        let mut here = messages.clone();
        here.retain(|m| !cell_errors.get(&cell).is_some_and(|e| e.contains(m)));
        cell_errors.entry(cell).or_default().extend(here);
    }
    let mut p = page(
        &ctx,
        &s,
        &from.to_string(),
        p.in_force,
        &placed,
        &cell_errors,
    );
    p.checked = true;
    for ((weekday, number), messages) in &cell_errors {
        if !checked
            .at
            .keys()
            .any(|id| cell_of(*id) == (*weekday, *number))
        {
            for m in messages {
                p.errors
                    .push(format!("{}: {m}", cell_label(&t, *weekday, *number)));
            }
        }
    }
    p.errors.extend(checked.errors);
    p.warnings = checked.warnings;
    if !p.errors.is_empty() || form.one("op") != "save" {
        let status = if p.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return html(status, &p);
    }
    let details = serde_json::json!({
        "class_id": s.class.id,
        "valid_from": from.to_string(),
        "lessons": placed.len(),
    });
    if let Err(key) = save_weeks(
        &state,
        &ctx,
        &s.school,
        (from, &calendar),
        weeks,
        "setup.timetable_grid",
        details,
    )
    .await?
    {
        p.errors.push(t.s(key).to_owned());
        return html(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    Ok(crate::error::redirect(&format!(
        "/setup/timetable/grid?school={}&class={}&from={from}&done=1",
        s.school.id, s.class.id
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_ids_round_trip_and_stay_negative() {
        for weekday in 1..=6 {
            for number in 1..=12 {
                for line in 0..LINES {
                    let id = cell_id(weekday, number, line);
                    assert!(id < 0);
                    assert_eq!(cell_of(id), (weekday, number));
                }
            }
        }
    }

    #[test]
    fn picks_parse_only_three_numbers() {
        let p = Pick {
            group: 3,
            subject: 14,
            teacher: 159,
        };
        assert_eq!(Pick::parse(&p.value()), Some(p));
        assert_eq!(Pick::parse("3-14"), None);
        assert_eq!(Pick::parse("3-14-159-2"), None);
        assert_eq!(Pick::parse("a-b-c"), None);
    }

    #[test]
    fn the_next_monday_is_after_today() {
        // 2026-11-28 is a Saturday; 2026-11-30 a Monday.
        assert_eq!(
            next_monday(Date::constant(2026, 11, 28)),
            Date::constant(2026, 11, 30)
        );
        assert_eq!(
            next_monday(Date::constant(2026, 11, 30)),
            Date::constant(2026, 12, 7)
        );
    }
}
