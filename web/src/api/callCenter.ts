// Types and query hooks of 呼叫中台 → 呼叫设置 (models, LLM quality check, call timing).
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Schema } from './types';

export type LlmModel = Schema['ModelView'];

/** `api_key` null or '' keeps the saved key (edit only). */
export type LlmModelBody = Schema['ModelRequest'];

export type ModelTestResult = Schema['TestModelResponse'];

export type QualityCondition = Schema['ConditionView'];

export type QualityConditionBody = Schema['ConditionRequest'];

export type QualityTestResult = Schema['TestConditionResponse'];

/** Hand-written: the schema leaves the timing an open object (robot's CallTiming is not described). */
export interface CallTiming {
  barge_in_ms: number;
  max_pause_ms: number;
  silence_timeout_ms: number;
  max_call_seconds: number;
  ring_timeout_seconds: number;
}

export type CallSettings = Omit<Schema['CallSettingsView'], 'timing' | 'defaults'> & { timing: CallTiming; defaults: CallTiming };

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
