//! Configuration: built-in defaults, then the TOML file, then `ZHURNAL_*` environment
//! variables, then command-line flags (each later one wins).

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;
use zhurnal_web::WebConfig;

pub const DEFAULT_DATABASE: &str = "sqlite://zhurnal.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The file format. Every field is optional; unknown keys are an error, so a typo is caught.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub database: Option<String>,
    pub log: Option<String>,
    #[serde(default)]
    pub web: WebFile,
    /// The mail relay for notices to families (`[smtp] host, port, from, digest_hour`).
    pub smtp: Option<zhurnal_web::mail::SmtpConfig>,
    /// Backups taken by `serve` itself (`[backup] dir, every_hours, keep`).
    pub backup: Option<BackupFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupFile {
    pub dir: std::path::PathBuf,
    #[serde(default = "a_day")]
    pub every_hours: i64,
    #[serde(default = "two_weeks")]
    pub keep: i64,
}

fn a_day() -> i64 {
    24
}

fn two_weeks() -> i64 {
    14
}

/// Backups `serve` takes on its own: into `dir`, every `every`, the newest `keep` kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    pub dir: std::path::PathBuf,
    pub every: std::time::Duration,
    pub keep: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebFile {
    pub secure_cookies: Option<bool>,
    pub trust_proxy: Option<bool>,
    pub public_url: Option<String>,
    pub idle_timeout_minutes: Option<i64>,
    pub absolute_timeout_minutes: Option<i64>,
    pub api_token_minutes: Option<i64>,
    /// Days a family's one-time access code stays valid (default 14).
    pub access_code_days: Option<i64>,
    pub login_max_failures: Option<i64>,
    pub login_max_failures_per_ip: Option<i64>,
    pub login_lock_minutes: Option<i64>,
    /// Requests worked on at once; more wait (up to queue_wait_ms), then get 503.
    pub max_in_flight: Option<i64>,
    pub queue_wait_ms: Option<i64>,
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: String,
    pub database: String,
    pub log: String,
    pub web: WebConfig,
    pub backup: Option<BackupSchedule>,
}

fn schedule(b: BackupFile) -> Result<BackupSchedule> {
    anyhow::ensure!(
        (1..=24 * 31).contains(&b.every_hours),
        "backup.every_hours must be 1–744, got {}",
        b.every_hours
    );
    anyhow::ensure!(
        (1..=1000).contains(&b.keep),
        "backup.keep must be 1–1000, got {}",
        b.keep
    );
    anyhow::ensure!(
        !b.dir.as_os_str().is_empty(),
        "backup.dir must name a folder"
    );
    Ok(BackupSchedule {
        dir: b.dir,
        every: std::time::Duration::from_secs(b.every_hours as u64 * 3600),
        keep: b.keep as usize,
    })
}

pub fn load(file: Option<&Path>) -> Result<FileConfig> {
    let Some(path) = file else {
        return Ok(FileConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read configuration file {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("configuration file {} is invalid", path.display()))
}

/// Resolves the settings. `listen` and `database` come from flags or env through clap
/// (which already prefers the flag); the file only fills what both left unset.
pub fn resolve(
    file: FileConfig,
    listen: Option<String>,
    database: Option<String>,
    default_listen: &str,
) -> Result<Settings> {
    let mut web = WebConfig::default();
    let w = file.web;
    if let Some(v) = w.secure_cookies {
        web.secure_cookies = v;
    }
    if let Some(v) = w.trust_proxy {
        web.trust_proxy = v;
    }
    if let Some(url) = w.public_url {
        let origin = zhurnal_web::public_origin(&url)
            .map_err(|why| anyhow::anyhow!("web.public_url {why}, got «{url}»"))?;
        web.public_url = Some(origin);
    }
    let positive = |name: &str, v: i64| -> Result<i64> {
        anyhow::ensure!(v > 0, "web.{name} must be a positive number, got {v}");
        Ok(v)
    };
    if let Some(v) = w.idle_timeout_minutes {
        web.idle_timeout_minutes = positive("idle_timeout_minutes", v)?;
    }
    if let Some(v) = w.absolute_timeout_minutes {
        web.absolute_timeout_minutes = positive("absolute_timeout_minutes", v)?;
    }
    if let Some(v) = w.api_token_minutes {
        web.api_token_minutes = positive("api_token_minutes", v)?;
    }
    if let Some(v) = w.access_code_days {
        web.access_code_days = positive("access_code_days", v)?;
    }
    if let Some(v) = w.login_max_failures {
        web.throttle.max_per_login = positive("login_max_failures", v)?;
    }
    if let Some(v) = w.login_max_failures_per_ip {
        web.throttle.max_per_ip = positive("login_max_failures_per_ip", v)?;
    }
    if let Some(v) = w.login_lock_minutes {
        web.throttle.lock_ms = positive("login_lock_minutes", v)? * 60_000;
        web.throttle.window_ms = web.throttle.lock_ms;
    }
    if let Some(v) = w.max_in_flight {
        web.shed.max_in_flight = positive("max_in_flight", v)? as usize;
    }
    if let Some(v) = w.queue_wait_ms {
        web.shed.queue_wait =
            std::time::Duration::from_millis(positive("queue_wait_ms", v)? as u64);
    }
    if let Some(smtp) = file.smtp {
        anyhow::ensure!(!smtp.host.is_empty(), "smtp.host must name the mail relay");
        anyhow::ensure!(
            smtp.from.contains('@'),
            "smtp.from must be an email address, got «{}»",
            smtp.from
        );
        anyhow::ensure!(
            (0..24).contains(&smtp.digest_hour),
            "smtp.digest_hour must be 0–23"
        );
        web.smtp = Some(smtp);
    }
    Ok(Settings {
        listen: listen
            .or(file.listen)
            .unwrap_or_else(|| default_listen.to_owned()),
        database: database
            .or(file.database)
            .unwrap_or_else(|| DEFAULT_DATABASE.to_owned()),
        log: file.log.unwrap_or_else(|| "info".to_owned()),
        web,
        backup: file.backup.map(schedule).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_beats_defaults() {
        let file: FileConfig = toml::from_str(
            "listen = \"0.0.0.0:9000\"\ndatabase = \"sqlite:///srv/z.db\"\n[web]\nidle_timeout_minutes = 15\n",
        )
        .unwrap();
        let s = resolve(file, Some("127.0.0.1:1".into()), None, DEFAULT_LISTEN).unwrap();
        assert_eq!(s.listen, "127.0.0.1:1");
        assert_eq!(s.database, "sqlite:///srv/z.db");
        assert_eq!(s.web.idle_timeout_minutes, 15);
        let d = resolve(FileConfig::default(), None, None, DEFAULT_LISTEN).unwrap();
        assert_eq!(d.database, DEFAULT_DATABASE);
        assert_eq!(d.listen, DEFAULT_LISTEN);
    }

    #[test]
    fn a_backup_schedule_is_read_and_checked() {
        let file: FileConfig =
            toml::from_str("[backup]\ndir = \"/var/backups/zhurnal\"\nevery_hours = 6\n").unwrap();
        let s = resolve(file, None, None, DEFAULT_LISTEN).unwrap();
        let b = s.backup.unwrap();
        assert_eq!(b.every, std::time::Duration::from_secs(6 * 3600));
        assert_eq!(b.keep, 14, "two weeks of daily copies by default");
        for bad in ["every_hours = 0", "keep = 0", "every_hours = 10000"] {
            let text = format!("[backup]\ndir = \"/x\"\n{bad}\n");
            let file: FileConfig = toml::from_str(&text).unwrap();
            assert!(resolve(file, None, None, DEFAULT_LISTEN).is_err(), "{bad}");
        }
        assert!(
            toml::from_str::<FileConfig>("[backup]\nevery_hours = 1\n").is_err(),
            "dir is needed"
        );
    }

    #[test]
    fn typos_and_nonsense_are_errors() {
        assert!(toml::from_str::<FileConfig>("listn = \"x\"").is_err());
        let file: FileConfig = toml::from_str("[web]\nidle_timeout_minutes = 0\n").unwrap();
        assert!(resolve(file, None, None, DEFAULT_LISTEN).is_err());
    }
}
