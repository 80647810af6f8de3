import { describe, expect, it } from 'vitest';
import type { Script } from '../api/robot';
import { AUTO, OTHERWISE, addNode, autoLayout, connect, insertVariable, moveNode, newNodeId, parseScriptFile, placeholders, removeEdge, removeEdges, removeNode, scriptToFlow } from './flow';

const script = (): Script => ({
  name: '测试',
  start: 'open',
  variables: ['姓名'],
  nodes: [
    { id: 'open', name: '开场白', type: 'say', text: '${姓名}您好', branches: [{ intent: 'affirm', next: 'invite' }, { intent: 'ask_price', next: 'price' }], otherwise: 'bye', next: null },
    { id: 'price', name: '报价', type: 'say', text: '免费', branches: [], otherwise: null, next: 'invite' },
    { id: 'invite', name: '邀约', type: 'say', text: '好的', branches: [], otherwise: 'human', next: null },
    { id: 'human', name: '转人工', type: 'transfer', text: '马上转接' },
    { id: 'bye', name: '结束', type: 'hang_up', text: '再见' },
  ],
  intents: [],
  knowledge: [],
  handlers: { silence_text: '', silence_retries: 2, no_match_text: '', no_match_retries: 2, give_up_text: '', human_node: 'human', stop_calling_text: '' },
});

const names: Record<string, string> = { affirm: '肯定', ask_price: '询问价格' };
const labels = { otherwise: '其他', next: '自动' };

describe('scriptToFlow', () => {
  it('makes a node per script node and an edge per branch, otherwise and next', () => {
    const { nodes, edges } = scriptToFlow(script(), (c) => names[c] ?? c, labels);
    expect(nodes.map((n) => n.id)).toEqual(['open', 'price', 'invite', 'human', 'bye']);
    expect(nodes.find((n) => n.id === 'open')!.data.isStart).toBe(true);
    expect(nodes.find((n) => n.id === 'human')!.data.isHuman).toBe(true);
    expect(edges.map((e) => [e.id, e.source, e.target, e.label])).toEqual([
      ['b:open:0', 'open', 'invite', '肯定'],
      ['b:open:1', 'open', 'price', '询问价格'],
      ['o:open', 'open', 'bye', '其他'],
      ['n:price', 'price', 'invite', '自动'],
      ['o:invite', 'invite', 'human', '其他'],
    ]);
  });

  it('skips edges to missing nodes', () => {
    const s = script();
    s.nodes[0].otherwise = 'gone';
    expect(scriptToFlow(s, (c) => c, labels).edges.some((e) => e.target === 'gone')).toBe(false);
  });

  it('uses the saved layout and lays out the rest by distance from the start', () => {
    const s = { ...script(), layout: { bye: { x: 5, y: 6 } } };
    const pos = autoLayout(s);
    expect(pos.open).toEqual({ x: 200, y: 0 }); // centred over the 3 nodes of the next row
    expect(pos.bye).toEqual({ x: 5, y: 6 });
    expect(pos.invite.y).toBeGreaterThan(0);
    expect(pos.human.y).toBeGreaterThan(pos.invite.y);
  });
});

describe('edits', () => {
  it('adds nodes with fresh ids and a position', () => {
    const { script: s, id } = addNode(script(), 'transfer', '转人工节点', '', { x: 1, y: 2 });
    expect(id).toBe(newNodeId(script()));
    expect(s.nodes).toHaveLength(6);
    expect(s.layout![id]).toEqual({ x: 1, y: 2 });
    const again = addNode(s, 'say', '说话', '', { x: 0, y: 0 });
    expect(again.id).not.toBe(id);
  });

  it('connects with an intent (replacing that intent’s target), otherwise or auto', () => {
    let s = connect(script(), 'open', 'human', 'affirm');
    expect(s.nodes[0].branches).toEqual([{ intent: 'affirm', next: 'human' }, { intent: 'ask_price', next: 'price' }]);
    s = connect(s, 'open', 'price', 'busy');
    expect(s.nodes[0].branches).toHaveLength(3);
    s = connect(s, 'open', 'invite', OTHERWISE);
    expect(s.nodes[0].otherwise).toBe('invite');
    s = connect(s, 'invite', 'bye', AUTO);
    expect(s.nodes[2].next).toBe('bye');
    // transfer / hang-up nodes have no outgoing edges
    expect(connect(s, 'human', 'bye', AUTO)).toEqual(s);
  });

  it('removes edges by id', () => {
    let s = removeEdge(script(), 'b:open:0');
    expect(s.nodes[0].branches).toEqual([{ intent: 'ask_price', next: 'price' }]);
    s = removeEdge(s, 'o:open');
    expect(s.nodes[0].otherwise).toBeNull();
    s = removeEdge(s, 'n:price');
    expect(s.nodes[1].next).toBeNull();
    const both = removeEdges(script(), ['b:open:0', 'b:open:1', 'o:invite']);
    expect(both.nodes[0].branches).toEqual([]);
    expect(both.nodes[2].otherwise).toBeNull();
  });

  it('removes a node with every reference to it', () => {
    let s = moveNode(script(), 'invite', { x: 10.4, y: 20.6 });
    expect(s.layout!.invite).toEqual({ x: 10, y: 21 });
    s = removeNode(s, 'invite');
    expect(s.nodes.map((n) => n.id)).toEqual(['open', 'price', 'human', 'bye']);
    expect(s.nodes[0].branches).toEqual([{ intent: 'ask_price', next: 'price' }]);
    expect(s.nodes[1].next).toBeNull();
    expect(s.layout!.invite).toBeUndefined();
    s = removeNode(s, 'human');
    expect(s.handlers.human_node).toBeNull();
    s = removeNode(s, 'open');
    expect(s.start).toBe('price');
  });
});

describe('texts and files', () => {
  it('finds and inserts ${variables}', () => {
    expect(placeholders('${姓名}您好，${课程}')).toEqual(['姓名', '课程']);
    expect(insertVariable('您好', '姓名', 0)).toEqual({ text: '${姓名}您好', caret: 5 });
    expect(insertVariable('您好', '姓名')).toEqual({ text: '您好${姓名}', caret: 7 });
  });

  it('parses only JSON objects', () => {
    expect(parseScriptFile('{"name":"x"}')).toEqual({ name: 'x' });
    expect(parseScriptFile('\uFEFF{"a":1}')).toEqual({ a: 1 });
    expect(parseScriptFile('[1]')).toBeNull();
    expect(parseScriptFile('not json')).toBeNull();
  });
});
