import { describe, expect, it } from 'vitest';
import type { LlmChatResult, LlmRobotConfig } from '../api/robot';
import { buildTranscript, llmFieldOf, llmFormValues, llmOutcome, llmRobotBody, totalTokens, type LlmChatEntry } from './llmRobot';

const config: LlmRobotConfig = {
  prompt: '你是课程顾问',
  knowledge: '体验课免费',
  opening: '${姓名}您好',
  fallback: { type: 'hand_to_script', script_id: 7, node: 'invite' },
  fallback_text: '不好意思，信号不好',
  max_turns: 8,
  closing_text: '再见',
  stop_calling_text: '不再打扰',
};

const res = (robot: string[], extra: Partial<LlmChatResult> = {}): LlmChatResult => ({
  robot,
  actions: robot.map(() => 'say'),
  ended: false,
  fallback: false,
  error: null,
  tokens: 0,
  ...extra,
});

describe('llm robot form', () => {
  it('round-trips a config through the form', () => {
    const v = llmFormValues(config, '少儿编程', 3);
    expect(v).toMatchObject({ name: '少儿编程', model_id: 3, fallback_type: 'hand_to_script', fallback_script_id: 7, fallback_node: 'invite' });
    expect(llmRobotBody(v)).toEqual({ name: '少儿编程', model_id: 3, config });
  });

  it('sends only the type for the other fallbacks and trims texts', () => {
    const v = { ...llmFormValues(config, ' 机器人 ', 1), fallback_type: 'hang_up' as const, opening: ' 你好 ' };
    const body = llmRobotBody(v);
    expect(body.name).toBe('机器人');
    expect(body.config.fallback).toEqual({ type: 'hang_up' });
    expect(body.config.opening).toBe('你好');
    expect(llmFormValues({ ...config, fallback: { type: 'say_and_continue' } })).toMatchObject({ name: '', fallback_type: 'say_and_continue', fallback_script_id: undefined });
  });

  it('maps API error fields to form fields', () => {
    expect(llmFieldOf('config.prompt')).toBe('prompt');
    expect(llmFieldOf('fallback.node')).toBe('fallback_node');
    expect(llmFieldOf('config.fallback.script_id')).toBe('fallback_script_id');
    expect(llmFieldOf('model_id')).toBe('model_id');
    expect(llmFieldOf('nope')).toBeUndefined();
    expect(llmFieldOf(undefined)).toBeUndefined();
  });
});

describe('test chat', () => {
  const entries: LlmChatEntry[] = [
    { customer: null, result: res(['王先生您好'], { tokens: 0 }) },
    { customer: '多少钱', result: res(['体验课免费。', '您看周末方便吗？'], { tokens: 120 }) },
    { customer: '周六吧', result: res(['不好意思，信号不好'], { fallback: true, error: '大模型响应超时', tokens: 30 }) },
  ];

  it('sends every earlier turn the customer spoke in, not the opening, and which ones the model failed on', () => {
    expect(buildTranscript(entries)).toEqual([
      { customer: '多少钱', robot: ['体验课免费。', '您看周末方便吗？'], fallback: false },
      { customer: '周六吧', robot: ['不好意思，信号不好'], fallback: true },
    ]);
    expect(buildTranscript(entries.slice(0, 1))).toEqual([]);
    expect(buildTranscript([])).toEqual([]);
  });

  it('adds up the tokens', () => {
    expect(totalTokens(entries)).toBe(150);
  });

  it('tells how an exchange ended the call', () => {
    expect(llmOutcome(res(['好']))).toBeNull();
    expect(llmOutcome(res(['转接'], { actions: ['say', 'transfer'], ended: true }))).toBe('transfer');
    expect(llmOutcome(res(['再见'], { actions: ['say', 'hang_up'], ended: true }))).toBe('hang_up');
    expect(llmOutcome(res(['稍等'], { actions: ['say', 'hand_to_script'], ended: true }))).toBe('hand_to_script');
    expect(llmOutcome(res(['不再打扰'], { actions: ['say', 'offer_blacklist'], ended: true }))).toBe('ended');
  });
});
