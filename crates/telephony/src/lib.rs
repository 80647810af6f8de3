//! How Voxdial reaches a phone. Pure of databases and HTTP, so the dialer can be tested
//! against it without a carrier.
//!
//! - [`line`]: the [`Line`] trait every line implements (`dial` → a [`Call`] with events in
//!   and commands out), the same for the SIP trunk and the simulated line.
//! - [`simulated`]: the simulated line (模拟线路, LINE-2): a deterministic, realistic outcome
//!   per number and ring times, faster than real time with a time scale.
//! - [`customer`]: simulated customers (personas) who answer the robot in text.
//! - [`hash`]: the stable hash behind every "random" choice, so a number gets the same
//!   outcome on every run and every Rust version.

pub mod customer;
pub mod hash;
pub mod line;
pub mod simulated;

pub use customer::{Customer, Persona, Reply};
pub use line::{
    Call, CallCommand, CallEvent, DialRequest, Hangup, Line, LineError, LineSide, Party, TimedEvent,
};
pub use simulated::{OUTCOME_MIX, Plan, SimulatedConfig, SimulatedLine};
