//! `zhurnal report period-marks`: the summary sheet of a school's period — for every
//! student and subject the marks of the student's current period (quarter or half-year, by
//! the class's scheme), their average by the school's rule and the proposed period mark —
//! as CSV (`;`-separated, UTF-8 with a BOM, as Russian Excel opens it; quoted where needed,
//! formulas neutralised — `zhurnal_core::export`).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use jiff::civil::Date;
use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;
use zhurnal_core::assessment::propose_for;
use zhurnal_core::calendar::default_scheme;
use zhurnal_core::clock::{Clock, SystemClock, study_year_of, today_in};
use zhurnal_core::curriculum::{Grading, default_grading};
use zhurnal_core::grading::{Counted, MarkValue};
use zhurnal_store::{PeriodRow, Store};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The proposed period marks of every student and subject of a school.
    PeriodMarks {
        #[arg(long)]
        school: i64,
        /// The day whose period is reported (YYYY-MM-DD); default: today in the school's zone.
        #[arg(long)]
        date: Option<Date>,
        /// Where the CSV goes; `-` is standard output.
        #[arg(long, default_value = "-")]
        output: String,
    },
}

pub async fn run(store: &Store, cmd: ReportCommand) -> Result<()> {
    match cmd {
        ReportCommand::PeriodMarks {
            school,
            date,
            output,
        } => {
            let started = Instant::now();
            let row = store
                .school(school)
                .await?
                .with_context(|| format!("no school {school}"))?;
            let date = date.unwrap_or_else(|| today_in(SystemClock.now(), &row.time_zone));
            let sheet = period_sheet(store, school, date).await?;
            let mut out: Box<dyn Write> = if output == "-" {
                Box::new(std::io::stdout().lock())
            } else {
                Box::new(std::io::BufWriter::new(
                    std::fs::File::create(&output)
                        .with_context(|| format!("cannot write {output}"))?,
                ))
            };
            let header = [
                "Класс",
                "Ученик",
                "Предмет",
                "Период",
                "Отметок",
                "Средний балл",
                "Предложено",
            ];
            let rows = sheet.lines.iter().map(|l| {
                [
                    l.class.clone(),
                    l.student.clone(),
                    l.subject.clone(),
                    l.period.clone(),
                    l.marks.to_string(),
                    l.average.clone(),
                    l.proposed.clone(),
                ]
            });
            out.write_all(&zhurnal_core::export::csv(&header, rows))?;
            out.flush()?;
            eprintln!(
                "{} students, {} proposals from {} marks in {:.0} ms",
                sheet.students,
                sheet.lines.len(),
                sheet.marks,
                started.elapsed().as_secs_f64() * 1000.0
            );
            Ok(())
        }
    }
}

pub struct SheetLine {
    pub class: String,
    pub student: String,
    pub subject: String,
    pub period: String,
    pub marks: usize,
    pub average: String,
    pub proposed: String,
}

pub struct Sheet {
    pub students: usize,
    pub marks: usize,
    pub lines: Vec<SheetLine>,
}

/// The period of `scheme` that holds `date`, else the last one that ended before it.
fn period_of<'a>(periods: &'a [PeriodRow], scheme: &str, date: &str) -> Option<&'a PeriodRow> {
    let of_scheme = || {
        periods
            .iter()
            .filter(move |p| p.scheme == scheme && p.kind != "year")
    };
    of_scheme()
        .find(|p| p.start_date.as_str() <= date && date <= p.end_date.as_str())
        .or_else(|| {
            of_scheme()
                .filter(|p| p.end_date.as_str() < date)
                .max_by(|a, b| a.end_date.cmp(&b.end_date))
        })
}

/// How the curriculum assesses each subject in each parallel, where it says.
async fn gradings(store: &Store, school: i64, year: i16) -> Result<HashMap<(i32, i64), Grading>> {
    let mut out = HashMap::new();
    for parallel in 1..=11i16 {
        for row in store.curriculum(school, year, parallel).await? {
            if let Some(g) = row.grading.as_deref().and_then(Grading::parse) {
                out.insert((i32::from(parallel), row.subject_id), g);
            }
        }
    }
    Ok(out)
}

/// Computes the sheet: the students, the marks of the span of all their periods and the
/// curriculum, then the school's rule for every (student, subject) with marks, by the
/// subject's assessment.
pub async fn period_sheet(store: &Store, school: i64, date: Date) -> Result<Sheet> {
    let year = study_year_of(date);
    let periods = store.periods(school, year).await?;
    let overrides: HashMap<i32, String> = store
        .period_schemes(school, year)
        .await?
        .into_iter()
        .collect();
    let day = date.to_string();
    let students = store.school_students(school).await?;
    let period_by_student: HashMap<i64, &PeriodRow> = students
        .iter()
        .filter_map(|s| {
            let scheme = overrides
                .get(&s.parallel)
                .map_or_else(|| default_scheme(s.parallel as i16), String::as_str);
            Some((s.person_id, period_of(&periods, scheme, &day)?))
        })
        .collect();
    let (Some(from), Some(to)) = (
        period_by_student.values().map(|p| &p.start_date).min(),
        period_by_student.values().map(|p| &p.end_date).max(),
    ) else {
        bail!("school {school} has no periods in {year}/{}", year + 1);
    };
    let marks = store.school_marks(school, from, to).await?;
    let rules = store.grading_settings(school).await?.rules;
    let subjects: HashMap<i64, String> = store.school_subjects(school).await?.into_iter().collect();
    let grading = gradings(store, school, year).await?;
    let mut by_pair: HashMap<(i64, i64), Vec<Counted>> = HashMap::new();
    for m in &marks {
        let Some(p) = period_by_student.get(&m.person_id) else {
            continue;
        };
        if m.date < p.start_date || m.date > p.end_date {
            continue;
        }
        if let Ok(value) = MarkValue::parse(&m.value, rules.scale) {
            by_pair
                .entry((m.person_id, m.subject_id))
                .or_default()
                .push(Counted {
                    value,
                    weight: m.weight.clamp(0, 10) as u8,
                });
        }
    }
    let mut subject_order: Vec<(&i64, &String)> = subjects.iter().collect();
    subject_order.sort_by(|a, b| a.1.cmp(b.1));
    let mut lines = Vec::new();
    for s in &students {
        let Some(period) = period_by_student.get(&s.person_id) else {
            continue;
        };
        for (subject_id, subject) in &subject_order {
            let Some(counted) = by_pair.get(&(s.person_id, **subject_id)) else {
                continue;
            };
            let assessed = grading
                .get(&(s.parallel, **subject_id))
                .copied()
                .unwrap_or_else(|| default_grading(s.parallel as i16, subject));
            let p = propose_for(assessed, counted, &rules);
            lines.push(SheetLine {
                class: s.class_name.clone(),
                student: format!("{} {}", s.last_name, s.first_name),
                subject: (*subject).clone(),
                period: period.name.clone(),
                marks: counted.len(),
                average: p.average.as_ref().map_or(String::new(), |a| {
                    format!("{},{:02}", a.hundredths / 100, a.hundredths % 100)
                }),
                proposed: p.mark.map_or(String::new(), |m| m.to_string()),
            });
        }
    }
    Ok(Sheet {
        students: students.len(),
        marks: marks.len(),
        lines,
    })
}
