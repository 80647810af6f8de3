// A calling task (/call-center/tasks/:id): header with its actions (启动 / 暂停, 重呼, …), the live
// view (实时监控), and tabs 概览 / 电话号码 / 通话记录.
import { useEffect, useRef, useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Result,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { ArrowLeftOutlined, CaretRightOutlined, EditOutlined, ImportOutlined, PauseOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useMember } from '../../api/hooks';
import { TASKS_KEY, TASKS_PATH, useNumberFacets, useTask, useTaskNumbers, type NumberFilters, type TaskDetail, type TaskNumber } from '../../api/tasks';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { FullPageSpin, SearchResetButtons, useIsMobile } from '../../components/common';
import { accessOf } from '../../access';
import { fmtTime } from '../../lib/format';
import { NUMBER_STATUSES, canStart, intervalToForm, numberStatusColor, rangeParams } from '../../lib/tasks';
import { liveChangeKey } from '../../lib/calls';
import { WEEKDAYS, weekdayKey } from '../../lib/callTime';
import { TaskStatusTag, canManageTasks } from './TasksPage';
import { RedialButton, RedialModal, useTaskRun } from './taskActions';
import { useTaskLive } from '../../api/calls';
import CallsTab from './CallsTab';
import LivePanel from './LivePanel';
import ImportNumbersModal from './ImportNumbersModal';

const DT_FMT = 'YYYY-MM-DD HH:mm';

function Overview({ task }: { task: TaskDetail }) {
  const { t } = useI18n();
  const interval = intervalToForm(task.call_interval_s);
  return (
    <>
      {task.total_numbers === 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('taskDetail.noNumbers')} />}
      <Card size="small" title={t('taskDetail.settings')}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('taskForm.kind')}>{t(`task.kind.${task.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={task.kind === 'llm' ? t('taskForm.llmRobot') : t('taskForm.script')}>
            {(task.kind === 'llm' ? task.llm_robot_name : task.script_name) || '-'}
          </Descriptions.Item>
          <Descriptions.Item label={t('task.line')}>{task.line_name || '-'}</Descriptions.Item>
          <Descriptions.Item label={t('task.concurrency')}>{task.concurrency}</Descriptions.Item>
          <Descriptions.Item label={t('taskDetail.validRange')}>
            {task.valid_from ? `${dayjs(task.valid_from).format(DT_FMT)} ~ ${dayjs(task.valid_until).format(DT_FMT)}` : '-'}
          </Descriptions.Item>
          <Descriptions.Item label={t('taskDetail.interval')}>
            {interval.choice === 'auto' ? t('taskForm.intervalAuto') : `${task.call_interval_s}s`}
          </Descriptions.Item>
          <Descriptions.Item label={t('taskForm.callTime')} span={2}>
            <Space orientation="vertical" size={0}>
              {WEEKDAYS.map((d) => (
                <span key={d}>
                  {t(weekdayKey(d))}：{task.schedule?.days?.[d]?.length ? task.schedule.days[d].map((r) => `${r[0]}-${r[1]}`).join('，') : t('week.noRange')}
                </span>
              ))}
              {task.skip_holidays && <Tag color="blue">{t('taskForm.skipHolidays')}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('task.createdAt')}>{fmtTime(task.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('taskDetail.startedAt')}>{fmtTime(task.started_at)}</Descriptions.Item>
        </Descriptions>
      </Card>
    </>
  );
}

interface NumberFilterForm {
  phone?: string;
  status?: string;
  province?: string;
  city?: string;
  carrier?: string;
  created?: [Dayjs | null, Dayjs | null] | null;
  called?: [Dayjs | null, Dayjs | null] | null;
}

function toFilters(v: NumberFilterForm): NumberFilters {
  const f: NumberFilters = {
    phone: v.phone?.trim() || undefined,
    status: v.status || undefined,
    province: v.province || undefined,
    city: v.city?.trim() || undefined,
    carrier: v.carrier || undefined,
    ...rangeParams(v.created, 'created_from', 'created_to'),
    ...rangeParams(v.called, 'called_from', 'called_to'),
  };
  return f;
}

function NumbersTab({ taskId }: { taskId: string }) {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const qc = useQueryClient();
  const [form] = Form.useForm<NumberFilterForm>();
  const [filters, setFilters] = useState<NumberFilters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const numbers = useTaskNumbers(taskId, filters, page, pageSize);
  const facets = useNumberFacets(taskId);
  const statusLabel = (code: string, fallback?: string) =>
    NUMBER_STATUSES.includes(code) ? t(`num.status.${code}` as MessageKey) : fallback || code;

  const apply = (v: NumberFilterForm) => {
    setFilters(toFilters(v));
    setPage(1);
  };

  const columns: TableColumnsType<TaskNumber> = [
    { title: t('num.phone'), dataIndex: 'phone', width: 130, fixed: mobile ? undefined : 'left' },
    { title: t('num.name'), dataIndex: 'name', width: 100, render: (v: string) => v || '-' },
    { title: t('num.company'), dataIndex: 'company', width: 160, ellipsis: true, render: (v: string) => v || '-' },
    { title: t('num.region'), key: 'region', width: 120, render: (_, n) => (n.city === n.province ? n.province : [n.province, n.city].filter(Boolean).join(' ')) || '-' },
    { title: t('num.carrier'), dataIndex: 'carrier', width: 80, render: (v: string) => v || '-' },
    {
      title: t('num.status'),
      dataIndex: 'status',
      width: 110,
      render: (s: string, n) => <Tag color={numberStatusColor(s)}>{statusLabel(s, n.status_label)}</Tag>,
    },
    { title: t('num.attempts'), dataIndex: 'attempts', width: 80 },
    { title: t('num.lastCall'), dataIndex: 'last_call_at', width: 160, render: fmtTime },
    { title: t('num.createdAt'), dataIndex: 'created_at', width: 160, render: fmtTime },
  ];

  return (
    <>
      <Form<NumberFilterForm> form={form} layout="inline" name="task-numbers-filter" onFinish={apply} style={{ rowGap: 8, marginBottom: 12 }}>
        <Form.Item name="phone">
          <Input allowClear placeholder={t('num.phonePlaceholder')} aria-label={t('num.phone')} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={t('num.status')}
            aria-label={t('num.status')}
            style={{ width: 170 }}
            loading={facets.isLoading}
            options={(facets.data?.statuses ?? []).map((s) => ({ value: s.code, label: `${statusLabel(s.code, s.label)}（${s.count.toLocaleString()}）` }))}
          />
        </Form.Item>
        <Form.Item name="province">
          <Select
            allowClear
            showSearch
            placeholder={t('num.province')}
            aria-label={t('num.province')}
            style={{ width: 120 }}
            options={(facets.data?.provinces ?? []).map((p) => ({ value: p, label: p }))}
          />
        </Form.Item>
        <Form.Item name="city">
          <Input allowClear placeholder={t('num.city')} aria-label={t('num.city')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="carrier">
          <Select
            allowClear
            placeholder={t('num.carrier')}
            aria-label={t('num.carrier')}
            style={{ width: 110 }}
            options={(facets.data?.carriers ?? []).map((c) => ({ value: c, label: c }))}
          />
        </Form.Item>
        <Form.Item name="created" label={t('num.createdRange')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format={DT_FMT} allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="called" label={t('num.calledRange')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format={DT_FMT} allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item>
          <SearchResetButtons
            onReset={() => {
              form.resetFields();
              apply({});
            }}
          >
            <Tooltip title={t('common.refresh')}>
              <Button
                icon={<ReloadOutlined aria-hidden />}
                aria-label={t('common.refresh')}
                onClick={() => void qc.invalidateQueries({ queryKey: [TASKS_KEY] })}
              />
            </Tooltip>
          </SearchResetButtons>
        </Form.Item>
      </Form>
      <Table<TaskNumber>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={numbers.data?.items ?? []}
        loading={numbers.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: numbers.error ? errText(numbers.error) : t('num.empty') }}
        pagination={{
          current: page,
          pageSize,
          total: numbers.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showQuickJumper: true,
          showTotal: (n) => t('common.total', { n: n.toLocaleString() }),
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
      />
    </>
  );
}

export default function TaskDetailPage() {
  const { id } = useParams();
  const me = useMember();
  const canManage = canManageTasks(accessOf(me));
  const { t, errText } = useI18n();
  const navigate = useNavigate();
  const task = useTask(id, true);
  const { start, pause } = useTaskRun();
  const [importing, setImporting] = useState(false);
  const [redialing, setRedialing] = useState(false);
  const [tab, setTab] = useState('overview');
  const qc = useQueryClient();
  const live = useTaskLive(id ?? '');
  const liveStatus = live.snapshot?.task.status;
  const lastStatus = useRef(liveStatus);
  // The task changed state by itself (completed, paused for the balance…): reload it for the header.
  useEffect(() => {
    if (liveStatus && lastStatus.current && liveStatus !== lastStatus.current) void qc.invalidateQueries({ queryKey: [TASKS_KEY, 'detail', id] });
    lastStatus.current = liveStatus;
  }, [liveStatus, qc, id]);

  if (task.error) {
    const nf = task.error instanceof ApiError && task.error.status === 404;
    return (
      <Result
        status={nf ? '404' : 'error'}
        title={nf ? t('taskForm.notFound') : errText(task.error)}
        extra={<Button onClick={() => navigate(TASKS_PATH)}>{t('taskDetail.back')}</Button>}
      />
    );
  }
  const d = task.data;
  if (!d) return <FullPageSpin />;

  return (
    <>
      <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Tooltip title={t('taskDetail.back')}>
          <Link to={TASKS_PATH}>
            <Button icon={<ArrowLeftOutlined aria-hidden />} aria-label={t('taskDetail.back')} />
          </Link>
        </Tooltip>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {d.name}
        </Typography.Title>
        <TaskStatusTag task={live.snapshot?.task ?? d} />
        {d.tags.map((tag) => (
          <Tag key={tag}>{tag}</Tag>
        ))}
        <span style={{ flex: 1 }} />
        {canManage && (
          <Space wrap>
            {d.status === 'running' ? (
              <Button icon={<PauseOutlined aria-hidden />} loading={pause.isPending} onClick={() => pause.mutate(d.id)}>
                {t('task.pause')}
              </Button>
            ) : (
              <Button type="primary" icon={<CaretRightOutlined aria-hidden />} disabled={!canStart(d.status)} loading={start.isPending} onClick={() => start.mutate(d.id)}>
                {t('task.start')}
              </Button>
            )}
            <Link to={`${TASKS_PATH}/${d.id}/edit`}>
              <Button icon={<EditOutlined aria-hidden />}>{t('common.edit')}</Button>
            </Link>
            <RedialButton task={d} onClick={() => setRedialing(true)} />
            <Button icon={<ImportOutlined aria-hidden />} onClick={() => setImporting(true)}>
              {t('task.importNumbers')}
            </Button>
          </Space>
        )}
      </div>
      <LivePanel task={d} snapshot={live.snapshot} connected={live.connected} />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            { key: 'overview', label: t('taskDetail.overview'), children: <Overview task={d} /> },
            { key: 'numbers', label: t('taskDetail.numbers'), children: <NumbersTab taskId={String(d.id)} /> },
            { key: 'calls', label: t('taskDetail.calls'), children: <CallsTab taskId={String(d.id)} changeKey={liveChangeKey(live.snapshot)} /> },
          ]}
        />
      </Card>
      {importing && <ImportNumbersModal task={{ id: d.id, name: d.name }} onClose={() => setImporting(false)} />}
      {redialing && <RedialModal task={{ id: d.id, name: d.name }} onClose={() => setRedialing(false)} />}
    </>
  );
}
