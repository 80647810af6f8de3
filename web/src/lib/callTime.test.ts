import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import {
  HOUR_TICKS,
  copyDay,
  copyToWorkdays,
  emptyWeek,
  endFromPicker,
  endToPicker,
  gridBlocks,
  normalizeWeek,
  parseHm,
  sameWeek,
  sortWeek,
  sortedWeek,
  upsertDay,
  validateDays,
  validateWeek,
  weekErrorText,
  weekdayKey,
  weekdayOfDate,
  yearOptions,
  type WeekDays,
} from './callTime';

const week = (d: Partial<WeekDays>): WeekDays => normalizeWeek(d);

describe('parseHm', () => {
  it('takes HH:MM up to 24:00, as the server', () => {
    expect(parseHm('09:00')).toBe(540);
    expect(parseHm('9:30')).toBe(570);
    expect(parseHm('24:00')).toBe(1440);
    expect(parseHm('24:01')).toBeNull();
    expect(parseHm('12:60')).toBeNull();
    expect(parseHm('9:5')).toBeNull();
    expect(parseHm('x')).toBeNull();
  });

  it('maps the picker\'s 00:00 end to 24:00 and back', () => {
    expect(endFromPicker('00:00')).toBe('24:00');
    expect(endFromPicker('18:00')).toBe('18:00');
    expect(endToPicker('24:00')).toBe('00:00');
  });
});

describe('validateWeek', () => {
  it('accepts the default working day and touching ranges', () => {
    expect(validateWeek(week({ mon: [['09:00', '12:00'], ['13:00', '18:00']] }))).toBeNull();
    expect(validateWeek(week({ sat: [['13:00', '14:00'], ['12:00', '13:00']] }))).toBeNull();
    expect(validateWeek(week({ sun: [['20:00', '24:00']] }))).toBeNull();
  });

  it('refuses an end not after the start, naming the day', () => {
    expect(validateWeek(week({ mon: [['12:00', '11:00']] }))).toEqual({ code: 'end_not_after_start', day: 'mon', range: '12:00-11:00' });
    expect(validateWeek(week({ tue: [['09:00', '09:00']] }))).toEqual({ code: 'end_not_after_start', day: 'tue', range: '09:00-09:00' });
  });

  it('refuses overlaps after sorting', () => {
    expect(validateWeek(week({ wed: [['13:00', '18:00'], ['09:00', '13:30']] }))).toEqual({ code: 'overlap', day: 'wed', first: '09:00-13:30', second: '13:00-18:00' });
  });

  it('refuses bad times and an empty week', () => {
    expect(validateWeek(week({ fri: [['25:00', '26:00']] }))).toEqual({ code: 'bad_time', value: '25:00' });
    expect(validateWeek(emptyWeek())).toEqual({ code: 'empty' });
  });

  it('reports the first day in week order', () => {
    expect(validateWeek(week({ sun: [['10:00', '09:00']], tue: [['10:00', '09:00']] }))).toMatchObject({ code: 'end_not_after_start', day: 'tue' });
  });
});

describe('week editing', () => {
  it('copies one day to Monday..Friday, not the weekend', () => {
    const w = copyToWorkdays(week({ wed: [['10:00', '11:00']], sat: [['09:00', '10:00']], mon: [['08:00', '09:00']] }), 'wed');
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) expect(w[d]).toEqual([['10:00', '11:00']]);
    expect(w.sat).toEqual([['09:00', '10:00']]);
    expect(w.sun).toEqual([]);
  });

  it('sorts ranges by start', () => {
    expect(sortWeek(week({ mon: [['13:00', '18:00'], ['09:00', '12:00']] })).mon).toEqual([
      ['09:00', '12:00'],
      ['13:00', '18:00'],
    ]);
  });
});

describe('the task form week', () => {
  it('normalises (sorted) and compares weeks', () => {
    const w = sortedWeek({ mon: [['13:00', '18:00'], ['09:00', '12:00']] });
    expect(w.mon).toEqual([['09:00', '12:00'], ['13:00', '18:00']]);
    expect(w.sun).toEqual([]);
    expect(sameWeek(w, { mon: [['09:00', '12:00'], ['13:00', '18:00']] })).toBe(true);
    expect(sameWeek(w, { mon: [['13:00', '18:00'], ['09:00', '12:00']] })).toBe(true);
    expect(sameWeek(w, { mon: [['09:00', '12:00']] })).toBe(false);
    expect(sameWeek(null, undefined)).toBe(true);
  });

  it('copies a day to the given days', () => {
    const w = copyDay(week({ tue: [['10:00', '11:00']], sat: [['09:00', '10:00']] }), 'tue', ['mon', 'tue', 'sat']);
    expect(w.mon).toEqual([['10:00', '11:00']]);
    expect(w.sat).toEqual([['10:00', '11:00']]);
    expect(w.wed).toEqual([]);
    expect(w.mon).not.toBe(w.tue);
  });
});

describe('weekErrorText', () => {
  const zh = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => translate('zh', k, v);
  const en = (k: Parameters<typeof translate>[1], v?: Parameters<typeof translate>[2]) => translate('en', k, v);

  it('names the problem like the server', () => {
    expect(weekErrorText(validateWeek(week({ mon: [['12:00', '11:00']] }))!, zh)).toBe('周一的时间段 12:00-11:00 结束时间必须晚于开始时间');
    expect(weekErrorText(validateWeek(week({ tue: [['09:00', '12:00'], ['11:00', '13:00']] }))!, zh)).toBe('周二的时间段 09:00-12:00 与 11:00-13:00 重叠');
    expect(weekErrorText(validateWeek(emptyWeek())!, zh)).toBe('呼叫时间至少需要一个时间段');
    expect(weekErrorText(validateWeek(week({ wed: [['9:00', '25:00']] }))!, zh)).toBe('时间 25:00 格式错误，应为 HH:MM（00:00 至 24:00）');
    expect(weekErrorText({ code: 'past_midnight', day: 'sun', range: '23:00-24:30' }, en)).toBe('Sun 23:00-24:30: goes past 24:00');
  });

  it('has weekday names in both languages', () => {
    expect(translate('zh', weekdayKey('mon'))).toBe('周一');
    expect(translate('en', weekdayKey('sun'))).toBe('Sun');
  });
});

describe('gridBlocks', () => {
  it('joins the label with the given separator', () => {
    expect(gridBlocks([['06:00', '12:00']], ' - ')).toEqual([{ left: 25, width: 25, label: '06:00 - 12:00' }]);
  });

  it('places the hour ticks, the ends aligned inside the scale', () => {
    expect(HOUR_TICKS.map((h) => h.hour)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
    expect(HOUR_TICKS[0]).toEqual({ hour: 0, left: 0, transform: undefined });
    expect(HOUR_TICKS[4]).toEqual({ hour: 12, left: 50, transform: 'translateX(-50%)' });
    expect(HOUR_TICKS[8]).toEqual({ hour: 24, left: 100, transform: 'translateX(-100%)' });
  });

  it('lays ranges out on a 0–24h bar', () => {
    expect(gridBlocks([['13:00', '18:00'], ['09:00', '12:00']])).toEqual([
      { left: 37.5, width: 12.5, label: '09:00-12:00' },
      { left: (13 / 24) * 100, width: (5 / 24) * 100, label: '13:00-18:00' },
    ]);
    expect(gridBlocks([['00:00', '24:00']])).toEqual([{ left: 0, width: 100, label: '00:00-24:00' }]);
    expect(gridBlocks([['12:00', '11:00'], ['x', '10:00']])).toEqual([]);
  });
});

describe('holiday calendar', () => {
  it('offers the years with data, this year and next', () => {
    expect(yearOptions([2025, 2026], new Date(2026, 4, 1))).toEqual([2027, 2026, 2025]);
    expect(yearOptions([], new Date(2026, 0, 1))).toEqual([2027, 2026]);
  });

  it('names the weekday of a date', () => {
    expect(weekdayOfDate('2026-10-01')).toBe('thu');
    expect(weekdayOfDate('2026-02-30')).toBeNull();
  });

  it('replaces and sorts rows', () => {
    const days = [
      { date: '2026-10-02', kind: 'holiday' as const, name: '国庆节' },
      { date: '2026-01-01', kind: 'holiday' as const, name: '元旦' },
    ];
    expect(upsertDay(days, { date: '2026-05-01', kind: 'holiday', name: '劳动节' }).map((d) => d.date)).toEqual(['2026-01-01', '2026-05-01', '2026-10-02']);
    expect(upsertDay(days, { date: '2026-10-03', kind: 'holiday', name: '国庆节' }, '2026-10-02').map((d) => d.date)).toEqual(['2026-01-01', '2026-10-03']);
  });

  it('checks a year before saving', () => {
    expect(validateDays(2026, [{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }])).toBeNull();
    expect(validateDays(2026, [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }])).toEqual({ code: 'other_year', date: '2027-01-01' });
    expect(
      validateDays(2026, [
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-01', kind: 'workday', name: '国庆节' },
      ]),
    ).toEqual({ code: 'duplicate', date: '2026-10-01' });
    expect(validateDays(2026, [{ date: '2026-10-01', kind: 'holiday', name: ' ' }])).toEqual({ code: 'no_name', date: '2026-10-01' });
  });
});
