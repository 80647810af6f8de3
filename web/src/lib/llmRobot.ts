// Pure helpers of 大模型外呼: the editor form <-> API body, and the test chat's transcript.
import type { LlmChatResult, LlmFallbackType, LlmRobotBody, LlmRobotConfig, LlmTranscriptTurn } from '../api/robot';

export const MAX_TURNS_MIN = 1;
export const MAX_TURNS_MAX = 50;

export interface LlmRobotFormValues {
  name: string;
  model_id?: number;
  prompt: string;
  knowledge: string;
  opening: string;
  max_turns: number;
  closing_text: string;
  fallback_type: LlmFallbackType;
  fallback_script_id?: number;
  fallback_node?: string;
  fallback_text: string;
  stop_calling_text: string;
}

/** The form's values for a robot (or for a new one from the defaults). */
export function llmFormValues(config: LlmRobotConfig, name = '', modelId?: number): LlmRobotFormValues {
  const fb = config.fallback;
  return {
    name,
    model_id: modelId,
    prompt: config.prompt ?? '',
    knowledge: config.knowledge ?? '',
    opening: config.opening ?? '',
    max_turns: config.max_turns,
    closing_text: config.closing_text ?? '',
    fallback_type: fb?.type ?? 'say_and_continue',
    fallback_script_id: fb?.type === 'hand_to_script' ? fb.script_id : undefined,
    fallback_node: fb?.type === 'hand_to_script' ? fb.node : undefined,
    fallback_text: config.fallback_text ?? '',
    stop_calling_text: config.stop_calling_text ?? '',
  };
}

/** The PUT/POST body from the form's values (texts trimmed). */
export function llmRobotBody(v: LlmRobotFormValues): LlmRobotBody {
  const fallback: LlmRobotConfig['fallback'] =
    v.fallback_type === 'hand_to_script'
      ? { type: 'hand_to_script', script_id: v.fallback_script_id ?? 0, node: (v.fallback_node ?? '').trim() }
      : { type: v.fallback_type };
  return {
    name: v.name.trim(),
    model_id: v.model_id ?? 0,
    config: {
      prompt: v.prompt.trim(),
      knowledge: (v.knowledge ?? '').trim(),
      opening: v.opening.trim(),
      fallback,
      fallback_text: v.fallback_text.trim(),
      max_turns: v.max_turns,
      closing_text: v.closing_text.trim(),
      stop_calling_text: v.stop_calling_text.trim(),
    },
  };
}

/**
 * The form field an API VALIDATION error belongs to: the server may name `name`, `model_id`,
 * `config.prompt`, `fallback.script_id`, `config.fallback.node` … Undefined when unknown.
 */
export function llmFieldOf(field: string | undefined): keyof LlmRobotFormValues | undefined {
  if (!field) return undefined;
  const f = field.replace(/^config\./, '');
  const map: Record<string, keyof LlmRobotFormValues> = {
    name: 'name',
    model_id: 'model_id',
    prompt: 'prompt',
    knowledge: 'knowledge',
    opening: 'opening',
    max_turns: 'max_turns',
    closing_text: 'closing_text',
    fallback: 'fallback_type',
    'fallback.type': 'fallback_type',
    'fallback.script_id': 'fallback_script_id',
    'fallback.node': 'fallback_node',
    fallback_text: 'fallback_text',
    stop_calling_text: 'stop_calling_text',
  };
  return map[f];
}

/** One exchange of the test chat: the customer's line (null for the opening) and the answer. */
export interface LlmChatEntry {
  customer: string | null;
  result: LlmChatResult;
}

/** What the server is sent as `transcript`: every earlier turn the customer spoke in, with whether the model failed on it. */
export function buildTranscript(entries: readonly LlmChatEntry[]): LlmTranscriptTurn[] {
  return entries
    .filter((e) => e.customer != null)
    .map((e) => ({ customer: e.customer as string, robot: [...e.result.robot], fallback: e.result.fallback }));
}

export type LlmOutcome = 'transfer' | 'hand_to_script' | 'hang_up' | 'ended';

/** How an exchange ended the call, if it did. */
export function llmOutcome(r: LlmChatResult): LlmOutcome | null {
  if (r.actions.includes('transfer')) return 'transfer';
  if (r.actions.includes('hand_to_script')) return 'hand_to_script';
  if (r.actions.includes('hang_up')) return 'hang_up';
  return r.ended ? 'ended' : null;
}

export function totalTokens(entries: readonly LlmChatEntry[]): number {
  return entries.reduce((n, e) => n + (e.result.tokens || 0), 0);
}
