import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Drawer, Form, Input, Space, Table, Tag, Tree, Typography, type TableColumnsType, type TreeDataNode } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { useMember, usePermissionCatalog, usePermissionGroups } from '../api/hooks';
import type { PermissionGroup, PermissionMenu } from '../api/types';
import { useI18n } from '../i18n';
import { PageTitle, useIsMobile, EditLink, DeleteLink } from '../components/common';
import { accessOf, can } from '../access';
import { fmtTime } from '../lib/format';

const MENU_PREFIX = 'menu:';

/** The permission catalog as a checkable tree: one node per menu, its permissions below. */
export function catalogTree(catalog: PermissionMenu[]): TreeDataNode[] {
  return catalog.map((m) => ({
    key: `${MENU_PREFIX}${m.menu}`,
    title: m.menu_label,
    children: m.items.map((i) => ({ key: i.key, title: `${i.label}`, isLeaf: true })),
  }));
}

interface Values {
  name: string;
  description?: string;
}

function GroupDrawer({ group, onClose }: { group: PermissionGroup | null; onClose: () => void }) {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const catalog = usePermissionCatalog();
  const [form] = Form.useForm<Values>();
  const [checked, setChecked] = useState<string[]>(group?.permissions ?? []);
  const [error, setError] = useState<string | null>(null);
  const treeData = useMemo(() => catalogTree(catalog.data ?? []), [catalog.data]);
  const labels = useMemo(() => new Map((catalog.data ?? []).flatMap((m) => m.items.map((i) => [i.key, i.label] as const))), [catalog.data]);

  useEffect(() => {
    form.setFieldsValue({ name: group?.name ?? '', description: group?.description ?? '' });
  }, [group, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { name: v.name.trim(), description: v.description?.trim() ?? '', permissions: checked.filter((k) => !k.startsWith(MENU_PREFIX)) };
      return group ? api.put<PermissionGroup>(`/api/permission-groups/${group.id}`, body) : api.post<PermissionGroup>('/api/permission-groups', body);
    },
    onSuccess: () => {
      message.success(t(group ? 'common.saved' : 'group.created'));
      void qc.invalidateQueries({ queryKey: ['permission-groups'] });
      void qc.invalidateQueries({ queryKey: ['departments'] });
      void qc.invalidateQueries({ queryKey: ['me'] });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'GROUP_NAME_TAKEN') form.setFields([{ name: 'name', errors: [errText(e)] }]);
      else setError(errText(e));
    },
  });

  const selected = checked.filter((k) => !k.startsWith(MENU_PREFIX));

  return (
    <Drawer
      open
      size={mobile ? '100%' : 480}
      title={group ? t('group.editTitle', { name: group.name }) : t('group.create')}
      onClose={onClose}
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
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="group" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('group.name')} name="name" rules={[{ required: true, whitespace: true, message: t('group.nameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item label={t('group.description')} name="description">
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        <Form.Item label={t('group.permissions')} extra={t('group.permissionsHint')}>
          {catalog.error ? (
            <Alert type="error" showIcon title={errText(catalog.error)} />
          ) : (
            <Card size="small" loading={catalog.isLoading} data-testid="permission-tree">
              <Tree
                checkable
                selectable={false}
                defaultExpandAll
                treeData={treeData}
                checkedKeys={checked}
                onCheck={(keys) => setChecked((Array.isArray(keys) ? keys : keys.checked).map(String))}
                key={treeData.length}
              />
            </Card>
          )}
        </Form.Item>
        <Typography.Text type="secondary">
          {t('group.selectedCount', { n: selected.length })}
          {selected.length > 0 && `：${selected.map((k) => labels.get(k) ?? k).join('、')}`}
        </Typography.Text>
      </Form>
    </Drawer>
  );
}

export default function GroupsPage() {
  const mobile = useIsMobile();
  const me = useMember();
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const groups = usePermissionGroups();
  const catalog = usePermissionCatalog();
  const canManage = can('group.manage')(accessOf(me));
  const [editing, setEditing] = useState<PermissionGroup | 'new' | null>(null);
  const labels = useMemo(() => new Map((catalog.data ?? []).flatMap((m) => m.items.map((i) => [i.key, i.label] as const))), [catalog.data]);

  const remove = useMutation({
    mutationFn: (g: PermissionGroup) => api.del(`/api/permission-groups/${g.id}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['permission-groups'] });
    },
    onError: (e) => message.error(errText(e)),
  });

  const columns: TableColumnsType<PermissionGroup> = [
    {
      title: t('group.name'),
      dataIndex: 'name',
      width: 160,
      render: (n: string, g) => (
        <Space size={4}>
          {n}
          {g.is_default && <Tag color="blue">{t('group.default')}</Tag>}
        </Space>
      ),
    },
    { title: t('group.description'), dataIndex: 'description', width: 200, render: (v: string | null) => v || '-' },
    {
      title: t('group.permissions'),
      dataIndex: 'permissions',
      width: 340,
      render: (p: string[]) =>
        p.length ? (
          <Space size={[4, 4]} wrap>
            {p.map((k) => (
              <Tag key={k}>{labels.get(k) ?? k}</Tag>
            ))}
          </Space>
        ) : (
          <span className="vx-muted">{t('group.noPermissions')}</span>
        ),
    },
    { title: t('group.departments'), dataIndex: 'department_count', width: 100 },
    { title: t('field.createdAt'), dataIndex: 'created_at', width: 170, render: fmtTime },
  ];
  if (canManage)
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      fixed: mobile ? undefined : 'right',
      render: (_, g) => (
        <Space size={0}>
          <EditLink
            onClick={() => setEditing(g)}
            disabled={g.is_default && !me.is_owner}
            hint={g.is_default && !me.is_owner ? t('group.defaultOwnerOnly') : undefined}
          />
          <DeleteLink
            disabled={g.is_default}
            hint={g.is_default ? t('group.defaultUndeletable') : undefined}
            title={t('group.deleteTitle', { name: g.name })}
            content={g.department_count > 0 ? t('group.deleteInUse', { n: g.department_count }) : undefined}
            onOk={() => remove.mutateAsync(g)}
          />
        </Space>
      ),
    });

  return (
    <>
      <PageTitle
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
              {t('group.create')}
            </Button>
          )
        }
      >
        {t('menu.groups')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('group.intro')}</Typography.Paragraph>
      <Card styles={{ body: { padding: 12 } }}>
        <Table<PermissionGroup>
          rowKey="id"
          columns={columns}
          dataSource={groups.data ?? []}
          loading={groups.isLoading}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={groups.error ? { emptyText: errText(groups.error) } : undefined}
        />
      </Card>
      {editing && <GroupDrawer group={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

