import { describe, expect, it } from 'vitest';
import { CONDITION_TYPES, changeConditionType, defaultCondition, moveItem, removeAt, replaceAt, ruleProblem, valueKind } from './grading';

describe('conditions', () => {
  it('has a default for every type', () => {
    for (const t of CONDITION_TYPES) expect(defaultCondition(t).type).toBe(t);
    expect(defaultCondition('duration_at_most')).toEqual({ type: 'duration_at_most', seconds: 30 });
    expect(valueKind('ended_by')).toBe('by');
  });

  it('keeps the value when the type changes within the same kind', () => {
    expect(changeConditionType({ type: 'intent_hit', intent: 'affirm' }, 'intent_not_hit')).toEqual({ type: 'intent_not_hit', intent: 'affirm' });
    expect(changeConditionType({ type: 'interactions_at_least', value: 3 }, 'interactions_at_most')).toEqual({ type: 'interactions_at_most', value: 3 });
    expect(changeConditionType({ type: 'intent_hit', intent: 'affirm' }, 'duration_at_least')).toEqual({ type: 'duration_at_least', seconds: 30 });
  });

  it('moves, replaces and removes list items', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(replaceAt([1, 2, 3], 1, 9)).toEqual([1, 9, 3]);
    expect(removeAt([1, 2, 3], 0)).toEqual([2, 3]);
  });

  it('names the first problem of the rules', () => {
    expect(ruleProblem([{ name: 'ok', level: 'A', conditions: [{ type: 'intent_hit', intent: 'affirm' }] }])).toBeNull();
    expect(ruleProblem([{ name: ' ', level: 'A', conditions: [] }])).toBe('第1条规则没有名称');
    expect(ruleProblem([{ name: '问价', level: 'A', conditions: [{ type: 'intent_hit', intent: '' }] }])).toBe('规则“问价”有条件没有选择意图');
  });
});
