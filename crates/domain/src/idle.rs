//! DIAL-4 "为什么我的号码没有呼叫": why a running task is not calling now, in the words the
//! task list shows. The dialer stores the reasons it finds while running; the list works out
//! the ones it can see itself (line, balance, call time). One set of texts for both.

use std::fmt;

use chrono::NaiveDateTime;

use crate::calltime::BlockReason;

/// Why a task does not call (or has stopped by itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdleReason {
    /// The task's line was removed or is not assigned to the company.
    LineMissing,
    LineDisabled,
    /// The line cannot dial (its driver's own words).
    LineUnusable(String),
    FundsUsedUp,
    /// The dialer paused every running task when balance and overdraft ran out.
    PausedForFunds,
    /// The call-time rules; `next` in the company's local time.
    Blocked {
        reason: BlockReason,
        next: Option<NaiveDateTime>,
    },
    DailyQuotaReached {
        connected: u64,
        limit: u32,
    },
    LlmTaskNotDialable,
    NoPublishedScript,
    LineFull,
    /// Only redials are left; the first is due at `from` (local time).
    WaitingForRedials {
        numbers: i64,
        from: NaiveDateTime,
    },
    AllCalled,
    /// The circuit breaker paused the task.
    LineFailing {
        failures: usize,
        calls: usize,
    },
}

/// How a local time is shown in a reason.
fn shown(at: &NaiveDateTime) -> impl fmt::Display {
    at.format("%m-%d %H:%M")
}

impl fmt::Display for IdleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdleReason::LineMissing => f.write_str("线路不可用"),
            IdleReason::LineDisabled => f.write_str("线路已停用"),
            IdleReason::LineUnusable(why) => f.write_str(why),
            IdleReason::FundsUsedUp => f.write_str("余额不足"),
            IdleReason::PausedForFunds => f.write_str("余额不足，已自动暂停"),
            IdleReason::Blocked { reason, next } => match next {
                Some(next) => write!(f, "{}，将于 {} 开始呼叫", reason.label(), shown(next)),
                None => f.write_str(reason.label()),
            },
            IdleReason::DailyQuotaReached { connected, limit } => write!(
                f,
                "今日已接通 {connected} 个，达到每日接通上限 {limit}，明日自动继续"
            ),
            IdleReason::LlmTaskNotDialable => {
                f.write_str("大模型外呼任务暂不支持自动拨打，请使用话术任务")
            }
            IdleReason::NoPublishedScript => f.write_str("话术没有已发布的版本，无法外呼"),
            IdleReason::LineFull => f.write_str("线路并发已被其他任务占满，等待空闲线路"),
            IdleReason::WaitingForRedials { numbers, from } => {
                write!(f, "等待重呼：{numbers} 个号码将于 {} 起重呼", shown(from))
            }
            IdleReason::AllCalled => f.write_str("号码已全部呼叫完毕，导入新号码后将继续呼叫"),
            IdleReason::LineFailing { failures, calls } => write!(
                f,
                "线路异常：最近 {calls} 次呼叫中 {failures} 次因线路失败（运营商拦截或线路不可用），任务已自动暂停，请检查线路后再启动"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn reasons_read_as_the_task_list_shows_them() {
        let blocked = IdleReason::Blocked {
            reason: BlockReason::OutsideWindow,
            next: Some(at("2026-12-04 09:00")),
        };
        assert_eq!(
            blocked.to_string(),
            "不在呼叫时间内，将于 12-04 09:00 开始呼叫"
        );
        let redials = IdleReason::WaitingForRedials {
            numbers: 3,
            from: at("2026-12-03 15:30"),
        };
        assert_eq!(
            redials.to_string(),
            "等待重呼：3 个号码将于 12-03 15:30 起重呼"
        );
        assert_eq!(
            IdleReason::DailyQuotaReached {
                connected: 50,
                limit: 50
            }
            .to_string(),
            "今日已接通 50 个，达到每日接通上限 50，明日自动继续"
        );
        assert!(
            IdleReason::LineFailing {
                failures: 17,
                calls: 20
            }
            .to_string()
            .starts_with("线路异常：最近 20 次呼叫中 17 次因线路失败")
        );
    }
}
