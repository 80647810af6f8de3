//! Who is calling: passwords, sessions, CSRF, login rate limits and the request extractors
//! that every handler uses to learn the caller's company, rights and data scope.

pub mod accounts;
mod extract;
pub mod password;
pub mod rate_limit;
pub mod session;

pub use extract::{Caller, ClientIp, OperatorCaller, Principal};
