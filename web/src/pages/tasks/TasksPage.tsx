// 呼叫中台 → AI呼叫2.0: the calling task list (the form is TaskFormPage, a task's page TaskDetailPage).
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Dropdown,
  Input,
  List,
  Progress,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import {
  CaretRightOutlined,
  DeleteOutlined,
  DownOutlined,
  ImportOutlined,
  PauseOutlined,
  PlusOutlined,
  SnippetsOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { useMember } from '../../api/hooks';
import {
  TASKS_KEY,
  TASKS_PATH,
  taskPath,
  useTasks,
  type BulkFailure,
  type BulkResult,
  type DeleteResult,
  type TaskDetail,
  type TaskSummary,
} from '../../api/tasks';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile, useConfirmDelete } from '../../components/common';
import { accessOf, can } from '../../access';
import { fmtTime } from '../../lib/format';
import { TASK_STATUSES, canStart, fmtRate, progressPercent, redialBlock, taskStatusColor } from '../../lib/tasks';
import { FromTemplateModal, RedialModal, SaveTemplateModal, useTaskRun } from './taskActions';
import ImportNumbersModal from './ImportNumbersModal';

export const canManageTasks = can('task.manage');

/** The status tag, with the idle reason of a running task that is not calling. */
export function TaskStatusTag({ task }: { task: Pick<TaskSummary, 'status' | 'status_label' | 'idle_reason'> }) {
  const { t } = useI18n();
  const label = TASK_STATUSES.includes(task.status) ? t(`task.status.${task.status}`) : task.status_label;
  return (
    <Space orientation="vertical" size={2}>
      <Tag color={taskStatusColor(task.status)} style={{ marginInlineEnd: 0 }}>
        {label}
      </Tag>
      {task.status === 'running' && task.idle_reason && (
        <Tooltip title={task.idle_reason}>
          <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="idle-reason">
            <WarningOutlined aria-hidden /> {label} · {task.idle_reason}
          </Typography.Text>
        </Tooltip>
      )}
    </Space>
  );
}

function FailureList({ items }: { items: BulkFailure[] }) {
  return (
    <List
      size="small"
      bordered
      style={{ maxHeight: 320, overflow: 'auto' }}
      dataSource={items}
      renderItem={(f) => (
        <List.Item>
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>{f.name}</Typography.Text>
            <Typography.Text type="danger">{f.reason}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

export default function TasksPage() {
  const mobile = useIsMobile();
  const me = useMember();
  const canManage = canManageTasks(accessOf(me));
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const confirmRemove = useConfirmDelete();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [owner, setOwner] = useState<'all' | 'mine'>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [selected, setSelected] = useState<number[]>([]);
  const [importing, setImporting] = useState<{ id: number; name: string } | null | 'alias'>(null);
  const [savingTpl, setSavingTpl] = useState<TaskSummary | null>(null);
  const [redialing, setRedialing] = useState<TaskSummary | null>(null);
  const [fromTpl, setFromTpl] = useState(false);
  const tasks = useTasks({ q, status, owner, page, page_size: pageSize });
  const { start, pause } = useTaskRun();
  const refresh = () => qc.invalidateQueries({ queryKey: [TASKS_KEY] });

  const bulk = useMutation({
    mutationFn: (op: 'pause-all' | 'start-all') => api.post<BulkResult>(`/api/tasks/${op}`),
    onSuccess: (r) => {
      void refresh();
      const failed = r?.failed ?? [];
      if (failed.length > 0) {
        modal.warning({
          title: `${t('task.bulkDone', { n: r.changed ?? 0 })}，${t('task.bulkFailed', { n: failed.length })}`,
          width: 520,
          content: <FailureList items={failed} />,
          okText: t('common.ok'),
        });
      } else {
        message.success(t('task.bulkDone', { n: r?.changed ?? 0 }));
      }
    },
    onError: (e) => modal.error({ title: t('task.startFailed'), content: errText(e) }),
  });

  const removeMany = useMutation({
    mutationFn: (ids: number[]) => api.post<DeleteResult>('/api/tasks/delete', { ids }),
    onSuccess: (r) => {
      void refresh();
      setSelected([]);
      message.success(t('task.deletedN', { n: r?.deleted ?? 0 }));
    },
    // All or nothing: a running task refuses the whole call (TASK_RUNNING names the tasks).
    onError: (e) => modal.error({ title: t('task.refused'), width: 520, content: errText(e) }),
  });

  const remove = useMutation({
    mutationFn: (task: TaskSummary) => api.del(taskPath(task.id)),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void refresh();
    },
    onError: (e) => modal.error({ title: t('common.delete'), content: errText(e) }),
  });

  const copy = useMutation({
    mutationFn: (task: TaskSummary) => api.post<TaskDetail>(`${taskPath(task.id)}/copy`),
    onSuccess: (d) => {
      message.success(t('task.copied', { name: d.name }));
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });

  const confirmBulk = (op: 'pause-all' | 'start-all') =>
    modal.confirm({
      title: op === 'pause-all' ? t('task.pauseAllTitle') : t('task.startAllTitle'),
      content: op === 'start-all' ? t('task.startAllBody') : undefined,
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: () => bulk.mutateAsync(op).catch(() => undefined),
    });

  const confirmDelete = (task: TaskSummary) =>
    confirmRemove({ title: t('task.deleteTitle', { name: task.name }), content: t('task.deleteBody'), onOk: () => remove.mutateAsync(task) });

  const columns: TableColumnsType<TaskSummary> = [
    {
      title: t('task.name'),
      dataIndex: 'name',
      width: 220,
      fixed: mobile ? undefined : 'left',
      render: (n: string, task) => (
        <Space orientation="vertical" size={2}>
          <Link to={`${TASKS_PATH}/${task.id}`}>{n}</Link>
          {(task.tags.length > 0 || task.kind === 'llm') && (
            <Space size={[0, 4]} wrap>
              {task.kind === 'llm' && <Tag color="geekblue">{t('task.kind.llm')}</Tag>}
              {task.tags.map((tag) => (
                <Tag key={tag}>{tag}</Tag>
              ))}
            </Space>
          )}
        </Space>
      ),
    },
    { title: t('task.status'), dataIndex: 'status', width: 170, render: (_, task) => <TaskStatusTag task={task} /> },
    { title: t('task.line'), dataIndex: 'line_name', width: 130, render: (v: string) => v || '-' },
    { title: t('task.concurrency'), dataIndex: 'concurrency', width: 70 },
    {
      title: t('task.progress'),
      key: 'progress',
      width: 170,
      render: (_, task) => (
        <div>
          <Typography.Text style={{ fontSize: 12 }} data-testid="task-progress">
            {task.called_numbers.toLocaleString()} / {task.total_numbers.toLocaleString()}
          </Typography.Text>
          <Progress percent={progressPercent(task.called_numbers, task.total_numbers)} size="small" status={task.status === 'running' ? 'active' : 'normal'} />
        </div>
      ),
    },
    { title: t('task.connectRate'), dataIndex: 'connect_rate', width: 80, render: (v: number, task) => fmtRate(v, task.called_numbers) },
    { title: t('task.createdAt'), dataIndex: 'created_at', width: 160, render: fmtTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 270,
      fixed: mobile ? undefined : 'right',
      render: (_, task) =>
        canManage ? (
          <Space size={0} wrap>
            {task.status === 'running' ? (
              <Button type="link" size="small" icon={<PauseOutlined aria-hidden />} loading={pause.isPending && pause.variables === task.id} onClick={() => pause.mutate(task.id)}>
                {t('task.pause')}
              </Button>
            ) : (
              <Button
                type="link"
                size="small"
                icon={<CaretRightOutlined aria-hidden />}
                disabled={!canStart(task.status)}
                loading={start.isPending && start.variables === task.id}
                onClick={() => start.mutate(task.id)}
              >
                {t('task.start')}
              </Button>
            )}
            <Link to={`${TASKS_PATH}/${task.id}/edit`}>
              <Button type="link" size="small">
                {t('common.edit')}
              </Button>
            </Link>
            <Button type="link" size="small" onClick={() => setImporting({ id: task.id, name: task.name })}>
              {t('task.importNumbers')}
            </Button>
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'copy', label: t('task.copy'), disabled: copy.isPending && copy.variables?.id === task.id },
                  { key: 'template', label: t('task.saveTemplate') },
                  {
                    key: 'redial',
                    disabled: !!redialBlock(task.status),
                    label: redialBlock(task.status) ? (
                      <Tooltip title={t(redialBlock(task.status)!)} placement="left">
                        <span>{t('task.redial')}</span>
                      </Tooltip>
                    ) : (
                      t('task.redial')
                    ),
                  },
                  { type: 'divider' },
                  { key: 'delete', label: t('common.delete'), danger: true },
                ],
                onClick: ({ key }) => {
                  if (key === 'copy') copy.mutate(task);
                  else if (key === 'template') setSavingTpl(task);
                  else if (key === 'redial') setRedialing(task);
                  else if (key === 'delete') confirmDelete(task);
                },
              }}
            >
              <Button type="link" size="small" loading={copy.isPending && copy.variables?.id === task.id}>
                {t('task.more')} <DownOutlined aria-hidden />
              </Button>
            </Dropdown>
          </Space>
        ) : (
          <Link to={`${TASKS_PATH}/${task.id}`}>
            <Button type="link" size="small">
              {t('llm.view')}
            </Button>
          </Link>
        ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          canManage && (
            <Space wrap>
              <Button icon={<ImportOutlined aria-hidden />} onClick={() => setImporting('alias')}>
                {t('task.importByAlias')}
              </Button>
              <Button icon={<SnippetsOutlined aria-hidden />} onClick={() => setFromTpl(true)}>
                {t('task.fromTemplate')}
              </Button>
              <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate(`${TASKS_PATH}/new`)}>
                {t('task.create')}
              </Button>
            </Space>
          )
        }
      >
        {t('menu.tasks')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('task.intro')}</Typography.Paragraph>
      <Card styles={{ body: { padding: 12 } }}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('task.search')}
            aria-label={t('task.search')}
            style={{ width: 240 }}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              if (!e.target.value) {
                setQ('');
                setPage(1);
              }
            }}
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('task.allStatuses')}
            aria-label={t('task.statusFilter')}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={TASK_STATUSES.map((s) => ({ value: s, label: t(`task.status.${s}`) }))}
          />
          <Segmented<'all' | 'mine'>
            value={owner}
            onChange={(v) => {
              setOwner(v);
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('task.ownerAll') },
              { value: 'mine', label: t('task.ownerMine') },
            ]}
            aria-label={t('task.ownerFilter')}
          />
          {canManage && (
            <>
              <Button icon={<PauseOutlined aria-hidden />} onClick={() => confirmBulk('pause-all')} loading={bulk.isPending && bulk.variables === 'pause-all'}>
                {t('task.pauseAll')}
              </Button>
              <Button icon={<CaretRightOutlined aria-hidden />} onClick={() => confirmBulk('start-all')} loading={bulk.isPending && bulk.variables === 'start-all'}>
                {t('task.startAll')}
              </Button>
              <Button
                danger
                icon={<DeleteOutlined aria-hidden />}
                disabled={selected.length === 0}
                loading={removeMany.isPending}
                onClick={() => confirmRemove({ title: t('task.deleteSelectedTitle', { n: selected.length }), content: t('task.deleteBody'), onOk: () => removeMany.mutateAsync(selected) })}
              >
                {t('task.deleteSelected', { n: selected.length })}
              </Button>
            </>
          )}
        </Space>
        <Table<TaskSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tasks.data?.items ?? []}
          loading={tasks.isLoading}
          scroll={{ x: 'max-content' }}
          rowSelection={canManage ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), preserveSelectedRowKeys: true } : undefined}
          locale={{ emptyText: tasks.error ? errText(tasks.error) : t('task.none') }}
          pagination={{
            current: page,
            pageSize,
            total: tasks.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('common.total', { n }),
            onChange: (p, s) => {
              setPage(p);
              setPageSize(s);
            },
          }}
        />
      </Card>
      {importing && <ImportNumbersModal task={importing === 'alias' ? null : importing} onClose={() => setImporting(null)} />}
      {savingTpl && <SaveTemplateModal task={savingTpl} onClose={() => setSavingTpl(null)} />}
      {redialing && <RedialModal task={redialing} onClose={() => setRedialing(null)} />}
      {fromTpl && <FromTemplateModal userName={me.name} onClose={() => setFromTpl(false)} />}
    </>
  );
}
