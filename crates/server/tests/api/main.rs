//! API tests against a real server, on SQLite, or on PostgreSQL when
//! `VOXDIAL_TEST_POSTGRES_URL` is set (scripts/test runs both). One test binary keeps link
//! time down.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod calling;
mod crash;
mod dialer;
mod llm;
mod org;
mod robot;
mod support;
mod tags;
mod tasks;
