// Pure helpers of 呼叫时间: weekly schedules (ranges per weekday, "HH:MM" pairs, start
// inclusive, end exclusive, "24:00" allowed as an end) of the templates and the task form,
// their checks (the server's rules in domain::calltime::template) and messages, the weekly
// grid's layout, and the holiday calendar's rows.
import type { MessageKey, Vars } from '../i18n';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The i18n key of a weekday's name (周一…). */
export function weekdayKey(d: Weekday): MessageKey {
  return `week.${d}`;
}

export type TimeRangeText = [string, string];
export type WeekDays = Record<Weekday, TimeRangeText[]>;

export const DAY_MINUTES = 24 * 60;

export function emptyWeek(): WeekDays {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

/** A week from the API, missing days as empty. */
export function normalizeWeek(days: Partial<WeekDays> | null | undefined): WeekDays {
  const out = emptyWeek();
  for (const d of WEEKDAYS) out[d] = (days?.[d] ?? []).map(([a, b]) => [a, b] as TimeRangeText);
  return out;
}

/** A copy with every day present and its ranges sorted by start (the task form's value). */
export function sortedWeek(days: Partial<WeekDays> | null | undefined): WeekDays {
  return sortWeek(normalizeWeek(days));
}

/** True when both weeks have the same ranges every day, in any order. */
export function sameWeek(a: Partial<WeekDays> | null | undefined, b: Partial<WeekDays> | null | undefined): boolean {
  const x = sortedWeek(a);
  const y = sortedWeek(b);
  return WEEKDAYS.every((d) => x[d].length === y[d].length && x[d].every((r, i) => r[0] === y[d][i][0] && r[1] === y[d][i][1]));
}

/** Minutes after midnight of "09:00" / "9:30" / "24:00"; null when not a valid time. */
export function parseHm(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return DAY_MINUTES;
  if (h <= 23 && min <= 59) return h * 60 + min;
  return null;
}

export function formatHm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/**
 * A time picker cannot show 24:00: an end picked as 00:00 means midnight at the end of the
 * day. These map between the picker's "HH:mm" and the API's text.
 */
export function endFromPicker(end: string): string {
  return end === '00:00' ? '24:00' : end;
}
export function endToPicker(end: string): string {
  return end === '24:00' ? '00:00' : end;
}

export type WeekError =
  | { code: 'bad_time'; value: string }
  | { code: 'end_not_after_start'; day: Weekday; range: string }
  | { code: 'past_midnight'; day: Weekday; range: string }
  | { code: 'overlap'; day: Weekday; first: string; second: string }
  | { code: 'empty' };

/**
 * The first problem of a week, in the server's order (bad times, then day by day: each
 * range, then overlaps of the sorted ranges, then an empty week); null when valid.
 * Touching ranges (12:00-13:00, 13:00-14:00) are allowed.
 */
export function validateWeek(days: WeekDays): WeekError | null {
  const parsed: Record<Weekday, [number, number][]> = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  for (const d of WEEKDAYS) {
    for (const [a, b] of days[d] ?? []) {
      const s = parseHm(a);
      if (s == null) return { code: 'bad_time', value: a };
      const e = parseHm(b);
      if (e == null) return { code: 'bad_time', value: b };
      parsed[d].push([s, e]);
    }
  }
  const text = ([s, e]: [number, number]) => `${formatHm(s)}-${formatHm(e)}`;
  for (const d of WEEKDAYS) {
    const ranges = [...parsed[d]].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const r of ranges) {
      if (r[1] > DAY_MINUTES) return { code: 'past_midnight', day: d, range: text(r) };
      if (r[1] <= r[0]) return { code: 'end_not_after_start', day: d, range: text(r) };
    }
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i][0] < ranges[i - 1][1]) return { code: 'overlap', day: d, first: text(ranges[i - 1]), second: text(ranges[i]) };
    }
  }
  if (WEEKDAYS.every((d) => parsed[d].length === 0)) return { code: 'empty' };
  return null;
}

/** The message of a week's problem, in the language of `t`. */
export function weekErrorText(e: WeekError, t: (key: MessageKey, vars?: Vars) => string): string {
  const day = (d: Weekday) => t(weekdayKey(d));
  switch (e.code) {
    case 'bad_time':
      return t('ct.err.badTime', { value: e.value });
    case 'end_not_after_start':
      return t('ct.err.endNotAfterStart', { day: day(e.day), range: e.range });
    case 'past_midnight':
      return t('ct.err.pastMidnight', { day: day(e.day), range: e.range });
    case 'overlap':
      return t('ct.err.overlap', { day: day(e.day), first: e.first, second: e.second });
    case 'empty':
      return t('ct.err.empty');
  }
}

/** The week with each day's ranges sorted by start, as the server stores them. */
export function sortWeek(days: WeekDays): WeekDays {
  const out = emptyWeek();
  for (const d of WEEKDAYS) out[d] = [...days[d]].sort((x, y) => (parseHm(x[0]) ?? 0) - (parseHm(y[0]) ?? 0));
  return out;
}

/** Monday..Friday get a copy of `from`'s ranges; the weekend is left as it is. */
export function copyToWorkdays(days: WeekDays, from: Weekday): WeekDays {
  return copyDay(days, from, WORKDAYS);
}

/** Each day of `to` gets a copy of `from`'s ranges. */
export function copyDay(days: WeekDays, from: Weekday, to: readonly Weekday[]): WeekDays {
  const out = normalizeWeek(days);
  for (const d of to) if (d !== from) out[d] = days[from].map(([a, b]) => [a, b] as TimeRangeText);
  return out;
}

/** Where the hour ticks of a 0–24h scale sit (percent) and how each is aligned. */
export const HOUR_TICKS: readonly { hour: number; left: number; transform?: string }[] = [0, 3, 6, 9, 12, 15, 18, 21, 24].map((h) => ({
  hour: h,
  left: (h / 24) * 100,
  transform: h === 0 ? undefined : h === 24 ? 'translateX(-100%)' : 'translateX(-50%)',
}));

export interface GridBlock {
  /** Percent of the day's width. */
  left: number;
  width: number;
  label: string;
}

/** Blocks of one day's ranges on a 0–24h bar (invalid ranges left out); `sep` joins a label's times. */
export function gridBlocks(ranges: readonly TimeRangeText[], sep = '-'): GridBlock[] {
  const out: GridBlock[] = [];
  for (const [a, b] of ranges) {
    const s = parseHm(a);
    const e = parseHm(b);
    if (s == null || e == null || e <= s) continue;
    const end = Math.min(e, DAY_MINUTES);
    out.push({ left: (s / DAY_MINUTES) * 100, width: ((end - s) / DAY_MINUTES) * 100, label: `${formatHm(s)}${sep}${formatHm(e)}` });
  }
  return out.sort((x, y) => x.left - y.left);
}

/** One line per day for a tooltip / screen reader: "周一 09:00-12:00, 13:00-18:00". */
export function dayText(ranges: readonly TimeRangeText[]): string {
  return gridBlocks(ranges)
    .map((b) => b.label)
    .join(', ');
}

// ---- Holiday calendar ----

export type HolidayKind = 'holiday' | 'workday';

export interface HolidayDay {
  date: string;
  kind: HolidayKind;
  name: string;
}

/** The years to offer: those with data, this year and next year, newest first. */
export function yearOptions(years: readonly number[], today: Date = new Date()): number[] {
  const y = today.getFullYear();
  return [...new Set([...years, y, y + 1])].sort((a, b) => b - a);
}

/** Index 0 = Monday, as WEEKDAYS, of an ISO date "2026-10-01". */
export function weekdayOfDate(date: string): Weekday | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCMonth() !== Number(m[2]) - 1) return null;
  return WEEKDAYS[(d.getUTCDay() + 6) % 7];
}

export function sortDays(days: readonly HolidayDay[]): HolidayDay[] {
  return [...days].sort((a, b) => a.date.localeCompare(b.date));
}

/** Puts a day in the list (replacing the one of `replacing` date, if any), sorted. */
export function upsertDay(days: readonly HolidayDay[], day: HolidayDay, replacing?: string): HolidayDay[] {
  return sortDays([...days.filter((d) => d.date !== replacing && d.date !== day.date), day]);
}

export type DaysError = { code: 'duplicate'; date: string } | { code: 'other_year'; date: string } | { code: 'no_name'; date: string };

/** The first problem of a year's list; null when it can be saved. */
export function validateDays(year: number, days: readonly HolidayDay[]): DaysError | null {
  const seen = new Set<string>();
  for (const d of sortDays(days)) {
    if (!d.date.startsWith(`${year}-`) || weekdayOfDate(d.date) == null) return { code: 'other_year', date: d.date };
    if (seen.has(d.date)) return { code: 'duplicate', date: d.date };
    if (!d.name.trim()) return { code: 'no_name', date: d.date };
    seen.add(d.date);
  }
  return null;
}
