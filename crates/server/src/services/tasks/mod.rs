//! Calling tasks (呼叫中台 → AI呼叫2.0, TASK-1..5): the form and what it points at, the
//! lifecycle 未开始 → 执行中 ⇄ 已暂停 → 已完成/已停止 with the line-concurrency check at start,
//! copies and templates, a task's numbers and its calls.

pub mod bulk;
pub mod calls;
pub mod edit;
pub mod imports;
pub mod lifecycle;
pub mod lists;
pub mod live;
pub mod numbers;
pub mod refs;
pub mod scope;
pub mod stored;
pub mod templates;
pub mod validation;
