// Types and query hooks of 呼叫中台 → AI呼叫2.0 (calling tasks, their numbers, task templates),
// plus the lists the task form picks from (lines, blacklist groups, call-time templates).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Page, Schema } from './types';

import type { TimeRangeText, WeekDays } from '../lib/callTime';
import { useLines, type BlacklistGroup, type CompanyLine } from './calling';

export type { Weekday as DayKey, WeekDays } from '../lib/callTime';
/** A time range of a day, local "HH:mm" strings: ["09:00", "12:00"]. */
export type TimeRange = TimeRangeText;

export type TaskKind = 'script' | 'llm';
export type TaskStatus = 'not_started' | 'running' | 'paused' | 'completed' | 'stopped';
export type EndAction = 'pause_release' | 'none';

export type TaskDialog =
  | { mode: 'unified'; script_id: number | null }
  | { mode: 'by_time'; ranges: { start: string; end: string; script_id: number | null }[]; fallback_script_id: number | null };

/** The task form (POST/PUT /api/tasks, GET /api/tasks/defaults). Hand-written: the schema
 * leaves every field but `name` an open object (the server's TaskSettings is not described). */
export interface TaskRequest {
  name: string;
  tags: string[];
  alias: string;
  kind: TaskKind;
  dialog: TaskDialog;
  llm_robot_id: number | null;
  quality_condition_id: number | null;
  line_id: number | null;
  blacklist_group_ids: number[];
  valid_from: string;
  valid_until: string;
  schedule: { template_id: string | null; days: WeekDays };
  skip_holidays: boolean;
  /** Local date-times "2026-12-24T00:00:00". */
  forbidden: { start: string; end: string }[];
  /** 0 = auto. */
  call_interval_s: number;
  concurrency: number;
  end_action: EndAction;
  transfer: { enabled: boolean; pause_when_busy: boolean; predictive: boolean; busy_to_ai: boolean };
  quota: { daily_connected_limit: number | null };
  retry: { statuses: string[]; max_attempts: number; interval_minutes: number };
}

export type TaskSummary = Schema['TaskSummary'] & { kind: TaskKind; status: TaskStatus };

/** GET /api/tasks/{id} read as one object: the summary, the form's fields beside it, and the names. */
export type TaskDetail = TaskSummary & TaskRequest & Pick<Schema['TaskDetail'], 'script_name' | 'llm_robot_name'>;

/** An entry of a CONCURRENCY error's `holders`. Hand-written: error details are not described. */
export interface ConcurrencyHolder {
  /** null for another company's task on a shared line (its name is not shown either). */
  task_id: number | null;
  name: string;
  concurrency: number;
}

export type BulkFailure = Schema['Refusal'];

export type BulkResult = Schema['BulkResult'];

/** POST /api/tasks/delete: all or nothing (a running task refuses the whole call with a 409). */
export type DeleteResult = Schema['TasksDeleted'];

/** POST /api/tasks/{id}/redial: how many numbers were queued again. */
export type RedialResult = Schema['RedialResult'];

export type TaskTemplate = Schema['TemplateSummary'];

export type TaskNumber = Schema['NumberView'];

export type NumberFacets = Schema['Facets'];

/** Query parameters of GET /api/tasks/{id}/numbers. Hand-written: the schema names operations
 * ambiguously (every list is `list`), so their parameters cannot be looked up. */
export interface NumberFilters {
  phone?: string;
  status?: string;
  province?: string;
  city?: string;
  carrier?: string;
  created_from?: string;
  created_to?: string;
  called_from?: string;
  called_to?: string;
}

/** A line the company may call on (GET /api/lines). */
export type CallLine = CompanyLine;

export type BlacklistGroupRef = BlacklistGroup;

export type { CallTimeTemplate } from './calling';

export const TASKS_KEY = 'tasks';
export const TASKS_PATH = '/call-center/tasks';
export const taskPath = (id: number | string) => `/api/tasks/${id}`;

/** useTasks' parameters (client-only). */
export interface TaskListParams {
  status?: string;
  q?: string;
  owner?: 'all' | 'mine';
  page: number;
  page_size: number;
}

/** The task list; polled every 5 s while one of the shown tasks is running. */
export function useTasks(p: TaskListParams) {
  return useQuery({
    queryKey: [TASKS_KEY, 'list', p],
    queryFn: () =>
      api.get<Page<TaskSummary>>(
        `/api/tasks${qs({ status: p.status, q: p.q, owner: p.owner === 'mine' ? 'mine' : undefined, page: p.page, page_size: p.page_size })}`,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((t) => t.status === 'running') ? 5000 : false),
  });
}

/** The server sends the form's fields under `settings` (an open object in the schema); the console reads them beside the summary. */
type TaskDetailResponse = Omit<Schema['TaskDetail'], 'settings' | 'kind' | 'status'> & Pick<TaskSummary, 'kind' | 'status'> & { settings: Omit<TaskRequest, 'name'> };

export function useTask(id: string | undefined, poll = false) {
  return useQuery({
    queryKey: [TASKS_KEY, 'detail', id],
    queryFn: async (): Promise<TaskDetail> => {
      const { settings, ...rest } = await api.get<TaskDetailResponse>(taskPath(id!));
      return { ...settings, ...rest };
    },
    enabled: !!id,
    refetchInterval: poll ? (q) => (q.state.data?.status === 'running' ? 5000 : false) : false,
  });
}

export function useTaskDefaults(enabled = true) {
  return useQuery({
    queryKey: [TASKS_KEY, 'defaults'],
    queryFn: () => api.get<TaskRequest>('/api/tasks/defaults'),
    enabled,
    staleTime: 0,
    gcTime: 0,
  });
}

export function useTaskTemplates(enabled = true) {
  return useQuery({ queryKey: ['task-templates'], queryFn: () => api.get<TaskTemplate[]>('/api/task-templates'), enabled });
}

export function useTaskNumbers(id: string | number, filters: NumberFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [TASKS_KEY, 'numbers', String(id), filters, page, pageSize],
    queryFn: () => api.get<Page<TaskNumber>>(`${taskPath(id)}/numbers${qs({ ...filters, page, page_size: pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

export function useNumberFacets(id: string | number) {
  return useQuery({
    queryKey: [TASKS_KEY, 'facets', String(id)],
    queryFn: () => api.get<NumberFacets>(`${taskPath(id)}/numbers/facets`),
  });
}

/** The company's lines, for the task form (the 线路 page's query). */
export const useCallLines = useLines;

/** The task form's lists are the 黑名单 and 呼叫时间 pages' queries. */
export { useBlacklistGroups as useBlacklistGroupRefs, useCallTimeTemplates } from './calling';
