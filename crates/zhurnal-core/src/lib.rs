//! Zhurnal's domain: plain Rust with no I/O, so its rules are unit-tested fast.

pub mod account;
pub mod assessment;
pub mod bells;
pub mod calendar;
pub mod clock;
pub mod curriculum;
pub mod demo;
pub mod export;
pub mod grading;
pub mod ical;
pub mod journal;
pub mod journal_gen;
pub mod oauth;
pub mod permission;
pub mod plan;
pub mod promotion;
pub mod role;
pub mod roster;
pub mod sheet;
pub mod timetable;
pub mod timetable_csv;

pub use permission::{Action, Scope};
pub use role::Role;
