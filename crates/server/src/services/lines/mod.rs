//! Lines (线路, LINE-1/2): the SIP trunks the operator provisions and gives to companies, and
//! the lines a company may call on. A trunk's password is never sent back.

pub mod company;
pub mod sip;
pub mod trunks;
