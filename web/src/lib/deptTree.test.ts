import { describe, expect, it } from 'vitest';
import { buildDeptTree, computeMove, deptPath, subtreeIds, type DeptNode, type FlatDept } from './deptTree';

const d = (id: number, parent_id: number | null, sort_order: number, name = `D${id}`): FlatDept => ({ id, parent_id, sort_order, name });

// 销售部(1) ─ 华东组(3), 华南组(4) ; 技术部(2) ─ 后端(5) ─ 数据库(6)
const flat = [d(2, null, 1, '技术部'), d(1, null, 0, '销售部'), d(4, 1, 1, '华南组'), d(3, 1, 0, '华东组'), d(5, 2, 0, '后端'), d(6, 5, 0, '数据库')];

const shape = (nodes: DeptNode[]): unknown => nodes.map((n) => (n.children.length ? [n.dept.name, shape(n.children)] : n.dept.name));

describe('buildDeptTree', () => {
  it('nests and orders by sort_order', () => {
    expect(shape(buildDeptTree(flat))).toEqual([
      ['销售部', ['华东组', '华南组']],
      ['技术部', [['后端', ['数据库']]]],
    ]);
  });

  it('orders equal sort_order by id', () => {
    expect(shape(buildDeptTree([d(9, null, 0), d(7, null, 0), d(8, null, 0)]))).toEqual(['D7', 'D8', 'D9']);
  });

  it('keeps orphans and cycles at the top level', () => {
    const tree = buildDeptTree([d(1, 99, 0), d(2, 3, 0), d(3, 2, 1)]);
    const ids = (ns: DeptNode[]): number[] => ns.flatMap((n) => [n.dept.id, ...ids(n.children)]);
    expect(ids(tree).sort()).toEqual([1, 2, 3]);
    expect(tree.map((n) => n.dept.id)).toContain(1);
  });

  it('handles an empty list', () => {
    expect(buildDeptTree([])).toEqual([]);
  });
});

describe('helpers', () => {
  it('subtreeIds', () => {
    expect([...subtreeIds(flat, 2)].sort()).toEqual([2, 5, 6]);
    expect([...subtreeIds(flat, 3)]).toEqual([3]);
  });
  it('deptPath', () => {
    expect(deptPath(flat, 6)).toBe('技术部/后端/数据库');
    expect(deptPath(flat, 1)).toBe('销售部');
  });
});

describe('computeMove', () => {
  it('inside a node -> first child', () => {
    expect(computeMove(flat, 4, 2, 'inside')).toEqual({ parent_id: 2, index: 0 });
  });
  it('inside the root -> top level', () => {
    expect(computeMove(flat, 6, null, 'inside')).toEqual({ parent_id: null, index: 0 });
  });
  it('before / after a sibling, not counting the dragged node', () => {
    expect(computeMove(flat, 4, 3, 'before')).toEqual({ parent_id: 1, index: 0 });
    expect(computeMove(flat, 3, 4, 'after')).toEqual({ parent_id: 1, index: 1 });
    expect(computeMove(flat, 1, 2, 'after')).toEqual({ parent_id: null, index: 1 });
  });
  it('re-parents next to a node elsewhere', () => {
    expect(computeMove(flat, 3, 5, 'after')).toEqual({ parent_id: 2, index: 1 });
  });
  it('refuses moves into itself or its subtree', () => {
    expect(computeMove(flat, 2, 2, 'inside')).toBeNull();
    expect(computeMove(flat, 2, 6, 'inside')).toBeNull();
    expect(computeMove(flat, 2, 6, 'before')).toBeNull();
  });
});
