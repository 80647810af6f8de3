// Types and query hooks of the AI机器人中心 API (scripts, intents, grading rules).
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Schema } from './types';

// The script JSON (a draft's `draft`) is hand-written: the schema leaves it an open object.

export type NodeType = 'say' | 'transfer' | 'hang_up';

export interface Branch {
  intent: string;
  next: string;
}

export interface ScriptNode {
  id: string;
  name: string;
  type: NodeType;
  text: string;
  audio?: string | null;
  interruptible?: boolean;
  branches?: Branch[];
  otherwise?: string | null;
  next?: string | null;
  /** User tag names applied when the node is reached (left out when empty). */
  tags?: string[];
}

export type Intent = Schema['IntentView'];

export interface KnowledgeEntry {
  id: string;
  questions: string[];
  answer: string;
}

export interface Handlers {
  silence_text: string;
  silence_retries: number;
  no_match_text: string;
  no_match_retries: number;
  give_up_text: string;
  human_node: string | null;
  stop_calling_text: string;
}

export interface Position {
  x: number;
  y: number;
}

export interface Script {
  name: string;
  start: string;
  variables: string[];
  nodes: ScriptNode[];
  intents: Intent[];
  knowledge: KnowledgeEntry[];
  handlers: Handlers;
  layout?: Record<string, Position>;
}

export type ScriptSummary = Schema['ScriptSummary'];

export type ScriptDetail = Omit<Schema['ScriptDetail'], 'draft'> & { draft: Script };

export type ChatEvent = Schema['ChatEvent'];

export type IntentHit = Schema['IntentHit'];

export type ChatTurn = Schema['ChatTurn'];

export type Grade = Schema['GradeView'];

export type ChatResult = Schema['ChatResponse'] & { ended?: null | 'robot' | 'customer' | 'transfer' };

// The grading rules' conditions are hand-written: the schema leaves the rules open objects.
export type Condition =
  | { type: 'intent_hit'; intent: string }
  | { type: 'intent_not_hit'; intent: string }
  | { type: 'node_reached'; node: string }
  | { type: 'interactions_at_least'; value: number }
  | { type: 'interactions_at_most'; value: number }
  | { type: 'duration_at_least'; seconds: number }
  | { type: 'duration_at_most'; seconds: number }
  | { type: 'ended_by'; by: 'robot' | 'customer' | 'transfer' };

export type ConditionType = Condition['type'];

export interface GradingRule {
  name: string;
  level: string;
  conditions: Condition[];
}

export type GradingRules = Omit<Schema['RulesView'], 'rules'> & { rules: GradingRule[] };

export const scriptPath = (id: number | string) => `/api/scripts/${id}`;

export type ScriptOwner = 'all' | 'mine';

/** The script list; `mine` = only the caller's (`?owner=mine`). Keys: ['scripts'] and ['scripts', 'mine']. */
export function useScripts(owner: ScriptOwner = 'all') {
  return useQuery({
    queryKey: owner === 'mine' ? ['scripts', 'mine'] : ['scripts'],
    queryFn: () => api.get<ScriptSummary[]>(`/api/scripts${owner === 'mine' ? '?owner=mine' : ''}`),
  });
}

export function useScript(id: string | undefined) {
  return useQuery({
    queryKey: ['scripts', id],
    queryFn: () => api.get<ScriptDetail>(scriptPath(id!)),
    enabled: !!id,
    staleTime: Infinity,
  });
}

export function useBuiltinIntents() {
  return useQuery({ queryKey: ['intents'], queryFn: () => api.get<Intent[]>('/api/intents'), staleTime: Infinity });
}

export function useGradingRules() {
  return useQuery({ queryKey: ['grading-rules'], queryFn: () => api.get<GradingRules>('/api/grading-rules') });
}

// ---- 用户标签 (user tag library) ----

export type UserTag = Schema['TagView'];

export type UserTagGroup = Schema['TagGroupView'];

export type UserTagLibrary = Schema['Library'];

export type UserTagImportResult = Schema['TagImportResult'];

export const USER_TAGS_KEY = 'user-tags';

export function useUserTags() {
  return useQuery({ queryKey: [USER_TAGS_KEY], queryFn: () => api.get<UserTagLibrary>('/api/user-tags') });
}

// ---- 大模型外呼 (LLM robots) ----

// The LLM robot's config is hand-written: the schema leaves it an open object.
export type LlmFallback =
  | { type: 'say_and_continue' }
  | { type: 'hang_up' }
  | { type: 'hand_to_script'; script_id: number; node: string };

export type LlmFallbackType = LlmFallback['type'];

export interface LlmRobotConfig {
  prompt: string;
  knowledge: string;
  opening: string;
  fallback: LlmFallback;
  fallback_text: string;
  max_turns: number;
  closing_text: string;
  stop_calling_text: string;
}

export type LlmRobotSummary = Schema['RobotSummary'];

export type LlmRobotDetail = Omit<Schema['RobotDetail'], 'config'> & { config: LlmRobotConfig };

export type LlmRobotBody = Omit<Schema['RobotRequest'], 'config'> & { config: LlmRobotConfig };

/** One earlier turn of the test chat: the customer's line and what the robot said back; a
 * turn whose model call failed is replayed as a failure (`fallback`). */
export type LlmTranscriptTurn = Schema['LlmChatTurn'];

export type LlmChatResult = Schema['LlmChatResponse'];

export const LLM_ROBOTS_KEY = 'llm-robots';
export const llmRobotPath = (id: number | string) => `/api/llm-robots/${id}`;

export function useLlmRobots() {
  return useQuery({ queryKey: [LLM_ROBOTS_KEY], queryFn: () => api.get<LlmRobotSummary[]>('/api/llm-robots') });
}

export function useLlmRobot(id: string | undefined) {
  return useQuery({
    queryKey: [LLM_ROBOTS_KEY, id],
    queryFn: () => api.get<LlmRobotDetail>(llmRobotPath(id!)),
    enabled: !!id,
  });
}

export function useLlmRobotDefaults(enabled = true) {
  return useQuery({
    queryKey: [LLM_ROBOTS_KEY, 'defaults'],
    queryFn: () => api.get<LlmRobotConfig>('/api/llm-robots/defaults'),
    enabled,
    staleTime: Infinity,
  });
}
