// 呼叫中台 → 线路: the lines the company may call on (its 模拟线路 plus the platform's SIP
// lines assigned to it), with their capacity, use and price.
import { Alert, Card, Progress, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useLines, type CompanyLine } from '../../api/calling';
import { useI18n } from '../../i18n';
import { PageTitle } from '../../components/common';
import { formatYuan } from '../../lib/money';

export default function LinesPage() {
  const { t, errText } = useI18n();
  const lines = useLines();

  const columns: TableColumnsType<CompanyLine> = [
    { title: t('lines.name'), dataIndex: 'name', width: 200 },
    {
      title: t('lines.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: CompanyLine['kind'], l) => <Tag color={k === 'simulated' ? 'purple' : 'blue'}>{l.kind_label || t(k === 'simulated' ? 'lines.simulated' : 'lines.sip')}</Tag>,
    },
    { title: t('lines.maxConcurrency'), dataIndex: 'max_concurrency', width: 100, align: 'right' },
    {
      title: t('lines.inUse'),
      dataIndex: 'in_use',
      width: 160,
      render: (n: number, l) => (
        <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <span style={{ minWidth: 28, textAlign: 'right' }}>{n}</span>
          <Progress
            percent={l.max_concurrency > 0 ? Math.min(100, Math.round((n / l.max_concurrency) * 100)) : 0}
            showInfo={false}
            size="small"
            status={n >= l.max_concurrency ? 'exception' : 'normal'}
            style={{ width: 80, margin: 0 }}
          />
        </div>
      ),
    },
    { title: t('lines.price'), dataIndex: 'price_mfen_per_minute', width: 120, align: 'right', render: (v: number) => formatYuan(v) },
    { title: t('lines.increment'), dataIndex: 'billing_increment_s', width: 110, align: 'right' },
    {
      title: t('lines.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: CompanyLine['status']) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(s === 'active' ? 'lines.active' : 'lines.disabled')}</Tag>,
    },
  ];

  return (
    <>
      <PageTitle>{t('menu.lines')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('lines.intro')}</Typography.Paragraph>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('lines.simulatedNote')} />
      <Card styles={{ body: { padding: 12 } }}>
        <Table<CompanyLine>
          rowKey="id"
          columns={columns}
          dataSource={lines.data ?? []}
          loading={lines.isLoading}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: lines.error ? errText(lines.error) : t('lines.none') }}
          pagination={false}
        />
      </Card>
    </>
  );
}
