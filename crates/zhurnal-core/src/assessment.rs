//! What marks a subject takes, by how the curriculum assesses it in the grade (DOMAIN.md
//! §1.1, §1.3; Приказ Минпросвещения № 546 for period and final marks):
//!
//! - **five-point** subjects take the school's scale as current marks (with «+»/«−» where
//!   the school allows them), «зач»/«незач» for a single task assessed so, «н/а» and «осв»;
//!   as period, year and final marks only whole marks of the scale, «н/а» and «осв» — a
//!   «4+» or a «зач» is not a quarter mark;
//! - **pass/fail** subjects (ОРКСЭ by default) take «зач», «незач», «н/а», «осв», current
//!   and final alike;
//! - subjects **without marks** (безотметочное обучение: grade 1 by default, and any the
//!   school sets) take none: only attendance, topics and homework.

use crate::curriculum::Grading;
use crate::grading::{Counted, MarkError, MarkValue, Proposal, Rules, Scale, propose};

/// Why a mark does not fit the subject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Misfit {
    /// The mark itself is not one (or not on the school's scale).
    #[error(transparent)]
    Mark(#[from] MarkError),
    /// The subject is taught without marks in this grade.
    #[error("the subject is taught without marks")]
    WithoutMarks,
    /// A point mark in a pass/fail subject.
    #[error("the subject is assessed by pass or fail")]
    PassFailOnly,
    /// «зач»/«незач» in a five-point subject.
    #[error("the subject is assessed by points")]
    PointsOnly,
    /// «4+» and the like as a period, year or final mark.
    #[error("a period mark is a whole mark")]
    WholeOnly,
}

/// Whether a mark is a current mark (a lesson's) of a subject assessed so.
pub fn current(grading: Grading, raw: &str, scale: Scale) -> Result<MarkValue, Misfit> {
    if grading == Grading::None {
        return Err(Misfit::WithoutMarks);
    }
    let mark = MarkValue::parse(raw, scale)?;
    match (grading, mark) {
        (Grading::PassFail, MarkValue::Points { .. }) => Err(Misfit::PassFailOnly),
        _ => Ok(mark),
    }
}

/// Whether a mark is a period, year or final mark of a subject assessed so: whole marks
/// only (a sign says nothing about a period).
pub fn period(grading: Grading, raw: &str, scale: Scale) -> Result<MarkValue, Misfit> {
    let mark = current(grading, raw, scale)?;
    match (grading, mark) {
        (Grading::FivePoint, MarkValue::Pass | MarkValue::Fail) => Err(Misfit::PointsOnly),
        (_, MarkValue::Points { sign, .. }) if sign != 0 => Err(Misfit::WholeOnly),
        _ => Ok(mark),
    }
}

/// What Zhurnal proposes as a period mark by the subject's assessment: the school's rule
/// for a five-point subject; for a pass/fail one the last «зач» or «незач» of the period
/// («осв» when exempt throughout); nothing for a subject without marks, nor where there is
/// no basis — the teacher decides.
pub fn propose_for(grading: Grading, marks: &[Counted], rules: &Rules) -> Proposal {
    let nothing = |below_minimum| Proposal {
        mark: None,
        average: None,
        below_minimum,
        capped: false,
    };
    match grading {
        Grading::FivePoint => propose(marks, rules),
        Grading::None => nothing(false),
        Grading::PassFail => {
            let values: Vec<MarkValue> = marks.iter().map(|m| m.value).collect();
            match crate::grading::propose_pass_fail(&values) {
                MarkValue::NotAssessed => nothing(true),
                mark => Proposal {
                    mark: Some(mark),
                    ..nothing(false)
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNS: Scale = Scale {
        with_one: false,
        with_signs: true,
    };

    #[test]
    fn five_point_subjects_take_points_and_whole_period_marks() {
        let g = Grading::FivePoint;
        assert!(current(g, "5", SIGNS).is_ok());
        assert!(current(g, "4+", SIGNS).is_ok());
        assert!(current(g, "н/а", SIGNS).is_ok());
        assert!(current(g, "осв", SIGNS).is_ok());
        // A single task may be assessed by pass or fail; the period may not.
        assert!(current(g, "зач", SIGNS).is_ok());
        assert!(period(g, "4", SIGNS).is_ok());
        assert_eq!(period(g, "4+", SIGNS), Err(Misfit::WholeOnly));
        assert_eq!(period(g, "незач", SIGNS), Err(Misfit::PointsOnly));
        assert_eq!(
            period(g, "1", SIGNS),
            Err(Misfit::Mark(MarkError::NoOne)),
            "«1» only where the school's scale has it"
        );
    }

    #[test]
    fn pass_fail_subjects_take_pass_and_fail() {
        let g = Grading::PassFail;
        assert!(current(g, "зач", SIGNS).is_ok());
        assert!(period(g, "незач", SIGNS).is_ok());
        assert!(period(g, "н/а", SIGNS).is_ok());
        assert_eq!(current(g, "4", SIGNS), Err(Misfit::PassFailOnly));
        assert_eq!(period(g, "5", SIGNS), Err(Misfit::PassFailOnly));
    }

    #[test]
    fn proposals_follow_the_assessment() {
        let c = |value| Counted { value, weight: 1 };
        let rules = Rules::default();
        let pass = [c(MarkValue::Fail), c(MarkValue::Pass)];
        assert_eq!(
            propose_for(Grading::PassFail, &pass, &rules).mark,
            Some(MarkValue::Pass)
        );
        let none = propose_for(Grading::PassFail, &[], &rules);
        assert_eq!((none.mark, none.below_minimum), (None, true));
        let points = [MarkValue::Points { value: 5, sign: 0 }; 3].map(c);
        assert_eq!(propose_for(Grading::None, &points, &rules).mark, None);
        assert_eq!(
            propose_for(Grading::FivePoint, &points, &rules).mark,
            Some(MarkValue::Points { value: 5, sign: 0 })
        );
    }

    #[test]
    fn subjects_without_marks_take_none() {
        for raw in ["5", "зач", "н/а", "осв"] {
            assert_eq!(
                current(Grading::None, raw, SIGNS),
                Err(Misfit::WithoutMarks)
            );
            assert_eq!(period(Grading::None, raw, SIGNS), Err(Misfit::WithoutMarks));
        }
    }
}
