//! `zhurnal demo`: a fictional school network with fixed logins (password `demo`).
//! Only the demo creates accounts with a known password; `serve` never does.

use anyhow::{Context, Result};
use zhurnal_core::clock::{Clock, SystemClock, today_in};
use zhurnal_core::demo::{DEMO_LOGINS, DEMO_PASSWORD, Network, Size};
use zhurnal_store::{DatabaseUrl, Store};
use zhurnal_web::security::hash_password_blocking;

/// Recreates the database at `url` and fills it with the network generated from `seed`
/// for the academic year of `clock`'s today.
pub async fn create(url: &DatabaseUrl, seed: u64, clock: &dyn Clock) -> Result<Store> {
    Store::wipe(url)
        .await
        .with_context(|| format!("cannot clear {url}"))?;
    let store = Store::connect(url)
        .await
        .with_context(|| format!("cannot open database {url}"))?;
    let today = today_in(clock.now(), "Asia/Vladivostok");
    let net = Network::generate(seed, Size::DEMO, today);
    // Each account gets its own salt; hashing runs on the blocking pool, in parallel.
    let mut tasks = Vec::new();
    for _ in &net.accounts {
        tasks.push(tokio::task::spawn_blocking(|| {
            hash_password_blocking(DEMO_PASSWORD)
        }));
    }
    let mut hashes = Vec::new();
    for t in tasks {
        hashes.push(t.await?.map_err(anyhow::Error::msg)?);
    }
    store
        .load_network(&net, &hashes, clock.now_ms())
        .await
        .context("cannot load the demo network")?;
    Ok(store)
}

/// Creates the demo with the real clock.
pub async fn create_now(url: &DatabaseUrl, seed: u64) -> Result<Store> {
    create(url, seed, &SystemClock).await
}

pub fn print_logins() {
    println!("Demo school network created. Logins (password «{DEMO_PASSWORD}»):");
    for (login, role) in DEMO_LOGINS {
        println!("  {login:<13} {role}");
    }
}
