//! Integration tests: the real server on a random port, talked to over HTTP, on SQLite and
//! (with `ZHURNAL_TEST_POSTGRES_URL`) on PostgreSQL. One binary, modules per area.

mod helpers;

mod api;
mod auth;
mod backup;
mod bodies;
mod cli;
mod diary;
mod dnevnik;
mod enrol;
mod findings;
mod fuzz;
mod grid;
mod journal;
mod messages;
mod notify;
mod oauth;
mod overload;
mod parity;
mod permissions;
mod roster;
mod rules;
mod security;
mod shifts;
mod timetable;
mod wall;
mod year;
