//! `zhurnal gen`: a deterministic city of schools for the benchmarks — the demo's generator
//! at any size, with every student, parent and teacher given a login (password `demo`, one
//! shared hash) and the journal filled up to a day (by default the whole school year).
//! Never for real data: it wipes the database it is given.

use crate::demo::{Plan, fill, recreate};
use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use std::io::Write;
use std::time::Instant;
use zhurnal_core::clock::{Clock, SystemClock, study_year_of, today_in};
use zhurnal_core::demo::Size;
use zhurnal_store::DatabaseUrl;

/// What `zhurnal gen` was asked for.
pub struct GenArgs {
    pub schools: u32,
    pub students_per_school: u32,
    pub seed: u64,
    /// The school year by the year it starts in; by default the current one.
    pub year: Option<i16>,
    /// Fill the journal up to this day (exclusive); by default the whole year.
    pub until: Option<Date>,
    pub database: String,
}

/// The tables counted in the final report, the big ones first.
const COUNTED: [&str; 9] = [
    "marks",
    "journal_history",
    "lessons",
    "works",
    "lesson_log_entries",
    "period_marks",
    "persons",
    "users",
    "edu_group_members",
];

pub async fn run(args: GenArgs) -> Result<()> {
    if args.schools == 0 || args.students_per_school < 20 {
        bail!("--schools must be at least 1 and --students-per-school at least 20");
    }
    let url: DatabaseUrl = args.database.parse()?;
    let today = today_in(SystemClock.now(), "Asia/Vladivostok");
    let year = args.year.unwrap_or_else(|| study_year_of(today));
    // The network is generated for the year that holds `day`; the journal stops before it.
    let year_end = Date::new(year + 1, 6, 30)?;
    let until = args.until.unwrap_or(year_end);
    if study_year_of(until) != year && until != year_end {
        bail!(
            "--until {until} is not in the school year {year}/{}",
            year + 1
        );
    }
    let started = Instant::now();
    eprintln!(
        "Generating {} school(s) × ~{} students, seed {}, school year {year}/{}, journal up to {until}, into {url}",
        args.schools,
        args.students_per_school,
        args.seed,
        year + 1
    );
    let store = recreate(&url).await?;
    let plan = Plan {
        seed: args.seed,
        size: Size::city(args.schools, args.students_per_school),
        today: until,
        journal: true,
        shared_hash: true,
    };
    let mut report = |done: usize, all: usize| {
        let secs = started.elapsed().as_secs_f64();
        let width = 30;
        let filled = (done * width).checked_div(all).unwrap_or(width);
        eprint!(
            "\r[{}{}] {done}/{all} schools, {secs:.0} s",
            "#".repeat(filled),
            ".".repeat(width - filled)
        );
        let _ = std::io::stderr().flush();
    };
    let net = fill(&store, &plan, SystemClock.now_ms(), &mut report)
        .await
        .context("generation failed")?;
    eprintln!();
    let secs = started.elapsed().as_secs_f64();
    let mut rows = 0i64;
    let mut parts = Vec::new();
    for table in COUNTED {
        let n = store.count_rows(table).await?;
        rows += n;
        parts.push(format!("{table} {n}"));
    }
    let size = store.database_size().await?;
    let students = net
        .grants
        .iter()
        .filter(|g| g.role == zhurnal_core::Role::Student)
        .count();
    eprintln!("{}", parts.join(", "));
    println!(
        "Generated {} schools, {students} students, {} logins (password «demo»): {rows} rows in {secs:.0} s ({:.0} rows/s); database {:.1} MiB",
        net.schools.len(),
        net.accounts.len(),
        rows as f64 / secs.max(0.001),
        size as f64 / 1_048_576.0
    );
    Ok(())
}
