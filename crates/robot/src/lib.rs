//! The voice robot's brain. Pure: no IO, no HTTP, so every rule is cheap to test.
//!
//! So far: [`intent`], which tells what a customer meant in one utterance of messy
//! speech-to-text output.

pub mod intent;
