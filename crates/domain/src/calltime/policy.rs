//! A task's call-time policy and the rule the dialer asks before each call: may this task
//! call at instant `t`, until when, and if not, why and when next?
//!
//! Windows are the template's local ranges on each local date, turned into UTC instants
//! in the policy's time zone; then clipped to the validity period and cut by forbidden
//! ranges. A local time that does not exist (clocks jump forward) means the first instant
//! after the jump; a local time that happens twice (clocks go back) means the earlier one.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::holidays::{Calendar, DayKind};
use super::template::{TimeRange, WeeklyTemplate};

/// How many days ahead [`CallPolicy::check`] looks for the next window (and how far it
/// extends a window that runs on without a break). Past it, the task counts as never
/// allowed again.
pub const SEARCH_DAYS: u64 = 400;

/// The longest clock jump to step over when a local time does not exist; real ones are an
/// hour, the longest on record (Samoa, 2011) a day.
const MAX_GAP_MINUTES: i64 = 26 * 60;

/// A local date-time range in which a task must not call (禁呼时间), `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForbiddenRange {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl ForbiddenRange {
    pub fn new(start: NaiveDateTime, end: NaiveDateTime) -> Result<Self, PolicyError> {
        let range = Self { start, end };
        range.validate()?;
        Ok(range)
    }

    fn validate(&self) -> Result<(), PolicyError> {
        if self.end <= self.start {
            return Err(PolicyError::ForbiddenEndNotAfterStart {
                start: self.start,
                end: self.end,
            });
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("禁呼时间 {start} 至 {end} 的结束时间必须晚于开始时间")]
    ForbiddenEndNotAfterStart {
        start: NaiveDateTime,
        end: NaiveDateTime,
    },
    #[error("有效期的结束时间必须晚于开始时间")]
    ValidityEndNotAfterStart,
}

/// Why a task may not call now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    /// Outside the template's ranges for today.
    OutsideWindow,
    /// Today is a legal holiday and the task skips holidays.
    Holiday,
    /// Inside one of the task's forbidden ranges.
    Forbidden,
    /// Before the task's validity period starts.
    NotYetValid,
    /// At or after the task's validity period ends.
    Expired,
    /// No window at all in the validity period or the next [`SEARCH_DAYS`] days.
    NoWindows,
}

impl BlockReason {
    /// The reason as the console shows it.
    pub fn label(self) -> &'static str {
        match self {
            BlockReason::OutsideWindow => "不在呼叫时间内",
            BlockReason::Holiday => "节假日不外呼",
            BlockReason::Forbidden => "禁呼时间",
            BlockReason::NotYetValid => "任务未到开始时间",
            BlockReason::Expired => "任务已过有效期",
            BlockReason::NoWindows => "没有可呼叫的时间段",
        }
    }
}

/// The answer of [`CallPolicy::check`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Decision {
    /// Calling is allowed from now until `until` (exclusive): the end of the current
    /// window, a forbidden range's start or the validity end, whichever comes first.
    /// Windows that touch (18:00-24:00 then 00:00-02:00) count as one.
    Allowed { until: DateTime<Utc> },
    /// Calling is not allowed; `next` is the earliest instant at which it becomes allowed,
    /// `None` when it never does within [`SEARCH_DAYS`].
    Blocked {
        reason: BlockReason,
        next: Option<DateTime<Utc>>,
    },
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }
}

/// Everything that decides when one task may call.
#[derive(Clone, Debug)]
pub struct CallPolicy<'a> {
    pub template: WeeklyTemplate,
    /// 节假日不外呼: legal holidays have no window, and a 调休 weekend day is a working day
    /// (its own weekday's ranges, or [`WeeklyTemplate::workday_fallback`] when it has none).
    pub skip_holidays: bool,
    pub calendar: &'a Calendar,
    /// 禁呼时间, in the policy's time zone.
    pub forbidden: Vec<ForbiddenRange>,
    /// 有效期 start (inclusive); `None` for no start.
    pub valid_from: Option<DateTime<Utc>>,
    /// 有效期 end (exclusive); `None` for no end.
    pub valid_until: Option<DateTime<Utc>>,
    pub tz: Tz,
}

impl CallPolicy<'static> {
    /// A policy with China's shipped calendar, holidays skipped, no forbidden ranges, no
    /// validity limits, in Asia/Shanghai.
    pub fn new(template: WeeklyTemplate) -> Self {
        Self {
            template,
            skip_holidays: true,
            calendar: Calendar::china_default(),
            forbidden: Vec::new(),
            valid_from: None,
            valid_until: None,
            tz: chrono_tz::Asia::Shanghai,
        }
    }
}

impl CallPolicy<'_> {
    /// Checks the parts a user enters. [`check`](Self::check) works on any policy: an empty
    /// forbidden range forbids nothing, an empty validity period allows nothing.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for range in &self.forbidden {
            range.validate()?;
        }
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until)
            && until <= from
        {
            return Err(PolicyError::ValidityEndNotAfterStart);
        }
        Ok(())
    }

    /// May the task call at `t`?
    pub fn check(&self, t: DateTime<Utc>) -> Decision {
        if self.valid_until.is_some_and(|end| t >= end) {
            return Decision::Blocked {
                reason: BlockReason::Expired,
                next: None,
            };
        }
        let forbidden = self.forbidden_utc();
        let mut windows = self.windows_from(t, &forbidden);
        match windows.next() {
            Some((start, mut until)) if start <= t => {
                for (start, end) in windows {
                    if start > until {
                        break;
                    }
                    until = until.max(end);
                }
                Decision::Allowed { until }
            }
            first => {
                let next = first.map(|(start, _)| start);
                Decision::Blocked {
                    reason: self.reason(t, next, &forbidden),
                    next,
                }
            }
        }
    }

    fn reason(
        &self,
        t: DateTime<Utc>,
        next: Option<DateTime<Utc>>,
        forbidden: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> BlockReason {
        if self.valid_from.is_some_and(|from| t < from) {
            BlockReason::NotYetValid
        } else if next.is_none() {
            BlockReason::NoWindows
        } else if forbidden.iter().any(|&(start, end)| start <= t && t < end) {
            BlockReason::Forbidden
        } else if self.skip_holidays
            && self
                .calendar
                .is_holiday(t.with_timezone(&self.tz).date_naive())
        {
            BlockReason::Holiday
        } else {
            BlockReason::OutsideWindow
        }
    }

    /// Allowed windows that end after `t`, in time order, over the search horizon.
    fn windows_from<'s>(
        &'s self,
        t: DateTime<Utc>,
        forbidden: &'s [(DateTime<Utc>, DateTime<Utc>)],
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + 's {
        let today = t.with_timezone(&self.tz).date_naive();
        // From the day before: cheap, and safe against a zone whose date changes oddly.
        let first = today.pred_opt().unwrap_or(today);
        first
            .iter_days()
            .take(SEARCH_DAYS as usize + 2)
            .take_while(move |day| {
                let day_start = self.to_utc(day.and_time(NaiveTime::MIN));
                match (self.valid_until, day_start) {
                    (Some(end), Some(start)) => start < end,
                    _ => true,
                }
            })
            .flat_map(move |day| self.day_windows(day, forbidden))
            .filter(move |&(_, end)| end > t)
    }

    /// The allowed windows of one local date, sorted.
    fn day_windows(
        &self,
        day: NaiveDate,
        forbidden: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let midnight = day.and_time(NaiveTime::MIN);
        let mut out = Vec::new();
        for range in self.ranges_on(day) {
            let at = |minute: u16| self.to_utc(midnight + TimeDelta::minutes(i64::from(minute)));
            let (Some(mut start), Some(mut end)) =
                (at(range.start_minute()), at(range.end_minute()))
            else {
                continue;
            };
            if let Some(from) = self.valid_from {
                start = start.max(from);
            }
            if let Some(until) = self.valid_until {
                end = end.min(until);
            }
            // Forbidden ranges are sorted and merged, so one pass cuts them out.
            let mut cursor = start;
            for &(f_start, f_end) in forbidden {
                if cursor >= end || f_start >= end {
                    break;
                }
                if f_end <= cursor {
                    continue;
                }
                if f_start > cursor {
                    out.push((cursor, f_start));
                }
                cursor = f_end;
            }
            if cursor < end {
                out.push((cursor, end));
            }
        }
        out
    }

    fn ranges_on(&self, day: NaiveDate) -> &[TimeRange] {
        let own = self.template.ranges(day.weekday());
        if !self.skip_holidays {
            return own;
        }
        match self.calendar.kind(day) {
            Some(DayKind::Holiday) => &[],
            Some(DayKind::Workday) if own.is_empty() => self.template.workday_fallback(),
            _ => own,
        }
    }

    /// Forbidden ranges as UTC instants, sorted and merged; empty ones dropped.
    fn forbidden_utc(&self) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut ranges: Vec<_> = self
            .forbidden
            .iter()
            .filter_map(|r| Some((self.to_utc(r.start)?, self.to_utc(r.end)?)))
            .filter(|(start, end)| start < end)
            .collect();
        ranges.sort();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }

    /// The instant of a local time: the earlier one when it happens twice, the first
    /// instant after the jump when it does not exist.
    fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        (0..=MAX_GAP_MINUTES)
            .find_map(|minutes| {
                let shifted = local.checked_add_signed(TimeDelta::minutes(minutes))?;
                self.tz.from_local_datetime(&shifted).earliest()
            })
            .map(|instant| instant.with_timezone(&Utc))
    }
}
