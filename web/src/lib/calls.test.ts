import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { qs } from '../api/client';
import { parseSnapshot, type LiveSnapshot } from '../api/calls';
import { zh } from '../i18n/messages';
import { NUMBER_STATUSES } from './tasks';
import {
  billFilter,
  callFilters,
  callStatusKey,
  effectiveGrade,
  elapsedSeconds,
  fmtDuration,
  fmtOffset,
  fmtSecondsFromMs,
  gradeText,
  hangupKey,
  isInProgress,
  isUnfiltered,
  liveChangeKey,
  liveStateKey,
  timelineKey,
} from './calls';

describe('durations', () => {
  it('formats seconds as mm:ss, with hours from an hour on', () => {
    expect(fmtDuration(0)).toBe('00:00');
    expect(fmtDuration(5)).toBe('00:05');
    expect(fmtDuration(65)).toBe('01:05');
    expect(fmtDuration(599.9)).toBe('09:59');
    expect(fmtDuration(3599)).toBe('59:59');
    expect(fmtDuration(3600)).toBe('1:00:00');
    expect(fmtDuration(3725)).toBe('1:02:05');
    expect(fmtDuration(-3)).toBe('00:00');
    expect(fmtDuration(null)).toBe('-');
    expect(fmtDuration(undefined)).toBe('-');
    expect(fmtDuration(Number.NaN)).toBe('-');
  });

  it('formats transcript offsets (ms since the answer) as mm:ss', () => {
    expect(fmtOffset(0)).toBe('00:00');
    expect(fmtOffset(999)).toBe('00:00');
    expect(fmtOffset(12_400)).toBe('00:12');
    expect(fmtOffset(61_000)).toBe('01:01');
    expect(fmtOffset(undefined)).toBe('-');
  });

  it('formats timeline offsets as seconds with one decimal', () => {
    expect(fmtSecondsFromMs(0)).toBe('0');
    expect(fmtSecondsFromMs(3200)).toBe('3.2');
    expect(fmtSecondsFromMs(3000)).toBe('3');
    expect(fmtSecondsFromMs(3249)).toBe('3.2');
    expect(fmtSecondsFromMs(3250)).toBe('3.3');
    expect(fmtSecondsFromMs(null)).toBe('-');
  });
});

describe('labels', () => {
  it('names calls in progress 呼叫中 / 通话中', () => {
    expect(isInProgress({ state: 'dialing' })).toBe(true);
    expect(isInProgress({ state: 'claimed' })).toBe(true);
    expect(isInProgress({ state: 'answered' })).toBe(true);
    expect(isInProgress({ state: 'ended' })).toBe(false);
    expect(zh[liveStateKey('answered')]).toBe('通话中');
    expect(zh[liveStateKey('dialing')]).toBe('呼叫中');
    expect(zh[liveStateKey('claimed')]).toBe('呼叫中');
  });

  it('labels every call status with the number statuses of lib/tasks', () => {
    for (const s of NUMBER_STATUSES) expect(zh[callStatusKey(s)!], s).toBeTruthy();
    expect(zh[callStatusKey('no_answer')!]).toBe('无应答');
    expect(callStatusKey('')).toBeNull();
    expect(callStatusKey('something_new')).toBeNull();
  });

  it('labels who hung up and the timeline', () => {
    expect(zh[hangupKey('robot')!]).toBe('机器人');
    expect(zh[hangupKey('customer')!]).toBe('客户');
    expect(zh[hangupKey('network')!]).toBe('网络');
    expect(hangupKey('')).toBeNull();
    for (const k of ['dial', 'ringing', 'early_media', 'answered', 'ended']) expect(zh[timelineKey(k)!], k).toBeTruthy();
    expect(timelineKey('transfer')).toBeNull();
  });

  it('shows the quality check changing a grade', () => {
    expect(gradeText('C', 'B', '质检')).toBe('C→B 质检');
    expect(gradeText('C', '', '质检')).toBe('C');
    expect(gradeText('B', 'B', '质检')).toBe('B');
    expect(gradeText('', '', '质检')).toBe('-');
    expect(effectiveGrade('C', 'B')).toBe('B');
    expect(effectiveGrade('C', '')).toBe('C');
  });
});

describe('通话记录 filters', () => {
  it('builds the query of GET /api/tasks/{id}/calls', () => {
    const from = dayjs('2026-05-20T09:00:00Z');
    const to = dayjs('2026-05-20T18:30:00Z');
    const f = callFilters({ range: [from, to], grades: ['B', 'A'], statuses: ['answered', 'no_answer'], min_duration: 10, max_duration: 60 });
    expect(f).toEqual({
      from: '2026-05-20T09:00:00.000Z',
      to: '2026-05-20T18:30:00.000Z',
      grades: 'A,B',
      statuses: 'answered,no_answer',
      min_duration: 10,
      max_duration: 60,
    });
    expect(qs({ ...f, page: 2, page_size: 20 })).toBe(
      '?from=2026-05-20T09%3A00%3A00.000Z&to=2026-05-20T18%3A30%3A00.000Z&grades=A%2CB&statuses=answered%2Cno_answer&min_duration=10&max_duration=60&page=2&page_size=20',
    );
  });

  it('leaves out what is not set, and takes open ranges', () => {
    expect(callFilters({})).toEqual({});
    expect(callFilters({ grades: [], statuses: [], range: null, min_duration: null })).toEqual({});
    expect(callFilters({ range: [null, dayjs('2026-05-20T00:00:00Z')] })).toEqual({ to: '2026-05-20T00:00:00.000Z' });
    expect(callFilters({ min_duration: 0 })).toEqual({ min_duration: 0 });
    expect(qs({ ...callFilters({}), page: 1, page_size: 20 })).toBe('?page=1&page_size=20');
  });

  it('puts a reversed duration range the right way round, in whole seconds', () => {
    expect(callFilters({ min_duration: 60, max_duration: 10 })).toEqual({ min_duration: 10, max_duration: 60 });
    expect(callFilters({ min_duration: 10.7 })).toEqual({ min_duration: 10 });
  });

  it('knows an empty filter', () => {
    expect(isUnfiltered({})).toBe(true);
    expect(isUnfiltered({ grades: undefined, phone: '' })).toBe(true);
    expect(isUnfiltered({ grades: 'A' })).toBe(false);
    expect(isUnfiltered({ min_duration: 0 })).toBe(false);
  });
});

describe('我的账单 filters', () => {
  it('builds the filter of GET /api/bills and its export', () => {
    const from = dayjs('2026-05-01T00:00:00Z');
    expect(billFilter({ range: [from, null], task_id: 7, phone: ' 138 0013 8000 ' })).toEqual({
      from: '2026-05-01T00:00:00.000Z',
      task_id: 7,
      phone: '13800138000',
    });
    expect(billFilter({ task_id: null, phone: '  ' })).toEqual({});
    expect(qs({ ...billFilter({ task_id: 3 }), page: 1, page_size: 20 })).toBe('?task_id=3&page=1&page_size=20');
  });
});

describe('live view', () => {
  const now = Date.parse('2026-05-20T10:00:30Z');

  it('counts a call in progress from the answer, or from the dial before it', () => {
    expect(elapsedSeconds({ state: 'answered', dialed_at: '2026-05-20T10:00:00Z', answered_at: '2026-05-20T10:00:10Z' }, now)).toBe(20);
    expect(elapsedSeconds({ state: 'dialing', dialed_at: '2026-05-20T10:00:00Z', answered_at: null }, now)).toBe(30);
    expect(elapsedSeconds({ state: 'dialing', dialed_at: '2026-05-20T10:00:29.500Z', answered_at: null }, now)).toBe(0);
    expect(elapsedSeconds({ state: 'claimed', dialed_at: null, answered_at: null }, now)).toBeNull();
    // A client clock behind the server's never shows a negative time.
    expect(elapsedSeconds({ state: 'dialing', dialed_at: '2026-05-20T10:01:00Z', answered_at: null }, now)).toBe(0);
    expect(elapsedSeconds({ state: 'answered', dialed_at: '2026-05-20T10:00:00Z', answered_at: null }, now)).toBe(30);
  });

  const snap: LiveSnapshot = {
    task: { id: 1, status: 'running', status_label: '执行中', idle_reason: '', total_numbers: 10, called_numbers: 3, connected_numbers: 1, connect_rate: 0.33 },
    in_progress: [
      { call_id: 5, phone: '13800138000', name: '张三', state: 'dialing', dialed_at: '2026-05-20T10:00:00Z', answered_at: null },
      { call_id: 4, phone: '13800138001', name: '', state: 'answered', dialed_at: '2026-05-20T10:00:00Z', answered_at: '2026-05-20T10:00:05Z' },
    ],
    finished_today: 2,
    answered_today: 1,
    balance: { balance_mfen: 49_000_000, available_mfen: 49_000_000 },
  };

  it('parses snapshot events and refuses anything else', () => {
    expect(parseSnapshot(JSON.stringify(snap))).toEqual(snap);
    expect(parseSnapshot('not json')).toBeNull();
    expect(parseSnapshot('null')).toBeNull();
    expect(parseSnapshot('{"in_progress":[]}')).toBeNull();
    expect(parseSnapshot(JSON.stringify({ task: snap.task }))).toEqual({ task: snap.task, in_progress: [], finished_today: 0, answered_today: 0, balance: null });
  });

  it('changes its key when calls start, are answered or finish, not on every snapshot', () => {
    const key = liveChangeKey(snap);
    expect(liveChangeKey(null)).toBeUndefined();
    expect(liveChangeKey({ ...snap, balance: { balance_mfen: 1, available_mfen: 1 } })).toBe(key);
    expect(liveChangeKey({ ...snap, in_progress: [...snap.in_progress].reverse() })).toBe(key);
    expect(liveChangeKey({ ...snap, finished_today: 3 })).not.toBe(key);
    expect(liveChangeKey({ ...snap, in_progress: snap.in_progress.slice(1) })).not.toBe(key);
    expect(liveChangeKey({ ...snap, in_progress: [{ ...snap.in_progress[0], state: 'answered' }, snap.in_progress[1]] })).not.toBe(key);
  });
});
