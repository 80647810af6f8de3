import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { AppNotification, NotificationPage } from '../api/types';
import { isFinished, nextPopup, patchNotificationCache } from './useNotificationStream';

const n = (id: number, status: AppNotification['status'], progress = 0): AppNotification => ({
  id,
  kind: 'member_import',
  title: '子账户导入',
  status,
  progress,
  total: 3,
  success_count: 0,
  fail_count: 0,
  error: null,
  result_file_url: null,
  read: false,
  created_at: '2026-01-01T00:00:00Z',
  finished_at: null,
});

describe('notification stream cache updates', () => {
  it('replaces the notification in every cached list page and returns the old one', () => {
    const qc = new QueryClient();
    const key = ['notifications', 'list', { page: 1, pageSize: 20 }];
    qc.setQueryData<NotificationPage>(key, { items: [n(1, 'running', 10), n(2, 'queued')], total: 2, unread: 2 });
    const prev = patchNotificationCache(qc, { ...n(1, 'succeeded', 100), success_count: 2, fail_count: 1 });
    expect(prev?.status).toBe('running');
    const page = qc.getQueryData<NotificationPage>(key)!;
    expect(page.items[0]).toMatchObject({ id: 1, status: 'succeeded', progress: 100, success_count: 2, fail_count: 1 });
    expect(page.items[1].status).toBe('queued');
  });

  it('returns undefined for a notification not in the cache', () => {
    const qc = new QueryClient();
    expect(patchNotificationCache(qc, n(9, 'queued'))).toBeUndefined();
  });

  it('knows finished states', () => {
    expect(isFinished('succeeded')).toBe(true);
    expect(isFinished('failed')).toBe(true);
    expect(isFinished('running')).toBe(false);
  });

  it('shows the newest finished job and counts the ones it replaced', () => {
    const first = nextPopup(null, n(1, 'succeeded'));
    expect(first).toEqual({ notification: n(1, 'succeeded'), others: 0 });
    const second = nextPopup(first, n(2, 'failed'));
    expect(second.notification.id).toBe(2);
    expect(second.others).toBe(1);
    expect(nextPopup(null, n(3, 'succeeded')).others).toBe(0);
  });
});
