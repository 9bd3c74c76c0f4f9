//! The person's own account, in the shape every area takes (see `docs/architecture.md`):
//! `ops` holds the operations — typed input, the actor, one transaction, a typed outcome or
//! a domain error — and `page` and `api` are thin adapters that parse, call an operation
//! and render. Neither adapter imports the other.
//!
//! So far: the sessions and tokens in force, each of which the person may end.

pub mod api;
pub mod ops;
pub mod page;
