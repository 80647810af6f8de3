import { useEffect, useRef } from 'react';
import { App, Button } from 'antd';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { AppNotification, MemberMe, NotificationPage } from '../api/types';
import { useI18n } from '../i18n';
import { NOTIFICATIONS_PATH } from '../components/common';

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

/**
 * One EventSource on /api/notifications/stream for the signed-in member. Each
 * `notification` event updates the TanStack Query cache; when a job finishes and the
 * member has 弹屏提醒 on, an AntD notification pops up.
 */
export function useNotificationStream(me: MemberMe) {
  const qc = useQueryClient();
  const { notification } = App.useApp();
  const { t } = useI18n();
  const navigate = useNavigate();
  const seen = useRef(new Map<number, AppNotification['status']>());
  const popped = useRef(new Set<number>());
  const live = useRef({ popup: me.popup_enabled, t, navigate, notification });
  live.current = { popup: me.popup_enabled, t, navigate, notification };

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
      const { popup, t: tr, navigate: nav, notification: api } = live.current;
      if (isFinished(n.status) && before !== n.status && !popped.current.has(n.id)) {
        popped.current.add(n.id);
        if (n.kind === 'member_import') void qc.invalidateQueries({ queryKey: ['members'] });
        if (!popup) return;
        const ok = n.status === 'succeeded';
        const key = `notification-${n.id}`;
        api.open({
          key,
          type: ok ? 'success' : 'error',
          title: tr(ok ? 'notify.popupDone' : 'notify.popupFailed', { title: n.title }),
          description: ok
            ? tr('notify.popupCounts', { success: n.success_count, fail: n.fail_count })
            : n.error || tr('notify.popupCounts', { success: n.success_count, fail: n.fail_count }),
          actions: (
            <Button
              type="link"
              size="small"
              onClick={() => {
                api.destroy(key);
                nav(NOTIFICATIONS_PATH);
              }}
            >
              {tr('notify.viewList')}
            </Button>
          ),
          duration: 8,
        });
      }
    };
    es.addEventListener('notification', onEvent as EventListener);
    return () => {
      es.removeEventListener('notification', onEvent as EventListener);
      es.close();
    };
  }, [qc, me.id]);
}
