//! The voice robot's brain. Pure: no IO, no HTTP, so every rule is cheap to test.
//!
//! So far: [`intent`] tells what a customer meant in one utterance of messy speech-to-text
//! output; [`script`] is the flow an author builds (话术); [`dialog`] runs one conversation
//! through it; [`grading`] turns a finished call into A–F; [`llm_dialog`] lets a model write
//! the robot's lines, with fallbacks; [`quality`] has a model re-grade calls (大模型质检).

pub mod dialog;
pub mod grading;
pub mod intent;
pub mod llm_dialog;
pub mod quality;
pub mod script;
pub mod timing;
