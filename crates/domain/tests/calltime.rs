//! Call-time rule: templates, the holiday calendar and `CallPolicy::check`, with fixed
//! cases for the edges and property tests for the invariants of `Allowed`/`Blocked`.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use domain::calltime::{
    BlockReason, Calendar, CalendarDay, CallPolicy, DayKind, Decision, ForbiddenRange, SEARCH_DAYS,
    TemplateError, TimeRange, WeeklyTemplate, system_templates,
};
use proptest::prelude::*;

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;
const NEW_YORK: Tz = chrono_tz::America::New_York;

fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    local(SHANGHAI, y, mo, d, h, mi)
}

fn naive(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
}

fn default_template() -> WeeklyTemplate {
    system_templates().remove(0).template
}

fn allowed(until: DateTime<Utc>) -> Decision {
    Decision::Allowed { until }
}

fn blocked(reason: BlockReason, next: Option<DateTime<Utc>>) -> Decision {
    Decision::Blocked { reason, next }
}

const SEC: TimeDelta = TimeDelta::seconds(1);

// ---- templates ----

#[test]
fn system_templates_have_stable_ids_and_names() {
    let all = system_templates();
    let ids: Vec<_> = all.iter().map(|s| (s.id, s.name)).collect();
    assert_eq!(
        ids,
        [
            ("system-workday", "工作日默认"),
            ("system-9-18", "早九晚六"),
            ("system-9-17", "早九晚五"),
            ("system-10-18", "早十晚六"),
        ]
    );
    let t = &all[0].template;
    assert_eq!(
        t.ranges(chrono::Weekday::Wed),
        [TimeRange::hm(9, 0, 12, 0), TimeRange::hm(13, 0, 18, 0)]
    );
    assert!(t.ranges(chrono::Weekday::Sat).is_empty());
    assert_eq!(
        all[2].template.ranges(chrono::Weekday::Fri),
        [TimeRange::hm(9, 0, 17, 0)]
    );
}

#[test]
fn template_json_round_trips() {
    let t = default_template();
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(
        json["mon"],
        serde_json::json!([["09:00", "12:00"], ["13:00", "18:00"]])
    );
    assert_eq!(json["sun"], serde_json::json!([]));
    assert_eq!(serde_json::from_value::<WeeklyTemplate>(json).unwrap(), t);

    let sparse: WeeklyTemplate =
        serde_json::from_str(r#"{"sat": [["22:00", "24:00"], ["10:00", "12:00"]]}"#).unwrap();
    assert_eq!(
        sparse.ranges(chrono::Weekday::Sat),
        [TimeRange::hm(10, 0, 12, 0), TimeRange::hm(22, 0, 24, 0)]
    );
    assert!(sparse.ranges(chrono::Weekday::Mon).is_empty());
}

#[test]
fn template_validation_speaks_chinese() {
    let err = |json: &str| {
        serde_json::from_str::<WeeklyTemplate>(json)
            .unwrap_err()
            .to_string()
    };
    assert!(
        err(r#"{"mon": [["12:00", "11:00"]]}"#)
            .starts_with("周一的时间段 12:00-11:00 结束时间必须晚于开始时间"),
    );
    assert!(
        err(r#"{"wed": [["09:00", "12:00"], ["11:00", "13:00"]]}"#)
            .starts_with("周三的时间段 09:00-12:00 与 11:00-13:00 重叠")
    );
    assert!(err("{}").starts_with("呼叫时间至少需要一个时间段"));
    assert!(err(r#"{"mon": [["9:00", "25:00"]]}"#).starts_with("时间 25:00 格式错误"));
    assert!(err(r#"{"monday": []}"#).contains("monday"));

    let day = |ranges: Vec<TimeRange>| {
        let mut days: [Vec<TimeRange>; 7] = Default::default();
        days[6] = ranges;
        WeeklyTemplate::new(days)
    };
    assert_eq!(
        day(vec![TimeRange::hm(9, 0, 9, 0)]).map_err(|e| e.to_string()),
        Err("周日的时间段 09:00-09:00 结束时间必须晚于开始时间".to_owned())
    );
    assert!(matches!(
        day(vec![TimeRange::new(600, 1500)]),
        Err(TemplateError::PastMidnight { .. })
    ));
    // Touching ranges are one window, not an overlap.
    assert!(
        day(vec![
            TimeRange::hm(9, 0, 12, 0),
            TimeRange::hm(12, 0, 13, 0)
        ])
        .is_ok()
    );
}

// ---- calendar ----

#[test]
fn china_calendar_knows_2025_and_2026() {
    let c = Calendar::china_default();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(c.kind(d(2025, 10, 1)), Some(DayKind::Holiday));
    assert_eq!(c.get(d(2025, 10, 1)).unwrap().name, "国庆节");
    assert_eq!(c.kind(d(2025, 9, 28)), Some(DayKind::Workday));
    assert_eq!(c.kind(d(2025, 1, 28)), Some(DayKind::Holiday));
    assert_eq!(c.get(d(2025, 1, 28)).unwrap().name, "春节");
    assert_eq!(c.kind(d(2026, 2, 14)), Some(DayKind::Workday));
    assert_eq!(c.kind(d(2026, 2, 23)), Some(DayKind::Holiday));
    assert_eq!(c.kind(d(2025, 9, 30)), None);
    assert!(c.covers_year(2024) && c.covers_year(2025) && c.covers_year(2026));
    assert!(!c.covers_year(2099));
    assert_eq!(c.missing_year(d(2026, 6, 1)), None);
    assert_eq!(c.missing_year(d(2026, 12, 10)), Some(2027));
}

#[test]
fn edited_calendar_is_used() {
    let d = NaiveDate::from_ymd_opt(2025, 6, 10).unwrap();
    let cal = Calendar::from_days([CalendarDay {
        date: d,
        kind: DayKind::Holiday,
        name: "公司年会".into(),
    }])
    .unwrap();
    assert!(cal.covers_year(2025) && !cal.covers_year(2026));
    assert_eq!(cal.years().collect::<Vec<_>>(), [2025]);
    let policy = CallPolicy {
        calendar: &cal,
        ..CallPolicy::new(default_template())
    };
    assert_eq!(
        policy.check(sh(2025, 6, 10, 10, 0)),
        blocked(BlockReason::Holiday, Some(sh(2025, 6, 11, 9, 0)))
    );
    // 2025-10-01 is not in the edited calendar, so it is an ordinary Wednesday.
    assert!(policy.check(sh(2025, 10, 1, 10, 0)).is_allowed());
}

// ---- check: fixed cases ----

#[test]
fn window_edges_start_inclusive_end_exclusive() {
    let p = CallPolicy::new(default_template());
    // Tuesday 2025-06-10.
    assert_eq!(
        p.check(sh(2025, 6, 10, 9, 0)),
        allowed(sh(2025, 6, 10, 12, 0))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 9, 0) - SEC),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 6, 10, 9, 0)))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 12, 0) - SEC),
        allowed(sh(2025, 6, 10, 12, 0))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 12, 0)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 6, 10, 13, 0)))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 18, 0)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 6, 11, 9, 0)))
    );
    // Friday evening waits for Monday.
    assert_eq!(
        p.check(sh(2025, 6, 13, 18, 30)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 6, 16, 9, 0)))
    );
}

#[test]
fn windows_that_touch_at_midnight_are_one() {
    let night: WeeklyTemplate =
        serde_json::from_str(r#"{"mon": [["20:00", "24:00"]], "tue": [["00:00", "02:00"]]}"#)
            .unwrap();
    let p = CallPolicy::new(night);
    // Monday 2025-06-09.
    assert_eq!(
        p.check(sh(2025, 6, 9, 23, 0)),
        allowed(sh(2025, 6, 10, 2, 0))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 0, 0)),
        allowed(sh(2025, 6, 10, 2, 0))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 2, 0)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 6, 16, 20, 0)))
    );
    // Same with touching ranges inside one day.
    let touching =
        WeeklyTemplate::weekdays(&[TimeRange::hm(9, 0, 12, 0), TimeRange::hm(12, 0, 14, 0)])
            .unwrap();
    let p = CallPolicy::new(touching);
    assert_eq!(
        p.check(sh(2025, 6, 10, 10, 0)),
        allowed(sh(2025, 6, 10, 14, 0))
    );
}

#[test]
fn holiday_eve_and_national_day() {
    let p = CallPolicy::new(default_template());
    // Tuesday 2025-09-30 evening: the next working day after 国庆 is Thursday 10-09.
    assert_eq!(
        p.check(sh(2025, 9, 30, 17, 59)),
        allowed(sh(2025, 9, 30, 18, 0))
    );
    assert_eq!(
        p.check(sh(2025, 9, 30, 20, 0)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 10, 9, 9, 0)))
    );
    assert_eq!(
        p.check(sh(2025, 10, 1, 10, 0)),
        blocked(BlockReason::Holiday, Some(sh(2025, 10, 9, 9, 0)))
    );
    assert_eq!(
        p.check(sh(2025, 10, 8, 23, 59)),
        blocked(BlockReason::Holiday, Some(sh(2025, 10, 9, 9, 0)))
    );
    // Without the option, 10-01 (a Wednesday) is an ordinary day.
    let p = CallPolicy {
        skip_holidays: false,
        ..CallPolicy::new(default_template())
    };
    assert_eq!(
        p.check(sh(2025, 10, 1, 10, 0)),
        allowed(sh(2025, 10, 1, 12, 0))
    );
}

#[test]
fn adjusted_working_saturday_uses_weekday_hours() {
    let p = CallPolicy::new(default_template());
    // Sunday 2025-09-28 is 调休: a working day with Monday's ranges.
    assert_eq!(
        p.check(sh(2025, 9, 28, 9, 30)),
        allowed(sh(2025, 9, 28, 12, 0))
    );
    assert_eq!(
        p.check(sh(2025, 9, 27, 10, 0)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 9, 28, 9, 0)))
    );
    // Saturday 2025-10-11 too.
    assert_eq!(
        p.check(sh(2025, 10, 10, 19, 0)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 10, 11, 9, 0)))
    );
    // A template with its own Saturday hours keeps them on a 调休 Saturday.
    let mut days: [Vec<TimeRange>; 7] = Default::default();
    days[1] = vec![TimeRange::hm(9, 0, 18, 0)];
    days[5] = vec![TimeRange::hm(10, 0, 11, 0)];
    let p = CallPolicy::new(WeeklyTemplate::new(days.clone()).unwrap());
    assert_eq!(
        p.check(sh(2025, 10, 11, 10, 0)),
        allowed(sh(2025, 10, 11, 11, 0))
    );
    // Monday has no hours: the first weekday that has some (Tuesday) stands in.
    assert_eq!(
        p.check(sh(2025, 9, 28, 17, 0)),
        allowed(sh(2025, 9, 28, 18, 0))
    );
    // Without the option, 调休 is ignored.
    let p = CallPolicy {
        skip_holidays: false,
        ..CallPolicy::new(WeeklyTemplate::new(days).unwrap())
    };
    assert!(!p.check(sh(2025, 9, 28, 17, 0)).is_allowed());
}

#[test]
fn validity_period_bounds_windows() {
    let p = CallPolicy {
        valid_from: Some(sh(2025, 6, 10, 10, 30)),
        valid_until: Some(sh(2025, 6, 11, 15, 0)),
        ..CallPolicy::new(default_template())
    };
    assert_eq!(
        p.check(sh(2025, 6, 10, 9, 0)),
        blocked(BlockReason::NotYetValid, Some(sh(2025, 6, 10, 10, 30)))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 10, 30)),
        allowed(sh(2025, 6, 10, 12, 0))
    );
    // The end falls in the middle of the afternoon window.
    assert_eq!(
        p.check(sh(2025, 6, 11, 14, 0)),
        allowed(sh(2025, 6, 11, 15, 0))
    );
    assert_eq!(
        p.check(sh(2025, 6, 11, 15, 0)),
        blocked(BlockReason::Expired, None)
    );
    assert_eq!(
        p.check(sh(2025, 6, 11, 12, 30)),
        blocked(BlockReason::OutsideWindow, Some(sh(2025, 6, 11, 13, 0)))
    );
    // After the last window but before the end: never again.
    let p = CallPolicy {
        valid_until: Some(sh(2025, 6, 11, 20, 0)),
        ..CallPolicy::new(default_template())
    };
    assert_eq!(
        p.check(sh(2025, 6, 11, 19, 0)),
        blocked(BlockReason::NoWindows, None)
    );
    assert_eq!(BlockReason::NoWindows.label(), "没有可呼叫的时间段");
}

#[test]
fn forbidden_ranges_cut_windows() {
    let p = CallPolicy {
        forbidden: vec![
            ForbiddenRange::new(naive(2025, 6, 10, 10, 0), naive(2025, 6, 10, 11, 0)).unwrap(),
            // Overlapping ranges merge; this one runs over the lunch break into Wednesday.
            ForbiddenRange::new(naive(2025, 6, 10, 15, 0), naive(2025, 6, 11, 9, 30)).unwrap(),
            ForbiddenRange::new(naive(2025, 6, 10, 14, 0), naive(2025, 6, 10, 16, 0)).unwrap(),
        ],
        ..CallPolicy::new(default_template())
    };
    assert!(p.validate().is_ok());
    assert_eq!(
        p.check(sh(2025, 6, 10, 9, 0)),
        allowed(sh(2025, 6, 10, 10, 0))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 10, 0)),
        blocked(BlockReason::Forbidden, Some(sh(2025, 6, 10, 11, 0)))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 13, 0)),
        allowed(sh(2025, 6, 10, 14, 0))
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 14, 0)),
        blocked(BlockReason::Forbidden, Some(sh(2025, 6, 11, 9, 30)))
    );
    assert_eq!(BlockReason::Forbidden.label(), "禁呼时间");
    assert_eq!(
        ForbiddenRange::new(naive(2025, 6, 10, 11, 0), naive(2025, 6, 10, 10, 0))
            .map_err(|e| e.to_string()),
        Err(
            "禁呼时间 2025-06-10 11:00:00 至 2025-06-10 10:00:00 的结束时间必须晚于开始时间"
                .to_owned()
        )
    );
}

#[test]
fn labels_are_chinese() {
    let labels: Vec<_> = [
        BlockReason::OutsideWindow,
        BlockReason::Holiday,
        BlockReason::Forbidden,
        BlockReason::NotYetValid,
        BlockReason::Expired,
    ]
    .into_iter()
    .map(BlockReason::label)
    .collect();
    assert_eq!(
        labels,
        [
            "不在呼叫时间内",
            "节假日不外呼",
            "禁呼时间",
            "任务未到开始时间",
            "任务已过有效期"
        ]
    );
    let json = serde_json::to_value(blocked(BlockReason::Holiday, None)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"status": "blocked", "reason": "holiday", "next": null})
    );
}

#[test]
fn dst_gap_and_overlap_in_new_york() {
    let night: WeeklyTemplate = serde_json::from_str(
        r#"{"sun": [["02:30", "04:00"], ["23:00", "24:00"]], "mon": [["00:00", "01:30"]]}"#,
    )
    .unwrap();
    let p = CallPolicy {
        tz: NEW_YORK,
        skip_holidays: false,
        ..CallPolicy::new(night)
    };
    // 2025-03-09: 02:00 EST jumps to 03:00 EDT, so 02:30 means 03:00 EDT (07:00 UTC).
    let jump = Utc.with_ymd_and_hms(2025, 3, 9, 7, 0, 0).unwrap();
    assert_eq!(
        p.check(jump - SEC),
        blocked(BlockReason::OutsideWindow, Some(jump))
    );
    assert_eq!(p.check(jump), allowed(local(NEW_YORK, 2025, 3, 9, 4, 0)));
    assert_eq!(jump, local(NEW_YORK, 2025, 3, 9, 3, 0));

    // 2025-11-02: 02:00 EDT goes back to 01:00 EST; Monday 2025-11-03 is unaffected, but
    // Sunday 23:00 to Monday 01:30 is one window across midnight.
    assert_eq!(
        p.check(local(NEW_YORK, 2025, 11, 2, 23, 30)),
        allowed(local(NEW_YORK, 2025, 11, 3, 1, 30))
    );
    let ambiguous: WeeklyTemplate =
        serde_json::from_str(r#"{"sun": [["01:00", "01:30"]]}"#).unwrap();
    let p = CallPolicy {
        tz: NEW_YORK,
        skip_holidays: false,
        ..CallPolicy::new(ambiguous)
    };
    // 01:00 happens twice: the earlier one (EDT, 05:00 UTC) counts, for start and end.
    let first_one = Utc.with_ymd_and_hms(2025, 11, 2, 5, 0, 0).unwrap();
    assert_eq!(
        p.check(first_one - SEC),
        blocked(BlockReason::OutsideWindow, Some(first_one))
    );
    assert_eq!(
        p.check(first_one),
        allowed(first_one + TimeDelta::minutes(30))
    );
    // The second 01:00 (EST, 06:00 UTC) is outside: next Sunday.
    assert_eq!(
        p.check(first_one + TimeDelta::hours(1)),
        blocked(
            BlockReason::OutsideWindow,
            Some(local(NEW_YORK, 2025, 11, 9, 1, 0))
        )
    );
}

#[test]
fn nothing_ever_allowed_says_no_windows() {
    let p = CallPolicy {
        valid_from: Some(sh(2025, 6, 10, 0, 0)),
        valid_until: Some(sh(2025, 6, 10, 8, 0)),
        ..CallPolicy::new(default_template())
    };
    assert_eq!(
        p.check(sh(2025, 6, 9, 8, 0)),
        blocked(BlockReason::NotYetValid, None)
    );
    assert_eq!(
        p.check(sh(2025, 6, 10, 7, 0)),
        blocked(BlockReason::NoWindows, None)
    );
}

// ---- property tests ----

/// A reference answer to "allowed at t?" straight from the definitions, for zones
/// without daylight saving time, where local times map one to one.
fn allowed_by_definition(p: &CallPolicy, t: DateTime<Utc>) -> bool {
    if p.valid_from.is_some_and(|f| t < f) || p.valid_until.is_some_and(|u| t >= u) {
        return false;
    }
    let l = t.with_timezone(&p.tz).naive_local();
    if p.forbidden.iter().any(|f| f.start <= l && l < f.end) {
        return false;
    }
    let date = l.date();
    let own = p.template.ranges(date.weekday());
    let ranges = match (p.skip_holidays, p.calendar.kind(date)) {
        (true, Some(DayKind::Holiday)) => &[][..],
        (true, Some(DayKind::Workday)) if own.is_empty() => p.template.workday_fallback(),
        _ => own,
    };
    let minute = (l.hour() * 60 + l.minute()) as u16;
    ranges.iter().any(|r| r.contains_minute(minute))
}

fn range_strategy() -> impl Strategy<Value = Vec<TimeRange>> {
    // Half-hour points, midnight often, repeats allowed: touching ranges and ranges that
    // run to 24:00 then on from 00:00 come up often.
    let point = prop_oneof![Just(0u16), Just(48u16), 0u16..=48];
    prop::collection::vec(point, 0..=6).prop_map(|mut points| {
        points.sort();
        points
            .chunks_exact(2)
            .filter(|pair| pair[0] < pair[1])
            .map(|pair| TimeRange::new(pair[0] * 30, pair[1] * 30))
            .collect()
    })
}

fn template_strategy() -> impl Strategy<Value = WeeklyTemplate> {
    prop::array::uniform7(range_strategy())
        .prop_filter_map("empty week", |days| WeeklyTemplate::new(days).ok())
}

/// Instants from 2024-12-01 to 2026-12-01, at second precision.
fn instant_strategy() -> impl Strategy<Value = DateTime<Utc>> {
    (1_733_011_200i64..1_796_083_200)
        .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
}

/// A policy and an instant to check it at; forbidden ranges and the validity period lie
/// near the instant, where they matter.
fn case_strategy() -> impl Strategy<Value = (CallPolicy<'static>, DateTime<Utc>)> {
    const DAY: i64 = 86_400;
    let tz = prop_oneof![
        Just(SHANGHAI),
        Just(chrono_tz::UTC),
        Just(NEW_YORK),
        Just(chrono_tz::Australia::Lord_Howe),
    ];
    let forbidden = prop::collection::vec((-2 * DAY..5 * DAY, 60i64..2 * DAY), 0..=3);
    let from = prop::option::of(-5 * DAY..5 * DAY);
    let length = prop::option::of(3_600i64..30 * DAY);
    (
        template_strategy(),
        any::<bool>(),
        tz,
        forbidden,
        from,
        length,
        instant_strategy(),
    )
        .prop_map(
            |(template, skip_holidays, tz, forbidden, from, length, t)| {
                let at = |offset: i64| t + TimeDelta::seconds(offset);
                let forbidden = forbidden
                    .into_iter()
                    .map(|(offset, secs)| {
                        // Whole minutes, as the console enters them.
                        let start = at(offset / 60 * 60).with_timezone(&tz).naive_local();
                        ForbiddenRange {
                            start,
                            end: start + TimeDelta::minutes(secs / 60),
                        }
                    })
                    .collect();
                let valid_from = from.map(at);
                let valid_until =
                    length.map(|len| valid_from.unwrap_or(t) + TimeDelta::seconds(len));
                let policy = CallPolicy {
                    template,
                    skip_holidays,
                    calendar: Calendar::china_default(),
                    forbidden,
                    valid_from,
                    valid_until,
                    tz,
                };
                (policy, t)
            },
        )
}

/// Up to `n` instants spread over `[from, to)`, always including both ends' neighbours.
fn samples(from: DateTime<Utc>, to: DateTime<Utc>, n: i64) -> Vec<DateTime<Utc>> {
    let span = (to - from).num_seconds();
    let mut out: Vec<_> = (0..n)
        .map(|i| from + TimeDelta::seconds(span * i / n))
        .collect();
    out.push(to - SEC);
    out.retain(|s| *s >= from && *s < to);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn blocked_and_allowed_keep_their_promises((p, t) in case_strategy()) {
        match p.check(t) {
            Decision::Blocked { reason, next: Some(n) } => {
                prop_assert!(n > t, "{reason:?} next {n} not after {t}");
                prop_assert!(p.check(n).is_allowed(), "not allowed at next {n}");
                for s in samples(t, n, 24) {
                    prop_assert!(!p.check(s).is_allowed(), "allowed at {s} before next {n}");
                }
            }
            Decision::Blocked { reason, next: None } => {
                prop_assert!(matches!(
                    reason,
                    BlockReason::Expired | BlockReason::NoWindows | BlockReason::NotYetValid
                ));
            }
            Decision::Allowed { until } => {
                prop_assert!(until > t);
                for s in samples(t, until, 24) {
                    prop_assert!(p.check(s).is_allowed(), "blocked at {s} before until {until}");
                }
                let horizon = t + TimeDelta::days(SEARCH_DAYS as i64 - 2);
                if until < horizon {
                    prop_assert!(!p.check(until).is_allowed(), "still allowed at until {until}");
                }
            }
        }
    }

    #[test]
    fn agrees_with_the_definition_without_dst(
        (p, t) in case_strategy().prop_filter("no DST", |(p, _)| p.tz == SHANGHAI || p.tz == chrono_tz::UTC),
    ) {
        prop_assert_eq!(p.check(t).is_allowed(), allowed_by_definition(&p, t));
    }
}
