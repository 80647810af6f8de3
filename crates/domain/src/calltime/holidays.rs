//! China's holiday calendar: legal holidays (法定节假日) and adjusted working days (调休),
//! as the State Council announces them each year.
//!
//! The shipped calendar is `data/holidays-cn.csv` (see `data/README.md` for its source),
//! embedded in the binary. A company may edit its own copy, so a [`Calendar`] can also be
//! built from any list of days. A year with no entry at all counts as not covered: the
//! console warns before such a year starts, since holidays would then not be skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The shipped calendar, `date,kind,name` with a header line.
const CHINA_CSV: &str = include_str!("../../../../data/holidays-cn.csv");

/// How many days before a year starts the missing-data warning appears. The State
/// Council usually announces the next year in November.
pub const HOLIDAY_WARNING_DAYS: u64 = 31;

/// What a calendar day is, overriding its weekday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A legal holiday, whatever its weekday.
    Holiday,
    /// A weekend day made a working day (调休).
    Workday,
}

impl DayKind {
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "节假日",
            DayKind::Workday => "调休上班",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One entry of a calendar, e.g. 2025-10-01 holiday 国庆节.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The festival the day belongs to, e.g. 春节 (for a 调休 day too).
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("日期 {0} 重复")]
    Duplicate(NaiveDate),
    #[error("第 {line} 行格式错误：{detail}")]
    Csv { line: usize, detail: String },
}

/// A set of holidays and adjusted working days, looked up by date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, CalendarDay>,
    years: BTreeSet<i32>,
}

impl Calendar {
    /// The shipped calendar of China, parsed once.
    pub fn china_default() -> &'static Calendar {
        static CHINA: OnceLock<Calendar> = OnceLock::new();
        // The file ships with the code and a test parses it, so an error cannot reach
        // here; an empty calendar is still better than taking the process down.
        CHINA.get_or_init(|| Calendar::parse_csv(CHINA_CSV).unwrap_or_default())
    }

    /// Builds a calendar from edited days; a date may appear only once.
    pub fn from_days(days: impl IntoIterator<Item = CalendarDay>) -> Result<Self, CalendarError> {
        let mut calendar = Calendar::default();
        for day in days {
            if calendar.days.contains_key(&day.date) {
                return Err(CalendarError::Duplicate(day.date));
            }
            calendar.years.insert(day.date.year());
            calendar.days.insert(day.date, day);
        }
        Ok(calendar)
    }

    /// Parses `date,kind,name` lines after a header line, as `data/holidays-cn.csv`.
    /// Blank lines are skipped.
    pub fn parse_csv(text: &str) -> Result<Self, CalendarError> {
        let mut days = Vec::new();
        for (index, line) in text.lines().enumerate().skip(1) {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let err = |detail: String| CalendarError::Csv {
                line: index + 1,
                detail,
            };
            let mut fields = line.splitn(3, ',').map(str::trim);
            let (Some(date), Some(kind), Some(name)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err(err("应有 date,kind,name 三列".to_owned()));
            };
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| err(format!("日期 {date} 无效")))?;
            let kind = DayKind::parse(kind)
                .ok_or_else(|| err(format!("类型 {kind} 无效，应为 holiday 或 workday")))?;
            days.push(CalendarDay {
                date,
                kind,
                name: name.to_owned(),
            });
        }
        Self::from_days(days)
    }

    /// The entry for a date, if the calendar overrides it.
    pub fn get(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.days.get(&date)
    }

    /// What the date is, if the calendar overrides its weekday.
    pub fn kind(&self, date: NaiveDate) -> Option<DayKind> {
        self.get(date).map(|d| d.kind)
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.kind(date) == Some(DayKind::Holiday)
    }

    /// All entries, by date.
    pub fn days(&self) -> impl Iterator<Item = &CalendarDay> {
        self.days.values()
    }

    /// Whether the calendar has any entry in that year.
    pub fn covers_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The years with at least one entry, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// The year to warn about, if any: this year when it has no data, or next year when
    /// it starts within [`HOLIDAY_WARNING_DAYS`] and has no data.
    pub fn missing_year(&self, today: NaiveDate) -> Option<i32> {
        let soon = today
            .checked_add_days(Days::new(HOLIDAY_WARNING_DAYS))
            .unwrap_or(today);
        [today.year(), soon.year()]
            .into_iter()
            .find(|y| !self.covers_year(*y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn shipped_csv_parses() {
        let parsed = Calendar::parse_csv(CHINA_CSV);
        assert!(parsed.is_ok(), "{parsed:?}");
        let china = Calendar::china_default();
        for y in 2024..=2026 {
            assert!(china.covers_year(y), "{y}");
        }
        // Every 调休 day is a weekend day, or it would change nothing.
        for day in china.days().filter(|d| d.kind == DayKind::Workday) {
            assert!(day.date.weekday().num_days_from_monday() >= 5, "{day:?}");
        }
    }

    #[test]
    fn csv_errors_name_the_line() {
        let err =
            Calendar::parse_csv("date,kind,name\n2025-10-01,holiday,国庆节\n2025-13-01,holiday,x");
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("第 3 行格式错误：日期 2025-13-01 无效".to_owned())
        );
        let dup = Calendar::parse_csv("h\n2025-10-01,holiday,a\n2025-10-01,workday,b\n");
        assert_eq!(dup, Err(CalendarError::Duplicate(date(2025, 10, 1))));
        assert!(Calendar::parse_csv("h\n2025-10-01,rest,a").is_err());
        assert!(Calendar::parse_csv("h\n2025-10-01").is_err());
    }

    #[test]
    fn missing_year_warns_ahead() {
        let c = Calendar::from_days([CalendarDay {
            date: date(2026, 1, 1),
            kind: DayKind::Holiday,
            name: "元旦".into(),
        }])
        .unwrap();
        assert_eq!(c.missing_year(date(2026, 6, 1)), None);
        assert_eq!(c.missing_year(date(2026, 12, 5)), Some(2027));
        assert_eq!(c.missing_year(date(2025, 6, 1)), Some(2025));
    }
}
