//! What the dialer needs from the rest of the product, behind a trait so the dialer does not
//! depend on the HTTP server: a company's calling rules, telling people, and the LLM.

use async_trait::async_trait;
use domain::calltime::Calendar;
use robot::grading::{Level, Rule};
use robot::quality::Verdict;
use robot::timing::CallTiming;
use store::entity::task;

/// A company's settings the dialer reads (cached for a few seconds).
#[derive(Clone, Debug)]
pub struct Company {
    pub tz: chrono_tz::Tz,
    pub calendar: Calendar,
    pub timing: CallTiming,
    pub rules: Vec<Rule>,
    pub default_level: Level,
}

#[async_trait]
pub trait Environment: Send + Sync + 'static {
    async fn company(&self, tenant_id: i64) -> anyhow::Result<Company>;

    /// Balance and overdraft are used up: pause the company's running tasks and tell the
    /// owner (BILL-1).
    async fn balance_exhausted(&self, tenant_id: i64) -> anyhow::Result<()>;

    /// The dialer paused or finished a task by itself (circuit breaker, completion): tell
    /// the task's creator (or the owner).
    async fn task_event(&self, task: &task::Model, kind: &str, text: &str) -> anyhow::Result<()>;

    /// Re-grade a call with the quality condition's model (BOT-4). `None`: the model gave no
    /// usable level.
    async fn quality_check(
        &self,
        tenant_id: i64,
        condition_id: i64,
        level: Level,
        transcript: &str,
    ) -> anyhow::Result<Option<Verdict>>;
}
