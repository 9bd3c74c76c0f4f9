//! The school's calendar, bells and timetable, and the lessons derived from them.
//!
//! Derived lessons are materialised in `lessons`, keyed by where they come from (`origin`,
//! `origin_date`), so re-deriving after an edit updates rows in place: a lesson keeps its id
//! and its journal data. A lesson that no longer takes place is deleted if it holds nothing,
//! and kept as `cancelled` if it has journal data (never silently dropped).

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, StoreError, on_read, on_write};
use jiff::civil::{Date, Time, Weekday};
use std::collections::HashMap;
use zhurnal_core::bells::{Bell, Schedule};
use zhurnal_core::calendar::{Calendar, Grades, Holiday, MovedDay, StudyWeek};
use zhurnal_core::timetable::{Change, Entry, Lesson, Origin, Slot, Template};

fn date(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|e| StoreError::Config(format!("bad date «{s}» in the database: {e}")))
}

fn time(s: &str) -> Result<Time> {
    s.parse()
        .map_err(|e| StoreError::Config(format!("bad time «{s}» in the database: {e}")))
}

fn weekday(n: i32) -> Weekday {
    Weekday::from_monday_one_offset(n.clamp(1, 7) as i8).unwrap_or(Weekday::Monday)
}

/// The key of a derived lesson: `entry:12` or `extra:5`.
pub fn origin_key(o: Origin) -> String {
    match o {
        Origin::Template { entry_id } => format!("entry:{entry_id}"),
        Origin::Extra { change_id } => format!("extra:{change_id}"),
    }
}

/// A lesson as the timetable pages show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LessonRow {
    pub id: i64,
    pub date: String,
    pub number: i32,
    pub group_id: i64,
    pub group_name: String,
    pub subject_id: i64,
    pub subject_name: String,
    pub teacher_id: Option<i64>,
    pub teacher_last_name: Option<String>,
    pub teacher_first_name: Option<String>,
    pub teacher_middle_name: Option<String>,
    pub room: String,
    pub status: String,
    pub replaced_teacher_id: Option<i64>,
    /// `entry:ID` for a lesson of the weekly template, `extra:ID` for an extra one.
    pub origin: String,
    /// The date the lesson has in the timetable; differs from `date` for a moved lesson.
    pub origin_date: String,
    /// The topic the teacher gave it in the journal ("" until then).
    pub topic: String,
    pub homework: String,
    /// When the homework is due (YYYY-MM-DD).
    pub homework_due: Option<String>,
}

impl LessonRow {
    /// «Иванова М. П.», or "" when the lesson has no teacher.
    pub fn teacher_short_name(&self) -> String {
        match (
            &self.teacher_last_name,
            &self.teacher_first_name,
            &self.teacher_middle_name,
        ) {
            (Some(a), Some(b), Some(c)) => crate::school::short_name(a, b, c),
            _ => String::new(),
        }
    }

    /// The template line of a lesson that stands where the timetable puts it (not moved,
    /// not extra): the lesson a one-off change can address.
    pub fn entry_in_place(&self) -> Option<i64> {
        if self.origin_date != self.date {
            return None;
        }
        self.origin.strip_prefix("entry:")?.parse().ok()
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ExistingLesson {
    id: i64,
    group_id: i64,
    subject_id: i64,
    origin: String,
    origin_date: String,
    date: String,
    number: i32,
    teacher_id: Option<i64>,
    room: String,
    status: String,
    replaced_teacher_id: Option<i64>,
    has_data: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct YearRow {
    start_date: String,
    end_date: String,
    study_week: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct HolidayRow {
    name: String,
    start_date: String,
    end_date: String,
    grades: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct MovedRow {
    date: String,
    kind: String,
    weekday: Option<i32>,
    name: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct EntryRow {
    id: i64,
    class_id: i64,
    valid_from: String,
    group_id: i64,
    weekday: i32,
    number: i32,
    subject_id: i64,
    teacher_id: i64,
    room: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    kind: String,
    date: String,
    entry_id: Option<i64>,
    teacher_id: Option<i64>,
    to_date: Option<String>,
    number: Option<i32>,
    room: Option<String>,
    group_id: Option<i64>,
    subject_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct GroupRow {
    id: i64,
    class_id: i64,
    parallel: Option<i32>,
}

/// A one-off change to record.
#[derive(Debug, Clone)]
pub struct NewChange {
    pub change: Change,
    pub reason: String,
    pub created_by: Option<i64>,
}

macro_rules! lesson_select {
    ($tail:literal) => {
        concat!(
            "SELECT l.id, l.date, l.number, l.edu_group_id AS group_id, ",
            "CASE WHEN pg.id IS NULL THEN g.name ELSE pg.name || ' ' || g.name END AS group_name, l.subject_id, s.name AS subject_name, ",
            "l.teacher_id, p.last_name AS teacher_last_name, p.first_name AS teacher_first_name, p.middle_name AS teacher_middle_name, ",
            "l.room, l.status, l.replaced_teacher_id, l.origin, l.origin_date, l.topic, l.homework, l.homework_due ",
            "FROM lessons l JOIN edu_groups g ON g.id = l.edu_group_id LEFT JOIN edu_groups pg ON pg.id = g.parent_id ",
            "JOIN subjects s ON s.id = l.subject_id ",
            "LEFT JOIN persons p ON p.id = l.teacher_id ",
            $tail
        )
    };
}

impl Store {
    /// The calendar of a school's academic year, if it has been set up.
    pub async fn calendar(&self, school_id: i64, study_year: i16) -> Result<Option<Calendar>> {
        let year = i32::from(study_year);
        let row: Option<YearRow> = on_read!(self, pool => sqlx::query_as(
            "SELECT y.start_date, y.end_date, s.study_week FROM academic_years y JOIN schools s ON s.id = y.school_id \
             WHERE y.school_id = $1 AND y.study_year = $2",
        )
        .bind(school_id)
        .bind(year)
        .fetch_optional(pool)
        .await?);
        let Some(row) = row else { return Ok(None) };
        let holidays: Vec<HolidayRow> = on_read!(self, pool => sqlx::query_as(
            "SELECT name, start_date, end_date, grades FROM holidays WHERE school_id = $1 AND study_year = $2 ORDER BY start_date, id",
        )
        .bind(school_id)
        .bind(year)
        .fetch_all(pool)
        .await?);
        let moved: Vec<MovedRow> = on_read!(self, pool => sqlx::query_as(
            "SELECT date, kind, weekday, name FROM moved_days WHERE school_id = $1 AND study_year = $2 ORDER BY date",
        )
        .bind(school_id)
        .bind(year)
        .fetch_all(pool)
        .await?);
        let mut cal = Calendar {
            start: date(&row.start_date)?,
            end: date(&row.end_date)?,
            week: if row.study_week == 6 {
                StudyWeek::Six
            } else {
                StudyWeek::Five
            },
            holidays: Vec::new(),
            moved: Vec::new(),
        };
        for h in holidays {
            cal.holidays.push(Holiday {
                name: h.name,
                start: date(&h.start_date)?,
                end: date(&h.end_date)?,
                grades: Grades(h.grades as u16),
            });
        }
        for m in moved {
            let d = date(&m.date)?;
            cal.moved.push(match (m.kind.as_str(), m.weekday) {
                ("working", Some(w)) => MovedDay::WorkingAs {
                    date: d,
                    weekday: weekday(w),
                },
                _ => MovedDay::DayOff {
                    date: d,
                    name: m.name,
                },
            });
        }
        Ok(Some(cal))
    }

    /// Replaces a school year's calendar as a whole (all or nothing), recording it.
    pub async fn save_calendar(
        &self,
        school_id: i64,
        study_year: i16,
        cal: &Calendar,
        audit: &AuditEntry,
    ) -> Result<()> {
        let year = i32::from(study_year);
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM academic_years WHERE school_id = $1 AND study_year = $2").bind(school_id).bind(year).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM holidays WHERE school_id = $1 AND study_year = $2").bind(school_id).bind(year).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM moved_days WHERE school_id = $1 AND study_year = $2").bind(school_id).bind(year).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO academic_years (school_id, study_year, start_date, end_date) VALUES ($1, $2, $3, $4)")
                .bind(school_id).bind(year).bind(cal.start.to_string()).bind(cal.end.to_string())
                .execute(&mut *tx).await?;
            sqlx::query("UPDATE schools SET study_week = $1 WHERE id = $2")
                .bind(if cal.week == StudyWeek::Six { 6 } else { 5 }).bind(school_id)
                .execute(&mut *tx).await?;
            for h in &cal.holidays {
                sqlx::query("INSERT INTO holidays (school_id, study_year, name, start_date, end_date, grades) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(school_id).bind(year).bind(&h.name).bind(h.start.to_string()).bind(h.end.to_string()).bind(i32::from(h.grades.0))
                    .execute(&mut *tx).await?;
            }
            for m in &cal.moved {
                let (d, kind, wd, name) = match m {
                    MovedDay::WorkingAs { date, weekday } => (*date, "working", Some(i32::from(weekday.to_monday_one_offset())), String::new()),
                    MovedDay::DayOff { date, name } => (*date, "day_off", None, name.clone()),
                };
                sqlx::query("INSERT INTO moved_days (school_id, study_year, date, kind, weekday, name) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(school_id).bind(year).bind(d.to_string()).bind(kind).bind(wd).bind(name)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The bell schedule of the first shift on every day.
    pub async fn bells(&self, school_id: i64) -> Result<Vec<Bell>> {
        Ok(self
            .bell_schedules(school_id)
            .await?
            .into_iter()
            .find(|s| s.shift == 1 && s.weekday.is_none())
            .map(|s| s.bells)
            .unwrap_or_default())
    }

    /// Every bell schedule of a school: per shift, on every day or on one weekday.
    pub async fn bell_schedules(&self, school_id: i64) -> Result<Vec<Schedule>> {
        let rows: Vec<(i32, Option<i32>, i32, String, String)> = on_read!(self, pool => sqlx::query_as(
            "SELECT s.shift, s.weekday, b.number, b.start_time, b.end_time FROM bells b JOIN bell_schedules s ON s.id = b.schedule_id \
             WHERE s.school_id = $1 ORDER BY s.shift, COALESCE(s.weekday, 0), b.number",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?);
        let mut out: Vec<Schedule> = Vec::new();
        for (shift, weekday, number, start, end) in rows {
            let (shift, weekday) = (shift as i8, weekday.map(|w| w as i8));
            let bell = Bell {
                number: number as i16,
                start: time(&start)?,
                end: time(&end)?,
            };
            match out.last_mut() {
                Some(s) if s.shift == shift && s.weekday == weekday => s.bells.push(bell),
                _ => out.push(Schedule {
                    shift,
                    weekday,
                    bells: vec![bell],
                }),
            }
        }
        Ok(out)
    }

    /// Saves the bells of a shift, on every day (`weekday: None`) or on one weekday.
    pub async fn save_bells(
        &self,
        school_id: i64,
        shift: i8,
        weekday: Option<i8>,
        bells: &[Bell],
        audit: &AuditEntry,
    ) -> Result<()> {
        let name = match weekday {
            None => format!("shift {shift}"),
            Some(w) => format!("shift {shift}, weekday {w}"),
        };
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM bell_schedules WHERE school_id = $1 AND shift = $2 AND COALESCE(weekday, 0) = $3",
            )
            .bind(school_id).bind(i32::from(shift)).bind(weekday.map_or(0, i32::from))
            .fetch_optional(&mut *tx).await?;
            let id: i64 = match found {
                Some(id) => id,
                None => sqlx::query_scalar(
                    "INSERT INTO bell_schedules (school_id, name, shift, weekday) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(school_id).bind(&name).bind(i32::from(shift)).bind(weekday.map(i32::from))
                .fetch_one(&mut *tx).await?,
            };
            sqlx::query("DELETE FROM bells WHERE schedule_id = $1").bind(id).execute(&mut *tx).await?;
            for b in bells {
                sqlx::query("INSERT INTO bells (school_id, schedule_id, number, start_time, end_time) VALUES ($1, $2, $3, $4, $5)")
                    .bind(school_id).bind(id).bind(i32::from(b.number))
                    .bind(b.start.strftime("%H:%M").to_string()).bind(b.end.strftime("%H:%M").to_string())
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit, "bell_schedule", id)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes a weekday's own bells (the shift's apply again) or a second shift's bells;
    /// `NotFound` when there are none.
    pub async fn delete_bells(
        &self,
        school_id: i64,
        shift: i8,
        weekday: Option<i8>,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM bell_schedules WHERE school_id = $1 AND shift = $2 AND COALESCE(weekday, 0) = $3",
            )
            .bind(school_id).bind(i32::from(shift)).bind(weekday.map_or(0, i32::from))
            .fetch_optional(&mut *tx).await?;
            let Some(id) = found else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("DELETE FROM bells WHERE schedule_id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM bell_schedules WHERE id = $1").bind(id).execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "bell_schedule", id)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Classes and subgroups of a school: group → (its class, the class's parallel).
    pub async fn group_classes(&self, school_id: i64) -> Result<HashMap<i64, (i64, i16)>> {
        let rows: Vec<GroupRow> = on_read!(self, pool => sqlx::query_as(
            "SELECT g.id, COALESCE(g.parent_id, g.id) AS class_id, COALESCE(p.parallel, g.parallel) AS parallel \
             FROM edu_groups g LEFT JOIN edu_groups p ON p.id = g.parent_id WHERE g.school_id = $1",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .filter_map(|r| Some((r.id, (r.class_id, r.parallel? as i16))))
            .collect())
    }

    /// Every weekly template of the school with its entries.
    pub async fn templates(&self, school_id: i64) -> Result<Vec<Template>> {
        let rows: Vec<EntryRow> = on_read!(self, pool => sqlx::query_as(
            "SELECT e.id, t.class_id, t.valid_from, e.group_id, e.weekday, e.number, e.subject_id, e.teacher_id, e.room \
             FROM timetable_templates t JOIN timetable_entries e ON e.template_id = t.id \
             WHERE t.school_id = $1 ORDER BY t.class_id, t.valid_from, e.weekday, e.number, e.id",
        )
        .bind(school_id)
        .fetch_all(pool)
        .await?);
        let mut out: Vec<Template> = Vec::new();
        for r in rows {
            let valid_from = date(&r.valid_from)?;
            let entry = Entry {
                id: r.id,
                group_id: r.group_id,
                subject_id: r.subject_id,
                teacher_id: r.teacher_id,
                room: r.room,
                slot: Slot {
                    weekday: r.weekday as i8,
                    number: r.number as i16,
                },
            };
            match out.last_mut() {
                Some(t) if t.class_id == r.class_id && t.valid_from == valid_from => {
                    t.entries.push(entry)
                }
                _ => out.push(Template {
                    class_id: r.class_id,
                    valid_from,
                    entries: vec![entry],
                }),
            }
        }
        Ok(out)
    }

    /// Saves weekly templates with their entries (ids as given), e.g. the demo's.
    pub async fn insert_templates(
        &self,
        school_id: i64,
        templates: &[Template],
        now: i64,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            for t in templates {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO timetable_templates (school_id, class_id, valid_from, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(school_id).bind(t.class_id).bind(t.valid_from.to_string()).bind(now)
                .fetch_one(&mut *tx).await?;
                for chunk in t.entries.chunks(200) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO timetable_entries (id, school_id, template_id, group_id, weekday, number, subject_id, teacher_id, room) ",
                    );
                    qb.push_values(chunk, |mut b, e| {
                        b.push_bind(e.id).push_bind(school_id).push_bind(id).push_bind(e.group_id)
                            .push_bind(i32::from(e.slot.weekday)).push_bind(i32::from(e.slot.number))
                            .push_bind(e.subject_id).push_bind(e.teacher_id).push_bind(&e.room);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        });
        if let crate::Db::Postgres(pool) = &self.db {
            sqlx::query("SELECT setval(pg_get_serial_sequence('timetable_entries', 'id'), COALESCE((SELECT MAX(id) FROM timetable_entries), 0) + 1, false)")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Saves new weekly templates of several classes, all valid from the same date, in one
    /// transaction (an import is all or nothing). A template of the same class and date is
    /// replaced, unless one-off changes refer to its lines (then: `Conflict`).
    pub async fn save_templates(
        &self,
        school_id: i64,
        valid_from: Date,
        weeks: &[(i64, Vec<Entry>)],
        audit: &AuditEntry,
    ) -> Result<()> {
        let from = valid_from.to_string();
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            for (class_id, entries) in weeks {
                let old: Option<i64> = sqlx::query_scalar("SELECT id FROM timetable_templates WHERE school_id = $1 AND class_id = $2 AND valid_from = $3")
                    .bind(school_id).bind(class_id).bind(&from)
                    .fetch_optional(&mut *tx).await?;
                let template = match old {
                    Some(id) => {
                        let referenced: i64 = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM timetable_changes c JOIN timetable_entries e ON e.id = c.entry_id WHERE e.template_id = $1",
                        )
                        .bind(id).fetch_one(&mut *tx).await?;
                        if referenced > 0 {
                            return Err(StoreError::Conflict("timetable_changes_entry".into()));
                        }
                        sqlx::query("DELETE FROM timetable_entries WHERE template_id = $1").bind(id).execute(&mut *tx).await?;
                        id
                    }
                    None => sqlx::query_scalar(
                        "INSERT INTO timetable_templates (school_id, class_id, valid_from, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(school_id).bind(class_id).bind(&from).bind(audit.at)
                    .fetch_one(&mut *tx).await?,
                };
                for chunk in entries.chunks(200) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO timetable_entries (school_id, template_id, group_id, weekday, number, subject_id, teacher_id, room) ",
                    );
                    qb.push_values(chunk, |mut b, e| {
                        b.push_bind(school_id).push_bind(template).push_bind(e.group_id)
                            .push_bind(i32::from(e.slot.weekday)).push_bind(i32::from(e.slot.number))
                            .push_bind(e.subject_id).push_bind(e.teacher_id).push_bind(&e.room);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
            }
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// One-off changes of a school dated within `from..=to`.
    pub async fn changes(&self, school_id: i64, from: Date, to: Date) -> Result<Vec<Change>> {
        let rows: Vec<ChangeRow> = on_read!(self, pool => sqlx::query_as(
            "SELECT id, kind, date, entry_id, teacher_id, to_date, number, room, group_id, subject_id FROM timetable_changes \
             WHERE school_id = $1 AND ((date >= $2 AND date <= $3) OR (to_date >= $2 AND to_date <= $3)) ORDER BY date, id",
        )
        .bind(school_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(pool)
        .await?);
        let mut out = Vec::new();
        for r in rows {
            let d = date(&r.date)?;
            let change = match (r.kind.as_str(), r.entry_id) {
                ("substitute", Some(entry_id)) => Change::Substitute {
                    date: d,
                    entry_id,
                    teacher_id: r.teacher_id.unwrap_or_default(),
                },
                ("cancel", Some(entry_id)) => Change::Cancel { date: d, entry_id },
                ("move", Some(entry_id)) => Change::Move {
                    date: d,
                    entry_id,
                    to_date: r.to_date.as_deref().map(date).transpose()?.unwrap_or(d),
                    to_number: r.number.unwrap_or(1) as i16,
                    room: r.room,
                },
                _ => Change::Extra {
                    id: r.id,
                    date: d,
                    number: r.number.unwrap_or(1) as i16,
                    group_id: r.group_id.unwrap_or_default(),
                    subject_id: r.subject_id.unwrap_or_default(),
                    teacher_id: r.teacher_id.unwrap_or_default(),
                    room: r.room.unwrap_or_default(),
                },
            };
            out.push(change);
        }
        Ok(out)
    }

    /// Records a one-off change. The caller re-derives the affected dates afterwards.
    pub async fn add_change(
        &self,
        school_id: i64,
        c: &NewChange,
        audit: &AuditEntry,
    ) -> Result<i64> {
        let (kind, d, entry, teacher, to_date, number, room, group, subject) = match &c.change {
            Change::Substitute {
                date,
                entry_id,
                teacher_id,
            } => (
                "substitute",
                *date,
                Some(*entry_id),
                Some(*teacher_id),
                None,
                None,
                None,
                None,
                None,
            ),
            Change::Cancel { date, entry_id } => (
                "cancel",
                *date,
                Some(*entry_id),
                None,
                None,
                None,
                None,
                None,
                None,
            ),
            Change::Move {
                date,
                entry_id,
                to_date,
                to_number,
                room,
            } => (
                "move",
                *date,
                Some(*entry_id),
                None,
                Some(to_date.to_string()),
                Some(i32::from(*to_number)),
                room.clone(),
                None,
                None,
            ),
            Change::Extra {
                date,
                number,
                group_id,
                subject_id,
                teacher_id,
                room,
                ..
            } => (
                "extra",
                *date,
                None,
                Some(*teacher_id),
                None,
                Some(i32::from(*number)),
                Some(room.clone()),
                Some(*group_id),
                Some(*subject_id),
            ),
        };
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO timetable_changes (school_id, kind, date, entry_id, teacher_id, to_date, number, room, group_id, subject_id, reason, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(school_id).bind(kind).bind(d.to_string()).bind(entry).bind(teacher).bind(to_date).bind(number)
            .bind(room).bind(group).bind(subject).bind(&c.reason).bind(c.created_by).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "timetable_change", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Makes the stored lessons of `from..=to` equal to `derived` (for the groups of the
    /// school), in one transaction that also reads the current rows, so two re-derivations
    /// of one school never interleave (SQLite has one writer; PostgreSQL takes a per-school
    /// advisory lock). Returns (inserted, updated, removed, kept as cancelled).
    pub async fn sync_lessons(
        &self,
        school_id: i64,
        from: Date,
        to: Date,
        derived: &[Lesson],
        now: i64,
    ) -> Result<(usize, usize, usize, usize)> {
        let postgres = self.backend() == "postgres";
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(school_id).execute(&mut *tx).await?;
            }
            let existing: Vec<ExistingLesson> = sqlx::query_as(
                "SELECT l.id, l.edu_group_id AS group_id, l.subject_id, l.origin, l.origin_date, l.date, l.number, l.teacher_id, l.room, l.status, l.replaced_teacher_id, \
                        (EXISTS (SELECT 1 FROM works w WHERE w.lesson_id = l.id) OR EXISTS (SELECT 1 FROM lesson_log_entries a WHERE a.lesson_id = l.id) OR l.topic <> '' OR l.homework <> '') AS has_data \
                 FROM lessons l WHERE l.school_id = $1 AND l.origin <> '' AND ((l.origin_date >= $2 AND l.origin_date <= $3) OR (l.date >= $2 AND l.date <= $3))",
            )
            .bind(school_id)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&mut *tx)
            .await?;
            let plan = plan_sync(existing, derived);
            for chunk in plan.inserts.chunks(300) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO lessons (school_id, edu_group_id, subject_id, teacher_id, date, number, room, replaced_teacher_id, origin, origin_date, created_at) ",
                );
                qb.push_values(chunk, |mut b, (l, origin, origin_date)| {
                    b.push_bind(school_id).push_bind(l.group_id).push_bind(l.subject_id).push_bind(l.teacher_id)
                        .push_bind(l.date.to_string()).push_bind(i32::from(l.number)).push_bind(&l.room)
                        .push_bind(l.replaced_teacher).push_bind(origin).push_bind(origin_date).push_bind(now);
                });
                qb.build().execute(&mut *tx).await?;
            }
            for (id, l, origin, origin_date) in &plan.updates {
                // A lesson that takes place again is no longer cancelled; "held" stays held.
                sqlx::query(
                    "UPDATE lessons SET date = $1, number = $2, teacher_id = $3, room = $4, replaced_teacher_id = $5, \
                     status = CASE WHEN status = 'cancelled' THEN 'planned' ELSE status END, \
                     origin = $6, origin_date = $7 WHERE id = $8 AND school_id = $9",
                )
                .bind(l.date.to_string())
                .bind(i32::from(l.number))
                .bind(l.teacher_id)
                .bind(&l.room)
                .bind(l.replaced_teacher)
                .bind(origin)
                .bind(origin_date)
                .bind(id)
                .bind(school_id)
                .execute(&mut *tx)
                .await?;
            }
            let (mut removed, mut kept) = (0, 0);
            for e in &plan.gone {
                if e.has_data {
                    if e.status != "cancelled" {
                        sqlx::query("UPDATE lessons SET status = 'cancelled' WHERE id = $1 AND school_id = $2").bind(e.id).bind(school_id).execute(&mut *tx).await?;
                    }
                    kept += 1;
                } else {
                    sqlx::query(
                        "DELETE FROM lessons WHERE id = $1 AND school_id = $2 AND topic = '' AND homework = '' \
                         AND NOT EXISTS (SELECT 1 FROM works w WHERE w.lesson_id = lessons.id) \
                         AND NOT EXISTS (SELECT 1 FROM lesson_log_entries a WHERE a.lesson_id = lessons.id)",
                    )
                    .bind(e.id)
                    .bind(school_id)
                    .execute(&mut *tx)
                    .await?;
                    removed += 1;
                }
            }
            tx.commit().await?;
            Ok((plan.inserts.len(), plan.updates.len(), removed, kept))
        })
    }

    /// The subjects of a school, by name.
    pub async fn school_subjects(&self, school_id: i64) -> Result<Vec<(i64, String)>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM subjects WHERE school_id = $1 ORDER BY name")
            .bind(school_id)
            .fetch_all(pool)
            .await?))
    }

    /// Lessons of a class (and its subgroups) in a date range, in order.
    pub async fn class_lessons(
        &self,
        school_id: i64,
        class_id: i64,
        from: Date,
        to: Date,
    ) -> Result<Vec<LessonRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LessonRow>(lesson_select!(
            // The class's groups first, so the (school, group, date) index finds the week.
            "WHERE l.school_id = $1 AND l.edu_group_id IN (SELECT id FROM edu_groups WHERE school_id = $1 AND (id = $2 OR parent_id = $2)) \
             AND l.date >= $3 AND l.date <= $4 ORDER BY l.date, l.number, g.name"
        ))
        .bind(school_id)
        .bind(class_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(pool)
        .await?))
    }

    /// Lessons a teacher gives (or was replaced in) in a date range.
    pub async fn teacher_lessons(
        &self,
        school_id: i64,
        teacher_id: i64,
        from: Date,
        to: Date,
    ) -> Result<Vec<LessonRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, LessonRow>(lesson_select!(
            "WHERE l.school_id = $1 AND (l.teacher_id = $2 OR l.replaced_teacher_id = $2) AND l.date >= $3 AND l.date <= $4 ORDER BY l.date, l.number"
        ))
        .bind(school_id)
        .bind(teacher_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(pool)
        .await?))
    }
}

/// What re-deriving changes: new lessons, updated ones (by id, with their new origin), and
/// stored ones that no longer take place.
struct SyncPlan<'a> {
    inserts: Vec<(&'a Lesson, String, String)>,
    updates: Vec<(i64, &'a Lesson, String, String)>,
    gone: Vec<ExistingLesson>,
}

fn plan_sync(existing: Vec<ExistingLesson>, derived: &[Lesson]) -> SyncPlan<'_> {
    let mut by_key: HashMap<(String, String), ExistingLesson> = existing
        .into_iter()
        .map(|e| ((e.origin.clone(), e.origin_date.clone()), e))
        .collect();
    let mut plan = SyncPlan {
        inserts: Vec::new(),
        updates: Vec::new(),
        gone: Vec::new(),
    };
    let mut unmatched = Vec::new();
    for l in derived {
        let origin = origin_key(l.origin);
        let origin_date = l.moved_from.map_or(l.date, |(d, _)| d).to_string();
        match by_key.remove(&(origin.clone(), origin_date.clone())) {
            Some(e) => {
                let same = e.date == l.date.to_string()
                    && e.number == i32::from(l.number)
                    && e.teacher_id == Some(l.teacher_id)
                    && e.room == l.room
                    && e.replaced_teacher_id == l.replaced_teacher
                    && e.status != "cancelled";
                if !same {
                    plan.updates.push((e.id, l, origin, origin_date));
                }
            }
            None => unmatched.push((l, origin, origin_date)),
        }
    }
    // A rewritten template line gives the same lesson a new origin: it takes over the stored
    // lesson of the same kind (template or extra), group, subject, date and number, keeping
    // its id and its journal data.
    let kind = |origin: &str| origin.split(':').next().unwrap_or("").to_owned();
    let mut rest: Vec<ExistingLesson> = by_key.into_values().collect();
    for (l, origin, origin_date) in unmatched {
        let same_lesson = rest.iter().position(|e| {
            kind(&e.origin) == kind(&origin)
                && e.group_id == l.group_id
                && e.subject_id == l.subject_id
                && e.date == l.date.to_string()
                && e.number == i32::from(l.number)
        });
        match same_lesson {
            Some(pos) => {
                let e = rest.swap_remove(pos);
                plan.updates.push((e.id, l, origin, origin_date));
            }
            None => plan.inserts.push((l, origin, origin_date)),
        }
    }
    plan.gone = rest;
    plan
}

impl Store {
    /// Derives the lessons of a school for `from..=to` (within one academic year) from the
    /// calendar, the weekly templates of that year's classes and the one-off changes, and
    /// stores them.
    pub async fn derive_lessons(
        &self,
        school_id: i64,
        from: Date,
        to: Date,
        now_ms: i64,
    ) -> Result<()> {
        let year = zhurnal_core::clock::study_year_of(from);
        let Some(calendar) = self.calendar(school_id, year).await? else {
            return Ok(());
        };
        // Only the classes of this academic year have lessons in it: last year's weekly
        // templates stay in force for last year's classes, which end with their year.
        let year_classes: std::collections::HashSet<i64> = self
            .school_classes(school_id, year)
            .await?
            .iter()
            .map(|c| c.id)
            .collect();
        let mut templates = self.templates(school_id).await?;
        templates.retain(|t| year_classes.contains(&t.class_id));
        // Moves reach across dates: read the changes of the whole year so none is missed.
        let changes = self
            .changes(school_id, calendar.start, calendar.end)
            .await?;
        let groups = self.group_classes(school_id).await?;
        let lessons =
            zhurnal_core::timetable::derive(&calendar, &templates, &changes, &groups, from, to);
        self.sync_lessons(school_id, from, to, &lessons, now_ms)
            .await?;
        Ok(())
    }

    /// Marks a school year's lessons as possibly out of date, before an edit commits.
    pub async fn mark_lessons_stale(
        &self,
        school_id: i64,
        study_year: i16,
        now_ms: i64,
    ) -> Result<()> {
        on_write!(self, pool => {
            sqlx::query(
                "INSERT INTO lesson_repairs (school_id, study_year, marked_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (school_id, study_year) DO NOTHING",
            )
            .bind(school_id).bind(i32::from(study_year)).bind(now_ms)
            .execute(pool).await?;
        });
        Ok(())
    }

    /// Clears the mark once the lessons are derived again.
    pub async fn clear_lessons_stale(&self, school_id: i64, study_year: i16) -> Result<()> {
        on_write!(self, pool => {
            sqlx::query("DELETE FROM lesson_repairs WHERE school_id = $1 AND study_year = $2")
                .bind(school_id).bind(i32::from(study_year))
                .execute(pool).await?;
        });
        Ok(())
    }

    /// (school, academic year) pairs whose lessons are marked as possibly out of date.
    pub async fn stale_lessons(&self) -> Result<Vec<(i64, i16)>> {
        let rows: Vec<(i64, i32)> = on_read!(self, pool => sqlx::query_as(
            "SELECT school_id, study_year FROM lesson_repairs ORDER BY school_id, study_year",
        )
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(|(s, y)| (s, y as i16)).collect())
    }

    /// Derives again the whole academic year of every marked school (or of the given ones,
    /// marked or not) and clears the marks. Returns the (school, year) pairs repaired.
    pub async fn repair_lessons(
        &self,
        only: Option<(i64, i16)>,
        now_ms: i64,
    ) -> Result<Vec<(i64, i16)>> {
        let targets = match only {
            Some(one) => vec![one],
            None => self.stale_lessons().await?,
        };
        let mut done = Vec::new();
        for (school_id, year) in targets {
            if let Some(calendar) = self.calendar(school_id, year).await? {
                self.derive_lessons(school_id, calendar.start, calendar.end, now_ms)
                    .await?;
            }
            self.clear_lessons_stale(school_id, year).await?;
            done.push((school_id, year));
        }
        Ok(done)
    }
}
