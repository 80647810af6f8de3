// Types of the Voxdial API (as /api/openapi.json describes it).

export interface Company {
  id: number;
  name: string;
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  status: 'active' | 'suspended';
}

export interface MemberMe {
  kind: 'member';
  id: number;
  name: string;
  phone: string;
  email: string | null;
  avatar_url: string | null;
  is_owner: boolean;
  is_department_admin: boolean;
  department_id: number | null;
  department_name: string | null;
  must_change_password: boolean;
  popup_enabled: boolean;
  permissions: string[];
  company: Company;
}

export interface OperatorMe {
  kind: 'operator';
  id: number;
  name: string;
  login: string;
  must_change_password: boolean;
}

export type Me = MemberMe | OperatorMe;

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PermissionItem {
  key: string;
  label: string;
}

export interface PermissionMenu {
  menu: string;
  menu_label: string;
  items: PermissionItem[];
}

export interface Member {
  id: number;
  name: string;
  phone: string;
  email: string | null;
  department_id: number | null;
  department_name: string | null;
  is_owner: boolean;
  is_department_admin: boolean;
  status: 'active' | 'disabled';
  must_change_password: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface DepartmentSettings {
  permission_group_id: number | null;
  recycle_days: number | null;
  claim_quota: number | null;
  sales_stages: string[] | null;
}

export type SettingKey = keyof DepartmentSettings;

export interface DepartmentEffective {
  permission_group_id: number | null;
  permission_group_name: string | null;
  recycle_days: number | null;
  claim_quota: number | null;
  sales_stages: string[] | null;
  inherited: Partial<Record<SettingKey, boolean>>;
}

export interface Department {
  id: number;
  parent_id: number | null;
  name: string;
  sort_order: number;
  admin_user_id: number | null;
  admin_name: string | null;
  member_count: number;
  settings: DepartmentSettings;
  effective: DepartmentEffective;
}

export interface PermissionGroup {
  id: number;
  name: string;
  description: string | null;
  permissions: string[];
  is_default: boolean;
  department_count: number;
  created_at: string;
}

export interface AuditEntry {
  id: number;
  actor_name: string | null;
  action: string;
  action_label: string | null;
  target: string | null;
  detail: string | null;
  ip: string | null;
  created_at: string;
}

export type NotificationStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface AppNotification {
  id: number;
  kind: string;
  title: string;
  status: NotificationStatus;
  progress: number;
  total: number | null;
  success_count: number;
  fail_count: number;
  error: string | null;
  result_file_url: string | null;
  read: boolean;
  created_at: string;
  finished_at: string | null;
}

export interface NotificationPage extends Page<AppNotification> {
  unread: number;
}

export interface OperatorCompany {
  id: number;
  name: string;
  status: 'active' | 'suspended';
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  owner_name: string | null;
  owner_phone: string | null;
  member_count: number;
  created_at: string;
  /** Balance and overdraft limit in mfen (1/100 000 元). */
  balance_mfen: number;
  overdraft_mfen: number;
}

export interface ImportAccepted {
  job_id: number;
  notification_id: number;
}
