//! The teacher's planned topics (календарно-тематическое планирование, КТП) for a subject
//! in a class: a numbered list of topics, each for one or more lessons, perhaps with the
//! homework. Loaded from the teacher's spreadsheet, it fills the topics of the year's
//! lessons in order, so the teacher only corrects what went differently.

use crate::sheet::Row;

/// A plan longer than this is not a year's plan of one subject (6 hours a week × 35 weeks
/// is 210 lessons; 400 leaves room for double lessons and reserve hours).
pub const MAX_LESSONS: usize = 400;
pub const MAX_TOPIC: usize = 500;
pub const MAX_HOMEWORK: usize = 2000;

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTopic {
    /// The line of the file, for messages.
    pub line: usize,
    pub topic: String,
    /// Lessons the topic takes (1 when not given).
    pub hours: u16,
    pub homework: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the plan has no topics")]
    Empty,
    #[error("line {line}: the topic is empty")]
    BlankTopic { line: usize },
    #[error("line {line}: «{value}» is not a number of hours (1–10)")]
    Hours { line: usize, value: String },
    #[error("line {line}: «{value}» is not a lesson number")]
    Number { line: usize, value: String },
    #[error(
        "line {line}: lesson number {number} comes after {previous}; the plan must go in order"
    )]
    Order {
        line: usize,
        number: u32,
        previous: u32,
    },
    #[error("line {line}: the text is longer than {max} characters")]
    TooLong { line: usize, max: usize },
    #[error("the plan has {found} lessons; at most {MAX_LESSONS} fit in a year")]
    TooMany { found: usize },
}

impl PlanError {
    pub fn line(&self) -> Option<usize> {
        match self {
            PlanError::Empty | PlanError::TooMany { .. } => None,
            PlanError::BlankTopic { line }
            | PlanError::Hours { line, .. }
            | PlanError::Number { line, .. }
            | PlanError::Order { line, .. }
            | PlanError::TooLong { line, .. } => Some(*line),
        }
    }
}

/// Which column holds what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    number: Option<usize>,
    topic: usize,
    hours: Option<usize>,
    homework: Option<usize>,
}

/// Columns named by a header row («№; Тема урока; Кол-во часов; Дата; Домашнее задание»),
/// in any order and with extra columns (dates, notes) ignored.
fn header(cells: &[String]) -> Option<Columns> {
    // A numbered line («1; Тема 1. Повторение») is content, whatever its words.
    if cells
        .iter()
        .any(|c| c.trim_end_matches('.').parse::<f64>().is_ok())
    {
        return None;
    }
    let find = |words: &[&str]| {
        cells.iter().position(|c| {
            let c = c.to_lowercase();
            words.iter().any(|w| c.contains(w))
        })
    };
    let topic = cells.iter().position(|c| {
        let c = c.trim().to_lowercase();
        ["тема", "topic", "наименование", "название"]
            .iter()
            .any(|w| c.starts_with(w))
    })?;
    let number = cells.iter().position(|c| {
        let c = c.trim().to_lowercase();
        c == "№"
            || c == "#"
            || c.starts_with("№ ")
            || c.contains("номер")
            || c == "no"
            || c == "n"
            || c == "урок"
    });
    Some(Columns {
        number: number.filter(|&n| n != topic),
        topic,
        hours: find(&["час", "hour"]).filter(|&n| n != topic),
        homework: find(&["домаш", "д/з", "дз", "homework"]).filter(|&n| n != topic),
    })
}

/// Columns of a plan without a header: a lone topic; number and topic; then hours,
/// then homework.
fn positional(cells: &[String]) -> Columns {
    let numbered = cells.len() > 1 && cells[0].trim_end_matches('.').parse::<u32>().is_ok();
    if numbered {
        Columns {
            number: Some(0),
            topic: 1,
            hours: (cells.len() > 2).then_some(2),
            homework: (cells.len() > 3).then_some(3),
        }
    } else {
        Columns {
            number: None,
            topic: 0,
            hours: (cells.len() > 1).then_some(1),
            homework: (cells.len() > 2).then_some(2),
        }
    }
}

fn cell(r: &Row, i: Option<usize>) -> &str {
    i.and_then(|i| r.cells.get(i)).map_or("", |s| s.trim())
}

/// Reads a plan from the rows of a spreadsheet; every problem is reported, with its line.
pub fn parse(rows: &[Row]) -> Result<Vec<PlannedTopic>, Vec<PlanError>> {
    let Some(first) = rows.first() else {
        return Err(vec![PlanError::Empty]);
    };
    let (cols, body) = match header(&first.cells) {
        Some(c) => (c, &rows[1..]),
        None => {
            // The widest line tells how many columns there are; the first tells whether
            // lines are numbered.
            let widest = rows.iter().map(|r| r.cells.len()).max().unwrap_or(1);
            let mut cells = first.cells.clone();
            cells.resize(widest.max(cells.len()), String::new());
            (positional(&cells), rows)
        }
    };
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut previous: Option<u32> = None;
    for r in body {
        let line = r.line;
        let topic = cell(r, Some(cols.topic));
        let number = cell(r, cols.number);
        // A section heading («Раздел 2. Алгебра») has neither number nor hours: skipped.
        if topic.is_empty() {
            if !number.is_empty() || !cell(r, cols.hours).is_empty() {
                errors.push(PlanError::BlankTopic { line });
            }
            continue;
        }
        if !number.is_empty() {
            match number.trim_end_matches('.').parse::<u32>() {
                Ok(n) => {
                    if let Some(p) = previous
                        && n <= p
                    {
                        errors.push(PlanError::Order {
                            line,
                            number: n,
                            previous: p,
                        });
                    }
                    previous = Some(n);
                }
                Err(_) => errors.push(PlanError::Number {
                    line,
                    value: number.to_owned(),
                }),
            }
        } else if cols.number.is_some() && cols.hours.is_some_and(|h| cell(r, Some(h)).is_empty()) {
            // Unnumbered and without hours in a numbered plan: a heading.
            continue;
        }
        let raw_hours = cell(r, cols.hours);
        let hours = if raw_hours.is_empty() {
            1
        } else {
            // Spreadsheets write whole numbers as «2» or «2.0».
            match raw_hours.replace(',', ".").parse::<f64>() {
                Ok(h) if h.fract() == 0.0 && (1.0..=10.0).contains(&h) => h as u16,
                _ => {
                    errors.push(PlanError::Hours {
                        line,
                        value: raw_hours.to_owned(),
                    });
                    1
                }
            }
        };
        let homework = cell(r, cols.homework);
        if topic.chars().count() > MAX_TOPIC {
            errors.push(PlanError::TooLong {
                line,
                max: MAX_TOPIC,
            });
        }
        if homework.chars().count() > MAX_HOMEWORK {
            errors.push(PlanError::TooLong {
                line,
                max: MAX_HOMEWORK,
            });
        }
        out.push(PlannedTopic {
            line,
            topic: topic.to_owned(),
            hours,
            homework: homework.to_owned(),
        });
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(PlanError::Empty);
    }
    let total: usize = out.iter().map(|t| usize::from(t.hours)).sum();
    if total > MAX_LESSONS {
        errors.push(PlanError::TooMany { found: total });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The plan as one entry per lesson: a topic of several hours takes that many lessons;
/// its homework goes with its last lesson.
pub fn lessons(plan: &[PlannedTopic]) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for t in plan {
        for hour in 1..=t.hours {
            let homework = if hour == t.hours {
                t.homework.as_str()
            } else {
                ""
            };
            out.push((t.topic.as_str(), homework));
        }
    }
    out
}

/// A lesson of the year as the filling needs it, in date order, cancelled ones left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearLesson {
    pub id: i64,
    pub topic: String,
    pub homework: String,
}

/// What to write: the `n`-th lesson of the year gets the plan's `n`-th entry, but only
/// where the teacher has not written a topic (and homework only where there is none).
/// Lessons beyond the plan stay as they are.
pub fn fill(year: &[YearLesson], plan: &[(&str, &str)]) -> Vec<(i64, String, String)> {
    year.iter()
        .zip(plan)
        .filter(|(l, _)| l.topic.trim().is_empty())
        .map(|(l, (topic, homework))| {
            let homework = if l.homework.trim().is_empty() {
                (*homework).to_owned()
            } else {
                l.homework.clone()
            };
            (l.id, (*topic).to_owned(), homework)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::csv_rows;

    #[test]
    fn header_in_any_order_with_extra_columns() {
        let rows = csv_rows(
            "Дата;№ урока;Тема урока;Кол-во часов;Домашнее задание\n\
             01.09;1;Повторение;1;№ 1–5\n\
             ;;Раздел 1. Дроби;;\n\
             03.09;2;Сложение дробей;2;§ 3\n",
        );
        let plan = parse(&rows).unwrap();
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].topic, "Повторение");
        assert_eq!(plan[0].homework, "№ 1–5");
        assert_eq!(plan[1].hours, 2);
        assert_eq!(plan[1].line, 4);
        assert_eq!(
            lessons(&plan),
            vec![
                ("Повторение", "№ 1–5"),
                ("Сложение дробей", ""),
                ("Сложение дробей", "§ 3")
            ]
        );
    }

    #[test]
    fn without_header_numbers_are_recognised() {
        let plan = parse(&csv_rows("1. ;Первая\n2;Вторая;2\n")).unwrap();
        assert_eq!(plan.iter().map(|t| t.hours).collect::<Vec<_>>(), vec![1, 2]);
        let plan = parse(&csv_rows("Только тема\nЕщё тема\n")).unwrap();
        assert_eq!(plan[1].topic, "Ещё тема");
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let rows = csv_rows("№;Тема;Часы\n1;Первая;два\n3;Третья;1\n2;Вторая;1\n4;;1\nx;Пятая;1\n");
        let errors = parse(&rows).unwrap_err();
        assert_eq!(
            errors,
            vec![
                PlanError::Hours {
                    line: 2,
                    value: "два".into()
                },
                PlanError::Order {
                    line: 4,
                    number: 2,
                    previous: 3
                },
                PlanError::BlankTopic { line: 5 },
                PlanError::Number {
                    line: 6,
                    value: "x".into()
                },
            ]
        );
        assert_eq!(
            parse(&csv_rows("№;Тема\n")).unwrap_err(),
            vec![PlanError::Empty]
        );
        assert_eq!(parse(&[]).unwrap_err(), vec![PlanError::Empty]);
        let long: String = (1..=401).map(|i| format!("{i};Тема {i}\n")).collect();
        assert_eq!(
            parse(&csv_rows(&long)).unwrap_err(),
            vec![PlanError::TooMany { found: 401 }]
        );
    }

    #[test]
    fn hours_written_by_a_spreadsheet_as_decimals() {
        let plan = parse(&csv_rows("№;Тема;Часы\n1;А;2.0\n2;Б;1,0\n")).unwrap();
        assert_eq!(plan[0].hours, 2);
        assert_eq!(plan[1].hours, 1);
        assert!(parse(&csv_rows("№;Тема;Часы\n1;А;1.5\n")).is_err());
    }

    #[test]
    fn filling_keeps_what_the_teacher_wrote() {
        let year = vec![
            YearLesson {
                id: 10,
                topic: String::new(),
                homework: String::new(),
            },
            YearLesson {
                id: 11,
                topic: "Своя тема".into(),
                homework: String::new(),
            },
            YearLesson {
                id: 12,
                topic: String::new(),
                homework: "Своё задание".into(),
            },
            YearLesson {
                id: 13,
                topic: String::new(),
                homework: String::new(),
            },
        ];
        let plan = [("Т1", "Д1"), ("Т2", "Д2"), ("Т3", "Д3")];
        assert_eq!(
            fill(&year, &plan),
            vec![
                (10, "Т1".into(), "Д1".into()),
                (12, "Т3".into(), "Своё задание".into()),
            ]
        );
    }
}
