// 实时监控 on a task's page: the counters, today's figures, the balance and the calls in progress
// with their elapsed time, from the live snapshots (the task's own figures until the first one).
import { useEffect, useState } from 'react';
import { Alert, Badge, Card, Col, Empty, Row, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import type { LiveCall, LiveSnapshot } from '../../api/calls';
import type { TaskDetail } from '../../api/tasks';
import { useI18n } from '../../i18n';
import { formatYuan } from '../../lib/money';
import { fmtRate } from '../../lib/tasks';
import { elapsedSeconds, fmtDuration } from '../../lib/calls';
import { CallStatusTag } from './callParts';

/** Re-renders every second while `active`, for the elapsed times. */
function useTick(active: boolean) {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const id = window.setInterval(() => setTick((n) => n + 1), 1000);
    return () => window.clearInterval(id);
  }, [active]);
}

function Stat({ title, value, testId }: { title: string; value: string | number; testId: string }) {
  return (
    <Col xs={12} sm={6}>
      <Statistic title={title} value={value} data-testid={testId} styles={{ content: { fontSize: 20 } }} />
    </Col>
  );
}

export default function LivePanel({ task, snapshot, connected }: { task: TaskDetail; snapshot: LiveSnapshot | null; connected: boolean }) {
  const { t } = useI18n();
  const s = snapshot?.task ?? task;
  const calls = snapshot?.in_progress ?? [];
  useTick(calls.length > 0);
  const now = Date.now();

  const columns: TableColumnsType<LiveCall> = [
    { title: t('call.phone'), dataIndex: 'phone', width: 120 },
    { title: t('call.name'), dataIndex: 'name', width: 80, ellipsis: true, render: (v: string) => v || '-' },
    { title: t('live.state'), dataIndex: 'state', width: 80, render: (_, c) => <CallStatusTag call={{ state: c.state, status: '', status_label: '' }} /> },
    {
      title: t('live.elapsed'),
      key: 'elapsed',
      width: 70,
      render: (_, c) => <span data-testid="live-elapsed">{fmtDuration(elapsedSeconds(c, now))}</span>,
    },
  ];

  return (
    <Card
      size="small"
      title={t('live.title')}
      style={{ marginBottom: 12 }}
      extra={<Badge status={connected ? 'processing' : 'default'} text={connected ? t('live.connected') : t('live.connecting')} />}
      data-testid="live-panel"
    >
      {s.status === 'running' && s.idle_reason && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('taskDetail.idle', { reason: s.idle_reason })} data-testid="idle-alert" />
      )}
      <Row gutter={[16, 12]}>
        <Col xs={24} lg={13}>
          <Row gutter={[12, 12]}>
            <Stat title={t('taskDetail.total')} value={s.total_numbers.toLocaleString()} testId="live-total" />
            <Stat title={t('taskDetail.called')} value={s.called_numbers.toLocaleString()} testId="live-called" />
            <Stat title={t('taskDetail.connected')} value={s.connected_numbers.toLocaleString()} testId="live-connected" />
            <Stat title={t('taskDetail.connectRate')} value={fmtRate(s.connect_rate, s.called_numbers)} testId="live-rate" />
            <Stat title={t('live.inProgress')} value={calls.length} testId="live-in-progress" />
            <Stat title={t('live.finishedToday')} value={snapshot ? snapshot.finished_today.toLocaleString() : '-'} testId="live-finished-today" />
            <Stat title={t('live.answeredToday')} value={snapshot ? snapshot.answered_today.toLocaleString() : '-'} testId="live-answered-today" />
            <Stat title={t('live.balance')} value={snapshot?.balance ? formatYuan(snapshot.balance.balance_mfen) : '-'} testId="live-balance" />
          </Row>
        </Col>
        <Col xs={24} lg={11}>
          <Typography.Text type="secondary">{t('live.inProgressN', { n: calls.length })}</Typography.Text>
          {calls.length > 0 ? (
            <div data-testid="live-calls">
              <Table<LiveCall> rowKey="call_id" size="small" style={{ marginTop: 4 }} columns={columns} dataSource={calls} pagination={false} scroll={{ y: 150 }} />
            </div>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('live.none')} style={{ margin: '12px 0' }} />
          )}
        </Col>
      </Row>
    </Card>
  );
}
