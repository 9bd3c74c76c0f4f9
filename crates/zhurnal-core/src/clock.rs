//! Time is injected: every "now" comes from a [`Clock`], so tests can stand on any date
//! (DESIGN.md, Time). Instants are UTC; "today" is always computed in a school's zone.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;

    /// Milliseconds since the Unix epoch, the form instants are stored in.
    fn now_ms(&self) -> i64 {
        self.now().as_millisecond()
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock tests can set and move.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    pub fn at(ts: Timestamp) -> Self {
        FixedClock(AtomicI64::new(ts.as_millisecond()))
    }

    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millisecond(self.0.load(Ordering::SeqCst)).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// The calendar date at `now` in the time zone `tz` (an IANA name such as `Asia/Vladivostok`).
/// An unknown zone falls back to UTC rather than to Moscow: guessing Moscow is the classic bug.
pub fn today_in(now: Timestamp, tz: &str) -> Date {
    let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
    now.to_zoned(zone).date()
}

/// The academic year a date belongs to, named by the year it starts in: 1 September starts a
/// new one; the summer belongs to the year that just ended.
pub fn study_year_of(date: Date) -> i16 {
    if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn study_year_turns_on_first_of_september() {
        assert_eq!(study_year_of(Date::constant(2026, 8, 31)), 2025);
        assert_eq!(study_year_of(Date::constant(2026, 9, 1)), 2026);
        assert_eq!(study_year_of(Date::constant(2027, 5, 26)), 2026);
    }

    #[test]
    fn today_depends_on_the_school_zone() {
        // 20:30 UTC on 31 August is already 1 September in Khabarovsk, not yet in Moscow.
        let now: Timestamp = "2026-08-31T20:30:00Z".parse().unwrap();
        assert_eq!(
            today_in(now, "Asia/Vladivostok"),
            Date::constant(2026, 9, 1)
        );
        assert_eq!(today_in(now, "Europe/Moscow"), Date::constant(2026, 8, 31));
        assert_eq!(today_in(now, "Not/AZone"), Date::constant(2026, 8, 31));
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let clock = FixedClock::at("2026-11-28T10:00:00Z".parse().unwrap());
        let a = clock.now_ms();
        clock.advance_secs(90);
        assert_eq!(clock.now_ms() - a, 90_000);
    }
}
