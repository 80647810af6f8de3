import { useState } from 'react';
import { App, Badge, Button, Card, Progress, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../api/client';
import type { AppNotification, NotificationPage, NotificationStatus } from '../api/types';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { PageTitle, useIsMobile } from '../components/common';
import { fmtTime } from '../lib/format';

export const STATUS_TAG: Record<NotificationStatus, { color: string; label: MessageKey }> = {
  queued: { color: 'default', label: 'notify.queued' },
  running: { color: 'processing', label: 'notify.running' },
  succeeded: { color: 'success', label: 'notify.succeeded' },
  failed: { color: 'error', label: 'notify.failed' },
};

/** An export's file is the result itself; an import's file lists its rejected rows. */
export const isExport = (n: Pick<AppNotification, 'kind'>) => n.kind.includes('export');

export default function NotificationsPage() {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const list = useQuery({
    queryKey: ['notifications', 'list', { page, pageSize }],
    queryFn: () => api.get<NotificationPage>(`/api/notifications${qs({ page, page_size: pageSize })}`),
    placeholderData: keepPreviousData,
  });

  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });
  const markRead = useMutation({
    mutationFn: (id: number) => api.post(`/api/notifications/${id}/read`),
    onSuccess: refresh,
    onError: (e) => message.error(errText(e)),
  });
  const readAll = useMutation({
    mutationFn: () => api.post('/api/notifications/read-all'),
    onSuccess: () => {
      message.success(t('notify.allReadDone'));
      return refresh();
    },
    onError: (e) => message.error(errText(e)),
  });

  const columns: TableColumnsType<AppNotification> = [
    {
      title: t('notify.title'),
      dataIndex: 'title',
      width: 140,
      fixed: mobile ? undefined : 'left',
      render: (title: string, n) => (
        <Space size={6}>
          {!n.read && <Badge status="processing" aria-label={t('notify.unread')} />}
          <span style={{ fontWeight: n.read ? 400 : 600 }}>{title}</span>
        </Space>
      ),
    },
    {
      title: t('notify.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: NotificationStatus) => <Tag color={STATUS_TAG[s]?.color}>{STATUS_TAG[s] ? t(STATUS_TAG[s].label) : s}</Tag>,
    },
    {
      title: t('notify.progress'),
      dataIndex: 'progress',
      width: 130,
      render: (p: number, n) => (
        <Progress
          percent={Math.max(0, Math.min(100, Math.round(p)))}
          size="small"
          status={n.status === 'failed' ? 'exception' : n.status === 'succeeded' ? 'success' : n.status === 'running' ? 'active' : 'normal'}
        />
      ),
    },
    { title: t('notify.total'), dataIndex: 'total', width: 64, render: (v: number | null) => (v == null ? '-' : v) },
    {
      title: t('notify.success'),
      dataIndex: 'success_count',
      width: 64,
      render: (v: number) => <Typography.Text type={v > 0 ? 'success' : undefined} data-testid="success-count">{v}</Typography.Text>,
    },
    {
      title: t('notify.fail'),
      dataIndex: 'fail_count',
      width: 64,
      render: (v: number) => <Typography.Text type={v > 0 ? 'danger' : undefined} data-testid="fail-count">{v}</Typography.Text>,
    },
    {
      title: t('notify.reason'),
      dataIndex: 'error',
      width: 160,
      // A finished job's note (e.g. how many rows were refused) is a summary, not a failure.
      render: (v: string | null, n) =>
        v ? <Typography.Text type={n.status === 'failed' ? 'danger' : 'secondary'}>{v}</Typography.Text> : '-',
    },
    {
      title: t('notify.report'),
      dataIndex: 'result_file_url',
      width: 130,
      render: (url: string | null, n) =>
        url ? (
          <a href={url} download onClick={() => !n.read && markRead.mutate(n.id)}>
            <DownloadOutlined aria-hidden /> {isExport(n) ? t('notify.downloadFile') : t('notify.downloadReport')}
          </a>
        ) : (
          '-'
        ),
    },
    { title: t('notify.time'), dataIndex: 'created_at', width: 160, render: fmtTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, n) =>
        n.read ? (
          <span className="vx-muted">{t('notify.read')}</span>
        ) : (
          <Button type="link" size="small" onClick={() => markRead.mutate(n.id)}>
            {t('notify.markRead')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void refresh()}>
              {t('common.refresh')}
            </Button>
            <Button icon={<CheckOutlined aria-hidden />} onClick={() => readAll.mutate()} loading={readAll.isPending} disabled={!list.data?.unread}>
              {t('notify.readAll')}
            </Button>
          </Space>
        }
      >
        {t('menu.notifications')}
        {list.data?.unread ? (
          <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 400, marginLeft: 8 }}>
            {t('notify.unreadCount', { n: list.data.unread })}
          </Typography.Text>
        ) : null}
      </PageTitle>
      <Card styles={{ body: { padding: 12 } }}>
        <Table<AppNotification>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isLoading}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.error ? errText(list.error) : t('notify.empty') }}
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
