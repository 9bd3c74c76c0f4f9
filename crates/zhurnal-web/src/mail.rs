//! Email to families: the notices the journal wrote (new or changed marks, absences,
//! period marks) sent through the school's mail relay over SMTP — at once to those who
//! asked for it, or as one digest per child a day after the school day's end. Zhurnal hands
//! mail to a relay (the server's own MTA, which does TLS and retries to the outside world);
//! a message is marked sent only after the relay accepted it, so nothing is lost.

use crate::i18n::{Lang, Tr};
use crate::{AppError, AppState};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use zhurnal_store::DueNotice;

/// The mail relay and the sender's address.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    /// `Журнал <journal@school.example>`.
    pub from: String,
    /// The hour (school time) after which the day's digests go out.
    #[serde(default = "default_digest_hour")]
    pub digest_hour: i8,
}

fn default_port() -> u16 {
    25
}

fn default_digest_hour() -> i8 {
    18
}

const TIMEOUT: Duration = Duration::from_secs(20);

/// Base64 (RFC 4648), for the UTF-8 subject and body.
fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bare address of `Name <addr>` or `addr`.
fn address(mailbox: &str) -> &str {
    match (mailbox.find('<'), mailbox.rfind('>')) {
        (Some(a), Some(b)) if a < b => &mailbox[a + 1..b],
        _ => mailbox.trim(),
    }
}

/// A header-safe address: no line breaks can smuggle in headers.
fn clean(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

/// A mailbox for a header: a non-ASCII display name encoded (RFC 2047), the address as is.
fn mailbox_header(mailbox: &str) -> String {
    let mailbox = clean(mailbox);
    match mailbox.find('<') {
        Some(i) if !mailbox[..i].is_ascii() => {
            let name = mailbox[..i].trim();
            format!("=?UTF-8?B?{}?= {}", base64(name.as_bytes()), &mailbox[i..])
        }
        _ => mailbox,
    }
}

/// The whole message, headers and base64 body, with CRLF line ends.
pub fn message(from: &str, to: &str, subject: &str, body: &str, date: jiff::Timestamp) -> String {
    let encoded = base64(body.as_bytes());
    let mut lines: Vec<String> = vec![
        format!("From: {}", mailbox_header(from)),
        format!("To: {}", mailbox_header(to)),
        format!("Subject: =?UTF-8?B?{}?=", base64(subject.as_bytes())),
        format!("Date: {}", date.strftime("%a, %d %b %Y %H:%M:%S +0000")),
        format!(
            "Message-ID: <{}@zhurnal>",
            &crate::security::random_token()[..24]
        ),
        "MIME-Version: 1.0".into(),
        "Content-Type: text/plain; charset=utf-8".into(),
        "Content-Transfer-Encoding: base64".into(),
        "Auto-Submitted: auto-generated".into(),
        String::new(),
    ];
    lines.extend(
        encoded
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned()),
    );
    lines.join("\r\n") + "\r\n"
}

async fn reply(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Result<u16, String> {
    // A reply may span lines «250-…» before the last «250 …».
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(TIMEOUT, reader.read_line(&mut line))
            .await
            .map_err(|_| "the mail relay did not answer".to_owned())?
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the mail relay closed the connection".into());
        }
        if line.len() >= 4 && line.as_bytes()[3] == b'-' {
            continue;
        }
        return line
            .get(..3)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| format!("unexpected reply «{}»", line.trim()));
    }
}

/// Hands one message to the relay.
pub async fn send(cfg: &SmtpConfig, to: &str, subject: &str, body: &str) -> Result<(), String> {
    let stream = tokio::time::timeout(TIMEOUT, TcpStream::connect((cfg.host.as_str(), cfg.port)))
        .await
        .map_err(|_| format!("cannot reach the mail relay {}:{}", cfg.host, cfg.port))?
        .map_err(|e| format!("cannot reach the mail relay {}:{}: {e}", cfg.host, cfg.port))?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let expect = |code: u16, want: u16, what: &str| {
        if code == want {
            Ok(())
        } else {
            Err(format!("the mail relay refused {what} ({code})"))
        }
    };
    expect(reply(&mut reader).await?, 220, "the connection")?;
    let mut say = async |line: String, want: u16, what: &str| -> Result<(), String> {
        write
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        expect(reply(&mut reader).await?, want, what)
    };
    say("EHLO zhurnal".into(), 250, "EHLO").await?;
    say(
        format!("MAIL FROM:<{}>", clean(address(&cfg.from))),
        250,
        "the sender",
    )
    .await?;
    say(
        format!("RCPT TO:<{}>", clean(address(to))),
        250,
        "the recipient",
    )
    .await?;
    say("DATA".into(), 354, "DATA").await?;
    let text = message(&cfg.from, to, subject, body, jiff::Timestamp::now());
    say(format!("{text}."), 250, "the message").await?;
    let _ = say("QUIT".into(), 221, "QUIT").await;
    Ok(())
}

/// «5 (было 4)», «н», «отметка удалена».
pub fn describe(t: &Tr, n: &zhurnal_store::NoticeRow) -> String {
    let what = match n.kind.as_str() {
        "message" => t.s("notify.message").to_owned(),
        "wall" => format!(
            "{} «{}»",
            t.s("notify.wall"),
            n.new_value.as_deref().unwrap_or_default()
        ),
        "absence" => match n.new_value.as_deref() {
            Some(v) if v.starts_with("late") => t.s("notify.late").to_owned(),
            Some(_) => t.s("notify.absent").to_owned(),
            None => t.s("notify.absence_removed").to_owned(),
        },
        kind => {
            let label = if kind == "period_mark" {
                t.s("notify.period_mark")
            } else {
                t.s("notify.mark")
            };
            match (&n.new_value, &n.old_value) {
                (Some(v), Some(o)) => format!("{label} {v} ({} {o})", t.s("notify.was")),
                (Some(v), None) => format!("{label} {v}"),
                (None, _) => t.s("notify.removed").to_owned(),
            }
        }
    };
    let day = n
        .lesson_date
        .as_deref()
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .map(|d| format!(", {}", t.weekday_date(d)))
        .unwrap_or_default();
    format!("{}{day}: {what}", n.subject)
}

/// Sends what is due now: immediate notices, and the day's digests once the school day is
/// over. Returns how many messages went out. Notices of people without an address or with
/// email off stay on the site only.
pub async fn run_once(state: &AppState, cfg: &SmtpConfig) -> Result<usize, AppError> {
    let t = Tr::new(Lang::Ru);
    let now = state.clock.now();
    let now_ms = state.clock.now_ms();
    let mut sent = 0;
    // Immediate: one message per recipient and child with everything new since the last run.
    let due = state.store.due_notices("immediate", now_ms + 1).await?;
    for ((_, _), group) in group_by_child(&due) {
        let first = &group[0].notice;
        let subject = format!(
            "{}: {} {}",
            t.s("notify.subject"),
            first.student_first_name,
            first.student_last_name
        );
        let body = group
            .iter()
            .map(|d| describe(&t, &d.notice))
            .collect::<Vec<_>>()
            .join("\n");
        let body = format!("{body}\n\n{}\n", t.s("notify.footer"));
        match send(cfg, &group[0].email, &subject, &body).await {
            Ok(()) => {
                let ids: Vec<i64> = group.iter().map(|d| d.notice.id).collect();
                state.store.mark_emailed(&ids, now_ms, None).await?;
                sent += 1;
            }
            Err(e) => tracing::warn!(error = %e, "notice not sent; will retry"),
        }
    }
    // Digests: after the digest hour in the school's zone, one per child a day.
    let due = state.store.due_notices("digest", now_ms + 1).await?;
    let mut zones: BTreeMap<i64, String> = BTreeMap::new();
    let mut by_recipient: BTreeMap<i64, Vec<Vec<&DueNotice>>> = BTreeMap::new();
    for ((recipient, _), group) in group_by_child(&due) {
        by_recipient.entry(recipient).or_default().push(group);
    }
    for (recipient, children) in by_recipient {
        let school_id = children[0][0].notice.school_id;
        if let std::collections::btree_map::Entry::Vacant(slot) = zones.entry(school_id) {
            let zone = state
                .store
                .school(school_id)
                .await?
                .map_or("UTC".to_owned(), |s| s.time_zone);
            slot.insert(zone);
        }
        let tz = jiff::tz::TimeZone::get(&zones[&school_id]).unwrap_or(jiff::tz::TimeZone::UTC);
        let local = now.to_zoned(tz);
        let day = local.date().to_string();
        if local.hour() < cfg.digest_hour || children[0][0].last_digest == day {
            continue;
        }
        let mut ids = Vec::new();
        for group in &children {
            let first = &group[0].notice;
            let subject = format!(
                "{} {}: {} {}",
                t.s("notify.digest"),
                t.date(local.date()),
                first.student_first_name,
                first.student_last_name
            );
            let body = group
                .iter()
                .map(|d| format!("• {}", describe(&t, &d.notice)))
                .collect::<Vec<_>>()
                .join("\n");
            let body = format!("{body}\n\n{}\n", t.s("notify.footer"));
            match send(cfg, &group[0].email, &subject, &body).await {
                Ok(()) => {
                    ids.extend(group.iter().map(|d| d.notice.id));
                    sent += 1;
                }
                Err(e) => tracing::warn!(error = %e, "digest not sent; will retry"),
            }
        }
        if !ids.is_empty() {
            state
                .store
                .mark_emailed(&ids, now_ms, Some((recipient, &day)))
                .await?;
        }
    }
    Ok(sent)
}

/// Notices grouped by (recipient, child), in order.
fn group_by_child(due: &[DueNotice]) -> BTreeMap<(i64, i64), Vec<&DueNotice>> {
    let mut out: BTreeMap<(i64, i64), Vec<&DueNotice>> = BTreeMap::new();
    for d in due {
        out.entry((d.notice.recipient_id, d.notice.student_id))
            .or_default()
            .push(d);
    }
    out
}

/// Runs the mailer every `every` until the process ends.
pub fn spawn(state: AppState, cfg: SmtpConfig, every: Duration) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = run_once(&state, &cfg).await {
                tracing::warn!(error = ?e, "mailer run failed");
            }
            tokio::time::sleep(every).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_the_rfc_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn headers_cannot_be_smuggled() {
        let m = message(
            "Журнал <j@school.example>",
            "a@b.example\r\nBcc: x@evil.example",
            "Тема",
            "Текст",
            jiff::Timestamp::UNIX_EPOCH,
        );
        assert!(m.contains("To: a@b.exampleBcc: x@evil.example\r\n"));
        assert!(!m.contains("\r\nBcc:"));
        assert!(m.contains("Subject: =?UTF-8?B?0KLQtdC80LA=?=\r\n"));
        assert_eq!(address("Журнал <j@school.example>"), "j@school.example");
        assert!(m.starts_with("From: =?UTF-8?B?0JbRg9GA0L3QsNC7?= <j@school.example>\r\n"));
    }
}
