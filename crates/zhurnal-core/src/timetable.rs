//! The timetable (§2.6): weekly templates valid from a date, one-off changes on a date, and
//! the lesson instances derived from them and the calendar — exactly the lessons that take
//! place, which is what the journal shows.

use crate::calendar::Calendar;
use jiff::civil::{Date, Weekday};
use std::collections::{BTreeMap, HashMap};

/// A lesson place in the week: weekday and lesson number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot {
    /// 1 = Monday … 6 = Saturday.
    pub weekday: i8,
    pub number: i16,
}

/// One line of a weekly template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    /// The class or subgroup that has the lesson.
    pub group_id: i64,
    pub subject_id: i64,
    pub teacher_id: i64,
    pub room: String,
    pub slot: Slot,
}

/// A class's weekly template, in force from `valid_from` until the next template of the
/// same class starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub class_id: i64,
    pub valid_from: Date,
    pub entries: Vec<Entry>,
}

/// A one-off change on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Another teacher gives the lesson (замена).
    Substitute {
        date: Date,
        entry_id: i64,
        teacher_id: i64,
    },
    /// The lesson does not take place.
    Cancel { date: Date, entry_id: i64 },
    /// The lesson moves to another date and/or number (of the same group).
    Move {
        date: Date,
        entry_id: i64,
        to_date: Date,
        to_number: i16,
        room: Option<String>,
    },
    /// A lesson not in the template.
    Extra {
        id: i64,
        date: Date,
        number: i16,
        group_id: i64,
        subject_id: i64,
        teacher_id: i64,
        room: String,
    },
}

impl Change {
    pub fn date(&self) -> Date {
        match self {
            Change::Substitute { date, .. }
            | Change::Cancel { date, .. }
            | Change::Move { date, .. }
            | Change::Extra { date, .. } => *date,
        }
    }
}

/// Where a lesson instance comes from: its stable identity across re-derivations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    Template { entry_id: i64 },
    Extra { change_id: i64 },
}

/// A lesson that takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub date: Date,
    pub number: i16,
    pub group_id: i64,
    pub subject_id: i64,
    pub teacher_id: i64,
    pub room: String,
    pub origin: Origin,
    /// The template's teacher when a substitute gives the lesson.
    pub replaced_teacher: Option<i64>,
    /// The original date and number when the lesson was moved here.
    pub moved_from: Option<(Date, i16)>,
}

/// The classes a group belongs to (a subgroup's parent), and their grades.
pub trait Groups {
    /// The class of a group: itself for a class, the parent for a subgroup.
    fn class_of(&self, group_id: i64) -> Option<i64>;
    fn grade_of_class(&self, class_id: i64) -> Option<i16>;
}

impl Groups for HashMap<i64, (i64, i16)> {
    fn class_of(&self, group_id: i64) -> Option<i64> {
        self.get(&group_id).map(|g| g.0)
    }
    fn grade_of_class(&self, class_id: i64) -> Option<i16> {
        self.get(&class_id).map(|g| g.1)
    }
}

fn weekday_number(w: Weekday) -> i8 {
    w.to_monday_one_offset()
}

/// The template of a class in force on a date.
pub fn template_on(templates: &[Template], class_id: i64, date: Date) -> Option<&Template> {
    templates
        .iter()
        .filter(|t| t.class_id == class_id && t.valid_from <= date)
        .max_by_key(|t| t.valid_from)
}

/// The template in force on a date for each class that has one, by class id.
pub fn templates_in_force(templates: &[Template], date: Date) -> Vec<&Template> {
    let mut classes: Vec<i64> = templates.iter().map(|t| t.class_id).collect();
    classes.sort_unstable();
    classes.dedup();
    classes
        .into_iter()
        .filter_map(|c| template_on(templates, c, date))
        .collect()
}

/// Derives the lessons of `from..=to` for every class that has a template.
pub fn derive(
    calendar: &Calendar,
    templates: &[Template],
    changes: &[Change],
    groups: &impl Groups,
    from: Date,
    to: Date,
) -> Vec<Lesson> {
    // A lesson moved into the range comes from a date that may lie outside it: derive far
    // enough to see its source. A lesson moved out of the range stays in the result, so the
    // stored row (keyed by its original date) is updated rather than dropped.
    let in_range = |d: Date| d >= from && d <= to;
    let (mut lo, mut hi) = (from, to);
    for c in changes {
        if let Change::Move { date, to_date, .. } = c
            && in_range(*to_date)
        {
            lo = lo.min(*date);
            hi = hi.max(*date);
        }
    }
    let mut by_key: BTreeMap<(Date, i64, i16, Origin), Lesson> = BTreeMap::new();
    let mut classes: Vec<i64> = templates.iter().map(|t| t.class_id).collect();
    classes.sort_unstable();
    classes.dedup();
    for class_id in classes {
        let Some(grade) = groups.grade_of_class(class_id) else {
            continue;
        };
        for (date, timetable_of) in calendar.study_days(lo, hi, grade) {
            let Some(template) = template_on(templates, class_id, date) else {
                continue;
            };
            let wd = weekday_number(timetable_of);
            for e in template.entries.iter().filter(|e| e.slot.weekday == wd) {
                let lesson = Lesson {
                    date,
                    number: e.slot.number,
                    group_id: e.group_id,
                    subject_id: e.subject_id,
                    teacher_id: e.teacher_id,
                    room: e.room.clone(),
                    origin: Origin::Template { entry_id: e.id },
                    replaced_teacher: None,
                    moved_from: None,
                };
                by_key.insert((date, e.group_id, e.slot.number, lesson.origin), lesson);
            }
        }
    }
    let mut lessons: Vec<Lesson> = by_key.into_values().collect();
    // Changes in date order; a change only touches lessons that exist on its date.
    let mut ordered: Vec<&Change> = changes.iter().collect();
    ordered.sort_by_key(|c| c.date());
    for change in ordered {
        match change {
            Change::Substitute {
                date,
                entry_id,
                teacher_id,
            } => {
                if let Some(l) = find(&mut lessons, *date, *entry_id) {
                    if l.replaced_teacher.is_none() {
                        l.replaced_teacher = Some(l.teacher_id);
                    }
                    l.teacher_id = *teacher_id;
                }
            }
            Change::Cancel { date, entry_id } => {
                lessons.retain(|l| {
                    !(l.date == *date
                        && l.origin
                            == Origin::Template {
                                entry_id: *entry_id,
                            })
                });
            }
            Change::Move {
                date,
                entry_id,
                to_date,
                to_number,
                room,
            } => {
                if let Some(l) = find(&mut lessons, *date, *entry_id) {
                    l.moved_from = Some((l.date, l.number));
                    l.date = *to_date;
                    l.number = *to_number;
                    if let Some(r) = room {
                        l.room = r.clone();
                    }
                }
            }
            Change::Extra {
                id,
                date,
                number,
                group_id,
                subject_id,
                teacher_id,
                room,
            } => {
                let in_range = *date >= from && *date <= to;
                let grade = groups
                    .class_of(*group_id)
                    .and_then(|c| groups.grade_of_class(c));
                if in_range && grade.is_some() {
                    lessons.push(Lesson {
                        date: *date,
                        number: *number,
                        group_id: *group_id,
                        subject_id: *subject_id,
                        teacher_id: *teacher_id,
                        room: room.clone(),
                        origin: Origin::Extra { change_id: *id },
                        replaced_teacher: None,
                        moved_from: None,
                    });
                }
            }
        }
    }
    lessons.retain(|l| in_range(l.date) || l.moved_from.is_some_and(|(d, _)| in_range(d)));
    lessons.sort_by(|a, b| {
        (a.date, a.number, a.group_id, a.origin).cmp(&(b.date, b.number, b.group_id, b.origin))
    });
    lessons
}

fn find(lessons: &mut [Lesson], date: Date, entry_id: i64) -> Option<&mut Lesson> {
    lessons.iter_mut().find(|l| {
        l.moved_from.is_none() && l.date == date && l.origin == Origin::Template { entry_id }
    })
}

/// A double booking in a weekly template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// One teacher in two places at once.
    Teacher {
        slot: Slot,
        teacher_id: i64,
        entries: Vec<i64>,
    },
    /// A class (or one subgroup) with two lessons at once; two subgroups of a class may split
    /// the class, but a whole-class lesson excludes any subgroup lesson.
    Group {
        slot: Slot,
        class_id: i64,
        entries: Vec<i64>,
    },
    /// One room used twice.
    Room {
        slot: Slot,
        room: String,
        entries: Vec<i64>,
    },
}

/// Double bookings among entries in force at the same time (the templates of all classes).
pub fn conflicts(entries: &[Entry], groups: &impl Groups) -> Vec<Conflict> {
    let mut out = Vec::new();
    let mut by_slot: BTreeMap<Slot, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        by_slot.entry(e.slot).or_default().push(e);
    }
    for (slot, here) in by_slot {
        let mut teachers: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        let mut rooms: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut classes: BTreeMap<i64, Vec<&Entry>> = BTreeMap::new();
        for e in &here {
            teachers.entry(e.teacher_id).or_default().push(e.id);
            if !e.room.trim().is_empty() {
                rooms
                    .entry(e.room.trim().to_lowercase())
                    .or_default()
                    .push(e.id);
            }
            let class = groups.class_of(e.group_id).unwrap_or(e.group_id);
            classes.entry(class).or_default().push(e);
        }
        for (teacher_id, ids) in teachers {
            if ids.len() > 1 {
                out.push(Conflict::Teacher {
                    slot,
                    teacher_id,
                    entries: ids,
                });
            }
        }
        for (room, ids) in rooms {
            if ids.len() > 1 {
                out.push(Conflict::Room {
                    slot,
                    room,
                    entries: ids,
                });
            }
        }
        for (class_id, es) in classes {
            let whole = es.iter().filter(|e| e.group_id == class_id).count();
            let mut per_group: HashMap<i64, usize> = HashMap::new();
            for e in &es {
                *per_group.entry(e.group_id).or_default() += 1;
            }
            let clash = (whole >= 1 && es.len() > 1) || per_group.values().any(|n| *n > 1);
            if clash {
                out.push(Conflict::Group {
                    slot,
                    class_id,
                    entries: es.iter().map(|e| e.id).collect(),
                });
            }
        }
    }
    out
}

/// Weekly hours in a template against the teaching load: (group, subject, teacher) →
/// (hours in the template, hours in the load), only where they differ.
pub fn hours_against_load(
    entries: &[Entry],
    load: &[(i64, i64, i64, i16)],
) -> Vec<((i64, i64, i64), i16, i16)> {
    let mut planned: BTreeMap<(i64, i64, i64), (i16, i16)> = BTreeMap::new();
    for e in entries {
        planned
            .entry((e.group_id, e.subject_id, e.teacher_id))
            .or_default()
            .0 += 1;
    }
    for (group, subject, teacher, hours) in load {
        planned.entry((*group, *subject, *teacher)).or_default().1 += hours;
    }
    planned
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(k, (a, b))| (k, a, b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{StudyWeek, recommended};

    // Class 10 (grade 7) with subgroups 11 and 12; class 20 (grade 1).
    fn groups() -> HashMap<i64, (i64, i16)> {
        HashMap::from([(10, (10, 7)), (11, (10, 7)), (12, (10, 7)), (20, (20, 1))])
    }

    fn entry(
        id: i64,
        group_id: i64,
        weekday: i8,
        number: i16,
        subject_id: i64,
        teacher_id: i64,
        room: &str,
    ) -> Entry {
        Entry {
            id,
            group_id,
            subject_id,
            teacher_id,
            room: room.into(),
            slot: Slot { weekday, number },
        }
    }

    fn template() -> Template {
        Template {
            class_id: 10,
            valid_from: Date::constant(2026, 9, 1),
            entries: vec![
                entry(1, 10, 1, 1, 100, 500, "21"), // Monday 1: algebra
                entry(2, 10, 1, 2, 101, 501, "22"), // Monday 2: Russian
                entry(3, 11, 2, 1, 102, 502, "31"), // Tuesday 1: English, group A
                entry(4, 12, 2, 1, 102, 503, "32"), // Tuesday 1: English, group B
            ],
        }
    }

    fn week(from: Date, to: Date, changes: &[Change]) -> Vec<Lesson> {
        derive(
            &recommended(2026, StudyWeek::Five),
            &[template()],
            changes,
            &groups(),
            from,
            to,
        )
    }

    #[test]
    fn lessons_follow_the_template_and_the_calendar() {
        // 16–22 November 2026: an ordinary week.
        let lessons = week(
            Date::constant(2026, 11, 16),
            Date::constant(2026, 11, 22),
            &[],
        );
        assert_eq!(lessons.len(), 4);
        assert_eq!(lessons[0].date, Date::constant(2026, 11, 16));
        assert_eq!(
            (lessons[2].group_id, lessons[3].group_id),
            (11, 12),
            "both subgroups have English"
        );
        // 26 Oct – 1 Nov: the autumn break, no lessons.
        assert!(
            week(
                Date::constant(2026, 10, 26),
                Date::constant(2026, 11, 1),
                &[]
            )
            .is_empty()
        );
        // Before the template starts, and outside the year: nothing.
        assert!(
            week(
                Date::constant(2026, 8, 24),
                Date::constant(2026, 8, 31),
                &[]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_new_template_takes_over_from_its_date() {
        let mut second = template();
        second.valid_from = Date::constant(2026, 11, 23);
        second.entries = vec![entry(9, 10, 1, 3, 100, 500, "21")];
        let cal = recommended(2026, StudyWeek::Five);
        let lessons = derive(
            &cal,
            &[template(), second],
            &[],
            &groups(),
            Date::constant(2026, 11, 16),
            Date::constant(2026, 11, 29),
        );
        let numbers: Vec<(Date, i16)> = lessons
            .iter()
            .filter(|l| l.group_id == 10)
            .map(|l| (l.date, l.number))
            .collect();
        assert_eq!(
            numbers,
            vec![
                (Date::constant(2026, 11, 16), 1),
                (Date::constant(2026, 11, 16), 2),
                (Date::constant(2026, 11, 23), 3)
            ]
        );
    }

    #[test]
    fn substitution_cancellation_move_and_extra() {
        let monday = Date::constant(2026, 11, 16);
        let changes = vec![
            Change::Substitute {
                date: monday,
                entry_id: 1,
                teacher_id: 777,
            },
            Change::Cancel {
                date: monday,
                entry_id: 2,
            },
            Change::Move {
                date: Date::constant(2026, 11, 17),
                entry_id: 3,
                to_date: Date::constant(2026, 11, 18),
                to_number: 5,
                room: Some("40".into()),
            },
            Change::Extra {
                id: 1,
                date: Date::constant(2026, 11, 20),
                number: 6,
                group_id: 10,
                subject_id: 100,
                teacher_id: 500,
                room: "21".into(),
            },
        ];
        let lessons = week(monday, Date::constant(2026, 11, 22), &changes);
        let algebra = lessons
            .iter()
            .find(|l| l.origin == Origin::Template { entry_id: 1 })
            .unwrap();
        assert_eq!(
            (algebra.teacher_id, algebra.replaced_teacher),
            (777, Some(500)),
            "the substitute fills the lesson"
        );
        assert!(
            !lessons
                .iter()
                .any(|l| l.origin == Origin::Template { entry_id: 2 }),
            "cancelled"
        );
        let moved = lessons
            .iter()
            .find(|l| l.origin == Origin::Template { entry_id: 3 })
            .unwrap();
        assert_eq!(
            (moved.date, moved.number, moved.room.as_str()),
            (Date::constant(2026, 11, 18), 5, "40")
        );
        assert_eq!(moved.moved_from, Some((Date::constant(2026, 11, 17), 1)));
        assert!(
            lessons
                .iter()
                .any(|l| l.origin == Origin::Extra { change_id: 1 } && l.number == 6)
        );
        assert_eq!(lessons.len(), 4);
        // A change on a holiday changes nothing.
        let on_holiday = vec![Change::Substitute {
            date: Date::constant(2026, 11, 4),
            entry_id: 1,
            teacher_id: 777,
        }];
        assert_eq!(
            week(
                Date::constant(2026, 11, 2),
                Date::constant(2026, 11, 8),
                &on_holiday
            )
            .iter()
            .filter(|l| l.teacher_id == 777)
            .count(),
            0
        );
    }

    #[test]
    fn double_bookings_are_found() {
        let mut entries = template().entries;
        assert_eq!(
            conflicts(&entries, &groups()),
            vec![],
            "two subgroups may split the class"
        );
        // Teacher 500 also in class 20 at Monday 1, in the same room.
        entries.push(entry(5, 20, 1, 1, 100, 500, "21"));
        // A whole-class lesson on top of the subgroups on Tuesday 1.
        entries.push(entry(6, 10, 2, 1, 103, 504, "33"));
        let found = conflicts(&entries, &groups());
        let slot = |weekday, number| Slot { weekday, number };
        assert!(found.contains(&Conflict::Teacher {
            slot: slot(1, 1),
            teacher_id: 500,
            entries: vec![1, 5]
        }));
        assert!(found.contains(&Conflict::Room {
            slot: slot(1, 1),
            room: "21".into(),
            entries: vec![1, 5]
        }));
        assert!(found.contains(&Conflict::Group {
            slot: slot(2, 1),
            class_id: 10,
            entries: vec![3, 4, 6]
        }));
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn hours_are_compared_with_the_load() {
        let entries = template().entries;
        let load = vec![
            (10, 100, 500, 3),
            (10, 101, 501, 1),
            (11, 102, 502, 1),
            (12, 102, 503, 1),
        ];
        assert_eq!(
            hours_against_load(&entries, &load),
            vec![((10, 100, 500), 1, 3)]
        );
    }

    #[test]
    fn grade_one_never_studies_on_saturday() {
        let cal = recommended(2026, StudyWeek::Six);
        let t = Template {
            class_id: 20,
            valid_from: Date::constant(2026, 9, 1),
            entries: vec![entry(1, 20, 6, 1, 100, 500, "1")],
        };
        let lessons = derive(
            &cal,
            &[t],
            &[],
            &groups(),
            Date::constant(2026, 11, 16),
            Date::constant(2026, 11, 22),
        );
        assert!(lessons.is_empty());
    }

    #[test]
    fn moves_across_the_range_boundary() {
        // Moved from Friday 20 Nov (week 1) to Monday 23 Nov lesson 7 (week 2).
        let t = Template {
            class_id: 10,
            valid_from: Date::constant(2026, 9, 1),
            entries: vec![entry(1, 10, 5, 1, 100, 500, "21")],
        };
        let changes = vec![Change::Move {
            date: Date::constant(2026, 11, 20),
            entry_id: 1,
            to_date: Date::constant(2026, 11, 23),
            to_number: 7,
            room: None,
        }];
        let cal = recommended(2026, StudyWeek::Five);
        let week2 = derive(
            &cal,
            std::slice::from_ref(&t),
            &changes,
            &groups(),
            Date::constant(2026, 11, 23),
            Date::constant(2026, 11, 29),
        );
        let moved: Vec<(Date, i16)> = week2.iter().map(|l| (l.date, l.number)).collect();
        assert!(
            moved.contains(&(Date::constant(2026, 11, 23), 7)),
            "seen from the week it moved into: {moved:?}"
        );
        let week1 = derive(
            &cal,
            &[t],
            &changes,
            &groups(),
            Date::constant(2026, 11, 16),
            Date::constant(2026, 11, 22),
        );
        let l = week1
            .iter()
            .find(|l| l.moved_from.is_some())
            .expect("kept when seen from the week it left");
        assert_eq!(l.date, Date::constant(2026, 11, 23));
    }
}
