// Pure helpers of 用户标签: the grouped options of the tag picker, a node's `tags` field,
// and tag / group name checks (the server's rules: 1–20 characters after trimming).
import type { Script, UserTagGroup } from '../api/robot';
import { updateNode } from './flow';

export const TAG_NAME_MAX = 20;

/** True when a group or tag name is acceptable: 1–20 characters after trimming. */
export function isValidTagName(name: string | null | undefined): boolean {
  const n = (name ?? '').trim();
  return n.length > 0 && [...n].length <= TAG_NAME_MAX;
}

export interface TagOption {
  label: string;
  value: string;
}

export interface TagOptionGroup {
  label: string;
  title: string;
  options: TagOption[];
}

/**
 * Options of the tag multi-select, one AntD option group per tag group (groups without tags
 * left out). Names in `selected` that are no longer in the library (deleted or renamed) are
 * kept in a last group labelled `unknownLabel`, so they show and can be removed.
 */
export function tagOptions(groups: readonly UserTagGroup[], selected: readonly string[] = [], unknownLabel = '?'): TagOptionGroup[] {
  const known = new Set<string>();
  const out: TagOptionGroup[] = [];
  for (const g of groups) {
    if (g.tags.length === 0) continue;
    const options = g.tags.filter((tag) => !known.has(tag.name)).map((tag) => ({ label: tag.name, value: tag.name }));
    for (const o of options) known.add(o.value);
    if (options.length) out.push({ label: g.name, title: g.name, options });
  }
  const unknown = [...new Set(selected)].filter((n) => !known.has(n));
  if (unknown.length) out.push({ label: unknownLabel, title: unknownLabel, options: unknown.map((n) => ({ label: n, value: n })) });
  return out;
}

/** Trimmed, non-empty, without repeats, in order. */
export function cleanTags(tags: readonly string[] | null | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags ?? []) {
    const n = raw.trim();
    if (n && !seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

/** Sets a node's user tags; the `tags` field is left out when there are none. */
export function setNodeTags(script: Script, nodeId: string, tags: readonly string[]): Script {
  const clean = cleanTags(tags);
  const next = updateNode(script, nodeId, { tags: clean });
  if (clean.length) return next;
  return {
    ...next,
    nodes: next.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const { tags: _drop, ...rest } = n;
      void _drop;
      return rest;
    }),
  };
}

/** The group a tag belongs to, by tag id. */
export function groupOfTag(groups: readonly UserTagGroup[], tagId: number): UserTagGroup | undefined {
  return groups.find((g) => g.tags.some((t) => t.id === tagId));
}

/** The selected group after the library changed: the same id if it still exists, else the first group. */
export function pickGroup(groups: readonly UserTagGroup[], selected: number | null): number | null {
  if (selected != null && groups.some((g) => g.id === selected)) return selected;
  return groups[0]?.id ?? null;
}
