//! The `zhurnal` command line: configuration, the demo, account administration, serving.
//! `main.rs` only calls [`main`]; integration tests use the same functions.

pub mod backup;
pub mod city;
pub mod config;
pub mod demo;
pub mod report;
pub mod school;
pub mod user;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;
use zhurnal_core::clock::{Clock, SystemClock};
use zhurnal_store::{DatabaseUrl, Store};
use zhurnal_web::AppState;

#[derive(Parser)]
#[command(
    name = "zhurnal",
    version,
    about = "Zhurnal: electronic school journal and diary"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// Database: sqlite://PATH (relative), sqlite:///ABS/PATH or postgres://…
    #[arg(long, env = "ZHURNAL_DATABASE_URL", global = true)]
    database: Option<String>,
    /// Configuration file (TOML).
    #[arg(long, env = "ZHURNAL_CONFIG", global = true)]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Zhurnal (creates and migrates the database on first start).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 or 0.0.0.0:80.
        #[arg(long, env = "ZHURNAL_LISTEN")]
        listen: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create (or recreate) a demo school network and serve it.
    Demo {
        #[arg(long, env = "ZHURNAL_LISTEN")]
        listen: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        /// Seed of the generated network: the same seed gives the same people.
        #[arg(long, default_value_t = 72)]
        seed: u64,
    },
    /// Generate a city of schools for the benchmarks (wipes the database): every student,
    /// parent and teacher gets a login (`s…`, `p…`, `t…` and the person's id; password
    /// `demo`), and the journal is filled for the whole school year or up to --until.
    Gen {
        /// How many schools.
        #[arg(long, default_value_t = 1)]
        schools: u32,
        /// About how many students each school has (classes of 22–28).
        #[arg(long, default_value_t = 1000)]
        students_per_school: u32,
        /// The same seed gives the same city.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The school year by the year it starts in (2026 for 2026/2027); default: the current.
        #[arg(long)]
        year: Option<i16>,
        /// Fill the journal for the lessons before this day (YYYY-MM-DD); default: the whole year.
        #[arg(long)]
        until: Option<jiff::civil::Date>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Reports computed from the journal (CSV).
    Report {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        kind: report::ReportCommand,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Derive the lessons again: of every school year marked as possibly out of date (an
    /// edit whose second step did not finish), or of one school's year.
    RepairLessons {
        #[command(flatten)]
        db: DbArgs,
        /// One school's id (with --year): derive its year again even if not marked.
        #[arg(long, requires = "year")]
        school: Option<i64>,
        /// The academic year by the year it starts in (2026 for 2026/2027).
        #[arg(long, requires = "school")]
        year: Option<i16>,
    },
    /// Copy the database while Zhurnal serves: SQLite into a new file (one consistent
    /// snapshot, integrity-checked), PostgreSQL by pg_dump.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// The file to write; it must not exist.
        #[arg(long)]
        output: PathBuf,
    },
    /// Put a backup in place of the database (stop Zhurnal first). A database holding data
    /// is replaced only with --force.
    Restore {
        #[command(flatten)]
        db: DbArgs,
        /// The backup to restore.
        #[arg(long)]
        input: PathBuf,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
    },
    /// Municipalities: `municipality add`.
    Municipality {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: school::MunicipalityCommand,
    },
    /// Schools: `school add`.
    School {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: school::SchoolCommand,
    },
    /// A school's staff: `staff add` (with a one-time access code).
    Staff {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: school::StaffCommand,
    },
    /// Bring a school's data in from a spreadsheet: `import roster`.
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        what: school::ImportCommand,
    },
    /// Manage login accounts without the UI.
    User {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        action: user::UserCommand,
    },
}

/// Parses the command line and runs it.
pub fn main() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { listen, db } => {
            let settings = settings(&db, listen, config::DEFAULT_LISTEN)?;
            init_logging(&settings.log);
            let store = open(&settings.database).await?;
            serve(store, settings).await
        }
        Command::Demo { listen, db, seed } => {
            let settings = settings(&db, listen, config::DEFAULT_LISTEN)?;
            init_logging(&settings.log);
            let url: DatabaseUrl = settings.database.parse()?;
            let store = demo::create_now(&url, seed).await?;
            demo::print_logins();
            serve(store, settings).await
        }
        Command::Gen {
            schools,
            students_per_school,
            seed,
            year,
            until,
            db,
        } => {
            let settings = settings(&db, None, config::DEFAULT_LISTEN)?;
            // Counting tens of millions of rows at the end is slow by nature: not a warning.
            init_logging("warn,sqlx::query=error");
            city::run(city::GenArgs {
                schools,
                students_per_school,
                seed,
                year,
                until,
                database: settings.database,
            })
            .await
        }
        Command::Report { db, kind } => {
            let settings = settings(&db, None, config::DEFAULT_LISTEN)?;
            init_logging("warn");
            let store = open(&settings.database).await?;
            report::run(&store, kind).await
        }
        Command::Migrate { db } => {
            let settings = settings(&db, None, config::DEFAULT_LISTEN)?;
            init_logging(&settings.log);
            open(&settings.database).await?;
            println!(
                "Database {} is up to date.",
                settings.database.parse::<DatabaseUrl>()?
            );
            Ok(())
        }
        Command::RepairLessons { db, school, year } => {
            let settings = settings(&db, None, config::DEFAULT_LISTEN)?;
            init_logging("warn");
            let store = open(&settings.database).await?;
            let only = school.zip(year);
            let done = store
                .repair_lessons(only, SystemClock.now_ms())
                .await
                .context("cannot derive the lessons again")?;
            if done.is_empty() {
                println!("No lessons were marked as out of date.");
            }
            for (school, year) in done {
                println!(
                    "School {school}, {year}/{}: lessons derived again.",
                    year + 1
                );
            }
            Ok(())
        }
        Command::Backup { db, output } => {
            let settings = settings(&db, None, config::DEFAULT_LISTEN)?;
            init_logging("warn");
            backup::backup(&settings.database.parse()?, &output).await
        }
        Command::Restore { db, input, force } => {
            let settings = settings(&db, None, config::DEFAULT_LISTEN)?;
            init_logging("warn");
            backup::restore(&input, &settings.database.parse()?, force).await
        }
        Command::Municipality { db, action } => {
            let store = admin_store(&db).await?;
            school::municipality(&store, action).await
        }
        Command::School { db, action } => {
            let store = admin_store(&db).await?;
            school::school(&store, action).await
        }
        Command::Staff { db, action } => {
            let store = admin_store(&db).await?;
            school::staff(&store, action).await
        }
        Command::Import { db, what } => {
            let store = admin_store(&db).await?;
            school::import(&store, what).await
        }
        Command::User { db, action } => {
            let settings = settings(&db, None, config::DEFAULT_LISTEN)?;
            init_logging("warn");
            let store = open(&settings.database).await?;
            user::run(&store, action).await
        }
    }
}

/// The store for a command-line administration command: quiet logs, migrated database.
async fn admin_store(db: &DbArgs) -> Result<Store> {
    let settings = settings(db, None, config::DEFAULT_LISTEN)?;
    init_logging("warn");
    open(&settings.database).await
}

fn settings(db: &DbArgs, listen: Option<String>, default_listen: &str) -> Result<config::Settings> {
    let file = config::load(db.config.as_deref())?;
    config::resolve(file, listen, db.database.clone(), default_listen)
}

fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZHURNAL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{default},sqlx=warn")));
    // Logs go to stderr; stdout carries only what the person asked for (URL, logins).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn open(database: &str) -> Result<Store> {
    let url: DatabaseUrl = database.parse()?;
    Store::connect(&url)
        .await
        .with_context(|| format!("cannot open database {url}"))
}

async fn serve(store: Store, settings: config::Settings) -> Result<()> {
    // An edit that committed while its lessons were not derived again (the process stopped
    // in between) left a mark: derive those years again before serving.
    let repaired = store
        .repair_lessons(None, SystemClock.now_ms())
        .await
        .context("cannot repair the derived lessons")?;
    for (school, year) in repaired {
        tracing::warn!(
            school,
            year,
            "lessons were out of date and are derived again"
        );
    }
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    let state =
        AppState::new(store, Arc::new(SystemClock), settings.web).map_err(anyhow::Error::msg)?;
    println!("Zhurnal is listening on http://{addr}");
    tracing::info!(%addr, "serving");
    if let Some(schedule) = settings.backup.clone() {
        tracing::info!(dir = %schedule.dir.display(), hours = schedule.every.as_secs() / 3600, keep = schedule.keep, "backing up on a schedule");
        backup::spawn_schedule(settings.database.parse()?, schedule);
    }
    if let Some(smtp) = state.cfg.smtp.clone() {
        tracing::info!(relay = %format!("{}:{}", smtp.host, smtp.port), "emailing notices to families");
        zhurnal_web::mail::spawn(state.clone(), smtp, std::time::Duration::from_secs(30));
    }
    zhurnal_web::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM: in-flight requests finish, new ones are refused.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested");
}
