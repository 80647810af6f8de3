// Pure helpers of AI呼叫2.0: status colours and labels, progress and connect rate, the
// task form <-> TaskRequest, and 422 fields -> form items.
import dayjs, { type Dayjs } from 'dayjs';
import { checkSheetFile } from './format';
import type { EndAction, TaskDialog, TaskKind, TaskRequest, TaskStatus, TaskSummary, TimeRange, WeekDays } from '../api/tasks';
import { sortedWeek } from './callTime';

// ---- statuses ----

export const TASK_STATUSES: readonly TaskStatus[] = ['not_started', 'running', 'paused', 'completed', 'stopped'];

/** AntD Tag colour of a task status. */
export function taskStatusColor(s: string): string {
  switch (s) {
    case 'running':
      return 'processing';
    case 'paused':
      return 'warning';
    case 'completed':
      return 'success';
    case 'stopped':
      return 'error';
    default:
      return 'default';
  }
}

/** "执行中 · 不在呼叫时间内" for a running task that is not calling, else the status label. */
export function taskStatusText(t: Pick<TaskSummary, 'status' | 'idle_reason'>, label: string): string {
  return t.status === 'running' && t.idle_reason ? `${label} · ${t.idle_reason}` : label;
}

/** Number status codes and labels in the contract's order (the redial rules and filters use them). */
export const NUMBER_STATUSES: readonly string[] = [
  'pending', 'calling', 'answered', 'carrier_blocked', 'rejected', 'no_answer', 'vacant', 'powered_off',
  'suspended', 'busy', 'incoming_restricted', 'arrears', 'blacklisted', 'user_blocked', 'interrupted',
];

/** Statuses a number cannot be redialled from (still waiting, or on the line). */
const NOT_REDIALABLE = new Set(['pending', 'calling']);
export const REDIAL_STATUSES = NUMBER_STATUSES.filter((s) => !NOT_REDIALABLE.has(s));

/** Statuses 重呼 can queue again: not waiting or on the line, not answered, not blacklisted. */
const NOT_MANUALLY_REDIALABLE = new Set(['pending', 'calling', 'answered', 'blacklisted']);
export const MANUAL_REDIAL_STATUSES = NUMBER_STATUSES.filter((s) => !NOT_MANUALLY_REDIALABLE.has(s));

/** 启动 is offered from these (a completed task starts again after 重呼); a stopped task is over. */
export const canStart = (status: string) => status === 'not_started' || status === 'paused' || status === 'completed';

/** Why 重呼 is refused for a task in `status` (running: pause first; stopped: never), or null. */
export function redialBlock(status: string): 'redial.pauseFirst' | 'redial.stopped' | null {
  if (status === 'running') return 'redial.pauseFirst';
  if (status === 'stopped') return 'redial.stopped';
  return null;
}

/** Each redialable status with its count from the numbers facets (0 when the task has none). */
export function redialCounts(facets: readonly { code: string; count: number }[] | undefined): { code: string; count: number }[] {
  const counts = new Map((facets ?? []).map((f) => [f.code, f.count]));
  return MANUAL_REDIAL_STATUSES.map((code) => ({ code, count: counts.get(code) ?? 0 }));
}

/** How many numbers the chosen statuses hold. */
export function redialTotal(counts: readonly { code: string; count: number }[], chosen: readonly string[]): number {
  return counts.filter((c) => chosen.includes(c.code)).reduce((n, c) => n + c.count, 0);
}

export function numberStatusColor(code: string): string {
  switch (code) {
    case 'pending':
      return 'default';
    case 'calling':
      return 'processing';
    case 'answered':
      return 'success';
    case 'carrier_blocked':
    case 'vacant':
    case 'suspended':
    case 'arrears':
      return 'error';
    case 'blacklisted':
    case 'user_blocked':
      return 'purple';
    default:
      return 'warning';
  }
}

// ---- progress and rates ----

/** Whole percent of called / total, 0 when there are no numbers. */
export function progressPercent(called: number, total: number): number {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((called / total) * 100)));
}

/** "37.5%" (one decimal, trailing .0 dropped); "-" before anything was called. */
export function fmtRate(rate: number | null | undefined, called?: number): string {
  if (rate == null || Number.isNaN(rate) || called === 0) return '-';
  const pct = Math.round(Math.max(0, Math.min(1, rate)) * 1000) / 10;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

// ---- call interval ----

export const INTERVAL_PRESETS = [1, 3, 5, 10, 30, 60] as const;
export const INTERVAL_MAX = 600;
export type IntervalChoice = 'auto' | 'custom' | `${(typeof INTERVAL_PRESETS)[number]}`;

export function intervalToForm(s: number): { choice: IntervalChoice; custom: number | null } {
  if (!s) return { choice: 'auto', custom: null };
  if ((INTERVAL_PRESETS as readonly number[]).includes(s)) return { choice: String(s) as IntervalChoice, custom: null };
  return { choice: 'custom', custom: s };
}

export function intervalFromForm(v: { choice: IntervalChoice; custom?: number | null }): number {
  if (v.choice === 'auto') return 0;
  if (v.choice === 'custom') return Math.max(0, Math.min(INTERVAL_MAX, Math.round(v.custom ?? 0)));
  return Number(v.choice);
}

// ---- the form ----

export interface TaskFormValues {
  name: string;
  tags: string[];
  alias: string;
  kind: TaskKind;
  dialog: {
    mode: 'unified' | 'by_time';
    script_id?: number | null;
    ranges: { time?: TimeRange | null; script_id?: number | null }[];
    fallback_script_id?: number | null;
  };
  llm_robot_id?: number | null;
  quality_condition_id?: number | null;
  line_id?: number | null;
  blacklist_on: boolean;
  blacklist_group_ids: number[];
  valid: [Dayjs, Dayjs] | null;
  schedule: { template_id: string | null; days: WeekDays };
  skip_holidays: boolean;
  forbidden: { range?: [Dayjs, Dayjs] | null }[];
  interval: { choice: IntervalChoice; custom?: number | null };
  concurrency: number;
  end_action: EndAction;
  transfer: { enabled: boolean; pause_when_busy: boolean; predictive: boolean; busy_to_ai: boolean };
  quota: { on: boolean; daily_connected_limit?: number | null };
  retry: { statuses: string[]; max_attempts: number; interval_minutes: number };
}

/** Local date-time without zone, as the contract's `forbidden` wants. */
export const LOCAL_DT = 'YYYY-MM-DDTHH:mm:ss';

/** The form's values from a TaskRequest (the defaults, or a task being edited). */
export function taskFormValues(r: TaskRequest): TaskFormValues {
  const d = r.dialog;
  return {
    name: r.name ?? '',
    tags: [...(r.tags ?? [])],
    alias: r.alias ?? '',
    kind: r.kind ?? 'script',
    dialog:
      d?.mode === 'by_time'
        ? {
            mode: 'by_time',
            script_id: undefined,
            ranges: d.ranges.map((x) => ({ time: [x.start, x.end] as TimeRange, script_id: x.script_id ?? undefined })),
            fallback_script_id: d.fallback_script_id ?? undefined,
          }
        : { mode: 'unified', script_id: d?.script_id ?? undefined, ranges: [], fallback_script_id: undefined },
    llm_robot_id: r.llm_robot_id ?? undefined,
    quality_condition_id: r.quality_condition_id ?? undefined,
    line_id: r.line_id ?? undefined,
    blacklist_on: (r.blacklist_group_ids ?? []).length > 0,
    blacklist_group_ids: [...(r.blacklist_group_ids ?? [])],
    valid: r.valid_from && r.valid_until ? [dayjs(r.valid_from), dayjs(r.valid_until)] : null,
    schedule: { template_id: r.schedule?.template_id ?? null, days: sortedWeek(r.schedule?.days) },
    skip_holidays: !!r.skip_holidays,
    forbidden: (r.forbidden ?? []).map((f) => ({ range: [dayjs(f.start), dayjs(f.end)] as [Dayjs, Dayjs] })),
    interval: intervalToForm(r.call_interval_s ?? 0),
    concurrency: r.concurrency ?? 1,
    end_action: r.end_action ?? 'pause_release',
    transfer: {
      enabled: !!r.transfer?.enabled,
      pause_when_busy: !!r.transfer?.pause_when_busy,
      predictive: !!r.transfer?.predictive,
      busy_to_ai: !!r.transfer?.busy_to_ai,
    },
    quota: { on: r.quota?.daily_connected_limit != null, daily_connected_limit: r.quota?.daily_connected_limit ?? undefined },
    retry: {
      statuses: [...(r.retry?.statuses ?? [])],
      max_attempts: r.retry?.max_attempts ?? 1,
      interval_minutes: r.retry?.interval_minutes ?? 0,
    },
  };
}

/** The POST/PUT body from the form's values. */
export function taskRequest(v: TaskFormValues): TaskRequest {
  let dialog: TaskDialog;
  if (v.dialog.mode === 'by_time') {
    dialog = {
      mode: 'by_time',
      ranges: (v.dialog.ranges ?? []).map((x) => ({ start: x.time?.[0] ?? '', end: x.time?.[1] ?? '', script_id: x.script_id ?? null })),
      fallback_script_id: v.dialog.fallback_script_id ?? null,
    };
  } else {
    dialog = { mode: 'unified', script_id: v.dialog.script_id ?? null };
  }
  const transfer = v.transfer.enabled ? { ...v.transfer } : { enabled: false, pause_when_busy: false, predictive: false, busy_to_ai: false };
  if (!transfer.predictive) transfer.busy_to_ai = false;
  return {
    name: v.name.trim(),
    tags: Array.from(new Set((v.tags ?? []).map((t) => t.trim()).filter(Boolean))),
    alias: (v.alias ?? '').trim(),
    kind: v.kind,
    dialog,
    llm_robot_id: v.kind === 'llm' ? (v.llm_robot_id ?? null) : null,
    quality_condition_id: v.quality_condition_id ?? null,
    line_id: v.line_id ?? null,
    blacklist_group_ids: v.blacklist_on ? [...(v.blacklist_group_ids ?? [])] : [],
    valid_from: v.valid?.[0]?.toISOString() ?? '',
    valid_until: v.valid?.[1]?.toISOString() ?? '',
    schedule: { template_id: v.schedule.template_id ?? null, days: sortedWeek(v.schedule.days) },
    skip_holidays: !!v.skip_holidays,
    forbidden: (v.forbidden ?? [])
      .filter((f) => f.range?.[0] && f.range?.[1])
      .map((f) => ({ start: f.range![0].format(LOCAL_DT), end: f.range![1].format(LOCAL_DT) })),
    call_interval_s: intervalFromForm(v.interval),
    concurrency: v.concurrency,
    end_action: v.end_action,
    transfer,
    quota: { daily_connected_limit: v.quota.on && v.quota.daily_connected_limit != null ? v.quota.daily_connected_limit : null },
    retry: { statuses: [...(v.retry.statuses ?? [])], max_attempts: v.retry.max_attempts, interval_minutes: v.retry.interval_minutes },
  };
}

/** "张三2026-05-20 (10:06)", as the seed names a new task. */
export function defaultTaskName(userName: string, now: Dayjs = dayjs()): string {
  return `${userName}${now.format('YYYY-MM-DD (HH:mm)')}`;
}

export type FormPath = (string | number)[];

/**
 * The form item a server 422 `field` belongs to: `name`, `dialog.ranges[1].script_id`,
 * `valid_until`, `schedule.days.mon`, `forbidden[0].end`, `call_interval_s`, `retry.max_attempts`…
 * Undefined when the field is not on the form.
 */
export function taskFieldOf(field: string | undefined): FormPath | undefined {
  if (!field) return undefined;
  const parts: FormPath = field
    .replace(/\[(\d+)]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const [head, ...rest] = parts;
  switch (head) {
    case 'name':
    case 'tags':
    case 'alias':
    case 'kind':
    case 'llm_robot_id':
    case 'quality_condition_id':
    case 'line_id':
    case 'blacklist_group_ids':
    case 'skip_holidays':
    case 'concurrency':
    case 'end_action':
      return [head];
    case 'valid_from':
    case 'valid_until':
    case 'valid':
      return ['valid'];
    case 'call_interval_s':
      return ['interval', 'custom'];
    case 'schedule':
      return ['schedule', 'days'];
    case 'forbidden':
      return typeof rest[0] === 'number' ? ['forbidden', rest[0], 'range'] : undefined;
    case 'dialog': {
      const [k, i, sub] = rest;
      if (k === 'ranges' && typeof i === 'number') return ['dialog', 'ranges', i, sub === 'script_id' ? 'script_id' : 'time'];
      if (k === 'ranges') return undefined;
      if (k === 'script_id' || k === 'fallback_script_id' || k === 'mode') return ['dialog', k];
      return ['dialog', 'script_id'];
    }
    case 'transfer':
      return ['transfer', typeof rest[0] === 'string' ? rest[0] : 'enabled'];
    case 'quota':
      return ['quota', 'daily_connected_limit'];
    case 'retry':
      return typeof rest[0] === 'string' ? ['retry', rest[0]] : ['retry', 'statuses'];
    default:
      return undefined;
  }
}

// ---- the numbers import ----

export const NUMBERS_IMPORT_MAX_BYTES = 50 * 1024 * 1024;
export const NUMBERS_IMPORT_MAX_ROWS = 250_000;

/** Client-side check of a numbers file: .xlsx or .csv, at most 50 MB. */
export function checkNumbersFile(file: { name: string; size: number }): 'taskImport.badExt' | 'taskImport.tooLarge' | null {
  const bad = checkSheetFile(file, NUMBERS_IMPORT_MAX_BYTES);
  return bad && `taskImport.${bad}`;
}

/** Query params of a dayjs range filter (ISO strings), empty when unset. */
export function rangeParams(range: [Dayjs | null, Dayjs | null] | null | undefined, from: string, to: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (range?.[0]) out[from] = range[0].toISOString();
  if (range?.[1]) out[to] = range[1].toISOString();
  return out;
}

// ---- concurrency ----

/** How a wanted concurrency fits its line: within what is free now, beyond what running
 *  tasks leave free (starting will be refused with 并发不足, TASK-2), or beyond the line. */
export type ConcurrencyFit = { kind: 'fits' | 'overFree' | 'overLine'; free: number; max: number };

export function concurrencyFit(line: { max_concurrency: number; in_use: number }, wanted: number | null | undefined): ConcurrencyFit {
  const max = line.max_concurrency;
  const free = Math.max(0, max - line.in_use);
  const n = wanted ?? 0;
  if (n > max) return { kind: 'overLine', free, max };
  if (n > free) return { kind: 'overFree', free, max };
  return { kind: 'fits', free, max };
}
