// Department tree helpers: the API returns a flat list; the console builds the tree.

export interface FlatDept {
  id: number;
  /** None (null, or left out): a top-level department. */
  parent_id?: number | null;
  name: string;
  sort_order: number;
}

export interface DeptNode<T extends FlatDept = FlatDept> {
  dept: T;
  children: DeptNode<T>[];
}

/**
 * Builds a forest from a flat list. Children are ordered by sort_order, then id.
 * A department whose parent is missing from the list (or that is part of a cycle) is
 * shown at the top level so nothing disappears.
 */
export function buildDeptTree<T extends FlatDept>(flat: readonly T[]): DeptNode<T>[] {
  const nodes = new Map<number, DeptNode<T>>();
  for (const d of flat) nodes.set(d.id, { dept: d, children: [] });
  const roots: DeptNode<T>[] = [];
  for (const d of flat) {
    const node = nodes.get(d.id)!;
    const parent = d.parent_id != null ? nodes.get(d.parent_id) : undefined;
    if (parent && parent !== node && !isAncestor(nodes, d.id, d.parent_id!)) parent.children.push(node);
    else roots.push(node);
  }
  const sortRec = (list: DeptNode<T>[]) => {
    list.sort((a, b) => a.dept.sort_order - b.dept.sort_order || a.dept.id - b.dept.id);
    list.forEach((n) => sortRec(n.children));
  };
  sortRec(roots);
  return roots;
}

// True when `id` is an ancestor of (or equal to) `start` following parent links: a cycle.
function isAncestor<T extends FlatDept>(nodes: Map<number, DeptNode<T>>, id: number, start: number): boolean {
  const seen = new Set<number>();
  let cur: number | null = start;
  while (cur != null && !seen.has(cur)) {
    if (cur === id) return true;
    seen.add(cur);
    cur = nodes.get(cur)?.dept.parent_id ?? null;
  }
  return false;
}

/** Ids of a department and all its descendants. */
export function subtreeIds(flat: readonly FlatDept[], id: number): Set<number> {
  const out = new Set<number>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of flat) {
      if (d.parent_id != null && out.has(d.parent_id) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

/** "销售部/华东组" style path of a department. */
export function deptPath(flat: readonly FlatDept[], id: number): string {
  const byId = new Map(flat.map((d) => [d.id, d]));
  const parts: string[] = [];
  const seen = new Set<number>();
  let cur = byId.get(id);
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    parts.unshift(cur.name);
    cur = cur.parent_id != null ? byId.get(cur.parent_id) : undefined;
  }
  return parts.join('/');
}

export type DropMode = 'inside' | 'before' | 'after';

/**
 * Turns a drag-and-drop gesture into the body of POST /api/departments/{id}/move.
 * `targetId` null with mode 'inside' means the top level. Returns null for a drop that
 * is not allowed (onto itself or into its own subtree).
 */
export function computeMove(
  flat: readonly FlatDept[],
  dragId: number,
  targetId: number | null,
  mode: DropMode,
): { parent_id: number | null; index: number } | null {
  if (targetId === dragId) return null;
  const byId = new Map(flat.map((d) => [d.id, d]));
  let parentId: number | null;
  if (mode === 'inside') parentId = targetId;
  else {
    const target = targetId != null ? byId.get(targetId) : undefined;
    if (!target) return null;
    parentId = target.parent_id ?? null;
  }
  if (parentId != null && subtreeIds(flat, dragId).has(parentId)) return null;
  if (mode === 'inside') return { parent_id: parentId, index: 0 };
  const siblings = flat
    .filter((d) => (d.parent_id ?? null) === parentId && d.id !== dragId)
    .sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
  const pos = siblings.findIndex((d) => d.id === targetId);
  if (pos < 0) return null;
  return { parent_id: parentId, index: mode === 'before' ? pos : pos + 1 };
}
