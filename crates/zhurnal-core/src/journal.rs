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
