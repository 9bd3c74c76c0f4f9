//! `zhurnal backup` and `zhurnal restore`: a copy of the database taken while Zhurnal
//! serves, and the database put back from one.
//!
//! SQLite: the copy is one consistent snapshot (`VACUUM INTO`), checked by SQLite's
//! integrity check before it is kept; restoring copies it into place — into a new file, or
//! over one holding data only with `--force` — and opens it to apply migrations. PostgreSQL:
//! `pg_dump --format=custom` and `pg_restore`, which must be installed (the PostgreSQL
//! client package); restoring refuses a database holding data without `--force`.

use anyhow::{Context, Result, bail, ensure};
use std::path::{Path, PathBuf};
use std::process::Command;
use zhurnal_store::{DatabaseUrl, Store};

/// Copies the database at `url` to `output` (a new file).
pub async fn backup(url: &DatabaseUrl, output: &Path) -> Result<()> {
    ensure!(
        !output.exists(),
        "{} exists already: a backup never overwrites a file",
        output.display()
    );
    match url {
        DatabaseUrl::Sqlite(_) => {
            let store = connect(url).await?;
            // Written beside the target first, so a failed copy never looks like a backup.
            let partial = partial_of(output);
            let _ = std::fs::remove_file(&partial);
            store
                .copy_into(&partial)
                .await
                .context("cannot copy the database")?;
            store.close().await;
            let summary = check_copy(&partial).await?;
            std::fs::rename(&partial, output)
                .with_context(|| format!("cannot write {}", output.display()))?;
            println!(
                "Backup written to {}: {} schools, {} people, {} marks, {} history rows; integrity ok.",
                output.display(),
                summary.schools,
                summary.persons,
                summary.marks,
                summary.history
            );
            Ok(())
        }
        DatabaseUrl::Postgres(u) => {
            let out = output.to_string_lossy();
            run(Command::new("pg_dump").args([
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                &out,
                u,
            ]))?;
            println!("Backup written to {} by pg_dump.", output.display());
            Ok(())
        }
    }
}

/// Backs the database up into `schedule.dir` every `schedule.every` while `serve` runs,
/// keeping the newest `schedule.keep` copies; a failed backup is logged and tried again at
/// the next turn, never stopping the server.
pub fn spawn_schedule(url: DatabaseUrl, schedule: crate::config::BackupSchedule) {
    tokio::spawn(async move {
        let mut ticks =
            tokio::time::interval_at(tokio::time::Instant::now() + schedule.every, schedule.every);
        loop {
            ticks.tick().await;
            let name = jiff::Timestamp::now().strftime("zhurnal-%Y%m%d-%H%M%S.backup");
            let path = schedule.dir.join(name.to_string());
            let done = match std::fs::create_dir_all(&schedule.dir) {
                Ok(()) => backup(&url, &path).await,
                Err(e) => Err(e.into()),
            };
            match done {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "scheduled backup written");
                    match prune(&schedule.dir, schedule.keep) {
                        Ok(gone) if gone > 0 => tracing::info!(gone, "old backups removed"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!("cannot remove old backups: {e:#}"),
                    }
                }
                Err(e) => tracing::error!("scheduled backup failed: {e:#}"),
            }
        }
    });
}

/// Removes all but the newest `keep` of the scheduled backups in `dir` (only the files it
/// named itself: `zhurnal-YYYYMMDD-HHMMSS.backup`, whose names sort by time); how many.
pub fn prune(dir: &Path, keep: usize) -> Result<usize> {
    let mut ours: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("zhurnal-") && n.ends_with(".backup"))
        })
        .collect();
    ours.sort();
    let extra = ours.len().saturating_sub(keep);
    for old in &ours[..extra] {
        std::fs::remove_file(old).with_context(|| format!("cannot remove {}", old.display()))?;
    }
    Ok(extra)
}

/// Puts the backup `input` in place of the database at `url`.
pub async fn restore(input: &Path, url: &DatabaseUrl, force: bool) -> Result<()> {
    ensure!(input.is_file(), "{} is not a file", input.display());
    if !force {
        refuse_data(url).await?;
    }
    match url {
        DatabaseUrl::Sqlite(target) => {
            ensure!(
                is_sqlite(input)?,
                "{} is not a SQLite backup (a PostgreSQL dump goes to a postgres:// database)",
                input.display()
            );
            let partial = partial_of(target);
            let _ = std::fs::remove_file(&partial);
            std::fs::copy(input, &partial)
                .with_context(|| format!("cannot write {}", partial.display()))?;
            let summary = check_copy(&partial).await?;
            for end in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(with_suffix(target, end));
            }
            std::fs::rename(&partial, target)
                .with_context(|| format!("cannot write {}", target.display()))?;
            println!(
                "Restored into {}: {} schools, {} people, {} marks.",
                target.display(),
                summary.schools,
                summary.persons,
                summary.marks
            );
            Ok(())
        }
        DatabaseUrl::Postgres(u) => {
            ensure!(
                !is_sqlite(input)?,
                "{} is a SQLite backup: restore it into a sqlite:// database",
                input.display()
            );
            let file = input.to_string_lossy();
            run(Command::new("pg_restore").args([
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                u,
                &file,
            ]))?;
            let store = connect(url).await?;
            let s = store.summary().await?;
            store.close().await;
            println!(
                "Restored by pg_restore: {} schools, {} people, {} marks.",
                s.schools, s.persons, s.marks
            );
            Ok(())
        }
    }
}

/// A database holding any school or person is not overwritten without `--force`.
async fn refuse_data(url: &DatabaseUrl) -> Result<()> {
    if let DatabaseUrl::Sqlite(path) = url
        && !path.exists()
    {
        return Ok(());
    }
    let store = connect(url).await?;
    let s = store.summary().await?;
    store.close().await;
    if s.schools > 0 || s.persons > 0 {
        bail!(
            "{url} holds data ({} schools, {} people): restore into a new database, or add --force to replace it",
            s.schools,
            s.persons
        );
    }
    Ok(())
}

/// Opens a copy (which applies any newer migrations) and checks it whole.
async fn check_copy(path: &Path) -> Result<zhurnal_store::CopySummary> {
    let store = Store::connect(&DatabaseUrl::Sqlite(path.to_owned()))
        .await
        .with_context(|| format!("{} is not a Zhurnal database", path.display()))?;
    let integrity = store.integrity().await?;
    let summary = store.summary().await?;
    store.close().await;
    ensure!(
        integrity == "ok",
        "the copy failed SQLite's integrity check: {integrity}"
    );
    Ok(summary)
}

async fn connect(url: &DatabaseUrl) -> Result<Store> {
    Store::connect(url)
        .await
        .with_context(|| format!("cannot open database {url}"))
}

fn is_sqlite(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let n = file.read(&mut head)?;
    Ok(n == 16 && &head == b"SQLite format 3\0")
}

fn with_suffix(path: &Path, end: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(end);
    PathBuf::from(s)
}

fn partial_of(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}

fn run(cmd: &mut Command) -> Result<()> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd
        .output()
        .with_context(|| format!("cannot run {name}: is the PostgreSQL client installed?"))?;
    ensure!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_scheduled_backups_are_kept() {
        let dir = std::env::temp_dir().join(format!("zhurnal_prune_{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "zhurnal-20261201-020000.backup",
            "zhurnal-20261203-020000.backup",
            "zhurnal-20261202-020000.backup",
            "zhurnal-20261204-020000.backup",
            "someone-elses.backup",
            "zhurnal-notes.txt",
        ] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        assert_eq!(prune(&dir, 2).unwrap(), 2);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "someone-elses.backup",
                "zhurnal-20261203-020000.backup",
                "zhurnal-20261204-020000.backup",
                "zhurnal-notes.txt"
            ]
        );
        assert_eq!(prune(&dir, 2).unwrap(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
