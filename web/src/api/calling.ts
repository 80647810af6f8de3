// Types and query hooks of calling resources: balance, lines, blacklist, call-time templates
// and the holiday calendar; and the bills.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Page, Schema } from './types';
import type { HolidayDay, WeekDays } from '../lib/callTime';

// ---- Balance ----

export type Balance = Schema['BalanceView'];

export const BALANCE_KEY = 'balance';

export function useBalance() {
  return useQuery({ queryKey: [BALANCE_KEY], queryFn: () => api.get<Balance>('/api/balance'), retry: false });
}

/** PUT /api/operator/companies/{id}/balance */
export type BalanceUpdate = Schema['BalanceRequest'];

// ---- Lines ----

export type LineStatus = 'active' | 'disabled';

export type CompanyLine = Schema['LineView'] & { kind: 'sip' | 'simulated'; status: LineStatus };

export type Transport = 'udp' | 'tcp' | 'tls';
export const TRANSPORTS: Transport[] = ['udp', 'tcp', 'tls'];
export const CODECS = ['PCMA', 'PCMU'] as const;

export type OperatorLine = Schema['OperatorLineView'] & { transport: Transport; status: LineStatus };

export type OperatorLineBody = Schema['LineRequest'] & { transport: Transport; status?: LineStatus | null };

export const LINES_KEY = 'lines';
export const OPERATOR_LINES_KEY = ['operator', 'lines'] as const;

export function useLines() {
  return useQuery({ queryKey: [LINES_KEY], queryFn: () => api.get<CompanyLine[]>('/api/lines') });
}

export function useOperatorLines() {
  return useQuery({ queryKey: OPERATOR_LINES_KEY, queryFn: () => api.get<OperatorLine[]>('/api/operator/lines') });
}

// ---- Blacklist ----

export type BlacklistGroup = Schema['BlacklistGroupView'];

export type BlacklistEntry = Schema['EntryView'];

/** The filter of the list, the export, and delete / move with 全选. */
export type BlacklistFilter = Schema['Filter'] & {
  /** The server's default is true: always sent. */
  include_expired: boolean;
};

/** useBlacklist's query parameters: the filter and the page (client-only). */
export interface BlacklistQuery extends BlacklistFilter {
  page: number;
  page_size: number;
}

export type BlacklistImportResult = Schema['BlacklistImportResult'];

export const BLACKLIST_KEY = 'blacklist';

export function useBlacklistGroups() {
  return useQuery({ queryKey: [BLACKLIST_KEY, 'groups'], queryFn: () => api.get<BlacklistGroup[]>('/api/blacklist/groups') });
}

export function useBlacklist(q: BlacklistQuery) {
  return useQuery({
    queryKey: [BLACKLIST_KEY, 'list', q],
    queryFn: () => api.get<Page<BlacklistEntry>>(`/api/blacklist${qs({ ...q })}`),
    placeholderData: keepPreviousData,
  });
}

export function blacklistExportUrl(f: BlacklistFilter): string {
  return `/api/blacklist/export${qs({ ...f })}`;
}

// ---- Call-time templates and holidays ----

/** The schema leaves `days` an open object. */
export type CallTimeTemplate = Omit<Schema['TemplateView'], 'days'> & { days: WeekDays };

/** The schema leaves the days open objects. */
export type HolidayYear = Omit<Schema['HolidayYear'], 'days'> & { days: HolidayDay[] };

export const CALL_TIME_KEY = 'call-time-templates';
export const HOLIDAYS_KEY = 'holidays';

export function useCallTimeTemplates() {
  return useQuery({ queryKey: [CALL_TIME_KEY], queryFn: () => api.get<CallTimeTemplate[]>('/api/call-time-templates') });
}

export function useHolidays(year: number) {
  return useQuery({ queryKey: [HOLIDAYS_KEY, year], queryFn: () => api.get<HolidayYear>(`/api/holidays${qs({ year })}`) });
}

// ---- Bills (我的账单) ----

/** A charge: every one is a call's so far. */
export type Bill = Schema['Page_BillView']['items'][number] & { kind: 'call' };

export type BillPage = Omit<Schema['BillPage'], 'items'> & { items: Bill[] };

export const BILLS_KEY = 'bills';

export function useBills(filter: BillFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [BILLS_KEY, 'list', filter, page, pageSize],
    queryFn: () => api.get<BillPage>(`/api/bills${qs({ ...filter, page, page_size: pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

/** The filter of GET /api/bills and of POST /api/bills/export. */
export type BillFilter = Schema['BillFilter'];
