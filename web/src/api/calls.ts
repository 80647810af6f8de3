// Types and hooks of a task's calls (通话记录, the call detail drawer) and of its live view
// (GET /api/tasks/{id}/live, an EventSource of `snapshot` events).
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Page, Schema } from './types';
import { TASKS_KEY, taskPath, type TaskSummary } from './tasks';

/** `claimed` and `dialing` are 呼叫中, `answered` 通话中; only `ended` calls have a status. */
export type CallState = 'claimed' | 'dialing' | 'answered' | 'ended';
/** `system`: nobody hung up because the call was never answered. */
export type HangupBy = 'robot' | 'customer' | 'network' | 'system' | '';

export type CallSummary = Schema['CallSummary'] & { hangup_by: HangupBy; state: CallState };

export type TimelineKind = 'dial' | 'ringing' | 'early_media' | 'answered' | 'ended';

/** Hand-written: the schema's TurnView leaves the stored turn (domain's Turn) an open object. */
export interface TranscriptLine {
  speaker: 'robot' | 'customer';
  text: string;
  /** ms since the answer */
  start_ms: number;
  end_ms: number;
  interrupted?: boolean;
  intent?: string;
  /** The intent's name (e.g. 询问价格), from the server. */
  intent_name?: string;
  knowledge?: string;
  /** The knowledge entry's question, from the server. */
  knowledge_question?: string;
  node?: string;
}

/** A timeline entry. Hand-written: the schema leaves the entries open objects. */
export interface TimelineEntry {
  /** ms since the dial */
  at_ms: number;
  kind: TimelineKind;
  /** Left out when empty. */
  detail?: string;
}

export type CallDetail = Omit<Schema['CallDetail'], 'hangup_by' | 'state' | 'timeline' | 'transcript'> &
  Pick<CallSummary, 'hangup_by' | 'state'> & {
    timeline: TimelineEntry[];
    transcript: TranscriptLine[];
  };

/** Hand-written, as LiveSnapshot. */
export interface LiveCall {
  call_id: number;
  phone: string;
  /** Empty when the number has none. */
  name: string;
  state: CallState;
  dialed_at: string | null;
  answered_at: string | null;
}

/** A `snapshot` event of GET /api/tasks/{id}/live. Hand-written: an event stream's data is not described. */
export interface LiveSnapshot {
  /** The task's summary, as in the task list. */
  task: Pick<
    TaskSummary,
    'id' | 'status' | 'status_label' | 'idle_reason' | 'total_numbers' | 'called_numbers' | 'connected_numbers' | 'connect_rate'
  >;
  in_progress: LiveCall[];
  finished_today: number;
  answered_today: number;
  /** null when the server leaves it out. */
  balance: { balance_mfen: number; available_mfen: number } | null;
}

/** Query keys sit under TASKS_KEY so that the task pages' 刷新 refreshes them too. */
export const callsKey = (taskId: string | number) => [TASKS_KEY, 'calls', String(taskId)] as const;
export const CALL_KEY = 'call';

export function useTaskCalls(taskId: string | number, filters: CallFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...callsKey(taskId), filters, page, pageSize],
    queryFn: () => api.get<Page<CallSummary>>(`${taskPath(taskId)}/calls${qs({ ...filters, page, page_size: pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

/** One call; polled every 2 s while it is in progress or not yet graded. */
export function useCall(id: number | null) {
  return useQuery({
    queryKey: [CALL_KEY, id],
    queryFn: () => api.get<CallDetail>(`/api/calls/${id}`),
    enabled: id != null,
    refetchInterval: (q) => {
      const c = q.state.data;
      return c && (c.state !== 'ended' || (c.status === 'answered' && !c.grade)) ? 2000 : false;
    },
  });
}

/** useTaskLive's result (client-only). */
export interface TaskLive {
  snapshot: LiveSnapshot | null;
  /** True while the stream delivers snapshots (false before the first and after an error). */
  connected: boolean;
}

/** The task's live snapshots while the calling component is mounted; the stream is closed on unmount. */
export function useTaskLive(taskId: string | number): TaskLive {
  const [live, setLive] = useState<TaskLive>({ snapshot: null, connected: false });
  useEffect(() => {
    setLive({ snapshot: null, connected: false });
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(`${taskPath(taskId)}/live`, { withCredentials: true });
    const onSnapshot = (ev: MessageEvent<string>) => {
      const snapshot = parseSnapshot(ev.data);
      if (snapshot) setLive({ snapshot, connected: true });
    };
    // EventSource reconnects by itself after a dropped connection; the view shows it meanwhile.
    const onError = () => setLive((l) => (l.connected ? { ...l, connected: false } : l));
    es.addEventListener('snapshot', onSnapshot as EventListener);
    es.addEventListener('error', onError);
    return () => {
      es.removeEventListener('snapshot', onSnapshot as EventListener);
      es.removeEventListener('error', onError);
      es.close();
    };
  }, [taskId]);
  return live;
}

/** The 通话记录 filters as query parameters. Hand-written: operations' parameters cannot be looked up (see NumberFilters). */
export interface CallFilters {
  from?: string;
  to?: string;
  /** "A,B" */
  grades?: string;
  /** "answered,no_answer" */
  statuses?: string;
  min_duration?: number;
  max_duration?: number;
}

/** A live `snapshot` event's data, or null when it is not one. */
export function parseSnapshot(data: string): LiveSnapshot | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  const s = v as Partial<LiveSnapshot> | null;
  if (!s || typeof s !== 'object' || !s.task || typeof s.task !== 'object') return null;
  return {
    task: s.task,
    in_progress: Array.isArray(s.in_progress) ? s.in_progress : [],
    finished_today: s.finished_today ?? 0,
    answered_today: s.answered_today ?? 0,
    balance: s.balance ?? null,
  };
}
