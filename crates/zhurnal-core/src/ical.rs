//! iCalendar (RFC 5545) text for a student's calendar feed: lessons as timed events and
//! homework as all-day events on the day it is due. Only what calendars need: escaped
//! text, lines folded at 75 octets without splitting a UTF-8 character, CRLF endings.

use jiff::Timestamp;
use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// From and to, as instants (written in UTC).
    Timed(Timestamp, Timestamp),
    /// A whole day.
    Day(Date),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Unique and stable across refreshes, so calendars update rather than duplicate.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// A cancelled lesson stays in the feed with STATUS:CANCELLED.
    pub cancelled: bool,
}

/// TEXT value escaping (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into lines of at most 75 octets, continuation lines starting
/// with a space (§3.1), each ended by CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The whole calendar. `stamp` is when the feed was produced (DTSTAMP).
pub fn calendar(name: &str, events: &[Event], stamp: Timestamp) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Zhurnal//Diary//RU".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&e.uid)));
        line(format!("DTSTAMP:{}", utc(stamp)));
        match &e.when {
            When::Timed(from, to) => {
                line(format!("DTSTART:{}", utc(*from)));
                line(format!("DTEND:{}", utc(*to)));
            }
            When::Day(d) => {
                let next = d.tomorrow().unwrap_or(*d);
                line(format!("DTSTART;VALUE=DATE:{}", d.strftime("%Y%m%d")));
                line(format!("DTEND;VALUE=DATE:{}", next.strftime("%Y%m%d")));
                line("TRANSP:TRANSPARENT".into());
            }
        }
        line(format!("SUMMARY:{}", escape(&e.summary)));
        if !e.location.is_empty() {
            line(format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if e.cancelled {
            line("STATUS:CANCELLED".into());
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("§ 3, № 1; a\\b\nc"), "§ 3\\, № 1\\; a\\\\b\\nc");
    }

    #[test]
    fn long_lines_fold_between_characters() {
        let long = format!("SUMMARY:{}", "Ж".repeat(60));
        let folded = fold(&long);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        // Unfolding gives the line back.
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }

    #[test]
    fn a_calendar_with_a_lesson_and_homework() {
        let from: Timestamp = "2026-11-30T23:30:00Z".parse().unwrap();
        let to: Timestamp = "2026-12-01T00:15:00Z".parse().unwrap();
        let events = [
            Event {
                uid: "lesson-1@zhurnal".into(),
                when: When::Timed(from, to),
                summary: "Алгебра".into(),
                location: "каб. 134".into(),
                description: "Тема: Одночлены".into(),
                cancelled: false,
            },
            Event {
                uid: "homework-1@zhurnal".into(),
                when: When::Day(Date::constant(2026, 12, 2)),
                summary: "ДЗ: Алгебра".into(),
                location: String::new(),
                description: "№ 512, 514".into(),
                cancelled: true,
            },
        ];
        let text = calendar("Дневник", &events, from);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.contains("DTSTART:20261130T233000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261202\r\nDTEND;VALUE=DATE:20261203\r\n"));
        assert!(text.contains("DESCRIPTION:№ 512\\, 514\r\nSTATUS:CANCELLED\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
