import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, App, Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, qs } from '../../api/client';
import { usePermissionGroups } from '../../api/hooks';
import type { Department, Member, Page, PermissionGroup, SettingKey } from '../../api/types';
import { useI18n } from '../../i18n';
import { deptPath } from '../../lib/deptTree';
import { useIsMobile } from '../../components/common';

interface Values {
  name: string;
  admin_user_id?: number | null;
  inherit: Record<SettingKey, boolean>;
  permission_group_id?: number | null;
  recycle_days?: number | null;
  claim_quota?: number | null;
  sales_stages?: string[];
}

const SETTING_KEYS: SettingKey[] = ['permission_group_id', 'recycle_days', 'claim_quota', 'sales_stages'];

/**
 * The value a department would inherit for one setting: its parent's effective value;
 * for a top-level department the company default (seen on any top-level department that
 * inherits it, or the default permission group).
 */
export function inheritedValue(
  dept: Department,
  depts: Department[],
  key: SettingKey,
  groups: PermissionGroup[] | undefined,
): string | number | string[] | null | undefined {
  const pick = (d: Department) => (key === 'permission_group_id' ? d.effective.permission_group_name : d.effective[key]);
  const parent = dept.parent_id != null ? depts.find((d) => d.id === dept.parent_id) : undefined;
  if (parent) return pick(parent);
  if (dept.effective.inherited?.[key]) return pick(dept);
  const other = depts.find((d) => d.parent_id == null && d.effective.inherited?.[key]);
  if (other) return pick(other);
  if (key === 'permission_group_id') return groups?.find((g) => g.is_default)?.name;
  return undefined;
}

export default function DeptSettingsDrawer({ dept, depts, onClose }: { dept: Department; depts: Department[]; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [memberQ, setMemberQ] = useState('');
  const groups = usePermissionGroups();
  const members = useQuery({
    queryKey: ['members', 'pick', memberQ],
    queryFn: () => api.get<Page<Member>>(`/api/members${qs({ q: memberQ, status: 'active', page: 1, page_size: 50 })}`),
  });

  useEffect(() => {
    const s = dept.settings;
    form.setFieldsValue({
      name: dept.name,
      admin_user_id: dept.admin_user_id ?? undefined,
      inherit: {
        permission_group_id: s.permission_group_id == null,
        recycle_days: s.recycle_days == null,
        claim_quota: s.claim_quota == null,
        sales_stages: s.sales_stages == null,
      },
      permission_group_id: s.permission_group_id ?? dept.effective.permission_group_id ?? undefined,
      recycle_days: s.recycle_days ?? dept.effective.recycle_days ?? undefined,
      claim_quota: s.claim_quota ?? dept.effective.claim_quota ?? undefined,
      sales_stages: s.sales_stages ?? dept.effective.sales_stages ?? [],
    });
  }, [dept, form]);

  const inherit = Form.useWatch('inherit', form);

  const adminOptions = useMemo(() => {
    const opts = (members.data?.items ?? []).map((m) => ({
      value: m.id,
      label: `${m.name}（${m.phone}）${m.department_name ? ` · ${m.department_name}` : ''}`,
    }));
    if (dept.admin_user_id != null && !opts.some((o) => o.value === dept.admin_user_id)) {
      opts.unshift({ value: dept.admin_user_id, label: dept.admin_name ?? `#${dept.admin_user_id}` });
    }
    return opts;
  }, [members.data, dept.admin_user_id, dept.admin_name]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      api.put<Department>(`/api/departments/${dept.id}`, {
        name: v.name.trim(),
        admin_user_id: v.admin_user_id ?? null,
        settings: {
          permission_group_id: v.inherit.permission_group_id ? null : (v.permission_group_id ?? null),
          recycle_days: v.inherit.recycle_days ? null : (v.recycle_days ?? null),
          claim_quota: v.inherit.claim_quota ? null : (v.claim_quota ?? null),
          sales_stages: v.inherit.sales_stages ? null : (v.sales_stages ?? []).map((s) => s.trim()).filter(Boolean),
        },
      }),
    onSuccess: () => {
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['departments'] });
      void qc.invalidateQueries({ queryKey: ['members'] });
      void qc.invalidateQueries({ queryKey: ['permission-groups'] });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'DEPARTMENT_NAME_TAKEN') form.setFields([{ name: 'name', errors: [errText(e)] }]);
      else if (e instanceof ApiError && e.code === 'UNKNOWN_MEMBER') form.setFields([{ name: 'admin_user_id', errors: [errText(e)] }]);
      else setError(errText(e));
    },
  });

  const showValue = (key: SettingKey): ReactNode => {
    const v = inheritedValue(dept, depts, key, groups.data);
    if (v == null || (Array.isArray(v) && v.length === 0)) return <Typography.Text type="secondary">{t('dept.companyDefault')}</Typography.Text>;
    if (Array.isArray(v))
      return (
        <Space size={[4, 4]} wrap>
          {v.map((s) => (
            <Tag key={s}>{s}</Tag>
          ))}
        </Space>
      );
    if (key === 'recycle_days') return t('dept.daysValue', { n: v });
    return String(v);
  };

  const inheritRow = (key: SettingKey, label: string, editor: ReactNode, rules?: object[]) => (
    <Form.Item label={label} required={false} style={{ marginBottom: 20 }}>
      <Form.Item name={['inherit', key]} valuePropName="checked" noStyle>
        <Checkbox aria-label={`${label} ${t('dept.inherit')}`}>{t('dept.inherit')}</Checkbox>
      </Form.Item>
      {inherit?.[key] ? (
        <div style={{ marginTop: 8 }} data-testid={`inherited-${key}`}>
          <Typography.Text type="secondary">{t('dept.inheritedValue')}：</Typography.Text>
          {showValue(key)}
        </div>
      ) : (
        <Form.Item name={key} noStyle rules={rules}>
          {editor}
        </Form.Item>
      )}
    </Form.Item>
  );

  return (
    <Drawer
      open
      title={t('dept.settingsTitle', { name: deptPath(depts, dept.id) || dept.name })}
      onClose={onClose}
      size={mobile ? '100%' : 480}
      destroyOnHidden
      footer={
        <Space style={{ justifyContent: 'flex-end', width: '100%' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}
      <Form form={form} name="dept-settings" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('dept.name')} name="name" rules={[{ required: true, whitespace: true, message: t('dept.nameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label={t('dept.admin')} name="admin_user_id" extra={t('dept.adminHint')}>
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setMemberQ }}
            options={adminOptions}
            loading={members.isFetching}
            placeholder={t('dept.adminPlaceholder')}
            notFoundContent={t('common.noData')}
          />
        </Form.Item>
        <Typography.Title level={5}>{t('dept.customTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('dept.customHint')}
        </Typography.Paragraph>
        {inheritRow(
          'permission_group_id',
          t('dept.group'),
          <Select
            options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.is_default ? `${g.name}（${t('group.default')}）` : g.name }))}
            loading={groups.isLoading}
            placeholder={t('dept.groupPlaceholder')}
            style={{ width: '100%', marginTop: 8 }}
          />,
          [{ required: true, message: t('dept.groupPlaceholder') }],
        )}
        {inheritRow(
          'recycle_days',
          t('dept.recycleDays'),
          <InputNumber min={1} max={3650} precision={0} style={{ width: '100%', marginTop: 8 }} suffix={t('dept.days')} />,
          [{ required: true, message: t('dept.numberRequired') }],
        )}
        {inheritRow(
          'claim_quota',
          t('dept.claimQuota'),
          <InputNumber min={0} max={1000000} precision={0} style={{ width: '100%', marginTop: 8 }} />,
          [{ required: true, message: t('dept.numberRequired') }],
        )}
        {inheritRow(
          'sales_stages',
          t('dept.salesStages'),
          <Select mode="tags" open={false} style={{ width: '100%', marginTop: 8 }} placeholder={t('dept.stagesPlaceholder')} tokenSeparators={[',', '，']} />,
          [{ required: true, type: 'array', min: 1, message: t('dept.stagesRequired') }],
        )}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('dept.claimHint')}
        </Typography.Paragraph>
      </Form>
    </Drawer>
  );
}

export { SETTING_KEYS };
