// Pure helpers of the dialer screens: durations and offsets, labels of call states, statuses,
// grades and hang-up parties, the filters of 通话记录 and 我的账单 as query parameters, the
// elapsed time of calls in progress, and the live snapshots.
import type { Dayjs } from 'dayjs';
import type { CallFilters, CallState, CallSummary, LiveCall, LiveSnapshot, TimelineKind } from '../api/calls';
import type { BillFilter } from '../api/calling';
import type { MessageKey } from '../i18n/messages';
import { NUMBER_STATUSES, rangeParams } from './tasks';

// ---- durations ----

/** "01:05" for 65 s, "1:01:05" from an hour on; "-" when unknown. Fractions are dropped. */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** mm:ss of a millisecond offset (a transcript line's time since the answer). */
export function fmtOffset(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '-';
  return fmtDuration(ms / 1000);
}

/** Seconds with one decimal ("3.2", "0") of a millisecond offset (the timeline, the ring time). */
export function fmtSecondsFromMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '-';
  const tenths = Math.round(Math.max(0, ms) / 100);
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

// ---- states and labels ----

export const isInProgress = (c: Pick<CallSummary, 'state'>) => c.state !== 'ended';

/** 通话中 once answered, 呼叫中 before. */
export function liveStateKey(state: CallState | string): MessageKey {
  return state === 'answered' ? 'call.state.talking' : 'call.state.calling';
}

/** The console's label key of a call status (a number status code), null for an unknown code. */
export function callStatusKey(code: string): MessageKey | null {
  return code && NUMBER_STATUSES.includes(code) ? (`num.status.${code}` as MessageKey) : null;
}

const HANGUP_PARTIES = ['robot', 'customer', 'network', 'system'];

/** The label key of who hung up, null when nobody is recorded. */
export function hangupKey(by: string): MessageKey | null {
  return HANGUP_PARTIES.includes(by) ? (`call.hangup.${by}` as MessageKey) : null;
}

const TIMELINE_KINDS: readonly TimelineKind[] = ['dial', 'ringing', 'early_media', 'answered', 'ended'];

export function timelineKey(kind: string): MessageKey | null {
  return (TIMELINE_KINDS as readonly string[]).includes(kind) ? (`call.timeline.${kind}` as MessageKey) : null;
}

/** The level that counts: the quality check's when it changed the grade. */
export function effectiveGrade(grade: string, qcGrade: string): string {
  return qcGrade || grade;
}

/** "C", "C→B 质检" when the quality check changed it, "-" before grading. */
export function gradeText(grade: string, qcGrade: string, qcLabel: string): string {
  if (!grade && !qcGrade) return '-';
  if (qcGrade && qcGrade !== grade) return `${grade || '-'}→${qcGrade} ${qcLabel}`;
  return grade || qcGrade;
}

// ---- 通话记录 filters ----

export interface CallFilterForm {
  range?: [Dayjs | null, Dayjs | null] | null;
  grades?: string[];
  statuses?: string[];
  min_duration?: number | null;
  max_duration?: number | null;
}

/** Query parameters of GET /api/tasks/{id}/calls (without the page). */
const wholeSeconds = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? undefined : Math.max(0, Math.floor(v)));

/** The filter form to query parameters; a reversed duration range is put the right way round. */
export function callFilters(v: CallFilterForm): CallFilters {
  let min = wholeSeconds(v.min_duration);
  let max = wholeSeconds(v.max_duration);
  if (min != null && max != null && min > max) [min, max] = [max, min];
  const f: CallFilters = {
    ...rangeParams(v.range, 'from', 'to'),
    grades: v.grades?.length ? [...v.grades].sort().join(',') : undefined,
    statuses: v.statuses?.length ? v.statuses.join(',') : undefined,
    min_duration: min,
    max_duration: max,
  };
  for (const k of Object.keys(f) as (keyof CallFilters)[]) if (f[k] === undefined) delete f[k];
  return f;
}

export function isUnfiltered(f: object): boolean {
  return Object.values(f).every((v) => v === undefined || v === null || v === '');
}

// ---- 我的账单 filters ----

export interface BillFilterForm {
  range?: [Dayjs | null, Dayjs | null] | null;
  task_id?: number | null;
  phone?: string;
}

export function billFilter(v: BillFilterForm): BillFilter {
  const f: BillFilter = { ...rangeParams(v.range, 'from', 'to') };
  if (v.task_id != null) f.task_id = v.task_id;
  const phone = v.phone?.replace(/\s+/g, '');
  if (phone) f.phone = phone;
  return f;
}

// ---- live view ----

/** Whole seconds a call in progress has lasted: since the answer when answered, else since the dial. */
export function elapsedSeconds(c: Pick<LiveCall, 'state' | 'dialed_at' | 'answered_at'>, nowMs: number): number | null {
  const from = c.state === 'answered' && c.answered_at ? c.answered_at : c.dialed_at;
  if (!from) return null;
  const t = Date.parse(from);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((nowMs - t) / 1000));
}

/** A `snapshot` event's data, or null when it is not one. */
/**
 * Changes when the 通话记录 list would look different: a call started, was answered or
 * finished. Calls end in between two snapshots, so the finished count is part of it.
 */
export function liveChangeKey(s: LiveSnapshot | null): string | undefined {
  if (!s) return undefined;
  const calls = s.in_progress
    .map((c) => `${c.call_id}${c.state === 'answered' ? 'a' : ''}`)
    .sort()
    .join(',');
  return `${s.finished_today}|${s.task.called_numbers}|${calls}`;
}
