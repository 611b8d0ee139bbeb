//! Black-box tests of khuyenhoc over HTTP, on SQLite and PostgreSQL.
//!
//! Run with `cargo test`; set `TEST_DATABASE_URL` (e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`) to run the PostgreSQL variants too.

// A failed unwrap here is a failed test with its message, which is what a test should do.
#![allow(clippy::unwrap_used)]

mod helpers;

mod admission;
mod assessments;
mod bulk;
mod checklists;
mod cli;
mod clients;
mod connection;
mod export;
mod federation;
mod graphiql;
mod http;
mod idempotency;
mod identity;
mod isolation;
mod memberships;
mod migrations;
mod organisation_admin;
mod organisations;
mod programs;
mod resilience;
mod schema_contract;
mod shutdown;
mod statistics;
mod subscriptions;
mod telemetry_export;
mod tenancy;
mod training;
mod viewer_can;
