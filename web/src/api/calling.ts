// Types and query hooks of calling resources: balance, lines, blacklist, call-time templates
// and the holiday calendar; and the bills.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from './client';
import type { Page } from './types';
import type { HolidayDay, WeekDays } from '../lib/callTime';

// ---- Balance ----

export interface Balance {
  balance_mfen: number;
  overdraft_mfen: number;
  /** balance + overdraft */
  available_mfen: number;
  exhausted: boolean;
}

export const BALANCE_KEY = 'balance';

export function useBalance() {
  return useQuery({ queryKey: [BALANCE_KEY], queryFn: () => api.get<Balance>('/api/balance'), retry: false });
}

/** PUT /api/operator/companies/{id}/balance */
export interface BalanceUpdate {
  /** May be negative, to correct a mistake. */
  top_up_mfen?: number;
  overdraft_mfen?: number;
}

// ---- Lines ----

export type LineStatus = 'active' | 'disabled';

export interface CompanyLine {
  id: number;
  name: string;
  kind: 'sip' | 'simulated';
  kind_label: string;
  max_concurrency: number;
  /** Concurrency of the company's running tasks on the line. */
  in_use: number;
  calls_per_second: number;
  price_mfen_per_minute: number;
  billing_increment_s: number;
  status: LineStatus;
}

export type Transport = 'udp' | 'tcp' | 'tls';
export const TRANSPORTS: Transport[] = ['udp', 'tcp', 'tls'];
export const CODECS = ['PCMA', 'PCMU'] as const;

export interface OperatorLine {
  id: number;
  name: string;
  address: string;
  transport: Transport;
  username: string;
  password_set: boolean;
  caller_ids: string[];
  codecs: string[];
  max_concurrency: number;
  calls_per_second: number;
  price_mfen_per_minute: number;
  billing_increment_s: number;
  status: LineStatus;
  company_ids: number[];
}

export interface OperatorLineBody {
  name: string;
  address: string;
  transport: Transport;
  username: string;
  /** null keeps the saved password (edit only). */
  password: string | null;
  caller_ids: string[];
  codecs: string[];
  max_concurrency: number;
  calls_per_second: number;
  price_mfen_per_minute: number;
  billing_increment_s: number;
  status: LineStatus;
}

export const LINES_KEY = 'lines';
export const OPERATOR_LINES_KEY = ['operator', 'lines'] as const;

export function useLines() {
  return useQuery({ queryKey: [LINES_KEY], queryFn: () => api.get<CompanyLine[]>('/api/lines') });
}

export function useOperatorLines() {
  return useQuery({ queryKey: OPERATOR_LINES_KEY, queryFn: () => api.get<OperatorLine[]>('/api/operator/lines') });
}

// ---- Blacklist ----

export interface BlacklistGroup {
  id: number;
  name: string;
  is_default: boolean;
  entry_count: number;
}

export interface BlacklistEntry {
  id: number;
  phone: string;
  group_id: number;
  group_name: string;
  note: string;
  expires_at: string | null;
  expired: boolean;
  created_at: string;
}

/** The filter of the list, the export, and delete / move with 全选. */
export interface BlacklistFilter {
  group_id?: number;
  phone?: string;
  created_from?: string;
  created_to?: string;
  /** The server's default is true: always sent. */
  include_expired: boolean;
}

export interface BlacklistQuery extends BlacklistFilter {
  page: number;
  page_size: number;
}

export interface BlacklistImportResult {
  added: number;
  skipped: number;
  errors: { row: number; reason: string }[];
}

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

export interface CallTimeTemplate {
  id: string;
  name: string;
  system: boolean;
  days: WeekDays;
}

export interface HolidayYear {
  year: number;
  days: HolidayDay[];
  /** Years with data. */
  years: number[];
  customized: boolean;
  warning: string | null;
}

export const CALL_TIME_KEY = 'call-time-templates';
export const HOLIDAYS_KEY = 'holidays';

export function useCallTimeTemplates() {
  return useQuery({ queryKey: [CALL_TIME_KEY], queryFn: () => api.get<CallTimeTemplate[]>('/api/call-time-templates') });
}

export function useHolidays(year: number) {
  return useQuery({ queryKey: [HOLIDAYS_KEY, year], queryFn: () => api.get<HolidayYear>(`/api/holidays${qs({ year })}`) });
}

// ---- Bills (我的账单) ----

export interface Bill {
  id: number;
  kind: 'call';
  task_id: number | null;
  task_name: string;
  line_name: string;
  phone: string;
  duration_seconds: number;
  billed_seconds: number;
  price_mfen_per_minute: number;
  billing_increment_s: number;
  amount_mfen: number;
  balance_after_mfen: number;
  created_at: string;
}

export interface BillPage extends Page<Bill> {
  /** The sum over the whole filter, not only the page. */
  total_amount_mfen: number;
}

export const BILLS_KEY = 'bills';

export function useBills(filter: BillFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: [BILLS_KEY, 'list', filter, page, pageSize],
    queryFn: () => api.get<BillPage>(`/api/bills${qs({ ...filter, page, page_size: pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

/** The filter of GET /api/bills and of POST /api/bills/export. */
export interface BillFilter {
  from?: string;
  to?: string;
  task_id?: number;
  phone?: string;
}
