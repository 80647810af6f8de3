//! Weekly call-time templates (呼叫时间模板): for each weekday, the local time ranges in
//! which a task may call, and the system templates every company starts with.
//!
//! Stored as JSON, one key per weekday, each a list of `["HH:MM", "HH:MM"]` pairs (start
//! inclusive, end exclusive, `"24:00"` allowed as an end). Missing days have no ranges:
//!
//! ```json
//! {"mon": [["09:00", "12:00"], ["13:00", "18:00"]], "tue": [], "sat": [["10:00", "16:00"]]}
//! ```
//!
//! Serialising always writes all seven keys. Deserialising validates, so a stored template
//! that loads is always a valid one.

use std::fmt;

use chrono::Weekday;
use serde::{Deserialize, Serialize};

/// Minutes in a day; `24:00` is this many minutes after midnight.
const DAY_MINUTES: u16 = 24 * 60;

/// A local time range of one day, minute precision, `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRange {
    start: u16,
    end: u16,
}

impl TimeRange {
    /// A range from minutes after midnight; `end` may be 1440 (24:00). Checked only when a
    /// template is built, so the error can name the weekday.
    pub const fn new(start_minute: u16, end_minute: u16) -> Self {
        Self {
            start: start_minute,
            end: end_minute,
        }
    }

    /// Shorthand for whole-hour and minute values: `hm(9, 0, 12, 0)` is 09:00-12:00.
    pub const fn hm(start_hour: u16, start_min: u16, end_hour: u16, end_min: u16) -> Self {
        Self::new(start_hour * 60 + start_min, end_hour * 60 + end_min)
    }

    /// Parses `"09:00"`, `"9:30"` or `"24:00"` for each end.
    pub fn parse(start: &str, end: &str) -> Result<Self, TemplateError> {
        Ok(Self::new(parse_hm(start)?, parse_hm(end)?))
    }

    pub fn start_minute(&self) -> u16 {
        self.start
    }

    pub fn end_minute(&self) -> u16 {
        self.end
    }

    /// Whether a minute of the day falls in the range (start inclusive, end exclusive).
    pub fn contains_minute(&self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", format_hm(self.start), format_hm(self.end))
    }
}

impl Serialize for TimeRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [format_hm(self.start), format_hm(self.end)].serialize(s)
    }
}

impl<'de> Deserialize<'de> for TimeRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let [start, end] = <[String; 2]>::deserialize(d)?;
        Self::parse(&start, &end).map_err(serde::de::Error::custom)
    }
}

fn parse_hm(text: &str) -> Result<u16, TemplateError> {
    let bad = || TemplateError::BadTime(text.to_owned());
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(h) || h.len() > 2 || !all_digits(m) || m.len() != 2 {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    match (h, m) {
        (24, 0) => Ok(DAY_MINUTES),
        (0..=23, 0..=59) => Ok(h * 60 + m),
        _ => Err(bad()),
    }
}

fn format_hm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Chinese name of a weekday, as the console shows it.
pub(crate) fn weekday_label(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// Why a template is not valid; the messages are shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("时间 {0} 格式错误，应为 HH:MM（00:00 至 24:00）")]
    BadTime(String),
    #[error("{day}的时间段 {range} 结束时间必须晚于开始时间")]
    EndNotAfterStart { day: &'static str, range: TimeRange },
    #[error("{day}的时间段 {range} 超出 24:00")]
    PastMidnight { day: &'static str, range: TimeRange },
    #[error("{day}的时间段 {first} 与 {second} 重叠")]
    Overlap {
        day: &'static str,
        first: TimeRange,
        second: TimeRange,
    },
    #[error("呼叫时间至少需要一个时间段")]
    Empty,
}

/// A validated weekly schedule: per weekday, sorted non-overlapping ranges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WeekJson", into = "WeekJson")]
pub struct WeeklyTemplate {
    /// Index 0 is Monday, as `Weekday::num_days_from_monday`.
    days: [Vec<TimeRange>; 7],
}

impl WeeklyTemplate {
    /// Builds a template from Monday..Sunday ranges (index 0 = Monday). Ranges may come in
    /// any order; they are sorted. Touching ranges (12:00-13:00, 13:00-14:00) are allowed
    /// and act as one; overlapping ones are refused, as is a week with no range at all.
    pub fn new(mut days: [Vec<TimeRange>; 7]) -> Result<Self, TemplateError> {
        for (index, ranges) in days.iter_mut().enumerate() {
            let day = weekday_label(weekday_at(index));
            ranges.sort();
            for range in ranges.iter() {
                if range.end > DAY_MINUTES {
                    return Err(TemplateError::PastMidnight { day, range: *range });
                }
                if range.end <= range.start {
                    return Err(TemplateError::EndNotAfterStart { day, range: *range });
                }
            }
            for pair in ranges.windows(2) {
                if let [first, second] = pair
                    && second.start < first.end
                {
                    return Err(TemplateError::Overlap {
                        day,
                        first: *first,
                        second: *second,
                    });
                }
            }
        }
        if days.iter().all(Vec::is_empty) {
            return Err(TemplateError::Empty);
        }
        Ok(Self { days })
    }

    /// The same ranges Monday to Friday, nothing at the weekend.
    pub fn weekdays(ranges: &[TimeRange]) -> Result<Self, TemplateError> {
        let r = || ranges.to_vec();
        Self::new([r(), r(), r(), r(), r(), Vec::new(), Vec::new()])
    }

    /// The ranges of one weekday, sorted.
    pub fn ranges(&self, day: Weekday) -> &[TimeRange] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// The ranges an adjusted working day (调休, a weekend day the State Council makes a
    /// working day) uses when its own weekday has none: the first of Monday..Friday that has
    /// ranges. The notice does not say which weekday such a day stands in for, and a
    /// company's weekday hours are what its staff work on it.
    pub fn workday_fallback(&self) -> &[TimeRange] {
        self.days[..5]
            .iter()
            .find(|ranges| !ranges.is_empty())
            .map_or(&[], Vec::as_slice)
    }
}

fn weekday_at(index: usize) -> Weekday {
    const WEEK: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    WEEK[index % 7]
}

/// The stored JSON shape of a template.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeekJson {
    #[serde(default)]
    mon: Vec<TimeRange>,
    #[serde(default)]
    tue: Vec<TimeRange>,
    #[serde(default)]
    wed: Vec<TimeRange>,
    #[serde(default)]
    thu: Vec<TimeRange>,
    #[serde(default)]
    fri: Vec<TimeRange>,
    #[serde(default)]
    sat: Vec<TimeRange>,
    #[serde(default)]
    sun: Vec<TimeRange>,
}

impl TryFrom<WeekJson> for WeeklyTemplate {
    type Error = TemplateError;

    fn try_from(w: WeekJson) -> Result<Self, Self::Error> {
        Self::new([w.mon, w.tue, w.wed, w.thu, w.fri, w.sat, w.sun])
    }
}

impl From<WeeklyTemplate> for WeekJson {
    fn from(t: WeeklyTemplate) -> Self {
        let [mon, tue, wed, thu, fri, sat, sun] = t.days;
        Self {
            mon,
            tue,
            wed,
            thu,
            fri,
            sat,
            sun,
        }
    }
}

/// A template every company has and cannot edit; its id is stable across releases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemTemplate {
    pub id: &'static str,
    pub name: &'static str,
    pub template: WeeklyTemplate,
}

/// The system templates, the default (工作日默认) first.
pub fn system_templates() -> Vec<SystemTemplate> {
    // Built directly rather than through `new`: the ranges are constants, and a test
    // proves each one passes validation.
    let weekdays = |ranges: &[TimeRange]| {
        let r = || ranges.to_vec();
        WeeklyTemplate {
            days: [r(), r(), r(), r(), r(), Vec::new(), Vec::new()],
        }
    };
    vec![
        SystemTemplate {
            id: "system-workday",
            name: "工作日默认",
            template: weekdays(&[TimeRange::hm(9, 0, 12, 0), TimeRange::hm(13, 0, 18, 0)]),
        },
        SystemTemplate {
            id: "system-9-18",
            name: "早九晚六",
            template: weekdays(&[TimeRange::hm(9, 0, 18, 0)]),
        },
        SystemTemplate {
            id: "system-9-17",
            name: "早九晚五",
            template: weekdays(&[TimeRange::hm(9, 0, 17, 0)]),
        },
        SystemTemplate {
            id: "system-10-18",
            name: "早十晚六",
            template: weekdays(&[TimeRange::hm(10, 0, 18, 0)]),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_times() {
        assert_eq!(parse_hm("09:05"), Ok(545));
        assert_eq!(parse_hm("9:05"), Ok(545));
        assert_eq!(parse_hm("24:00"), Ok(1440));
        for bad in [
            "24:01", "9:5", "12", "-1:00", "10:60", "ab:cd", "", "123:00",
        ] {
            assert!(parse_hm(bad).is_err(), "{bad}");
        }
        assert_eq!(format_hm(1440), "24:00");
        assert_eq!(TimeRange::hm(9, 0, 12, 30).to_string(), "09:00-12:30");
    }

    #[test]
    fn system_templates_are_valid() {
        for s in system_templates() {
            assert_eq!(WeeklyTemplate::new(s.template.days.clone()), Ok(s.template));
        }
    }
}
