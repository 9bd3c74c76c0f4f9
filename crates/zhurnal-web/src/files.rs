//! Files attached to homework: what may be uploaded (SECURITY.md: an allowlist by extension
//! *and* by content, never trusting the browser's type), how big, and a safe name.

/// The largest file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// At most this many files per lesson.
pub const MAX_PER_LESSON: usize = 5;

/// The content type a file is served with, from its extension, if its bytes agree.
pub fn check(name: &str, data: &[u8]) -> Result<&'static str, &'static str> {
    if data.is_empty() {
        return Err("files.empty");
    }
    if data.len() > MAX_BYTES {
        return Err("files.too_big");
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    let zip = data.starts_with(b"PK\x03\x04");
    let (content_type, ok) = match ext.as_str() {
        "pdf" => ("application/pdf", data.starts_with(b"%PDF-")),
        "png" => ("image/png", data.starts_with(b"\x89PNG\r\n\x1a\n")),
        "jpg" | "jpeg" => ("image/jpeg", data.starts_with(b"\xff\xd8\xff")),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            zip,
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            zip,
        ),
        "pptx" => (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            zip,
        ),
        "odt" => ("application/vnd.oasis.opendocument.text", zip),
        "txt" => (
            "text/plain; charset=utf-8",
            std::str::from_utf8(data).is_ok(),
        ),
        _ => return Err("files.bad_type"),
    };
    if ok {
        Ok(content_type)
    } else {
        Err("files.not_what_it_says")
    }
}

/// A file name safe to store and to send back: the last path part, without control
/// characters or quotes, at most 120 characters (the extension kept).
pub fn safe_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.chars().count() <= 120 {
        return if clean.is_empty() {
            "file".into()
        } else {
            clean
        };
    }
    let (stem, ext) = clean.rsplit_once('.').unwrap_or((&clean, ""));
    let stem: String = stem.chars().take(110).collect();
    if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    }
}

/// A multipart form with one file: its text fields and the file (name and bytes). The CSRF
/// token must come before the file, so a forged upload is refused before it is read.
pub async fn read_upload(
    ctx: &crate::ctx::Ctx,
    mut multipart: axum::extract::Multipart,
) -> Result<
    (
        std::collections::HashMap<String, String>,
        Option<(String, Vec<u8>)>,
    ),
    crate::AppError,
> {
    use crate::AppError;
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            crate::pages::auth::check_csrf(ctx, fields.get("csrf").map_or("", String::as_str))?;
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?;
            file = Some((file_name, bytes.to_vec()));
        } else if fields.len() < 8 {
            let value = field
                .text()
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?;
            if value.contains('\0') {
                return Err(AppError::BadRequest(format!(
                    "the field «{}» holds a NUL character",
                    name.chars().take(40).collect::<String>()
                )));
            }
            fields.insert(name, value);
        }
    }
    crate::pages::auth::check_csrf(ctx, fields.get("csrf").map_or("", String::as_str))?;
    Ok((fields, file))
}

/// A stored file sent as a download (never rendered in the page's origin), its name kept
/// in UTF-8 (RFC 6266).
pub fn download(name: &str, content_type: String, data: Vec<u8>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"file\"; filename*=UTF-8''{encoded}");
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        data,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_types_whose_bytes_agree() {
        assert_eq!(check("task.pdf", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(check("Задание.PDF", b"%PDF-1.4"), Ok("application/pdf"));
        assert_eq!(
            check("task.pdf", b"<html><script>"),
            Err("files.not_what_it_says")
        );
        assert_eq!(check("run.exe", b"MZ"), Err("files.bad_type"));
        assert_eq!(check("page.html", b"<html>"), Err("files.bad_type"));
        assert_eq!(check("noext", b"abc"), Err("files.bad_type"));
        assert!(check("work.docx", b"PK\x03\x04rest").is_ok());
        assert_eq!(
            check("notes.txt", &[0xff, 0xfe, 0x00]),
            Err("files.not_what_it_says")
        );
        assert_eq!(check("a.txt", b""), Err("files.empty"));
        assert_eq!(
            check("big.txt", &vec![b'a'; MAX_BYTES + 1]),
            Err("files.too_big")
        );
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(
            safe_name("C:\\Users\\teacher\\Задание №5.pdf"),
            "Задание №5.pdf"
        );
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("a\"b<c>.pdf"), "abc.pdf");
        assert_eq!(safe_name("..."), "file");
        let long = format!("{}.pdf", "я".repeat(300));
        let safe = safe_name(&long);
        assert!(safe.ends_with(".pdf") && safe.chars().count() <= 120);
    }
}
