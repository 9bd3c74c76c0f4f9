//! Reading a weekly timetable from CSV (§2.6): one lesson per line,
//! `class; weekday; number; subject; teacher; room`, as exported from a spreadsheet.
//! The separator (`;`, `,` or a tab) is taken from the first line; a header line is skipped.
//! Names are resolved to ids by the caller, who knows the school.

use crate::sheet::{separator, split};

/// One lesson line as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLine {
    /// 1-based line number in the file, for messages.
    pub line: usize,
    pub class: String,
    /// 1 = Monday … 6 = Saturday.
    pub weekday: i8,
    pub number: i16,
    pub subject: String,
    pub teacher: String,
    pub room: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "line {line}: expected 5 or 6 columns (class, weekday, number, subject, teacher, room), found {found}"
    )]
    Columns { line: usize, found: usize },
    #[error("line {line}: «{value}» is not a weekday (1–6, пн–сб)")]
    Weekday { line: usize, value: String },
    #[error("line {line}: «{value}» is not a lesson number (0–12)")]
    Number { line: usize, value: String },
    #[error("line {line}: the {field} is empty")]
    Blank { line: usize, field: &'static str },
}

impl CsvError {
    pub fn line(&self) -> Option<usize> {
        match self {
            CsvError::Empty => None,
            CsvError::Columns { line, .. }
            | CsvError::Weekday { line, .. }
            | CsvError::Number { line, .. }
            | CsvError::Blank { line, .. } => Some(*line),
        }
    }
}

fn weekday(raw: &str) -> Option<i8> {
    let s = raw.trim().to_lowercase();
    if let Ok(n) = s.parse::<i8>() {
        return (1..=6).contains(&n).then_some(n);
    }
    const NAMES: [[&str; 4]; 6] = [
        ["пн", "понедельник", "mon", "monday"],
        ["вт", "вторник", "tue", "tuesday"],
        ["ср", "среда", "wed", "wednesday"],
        ["чт", "четверг", "thu", "thursday"],
        ["пт", "пятница", "fri", "friday"],
        ["сб", "суббота", "sat", "saturday"],
    ];
    let s = s.trim_end_matches('.');
    NAMES
        .iter()
        .position(|names| names.contains(&s))
        .map(|i| i as i8 + 1)
}

/// Parses the whole file; every problem is reported, with its line.
pub fn parse(text: &str) -> (Vec<CsvLine>, Vec<CsvError>) {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .peekable();
    let Some((_, first)) = lines.peek().copied() else {
        return (Vec::new(), vec![CsvError::Empty]);
    };
    let sep = separator(first);
    let header = {
        let f = first.to_lowercase();
        f.contains("класс") || f.contains("class")
    };
    if header {
        lines.next();
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for (i, raw) in lines {
        let line = i + 1;
        let cols = split(raw, sep);
        if !(5..=6).contains(&cols.len()) {
            errors.push(CsvError::Columns {
                line,
                found: cols.len(),
            });
            continue;
        }
        let mut bad = false;
        for (idx, field) in [(0, "class"), (3, "subject"), (4, "teacher")] {
            if cols[idx].is_empty() {
                errors.push(CsvError::Blank { line, field });
                bad = true;
            }
        }
        let wd = weekday(&cols[1]);
        if wd.is_none() {
            errors.push(CsvError::Weekday {
                line,
                value: cols[1].clone(),
            });
        }
        let number = cols[2].parse::<i16>().ok().filter(|n| (0..=12).contains(n));
        if number.is_none() {
            errors.push(CsvError::Number {
                line,
                value: cols[2].clone(),
            });
        }
        if let (Some(weekday), Some(number), false) = (wd, number, bad) {
            out.push(CsvLine {
                line,
                class: cols[0].clone(),
                weekday,
                number,
                subject: cols[3].clone(),
                teacher: cols[4].clone(),
                room: cols.get(5).cloned().unwrap_or_default(),
            });
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(CsvError::Empty);
    }
    (out, errors)
}

/// Names compared the way people type them: case, «ё», extra spaces and dots do not matter.
pub fn normalise_name(s: &str) -> String {
    s.to_lowercase()
        .replace('ё', "е")
        .replace('.', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_with_a_header() {
        let text = "Класс;День;Урок;Предмет;Учитель;Кабинет\n7Б;пн;1;Алгебра;Иванова Мария Петровна;21\n7Б;2;2;\"Русский язык\";Петров П. П.;\n";
        let (lines, errors) = parse(text);
        assert_eq!(errors, vec![]);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (
                lines[0].line,
                lines[0].weekday,
                lines[0].number,
                lines[0].room.as_str()
            ),
            (2, 1, 1, "21")
        );
        assert_eq!(
            (
                lines[1].weekday,
                lines[1].subject.as_str(),
                lines[1].room.as_str()
            ),
            (2, "Русский язык", "")
        );
    }

    #[test]
    fn reads_tabs_and_commas_without_a_header() {
        let (lines, errors) = parse("7Б\tВторник\t3\tФизика\tСидоров\t30\n");
        assert!(errors.is_empty() && lines[0].weekday == 2);
        let (lines, errors) = parse("\u{feff}7Б,Sat,4,Химия,Сидоров,\"Лаб, 2\"\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((lines[0].weekday, lines[0].room.as_str()), (6, "Лаб, 2"));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let (lines, errors) = parse(
            "7Б;вс;1;Алгебра;Иванова\n7Б;пн;13;Алгебра;Иванова\n7Б;пн;1\n;пн;1;Алгебра;Иванова\n",
        );
        assert!(lines.is_empty());
        assert_eq!(
            errors,
            vec![
                CsvError::Weekday {
                    line: 1,
                    value: "вс".into()
                },
                CsvError::Number {
                    line: 2,
                    value: "13".into()
                },
                CsvError::Columns { line: 3, found: 3 },
                CsvError::Blank {
                    line: 4,
                    field: "class"
                },
            ]
        );
        assert_eq!(parse("  \n\n").1, vec![CsvError::Empty]);
    }

    #[test]
    fn names_compare_loosely() {
        assert_eq!(
            normalise_name("Фёдорова  А.Б."),
            normalise_name("федорова а б")
        );
    }
}
