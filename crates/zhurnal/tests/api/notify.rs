//! Notices to families: written with the change, listed on the site with an unread count,
//! and emailed through a real SMTP server (Python's standard-library one, started here) —
//! at once, or as one digest a day per child.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Python's SMTP server printing every message it receives; killed when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-W",
                "ignore",
                "-m",
                "smtpd",
                "-n",
                "-c",
                "DebuggingServer",
            ])
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with its smtpd module (CPython 3.11) runs the test SMTP server");
        let out = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                // The server prints each line as Python bytes: b'…'.
                let line = line
                    .strip_prefix("b'")
                    .and_then(|l| l.strip_suffix('\''))
                    .map_or(line.clone(), str::to_owned);
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return SmtpServer { child, port, lines };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the test SMTP server did not start");
    }

    /// The next message received: its header lines and its decoded body.
    fn next_message(&self) -> (Vec<String>, String) {
        let mut lines = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(10))
                .expect("a message reached the SMTP server");
            if line.contains("END MESSAGE") {
                break;
            }
            if !line.contains("MESSAGE FOLLOWS") {
                lines.push(line);
            }
        }
        let blank = lines
            .iter()
            .position(|l| l.trim().is_empty())
            .unwrap_or(lines.len());
        let body: String = lines[blank..].iter().map(|l| l.trim()).collect();
        (
            lines[..blank].to_vec(),
            String::from_utf8(decode64(&body)).unwrap(),
        )
    }

    fn nothing_more(&self) -> bool {
        self.lines.recv_timeout(Duration::from_millis(300)).is_err()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn decode64(text: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in text.bytes() {
        let Some(v) = ABC.iter().position(|a| *a == c) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

async fn families_hear_about_marks_at_once_or_once_a_day(app: &TestApp) {
    let smtp = SmtpServer::start();
    let cfg = zhurnal_web::mail::SmtpConfig {
        host: "127.0.0.1".into(),
        port: smtp.port,
        from: "Журнал <journal@school.example>".into(),
        digest_hour: 18,
    };
    let state = zhurnal_web::AppState::new(
        app.store.clone(),
        app.clock.clone(),
        zhurnal_web::WebConfig::default(),
    )
    .unwrap();
    // The parent asks for messages at once; a bad address is refused next to its field.
    let parent = app.signed_in("parent").await;
    let csrf = app.csrf(&parent).await;
    let settings = |email: &'static str, mode: &'static str| {
        let req = parent.post(app.at("/notifications")).form(&[
            ("csrf", csrf.as_str()),
            ("op", "settings"),
            ("email", email),
            ("mode", mode),
        ]);
        async move { req.send().await.unwrap() }
    };
    let res = settings("не адрес", "immediate").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("id=\"email-error\">Это не похоже на адрес почты")
    );
    let res = settings("parent@example.ru", "immediate").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The teacher enters a mark for the demo student.
    let student = app.person("student").await;
    let algebra = app.algebra_lesson().await;
    let teacher = app.token("teacher").await;
    let mark = |value: &'static str| {
        let req = app
            .client()
            .put(app.at("/api/v1/journal/marks"))
            .bearer_auth(&teacher)
            .json(&json!({"lesson_id": algebra.id, "person_id": student, "value": value}));
        async move { assert_eq!(req.send().await.unwrap().status(), StatusCode::OK) }
    };
    mark("5").await;
    // On the site at once, unread.
    let html = app.page(&parent, "/notifications").await;
    assert!(html.contains("(непрочитанных: 1)"), "{html}");
    assert!(
        html.contains("Алгебра, Пн, 23\u{a0}ноября: отметка 5"),
        "{html}"
    );
    // And by email.
    assert_eq!(zhurnal_web::mail::run_once(&state, &cfg).await.unwrap(), 1);
    let (headers, body) = smtp.next_message();
    assert!(
        headers.iter().any(|h| h == "To: parent@example.ru"),
        "{headers:?}"
    );
    assert!(
        headers.iter().any(|h| h.starts_with("Subject: =?UTF-8?B?")),
        "{headers:?}"
    );
    assert!(
        body.contains("Алгебра, Пн, 23\u{a0}ноября: отметка 5"),
        "{body}"
    );
    // Sent once only.
    assert_eq!(zhurnal_web::mail::run_once(&state, &cfg).await.unwrap(), 0);
    assert!(smtp.nothing_more());
    // Read on the site.
    let res = parent
        .post(app.at("/notifications"))
        .form(&[("csrf", csrf.as_str()), ("op", "read")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        !app.page(&parent, "/notifications")
            .await
            .contains("непрочитанных")
    );
    // A daily digest instead: nothing during the school day, one message after it.
    let res = settings("parent@example.ru", "digest").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    mark("4").await;
    mark("3").await;
    assert_eq!(
        zhurnal_web::mail::run_once(&state, &cfg).await.unwrap(),
        0,
        "11:00 in Vladivostok"
    );
    app.clock.advance_secs(8 * 3600);
    let teacher = app.token("teacher").await;
    let mark = |value: &'static str| {
        let req = app
            .client()
            .put(app.at("/api/v1/journal/marks"))
            .bearer_auth(&teacher)
            .json(&json!({"lesson_id": algebra.id, "person_id": student, "value": value}));
        async move { assert_eq!(req.send().await.unwrap().status(), StatusCode::OK) }
    };
    assert_eq!(zhurnal_web::mail::run_once(&state, &cfg).await.unwrap(), 1);
    let (_, body) = smtp.next_message();
    assert!(
        body.contains("• Алгебра, Пн, 23\u{a0}ноября: отметка 4 (была 5)"),
        "{body}"
    );
    assert!(
        body.contains("• Алгебра, Пн, 23\u{a0}ноября: отметка 3 (была 4)"),
        "{body}"
    );
    // A later change the same evening waits for tomorrow's digest.
    mark("5").await;
    assert_eq!(zhurnal_web::mail::run_once(&state, &cfg).await.unwrap(), 0);
    assert!(smtp.nothing_more());
    // Families of other children hear nothing.
    let others: i64 = app.store.unread_notices(student).await.unwrap();
    assert_eq!(others, 0, "the student did not opt in");
}
on_both!(notices, families_hear_about_marks_at_once_or_once_a_day);

async fn notices_through_the_api(app: &TestApp) {
    let student = app.person("student").await;
    let lesson = app.algebra_lesson().await;
    let teacher = app.token("teacher").await;
    let res = app
        .client()
        .put(app.at("/api/v1/journal/marks"))
        .bearer_auth(&teacher)
        .json(&serde_json::json!({"lesson_id": lesson.id, "person_id": student, "value": "4"}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let parent = app.token("parent").await;
    let got = app.api_get(&parent, "/api/v1/notifications").await;
    assert_eq!(got["unread"], 1, "{got}");
    assert_eq!(got["notices"][0]["kind"], "mark");
    assert_eq!(got["notices"][0]["student_id"], student);
    assert!(
        got["notices"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Алгебра"),
        "{got}"
    );
    assert_eq!(got["notices"][0]["read"], false);
    assert_eq!(got["settings"]["mode"], "digest");
    let http = app.client();
    let res = http
        .post(app.at("/api/v1/notifications/read"))
        .bearer_auth(&parent)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    assert_eq!(
        app.api_get(&parent, "/api/v1/notifications").await["unread"],
        0
    );
    // Settings: email at once needs an address; a plausible one is kept.
    let res = http
        .put(app.at("/api/v1/notifications/settings"))
        .bearer_auth(&parent)
        .json(&serde_json::json!({"email": "", "mode": "immediate"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["error"]["fields"]["email"].is_string(), "{err}");
    let res = http
        .put(app.at("/api/v1/notifications/settings"))
        .bearer_auth(&parent)
        .json(&serde_json::json!({"email": "mama@example.org", "mode": "immediate"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    let got = app.api_get(&parent, "/api/v1/notifications").await;
    assert_eq!(got["settings"]["email"], "mama@example.org");
    assert_eq!(got["settings"]["mode"], "immediate");
    assert_eq!(app.audit_count("notify.settings").await, 1);
}
on_both!(notices_api, notices_through_the_api);
