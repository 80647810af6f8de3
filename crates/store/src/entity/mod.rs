//! One module per table. Every table holding company data has `tenant_id`.

pub mod audit_log;
pub mod balance;
pub mod blacklist_entry;
pub mod blacklist_group;
pub mod company;
pub mod company_setting;
pub mod customer;
pub mod department;
pub mod file;
pub mod job;
pub mod line;
pub mod line_assignment;
pub mod llm_model;
pub mod llm_robot;
pub mod member;
pub mod notification;
pub mod operator;
pub mod permission_group;
pub mod quality_condition;
pub mod script;
pub mod script_version;
pub mod session;
pub mod task;
pub mod task_number;
pub mod user_tag;
pub mod user_tag_group;
