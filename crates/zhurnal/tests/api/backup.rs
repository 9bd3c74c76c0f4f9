//! `zhurnal backup` of a serving database under concurrent mark writes, and `zhurnal
//! restore` of the copy into a new database: every mark acknowledged before the backup
//! began is in it, with its history row, and restoring over a database holding data is
//! refused without --force. Both backends (PostgreSQL through pg_dump and pg_restore).

use crate::helpers::{TestApp, postgres_url, unique};
use crate::on_both;
use reqwest::StatusCode;
use std::process::{Command, Output};
use zhurnal_store::{DatabaseUrl, Store};

fn zhurnal(args: &[&str], database: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhurnal"))
        .args(args)
        .env("ZHURNAL_DATABASE_URL", database)
        .output()
        .expect("run zhurnal")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A database to restore into, and how to drop it afterwards.
async fn new_database(app: &TestApp, dir: &std::path::Path) -> (String, Option<String>) {
    match &app.database {
        DatabaseUrl::Sqlite(_) => (
            format!("sqlite://{}", dir.join("restored.db").display()),
            None,
        ),
        DatabaseUrl::Postgres(_) => {
            let admin = postgres_url().expect("PostgreSQL");
            let name = unique("zhurnal_restore");
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            (format!("{base}/{name}"), Some(name))
        }
    }
}

async fn a_backup_taken_while_serving_restores_every_acknowledged_mark(app: &TestApp) {
    let dir = std::env::temp_dir().join(unique("zhurnal_backup"));
    std::fs::create_dir_all(&dir).unwrap();
    let source = match &app.database {
        DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        DatabaseUrl::Postgres(u) => u.clone(),
    };
    let token = app.token("teacher").await;
    let lesson = app.algebra_lesson().await;
    let pupils: Vec<i64> = app
        .store
        .group_members(1, lesson.group_id)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    // Four writers go through the class while the backup runs.
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut writers = Vec::new();
    for part in pupils.chunks(pupils.len().div_ceil(4)) {
        let (part, token, url) = (part.to_vec(), token.clone(), app.url.clone());
        let (started, written) = (started.clone(), written.clone());
        writers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut before = Vec::new();
            for (i, pupil) in part.iter().enumerate() {
                let value = ["5", "4", "3"][i % 3];
                let res = http
                    .put(format!("{url}/api/v1/journal/marks"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({ "lesson_id": lesson.id, "person_id": pupil, "value": value }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), StatusCode::OK);
                if !started.load(std::sync::atomic::Ordering::SeqCst) {
                    before.push((*pupil, value));
                }
                written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            before
        }));
    }
    // The backup starts once a few marks are acknowledged, however loaded the machine is.
    while written.load(std::sync::atomic::Ordering::SeqCst) < 4 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    started.store(true, std::sync::atomic::Ordering::SeqCst);
    let copy = dir.join("zhurnal.backup");
    let (copy_s, source_s) = (copy.to_string_lossy().into_owned(), source.clone());
    let out =
        tokio::task::spawn_blocking(move || zhurnal(&["backup", "--output", &copy_s], &source_s))
            .await
            .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.unwrap());
    }
    assert!(
        !acknowledged.is_empty(),
        "some marks were written before the backup"
    );
    // A second backup never overwrites the first.
    let again = zhurnal(&["backup", "--output", &copy.to_string_lossy()], &source);
    assert!(!again.status.success());
    assert!(text(&again).contains("exists already"), "{}", text(&again));
    // Restoring over the serving database, which holds data: refused without --force.
    let refused = zhurnal(&["restore", "--input", &copy.to_string_lossy()], &source);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("holds data"), "{}", text(&refused));
    // Into a new database: every mark acknowledged before the backup began is there.
    let (target, pg_name) = new_database(app, &dir).await;
    let out = zhurnal(&["restore", "--input", &copy.to_string_lossy()], &target);
    assert!(out.status.success(), "{}", text(&out));
    let restored = Store::connect(&target.parse::<DatabaseUrl>().unwrap())
        .await
        .unwrap();
    let marks = restored.marks_of_lessons(1, &[lesson.id]).await.unwrap();
    for (pupil, value) in &acknowledged {
        assert!(
            marks
                .iter()
                .any(|m| m.person_id == *pupil && m.value == *value),
            "the acknowledged mark {value} of {pupil} is in the backup"
        );
    }
    let history = restored.lesson_history(1, lesson.id).await.unwrap();
    for (pupil, _) in &acknowledged {
        assert!(
            history
                .iter()
                .any(|h| h.kind == "mark" && h.person_id == Some(*pupil)),
            "its history row too"
        );
    }
    restored.close().await;
    if let Some(name) = pg_name {
        let admin = sqlx::PgPool::connect(&postgres_url().unwrap())
            .await
            .unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
        admin.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
on_both!(
    backup_and_restore,
    a_backup_taken_while_serving_restores_every_acknowledged_mark
);
