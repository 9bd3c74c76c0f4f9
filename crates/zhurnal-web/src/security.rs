//! Tokens, password hashing, security headers.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::Next;
use axum::response::Response;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random token: 32 bytes from the OS generator, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database keeps of a token: its SHA-256. A stolen database yields no live session.
/// A fresh one-time access code (§5.1): [`CODE_LENGTH`] characters of [`CODE_ALPHABET`],
/// which has no look-alike letters and digits.
///
/// [`CODE_LENGTH`]: zhurnal_core::account::CODE_LENGTH
/// [`CODE_ALPHABET`]: zhurnal_core::account::CODE_ALPHABET
pub fn access_code() -> String {
    use rand::Rng;
    use zhurnal_core::account::{CODE_ALPHABET, CODE_LENGTH};
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Comparison whose time does not depend on where the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Password hashing runs on a few threads of its own, one per core (at most four): each
/// argon2id computation takes 19 MiB and tens of milliseconds by design, so a burst of
/// logins (a class at the start of a lesson, a load test) queues here instead of taking
/// every blocking thread and leaving 19 MiB behind in each of their allocator arenas.
struct Hashers {
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

fn hashers() -> &'static Hashers {
    static POOL: std::sync::OnceLock<Hashers> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let n = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
        for k in 0..n {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("argon2-{k}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
        }
        Hashers {
            jobs: std::sync::Mutex::new(tx),
        }
    })
}

/// Runs `f` on the hashing threads and waits for its answer.
async fn on_hasher<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Box<dyn FnOnce() + Send> = Box::new(move || {
        let _ = tx.send(f());
    });
    hashers().jobs.lock().ok()?.send(job).ok()?;
    rx.await.ok()
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes) off the async
/// threads.
pub async fn hash_password(password: String) -> Result<String, String> {
    on_hasher(move || hash_password_blocking(&password))
        .await
        .unwrap_or_else(|| Err("the hashing threads stopped".into()))
}

pub fn hash_password_blocking(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Verifies a password against its stored hash, off the async threads.
pub async fn verify_password(password: String, hash: String) -> bool {
    on_hasher(move || verify_in_place(password.as_bytes(), &hash))
        .await
        .unwrap_or(false)
}

/// Verifies into working memory each hashing thread allocates once and keeps: argon2id's
/// 19 MiB per computation, allocated and freed at every login, stayed behind in the
/// allocator (about 19 MiB more for each of the first dozen logins).
fn verify_in_place(password: &[u8], phc: &str) -> bool {
    thread_local! {
        static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| argon2::Version::try_from(v).ok())
        .unwrap_or_default();
    let Ok(params) = argon2::Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    let mut out = vec![0u8; expected.len()];
    let hashed = BLOCKS.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, argon2::Block::default());
        }
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password, salt, &mut out, &mut memory[..blocks])
            .is_ok()
    });
    hashed
        && out.len() == expected.len()
        && out
            .iter()
            .zip(expected.as_bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// The policy of a page whose form's answer redirects to `uri`'s origin (browsers hold a
/// form's redirects to `form-action` too). `None` when the origin is not plainly one.
pub fn csp_sending_forms_to(uri: &str) -> Option<HeaderValue> {
    let (scheme, rest) = uri.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let plain = matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !plain {
        return None;
    }
    let policy = CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {scheme}://{host}"),
    );
    HeaderValue::from_str(&policy).ok()
}

/// Adds the security headers to every response. Pages and API answers carry personal data,
/// so nothing is cached unless it is a static asset.
pub async fn headers(req: Request<Body>, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/") || req.uri().path() == "/favicon.svg";
    let secure = req
        .extensions()
        .get::<crate::AppState>()
        .is_some_and(|s| s.cfg.secure_cookies);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A page that sends a form on to another site (the consent page of an app, whose answer
    // redirects there) sets its own, wider policy.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if is_static {
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("public, max-age=86400"));
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn access_codes_use_only_the_unambiguous_alphabet() {
        for _ in 0..100 {
            let code = access_code();
            assert_eq!(code.len(), zhurnal_core::account::CODE_LENGTH);
            assert!(zhurnal_core::account::typed_code(&code).is_some());
        }
        assert_ne!(access_code(), access_code());
    }

    use super::*;
    use argon2::password_hash::PasswordVerifier;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }

    #[test]
    fn verification_in_place_agrees_with_the_library() {
        let h = hash_password_blocking("correct horse battery").unwrap();
        assert!(verify_in_place(b"correct horse battery", &h));
        assert!(!verify_in_place(b"correct horse batterx", &h));
        assert!(!verify_in_place(b"correct horse battery", "not a hash"));
        // A hash with other parameters (as older accounts may have) still verifies.
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let other = Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(8 * 1024, 3, 1, None).unwrap(),
        )
        .hash_password(b"secret", &salt)
        .unwrap()
        .to_string();
        assert!(verify_in_place(b"secret", &other));
        assert!(!verify_in_place(b"Secret", &other));
    }

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password_blocking("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"wrong", &parsed)
                .is_err()
        );
    }

    #[test]
    fn a_form_may_go_on_only_to_a_plain_origin() {
        let csp = csp_sending_forms_to("https://bot.example:8443/cb?x=1").unwrap();
        let csp = csp.to_str().unwrap();
        assert!(
            csp.contains("form-action 'self' https://bot.example:8443;"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp_sending_forms_to("https://a.example;script-src *").is_none());
        assert!(csp_sending_forms_to("javascript:x").is_none());
        assert!(csp_sending_forms_to("http://127.0.0.1:9/cb").is_some());
    }
}
