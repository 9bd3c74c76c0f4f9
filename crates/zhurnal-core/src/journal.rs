//! Who may change what in the journal, and when (§4.1; DOMAIN.md §4): the teacher who gives
//! a lesson (the substitute, when there is one) fills it — marks and absences from the day
//! it takes place, topic and homework also before — within the school's edit window; after
//! the window only the deputy director may correct, and never without a reason.

use jiff::ToSpan;
use jiff::civil::Date;

/// What is being changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A mark or an absence: only once the lesson has taken place.
    Result,
    /// The topic and the homework: may be planned ahead.
    Text,
}

/// Who is asking, as far as the lesson is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asker {
    /// They give this lesson (its teacher, or the substitute).
    pub gives_lesson: bool,
    /// They may approve corrections (the deputy director).
    pub approves: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Not their lesson.
    NotTheirs,
    /// Marks and absences wait for the lesson's day.
    NotYet,
    /// The edit window closed: the deputy may correct it with a reason.
    WindowClosed,
    /// A correction after the window needs a reason.
    ReasonNeeded,
    /// The lesson was cancelled: nothing to fill.
    Cancelled,
    /// The lesson's period is closed: its marks are locked (the deputy corrects, with a reason).
    PeriodClosed,
    /// The reason given is longer than [`REASON_MAX`].
    ReasonTooLong,
}

/// Where the lesson stands, besides its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lock {
    pub cancelled: bool,
    /// The reporting period the lesson falls in is closed.
    pub period_closed: bool,
}

/// The longest reason of a correction.
pub const REASON_MAX: usize = 500;

/// The last day a lesson of `date` can be changed by its teacher.
pub fn window_end(date: Date, window_days: u8) -> Date {
    date.checked_add(i64::from(window_days).days())
        .unwrap_or(date)
}

/// Decides a change to a lesson of `date` asked `today` (both in the school's zone).
pub fn decide(
    asker: Asker,
    change: Change,
    date: Date,
    lock: Lock,
    today: Date,
    window_days: u8,
    reason: &str,
) -> Verdict {
    if !asker.gives_lesson && !asker.approves {
        return Verdict::NotTheirs;
    }
    // A reason is kept forever in the append-only history: a sentence, not a document.
    if reason.chars().count() > REASON_MAX {
        return Verdict::ReasonTooLong;
    }
    if lock.cancelled {
        return Verdict::Cancelled;
    }
    if change == Change::Result && date > today {
        return Verdict::NotYet;
    }
    if lock.period_closed && change == Change::Result && !asker.approves {
        return Verdict::PeriodClosed;
    }
    let open = !lock.period_closed && today <= window_end(date, window_days);
    if open && asker.gives_lesson {
        return Verdict::Allowed;
    }
    if !asker.approves {
        return Verdict::WindowClosed;
    }
    // The deputy: within the window for a lesson not theirs, or after it, with a reason.
    if reason.trim().is_empty() {
        Verdict::ReasonNeeded
    } else {
        Verdict::Allowed
    }
}

/// Whether the pupil was at the lesson, as a journal cell says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    /// «н»: absent.
    Absent,
    /// «оп»: late — present, so a mark may stand beside it.
    Late,
}

impl Attendance {
    pub fn code(self) -> &'static str {
        match self {
            Attendance::Absent => "н",
            Attendance::Late => "оп",
        }
    }

    fn parse(token: &str) -> Option<Attendance> {
        match token.to_lowercase().as_str() {
            "н" | "n" => Some(Attendance::Absent),
            "оп" | "op" => Some(Attendance::Late),
            _ => None,
        }
    }
}

/// What one journal cell holds: the lesson's mark and the pupil's attendance. A late pupil
/// is present and can be marked: the grid shows «5 оп». An absent one has no mark there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellText {
    pub mark: Option<String>,
    pub attendance: Option<Attendance>,
}

/// Why a typed cell cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    #[error("two marks in one cell")]
    TwoMarks,
    #[error("an absent pupil gets no mark for the lesson")]
    MarkWhileAbsent,
}

impl CellText {
    /// Reads a cell as typed or shown: at most a mark and an attendance word, in any order
    /// («5 оп», «оп 5», «н»). The mark is not checked here, only placed.
    pub fn parse(text: &str) -> Result<CellText, CellError> {
        let mut cell = CellText::default();
        for token in text.split_whitespace() {
            match Attendance::parse(token) {
                Some(a) => cell.attendance = Some(a),
                None if cell.mark.is_some() => return Err(CellError::TwoMarks),
                None => cell.mark = Some(token.to_owned()),
            }
        }
        if cell.mark.is_some() && cell.attendance == Some(Attendance::Absent) {
            return Err(CellError::MarkWhileAbsent);
        }
        Ok(cell)
    }

    /// What the cell shows: «5 оп», «5», «н», «».
    pub fn display(&self) -> String {
        match (&self.mark, self.attendance) {
            (Some(m), Some(a)) => format!("{m} {}", a.code()),
            (Some(m), None) => m.clone(),
            (None, Some(a)) => a.code().to_owned(),
            (None, None) => String::new(),
        }
    }

    /// The cell after someone who saw `was` typed `typed`. What is typed replaces its own
    /// kind only: «оп» typed over a «5» makes «5 оп», a «5» over «оп» too; a part deleted
    /// from a cell that showed both is removed; an empty cell clears both. «н» and a mark
    /// exclude each other, the later typed one standing.
    pub fn after(was: &CellText, typed: &CellText) -> CellText {
        if typed.mark.is_none() && typed.attendance.is_none() {
            return CellText::default();
        }
        let had_both = was.mark.is_some() && was.attendance.is_some();
        let mut out = if had_both {
            typed.clone()
        } else {
            CellText {
                mark: typed.mark.clone().or_else(|| was.mark.clone()),
                attendance: typed.attendance.or(was.attendance),
            }
        };
        match (typed.mark.is_some(), typed.attendance) {
            (_, Some(Attendance::Absent)) => out.mark = None,
            (true, None) if out.attendance == Some(Attendance::Absent) => out.attendance = None,
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEACHER: Asker = Asker {
        gives_lesson: true,
        approves: false,
    };
    const DEPUTY: Asker = Asker {
        gives_lesson: false,
        approves: true,
    };
    const OTHER: Asker = Asker {
        gives_lesson: false,
        approves: false,
    };

    const OPEN: Lock = Lock {
        cancelled: false,
        period_closed: false,
    };
    const CANCELLED: Lock = Lock {
        cancelled: true,
        period_closed: false,
    };

    #[test]
    fn a_closed_period_locks_marks_for_teachers_only() {
        let closed = Lock {
            cancelled: false,
            period_closed: true,
        };
        assert_eq!(
            decide(TEACHER, Change::Result, d(27), closed, d(28), 7, ""),
            Verdict::PeriodClosed
        );
        assert_eq!(
            decide(DEPUTY, Change::Result, d(27), closed, d(28), 7, ""),
            Verdict::ReasonNeeded
        );
        assert_eq!(
            decide(DEPUTY, Change::Result, d(27), closed, d(28), 7, "ошибка"),
            Verdict::Allowed
        );
        // The whole journal of a closed period is locked: topics too.
        assert_eq!(
            decide(TEACHER, Change::Text, d(27), closed, d(28), 7, ""),
            Verdict::WindowClosed
        );
    }

    fn d(day: i8) -> Date {
        Date::constant(2026, 11, day)
    }

    #[test]
    fn the_teacher_fills_their_lesson_within_the_window() {
        let lesson = d(20);
        assert_eq!(
            decide(TEACHER, Change::Result, lesson, OPEN, d(20), 7, ""),
            Verdict::Allowed
        );
        assert_eq!(
            decide(TEACHER, Change::Result, lesson, OPEN, d(27), 7, ""),
            Verdict::Allowed,
            "the 7th day after"
        );
        assert_eq!(
            decide(TEACHER, Change::Result, lesson, OPEN, d(28), 7, ""),
            Verdict::WindowClosed
        );
        assert_eq!(
            decide(TEACHER, Change::Result, lesson, OPEN, d(28), 7, "forgot"),
            Verdict::WindowClosed,
            "a reason does not help a teacher"
        );
        assert_eq!(
            decide(OTHER, Change::Result, lesson, OPEN, d(20), 7, ""),
            Verdict::NotTheirs
        );
    }

    #[test]
    fn marks_wait_for_the_lesson_but_topics_may_be_planned() {
        let lesson = d(30);
        assert_eq!(
            decide(TEACHER, Change::Result, lesson, OPEN, d(28), 7, ""),
            Verdict::NotYet
        );
        assert_eq!(
            decide(TEACHER, Change::Text, lesson, OPEN, d(28), 7, ""),
            Verdict::Allowed
        );
        assert_eq!(
            decide(TEACHER, Change::Text, lesson, CANCELLED, d(28), 7, ""),
            Verdict::Cancelled
        );
    }

    fn cell(text: &str) -> CellText {
        CellText::parse(text).unwrap()
    }

    #[test]
    fn a_late_pupil_is_present_and_can_be_marked() {
        assert_eq!(cell("5 оп").display(), "5 оп");
        assert_eq!(cell("оп 5").display(), "5 оп");
        assert_eq!(cell(" н ").display(), "н");
        assert_eq!(CellText::parse("5 4"), Err(CellError::TwoMarks));
        assert_eq!(CellText::parse("5 н"), Err(CellError::MarkWhileAbsent));
        let after = |was: &str, typed: &str| CellText::after(&cell(was), &cell(typed)).display();
        // Typing one never removes the other.
        assert_eq!(after("5", "оп"), "5 оп");
        assert_eq!(after("оп", "5"), "5 оп");
        assert_eq!(after("5 оп", "4 оп"), "4 оп");
        // A part deleted from a cell that showed both goes; an empty cell clears both.
        assert_eq!(after("5 оп", "5"), "5");
        assert_eq!(after("5 оп", "оп"), "оп");
        assert_eq!(after("5 оп", ""), "");
        // «н» and a mark exclude each other: the later typed one stands.
        assert_eq!(after("5", "н"), "н");
        assert_eq!(after("н", "5"), "5");
        assert_eq!(after("н", "оп"), "оп");
        assert_eq!(after("оп", "н"), "н");
    }

    #[test]
    fn a_reason_is_a_sentence_not_a_document() {
        let lesson = d(2);
        let longest = "я".repeat(REASON_MAX);
        let longer = "я".repeat(REASON_MAX + 1);
        assert_eq!(
            decide(DEPUTY, Change::Result, lesson, OPEN, d(28), 7, &longest),
            Verdict::Allowed
        );
        assert_eq!(
            decide(DEPUTY, Change::Result, lesson, OPEN, d(28), 7, &longer),
            Verdict::ReasonTooLong
        );
    }

    #[test]
    fn the_deputy_corrects_only_with_a_reason() {
        let lesson = d(2);
        assert_eq!(
            decide(DEPUTY, Change::Result, lesson, OPEN, d(28), 7, ""),
            Verdict::ReasonNeeded
        );
        assert_eq!(
            decide(
                DEPUTY,
                Change::Result,
                lesson,
                OPEN,
                d(28),
                7,
                "заявление учителя"
            ),
            Verdict::Allowed
        );
        // Even inside the window, changing someone else's lesson needs a reason.
        assert_eq!(
            decide(DEPUTY, Change::Result, d(27), OPEN, d(28), 7, " "),
            Verdict::ReasonNeeded
        );
        // A window of 0 days: the lesson's own day only.
        assert_eq!(
            decide(TEACHER, Change::Result, d(27), OPEN, d(27), 0, ""),
            Verdict::Allowed
        );
        assert_eq!(
            decide(TEACHER, Change::Result, d(27), OPEN, d(28), 0, ""),
            Verdict::WindowClosed
        );
    }
}
