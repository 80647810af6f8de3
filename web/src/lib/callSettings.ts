// Pure helpers of 呼叫设置: the timing fields and their ranges, model form values,
// quality-check levels and previews.
import type { CallTiming, LlmModel, LlmModelBody } from '../api/callCenter';

export type TimingKey = keyof CallTiming;

export interface TimingField {
  key: TimingKey;
  min: number;
  max: number;
  unit: 'ms' | 's';
}

/** The call timing fields in display order, with the API's ranges. */
export const TIMING_FIELDS: readonly TimingField[] = [
  { key: 'barge_in_ms', min: 100, max: 5000, unit: 'ms' },
  { key: 'max_pause_ms', min: 200, max: 5000, unit: 'ms' },
  { key: 'silence_timeout_ms', min: 1000, max: 30000, unit: 'ms' },
  { key: 'max_call_seconds', min: 30, max: 3600, unit: 's' },
  { key: 'ring_timeout_seconds', min: 10, max: 120, unit: 's' },
];

/** True when `v` is a whole number inside the field's range. */
export function inRange(f: Pick<TimingField, 'min' | 'max'>, v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= f.min && v <= f.max;
}

/**
 * The form field an API VALIDATION error belongs to: the server may name it
 * `max_pause_ms` or `timing.max_pause_ms`. Undefined when it is no timing field.
 */
export function timingFieldOf(field: string | undefined): TimingKey | undefined {
  if (!field) return undefined;
  const k = field.replace(/^timing[.[]/, '').replace(/]$/, '');
  return TIMING_FIELDS.some((f) => f.key === k) ? (k as TimingKey) : undefined;
}

/** Same for the model form (name, base_url, model, api_key, timeout_ms, max_retries). */
export const MODEL_FIELDS = ['name', 'base_url', 'model', 'api_key', 'timeout_ms', 'max_retries'] as const;
export type ModelField = (typeof MODEL_FIELDS)[number];
export function modelFieldOf(field: string | undefined): ModelField | undefined {
  return MODEL_FIELDS.find((f) => f === field);
}

export const MODEL_DEFAULTS = { timeout_ms: 8000, max_retries: 1 };

export interface ModelFormValues {
  name: string;
  base_url: string;
  model: string;
  api_key?: string;
  timeout_ms?: number | null;
  max_retries?: number | null;
}

/** The request body from the model form; on edit an empty key keeps the saved one (null). */
export function modelBody(v: ModelFormValues, editing: boolean): LlmModelBody {
  const key = v.api_key?.trim() ?? '';
  return {
    name: v.name.trim(),
    base_url: v.base_url.trim(),
    model: v.model.trim(),
    api_key: editing && key === '' ? null : key,
    timeout_ms: v.timeout_ms ?? MODEL_DEFAULTS.timeout_ms,
    max_retries: v.max_retries ?? MODEL_DEFAULTS.max_retries,
  };
}

/** The form's start values: the model being edited (never its key) or the defaults. */
export function modelFormValues(m: LlmModel | null): ModelFormValues {
  if (!m) return { name: '', base_url: '', model: '', api_key: '', ...MODEL_DEFAULTS };
  return { name: m.name, base_url: m.base_url, model: m.model, api_key: '', timeout_ms: m.timeout_ms, max_retries: m.max_retries };
}

/** True for an http(s) URL (the server's base_url rule). */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.host;
  } catch {
    return false;
  }
}

export const LEVEL_CODES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** The API's level labels (also in GET /api/grading-rules → levels). */
export const DEFAULT_LEVELS: { level: string; label: string }[] = [
  { level: 'A', label: 'A级(较强意向)' },
  { level: 'B', label: 'B级(有意向)' },
  { level: 'C', label: 'C级(无意向)' },
  { level: 'D', label: 'D级(明确拒绝)' },
  { level: 'E', label: 'E级(无效沟通)' },
  { level: 'F', label: 'F级(未交流)' },
];

export const LEVEL_COLOR: Record<string, string> = { A: 'red', B: 'orange', C: 'blue', D: 'purple', E: 'default', F: 'default' };

/** Levels sorted A→F without duplicates or unknown codes. */
export function sortLevels(levels: readonly string[]): string[] {
  return LEVEL_CODES.filter((l) => levels.includes(l));
}

/** The label of a level from the list (falls back to the code). */
export function levelLabel(levels: readonly { level: string; label: string }[], code: string): string {
  return levels.find((l) => l.level === code)?.label ?? code;
}

/** The first line(s) of the criteria, shortened to `max` characters with an ellipsis. */
export function preview(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
