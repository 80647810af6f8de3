//! The Voxdial server: configuration, HTTP API, background jobs and the embedded console.

pub mod api;
mod assets;
pub mod auth;
pub use dialer::blacklist;
pub mod cli;
pub mod config;
mod demo;
pub mod dialing;
pub mod error;
pub mod files;
pub mod jobs;
pub mod notify;
pub mod services;
pub mod sheet;
pub mod state;
pub mod telemetry;

pub use state::AppState;
