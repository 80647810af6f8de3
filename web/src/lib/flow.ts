// Pure helpers of the script (话术) flow editor: script ⇄ flow nodes/edges and the edits
// the canvas makes (add, connect, move, delete). The Script is the single state; the
// canvas's nodes and edges are derived from it.
import type { NodeType, Position, Script, ScriptNode } from '../api/robot';

export const OTHERWISE = '__otherwise__';
export const AUTO = '__next__';

export interface FlowNodeData extends Record<string, unknown> {
  node: ScriptNode;
  isStart: boolean;
  isHuman: boolean;
}

export interface FlowNode {
  id: string;
  type: 'vx';
  position: Position;
  data: FlowNodeData;
}

export type EdgeKind = 'branch' | 'otherwise' | 'next';

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  data: { kind: EdgeKind; intent?: string; index?: number };
}

const COL = 200;
const ROW = 120;

/** Targets a node leads to, in branch order, then otherwise, then next. */
export function targetsOf(n: ScriptNode): string[] {
  const out = (n.branches ?? []).map((b) => b.next);
  if (n.otherwise) out.push(n.otherwise);
  if (n.next) out.push(n.next);
  return out;
}

/** Positions of all nodes: the saved layout, else a layered layout from the start node. */
export function autoLayout(script: Script): Record<string, Position> {
  const byId = new Map(script.nodes.map((n) => [n.id, n]));
  const level = new Map<string, number>();
  const queue: string[] = [];
  if (byId.has(script.start)) {
    level.set(script.start, 0);
    queue.push(script.start);
  }
  while (queue.length) {
    const id = queue.shift()!;
    for (const t of targetsOf(byId.get(id)!)) {
      if (byId.has(t) && !level.has(t)) {
        level.set(t, level.get(id)! + 1);
        queue.push(t);
      }
    }
  }
  let maxLevel = Math.max(-1, ...level.values());
  for (const n of script.nodes) if (!level.has(n.id)) level.set(n.id, ++maxLevel);
  // Each level is a row, centred under the widest one.
  const count = new Map<number, number>();
  for (const l of level.values()) count.set(l, (count.get(l) ?? 0) + 1);
  const widest = Math.max(1, ...count.values());
  const col = new Map<number, number>();
  const out: Record<string, Position> = {};
  for (const n of script.nodes) {
    const l = level.get(n.id)!;
    const c = col.get(l) ?? 0;
    col.set(l, c + 1);
    const offset = ((widest - count.get(l)!) / 2) * COL;
    out[n.id] = script.layout?.[n.id] ?? { x: Math.round(offset + c * COL), y: l * ROW };
  }
  return out;
}

export function scriptToFlow(script: Script, intentName: (code: string) => string, labels: { otherwise: string; next: string }): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const pos = autoLayout(script);
  const ids = new Set(script.nodes.map((n) => n.id));
  const nodes: FlowNode[] = script.nodes.map((n) => ({
    id: n.id,
    type: 'vx',
    position: pos[n.id],
    data: { node: n, isStart: n.id === script.start, isHuman: script.handlers?.human_node === n.id },
  }));
  const edges: FlowEdge[] = [];
  for (const n of script.nodes) {
    (n.branches ?? []).forEach((b, i) => {
      if (ids.has(b.next)) edges.push({ id: `b:${n.id}:${i}`, source: n.id, target: b.next, label: intentName(b.intent), data: { kind: 'branch', intent: b.intent, index: i } });
    });
    if (n.otherwise && ids.has(n.otherwise)) edges.push({ id: `o:${n.id}`, source: n.id, target: n.otherwise, label: labels.otherwise, data: { kind: 'otherwise' } });
    if (n.next && ids.has(n.next)) edges.push({ id: `n:${n.id}`, source: n.id, target: n.next, label: labels.next, data: { kind: 'next' } });
  }
  return { nodes, edges };
}

/** A fresh node id not used in the script (n1, n2, …). */
export function newNodeId(script: Script): string {
  const used = new Set(script.nodes.map((n) => n.id));
  for (let i = script.nodes.length + 1; ; i++) if (!used.has(`n${i}`)) return `n${i}`;
}

function mapNode(script: Script, id: string, f: (n: ScriptNode) => ScriptNode): Script {
  return { ...script, nodes: script.nodes.map((n) => (n.id === id ? f(n) : n)) };
}

export function addNode(script: Script, type: NodeType, name: string, text: string, position: Position): { script: Script; id: string } {
  const id = newNodeId(script);
  const node: ScriptNode =
    type === 'say'
      ? { id, name, type, text, audio: null, interruptible: true, branches: [], otherwise: null, next: null }
      : { id, name, type, text, audio: null, interruptible: false };
  return { id, script: { ...script, nodes: [...script.nodes, node], layout: { ...script.layout, [id]: position } } };
}

export function updateNode(script: Script, id: string, patch: Partial<ScriptNode>): Script {
  return mapNode(script, id, (n) => ({ ...n, ...patch, id: n.id }));
}

export function moveNode(script: Script, id: string, position: Position): Script {
  return { ...script, layout: { ...script.layout, [id]: { x: Math.round(position.x), y: Math.round(position.y) } } };
}

/** Removes a node and every reference to it (branches, otherwise, next, human node, layout). */
export function removeNode(script: Script, id: string): Script {
  const nodes = script.nodes
    .filter((n) => n.id !== id)
    .map((n) => {
      if (n.type !== 'say') return n;
      return {
        ...n,
        branches: (n.branches ?? []).filter((b) => b.next !== id),
        otherwise: n.otherwise === id ? null : (n.otherwise ?? null),
        next: n.next === id ? null : (n.next ?? null),
      };
    });
  const layout = { ...script.layout };
  delete layout[id];
  return {
    ...script,
    nodes,
    layout,
    start: script.start === id ? (nodes[0]?.id ?? '') : script.start,
    handlers: script.handlers?.human_node === id ? { ...script.handlers, human_node: null } : script.handlers,
  };
}

/** Removes the edge with the given flow edge id. */
export function removeEdge(script: Script, edgeId: string): Script {
  const [kind, ...rest] = edgeId.split(':');
  if (kind === 'b') {
    const index = Number(rest.pop());
    const src = rest.join(':');
    return mapNode(script, src, (n) => ({ ...n, branches: (n.branches ?? []).filter((_, i) => i !== index) }));
  }
  const src = rest.join(':');
  if (kind === 'o') return mapNode(script, src, (n) => ({ ...n, otherwise: null }));
  if (kind === 'n') return mapNode(script, src, (n) => ({ ...n, next: null }));
  return script;
}

/** Removes several edges (indices of branches are resolved before any removal). */
export function removeEdges(script: Script, edgeIds: string[]): Script {
  const branchIdx = new Map<string, Set<number>>();
  let s = script;
  for (const e of edgeIds) {
    if (e.startsWith('b:')) {
      const rest = e.slice(2);
      const cut = rest.lastIndexOf(':');
      const src = rest.slice(0, cut);
      if (!branchIdx.has(src)) branchIdx.set(src, new Set());
      branchIdx.get(src)!.add(Number(rest.slice(cut + 1)));
    } else s = removeEdge(s, e);
  }
  for (const [src, idx] of branchIdx) s = mapNode(s, src, (n) => ({ ...n, branches: (n.branches ?? []).filter((_, i) => !idx.has(i)) }));
  return s;
}

/**
 * Connects source → target. `choice` is an intent code (a branch; replaces the target of an
 * existing branch of that intent), OTHERWISE or AUTO. Only 说话 nodes have outgoing edges.
 */
export function connect(script: Script, source: string, target: string, choice: string): Script {
  return mapNode(script, source, (n) => {
    if (n.type !== 'say') return n;
    if (choice === OTHERWISE) return { ...n, otherwise: target };
    if (choice === AUTO) return { ...n, next: target };
    const branches = [...(n.branches ?? [])];
    const i = branches.findIndex((b) => b.intent === choice);
    if (i >= 0) branches[i] = { intent: choice, next: target };
    else branches.push({ intent: choice, next: target });
    return { ...n, branches };
  });
}

export function canHaveOutgoing(script: Script, id: string): boolean {
  return script.nodes.find((n) => n.id === id)?.type === 'say';
}

/** `${name}` placeholders used in a text. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
}

/** Inserts `${name}` into `text` at `at` (or the end); returns the new text and caret. */
export function insertVariable(text: string, name: string, at?: number | null): { text: string; caret: number } {
  const i = at == null || at < 0 || at > text.length ? text.length : at;
  const token = `\${${name}}`;
  return { text: text.slice(0, i) + token + text.slice(i), caret: i + token.length };
}

/** Parses an import file's text; returns the object or null when it is not a JSON object. */
export function parseScriptFile(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
