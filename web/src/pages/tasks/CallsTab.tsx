// The 通话记录 tab of a task: filters, the paged calls (calls in progress first show 呼叫中 /
// 通话中), and the call detail drawer. Page 1 without filters follows the live view.
import { useEffect, useRef, useState } from 'react';
import { Button, DatePicker, Form, InputNumber, Select, Space, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { callsKey, useTaskCalls, type CallFilters, type CallSummary } from '../../api/calls';
import { useI18n } from '../../i18n';
import { SearchResetButtons, useIsMobile } from '../../components/common';
import { fmtTime } from '../../lib/format';
import { formatYuan } from '../../lib/money';
import { DEFAULT_LEVELS, LEVEL_CODES, levelLabel } from '../../lib/callSettings';
import { NUMBER_STATUSES } from '../../lib/tasks';
import { callFilters, callStatusKey, fmtDuration, isInProgress, isUnfiltered, type CallFilterForm } from '../../lib/calls';
import CallDrawer from './CallDrawer';
import { CallStatusTag, GradeTag, useHangupText } from './callParts';

const DT_FMT = 'YYYY-MM-DD HH:mm';
/** A finished call has an outcome; pending and calling are states of numbers, not of calls. */
const CALL_STATUSES = NUMBER_STATUSES.filter((s) => s !== 'pending' && s !== 'calling');

/** `changeKey` changes when the live view sees calls start or finish. */
export default function CallsTab({ taskId, changeKey }: { taskId: string; changeKey?: string }) {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm<CallFilterForm>();
  const [filters, setFilters] = useState<CallFilters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [stale, setStale] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const calls = useTaskCalls(taskId, filters, page, pageSize);
  const hangupText = useHangupText();

  // Page 1 without filters refreshes itself; elsewhere a 刷新 button offers the new calls, so
  // the rows do not move under the user's eyes.
  const following = page === 1 && isUnfiltered(filters);
  const lastKey = useRef(changeKey);
  useEffect(() => {
    if (changeKey === lastKey.current) return;
    lastKey.current = changeKey;
    if (following) void qc.invalidateQueries({ queryKey: callsKey(taskId) }, { cancelRefetch: false });
    else setStale(true);
  }, [changeKey, following, qc, taskId]);

  const refresh = () => {
    setStale(false);
    void qc.invalidateQueries({ queryKey: callsKey(taskId) });
  };
  const apply = (v: CallFilterForm) => {
    setFilters(callFilters(v));
    setPage(1);
    setStale(false);
  };

  const columns: TableColumnsType<CallSummary> = [
    { title: t('call.phone'), dataIndex: 'phone', width: 130, fixed: mobile ? undefined : 'left' },
    { title: t('call.name'), dataIndex: 'name', width: 90, render: (v: string) => v || '-' },
    { title: t('call.status'), dataIndex: 'status', width: 100, render: (_, c) => <CallStatusTag call={c} /> },
    { title: t('call.grade'), dataIndex: 'grade', width: 110, render: (_, c) => <GradeTag call={c} /> },
    { title: t('call.duration'), dataIndex: 'duration_s', width: 90, render: (v: number, c) => (isInProgress(c) ? '-' : fmtDuration(v)) },
    { title: t('call.interactions'), dataIndex: 'interactions', width: 80 },
    { title: t('call.hangupBy'), dataIndex: 'hangup_by', width: 80, render: (_, c) => (isInProgress(c) ? '-' : hangupText(c)) },
    { title: t('call.cost'), dataIndex: 'cost_mfen', width: 90, render: (v: number, c) => (isInProgress(c) ? '-' : formatYuan(v)) },
    { title: t('call.dialedAt'), dataIndex: 'dialed_at', width: 160, render: fmtTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 70,
      fixed: mobile ? undefined : 'right',
      render: (_, c) => (
        <Button
          type="link"
          size="small"
          onClick={(e) => {
            e.stopPropagation();
            setOpenId(c.id);
          }}
        >
          {t('call.detail')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Form<CallFilterForm> form={form} layout="inline" name="task-calls-filter" onFinish={apply} style={{ rowGap: 8, marginBottom: 12 }}>
        <Form.Item name="range" label={t('call.timeRange')}>
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format={DT_FMT}
            allowEmpty={[true, true]}
            placeholder={[t('call.from'), t('call.to')]}
            aria-label={t('call.timeRange')}
          />
        </Form.Item>
        <Form.Item name="grades">
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('call.grade')}
            aria-label={t('call.grade')}
            style={{ width: 170 }}
            // The tags show the letter, the list the whole label (A级(较强意向)).
            options={LEVEL_CODES.map((l) => ({ value: l, label: l, title: levelLabel(DEFAULT_LEVELS, l) }))}
            optionRender={(o) => o.data.title}
          />
        </Form.Item>
        <Form.Item name="statuses">
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('call.status')}
            aria-label={t('call.status')}
            style={{ width: 200 }}
            options={CALL_STATUSES.map((s) => ({ value: s, label: t(callStatusKey(s)!) }))}
          />
        </Form.Item>
        <Form.Item label={t('call.duration')}>
          <Space.Compact>
            <Form.Item name="min_duration" noStyle>
              <InputNumber min={0} precision={0} placeholder={t('call.minDuration')} aria-label={t('call.minDuration')} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="max_duration" noStyle>
              <InputNumber min={0} precision={0} placeholder={t('call.maxDuration')} aria-label={t('call.maxDuration')} style={{ width: 100 }} />
            </Form.Item>
          </Space.Compact>
        </Form.Item>
        <Form.Item>
          <SearchResetButtons
            onReset={() => {
              form.resetFields();
              apply({});
            }}
          >
            <Tooltip title={t('common.refresh')}>
              <Button icon={<ReloadOutlined aria-hidden />} aria-label={t('common.refresh')} onClick={refresh} />
            </Tooltip>
            {stale && (
              <Typography.Link onClick={refresh} data-testid="calls-stale">
                {t('call.newCalls')}，{t('common.refresh')}
              </Typography.Link>
            )}
          </SearchResetButtons>
        </Form.Item>
      </Form>
      <Table<CallSummary>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={calls.data?.items ?? []}
        // A background refresh of the same page keeps the rows without a spinner.
        loading={calls.isLoading || calls.isPlaceholderData}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({ onClick: () => setOpenId(c.id), style: { cursor: 'pointer' } })}
        locale={{ emptyText: calls.error ? errText(calls.error) : t('call.empty') }}
        pagination={{
          current: page,
          pageSize,
          total: calls.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (n) => t('common.total', { n: n.toLocaleString() }),
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
            setStale(false);
          },
        }}
      />
      {openId != null && <CallDrawer callId={openId} onClose={() => setOpenId(null)} />}
    </>
  );
}

