// Types and query hooks of 呼叫中台 → 呼叫设置 (models, LLM quality check, call timing).
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Grade } from './robot';

export interface LlmModel {
  id: number;
  name: string;
  base_url: string;
  model: string;
  api_key_hint: string;
  timeout_ms: number;
  max_retries: number;
  updated_at: string;
}

export interface LlmModelBody {
  name: string;
  base_url: string;
  model: string;
  /** null or '' keeps the saved key (edit only). */
  api_key: string | null;
  timeout_ms?: number;
  max_retries?: number;
}

export interface ModelTestResult {
  reply: string;
  tokens: number;
  elapsed_ms: number;
}

export interface QualityCondition {
  id: number;
  name: string;
  model_id: number;
  levels: string[];
  criteria: string;
  enabled: boolean;
  updated_at: string;
}

export type QualityConditionBody = Omit<QualityCondition, 'id' | 'updated_at'>;

export interface QualityTestResult {
  grade: Grade;
  reason: string;
}

export interface CallTiming {
  barge_in_ms: number;
  max_pause_ms: number;
  silence_timeout_ms: number;
  max_call_seconds: number;
  ring_timeout_seconds: number;
}

export interface CallSettings {
  timing: CallTiming;
  defaults: CallTiming;
}

export const MODELS_KEY = 'llm-models';
export const CONDITIONS_KEY = 'quality-conditions';
export const CALL_SETTINGS_KEY = 'call-settings';

export function useLlmModels() {
  return useQuery({ queryKey: [MODELS_KEY], queryFn: () => api.get<LlmModel[]>('/api/llm-models') });
}

export function useQualityConditions() {
  return useQuery({ queryKey: [CONDITIONS_KEY], queryFn: () => api.get<QualityCondition[]>('/api/quality-conditions') });
}

export function useCallSettings() {
  return useQuery({ queryKey: [CALL_SETTINGS_KEY], queryFn: () => api.get<CallSettings>('/api/call-settings') });
}
