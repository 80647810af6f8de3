import { describe, expect, it } from 'vitest';
import type { Script, UserTagGroup } from '../api/robot';
import { cleanTags, groupOfTag, isValidTagName, pickGroup, setNodeTags, tagOptions } from './userTags';

const groups: UserTagGroup[] = [
  { id: 1, name: '意向', tags: [{ id: 11, name: '高意向', group_id: 1 }, { id: 12, name: '低意向', group_id: 1 }] },
  { id: 2, name: '空分组', tags: [] },
  { id: 3, name: '年级', tags: [{ id: 31, name: '三年级', group_id: 3 }] },
];

const script = (): Script => ({
  name: 's',
  start: 'a',
  variables: [],
  nodes: [
    { id: 'a', name: 'A', type: 'say', text: 'hi', tags: ['旧标签'] },
    { id: 'b', name: 'B', type: 'hang_up', text: 'bye' },
  ],
  intents: [],
  knowledge: [],
  handlers: { silence_text: '', silence_retries: 2, no_match_text: '', no_match_retries: 2, give_up_text: '', human_node: null, stop_calling_text: '' },
});

describe('tagOptions', () => {
  it('groups the tags by group and leaves out empty groups', () => {
    expect(tagOptions(groups)).toEqual([
      { label: '意向', title: '意向', options: [{ label: '高意向', value: '高意向' }, { label: '低意向', value: '低意向' }] },
      { label: '年级', title: '年级', options: [{ label: '三年级', value: '三年级' }] },
    ]);
  });

  it('keeps selected names no longer in the library in a last group', () => {
    const out = tagOptions(groups, ['高意向', '已删除', '已删除'], '不在标签库中');
    expect(out).toHaveLength(3);
    expect(out[2]).toEqual({ label: '不在标签库中', title: '不在标签库中', options: [{ label: '已删除', value: '已删除' }] });
  });

  it('is empty for an empty library', () => {
    expect(tagOptions([])).toEqual([]);
  });
});

describe('node tags', () => {
  it('cleans names: trimmed, no blanks, no repeats', () => {
    expect(cleanTags([' 高意向 ', '', '高意向', '三年级'])).toEqual(['高意向', '三年级']);
    expect(cleanTags(undefined)).toEqual([]);
  });

  it('sets the tags of one node', () => {
    const s = setNodeTags(script(), 'b', ['高意向', ' 三年级']);
    expect(s.nodes[1].tags).toEqual(['高意向', '三年级']);
    expect(s.nodes[0].tags).toEqual(['旧标签']);
  });

  it('leaves the field out when there are none', () => {
    const s = setNodeTags(script(), 'a', []);
    expect('tags' in s.nodes[0]).toBe(false);
    expect(JSON.stringify(s.nodes[0])).not.toContain('tags');
  });
});

describe('names and groups', () => {
  it('accepts 1–20 characters after trimming', () => {
    expect(isValidTagName('高意向')).toBe(true);
    expect(isValidTagName('  ')).toBe(false);
    expect(isValidTagName(undefined)).toBe(false);
    expect(isValidTagName('一'.repeat(20))).toBe(true);
    expect(isValidTagName('一'.repeat(21))).toBe(false);
  });

  it('finds a tag’s group and keeps the selected group when it still exists', () => {
    expect(groupOfTag(groups, 31)?.name).toBe('年级');
    expect(groupOfTag(groups, 99)).toBeUndefined();
    expect(pickGroup(groups, 3)).toBe(3);
    expect(pickGroup(groups, 9)).toBe(1);
    expect(pickGroup(groups, null)).toBe(1);
    expect(pickGroup([], 3)).toBeNull();
  });
});
