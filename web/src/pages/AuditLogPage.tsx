import { useState } from 'react';
import { Button, Card, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs } from '../api/client';
import type { AuditEntry, Page } from '../api/types';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { PageTitle } from '../components/common';
import { fmtTime } from '../lib/format';

/** Known audit actions (the server's `audit::by` calls) and their labels. */
export const AUDIT_ACTIONS: [string, MessageKey][] = [
  ['login', 'audit.a.login'],
  ['login_failed', 'audit.a.login_failed'],
  ['logout', 'audit.a.logout'],
  ['member.create', 'audit.a.member.create'],
  ['member.update', 'audit.a.member.update'],
  ['member.disable', 'audit.a.member.disable'],
  ['member.enable', 'audit.a.member.enable'],
  ['member.reset_password', 'audit.a.member.reset_password'],
  ['member.import', 'audit.a.member.import'],
  ['department.create', 'audit.a.department.create'],
  ['department.update', 'audit.a.department.update'],
  ['department.move', 'audit.a.department.move'],
  ['department.delete', 'audit.a.department.delete'],
  ['group.create', 'audit.a.group.create'],
  ['group.update', 'audit.a.group.update'],
  ['group.delete', 'audit.a.group.delete'],
  ['profile.update', 'audit.a.profile.update'],
  ['password.change', 'audit.a.password.change'],
  ['company.update', 'audit.a.company.update'],
];

export default function AuditLogPage() {
  const { t, lang, errText } = useI18n();
  const [action, setAction] = useState<string | undefined>();
  const [actorInput, setActorInput] = useState('');
  const [actor, setActor] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const params = { action, actor, page, page_size: pageSize };
  const list = useQuery({
    queryKey: ['audit-log', params],
    queryFn: () => api.get<Page<AuditEntry>>(`/api/audit-log${qs(params)}`),
    placeholderData: keepPreviousData,
  });
  const labelOf = new Map(AUDIT_ACTIONS.map(([k, l]) => [k, t(l)]));

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.time'), dataIndex: 'created_at', width: 170, render: fmtTime },
    { title: t('audit.actor'), dataIndex: 'actor_name', width: 120, render: (v: string | null) => v || '-' },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 140,
      render: (a: string, e) => (
        <Tag color={a === 'login_failed' ? 'red' : a.endsWith('delete') || a.endsWith('disable') ? 'orange' : 'blue'}>
          {lang === 'zh' ? e.action_label || labelOf.get(a) || a : labelOf.get(a) || e.action_label || a}
        </Tag>
      ),
    },
    { title: t('audit.target'), dataIndex: 'target', width: 180, render: (v: string | null) => v || '-' },
    { title: t('audit.detail'), dataIndex: 'detail', render: (v: string | null) => v || '-' },
    { title: 'IP', dataIndex: 'ip', width: 130, render: (v: string | null) => v || '-' },
  ];

  return (
    <>
      <PageTitle>{t('menu.audit')}</PageTitle>
      <Card styles={{ body: { padding: 12 } }}>
        <div className="vx-toolbar">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.allActions')}
            aria-label={t('audit.action')}
            style={{ width: 200 }}
            value={action}
            onChange={(v) => {
              setAction(v);
              setPage(1);
            }}
            options={AUDIT_ACTIONS.map(([k, l]) => ({ value: k, label: t(l) }))}
          />
          <Input.Search
            allowClear
            placeholder={t('audit.actorPlaceholder')}
            aria-label={t('audit.actor')}
            style={{ width: 200 }}
            value={actorInput}
            onChange={(e) => {
              setActorInput(e.target.value);
              if (!e.target.value) {
                setActor('');
                setPage(1);
              }
            }}
            onSearch={(v) => {
              setActor(v.trim());
              setPage(1);
            }}
          />
          <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void list.refetch()} aria-label={t('common.refresh')}>
            <span className="vx-hide-mobile">{t('common.refresh')}</span>
          </Button>
        </div>
        <Table<AuditEntry>
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
      </Card>
    </>
  );
}
