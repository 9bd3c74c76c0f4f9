//! `zhurnal demo`: a fictional school network with fixed logins (password `demo`).
//! Only the demo creates accounts with a known password; `serve` never does.

use anyhow::{Context, Result};
use zhurnal_core::clock::{Clock, SystemClock, study_year_of, today_in};
use zhurnal_core::demo::{DEMO_LOGINS, DEMO_PASSWORD, Network, Size};
use zhurnal_core::timetable::{Template, derive};
use zhurnal_store::{AuditEntry, DatabaseUrl, NewBodyMember, Store};
use zhurnal_web::security::hash_password_blocking;

/// Recreates the database at `url` and fills it with the network generated from `seed`
/// for the academic year of `clock`'s today; with `journal`, also the journal of every
/// lesson before today (tests that need an empty journal leave it out).
pub async fn create(
    url: &DatabaseUrl,
    seed: u64,
    clock: &dyn Clock,
    journal: bool,
) -> Result<Store> {
    let store = recreate(url).await?;
    let plan = Plan {
        seed,
        size: Size::DEMO,
        today: today_in(clock.now(), "Asia/Vladivostok"),
        journal,
        shared_hash: false,
    };
    fill(&store, &plan, clock.now_ms(), &mut |_, _| {}).await?;
    waiting_application(&store, plan.today, clock.now_ms()).await?;
    Ok(store)
}

/// One family's application for access (§5.1) answered with a code nobody has redeemed yet,
/// as a school has on any day: the first parent without a login in the first class of the
/// main school applied two days ago.
async fn waiting_application(store: &Store, today: jiff::civil::Date, now: i64) -> Result<()> {
    let Some(class) = store
        .school_classes(1, study_year_of(today))
        .await?
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    let rows = store.class_access(1, class.id, now).await?;
    let Some(parent) = rows.iter().find(|r| r.kind != "student" && !r.has_login) else {
        return Ok(());
    };
    let audit = AuditEntry {
        at: now,
        school_id: Some(1),
        ip: "demo".into(),
        action: "access.application".into(),
        outcome: "success".into(),
        details: "{}".into(),
        ..AuditEntry::default()
    };
    let applied = today.saturating_sub(jiff::Span::new().days(2)).to_string();
    store
        .record_application(
            1,
            parent.person_id,
            Some(parent.student_id),
            &applied,
            &audit,
        )
        .await?;
    let code = zhurnal_web::security::access_code();
    store
        .issue_access_code(
            1,
            parent.person_id,
            &zhurnal_web::security::token_hash(&code),
            now + 14 * 86_400_000,
            None,
            &AuditEntry {
                action: "access.code_issued".into(),
                ..audit
            },
        )
        .await?;
    Ok(())
}

/// An empty, migrated database at `url` (whatever was there is gone).
pub async fn recreate(url: &DatabaseUrl) -> Result<Store> {
    Store::wipe(url)
        .await
        .with_context(|| format!("cannot clear {url}"))?;
    Store::connect(url)
        .await
        .with_context(|| format!("cannot open database {url}"))
}

/// What to generate.
pub struct Plan {
    pub seed: u64,
    pub size: Size,
    /// The journal is filled for the lessons before this day.
    pub today: jiff::civil::Date,
    pub journal: bool,
    /// One password hash for every account (the benchmark's hundreds of thousands of
    /// accounts cannot each wait for argon2id); the demo gives each its own salt.
    pub shared_hash: bool,
}

/// Generates the network of `plan` into an empty database, school by school; `progress`
/// hears (schools done, schools) after each. Returns the network.
pub async fn fill(
    store: &Store,
    plan: &Plan,
    now: i64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Network> {
    let (seed, today, journal) = (plan.seed, plan.today, plan.journal);
    let net = Network::generate(seed, plan.size, today);
    let hashes = if plan.shared_hash {
        let one = tokio::task::spawn_blocking(|| hash_password_blocking(DEMO_PASSWORD))
            .await?
            .map_err(anyhow::Error::msg)?;
        vec![one; net.accounts.len()]
    } else {
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
        hashes
    };
    store
        .load_network(&net, &hashes, now)
        .await
        .context("cannot load the generated network")?;
    // The school setup goes through the same store operations the deputy's pages use.
    for (done, school) in net.schools.iter().enumerate() {
        progress(done, net.schools.len());
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
                .save_bells(school.id, 1, None, bells, &audit("setup.bells"))
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
        add_bodies(store, &net, school.id, calendar.start, &audit).await?;
        if journal {
            fill_journal(store, &net, school, seed, today).await?;
        }
    }
    progress(net.schools.len(), net.schools.len());
    Ok(net)
}

/// The journal of the lessons already given, generated and written as teachers would have.
async fn fill_journal(
    store: &Store,
    net: &Network,
    school: &zhurnal_core::demo::School,
    seed: u64,
    today: jiff::civil::Date,
) -> Result<()> {
    use std::collections::HashMap;
    use zhurnal_core::journal_gen::{GenLesson, GenPeriod, GenType, generate};
    let mut students: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in net.memberships.iter().filter(|m| m.school_id == school.id) {
        students
            .entry(m.edu_group_id)
            .or_default()
            .push(m.person_id);
    }
    let mut lessons = Vec::new();
    for class in net.classes.iter().filter(|c| c.school_id == school.id) {
        let Some((_, calendar)) = net.calendars.iter().find(|(s, _)| *s == school.id) else {
            continue;
        };
        for l in store
            .class_lessons(school.id, class.id, calendar.start, calendar.end)
            .await?
        {
            lessons.push(GenLesson {
                id: l.id,
                date: l.date.parse()?,
                group_id: l.group_id,
                subject_id: l.subject_id,
                subject: l.subject_name,
                grade: class.parallel,
                teacher_id: l.teacher_id,
                cancelled: l.status == "cancelled",
            });
        }
    }
    let types: Vec<GenType> = net
        .work_types
        .iter()
        .filter(|w| w.school_id == school.id)
        .map(|w| GenType {
            id: w.id,
            abbreviation: w.abbreviation.clone(),
            weight: u8::try_from(w.weight).unwrap_or(1),
        })
        .collect();
    let periods: Vec<GenPeriod> = net
        .periods
        .iter()
        .filter(|p| p.school_id == school.id && p.kind != "year")
        .map(|p| GenPeriod {
            id: p.id,
            scheme: p.scheme.to_owned(),
            start: p.start,
            finish: p.finish,
        })
        .collect();
    let generated = generate(&lessons, &students, &types, &periods, today, seed);
    store
        .load_journal(school.id, &school.time_zone, &lessons, &generated)
        .await
        .context("cannot write the demo journal")?;
    Ok(())
}

/// The school's self-government bodies (§2.4): the teachers' council of all teachers
/// chaired by the director, and a governing council with parents' representatives.
async fn add_bodies(
    store: &Store,
    net: &Network,
    school_id: i64,
    since: jiff::civil::Date,
    audit: &dyn Fn(&str) -> AuditEntry,
) -> Result<()> {
    let staff = store.staff(school_id).await?;
    let Some(director) = staff.iter().find(|s| s.position == "Директор") else {
        return Ok(());
    };
    let since = since.to_string();
    let council = store
        .create_body(
            school_id,
            "teachers_council",
            "Педагогический совет",
            0,
            &audit("setup.body"),
        )
        .await?;
    let named =
        |s: &zhurnal_store::StaffRow| format!("{} {} {}", s.last_name, s.first_name, s.middle_name);
    let teachers: Vec<_> = staff.iter().filter(|s| s.position != "Директор").collect();
    for (i, s) in std::iter::once(director)
        .chain(teachers.iter().copied())
        .enumerate()
    {
        let role = match i {
            0 => "chair",
            1 => "secretary",
            _ => "member",
        };
        let name = named(s);
        let m = NewBodyMember {
            person_id: Some(s.person_id),
            full_name: &name,
            represents: &s.position,
            role,
            since: &since,
        };
        store
            .add_body_member(school_id, council, &m, &audit("setup.body_member"))
            .await?;
    }
    let governing = store
        .create_body(
            school_id,
            "governing_council",
            "Управляющий совет",
            0,
            &audit("setup.body"),
        )
        .await?;
    let director_name = named(director);
    let mut members = vec![(
        Some(director.person_id),
        director_name,
        "Директор".to_owned(),
        "member",
    )];
    // Parents of two different students of the school, the first of them chairing.
    let pupils: std::collections::HashSet<i64> = net
        .memberships
        .iter()
        .filter(|m| m.school_id == school_id)
        .map(|m| m.person_id)
        .collect();
    let mut children = std::collections::HashSet::new();
    let parents = net
        .parent_links
        .iter()
        .filter(|l| pupils.contains(&l.child_id))
        .filter(|l| children.insert(l.child_id))
        .filter_map(|l| net.persons.iter().find(|p| p.id == l.parent_id))
        .take(2);
    for (i, p) in parents.enumerate() {
        members.push((
            None,
            format!("{} {} {}", p.last_name, p.first_name, p.middle_name),
            "Родители обучающихся".to_owned(),
            if i == 0 { "chair" } else { "member" },
        ));
    }
    for (person_id, name, represents, role) in &members {
        let m = NewBodyMember {
            person_id: *person_id,
            full_name: name,
            represents,
            role,
            since: &since,
        };
        store
            .add_body_member(school_id, governing, &m, &audit("setup.body_member"))
            .await?;
    }
    Ok(())
}

/// Creates the demo with the real clock.
pub async fn create_now(url: &DatabaseUrl, seed: u64) -> Result<Store> {
    create(url, seed, &SystemClock, true).await
}

pub fn print_logins() {
    println!("Demo school network created. Logins (password «{DEMO_PASSWORD}»):");
    for (login, role) in DEMO_LOGINS {
        println!("  {login:<13} {role}");
    }
}
