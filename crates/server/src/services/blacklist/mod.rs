//! The blacklist (黑名单, BL-1): groups with a default one, numbers with an optional expiry
//! (定时拉黑), filters by group, number and time added, batch delete and move, and import and
//! export. Tasks bind groups; the dialer asks [`crate::blacklist::blocked`].

use chrono_tz::Tz;

use crate::auth::Caller;

pub mod entries;
pub mod groups;
pub mod transfer;

/// The company's time zone, for dates typed without one.
fn zone(caller: &Caller) -> Tz {
    caller
        .company
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Asia::Shanghai)
}
