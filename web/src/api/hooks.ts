import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, qs } from './client';
import type {
  Department,
  Me,
  MemberMe,
  NotificationPage,
  PermissionGroup,
  PermissionMenu,
} from './types';

export const ME_KEY = ['me'] as const;

/** GET /api/me; null when not signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/api/me', { skipAuthRedirect: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000 });
}

/** The signed-in member (only call below a route guard that ensures it). */
export function useMember(): MemberMe {
  const { data } = useMe();
  if (!data || data.kind !== 'member') throw new Error('not a member session');
  return data;
}

export function setMe(qc: QueryClient, me: Me | null) {
  qc.setQueryData(ME_KEY, me);
}

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: () => api.get<Department[]>('/api/departments'),
    enabled,
  });
}

export function usePermissionGroups(enabled = true) {
  return useQuery({
    queryKey: ['permission-groups'],
    queryFn: () => api.get<PermissionGroup[]>('/api/permission-groups'),
    enabled,
  });
}

export function usePermissionCatalog() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => api.get<PermissionMenu[]>('/api/permissions'),
    staleTime: Infinity,
  });
}

export function useUnreadCount() {
  return useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<NotificationPage>(`/api/notifications${qs({ page: 1, page_size: 1 })}`),
    select: (d) => d.unread,
    refetchInterval: 60_000,
  });
}

export function useInvalidate() {
  const qc = useQueryClient();
  return (...keys: string[]) => Promise.all(keys.map((k) => qc.invalidateQueries({ queryKey: [k] })));
}
