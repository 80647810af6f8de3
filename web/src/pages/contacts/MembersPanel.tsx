import { useEffect, useState } from 'react';
import { App, Button, Input, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../api/client';
import type { Department, Member, Page } from '../../api/types';
import { useI18n } from '../../i18n';
import { useIsMobile } from '../../components/common';
import { fmtTime } from '../../lib/format';
import MemberModal from './MemberModal';
import ImportModal from './ImportModal';
import ResetPasswordModal from './ResetPasswordModal';

interface Props {
  depts: Department[];
  departmentId?: number;
  canManage: boolean;
  meId: number;
}

export default function MembersPanel({ depts, departmentId, canManage, meId }: Props) {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'' | 'active' | 'disabled'>('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [resetting, setResetting] = useState<Member | null>(null);

  useEffect(() => setPage(1), [departmentId, q, status]);

  const params = { q, department_id: departmentId, include_sub: departmentId ? true : undefined, status, page, page_size: pageSize };
  const list = useQuery({
    queryKey: ['members', 'list', params],
    queryFn: () => api.get<Page<Member>>(`/api/members${qs(params)}`),
    placeholderData: keepPreviousData,
  });

  const toggle = useMutation({
    mutationFn: (m: Member) => api.post<Member>(`/api/members/${m.id}/${m.status === 'active' ? 'disable' : 'enable'}`),
    onSuccess: (m) => {
      message.success(t(m.status === 'active' ? 'member.enabled' : 'member.disabled'));
      void qc.invalidateQueries({ queryKey: ['members'] });
    },
    onError: (e) => message.error(errText(e)),
  });

  const { modal } = App.useApp();
  const confirmToggle = (m: Member) => {
    const disabling = m.status === 'active';
    modal.confirm({
      title: t(disabling ? 'member.disableTitle' : 'member.enableTitle', { name: m.name }),
      content: disabling ? t('member.disableBody') : undefined,
      okText: t(disabling ? 'member.disable' : 'member.enable'),
      okButtonProps: { danger: disabling },
      cancelText: t('common.cancel'),
      onOk: () => toggle.mutateAsync(m).catch(() => undefined),
    });
  };

  const columns: TableColumnsType<Member> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      fixed: mobile ? undefined : 'left',
      width: 140,
      render: (name: string, m) => (
        <Space size={4} wrap>
          <span>{name}</span>
          {m.is_owner && <Tag color="gold">{t('role.owner')}</Tag>}
          {m.is_department_admin && <Tag color="blue">{t('role.deptAdmin')}</Tag>}
        </Space>
      ),
    },
    { title: t('field.phone'), dataIndex: 'phone', width: 130 },
    { title: t('field.email'), dataIndex: 'email', width: 180, render: (v: string | null) => v || '-' },
    { title: t('field.department'), dataIndex: 'department_name', width: 140, render: (v: string | null) => v || <span className="vx-muted">{t('member.noDept')}</span> },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 120,
      render: (s: Member['status'], m) => (
        <Space size={4} wrap>
          <Tag color={s === 'active' ? 'green' : 'default'}>{t(s === 'active' ? 'member.active' : 'member.inactive')}</Tag>
          {m.must_change_password && (
            <Tooltip title={t('member.mustChangeHint')}>
              <Tag color="orange">{t('member.mustChange')}</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { title: t('member.lastLogin'), dataIndex: 'last_login_at', width: 170, render: fmtTime },
    { title: t('field.createdAt'), dataIndex: 'created_at', width: 170, render: fmtTime },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: mobile ? undefined : 'right',
      width: 200,
      render: (_, m) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing(m)}>
            {t('common.edit')}
          </Button>
          {!m.is_owner && m.id !== meId && (
            <Button type="link" size="small" danger={m.status === 'active'} onClick={() => confirmToggle(m)}>
              {t(m.status === 'active' ? 'member.disable' : 'member.enable')}
            </Button>
          )}
          <Button type="link" size="small" onClick={() => setResetting(m)}>
            {t('member.resetPassword')}
          </Button>
        </Space>
      ),
    });
  }

  return (
    <>
      <div className="vx-toolbar">
        <Input.Search
          allowClear
          placeholder={t('member.searchPlaceholder')}
          aria-label={t('member.search')}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            if (!e.target.value) setQ('');
          }}
          onSearch={(v) => setQ(v.trim())}
          style={{ width: 220 }}
        />
        <Select
          aria-label={t('field.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 120 }}
          options={[
            { value: '', label: t('member.allStatus') },
            { value: 'active', label: t('member.active') },
            { value: 'disabled', label: t('member.inactive') },
          ]}
        />
        <div style={{ flex: 1 }} />
        {canManage && (
          <>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
              {t('member.create')}
            </Button>
            <Button icon={<UploadOutlined aria-hidden />} onClick={() => setImportOpen(true)}>
              {t('member.import')}
            </Button>
          </>
        )}
      </div>
      <Table<Member>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={list.error ? { emptyText: errText(list.error) } : undefined}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
      />
      {editing && (
        <MemberModal
          member={editing === 'new' ? null : editing}
          defaultDepartmentId={departmentId}
          depts={depts}
          onClose={() => setEditing(null)}
        />
      )}
      {importOpen && <ImportModal onClose={() => setImportOpen(false)} />}
      {resetting && <ResetPasswordModal member={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}
