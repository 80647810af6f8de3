//! Pure business rules of Voxdial. Nothing here does IO, so every rule can be tested alone.

pub mod billing;
pub mod call;
pub mod calltime;
pub mod departments;
pub mod identity;
pub mod idle;
pub mod permissions;
pub mod phone;
pub mod phone_region;
pub mod task;
