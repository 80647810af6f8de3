// Types and query hooks of the AI机器人中心 API (scripts, intents, grading rules).
import { useQuery } from '@tanstack/react-query';
import { api } from './client';

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
}

export interface Intent {
  code: string;
  name: string;
  priority: number;
  keywords: string[];
  patterns: string[];
}

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

export interface ScriptSummary {
  id: number;
  name: string;
  description: string;
  published_version: number | null;
  node_count: number;
  updated_at: string;
  problem: string | null;
}

export interface ScriptDetail extends ScriptSummary {
  draft: Script;
  versions: { version: number; published_at: string }[];
}

export type ChatEvent = { type: 'utterance'; text: string } | { type: 'silence' } | { type: 'hang_up' };

export interface IntentHit {
  code: string;
  name: string;
  hit: string;
}

export interface ChatTurn {
  at_ms: number;
  customer: string | null;
  intent: IntentHit | null;
  knowledge: string | null;
  node: string;
  node_name: string;
  robot: string[];
  actions: string[];
}

export interface Grade {
  level: string;
  label: string;
  rule: string | null;
}

export interface ChatResult {
  turns: ChatTurn[];
  ended: null | 'robot' | 'customer' | 'transfer';
  grade: Grade | null;
  intents_hit: string[];
  nodes_reached: string[];
  interactions: number;
}

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

export interface GradingRules {
  rules: GradingRule[];
  default_level: string;
  levels: { level: string; label: string }[];
}

export const scriptPath = (id: number | string) => `/api/scripts/${id}`;

export function useScripts() {
  return useQuery({ queryKey: ['scripts'], queryFn: () => api.get<ScriptSummary[]>('/api/scripts') });
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
