import { describe, expect, it } from 'vitest';
import type { Department, PermissionGroup } from '../../api/types';
import { inheritedValue } from './DeptSettingsDrawer';

const dept = (id: number, parent_id: number | null, own: Partial<Department['settings']>, eff: Partial<Department['effective']>): Department => ({
  id,
  parent_id,
  name: `D${id}`,
  sort_order: id,
  admin_user_id: null,
  admin_name: null,
  member_count: 0,
  settings: { permission_group_id: null, recycle_days: null, claim_quota: null, sales_stages: null, ...own },
  effective: {
    permission_group_id: 1,
    permission_group_name: '默认权限组',
    recycle_days: 30,
    claim_quota: 100,
    sales_stages: ['系统演示'],
    inherited: { permission_group_id: own.permission_group_id == null, recycle_days: own.recycle_days == null, claim_quota: own.claim_quota == null, sales_stages: own.sales_stages == null },
    ...eff,
  },
});

const groups: PermissionGroup[] = [{ id: 1, name: '默认权限组', description: '', permissions: [], is_default: true, department_count: 0, created_at: '' }];

describe('inheritedValue', () => {
  const top = dept(1, null, { recycle_days: 7 }, { recycle_days: 7 });
  const other = dept(2, null, {}, {});
  const child = dept(3, 1, { claim_quota: 5 }, { recycle_days: 7, claim_quota: 5 });
  const all = [top, other, child];

  it("takes the parent's effective value", () => {
    expect(inheritedValue(child, all, 'recycle_days', groups)).toBe(7);
    expect(inheritedValue(child, all, 'claim_quota', groups)).toBe(100);
    expect(inheritedValue(child, all, 'permission_group_id', groups)).toBe('默认权限组');
  });

  it('uses the company default for a top-level department', () => {
    // overridden here: the default is read from another top-level department that inherits it
    expect(inheritedValue(top, all, 'recycle_days', groups)).toBe(30);
    // inherited here: its own effective value is the default
    expect(inheritedValue(other, all, 'sales_stages', groups)).toEqual(['系统演示']);
  });

  it('falls back to the default permission group, or unknown', () => {
    const only = dept(5, null, { permission_group_id: 9, recycle_days: 3 }, { permission_group_id: 9, permission_group_name: 'X', recycle_days: 3 });
    expect(inheritedValue(only, [only], 'permission_group_id', groups)).toBe('默认权限组');
    expect(inheritedValue(only, [only], 'recycle_days', groups)).toBeUndefined();
  });
});
