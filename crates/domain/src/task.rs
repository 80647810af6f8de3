//! A calling task's settings (新建任务, TASK-1) as stored and validated, and the statuses a
//! task and its numbers go through (TASK-4, DIAL-2).
//!
//! What needs the database (does the script exist, is the line assigned) is checked by the
//! server; everything that can be judged from the settings alone is checked here.

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::calltime::{Calendar, CallPolicy, ForbiddenRange, TimeRange, WeeklyTemplate};

/// 任务类型.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// 新外呼: a script (话术) runs the conversation.
    Script,
    /// 大模型外呼: an LLM robot runs it.
    Llm,
}

/// One time-of-day range with its script (按时间配置).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedScript {
    pub start: String,
    pub end: String,
    pub script_id: i64,
}

/// AI对话模型: one script, or a script per time of day with a fallback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Dialog {
    Unified {
        script_id: i64,
    },
    ByTime {
        ranges: Vec<TimedScript>,
        fallback_script_id: i64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The template the days were taken from, if any (shown in the form).
    #[serde(default)]
    pub template_id: Option<String>,
    pub days: WeeklyTemplate,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    #[serde(default)]
    pub enabled: bool,
    /// 转人工全忙暂停.
    #[serde(default)]
    pub pause_when_busy: bool,
    /// 人工预测式外呼: connect answered calls to an agent without the robot.
    #[serde(default)]
    pub predictive: bool,
    /// 人工全忙转AI.
    #[serde(default)]
    pub busy_to_ai: bool,
}

/// 定时定量 (TASK-5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    /// Pause after this many connected calls in a day (company time zone).
    #[serde(default)]
    pub daily_connected_limit: Option<u32>,
}

/// 重呼规则: which outcomes are called again, how often, how long after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retry {
    #[serde(default)]
    pub statuses: Vec<NumberStatus>,
    /// Calls in all, the first one included.
    pub max_attempts: u32,
    pub interval_minutes: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            statuses: vec![NumberStatus::NoAnswer, NumberStatus::Busy],
            max_attempts: 2,
            interval_minutes: 60,
        }
    }
}

impl Retry {
    /// When a number whose `attempt`-th call ended with `status` is called again (重呼规则):
    /// `None` when it is settled for good.
    pub fn redial_at(
        &self,
        status: NumberStatus,
        attempt: i32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let more = i64::from(attempt) < i64::from(self.max_attempts);
        (more && self.statuses.contains(&status))
            .then(|| now + chrono::Duration::minutes(i64::from(self.interval_minutes)))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndAction {
    /// 暂停任务并释放并发: when nothing is due, pause and free the line for others.
    #[default]
    PauseRelease,
    None,
}

/// Every setting of a task besides its name, as stored in `tasks.settings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSettings {
    #[serde(default)]
    pub tags: Vec<String>,
    /// 别名: lets one import sheet feed several tasks.
    #[serde(default)]
    pub alias: String,
    pub kind: TaskKind,
    #[serde(default)]
    pub dialog: Option<Dialog>,
    #[serde(default)]
    pub llm_robot_id: Option<i64>,
    #[serde(default)]
    pub quality_condition_id: Option<i64>,
    pub line_id: i64,
    #[serde(default)]
    pub blacklist_group_ids: Vec<i64>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub schedule: Schedule,
    #[serde(default = "yes")]
    pub skip_holidays: bool,
    #[serde(default)]
    pub forbidden: Vec<ForbiddenRange>,
    /// Seconds between two calls on one channel; 0 = automatic.
    #[serde(default)]
    pub call_interval_s: u32,
    pub concurrency: u32,
    #[serde(default)]
    pub end_action: EndAction,
    #[serde(default)]
    pub transfer: Transfer,
    #[serde(default)]
    pub quota: Quota,
    #[serde(default)]
    pub retry: Retry,
}

fn yes() -> bool {
    true
}

pub const MAX_TAGS: usize = 10;
pub const MAX_CALL_INTERVAL_S: u32 = 600;
pub const MAX_ATTEMPTS: u32 = 10;

/// A setting that is wrong, with the form field it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TaskError {
    pub field: &'static str,
    pub message: String,
}

fn error(field: &'static str, message: impl Into<String>) -> TaskError {
    TaskError {
        field,
        message: message.into(),
    }
}

impl TaskSettings {
    /// Checks what the settings alone can tell; trims tags and alias.
    pub fn validate(&mut self) -> Result<(), TaskError> {
        self.alias = self.alias.trim().to_owned();
        if self.alias.chars().count() > 30 {
            return Err(error("alias", "别名不超过 30 个字"));
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in &self.tags {
            let tag = tag.trim();
            if tag.is_empty() || tag.chars().count() > 20 {
                return Err(error("tags", "任务标签不能为空，且不超过 20 个字"));
            }
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        if tags.len() > MAX_TAGS {
            return Err(error("tags", format!("任务标签最多 {MAX_TAGS} 个")));
        }
        self.tags = tags;
        match (self.kind, &self.dialog, self.llm_robot_id) {
            (TaskKind::Script, None, _) => return Err(error("dialog", "请选择AI对话模型（话术）")),
            (TaskKind::Script, Some(Dialog::ByTime { ranges, .. }), _) => check_timed(ranges)?,
            (TaskKind::Llm, _, None) => return Err(error("llm_robot_id", "请选择大模型机器人")),
            _ => {}
        }
        if self.valid_until <= self.valid_from {
            return Err(error("valid_until", "有效期的结束时间必须晚于开始时间"));
        }
        for range in &self.forbidden {
            ForbiddenRange::new(range.start, range.end)
                .map_err(|e| error("forbidden", e.to_string()))?;
        }
        if self.call_interval_s > MAX_CALL_INTERVAL_S {
            return Err(error(
                "call_interval_s",
                format!("呼叫间隔不超过 {MAX_CALL_INTERVAL_S} 秒"),
            ));
        }
        if self.concurrency == 0 {
            return Err(error("concurrency", "并发数至少为 1"));
        }
        if self.quota.daily_connected_limit == Some(0) {
            return Err(error("quota", "每日接通上限至少为 1，不限请留空"));
        }
        if !(1..=MAX_ATTEMPTS).contains(&self.retry.max_attempts) {
            return Err(error(
                "retry",
                format!("最多呼叫次数应在 1 到 {MAX_ATTEMPTS} 之间"),
            ));
        }
        if self.retry.statuses.iter().any(|s| !s.is_redialable()) {
            return Err(error("retry", "只能对未接通的呼叫状态设置重呼"));
        }
        Ok(())
    }

    /// Every script the task may use.
    pub fn script_ids(&self) -> Vec<i64> {
        match (&self.kind, &self.dialog) {
            (TaskKind::Script, Some(Dialog::Unified { script_id })) => vec![*script_id],
            (
                TaskKind::Script,
                Some(Dialog::ByTime {
                    ranges,
                    fallback_script_id,
                }),
            ) => {
                let mut ids: Vec<i64> = ranges.iter().map(|r| r.script_id).collect();
                ids.push(*fallback_script_id);
                ids.sort_unstable();
                ids.dedup();
                ids
            }
            _ => Vec::new(),
        }
    }

    /// The script that applies at this local time of day (按时间配置 falls back outside
    /// its ranges).
    pub fn script_at(&self, local: NaiveTime) -> Option<i64> {
        match (&self.kind, &self.dialog) {
            (TaskKind::Script, Some(Dialog::Unified { script_id })) => Some(*script_id),
            (
                TaskKind::Script,
                Some(Dialog::ByTime {
                    ranges,
                    fallback_script_id,
                }),
            ) => {
                let minute = u16::try_from(local.num_seconds_from_midnight() / 60).ok()?;
                ranges
                    .iter()
                    .find(|r| {
                        TimeRange::parse(&r.start, &r.end)
                            .is_ok_and(|range| range.contains_minute(minute))
                    })
                    .map(|r| r.script_id)
                    .or(Some(*fallback_script_id))
            }
            _ => None,
        }
    }

    /// When the task may call, for the dialer and the "why idle" answer.
    pub fn policy<'a>(&self, calendar: &'a Calendar, tz: chrono_tz::Tz) -> CallPolicy<'a> {
        CallPolicy {
            template: self.schedule.days.clone(),
            skip_holidays: self.skip_holidays,
            calendar,
            forbidden: self.forbidden.clone(),
            valid_from: Some(self.valid_from),
            valid_until: Some(self.valid_until),
            tz,
        }
    }
}

fn check_timed(ranges: &[TimedScript]) -> Result<(), TaskError> {
    if ranges.is_empty() {
        return Err(error("dialog", "按时间配置至少需要一个时间段"));
    }
    let mut parsed = Vec::with_capacity(ranges.len());
    for range in ranges {
        let time = TimeRange::parse(&range.start, &range.end)
            .map_err(|e| error("dialog", format!("话术时间段有误：{e}")))?;
        if time.end_minute() <= time.start_minute() {
            return Err(error(
                "dialog",
                format!("话术时间段 {time} 的结束时间必须晚于开始时间"),
            ));
        }
        parsed.push(time);
    }
    parsed.sort();
    if let Some(pair) = parsed
        .windows(2)
        .find(|pair| pair[1].start_minute() < pair[0].end_minute())
    {
        return Err(error(
            "dialog",
            format!("话术时间段 {} 与 {} 重叠", pair[0], pair[1]),
        ));
    }
    Ok(())
}

/// 任务状态 (TASK-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    NotStarted,
    Running,
    Paused,
    Completed,
    Stopped,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::NotStarted,
        TaskStatus::Running,
        TaskStatus::Paused,
        TaskStatus::Completed,
        TaskStatus::Stopped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::Running => "running",
            TaskStatus::Paused => "paused",
            TaskStatus::Completed => "completed",
            TaskStatus::Stopped => "stopped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "未开始",
            TaskStatus::Running => "执行中",
            TaskStatus::Paused => "已暂停",
            TaskStatus::Completed => "已完成",
            TaskStatus::Stopped => "已停止",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Start is allowed from these; a stopped task is over for good.
    pub fn can_start(self) -> bool {
        matches!(
            self,
            TaskStatus::NotStarted | TaskStatus::Paused | TaskStatus::Completed
        )
    }
}

/// A number's status (呼叫状态, DIAL-2), plus the two states before an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberStatus {
    Pending,
    Calling,
    Answered,
    CarrierBlocked,
    Rejected,
    NoAnswer,
    Vacant,
    PoweredOff,
    Suspended,
    Busy,
    IncomingRestricted,
    Arrears,
    Blacklisted,
    UserBlocked,
    Interrupted,
}

impl NumberStatus {
    pub const ALL: [NumberStatus; 15] = [
        NumberStatus::Pending,
        NumberStatus::Calling,
        NumberStatus::Answered,
        NumberStatus::CarrierBlocked,
        NumberStatus::Rejected,
        NumberStatus::NoAnswer,
        NumberStatus::Vacant,
        NumberStatus::PoweredOff,
        NumberStatus::Suspended,
        NumberStatus::Busy,
        NumberStatus::IncomingRestricted,
        NumberStatus::Arrears,
        NumberStatus::Blacklisted,
        NumberStatus::UserBlocked,
        NumberStatus::Interrupted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NumberStatus::Pending => "pending",
            NumberStatus::Calling => "calling",
            NumberStatus::Answered => "answered",
            NumberStatus::CarrierBlocked => "carrier_blocked",
            NumberStatus::Rejected => "rejected",
            NumberStatus::NoAnswer => "no_answer",
            NumberStatus::Vacant => "vacant",
            NumberStatus::PoweredOff => "powered_off",
            NumberStatus::Suspended => "suspended",
            NumberStatus::Busy => "busy",
            NumberStatus::IncomingRestricted => "incoming_restricted",
            NumberStatus::Arrears => "arrears",
            NumberStatus::Blacklisted => "blacklisted",
            NumberStatus::UserBlocked => "user_blocked",
            NumberStatus::Interrupted => "interrupted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NumberStatus::Pending => "未呼叫",
            NumberStatus::Calling => "呼叫中",
            NumberStatus::Answered => "呼叫成功",
            NumberStatus::CarrierBlocked => "运营商拦截",
            NumberStatus::Rejected => "拒接",
            NumberStatus::NoAnswer => "无应答",
            NumberStatus::Vacant => "空号",
            NumberStatus::PoweredOff => "关机",
            NumberStatus::Suspended => "停机",
            NumberStatus::Busy => "用户正忙",
            NumberStatus::IncomingRestricted => "呼入限制",
            NumberStatus::Arrears => "欠费",
            NumberStatus::Blacklisted => "黑名单",
            NumberStatus::UserBlocked => "用户屏蔽",
            NumberStatus::Interrupted => "中断",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// An outcome that may be called again (重呼): the call did not reach the customer.
    pub fn is_redialable(self) -> bool {
        !matches!(
            self,
            NumberStatus::Pending
                | NumberStatus::Calling
                | NumberStatus::Answered
                | NumberStatus::Blacklisted
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redials_follow_the_statuses_and_the_attempts_left() {
        let retry = Retry::default();
        let now = Utc::now();
        let later = now + chrono::Duration::minutes(60);
        assert_eq!(retry.redial_at(NumberStatus::NoAnswer, 1, now), Some(later));
        assert_eq!(retry.redial_at(NumberStatus::NoAnswer, 2, now), None);
        assert_eq!(retry.redial_at(NumberStatus::Answered, 1, now), None);
    }

    fn settings() -> TaskSettings {
        serde_json::from_value(serde_json::json!({
            "kind": "script",
            "dialog": {"mode": "unified", "script_id": 1},
            "line_id": 1,
            "valid_from": "2026-01-01T00:00:00Z",
            "valid_until": "2027-01-01T00:00:00Z",
            "schedule": {"template_id": "system-workday", "days": {"mon": [["09:00", "12:00"]]}},
            "concurrency": 5
        }))
        .unwrap()
    }

    #[test]
    fn defaults_fill_what_the_form_may_leave_out() {
        let mut s = settings();
        assert!(s.skip_holidays);
        assert_eq!(s.end_action, EndAction::PauseRelease);
        assert_eq!(s.retry.max_attempts, 2);
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.script_ids(), [1]);
    }

    #[test]
    fn by_time_picks_the_range_or_the_fallback() {
        let mut s = settings();
        s.dialog = Some(Dialog::ByTime {
            ranges: vec![
                TimedScript {
                    start: "09:00".into(),
                    end: "12:00".into(),
                    script_id: 2,
                },
                TimedScript {
                    start: "13:00".into(),
                    end: "18:00".into(),
                    script_id: 3,
                },
            ],
            fallback_script_id: 4,
        });
        assert_eq!(s.validate(), Ok(()));
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(s.script_at(at(9, 0)), Some(2));
        assert_eq!(s.script_at(at(12, 0)), Some(4), "the end is exclusive");
        assert_eq!(s.script_at(at(17, 59)), Some(3));
        assert_eq!(s.script_ids(), [2, 3, 4]);
        s.dialog = Some(Dialog::ByTime {
            ranges: vec![
                TimedScript {
                    start: "09:00".into(),
                    end: "12:00".into(),
                    script_id: 2,
                },
                TimedScript {
                    start: "11:00".into(),
                    end: "13:00".into(),
                    script_id: 3,
                },
            ],
            fallback_script_id: 4,
        });
        assert_eq!(s.validate().unwrap_err().field, "dialog");
    }

    #[test]
    fn wrong_settings_name_their_field() {
        type Breaks = fn(&mut TaskSettings);
        let cases: [(Breaks, &str); 6] = [
            (|s| s.dialog = None, "dialog"),
            (|s| s.valid_until = s.valid_from, "valid_until"),
            (|s| s.concurrency = 0, "concurrency"),
            (|s| s.call_interval_s = 601, "call_interval_s"),
            (|s| s.retry.statuses = vec![NumberStatus::Answered], "retry"),
            (|s| s.tags = vec![" ".into()], "tags"),
        ];
        for (break_it, field) in cases {
            let mut s = settings();
            break_it(&mut s);
            assert_eq!(s.validate().unwrap_err().field, field);
        }
        let mut llm = settings();
        llm.kind = TaskKind::Llm;
        assert_eq!(llm.validate().unwrap_err().field, "llm_robot_id");
    }

    #[test]
    fn statuses_round_trip_their_codes() {
        for status in NumberStatus::ALL {
            assert_eq!(NumberStatus::from_code(status.code()), Some(status));
        }
        for status in TaskStatus::ALL {
            assert_eq!(TaskStatus::from_code(status.code()), Some(status));
        }
        assert!(!TaskStatus::Stopped.can_start());
    }
}
