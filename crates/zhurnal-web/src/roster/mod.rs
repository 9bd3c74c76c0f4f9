//! The school's roster in the shape every area takes (see `docs/architecture.md`): `ops`
//! holds the operations — a roster imported from a spreadsheet, families' access codes —
//! and `page` and `api` are thin adapters over them; `words` says outcomes in the person's
//! language for both. Neither adapter imports the other.
//!
//! The class teacher's everyday roster (statements, departures) is still in
//! `pages::roster` until it moves here.

pub mod api;
pub mod consents;
pub mod moves;
pub mod ops;
pub mod page;
pub mod words;

use crate::AppError;
use crate::routes::{Access::Signed, Declared, declare};
use zhurnal_core::Action::{EnrolStudents, RecordConsents, TransferStudents, ViewReports};

/// The roster's routes, each declared once.
pub fn routes() -> Vec<Declared> {
    let upload = crate::files::MAX_BYTES + 64 * 1024;
    vec![
        declare(
            "GET",
            "/roster/import",
            Signed(EnrolStudents),
            "/roster/import",
            page::import_get,
        ),
        declare(
            "POST",
            "/roster/import",
            Signed(EnrolStudents),
            "/roster/import",
            page::import_post,
        )
        .body_limit(upload),
        declare(
            "GET",
            "/roster/import/template",
            Signed(EnrolStudents),
            "/roster/import/template",
            page::template_get,
        ),
        declare(
            "GET",
            "/roster/access",
            Signed(EnrolStudents),
            "/roster/access",
            page::access_get,
        ),
        declare(
            "POST",
            "/roster/access",
            Signed(EnrolStudents),
            "/roster/access",
            page::access_post,
        ),
        declare(
            "POST",
            "/api/v1/schools/{id}/roster",
            Signed(EnrolStudents),
            "/api/v1/schools/1/roster",
            api::post_roster,
        )
        .body_limit(upload),
        declare(
            "POST",
            "/api/v1/schools/{id}/access-codes",
            Signed(EnrolStudents),
            "/api/v1/schools/1/access-codes",
            api::post_access_code,
        ),
        declare(
            "GET",
            "/roster/transfer",
            Signed(TransferStudents),
            "/roster/transfer",
            moves::transfer_get,
        ),
        declare(
            "POST",
            "/roster/transfer",
            Signed(TransferStudents),
            "/roster/transfer",
            moves::transfer_post,
        ),
        declare(
            "GET",
            "/roster/movement",
            Signed(ViewReports),
            "/roster/movement",
            moves::movement_get,
        ),
        declare(
            "POST",
            "/api/v1/schools/{id}/transfers",
            Signed(TransferStudents),
            "/api/v1/schools/1/transfers",
            api::post_transfer,
        ),
        declare(
            "GET",
            "/api/v1/schools/{id}/movement",
            Signed(ViewReports),
            "/api/v1/schools/1/movement",
            api::get_movement,
        ),
        declare(
            "GET",
            "/roster/consents",
            Signed(RecordConsents),
            "/roster/consents",
            consents::consents_get,
        ),
        declare(
            "POST",
            "/roster/consents",
            Signed(RecordConsents),
            "/roster/consents",
            consents::consents_post,
        ),
        declare(
            "GET",
            "/api/v1/schools/{id}/papers",
            Signed(RecordConsents),
            "/api/v1/schools/1/papers",
            api::get_papers,
        ),
        declare(
            "POST",
            "/api/v1/schools/{id}/consents",
            Signed(RecordConsents),
            "/api/v1/schools/1/consents",
            api::post_consent,
        ),
    ]
}

/// An id from a form or query: absent or blank is `None`; anything else that is not a number
/// answers like an unknown id.
fn id_of(raw: Option<&str>) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}
