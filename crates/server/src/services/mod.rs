//! The company's rules and transactions, between the HTTP handlers and the store: what the
//! handlers, the dialer (through [`crate::dialing`]) and the background jobs all call. Nothing
//! here knows HTTP: errors are the store's, and each handler shapes its own answer.

pub mod billing;
pub mod bills;
pub mod company;
pub mod llm;
pub mod scripts;
pub mod user_tags;
