//! Starting a real school without the UI: `zhurnal municipality add`, `zhurnal school add`,
//! `zhurnal staff add` (with a one-time access code for the person), and
//! `zhurnal import roster`. Every change is audited as done from the command line.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::path::PathBuf;
use zhurnal_core::Role;
use zhurnal_core::account::print_code;
use zhurnal_core::clock::{Clock, SystemClock, study_year_of, today_in};
use zhurnal_core::roster;
use zhurnal_store::{AuditEntry, NewSchool, NewStaff, RosterPlace, RowFate, Store};

#[derive(Subcommand)]
pub enum MunicipalityCommand {
    /// Create a municipality; prints its id.
    Add {
        #[arg(long)]
        name: String,
        /// IANA time zone, e.g. Asia/Vladivostok.
        #[arg(long)]
        time_zone: String,
    },
}

#[derive(Subcommand)]
pub enum SchoolCommand {
    /// Create a school of a municipality; prints its id.
    Add {
        #[arg(long)]
        municipality: i64,
        /// The full name, as in the school's charter.
        #[arg(long)]
        name: String,
        #[arg(long)]
        short_name: String,
        #[arg(long, default_value = "")]
        city: String,
        /// IANA time zone; the municipality's when not given.
        #[arg(long)]
        time_zone: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Add a staff member with a position and school roles; prints the person's id and,
    /// with --access-code, a one-time code with which they create their own login.
    Add {
        #[arg(long)]
        school: i64,
        #[arg(long)]
        last_name: String,
        #[arg(long)]
        first_name: String,
        #[arg(long, default_value = "")]
        middle_name: String,
        /// «Заместитель директора по УВР», «Учитель математики»…
        #[arg(long)]
        position: String,
        /// A school role (director, deputy_director, teacher, clerk, tech_admin); repeat
        /// for several.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Issue a one-time access code (valid --code-days days).
        #[arg(long)]
        access_code: bool,
        #[arg(long, default_value_t = 14)]
        code_days: i64,
    },
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a school's roster (XLSX or CSV) all-or-nothing; exit status 0 when applied or
    /// clean, non-zero with every problem listed. With --template, write the empty template.
    Roster {
        #[arg(long, required_unless_present = "template")]
        school: Option<i64>,
        #[arg(long, required_unless_present = "template")]
        file: Option<PathBuf>,
        /// Check only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the roster template (CSV) to this file and exit.
        #[arg(long, conflicts_with_all = ["school", "file"])]
        template: Option<PathBuf>,
    },
}

fn entry(action: &str, school_id: Option<i64>) -> AuditEntry {
    AuditEntry {
        at: SystemClock.now_ms(),
        school_id,
        ip: "cli".into(),
        action: action.into(),
        outcome: "success".into(),
        details: "{\"via\":\"cli\"}".into(),
        ..AuditEntry::default()
    }
}

fn time_zone(raw: &str) -> Result<String> {
    jiff::tz::TimeZone::get(raw).with_context(|| format!("unknown time zone {raw:?}"))?;
    Ok(raw.to_owned())
}

fn text(what: &str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > 200 || s.chars().any(char::is_control) {
        bail!("{what} must be 1 to 200 characters without control characters");
    }
    Ok(s.to_owned())
}

pub async fn municipality(store: &Store, cmd: MunicipalityCommand) -> Result<()> {
    let MunicipalityCommand::Add {
        name,
        time_zone: tz,
    } = cmd;
    let id = store
        .create_municipality(
            &text("--name", &name)?,
            &time_zone(&tz)?,
            &entry("municipality.create", None),
        )
        .await?;
    println!("{id}");
    Ok(())
}

pub async fn school(store: &Store, cmd: SchoolCommand) -> Result<()> {
    let SchoolCommand::Add {
        municipality,
        name,
        short_name,
        city,
        time_zone: tz,
    } = cmd;
    let tz = match tz {
        Some(tz) => time_zone(&tz)?,
        None => store
            .municipality_zone(municipality)
            .await?
            .with_context(|| format!("there is no municipality {municipality}"))?,
    };
    let school = NewSchool {
        municipality_id: municipality,
        full_name: &text("--name", &name)?,
        short_name: &text("--short-name", &short_name)?,
        city: city.trim(),
        time_zone: &tz,
    };
    let id = match store
        .create_school(&school, &entry("school.create", None))
        .await
    {
        Err(zhurnal_store::StoreError::NotFound) => {
            bail!("there is no municipality {municipality}")
        }
        other => other?,
    };
    println!("{id}");
    Ok(())
}

pub async fn staff(store: &Store, cmd: StaffCommand) -> Result<()> {
    let StaffCommand::Add {
        school,
        last_name,
        first_name,
        middle_name,
        position,
        roles,
        access_code,
        code_days,
    } = cmd;
    let Some(row) = store.school_plain(school).await? else {
        bail!("there is no school {school}");
    };
    const GRANTABLE: [Role; 5] = [
        Role::Director,
        Role::DeputyDirector,
        Role::Teacher,
        Role::Clerk,
        Role::TechAdmin,
    ];
    if let Some(r) = roles.iter().find(|r| !GRANTABLE.contains(r)) {
        bail!(
            "{} is not given here: a school role is one of director, deputy_director, teacher, clerk, tech_admin",
            r.api_name()
        );
    }
    let today = today_in(SystemClock.now(), &row.time_zone).to_string();
    let names: Vec<&str> = roles.iter().map(|r| r.api_name()).collect();
    let person = store
        .add_staff(
            school,
            &NewStaff {
                last_name: &text("--last-name", &last_name)?,
                first_name: &text("--first-name", &first_name)?,
                middle_name: middle_name.trim(),
                position: &text("--position", &position)?,
                since: &today,
                roles: names,
            },
            &entry("staff.add", Some(school)),
        )
        .await?;
    println!("{person}");
    if access_code {
        let code = zhurnal_web::security::access_code();
        let mut audit = entry("access.code_issued", Some(school));
        audit.target_kind = "person".into();
        let expires = SystemClock.now_ms() + code_days.max(1) * 86_400_000;
        store
            .issue_access_code(
                school,
                person,
                &zhurnal_web::security::token_hash(&code),
                expires,
                None,
                &audit,
            )
            .await?;
        let until = jiff::Timestamp::from_millisecond(expires)?;
        println!(
            "access code {} valid until {} — the person signs up at /register",
            print_code(&code),
            today_in(until, &row.time_zone)
        );
    }
    Ok(())
}

pub async fn import(store: &Store, cmd: ImportCommand) -> Result<()> {
    let ImportCommand::Roster {
        school,
        file,
        dry_run,
        template,
    } = cmd;
    if let Some(path) = template {
        std::fs::write(&path, roster::template_csv())
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("Template written to {}", path.display());
        return Ok(());
    }
    let (Some(school), Some(file)) = (school, file) else {
        bail!("--school and --file are required");
    };
    let Some(row) = store.school_plain(school).await? else {
        bail!("there is no school {school}");
    };
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let today = today_in(SystemClock.now(), &row.time_zone);
    let rows = zhurnal_core::sheet::read(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let read = roster::read(&rows, today);
    for p in &read.problems {
        eprintln!(
            "row {}{}: {:?}",
            p.row,
            p.column
                .as_deref()
                .map(|c| format!(", column «{c}»"))
                .unwrap_or_default(),
            p.fault
        );
    }
    let since = today.to_string();
    let place = RosterPlace {
        school_id: school,
        study_year: study_year_of(today),
        since: &since,
        order_number: "",
    };
    let refuse = !read.problems.is_empty();
    let outcome = store
        .apply_roster(
            &place,
            &read.lines,
            dry_run || refuse,
            &entry("roster.import", Some(school)),
        )
        .await?;
    let mut counts = [0usize; 3];
    for (row, fate) in &outcome.rows {
        match fate {
            RowFate::New => counts[0] += 1,
            RowFate::Updated => counts[1] += 1,
            RowFate::Unchanged => counts[2] += 1,
            RowFate::InAnotherClass(c) => {
                eprintln!(
                    "row {row}: the student is in class {c} already (a transfer is made by order)"
                );
            }
        }
    }
    if refuse || !outcome.clean() {
        bail!("the roster has problems; nothing was imported");
    }
    println!(
        "{}: {} new, {} updated, {} unchanged; new classes: {}",
        if dry_run {
            "Checked, nothing changed"
        } else {
            "Imported"
        },
        counts[0],
        counts[1],
        counts[2],
        if outcome.new_classes.is_empty() {
            "none".to_owned()
        } else {
            outcome.new_classes.join(", ")
        }
    );
    Ok(())
}
