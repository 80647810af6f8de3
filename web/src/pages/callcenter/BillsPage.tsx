// 呼叫中台 → 我的账单: the company's charges (one per charged call) filtered by time, task and
// number, with the filter's total amount, and 导出 (a background job; the file arrives in 通知列表).
import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Select, Space, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useBills, type Bill } from '../../api/calling';
import { TASKS_PATH, useTasks } from '../../api/tasks';
import { useI18n } from '../../i18n';
import { PageTitle, SearchResetButtons, useIsMobile } from '../../components/common';
import { fmtTime } from '../../lib/format';
import { formatYuan } from '../../lib/money';
import { billFilter, fmtDuration, type BillFilterForm } from '../../lib/calls';
import type { BillFilter } from '../../api/calling';

const DT_FMT = 'YYYY-MM-DD HH:mm';

type FormValues = Omit<BillFilterForm, 'task_id'> & { task?: { value: number; label: string } | null };

/** 任务: searched on the server (the company may have many tasks). */
function TaskPicker(props: { value?: FormValues['task']; onChange?: (v: FormValues['task']) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const tasks = useTasks({ q, page: 1, page_size: 50 });
  return (
    <Select
      {...props}
      labelInValue
      allowClear
      showSearch={{ filterOption: false, onSearch: (v) => setQ(v.trim()) }}
      placeholder={t('bill.allTasks')}
      aria-label={t('bill.task')}
      style={{ width: 200 }}
      loading={tasks.isFetching}
      options={(tasks.data?.items ?? []).map((task) => ({ value: task.id, label: task.name }))}
      onBlur={() => setQ('')}
    />
  );
}

export default function BillsPage() {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [filter, setFilter] = useState<BillFilter>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const bills = useBills(filter, page, pageSize);
  const secs = (n: number) => t('call.secondsN', { n });

  const exportBills = useMutation({
    mutationFn: (f: BillFilter) => api.post<{ job_id: number }>('/api/bills/export', f),
    onSuccess: () => {
      message.success(t('bill.exported'));
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
    onError: (e) => message.error(errText(e)),
  });

  const apply = (v: FormValues) => {
    setFilter(billFilter({ range: v.range, phone: v.phone, task_id: v.task?.value }));
    setPage(1);
  };

  const columns: TableColumnsType<Bill> = [
    { title: t('bill.time'), dataIndex: 'created_at', width: 160, render: fmtTime },
    {
      title: t('bill.task'),
      dataIndex: 'task_name',
      width: 140,
      ellipsis: true,
      render: (name: string, b) =>
        b.task_id != null ? <Link to={`${TASKS_PATH}/${b.task_id}`}>{name || b.task_id}</Link> : <Typography.Text type="secondary">{name || t('bill.deletedTask')}</Typography.Text>,
    },
    { title: t('bill.line'), dataIndex: 'line_name', width: 100, ellipsis: true, render: (v: string) => v || '-' },
    { title: t('bill.phone'), dataIndex: 'phone', width: 120 },
    { title: t('bill.duration'), dataIndex: 'duration_seconds', width: 80, align: 'right', render: fmtDuration },
    { title: t('bill.billed'), dataIndex: 'billed_seconds', width: 90, align: 'right', render: secs },
    { title: t('bill.price'), dataIndex: 'price_mfen_per_minute', width: 110, align: 'right', render: formatYuan },
    { title: t('bill.increment'), dataIndex: 'billing_increment_s', width: 90, align: 'right', render: secs },
    {
      title: t('bill.amount'),
      dataIndex: 'amount_mfen',
      width: 90,
      align: 'right',
      render: (v: number) => <Typography.Text strong>{formatYuan(v)}</Typography.Text>,
    },
    {
      title: t('bill.balance'),
      dataIndex: 'balance_after_mfen',
      width: 100,
      align: 'right',
      render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : undefined}>{formatYuan(v)}</Typography.Text>,
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Button icon={<DownloadOutlined aria-hidden />} loading={exportBills.isPending} onClick={() => exportBills.mutate(filter)}>
            {t('bill.export')}
          </Button>
        }
      >
        {t('menu.bills')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('bill.intro')}</Typography.Paragraph>
      <Card styles={{ body: { padding: 12 } }}>
        <Form<FormValues> form={form} layout="inline" name="bills-filter" onFinish={apply} style={{ rowGap: 8, marginBottom: 12 }}>
          <Form.Item name="range" label={t('bill.range')}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format={DT_FMT} allowEmpty={[true, true]} placeholder={[t('bill.from'), t('bill.to')]} />
          </Form.Item>
          <Form.Item name="task">
            <TaskPicker />
          </Form.Item>
          <Form.Item name="phone">
            <Input allowClear placeholder={t('bill.phonePlaceholder')} aria-label={t('bill.phone')} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item>
            <SearchResetButtons
              onReset={() => {
                form.resetFields();
                apply({});
              }}
            />
          </Form.Item>
        </Form>
        <Space size={32} style={{ marginBottom: 12 }} data-testid="bills-summary">
          <Statistic
            title={t('bill.totalAmount')}
            value={bills.data ? formatYuan(bills.data.total_amount_mfen) : '-'}
            suffix={bills.data ? t('balance.yuan') : undefined}
            data-testid="bills-total-amount"
          />
          <Statistic title={t('bill.count')} value={bills.data ? bills.data.total.toLocaleString() : '-'} data-testid="bills-count" />
        </Space>
        <Table<Bill>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={bills.data?.items ?? []}
          loading={bills.isFetching}
          scroll={mobile ? { x: 'max-content' } : undefined}
          locale={{ emptyText: bills.error ? errText(bills.error) : t('bill.none') }}
          pagination={{
            current: page,
            pageSize,
            total: bills.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n) => t('common.total', { n: n.toLocaleString() }),
            onChange: (p, s) => {
              setPage(s !== pageSize ? 1 : p);
              setPageSize(s);
            },
          }}
        />
      </Card>
    </>
  );
}
