//! Marks and period marks (DOMAIN.md §1): the values a journal cell may hold, the school's
//! averaging rule with its rounding table, and the period mark Zhurnal proposes — always with
//! the computation shown, so a parent or a teacher can check it by hand.
//!
//! Everything here is a school setting with the defaults of DOMAIN.md, never a constant
//! hidden in code: the scale (2–5, optionally 1 and «+»/«−»), the method (weighted or
//! arithmetic mean), the rounding bounds, the minimum number of marks and the «no top mark
//! with a 2» rule.

use std::fmt;

/// What a mark cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkValue {
    /// 1–5, with an optional «+» (+1) or «−» (−1) sign where the school allows signs.
    Points { value: u8, sign: i8 },
    /// зачёт.
    Pass,
    /// незачёт.
    Fail,
    /// н/а: not assessed (no basis for a mark).
    NotAssessed,
    /// осв: exempt (physical education by medical conclusion…), outside averages and minima.
    Exempt,
}

/// The scale a school allows (DOMAIN.md §1.1); by default 2–5 without signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scale {
    /// «1» allowed besides 2–5.
    pub with_one: bool,
    /// «5−», «4+» allowed.
    pub with_signs: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkError {
    #[error("«{0}» is not a mark")]
    Unknown(String),
    #[error("the school's scale has no «1»")]
    NoOne,
    #[error("the school's scale has no «+» or «−»")]
    NoSigns,
}

impl MarkValue {
    /// Reads what a teacher types: `5`, `4+`, `3-`/`3−`, `зач`/`з`, `незач`, `н/а`/`на`,
    /// `осв`; within the school's scale.
    pub fn parse(raw: &str, scale: Scale) -> Result<MarkValue, MarkError> {
        let s = raw.trim().to_lowercase().replace(['−', '–'], "-");
        let mark = match s.as_str() {
            "зач" | "з" | "зачёт" | "зачет" | "pass" => MarkValue::Pass,
            "незач" | "нз" | "незачёт" | "незачет" | "fail" => MarkValue::Fail,
            "н/а" | "на" | "n/a" | "na" => MarkValue::NotAssessed,
            "осв" | "ex" => MarkValue::Exempt,
            _ => {
                let (digits, sign) = match s.strip_suffix('+') {
                    Some(d) => (d, 1),
                    None => match s.strip_suffix('-') {
                        Some(d) => (d, -1),
                        None => (s.as_str(), 0),
                    },
                };
                let value: u8 = digits
                    .parse()
                    .ok()
                    .filter(|v| (1..=5).contains(v))
                    .ok_or_else(|| MarkError::Unknown(raw.trim().to_owned()))?;
                // «5+» and «1−» say nothing more than 5 and 1.
                if (value == 5 && sign > 0) || (value == 1 && sign < 0) {
                    return Err(MarkError::Unknown(raw.trim().to_owned()));
                }
                if value == 1 && !scale.with_one {
                    return Err(MarkError::NoOne);
                }
                if sign != 0 && !scale.with_signs {
                    return Err(MarkError::NoSigns);
                }
                MarkValue::Points { value, sign }
            }
        };
        Ok(mark)
    }

    /// The stored form, also what the grid shows: `5`, `4+`, `3−`, `зач`, `незач`, `н/а`, `осв`.
    pub fn code(self) -> String {
        self.to_string()
    }

    /// The number that goes into an average: a «+» or «−» moves it by a quarter point
    /// (a school setting elsewhere may change this; a quarter is the common reading).
    /// `None` for marks outside numeric averages.
    pub fn numeric(self) -> Option<f64> {
        match self {
            MarkValue::Points { value, sign } => Some(f64::from(value) + f64::from(sign) * 0.25),
            _ => None,
        }
    }
}

impl fmt::Display for MarkValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkValue::Points { value, sign } => {
                let s = match sign.signum() {
                    1 => "+",
                    -1 => "−",
                    _ => "",
                };
                write!(f, "{value}{s}")
            }
            MarkValue::Pass => f.write_str("зач"),
            MarkValue::Fail => f.write_str("незач"),
            MarkValue::NotAssessed => f.write_str("н/а"),
            MarkValue::Exempt => f.write_str("осв"),
        }
    }
}

/// How current marks become a period mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Σ(mark × weight) / Σ(weight).
    Weighted,
    /// Σ mark / n.
    Arithmetic,
}

/// A school's grading rules (DOMAIN.md §1.3), with the defaults quoted there.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub scale: Scale,
    pub method: Method,
    /// The lowest average (in hundredths) that still earns each mark, highest mark first:
    /// 5 from 4.65, 4 from 3.65, 3 from 2.65, else 2.
    pub bounds: Vec<(u8, u16)>,
    /// Fewer current marks than this in a period: warn, and propose «н/а» when there are none.
    pub min_marks: u16,
    /// With any «2» in the period the top mark cannot be given.
    pub no_top_with_two: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            scale: Scale::default(),
            method: Method::Weighted,
            bounds: vec![(5, 465), (4, 365), (3, 265)],
            min_marks: 3,
            no_top_with_two: false,
        }
    }
}

impl Rules {
    /// The lowest mark of the scale.
    pub fn bottom(&self) -> u8 {
        if self.scale.with_one { 1 } else { 2 }
    }

    /// The mark an average earns by the school's bounds. Below the lowest bound: «2», or
    /// where «1» is on the scale, «2» from the bound for it (1.65 unless the school set
    /// one) and «1» below that — never «1» for a 2.60.
    pub fn round(&self, average_hundredths: u16) -> u8 {
        if let Some((mark, _)) = self
            .bounds
            .iter()
            .find(|(_, lower)| average_hundredths >= *lower)
        {
            return *mark;
        }
        if !self.scale.with_one {
            return 2;
        }
        let explicit = self.bounds.iter().any(|(mark, _)| *mark == 2);
        if !explicit && average_hundredths >= TWO_FROM {
            2
        } else {
            1
        }
    }
}

/// Where «1» is on the scale and the school set no bound for «2»: «2» from 1.65, the same
/// step below «3» as the default bounds keep between the other marks.
pub const TWO_FROM: u16 = 165;

/// One current mark as the average sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counted {
    pub value: MarkValue,
    /// The work type's weight (1 when the school averages arithmetically).
    pub weight: u8,
}

/// An average with what it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Average {
    /// Rounded to hundredths (half up), as people compare it with the bounds.
    pub hundredths: u16,
    /// «(5×2 + 4×1) / 3 = 4.67» or «(5 + 4) / 2 = 4.50».
    pub explanation: String,
    /// How many marks went into it.
    pub count: usize,
}

impl Average {
    /// «4.67».
    pub fn display(&self) -> String {
        format!("{}.{:02}", self.hundredths / 100, self.hundredths % 100)
    }
}

fn number(x: f64) -> String {
    // 4.25 → «4.25», 5.0 → «5».
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The average of the numeric marks by the method; `None` when there are none (or all
/// weights are 0). Marks outside averages (зач, н/а, осв) are skipped.
pub fn average(marks: &[Counted], method: Method) -> Option<Average> {
    let counted: Vec<(f64, u8)> = marks
        .iter()
        .filter_map(|m| m.value.numeric().map(|v| (v, m.weight)))
        .filter(|(_, w)| method == Method::Arithmetic || *w > 0)
        .collect();
    if counted.is_empty() {
        return None;
    }
    let (sum, weights, parts): (f64, u32, Vec<String>) = match method {
        Method::Weighted => (
            counted.iter().map(|(v, w)| v * f64::from(*w)).sum(),
            counted.iter().map(|(_, w)| u32::from(*w)).sum(),
            counted
                .iter()
                .map(|(v, w)| format!("{}×{w}", number(*v)))
                .collect(),
        ),
        Method::Arithmetic => (
            counted.iter().map(|(v, _)| v).sum(),
            counted.len() as u32,
            counted.iter().map(|(v, _)| number(*v)).collect(),
        ),
    };
    // Exact to the hundredth, half up: integer arithmetic on quarters avoids float drift.
    let sum_quarters = (sum * 4.0).round() as u64;
    let hundredths = ((sum_quarters * 100 * 2 / 4) + u64::from(weights)) / (2 * u64::from(weights));
    let hundredths = hundredths as u16;
    let avg = Average {
        hundredths,
        explanation: String::new(),
        count: counted.len(),
    };
    let explanation = format!("({}) / {weights} = {}", parts.join(" + "), avg.display());
    Some(Average { explanation, ..avg })
}

/// What Zhurnal proposes as a period mark, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The mark; `None` when there is no basis for one — fewer marks than the school's
    /// minimum, or none at all: the teacher decides («н/а» among the choices).
    pub mark: Option<MarkValue>,
    pub average: Option<Average>,
    /// Fewer marks than the school's minimum.
    pub below_minimum: bool,
    /// The «no top mark with a 2» rule lowered the mark.
    pub capped: bool,
}

/// Proposes a period mark from the period's current marks.
///
/// - exempt for the whole period (only «осв» marks) → «осв»;
/// - fewer numeric marks than the school's minimum (none included) → no mark, with
///   `below_minimum` set and the average shown when there is one;
/// - otherwise the average rounded by the school's bounds (and capped below the top mark
///   when the school forbids the top mark with a «2»).
///
/// Pass/fail subjects are proposed with [`propose_pass_fail`].
pub fn propose(marks: &[Counted], rules: &Rules) -> Proposal {
    let numeric = marks.iter().filter(|m| m.value.numeric().is_some()).count();
    let below_minimum = numeric < usize::from(rules.min_marks);
    if !marks.is_empty() && marks.iter().all(|m| m.value == MarkValue::Exempt) {
        return Proposal {
            mark: Some(MarkValue::Exempt),
            average: None,
            below_minimum: false,
            capped: false,
        };
    }
    let method = rules.method;
    let weighted: Vec<Counted> = marks
        .iter()
        .map(|m| Counted {
            value: m.value,
            weight: if method == Method::Arithmetic {
                1
            } else {
                m.weight
            },
        })
        .collect();
    let Some(avg) = average(&weighted, method) else {
        return Proposal {
            mark: None,
            average: None,
            below_minimum: true,
            capped: false,
        };
    };
    if below_minimum {
        return Proposal {
            mark: None,
            average: Some(avg),
            below_minimum,
            capped: false,
        };
    }
    let mut mark = rules.round(avg.hundredths);
    let top = rules.bounds.first().map_or(5, |b| b.0);
    let has_two = marks
        .iter()
        .any(|m| matches!(m.value, MarkValue::Points { value, .. } if value <= 2));
    let capped = rules.no_top_with_two && has_two && mark == top;
    if capped {
        mark -= 1;
    }
    Proposal {
        mark: Some(MarkValue::Points {
            value: mark,
            sign: 0,
        }),
        average: Some(avg),
        below_minimum,
        capped,
    }
}

/// A pass/fail subject's period mark: «зач» when the last assessed work was passed,
/// «незач» when it was failed, «н/а» without any, «осв» when exempt.
pub fn propose_pass_fail(marks: &[MarkValue]) -> MarkValue {
    if !marks.is_empty() && marks.iter().all(|m| *m == MarkValue::Exempt) {
        return MarkValue::Exempt;
    }
    marks
        .iter()
        .rev()
        .find(|m| matches!(m, MarkValue::Pass | MarkValue::Fail))
        .copied()
        .unwrap_or(MarkValue::NotAssessed)
}

/// Rounding «by the rules of mathematics» (Приказ 546): x.5 goes up.
fn round_half_up(sum: u32, n: u32) -> u8 {
    ((2 * sum + n) / (2 * n)) as u8
}

/// The year mark proposed from the period marks (DOMAIN.md §1.3): their mean, a half
/// rounded in the student's favour (3, 3, 4, 4 → 4). «осв» for the whole year stays «осв»;
/// «н/а» for any period leaves the decision to the teacher (`None`), as does a year without
/// any numeric mark. Pass/fail subjects: «зач» when the last period was passed.
pub fn propose_year(periods: &[MarkValue]) -> Option<MarkValue> {
    if periods.is_empty() {
        return None;
    }
    if periods.iter().all(|m| *m == MarkValue::Exempt) {
        return Some(MarkValue::Exempt);
    }
    if periods.contains(&MarkValue::NotAssessed) {
        return None;
    }
    if periods
        .iter()
        .all(|m| matches!(m, MarkValue::Pass | MarkValue::Fail | MarkValue::Exempt))
    {
        return periods
            .iter()
            .rev()
            .find(|m| matches!(m, MarkValue::Pass | MarkValue::Fail))
            .copied();
    }
    let points: Vec<u32> = periods
        .iter()
        .filter_map(|m| match m {
            MarkValue::Points { value, .. } => Some(u32::from(*value)),
            _ => None,
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    Some(MarkValue::Points {
        value: round_half_up(points.iter().sum(), points.len() as u32),
        sign: 0,
    })
}

/// Why a 9th-grader's final mark in a subject is not proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoFinal {
    /// Every 9th-grader sits this exam (ОГЭ): the final mark waits for its result.
    ExamMissing,
    /// An unsatisfactory exam: no attestat mark until it is retaken.
    ExamFailed,
}

/// Subjects every 9th-grader sits an exam in (ОГЭ, Порядок ГИА-9): Russian and
/// mathematics (its parts as a school may keep them: algebra, geometry).
pub fn exam_required_9(subject: &str) -> bool {
    matches!(
        subject,
        "Русский язык" | "Математика" | "Алгебра" | "Геометрия"
    )
}

/// The 9th grade's final mark (Приказ 546): with an exam, the mean of the year mark and the
/// exam mark, rounded by the rules of mathematics — only once the exam is there and passed;
/// in a subject without an exam, the year mark.
pub fn final_grade_9(year: u8, exam: Option<u8>, exam_required: bool) -> Result<u8, NoFinal> {
    match exam {
        Some(e) if e <= 2 => Err(NoFinal::ExamFailed),
        Some(e) => Ok(round_half_up(u32::from(year) + u32::from(e), 2)),
        None if exam_required => Err(NoFinal::ExamMissing),
        None => Ok(year),
    }
}

/// The 11th grade's final mark (Приказ 546): the mean of the half-year and year marks of
/// grades 10 and 11, rounded by the rules of mathematics. `None` when a mark is missing.
pub fn final_grade_11(marks: &[Option<u8>]) -> Option<u8> {
    let got: Option<Vec<u8>> = marks.iter().copied().collect();
    let got = got.filter(|g| !g.is_empty())?;
    let sum: u32 = got.iter().map(|m| u32::from(*m)).sum();
    Some(round_half_up(sum, got.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(value: u8) -> MarkValue {
        MarkValue::Points { value, sign: 0 }
    }

    #[test]
    fn year_mark_is_the_mean_of_the_periods_in_the_students_favour() {
        assert_eq!(propose_year(&[p(3), p(3), p(4), p(4)]), Some(p(4)));
        assert_eq!(propose_year(&[p(5), p(4), p(4), p(4)]), Some(p(4)));
        assert_eq!(propose_year(&[p(5), p(5), p(4), p(4)]), Some(p(5)));
        assert_eq!(propose_year(&[p(4), p(3)]), Some(p(4)));
        assert_eq!(propose_year(&[p(4), MarkValue::NotAssessed]), None);
        assert_eq!(
            propose_year(&[MarkValue::Exempt, MarkValue::Exempt]),
            Some(MarkValue::Exempt)
        );
        assert_eq!(
            propose_year(&[MarkValue::Fail, MarkValue::Pass]),
            Some(MarkValue::Pass)
        );
        assert_eq!(propose_year(&[]), None);
        // The final marks of Приказ 546 from it.
        assert_eq!(final_grade_9(4, Some(5), true), Ok(5));
        assert_eq!(final_grade_9(4, Some(3), true), Ok(4));
        assert_eq!(
            final_grade_11(&[Some(4), Some(5), Some(4), Some(4)]),
            Some(4)
        );
        assert_eq!(
            final_grade_11(&[Some(4), Some(5), Some(5), Some(4)]),
            Some(5)
        );
    }

    fn c(value: u8, weight: u8) -> Counted {
        Counted {
            value: p(value),
            weight,
        }
    }

    #[test]
    fn marks_are_read_as_teachers_type_them() {
        let plain = Scale::default();
        let full = Scale {
            with_one: true,
            with_signs: true,
        };
        assert_eq!(MarkValue::parse(" 5 ", plain), Ok(p(5)));
        assert_eq!(MarkValue::parse("зач", plain), Ok(MarkValue::Pass));
        assert_eq!(MarkValue::parse("Н/А", plain), Ok(MarkValue::NotAssessed));
        assert_eq!(MarkValue::parse("осв", plain), Ok(MarkValue::Exempt));
        assert_eq!(MarkValue::parse("1", plain), Err(MarkError::NoOne));
        assert_eq!(MarkValue::parse("1", full), Ok(p(1)));
        assert_eq!(MarkValue::parse("4+", plain), Err(MarkError::NoSigns));
        assert_eq!(
            MarkValue::parse("4−", full),
            Ok(MarkValue::Points { value: 4, sign: -1 })
        );
        for bad in ["6", "0", "5+", "1-", "хор", "", "4++"] {
            assert!(MarkValue::parse(bad, full).is_err(), "{bad}");
        }
        // What is stored reads back the same.
        for m in [
            p(3),
            MarkValue::Points { value: 4, sign: 1 },
            MarkValue::Fail,
        ] {
            assert_eq!(MarkValue::parse(&m.code(), full), Ok(m));
        }
    }

    #[test]
    fn the_weighted_mean_is_explained() {
        let a = average(&[c(5, 2), c(4, 1)], Method::Weighted).unwrap();
        assert_eq!(a.display(), "4.67");
        assert_eq!(a.explanation, "(5×2 + 4×1) / 3 = 4.67");
        let a = average(&[c(5, 2), c(4, 1)], Method::Arithmetic).unwrap();
        assert_eq!(a.explanation, "(5 + 4) / 2 = 4.50");
        // Non-numeric marks are left out; no numeric marks, no average.
        let only = [Counted {
            value: MarkValue::Pass,
            weight: 1,
        }];
        assert_eq!(average(&only, Method::Weighted), None);
        // A weight of 0 (a work type that does not count) is left out of a weighted mean.
        assert_eq!(
            average(&[c(2, 0), c(5, 1)], Method::Weighted)
                .unwrap()
                .hundredths,
            500
        );
    }

    #[test]
    fn averages_round_half_up_to_the_hundredth() {
        // 4.665 → 4.67; (4+5+5)/3 = 4.6666… → 4.67; 3.645 cannot occur with whole marks but
        // signs give quarters: (4− + 4) / 2 = 3.875 → 3.88.
        assert_eq!(
            average(&[c(4, 1), c(5, 1), c(5, 1)], Method::Arithmetic)
                .unwrap()
                .hundredths,
            467
        );
        let minus = Counted {
            value: MarkValue::Points { value: 4, sign: -1 },
            weight: 1,
        };
        let a = average(&[minus, c(4, 1)], Method::Arithmetic).unwrap();
        assert_eq!(a.hundredths, 388);
        assert_eq!(a.explanation, "(3.75 + 4) / 2 = 3.88");
    }

    #[test]
    fn period_marks_follow_the_schools_bounds() {
        let rules = Rules::default();
        // 4.65 is a 5, 4.64 a 4 (the default bounds).
        assert_eq!(rules.round(465), 5);
        assert_eq!(rules.round(464), 4);
        assert_eq!(rules.round(365), 4);
        assert_eq!(rules.round(264), 2);
        assert_eq!(
            rules.round(100),
            2,
            "without «1» on the scale, «2» is the floor"
        );
        // 3.5 does not have to become 4.
        let p35 = propose(&[c(3, 1), c(4, 1), c(3, 1), c(4, 1)], &rules);
        assert_eq!(p35.mark, Some(p(3)));
        // Below the minimum nothing is proposed; the average is still shown.
        let two = propose(&[c(2, 1), c(3, 1)], &rules);
        assert_eq!(two.mark, None);
        assert!(two.below_minimum, "2 marks, minimum 3");
        assert_eq!(two.average.map(|a| a.hundredths), Some(250));
        let three = propose(&[c(2, 1), c(2, 1), c(3, 1)], &rules);
        assert_eq!(three.mark, Some(p(2)), "exactly the minimum: proposed");
        // Another school: a 5 from 4.5.
        let lenient = Rules {
            bounds: vec![(5, 450), (4, 350), (3, 250)],
            ..Rules::default()
        };
        assert_eq!(
            propose(&[c(4, 1), c(5, 1), c(4, 1), c(5, 1)], &lenient).mark,
            Some(p(5))
        );
    }

    #[test]
    fn with_one_on_the_scale_two_has_its_own_bound() {
        let rules = Rules {
            scale: Scale {
                with_one: true,
                with_signs: false,
            },
            ..Rules::default()
        };
        assert_eq!(rules.round(265), 3);
        assert_eq!(rules.round(260), 2, "2.60 is a «2», not a «1»");
        assert_eq!(rules.round(TWO_FROM), 2);
        assert_eq!(rules.round(TWO_FROM - 1), 1);
        // A school's own bound for «2».
        let own = Rules {
            bounds: vec![(5, 465), (4, 365), (3, 265), (2, 150)],
            ..rules.clone()
        };
        assert_eq!(own.round(150), 2);
        assert_eq!(own.round(149), 1);
    }

    #[test]
    fn a_two_can_forbid_the_top_mark() {
        let marks = [c(5, 3), c(5, 3), c(5, 3), c(2, 1)];
        let free = propose(&marks, &Rules::default());
        assert_eq!(free.mark, Some(p(5)), "(15×3 + 2) / 10 = 4.70");
        let strict = propose(
            &marks,
            &Rules {
                no_top_with_two: true,
                ..Rules::default()
            },
        );
        assert_eq!(strict.mark, Some(p(4)));
        assert!(strict.capped);
    }

    #[test]
    fn without_marks_nothing_is_proposed_unless_exempt() {
        let rules = Rules::default();
        let none = propose(&[], &rules);
        assert_eq!(none.mark, None);
        assert!(none.below_minimum);
        let exempt = [Counted {
            value: MarkValue::Exempt,
            weight: 1,
        }];
        assert_eq!(propose(&exempt, &rules).mark, Some(MarkValue::Exempt));
        assert_eq!(propose_pass_fail(&[]), MarkValue::NotAssessed);
        assert_eq!(
            propose_pass_fail(&[MarkValue::Fail, MarkValue::Pass]),
            MarkValue::Pass
        );
    }

    #[test]
    fn final_marks_follow_order_546() {
        // 9th grade: year 4, exam 5 → 4.5 → 5; year 4, exam 3 → 3.5 → 4; no exam → year.
        assert_eq!(final_grade_9(4, Some(5), true), Ok(5));
        assert_eq!(final_grade_9(4, Some(3), false), Ok(4));
        assert_eq!(final_grade_9(3, None, false), Ok(3));
        // An exam subject waits for the exam; a «2» at the exam blocks the attestat mark.
        assert_eq!(final_grade_9(5, None, true), Err(NoFinal::ExamMissing));
        assert_eq!(final_grade_9(5, Some(2), true), Err(NoFinal::ExamFailed));
        assert_eq!(final_grade_9(5, Some(2), false), Err(NoFinal::ExamFailed));
        assert!(exam_required_9("Русский язык") && !exam_required_9("История"));
        // 11th grade: half-years and years of 10 and 11: 4, 4, 5, 5, 4, 5 → 4.5 → 5.
        let marks = [Some(4), Some(4), Some(5), Some(5), Some(4), Some(5)];
        assert_eq!(final_grade_11(&marks), Some(5));
        assert_eq!(
            final_grade_11(&[Some(3), Some(4), Some(3), Some(3)]),
            Some(3)
        );
        assert_eq!(final_grade_11(&[Some(4), None]), None);
    }
}
