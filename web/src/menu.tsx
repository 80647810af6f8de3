// The console's menu tree. An entry is shown only when its page exists (a leaf has a
// `page`) and `allow` passes for the signed-in user; a group with no visible child is
// dropped. Adding a screen = one line in MENU (plus its page module).
import { lazy } from 'react';
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
import { can, canViewRobot, canViewTasks, ownerOnly } from './access';
import type { MenuNode } from './menuTree';

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
