//! One call attempt (通话记录): claimed by a dialer node, dialled, answered or not, ended,
//! then graded and charged by the post-call work. Times are UTC; `transcript`, `events`,
//! `facts` and `tags` are JSON.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calls")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub task_id: i64,
    pub task_number_id: i64,
    pub line_id: Option<i64>,
    /// The dialer node that owns the call while it is open.
    pub node: String,
    pub phone: String,
    pub script_id: Option<i64>,
    pub script_version_id: Option<i64>,
    /// `claimed`, `dialing`, `answered` or `ended`.
    pub state: String,
    /// The outcome (呼叫状态, a `NumberStatus` code); empty while the call is open.
    pub status: String,
    /// The number's status when it was claimed, restored if the call never starts.
    pub number_status_before: String,
    /// `robot`, `customer`, `network`, `system` (an unanswered call given up) or empty.
    pub hangup_by: String,
    pub cause: String,
    /// 1 for the first call of the number, 2 for the first redial, ….
    pub attempt: i32,
    /// When the number became due (its import or its redial time).
    pub due_at: DateTimeUtc,
    pub claimed_at: DateTimeUtc,
    pub dialed_at: Option<DateTimeUtc>,
    pub ringing_at: Option<DateTimeUtc>,
    pub answered_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    /// From the dial to the answer or the end, in the line's time.
    pub ring_ms: i32,
    /// From the answer to the end (0 when not answered), in the line's time.
    pub duration_ms: i32,
    pub billed_seconds: i32,
    pub cost_mfen: i64,
    /// A–F once graded; empty before.
    pub grade: String,
    pub grade_rule: String,
    /// The LLM quality check's level when it changed the grade.
    pub qc_grade: String,
    pub qc_reason: String,
    pub tags: String,
    pub interactions: i32,
    pub transcript: String,
    pub events: String,
    pub facts: String,
    /// `open` while in flight, `pending` until graded and charged, then `done`.
    pub post_state: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
