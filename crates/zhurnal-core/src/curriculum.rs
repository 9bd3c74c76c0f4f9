//! The curriculum plan (§2.5): weekly hours per subject and parallel, and how each subject
//! is assessed in each grade (DOMAIN.md §1.1, §3).

use crate::calendar::StudyWeek;

/// How a subject is assessed in a grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grading {
    /// Marks 2–5 (the school's scale).
    FivePoint,
    /// зачёт / незачёт, outside numeric averages.
    PassFail,
    /// Not marked (безотметочное обучение, grade 1 by default).
    None,
}

impl Grading {
    pub const ALL: [Grading; 3] = [Grading::FivePoint, Grading::PassFail, Grading::None];

    pub fn code(self) -> &'static str {
        match self {
            Grading::FivePoint => "five_point",
            Grading::PassFail => "pass_fail",
            Grading::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Grading> {
        Grading::ALL.into_iter().find(|g| g.code() == s)
    }
}

/// The level of general education a grade belongs to (273-ФЗ ст. 10).
pub fn level_of(grade: i16) -> &'static str {
    match grade {
        1..=4 => "primary",
        5..=9 => "basic",
        _ => "secondary",
    }
}

/// The most weekly lessons a grade may have (СанПиН 1.2.3685-21, table 6.6), by week length.
/// Grade 1 always studies five days.
pub fn max_weekly_hours(grade: i16, week: StudyWeek) -> i16 {
    let six = week == StudyWeek::Six && grade != 1;
    match (grade, six) {
        (1, _) => 21,
        (2..=4, false) => 23,
        (2..=4, true) => 26,
        (5, false) => 29,
        (5, true) => 32,
        (6, false) => 30,
        (6, true) => 33,
        (7, false) => 32,
        (7, true) => 35,
        (8 | 9, false) => 33,
        (8 | 9, true) => 36,
        (_, false) => 34,
        (_, true) => 37,
    }
}

/// The default grading: grade 1 is not marked; ОРКСЭ is pass/fail; the rest five-point.
pub fn default_grading(grade: i16, subject: &str) -> Grading {
    if grade == 1 {
        Grading::None
    } else if subject == "ОРКСЭ" {
        Grading::PassFail
    } else {
        Grading::FivePoint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_limits() {
        assert_eq!(
            max_weekly_hours(1, StudyWeek::Six),
            21,
            "grade 1 is five-day only"
        );
        assert_eq!(max_weekly_hours(3, StudyWeek::Five), 23);
        assert_eq!(max_weekly_hours(7, StudyWeek::Six), 35);
        assert_eq!(max_weekly_hours(11, StudyWeek::Five), 34);
    }

    #[test]
    fn grading_defaults_and_codes() {
        assert_eq!(default_grading(1, "Математика"), Grading::None);
        assert_eq!(default_grading(4, "ОРКСЭ"), Grading::PassFail);
        assert_eq!(default_grading(7, "Алгебра"), Grading::FivePoint);
        for g in Grading::ALL {
            assert_eq!(Grading::parse(g.code()), Some(g));
        }
        assert_eq!(
            (level_of(4), level_of(5), level_of(10)),
            ("primary", "basic", "secondary")
        );
    }
}
