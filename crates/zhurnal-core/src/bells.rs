//! Bell schedules (расписание звонков) and their checks against the rules of the school day
//! (DOMAIN.md §3, СанПиН 1.2.3685-21): errors where the rule is fixed, warnings where schools
//! legitimately differ.

use jiff::civil::Time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bell {
    pub number: i16,
    pub start: Time,
    pub end: Time,
}

impl Bell {
    pub fn minutes(&self) -> i64 {
        minutes_between(self.start, self.end)
    }
}

fn minutes_between(a: Time, b: Time) -> i64 {
    let secs =
        |t: Time| i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second());
    (secs(b) - secs(a)) / 60
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a bell schedule; `lesson` names the lesson it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub lesson: Option<i16>,
}

impl Finding {
    fn error(code: &'static str, lesson: Option<i16>) -> Finding {
        Finding {
            severity: Severity::Error,
            code,
            lesson,
        }
    }
    fn warning(code: &'static str, lesson: Option<i16>) -> Finding {
        Finding {
            severity: Severity::Warning,
            code,
            lesson,
        }
    }
}

/// Checks a bell schedule used by grades 2–11 (grade 1 has its own stepped mode).
///
/// Errors: numbering not 1, 2, 3…; a lesson ending before it starts; overlapping lessons;
/// lessons before 08:00 or after 19:00; a lesson longer than 45 minutes; a break shorter
/// than 10 minutes. Warnings: a lesson shorter than 30 minutes; no big break of 20–30
/// minutes after the 2nd or 3rd lesson (two 20-minute breaks also count); more than 7 lessons.
pub fn check(bells: &[Bell]) -> Vec<Finding> {
    let mut out = Vec::new();
    if bells.is_empty() {
        out.push(Finding::error("bells.empty", None));
        return out;
    }
    let earliest = Time::constant(8, 0, 0, 0);
    let latest = Time::constant(19, 0, 0, 0);
    for (i, b) in bells.iter().enumerate() {
        let n = Some(b.number);
        if b.number != i as i16 + 1 {
            out.push(Finding::error("bells.numbering", n));
        }
        if b.end <= b.start {
            out.push(Finding::error("bells.reversed", n));
            continue;
        }
        if b.start < earliest {
            out.push(Finding::error("bells.too_early", n));
        }
        if b.end > latest {
            out.push(Finding::error("bells.too_late", n));
        }
        if b.minutes() > 45 {
            out.push(Finding::error("bells.too_long", n));
        } else if b.minutes() < 30 {
            out.push(Finding::warning("bells.short", n));
        }
    }
    let mut big_breaks = 0;
    for pair in bells.windows(2) {
        let gap = minutes_between(pair[0].end, pair[1].start);
        if gap < 0 {
            out.push(Finding::error("bells.overlap", Some(pair[1].number)));
        } else if gap < 10 {
            out.push(Finding::error("bells.short_break", Some(pair[1].number)));
        }
        if gap >= 20 && (pair[0].number == 2 || pair[0].number == 3) {
            big_breaks += 1;
        }
    }
    if bells.len() >= 4 && big_breaks == 0 {
        out.push(Finding::warning("bells.no_big_break", None));
    }
    if bells.len() > 7 {
        out.push(Finding::warning("bells.too_many", None));
    }
    out
}

/// A school's bell schedule for a shift, on every day or on one weekday only (a shortened
/// day, a «Разговоры о важном» slot on Mondays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// 1 or 2.
    pub shift: i8,
    /// 1 = Monday … 6 = Saturday; `None` for every day of the shift.
    pub weekday: Option<i8>,
    pub bells: Vec<Bell>,
}

/// The bells of a shift on a weekday (1–6; 0 asks for the shift's every-day bells): that
/// day's own schedule, else the shift's, else the first shift's (a school that has not
/// entered a second shift's bells yet).
pub fn bells_for(schedules: &[Schedule], shift: i8, weekday: i8) -> &[Bell] {
    let find = |shift: i8, weekday: Option<i8>| {
        schedules
            .iter()
            .find(|s| s.shift == shift && s.weekday == weekday)
    };
    find(shift, Some(weekday))
        .or_else(|| find(shift, None))
        .or_else(|| find(1, None))
        .map_or(&[], |s| s.bells.as_slice())
}

/// Grades 1, 5, 9, 10 and 11 study in the first shift only (СанПиН 1.2.3685-21).
pub fn second_shift_allowed(parallel: i16) -> bool {
    !matches!(parallel, 1 | 5 | 9 | 10 | 11)
}

/// The common first-shift schedule: 45-minute lessons from 08:30, 20-minute breaks after the
/// 2nd and 3rd lessons.
pub fn standard_first_shift() -> Vec<Bell> {
    let t = |h: i8, m: i8| Time::constant(h, m, 0, 0);
    [
        (t(8, 30), t(9, 15)),
        (t(9, 25), t(10, 10)),
        (t(10, 30), t(11, 15)),
        (t(11, 35), t(12, 20)),
        (t(12, 30), t(13, 15)),
        (t(13, 25), t(14, 10)),
        (t(14, 20), t(15, 5)),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (start, end))| Bell {
        number: i as i16 + 1,
        start,
        end,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i8, m: i8) -> Time {
        Time::constant(h, m, 0, 0)
    }

    #[test]
    fn a_days_own_bells_win_then_the_shift_then_the_first_shift() {
        let one = |start: i8| {
            vec![Bell {
                number: 1,
                start: t(start, 0),
                end: t(start, 45),
            }]
        };
        let schedules = vec![
            Schedule {
                shift: 1,
                weekday: None,
                bells: one(8),
            },
            Schedule {
                shift: 1,
                weekday: Some(1),
                bells: one(9),
            },
            Schedule {
                shift: 2,
                weekday: None,
                bells: one(14),
            },
        ];
        assert_eq!(
            bells_for(&schedules, 1, 1)[0].start,
            t(9, 0),
            "Monday's own"
        );
        assert_eq!(bells_for(&schedules, 1, 2)[0].start, t(8, 0));
        assert_eq!(
            bells_for(&schedules, 2, 1)[0].start,
            t(14, 0),
            "shift 2 has no Monday of its own"
        );
        assert_eq!(
            bells_for(&schedules[..2], 2, 3)[0].start,
            t(8, 0),
            "no second shift yet"
        );
        assert!(bells_for(&[], 1, 1).is_empty());
    }

    #[test]
    fn some_grades_study_in_the_first_shift_only() {
        let allowed: Vec<i16> = (1..=11).filter(|g| second_shift_allowed(*g)).collect();
        assert_eq!(allowed, vec![2, 3, 4, 6, 7, 8]);
    }

    #[test]
    fn the_standard_schedule_is_clean() {
        assert_eq!(check(&standard_first_shift()), vec![]);
    }

    #[test]
    fn fixed_rules_are_errors() {
        let bells = vec![
            Bell {
                number: 1,
                start: t(7, 45),
                end: t(8, 35),
            },
            Bell {
                number: 2,
                start: t(8, 40),
                end: t(9, 25),
            },
            Bell {
                number: 4,
                start: t(9, 20),
                end: t(9, 10),
            },
        ];
        let codes: Vec<(&str, Severity)> =
            check(&bells).iter().map(|f| (f.code, f.severity)).collect();
        assert!(codes.contains(&("bells.too_early", Severity::Error)));
        assert!(
            codes.contains(&("bells.too_long", Severity::Error)),
            "50 minutes"
        );
        assert!(
            codes.contains(&("bells.short_break", Severity::Error)),
            "a 5-minute break"
        );
        assert!(codes.contains(&("bells.numbering", Severity::Error)));
        assert!(codes.contains(&("bells.reversed", Severity::Error)));
    }

    #[test]
    fn local_choices_are_warnings() {
        let bells: Vec<Bell> = (0..4)
            .map(|i| Bell {
                number: i + 1,
                start: t(9 + i as i8, 0),
                end: t(9 + i as i8, 40),
            })
            .collect();
        // 20-minute gaps after lessons 2 and 3 count as the big break; make them 20 exactly.
        assert!(
            check(&bells)
                .iter()
                .all(|f| f.severity == Severity::Warning)
        );
        let tight: Vec<Bell> = (0..4)
            .map(|i| Bell {
                number: i + 1,
                start: t(9, 0)
                    .checked_add(jiff::Span::new().minutes(i64::from(i) * 55))
                    .unwrap(),
                end: t(9, 45)
                    .checked_add(jiff::Span::new().minutes(i64::from(i) * 55))
                    .unwrap(),
            })
            .collect();
        let f = check(&tight);
        assert_eq!(f, vec![Finding::warning("bells.no_big_break", None)]);
    }
}
