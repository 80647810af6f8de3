import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AppNotification, MemberMe, NotificationPage } from '../api/types';
import { TASKS_KEY } from '../api/tasks';

export const isFinished = (s: AppNotification['status']) => s === 'succeeded' || s === 'failed';

/** Replaces the notification in every cached list page; returns its previous version if cached. */
export function patchNotificationCache(qc: QueryClient, n: AppNotification): AppNotification | undefined {
  let previous: AppNotification | undefined;
  for (const [, page] of qc.getQueriesData<NotificationPage>({ queryKey: ['notifications', 'list'] })) {
    const hit = page?.items.find((i) => i.id === n.id);
    if (hit) previous = hit;
  }
  qc.setQueriesData<NotificationPage>({ queryKey: ['notifications', 'list'] }, (old) =>
    old ? { ...old, items: old.items.map((i) => (i.id === n.id ? { ...i, ...n } : i)) } : old,
  );
  return previous;
}

/** How long a pop-up stays when the pointer is not on it. */
export const POPUP_MS = 6000;

/** The pop-up (弹屏提醒) of the newest finished job, and how many others finished meanwhile. */
export interface JobPopupState {
  notification: AppNotification;
  others: number;
}

/** The pop-up after `n` finished, while `shown` (or nothing) was on screen. */
export const nextPopup = (shown: JobPopupState | null, n: AppNotification): JobPopupState => ({
  notification: n,
  others: shown ? shown.others + 1 : 0,
});

/**
 * One EventSource on /api/notifications/stream for the signed-in member. Each
 * `notification` event updates the TanStack Query cache; when a job finishes and the
 * member has 弹屏提醒 on, it becomes the pop-up the header shows (see JobPopup).
 */
export function useNotificationStream(me: MemberMe): { popup: JobPopupState | null; dismiss: () => void } {
  const qc = useQueryClient();
  const [popup, setPopup] = useState<JobPopupState | null>(null);
  const dismiss = useCallback(() => setPopup(null), []);
  const seen = useRef(new Map<number, AppNotification['status']>());
  const popped = useRef(new Set<number>());
  const enabled = useRef(me.popup_enabled);
  enabled.current = me.popup_enabled;

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/notifications/stream', { withCredentials: true });
    const onEvent = (ev: MessageEvent<string>) => {
      let n: AppNotification;
      try {
        n = JSON.parse(ev.data) as AppNotification;
      } catch {
        return;
      }
      if (!n || typeof n.id !== 'number') return;
      const cached = patchNotificationCache(qc, n);
      const before = seen.current.get(n.id) ?? cached?.status;
      seen.current.set(n.id, n.status);
      if (!cached || before !== n.status) {
        // New notification or a status change: refresh lists and the unread badge.
        void qc.invalidateQueries({ queryKey: ['notifications'] });
      }
      if (isFinished(n.status) && before !== n.status && !popped.current.has(n.id)) {
        popped.current.add(n.id);
        if (n.kind === 'member_import') void qc.invalidateQueries({ queryKey: ['members'] });
        // The task list's progress and the 电话号码 tab count the new numbers.
        if (n.kind === 'number_import') void qc.invalidateQueries({ queryKey: [TASKS_KEY] });
        if (!enabled.current) return;
        setPopup((shown) => nextPopup(shown, n));
      }
    };
    es.addEventListener('notification', onEvent as EventListener);
    return () => {
      es.removeEventListener('notification', onEvent as EventListener);
      es.close();
    };
  }, [qc, me.id]);

  return { popup, dismiss };
}
