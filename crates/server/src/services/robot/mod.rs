//! Robot configuration: scripts (话术) and their test chat, intents, grading rules, call
//! settings, the company's LLM models, quality-check conditions and LLM robots.

pub mod call_settings;
pub mod grading;
pub mod intents;
pub mod llm_models;
pub mod llm_robot_chat;
pub mod llm_robots;
pub mod quality;
pub mod script_chat;
pub mod scripts;
