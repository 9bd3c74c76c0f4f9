//! Work that must not hold an async worker: reading a file someone uploaded. A workbook's
//! XML is parsed on the blocking pool, at most [`AT_ONCE`] at a time for the whole server,
//! so a few large uploads wait for each other instead of stalling every other request.

use crate::AppError;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// Uploads parsed at once: one per core of the small servers Zhurnal runs on.
pub const AT_ONCE: usize = 2;

static PARSING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(AT_ONCE));

/// Runs `parse` on the blocking pool once a parsing permit is free.
pub async fn parse<T: Send + 'static>(
    parse: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = PARSING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(parse)
        .await
        .map_err(|e| AppError::Internal(format!("parsing an upload: {e}")))
}
