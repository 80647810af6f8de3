// The console's menu tree. An entry is shown only when its page exists (a leaf has a
// `page`) and `allow` passes for the signed-in user; a group with no visible child is
// dropped. Adding a screen = one line in MENU (plus its page module).
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  HomeOutlined,
  OrderedListOutlined,
  PhoneOutlined,
  RobotOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  ControlOutlined,
  MessageOutlined,
  OpenAIOutlined,
  TagsOutlined,
  StopOutlined,
  ApiOutlined,
  ClockCircleOutlined,
  UnorderedListOutlined,
  AccountBookOutlined,
} from '@ant-design/icons';
import type { MessageKey } from './i18n/messages';
import type { MemberMe } from './api/types';

export interface AccessCtx {
  isOwner: boolean;
  permissions: ReadonlySet<string>;
}

export type Allow = (ctx: AccessCtx) => boolean;

export interface MenuLeaf {
  key: string;
  label: MessageKey;
  path: string;
  icon?: ReactNode;
  allow?: Allow;
  /** The screen; an entry without one is never shown. */
  page?: LazyExoticComponent<ComponentType>;
}

export interface MenuGroup {
  key: string;
  label: MessageKey;
  icon?: ReactNode;
  allow?: Allow;
  children: MenuNode[];
}

export type MenuNode = MenuLeaf | MenuGroup;

export const isGroup = (n: MenuNode): n is MenuGroup => 'children' in n;

/** The owner has every permission. */
export const can =
  (...keys: string[]): Allow =>
  (ctx) =>
    ctx.isOwner || keys.some((k) => ctx.permissions.has(k));
export const ownerOnly: Allow = (ctx) => ctx.isOwner;

export function accessOf(me: Pick<MemberMe, 'is_owner' | 'permissions'>): AccessCtx {
  return { isOwner: me.is_owner, permissions: new Set(me.permissions) };
}

const Home = lazy(() => import('./pages/Home'));
const Contacts = lazy(() => import('./pages/contacts/ContactsPage'));
const Groups = lazy(() => import('./pages/GroupsPage'));
const Audit = lazy(() => import('./pages/AuditLogPage'));
const Notifications = lazy(() => import('./pages/NotificationsPage'));
const Scripts = lazy(() => import('./pages/robot/ScriptsPage'));
const Grading = lazy(() => import('./pages/robot/GradingPage'));
const CallSettings = lazy(() => import('./pages/callcenter/CallSettingsPage'));
const UserTags = lazy(() => import('./pages/robot/UserTagsPage'));
const LlmRobots = lazy(() => import('./pages/robot/LlmRobotsPage'));
const Lines = lazy(() => import('./pages/callcenter/LinesPage'));
const Blacklist = lazy(() => import('./pages/callcenter/BlacklistPage'));
const CallTime = lazy(() => import('./pages/callcenter/CallTimePage'));
const Bills = lazy(() => import('./pages/callcenter/BillsPage'));
export const ScriptEditor = lazy(() => import('./pages/robot/ScriptEditorPage'));
export const LlmRobotEditor = lazy(() => import('./pages/robot/LlmRobotEditorPage'));
const Tasks = lazy(() => import('./pages/tasks/TasksPage'));
export const TaskForm = lazy(() => import('./pages/tasks/TaskFormPage'));
export const TaskView = lazy(() => import('./pages/tasks/TaskDetailPage'));

/** 我的账单 (the dialer contract names it /callcenter/bills: App.tsx redirects that path here). */
export const BILLS_PATH = '/call-center/bills';

/** Who may open the robot centre (the script editor route uses it too). */
export const canViewRobot = can('robot.view', 'robot.manage');
/** Who may open AI呼叫2.0 (the task form and task pages use it too). */
export const canViewTasks = can('task.view', 'task.manage');

export const MENU: MenuNode[] = [
  { key: 'home', label: 'menu.home', path: '/', icon: <HomeOutlined aria-hidden />, page: Home },
  {
    key: 'call-center',
    label: 'menu.callCenter',
    icon: <PhoneOutlined aria-hidden />,
    children: [
      { key: 'tasks', label: 'menu.tasks', path: '/call-center/tasks', icon: <UnorderedListOutlined aria-hidden />, allow: canViewTasks, page: Tasks },
      { key: 'lines', label: 'menu.lines', path: '/call-center/lines', icon: <ApiOutlined aria-hidden />, allow: canViewTasks, page: Lines },
      { key: 'blacklist', label: 'menu.blacklist', path: '/call-center/blacklist', icon: <StopOutlined aria-hidden />, allow: can('blacklist.view', 'blacklist.manage'), page: Blacklist },
      { key: 'call-time', label: 'menu.callTime', path: '/call-center/call-time', icon: <ClockCircleOutlined aria-hidden />, allow: canViewTasks, page: CallTime },
      { key: 'bills', label: 'menu.bills', path: BILLS_PATH, icon: <AccountBookOutlined aria-hidden />, allow: can('billing.view'), page: Bills },
      { key: 'call-settings', label: 'menu.callSettings', path: '/call-center/settings', icon: <ControlOutlined aria-hidden />, allow: can('robot.view'), page: CallSettings },
    ],
  },
  {
    key: 'robot',
    label: 'menu.robot',
    icon: <RobotOutlined aria-hidden />,
    children: [
      { key: 'scripts', label: 'menu.scripts', path: '/robot/scripts', icon: <MessageOutlined aria-hidden />, allow: canViewRobot, page: Scripts },
      { key: 'llm-robots', label: 'menu.llmRobots', path: '/robot/llm-robots', icon: <OpenAIOutlined aria-hidden />, allow: canViewRobot, page: LlmRobots },
      { key: 'user-tags', label: 'menu.userTags', path: '/robot/tags', icon: <TagsOutlined aria-hidden />, allow: canViewRobot, page: UserTags },
      { key: 'grading', label: 'menu.grading', path: '/robot/grading', icon: <OrderedListOutlined aria-hidden />, allow: canViewRobot, page: Grading },
    ],
  },
  {
    key: 'org',
    label: 'menu.org',
    icon: <TeamOutlined aria-hidden />,
    children: [
      { key: 'contacts', label: 'menu.contacts', path: '/org/contacts', icon: <ApartmentOutlined aria-hidden />, allow: can('member.view', 'department.manage', 'member.manage'), page: Contacts },
      { key: 'groups', label: 'menu.groups', path: '/org/groups', icon: <SafetyCertificateOutlined aria-hidden />, allow: can('group.manage', 'department.manage'), page: Groups },
    ],
  },
  {
    key: 'settings',
    label: 'menu.settings',
    icon: <SettingOutlined aria-hidden />,
    children: [
      { key: 'audit', label: 'menu.audit', path: '/settings/audit-log', icon: <AuditOutlined aria-hidden />, allow: ownerOnly, page: Audit },
      { key: 'notifications', label: 'menu.notifications', path: '/settings/notifications', icon: <BellOutlined aria-hidden />, page: Notifications },
    ],
  },
];

/** Removes entries the user may not see and groups left empty. */
export function filterMenu(nodes: readonly MenuNode[], ctx: AccessCtx): MenuNode[] {
  const out: MenuNode[] = [];
  for (const n of nodes) {
    if (n.allow && !n.allow(ctx)) continue;
    if (isGroup(n)) {
      const children = filterMenu(n.children, ctx);
      if (children.length > 0) out.push({ ...n, children });
    } else if (n.page) {
      out.push(n);
    }
  }
  return out;
}

/** All visible leaves, depth first. */
export function menuLeaves(nodes: readonly MenuNode[]): MenuLeaf[] {
  return nodes.flatMap((n) => (isGroup(n) ? menuLeaves(n.children) : n.page ? [n] : []));
}

/**
 * Keys of the groups on the way to the leaf with `path` (to open the menu there); a
 * sub-page (`/robot/scripts/7`) belongs to the leaf whose path is its prefix.
 */
export function menuPathKeys(nodes: readonly MenuNode[], path: string): { leaf?: string; groups: string[] } {
  const exact = menuPathKeysExact(nodes, path);
  if (exact.leaf) return exact;
  const parent = path.replace(/\/[^/]*$/, '');
  return parent && parent !== path ? menuPathKeys(nodes, parent) : { groups: [] };
}

function menuPathKeysExact(nodes: readonly MenuNode[], path: string): { leaf?: string; groups: string[] } {
  for (const n of nodes) {
    if (isGroup(n)) {
      const r = menuPathKeysExact(n.children, path);
      if (r.leaf) return { leaf: r.leaf, groups: [n.key, ...r.groups] };
    } else if (n.path === path) {
      return { leaf: n.key, groups: [] };
    }
  }
  return { groups: [] };
}
