//! The academic calendar of a school: when the year runs, which days are holidays, which
//! weekends are moved working days, and the reporting periods (DOMAIN.md §3).
//!
//! Everything is calendar dates in the school's own zone; no instants here.

use jiff::civil::{Date, Weekday};

/// Grades 1–11 as a bit set: a holiday or a period can apply to some grades only
/// (the extra grade-1 holiday; half-years for 10–11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grades(pub u16);

impl Grades {
    pub const ALL: Grades = Grades(0b1111_1111_1110);

    pub fn only(grade: i16) -> Grades {
        Grades::range(grade, grade)
    }

    /// Grades `from..=to`, clamped to 1–11.
    pub fn range(from: i16, to: i16) -> Grades {
        let mut bits = 0u16;
        for g in from.max(1)..=to.min(11) {
            bits |= 1 << g;
        }
        Grades(bits)
    }

    pub fn contains(self, grade: i16) -> bool {
        (1..=11).contains(&grade) && self.0 & (1 << grade) != 0
    }

    /// «1–4, 9», for people.
    pub fn describe(self) -> String {
        let mut parts = Vec::new();
        let mut g = 1;
        while g <= 11 {
            if self.contains(g) {
                let start = g;
                while g < 11 && self.contains(g + 1) {
                    g += 1;
                }
                parts.push(if start == g {
                    start.to_string()
                } else {
                    format!("{start}–{g}")
                });
            }
            g += 1;
        }
        parts.join(", ")
    }
}

/// Five or six study days a week (the school's choice; grade 1 always studies five).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudyWeek {
    Five,
    Six,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub name: String,
    pub start: Date,
    pub end: Date,
    pub grades: Grades,
}

/// A change to the usual week: a weekend day worked on the timetable of a given weekday, or
/// a weekday off (a public holiday or a transferred day off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MovedDay {
    WorkingAs { date: Date, weekday: Weekday },
    DayOff { date: Date, name: String },
}

/// What a date is for one grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// A study day, following the timetable of `timetable_of`.
    Study {
        timetable_of: Weekday,
    },
    Weekend,
    Holiday {
        name: String,
    },
    OutsideYear,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The first and last study day of the year.
    pub start: Date,
    pub end: Date,
    pub week: StudyWeek,
    pub holidays: Vec<Holiday>,
    pub moved: Vec<MovedDay>,
}

impl Calendar {
    pub fn day(&self, date: Date, grade: i16) -> DayKind {
        if date < self.start || date > self.end {
            return DayKind::OutsideYear;
        }
        for m in &self.moved {
            match m {
                MovedDay::DayOff { date: d, name } if *d == date => {
                    return DayKind::Holiday { name: name.clone() };
                }
                _ => {}
            }
        }
        if let Some(h) = self
            .holidays
            .iter()
            .find(|h| h.grades.contains(grade) && h.start <= date && date <= h.end)
        {
            return DayKind::Holiday {
                name: h.name.clone(),
            };
        }
        for m in &self.moved {
            if let MovedDay::WorkingAs { date: d, weekday } = m
                && *d == date
            {
                return DayKind::Study {
                    timetable_of: *weekday,
                };
            }
        }
        let weekday = date.weekday();
        let six = self.week == StudyWeek::Six && grade != 1;
        match weekday {
            Weekday::Sunday => DayKind::Weekend,
            Weekday::Saturday if !six => DayKind::Weekend,
            w => DayKind::Study { timetable_of: w },
        }
    }

    /// Study days in `from..=to` for a grade, with the weekday whose timetable applies.
    pub fn study_days(&self, from: Date, to: Date, grade: i16) -> Vec<(Date, Weekday)> {
        let mut out = Vec::new();
        let mut d = from.max(self.start);
        let last = to.min(self.end);
        while d <= last {
            if let DayKind::Study { timetable_of } = self.day(d, grade) {
                out.push((d, timetable_of));
            }
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        out
    }

    /// Problems a deputy must fix before saving: reversed ranges, holidays outside the year,
    /// moved days that do not move anything.
    pub fn check(&self) -> Vec<CalendarError> {
        let mut errors = Vec::new();
        if self.start > self.end {
            errors.push(CalendarError::YearReversed);
        }
        for (i, h) in self.holidays.iter().enumerate() {
            if h.start > h.end {
                errors.push(CalendarError::HolidayReversed(i));
            } else if h.end < self.start || h.start > self.end {
                errors.push(CalendarError::HolidayOutsideYear(i));
            }
            if h.name.trim().is_empty() {
                errors.push(CalendarError::HolidayUnnamed(i));
            } else if h.name.chars().count() > NAME_MAX {
                errors.push(CalendarError::HolidayNameLong(i));
            }
        }
        for (i, m) in self.moved.iter().enumerate() {
            if let MovedDay::DayOff { name, .. } = m
                && name.chars().count() > NAME_MAX
            {
                errors.push(CalendarError::MovedNameLong(i));
            }
            if let MovedDay::WorkingAs { date, weekday } = m {
                if *weekday == Weekday::Sunday {
                    errors.push(CalendarError::WorkingAsSunday(i));
                }
                if *date < self.start || *date > self.end {
                    errors.push(CalendarError::MovedOutsideYear(i));
                }
            }
        }
        errors
    }

    /// The same calendar one year later: dates moved by a year, weekdays of moved days
    /// dropped (they never carry over), for "a new year from last year's in one step".
    pub fn next_year(&self) -> Calendar {
        let shift = |d: Date| d.checked_add(jiff::Span::new().years(1)).unwrap_or(d);
        Calendar {
            start: first_study_day_of_september(self.start.year() + 1),
            end: shift(self.end),
            week: self.week,
            holidays: self
                .holidays
                .iter()
                .map(|h| Holiday {
                    name: h.name.clone(),
                    start: shift(h.start),
                    end: shift(h.end),
                    grades: h.grades,
                })
                .collect(),
            moved: public_holidays(self.start.year() + 1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the year ends before it starts")]
    YearReversed,
    #[error("holiday {0} ends before it starts")]
    HolidayReversed(usize),
    #[error("holiday {0} lies outside the academic year")]
    HolidayOutsideYear(usize),
    #[error("holiday {0} has no name")]
    HolidayUnnamed(usize),
    #[error("holiday {0} has a name longer than {NAME_MAX} characters")]
    HolidayNameLong(usize),
    #[error("moved day {0} has a name longer than {NAME_MAX} characters")]
    MovedNameLong(usize),
    #[error("moved day {0} cannot follow Sunday's timetable")]
    WorkingAsSunday(usize),
    #[error("moved day {0} lies outside the academic year")]
    MovedOutsideYear(usize),
}

/// The longest name of a holiday or a day off: «Осенние каникулы», «День народного единства».
pub const NAME_MAX: usize = 100;

/// 1 September, or the Monday after when it falls on a Sunday.
pub fn first_study_day_of_september(year: i16) -> Date {
    let d = Date::new(year, 9, 1).unwrap_or(Date::constant(2026, 9, 1));
    if d.weekday() == Weekday::Sunday {
        d.tomorrow().unwrap_or(d)
    } else {
        d
    }
}

/// The public holidays that fall in an academic year starting in `year` (Трудовой кодекс РФ,
/// ст. 112), as days off; a holiday that falls on a Saturday or a Sunday moves its day off
/// to the next working day (ст. 112 ч. 2), named so. The New Year holidays fall inside the
/// winter break; the moves the Government decrees for them each year are the school's to
/// enter.
pub fn public_holidays(year: i16) -> Vec<MovedDay> {
    let d = |y: i16, m: i8, day: i8| Date::new(y, m, day).ok();
    let holidays: Vec<(Date, &str)> = [
        (d(year, 11, 4), "День народного единства"),
        (d(year + 1, 2, 23), "День защитника Отечества"),
        (d(year + 1, 3, 8), "Международный женский день"),
        (d(year + 1, 5, 1), "Праздник Весны и Труда"),
        (d(year + 1, 5, 9), "День Победы"),
    ]
    .into_iter()
    .filter_map(|(date, name)| Some((date?, name)))
    .collect();
    let taken = |date: Date, out: &[MovedDay]| {
        holidays.iter().any(|(h, _)| *h == date)
            || out
                .iter()
                .any(|m| matches!(m, MovedDay::DayOff { date: d, .. } if *d == date))
    };
    let mut out: Vec<MovedDay> = holidays
        .iter()
        .map(|(date, name)| MovedDay::DayOff {
            date: *date,
            name: (*name).to_owned(),
        })
        .collect();
    for (date, name) in &holidays {
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            continue;
        }
        let mut next = *date;
        while let Ok(n) = next.tomorrow() {
            next = n;
            let weekend = matches!(next.weekday(), Weekday::Saturday | Weekday::Sunday);
            if !weekend && !taken(next, &out) {
                out.push(MovedDay::DayOff {
                    date: next,
                    name: format!("Перенос выходного дня: {name} (ТК РФ, ст. 112)"),
                });
                break;
            }
        }
    }
    out.sort_by_key(|m| match m {
        MovedDay::WorkingAs { date, .. } | MovedDay::DayOff { date, .. } => *date,
    });
    out
}

/// The study days of the grades in `grades` that no period of a scheme covers: every day a
/// lesson can fall on must belong to a period, or its marks count in none.
pub fn uncovered_days(
    calendar: &Calendar,
    periods: &[(Date, Date)],
    grades: impl IntoIterator<Item = i16>,
) -> Vec<Date> {
    let mut days: Vec<Date> = grades
        .into_iter()
        .flat_map(|g| calendar.study_days(calendar.start, calendar.end, g))
        .map(|(d, _)| d)
        .filter(|d| !periods.iter().any(|(s, e)| s <= d && d <= e))
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// Days as people read them: «29.12.2026–30.12.2026, 22.03.2027».
pub fn describe_days(days: &[Date]) -> String {
    let fmt = |d: Date| format!("{:02}.{:02}.{}", d.day(), d.month(), d.year());
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j].tomorrow().ok() == Some(days[j + 1]) {
            j += 1;
        }
        parts.push(if i == j {
            fmt(days[i])
        } else {
            format!("{}–{}", fmt(days[i]), fmt(days[j]))
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// The shortest holiday the Ministry's recommendations allow: at least 7 days each.
pub const HOLIDAY_MIN_DAYS: i32 = 7;

/// The holidays shorter than [`HOLIDAY_MIN_DAYS`], by index: a warning, not an error —
/// the recommendation is not a law, and a school may have its reasons.
pub fn short_holidays(calendar: &Calendar) -> Vec<usize> {
    calendar
        .holidays
        .iter()
        .enumerate()
        .filter(|(_, h)| (h.end - h.start).get_days() + 1 < HOLIDAY_MIN_DAYS)
        .map(|(i, _)| i)
        .collect()
}

/// The recommended calendar of a quarter-based school for the year starting in `year`
/// (Минпросвещения recommendations, DOMAIN.md §3): the default a school starts from.
pub fn recommended(year: i16, week: StudyWeek) -> Calendar {
    let d = |y: i16, m: i8, day: i8| Date::new(y, m, day).unwrap_or(Date::constant(2026, 9, 1));
    let y = year;
    Calendar {
        start: first_study_day_of_september(y),
        end: d(y + 1, 5, 26),
        week,
        holidays: vec![
            Holiday {
                name: "Осенние каникулы".into(),
                start: d(y, 10, 25),
                end: d(y, 11, 2),
                grades: Grades::ALL,
            },
            Holiday {
                name: "Зимние каникулы".into(),
                start: d(y, 12, 31),
                end: d(y + 1, 1, 11),
                grades: Grades::ALL,
            },
            Holiday {
                name: "Дополнительные каникулы для 1 класса".into(),
                start: d(y + 1, 2, 14),
                end: d(y + 1, 2, 22),
                grades: Grades::only(1),
            },
            Holiday {
                name: "Весенние каникулы".into(),
                start: d(y + 1, 3, 28),
                end: d(y + 1, 4, 5),
                grades: Grades::ALL,
            },
        ],
        moved: public_holidays(y),
    }
}

/// Why a scheme's reporting periods (quarters, half-years, trimesters) cannot be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("period {0} ends before it starts")]
    Reversed(usize),
    #[error("period {0} starts before the previous one ends")]
    Overlap(usize),
    #[error("period {0} lies outside the academic year")]
    OutsideYear(usize),
}

/// Checks one scheme's periods, in order: each within the year, none reversed, none
/// overlapping the one before. Gaps (holidays between quarters) are normal.
pub fn check_periods(periods: &[(Date, Date)], year: Option<(Date, Date)>) -> Vec<PeriodError> {
    let mut errors = Vec::new();
    for (i, (start, end)) in periods.iter().enumerate() {
        if start > end {
            errors.push(PeriodError::Reversed(i));
        }
        if let Some((first, last)) = year
            && (*start < first || *end > last)
        {
            errors.push(PeriodError::OutsideYear(i));
        }
        if i > 0 && *start <= periods[i - 1].1 {
            errors.push(PeriodError::Overlap(i));
        }
    }
    errors
}

/// The default scheme of a grade: quarters for 1–9, half-years for 10–11 (DOMAIN.md §3).
pub fn default_scheme(grade: i16) -> &'static str {
    if grade >= 10 {
        "half_years"
    } else {
        "quarters"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        recommended(2026, StudyWeek::Five)
    }

    #[test]
    fn grade_sets() {
        assert!(Grades::ALL.contains(1) && Grades::ALL.contains(11) && !Grades::ALL.contains(12));
        assert!(!Grades::ALL.contains(0));
        assert_eq!(Grades::range(10, 11).describe(), "10–11");
        assert_eq!(
            Grades(Grades::range(1, 4).0 | Grades::only(9).0).describe(),
            "1–4, 9"
        );
    }

    #[test]
    fn year_boundaries() {
        let c = cal();
        assert_eq!(c.day(Date::constant(2026, 8, 31), 5), DayKind::OutsideYear);
        assert_eq!(
            c.day(Date::constant(2026, 9, 1), 5),
            DayKind::Study {
                timetable_of: Weekday::Tuesday
            }
        );
        assert_eq!(
            c.day(Date::constant(2027, 5, 26), 5),
            DayKind::Study {
                timetable_of: Weekday::Wednesday
            }
        );
        assert_eq!(c.day(Date::constant(2027, 5, 27), 5), DayKind::OutsideYear);
        // 1 September 2024 was a Sunday: the year starts on Monday the 2nd.
        assert_eq!(
            first_study_day_of_september(2024),
            Date::constant(2024, 9, 2)
        );
    }

    #[test]
    fn holidays_and_weekends() {
        let c = cal();
        assert!(matches!(
            c.day(Date::constant(2026, 10, 26), 7),
            DayKind::Holiday { .. }
        ));
        assert!(
            matches!(c.day(Date::constant(2026, 11, 4), 7), DayKind::Holiday { name } if name == "День народного единства")
        );
        assert_eq!(
            c.day(Date::constant(2026, 11, 28), 7),
            DayKind::Weekend,
            "a Saturday on a five-day week"
        );
        // Grade 1 only has the February break.
        assert!(matches!(
            c.day(Date::constant(2027, 2, 16), 1),
            DayKind::Holiday { .. }
        ));
        assert!(matches!(
            c.day(Date::constant(2027, 2, 16), 2),
            DayKind::Study { .. }
        ));
    }

    #[test]
    fn six_day_week_except_grade_one() {
        let c = recommended(2026, StudyWeek::Six);
        let saturday = Date::constant(2026, 11, 28);
        assert_eq!(
            c.day(saturday, 7),
            DayKind::Study {
                timetable_of: Weekday::Saturday
            }
        );
        assert_eq!(c.day(saturday, 1), DayKind::Weekend);
    }

    #[test]
    fn moved_working_day_follows_another_weekday() {
        let mut c = cal();
        let saturday = Date::constant(2026, 11, 7);
        c.moved.push(MovedDay::WorkingAs {
            date: saturday,
            weekday: Weekday::Wednesday,
        });
        assert_eq!(
            c.day(saturday, 5),
            DayKind::Study {
                timetable_of: Weekday::Wednesday
            }
        );
        let days = c.study_days(Date::constant(2026, 11, 2), Date::constant(2026, 11, 8), 5);
        let dates: Vec<Date> = days.iter().map(|d| d.0).collect();
        // Mon 2 Nov is in the autumn break, Wed 4 Nov a public holiday.
        assert_eq!(
            dates,
            vec![
                Date::constant(2026, 11, 3),
                Date::constant(2026, 11, 5),
                Date::constant(2026, 11, 6),
                saturday
            ]
        );
    }

    #[test]
    fn checks_find_mistakes() {
        let mut c = cal();
        assert!(c.check().is_empty());
        c.holidays.push(Holiday {
            name: String::new(),
            start: Date::constant(2027, 7, 2),
            end: Date::constant(2027, 7, 1),
            grades: Grades::ALL,
        });
        let working = c.moved.len();
        c.moved.push(MovedDay::WorkingAs {
            date: Date::constant(2026, 11, 7),
            weekday: Weekday::Sunday,
        });
        let errors = c.check();
        assert!(errors.contains(&CalendarError::HolidayReversed(4)));
        assert!(errors.contains(&CalendarError::HolidayUnnamed(4)));
        assert!(errors.contains(&CalendarError::WorkingAsSunday(working)));
        // Names: 100 characters at most (a holiday's and a day off's).
        let mut c = cal();
        c.holidays[0].name = "к".repeat(NAME_MAX);
        let day_off = c.moved.len();
        c.moved.push(MovedDay::DayOff {
            date: Date::constant(2026, 12, 31),
            name: "д".repeat(NAME_MAX + 1),
        });
        assert_eq!(c.check(), vec![CalendarError::MovedNameLong(day_off)]);
        c.holidays[0].name.push('!');
        assert!(c.check().contains(&CalendarError::HolidayNameLong(0)));
    }

    #[test]
    fn weekend_holidays_move_to_the_next_working_day() {
        // 2027: 1 May is a Saturday, 9 May a Sunday — their days off are Mondays 3 and 10 May.
        let days: Vec<(Date, String)> = public_holidays(2026)
            .into_iter()
            .filter_map(|m| match m {
                MovedDay::DayOff { date, name } => Some((date, name)),
                MovedDay::WorkingAs { .. } => None,
            })
            .collect();
        let off = |m: i8, d: i8| days.iter().find(|(x, _)| *x == Date::constant(2027, m, d));
        assert!(off(5, 3).unwrap().1.contains("Праздник Весны и Труда"));
        assert!(off(5, 10).unwrap().1.contains("ст. 112"));
        assert!(off(5, 4).is_none());
        // 4 November 2026 is a Wednesday: nothing moves.
        assert_eq!(days.iter().filter(|(x, _)| x.month() == 11).count(), 1);
        assert!(days.windows(2).all(|w| w[0].0 < w[1].0), "in order");
        // Lessons are not generated on the moved days.
        let c = cal();
        assert!(matches!(
            c.day(Date::constant(2027, 5, 3), 7),
            DayKind::Holiday { .. }
        ));
    }

    #[test]
    fn every_study_day_belongs_to_a_period() {
        let c = cal();
        let gaps = [
            (Date::constant(2026, 9, 1), Date::constant(2026, 10, 24)),
            (Date::constant(2026, 11, 3), Date::constant(2026, 12, 28)),
            (Date::constant(2027, 1, 12), Date::constant(2027, 3, 21)),
            (Date::constant(2027, 3, 30), Date::constant(2027, 5, 26)),
        ];
        let days = uncovered_days(&c, &gaps, 1..=9);
        assert_eq!(
            describe_days(&days),
            "29.12.2026–30.12.2026, 22.03.2027–26.03.2027"
        );
        let whole = [
            (Date::constant(2026, 9, 1), Date::constant(2026, 10, 24)),
            (Date::constant(2026, 11, 3), Date::constant(2026, 12, 30)),
            (Date::constant(2027, 1, 12), Date::constant(2027, 3, 27)),
            (Date::constant(2027, 3, 30), Date::constant(2027, 5, 26)),
        ];
        assert!(uncovered_days(&c, &whole, 1..=9).is_empty());
        // The last day of a period counts as covered, the day after does not.
        let short = [(Date::constant(2026, 9, 1), Date::constant(2026, 9, 1))];
        let days = uncovered_days(&c, &short, [5]);
        assert_eq!(days.first(), Some(&Date::constant(2026, 9, 2)));
    }

    #[test]
    fn holidays_under_a_week_are_flagged() {
        let mut c = cal();
        assert!(
            short_holidays(&c).is_empty(),
            "the recommended ones are a week or more"
        );
        c.holidays[0].end = Date::constant(2026, 10, 30);
        assert_eq!(short_holidays(&c), vec![0], "25–30 October: six days");
        c.holidays[0].end = Date::constant(2026, 10, 31);
        assert!(short_holidays(&c).is_empty(), "seven days exactly");
    }

    #[test]
    fn next_year_from_this_one() {
        let next = cal().next_year();
        assert_eq!(next.start, Date::constant(2027, 9, 1));
        assert_eq!(next.end, Date::constant(2028, 5, 26));
        assert_eq!(next.holidays.len(), 4);
        assert_eq!(next.holidays[0].start, Date::constant(2027, 10, 25));
        assert!(
            next.moved
                .iter()
                .all(|m| matches!(m, MovedDay::DayOff { .. }))
        );
    }

    #[test]
    fn periods_are_checked_in_order() {
        let d = |m: i8, day: i8| Date::constant(if m >= 9 { 2026 } else { 2027 }, m, day);
        let year = Some((d(9, 1), d(5, 26)));
        let quarters = [
            (d(9, 1), d(10, 24)),
            (d(11, 3), d(12, 28)),
            (d(1, 12), d(3, 21)),
            (d(3, 30), d(5, 26)),
        ];
        assert_eq!(check_periods(&quarters, year), vec![]);
        let bad = [
            (d(9, 1), d(10, 24)),
            (d(10, 20), d(12, 28)),
            (d(3, 21), d(1, 12)),
            (d(3, 30), d(6, 26)),
        ];
        assert_eq!(
            check_periods(&bad, year),
            vec![
                PeriodError::Overlap(1),
                PeriodError::Reversed(2),
                PeriodError::OutsideYear(3)
            ]
        );
        assert_eq!(
            (default_scheme(9), default_scheme(10)),
            ("quarters", "half_years")
        );
    }
}
