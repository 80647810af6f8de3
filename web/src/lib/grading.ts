// Pure helpers of the 意向等级规则 editor.
import type { Condition, ConditionType, GradingRule } from '../api/robot';

export const CONDITION_TYPES: ConditionType[] = [
  'intent_hit',
  'intent_not_hit',
  'node_reached',
  'interactions_at_least',
  'interactions_at_most',
  'duration_at_least',
  'duration_at_most',
  'ended_by',
];

export type ValueKind = 'intent' | 'node' | 'count' | 'seconds' | 'by';

export function valueKind(type: ConditionType): ValueKind {
  switch (type) {
    case 'intent_hit':
    case 'intent_not_hit':
      return 'intent';
    case 'node_reached':
      return 'node';
    case 'interactions_at_least':
    case 'interactions_at_most':
      return 'count';
    case 'duration_at_least':
    case 'duration_at_most':
      return 'seconds';
    case 'ended_by':
      return 'by';
  }
}

export function defaultCondition(type: ConditionType): Condition {
  switch (valueKind(type)) {
    case 'intent':
      return { type, intent: '' } as Condition;
    case 'node':
      return { type: 'node_reached', node: '' };
    case 'count':
      return { type, value: 1 } as Condition;
    case 'seconds':
      return { type, seconds: 30 } as Condition;
    case 'by':
      return { type: 'ended_by', by: 'customer' };
  }
}

/** Changes a condition's type, keeping its value when the new type takes the same kind. */
export function changeConditionType(c: Condition, type: ConditionType): Condition {
  if (valueKind(c.type) === valueKind(type)) return { ...c, type } as Condition;
  return defaultCondition(type);
}

/** Moves item `i` by `delta` places (no-op at the ends). */
export function moveItem<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  const [x] = out.splice(i, 1);
  out.splice(j, 0, x);
  return out;
}

export function replaceAt<T>(list: readonly T[], i: number, v: T): T[] {
  return list.map((x, k) => (k === i ? v : x));
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, k) => k !== i);
}

/** The first problem the console can see before saving (Chinese, like the server), or null. */
export function ruleProblem(rules: GradingRule[]): string | null {
  for (const [i, r] of rules.entries()) {
    const name = r.name.trim() || `第${i + 1}条规则`;
    if (!r.name.trim()) return `第${i + 1}条规则没有名称`;
    if (!r.level) return `规则“${name}”没有选择意向等级`;
    for (const c of r.conditions) {
      if ((c.type === 'intent_hit' || c.type === 'intent_not_hit') && !c.intent) return `规则“${name}”有条件没有选择意图`;
      if (c.type === 'node_reached' && !c.node.trim()) return `规则“${name}”有条件没有填写节点`;
    }
  }
  return null;
}
