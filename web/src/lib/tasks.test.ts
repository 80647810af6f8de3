import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import type { TaskRequest } from '../api/tasks';
import {
  MANUAL_REDIAL_STATUSES,
  REDIAL_STATUSES,
  canStart,
  concurrencyFit,
  checkNumbersFile,
  defaultTaskName,
  fmtRate,
  intervalFromForm,
  intervalToForm,
  numberStatusColor,
  progressPercent,
  rangeParams,
  redialBlock,
  redialCounts,
  redialTotal,
  taskFieldOf,
  taskFormValues,
  taskRequest,
  taskStatusColor,
  taskStatusText,
} from './tasks';
import { emptyWeek } from './callTime';

const week = { ...emptyWeek(), mon: [['09:00', '12:00'], ['13:00', '18:00']] as [string, string][], fri: [['09:00', '17:00']] as [string, string][] };

const request: TaskRequest = {
  name: '五月促销',
  tags: ['促销', '老客户'],
  alias: 'may',
  kind: 'script',
  dialog: { mode: 'unified', script_id: 3 },
  llm_robot_id: null,
  quality_condition_id: null,
  line_id: 1,
  blacklist_group_ids: [2],
  valid_from: '2026-05-20T02:06:00.000Z',
  valid_until: '2027-05-20T02:06:00.000Z',
  schedule: { template_id: 'system-workday', days: week },
  skip_holidays: true,
  forbidden: [{ start: '2026-12-24T00:00:00', end: '2026-12-26T00:00:00' }],
  call_interval_s: 3,
  concurrency: 5,
  end_action: 'pause_release',
  transfer: { enabled: false, pause_when_busy: false, predictive: false, busy_to_ai: false },
  quota: { daily_connected_limit: null },
  retry: { statuses: ['no_answer', 'busy'], max_attempts: 3, interval_minutes: 30 },
};

describe('statuses', () => {
  it('colours task and number statuses', () => {
    expect(taskStatusColor('running')).toBe('processing');
    expect(taskStatusColor('paused')).toBe('warning');
    expect(taskStatusColor('completed')).toBe('success');
    expect(taskStatusColor('not_started')).toBe('default');
    expect(numberStatusColor('answered')).toBe('success');
    expect(numberStatusColor('carrier_blocked')).toBe('error');
    expect(numberStatusColor('no_answer')).toBe('warning');
    expect(numberStatusColor('blacklisted')).toBe('purple');
  });

  it('adds why a running task is idle', () => {
    expect(taskStatusText({ status: 'running', idle_reason: '不在呼叫时间内' }, '执行中')).toBe('执行中 · 不在呼叫时间内');
    expect(taskStatusText({ status: 'running', idle_reason: '' }, '执行中')).toBe('执行中');
    expect(taskStatusText({ status: 'paused', idle_reason: '余额不足' }, '已暂停')).toBe('已暂停');
  });

  it('offers every status but pending and calling for redial', () => {
    expect(REDIAL_STATUSES).not.toContain('pending');
    expect(REDIAL_STATUSES).not.toContain('calling');
    expect(REDIAL_STATUSES).toContain('no_answer');
    expect(REDIAL_STATUSES).toHaveLength(13);
  });
});

describe('重呼', () => {
  it('offers neither waiting, answered nor blacklisted numbers', () => {
    for (const s of ['pending', 'calling', 'answered', 'blacklisted']) expect(MANUAL_REDIAL_STATUSES).not.toContain(s);
    expect(MANUAL_REDIAL_STATUSES).toEqual([
      'carrier_blocked', 'rejected', 'no_answer', 'vacant', 'powered_off', 'suspended', 'busy',
      'incoming_restricted', 'arrears', 'user_blocked', 'interrupted',
    ]);
  });

  it('lets a completed task start again (after 重呼), not a stopped one', () => {
    for (const s of ['not_started', 'paused', 'completed']) expect(canStart(s)).toBe(true);
    for (const s of ['running', 'stopped']) expect(canStart(s)).toBe(false);
  });

  it('is refused while the task runs, and for a stopped task', () => {
    expect(redialBlock('running')).toBe('redial.pauseFirst');
    expect(redialBlock('stopped')).toBe('redial.stopped');
    for (const s of ['paused', 'completed', 'not_started']) expect(redialBlock(s)).toBeNull();
  });

  it('counts the numbers of each status from the facets', () => {
    const counts = redialCounts([
      { code: 'no_answer', count: 12 },
      { code: 'busy', count: 3 },
      { code: 'answered', count: 40 },
    ]);
    expect(counts).toHaveLength(MANUAL_REDIAL_STATUSES.length);
    expect(counts.find((c) => c.code === 'no_answer')?.count).toBe(12);
    expect(counts.find((c) => c.code === 'vacant')?.count).toBe(0);
    expect(counts.find((c) => c.code === 'answered')).toBeUndefined();
    expect(redialTotal(counts, ['no_answer', 'busy'])).toBe(15);
    expect(redialTotal(counts, [])).toBe(0);
    expect(redialCounts(undefined).every((c) => c.count === 0)).toBe(true);
  });
});

describe('progress and connect rate', () => {
  it('computes whole percents', () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(249_999, 250_000)).toBe(99);
    expect(progressPercent(5, 5)).toBe(100);
  });

  it('formats the connect rate', () => {
    expect(fmtRate(0.375)).toBe('37.5%');
    expect(fmtRate(0.5)).toBe('50%');
    expect(fmtRate(0)).toBe('0%');
    expect(fmtRate(1)).toBe('100%');
    expect(fmtRate(0.12345)).toBe('12.3%');
    expect(fmtRate(0.3, 0)).toBe('-');
    expect(fmtRate(null)).toBe('-');
  });
});

describe('call interval', () => {
  it('maps seconds to the choice and back', () => {
    expect(intervalToForm(0)).toEqual({ choice: 'auto', custom: null });
    expect(intervalToForm(30)).toEqual({ choice: '30', custom: null });
    expect(intervalToForm(7)).toEqual({ choice: 'custom', custom: 7 });
    expect(intervalFromForm({ choice: 'auto' })).toBe(0);
    expect(intervalFromForm({ choice: '60' })).toBe(60);
    expect(intervalFromForm({ choice: 'custom', custom: 7 })).toBe(7);
    expect(intervalFromForm({ choice: 'custom', custom: 9999 })).toBe(600);
  });
});

describe('task form <-> request', () => {
  it('round-trips a request', () => {
    const v = taskFormValues(request);
    expect(v.blacklist_on).toBe(true);
    expect(v.interval).toEqual({ choice: '3', custom: null });
    expect(v.quota.on).toBe(false);
    expect(v.forbidden[0].range?.[0].format('YYYY-MM-DD HH:mm')).toBe('2026-12-24 00:00');
    expect(taskRequest(v)).toEqual(request);
  });

  it('converts time-of-day dialogs, the llm robot and options', () => {
    const v = taskFormValues({
      ...request,
      kind: 'llm',
      llm_robot_id: 4,
      dialog: { mode: 'by_time', ranges: [{ start: '09:00', end: '12:00', script_id: 3 }], fallback_script_id: 5 },
      quota: { daily_connected_limit: 100 },
      call_interval_s: 45,
    });
    expect(v.dialog.ranges).toEqual([{ time: ['09:00', '12:00'], script_id: 3 }]);
    expect(v.quota).toEqual({ on: true, daily_connected_limit: 100 });
    const r = taskRequest({ ...v, blacklist_on: false, tags: [' a ', 'a', ''], transfer: { enabled: true, pause_when_busy: true, predictive: false, busy_to_ai: true } });
    expect(r.dialog).toEqual({ mode: 'by_time', ranges: [{ start: '09:00', end: '12:00', script_id: 3 }], fallback_script_id: 5 });
    expect(r.llm_robot_id).toBe(4);
    expect(r.call_interval_s).toBe(45);
    expect(r.quota.daily_connected_limit).toBe(100);
    expect(r.blacklist_group_ids).toEqual([]);
    expect(r.tags).toEqual(['a']);
    // 人工全忙转AI only goes with predictive dialling.
    expect(r.transfer).toEqual({ enabled: true, pause_when_busy: true, predictive: false, busy_to_ai: false });
    expect(taskRequest({ ...v, kind: 'script', quota: { on: false, daily_connected_limit: 100 } })).toMatchObject({ llm_robot_id: null, quota: { daily_connected_limit: null } });
  });

  it('writes validity as ISO and no-call periods as local date-times', () => {
    const v = taskFormValues(request);
    v.valid = [dayjs('2026-06-01T08:00:00'), dayjs('2026-07-01T20:00:00')];
    v.forbidden = [{ range: [dayjs('2026-10-01T00:00:00'), dayjs('2026-10-08T00:00:00')] }, { range: null }];
    const r = taskRequest(v);
    expect(r.valid_from).toBe(dayjs('2026-06-01T08:00:00').toISOString());
    expect(r.forbidden).toEqual([{ start: '2026-10-01T00:00:00', end: '2026-10-08T00:00:00' }]);
  });

  it('names a new task like the seed', () => {
    expect(defaultTaskName('small li', dayjs('2025-05-20T10:06:00'))).toBe('small li2025-05-20 (10:06)');
  });

  it('puts server field errors on form items', () => {
    expect(taskFieldOf('name')).toEqual(['name']);
    expect(taskFieldOf('line_id')).toEqual(['line_id']);
    expect(taskFieldOf('valid_until')).toEqual(['valid']);
    expect(taskFieldOf('dialog.script_id')).toEqual(['dialog', 'script_id']);
    expect(taskFieldOf('dialog.ranges[1].script_id')).toEqual(['dialog', 'ranges', 1, 'script_id']);
    expect(taskFieldOf('dialog.ranges[0].end')).toEqual(['dialog', 'ranges', 0, 'time']);
    expect(taskFieldOf('schedule.days.mon')).toEqual(['schedule', 'days']);
    expect(taskFieldOf('forbidden[2].end')).toEqual(['forbidden', 2, 'range']);
    expect(taskFieldOf('call_interval_s')).toEqual(['interval', 'custom']);
    expect(taskFieldOf('retry.max_attempts')).toEqual(['retry', 'max_attempts']);
    expect(taskFieldOf('quota.daily_connected_limit')).toEqual(['quota', 'daily_connected_limit']);
    expect(taskFieldOf('transfer.busy_to_ai')).toEqual(['transfer', 'busy_to_ai']);
    expect(taskFieldOf('nope')).toBeUndefined();
    expect(taskFieldOf(undefined)).toBeUndefined();
  });
});

describe('numbers import and filters', () => {
  it('checks the file type and size', () => {
    expect(checkNumbersFile({ name: 'a.xlsx', size: 1 })).toBeNull();
    expect(checkNumbersFile({ name: 'A.CSV', size: 50 * 1024 * 1024 })).toBeNull();
    expect(checkNumbersFile({ name: 'a.xls', size: 1 })).toBe('taskImport.badExt');
    expect(checkNumbersFile({ name: 'a.csv', size: 50 * 1024 * 1024 + 1 })).toBe('taskImport.tooLarge');
  });

  it('turns a date range into query params', () => {
    const a = dayjs('2026-05-01T00:00:00');
    expect(rangeParams([a, null], 'created_from', 'created_to')).toEqual({ created_from: a.toISOString() });
    expect(rangeParams(null, 'x', 'y')).toEqual({});
  });
});

describe('concurrencyFit', () => {
  const line = { max_concurrency: 1000, in_use: 600 };
  it('keeps a typed value beyond the line and says so instead of clamping it', () => {
    expect(concurrencyFit(line, 5000)).toEqual({ kind: 'overLine', free: 400, max: 1000 });
  });
  it('warns when running tasks leave too little free', () => {
    expect(concurrencyFit(line, 500).kind).toBe('overFree');
    expect(concurrencyFit(line, 400).kind).toBe('fits');
  });
  it('never reports negative room', () => {
    expect(concurrencyFit({ max_concurrency: 10, in_use: 12 }, 1)).toEqual({ kind: 'overFree', free: 0, max: 10 });
  });
});
