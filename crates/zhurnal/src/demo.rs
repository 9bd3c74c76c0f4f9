//! `zhurnal demo`: a fictional school network with fixed logins (password `demo`).
//! Only the demo creates accounts with a known password; `serve` never does.

use anyhow::{Context, Result};
use zhurnal_core::clock::{Clock, SystemClock, study_year_of, today_in};
use zhurnal_core::demo::{DEMO_LOGINS, DEMO_PASSWORD, Network, Size};
use zhurnal_core::timetable::{Template, derive};
use zhurnal_store::{AuditEntry, DatabaseUrl, Store};
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
    let now = clock.now_ms();
    store
        .load_network(&net, &hashes, now)
        .await
        .context("cannot load the demo network")?;
    // The school setup goes through the same store operations the deputy's pages use.
    for school in &net.schools {
        let audit = |action: &str| AuditEntry {
            at: now,
            school_id: Some(school.id),
            ip: "demo".into(),
            action: action.into(),
            target_kind: "school".into(),
            target_id: school.id.to_string(),
            outcome: "success".into(),
            details: "{\"via\":\"demo\"}".into(),
            ..AuditEntry::default()
        };
        let Some((_, calendar)) = net.calendars.iter().find(|(s, _)| *s == school.id) else {
            continue;
        };
        let year = study_year_of(calendar.start);
        store
            .save_calendar(school.id, year, calendar, &audit("setup.calendar"))
            .await?;
        if let Some((_, bells)) = net.bells.iter().find(|(s, _)| *s == school.id) {
            store
                .save_bells(school.id, "Основное", bells, &audit("setup.bells"))
                .await?;
        }
        let templates: Vec<Template> = net
            .templates
            .iter()
            .filter(|(s, _)| *s == school.id)
            .map(|(_, t)| t.clone())
            .collect();
        // Quarters for grades 1–9 and half-years for 10–11 (the periods came with the network).
        let schemes: Vec<(i16, &str)> = (1..=11)
            .map(|g| (g, zhurnal_core::calendar::default_scheme(g)))
            .collect();
        store
            .save_periods(school.id, year, &[], &schemes, &audit("setup.periods"))
            .await?;
        store.insert_templates(school.id, &templates, now).await?;
        let groups = store.group_classes(school.id).await?;
        let lessons = derive(
            calendar,
            &templates,
            &[],
            &groups,
            calendar.start,
            calendar.end,
        );
        store
            .sync_lessons(school.id, calendar.start, calendar.end, &lessons, now)
            .await?;
    }
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
