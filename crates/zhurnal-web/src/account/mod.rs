//! The person's own account, in the shape every area takes (see `docs/architecture.md`):
//! `ops` holds the operations — typed input, the actor, one transaction, a typed outcome or
//! a domain error — and `page` and `api` are thin adapters that parse, call an operation
//! and render. Neither adapter imports the other.
//!
//! So far: the sessions and tokens in force, each of which the person may end.

pub mod api;
pub mod ops;
pub mod page;
pub mod register;

use crate::routes::{Access::Public, Access::Signed, Declared, declare};
use zhurnal_core::Action::ManageOwnAccount;

/// The account's routes, each declared once.
pub fn routes() -> Vec<Declared> {
    vec![
        declare(
            "GET",
            "/account/sessions",
            Signed(ManageOwnAccount),
            "/account/sessions",
            page::sessions_get,
        ),
        declare(
            "POST",
            "/account/sessions",
            Signed(ManageOwnAccount),
            "/account/sessions",
            page::sessions_post,
        ),
        declare(
            "GET",
            "/api/v1/me/sessions",
            Signed(ManageOwnAccount),
            "/api/v1/me/sessions",
            api::get_sessions,
        ),
        declare(
            "DELETE",
            "/api/v1/me/sessions/{id}",
            Signed(ManageOwnAccount),
            "/api/v1/me/sessions/999999",
            api::delete_session,
        ),
        declare(
            "GET",
            "/register",
            Public,
            "/register",
            register::register_get,
        ),
        declare(
            "POST",
            "/register",
            Public,
            "/register",
            register::register_post,
        ),
        declare(
            "POST",
            "/api/v1/register",
            Public,
            "/api/v1/register",
            register::post_register,
        ),
    ]
}
