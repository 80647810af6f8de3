//! The company's rules and transactions, between the HTTP handlers and the store: what the
//! handlers, the dialer (through [`crate::dialing`]) and the background jobs all call. Nothing
//! here knows HTTP: a service answers with [`Error`] (a refusal by rule, or a failure
//! underneath), and each edge turns it into its own answer.

pub mod audit;
pub mod billing;
pub mod bills;
pub mod blacklist;
pub mod call_time;
pub mod companies;
pub mod company;
pub mod error;
pub mod files;
pub mod grouped_list;
pub mod health;
pub mod lines;
pub mod notifications;
pub mod org;
pub mod paging;
pub mod robot;
pub mod search;
pub mod settings;
pub mod tasks;
pub mod user_tags;

pub use error::{Error, Kind, Result};
