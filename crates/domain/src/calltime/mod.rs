//! Call time (呼叫时间): may a task call at a given instant, and if not, when next?
//!
//! Three inputs decide it: a weekly [`WeeklyTemplate`] of local time ranges, China's
//! holiday [`Calendar`] (legal holidays and 调休 working days), and the task's own
//! [`CallPolicy`] options (skip holidays, forbidden ranges, validity period, time zone).
//! [`CallPolicy::check`] is the single rule the dialer asks.

mod holidays;
mod policy;
mod template;

pub use holidays::{Calendar, CalendarDay, CalendarError, DayKind, HOLIDAY_WARNING_DAYS};
pub use policy::{BlockReason, CallPolicy, Decision, ForbiddenRange, PolicyError, SEARCH_DAYS};
pub use template::{SystemTemplate, TemplateError, TimeRange, WeeklyTemplate, system_templates};
