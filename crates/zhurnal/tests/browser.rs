//! Browser checks: starts `zhurnal demo` on a free port with a fresh SQLite
//! database and runs `tests/browser/run.mjs` (Playwright + axe-core against
//! Debian's Chromium) on it. See tests/browser/run.mjs for what is checked.
//!
//! Needs `Node.js` and Chromium (`apt-get install -y chromium chromium-driver`).
//! Without them the test is skipped, unless `ZHURNAL_REQUIRE_BROWSER=1`, in
//! which case it fails (CI sets it).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
const INSTALL_HINT: &str = "install them with `DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver nodejs npm` \
     (or point ZHURNAL_CHROMIUM at a Chromium binary); Playwright's own browser download is not used";

/// Kills the server and removes the temporary directory, also when the test panics.
struct ServerGuard {
    child: Child,
    dir: PathBuf,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn browser_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    dir.canonicalize().unwrap_or(dir)
}

fn chromium_path() -> PathBuf {
    std::env::var_os("ZHURNAL_CHROMIUM")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What is missing for the browser run; empty when it can run.
fn missing_tools(browser_dir: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if !runs("node", "--version") {
        missing.push("Node.js (`node` is not on PATH)".to_owned());
    }
    let chromium = chromium_path();
    if !chromium.is_file() {
        missing.push(format!("Chromium (no file at {})", chromium.display()));
    }
    if !browser_dir.join("node_modules").is_dir() && !runs("npm", "--version") {
        missing.push(
            "npm (needed once to install tests/browser/node_modules; `npm` is not on PATH)"
                .to_owned(),
        );
    }
    missing
}

fn unique_temp_dir() -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("zhurnal-browser-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// `http://127.0.0.1:PORT` out of a line such as
/// `Zhurnal is listening on http://127.0.0.1:PORT`.
fn listen_url(line: &str) -> Option<String> {
    let start = line.find("http://127.0.0.1:")?;
    let url: String = line[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let url = url.trim_end_matches(['/', '.', ',', ')']);
    let port = url.strip_prefix("http://127.0.0.1:")?;
    port.parse::<u16>().ok().filter(|p| *p != 0)?;
    Some(url.to_owned())
}

#[test]
fn browser_main_flows() {
    let browser_dir = browser_dir();
    let missing = missing_tools(&browser_dir);
    if !missing.is_empty() {
        let what = missing.join("; ");
        if std::env::var("ZHURNAL_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "browser checks required (ZHURNAL_REQUIRE_BROWSER=1) but missing: {what}; {INSTALL_HINT}"
            );
        }
        eprintln!("browser_main_flows: SKIPPED, missing: {what}; {INSTALL_HINT}");
        return;
    }

    if !browser_dir.join("node_modules").is_dir() {
        eprintln!(
            "browser_main_flows: running `npm ci` in {}",
            browser_dir.display()
        );
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&browser_dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .stdin(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run `npm ci` in {}: {e}", browser_dir.display()));
        assert!(
            status.success(),
            "`npm ci` in {} failed with {status}",
            browser_dir.display()
        );
    }

    let dir = unique_temp_dir();
    let database = format!("sqlite://{}", dir.join("demo.db").display());
    let child = Command::new(env!("CARGO_BIN_EXE_zhurnal"))
        .args(["demo", "--listen", "127.0.0.1:0", "--database", &database])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let mut guard = match child {
        Ok(child) => ServerGuard { child, dir },
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            panic!("cannot start {}: {e}", env!("CARGO_BIN_EXE_zhurnal"));
        }
    };

    // Read the server's stdout on a thread: hand every line over until the
    // URL shows up, and keep draining afterwards so the pipe never fills.
    let stdout = guard.child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            eprintln!("[zhurnal] {line}");
            let _ = tx.send(line);
        }
    });

    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let mut printed = Vec::new();
    let url = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(url) = listen_url(&line) {
                    break url;
                }
                printed.push(line);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "the server did not print `http://127.0.0.1:PORT` within {} s; its stdout so far:\n{}",
                STARTUP_TIMEOUT.as_secs(),
                printed.join("\n")
            ),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = guard.child.wait().map(|s| s.to_string());
                panic!(
                    "the server closed its stdout ({status:?}) before printing `http://127.0.0.1:PORT`; it printed:\n{}",
                    printed.join("\n")
                );
            }
        }
    };
    drop(rx); // the reader thread keeps draining; sends just fail from now on

    let status = Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .arg(&url)
        .current_dir(&browser_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));

    drop(guard);
    assert!(
        status.success(),
        "browser checks failed against {url} ({status}); see the output above, screenshots in {}",
        browser_dir.join("artifacts").display()
    );
}
