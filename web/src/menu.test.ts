import { describe, expect, it } from 'vitest';
import { lazy } from 'react';
import { MENU } from './menu';
import { filterMenu, isGroup, menuLeaves, menuPathKeys, type MenuNode } from './menuTree';
import { accessOf } from './access';

const visible = (nodes: MenuNode[]): unknown =>
  nodes.map((n) => (isGroup(n) ? { [n.label]: visible(n.children) } : n.label));

const member = (perms: string[], is_owner = false) => accessOf({ is_owner, permissions: perms });

describe('filterMenu', () => {
  it('shows everything to the owner', () => {
    expect(visible(filterMenu(MENU, member([], true)))).toEqual([
      'menu.home',
      { 'menu.callCenter': ['menu.tasks', 'menu.lines', 'menu.blacklist', 'menu.callTime', 'menu.bills', 'menu.callSettings'] },
      { 'menu.robot': ['menu.scripts', 'menu.llmRobots', 'menu.userTags', 'menu.grading'] },
      { 'menu.org': ['menu.contacts', 'menu.groups'] },
      { 'menu.settings': ['menu.audit', 'menu.notifications'] },
    ]);
  });

  it('shows only what the permissions allow; the audit log is owner-only', () => {
    expect(visible(filterMenu(MENU, member(['member.view', 'member.manage', 'department.manage', 'group.manage'])))).toEqual([
      'menu.home',
      { 'menu.org': ['menu.contacts', 'menu.groups'] },
      { 'menu.settings': ['menu.notifications'] },
    ]);
    expect(visible(filterMenu(MENU, member(['member.view'])))).toEqual([
      'menu.home',
      { 'menu.org': ['menu.contacts'] },
      { 'menu.settings': ['menu.notifications'] },
    ]);
  });

  it('drops a group with no visible entry', () => {
    expect(visible(filterMenu(MENU, member([])))).toEqual(['menu.home', { 'menu.settings': ['menu.notifications'] }]);
  });

  it('never shows an entry without a page, nor a group left empty by that', () => {
    const Page = lazy(async () => ({ default: () => null }));
    const nodes: MenuNode[] = [
      { key: 'a', label: 'menu.home', path: '/', page: Page },
      { key: 'g', label: 'menu.org', children: [{ key: 'planned', label: 'menu.groups', path: '/x' }] },
    ];
    expect(visible(filterMenu(nodes, member([], true)))).toEqual(['menu.home']);
    expect(menuLeaves(nodes).map((l) => l.key)).toEqual(['a']);
  });

  it('finds the open groups for a path', () => {
    expect(menuPathKeys(MENU, '/org/groups')).toEqual({ leaf: 'groups', groups: ['org'] });
    expect(menuPathKeys(MENU, '/')).toEqual({ leaf: 'home', groups: [] });
    expect(menuPathKeys(MENU, '/nope')).toEqual({ groups: [] });
    expect(menuPathKeys(MENU, '/robot/scripts/7')).toEqual({ leaf: 'scripts', groups: ['robot'] });
    expect(menuPathKeys(MENU, '/robot/nope/7')).toEqual({ groups: [] });
    expect(menuPathKeys(MENU, '/robot/llm-robots/new')).toEqual({ leaf: 'llm-robots', groups: ['robot'] });
    expect(menuPathKeys(MENU, '/robot/tags')).toEqual({ leaf: 'user-tags', groups: ['robot'] });
    expect(menuPathKeys(MENU, '/call-center/settings')).toEqual({ leaf: 'call-settings', groups: ['call-center'] });
    expect(menuPathKeys(MENU, '/call-center/blacklist')).toEqual({ leaf: 'blacklist', groups: ['call-center'] });
    expect(menuPathKeys(MENU, '/call-center/lines')).toEqual({ leaf: 'lines', groups: ['call-center'] });
    expect(menuPathKeys(MENU, '/call-center/call-time')).toEqual({ leaf: 'call-time', groups: ['call-center'] });
    expect(menuPathKeys(MENU, '/call-center/tasks')).toEqual({ leaf: 'tasks', groups: ['call-center'] });
    expect(menuPathKeys(MENU, '/call-center/tasks/12')).toEqual({ leaf: 'tasks', groups: ['call-center'] });
    expect(menuPathKeys(MENU, '/call-center/tasks/12/edit')).toEqual({ leaf: 'tasks', groups: ['call-center'] });
  });

  it('shows 我的账单 to billing.view', () => {
    expect(visible(filterMenu(MENU, member(['billing.view'])))).toEqual([
      'menu.home',
      { 'menu.callCenter': ['menu.bills'] },
      { 'menu.settings': ['menu.notifications'] },
    ]);
    expect(menuPathKeys(MENU, '/call-center/bills')).toEqual({ leaf: 'bills', groups: ['call-center'] });
  });

  it('shows the robot centre to robot.view', () => {
    expect(visible(filterMenu(MENU, member(['robot.view'])))).toEqual([
      'menu.home',
      { 'menu.callCenter': ['menu.callSettings'] },
      { 'menu.robot': ['menu.scripts', 'menu.llmRobots', 'menu.userTags', 'menu.grading'] },
      { 'menu.settings': ['menu.notifications'] },
    ]);
  });

  it('shows AI呼叫2.0 to task.view and task.manage', () => {
    for (const perm of ['task.view', 'task.manage']) {
      expect(visible(filterMenu(MENU, member([perm])))).toEqual([
        'menu.home',
        { 'menu.callCenter': ['menu.tasks', 'menu.lines', 'menu.callTime'] },
        { 'menu.settings': ['menu.notifications'] },
      ]);
    }
  });

  it('shows the blacklist to blacklist.view and blacklist.manage', () => {
    for (const perm of ['blacklist.view', 'blacklist.manage']) {
      expect(visible(filterMenu(MENU, member([perm])))).toEqual([
        'menu.home',
        { 'menu.callCenter': ['menu.blacklist'] },
        { 'menu.settings': ['menu.notifications'] },
      ]);
    }
  });
});
