// Start / pause a task (list and detail page), 重呼, and the small modals of the task list:
// 存为模板, 从模板新建.
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Empty, Form, Input, List, Modal, Popconfirm, Result, Select, Space, Spin, Tooltip, Typography } from 'antd';
import { CaretRightOutlined, RetweetOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../../api/client';
import {
  TASKS_KEY,
  TASKS_PATH,
  taskPath,
  useNumberFacets,
  useTaskTemplates,
  type ConcurrencyHolder,
  type RedialResult,
  type TaskDetail,
} from '../../api/tasks';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { fmtTime } from '../../lib/format';
import { defaultTaskName, redialBlock, redialCounts, redialTotal } from '../../lib/tasks';

/** The holders of a 409 CONCURRENCY error body, [] when there are none. */
export function concurrencyHolders(e: unknown): ConcurrencyHolder[] {
  if (!(e instanceof ApiError) || e.code !== 'CONCURRENCY') return [];
  const h = (e.body as { holders?: unknown } | undefined)?.holders;
  return Array.isArray(h) ? (h as ConcurrencyHolder[]) : [];
}

export function useTaskRun() {
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const refresh = () => qc.invalidateQueries({ queryKey: [TASKS_KEY] });

  const start = useMutation({
    mutationFn: (id: number) => api.post<TaskDetail>(`${taskPath(id)}/start`),
    onSuccess: () => {
      message.success(t('task.started'));
      void refresh();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'CONCURRENCY') {
        const holders = concurrencyHolders(e);
        const m = modal.warning({
          title: t('task.concurrencyTitle'),
          width: 520,
          content: (
            <div data-testid="concurrency-holders">
              <Typography.Paragraph>{e.message}</Typography.Paragraph>
              {holders.length > 0 && (
                <>
                  <Typography.Paragraph type="secondary">{t('task.concurrencyHolders')}</Typography.Paragraph>
                  <List
                    size="small"
                    bordered
                    dataSource={holders}
                    renderItem={(h) => (
                      <List.Item
                        extra={<Typography.Text type="secondary">{t('task.holderConcurrency', { n: h.concurrency })}</Typography.Text>}
                      >
                        {h.task_id == null ? (
                          <Typography.Text>{h.name}</Typography.Text>
                        ) : (
                          <Typography.Link
                            onClick={() => {
                              m.destroy();
                              navigate(`${TASKS_PATH}/${h.task_id}`);
                            }}
                          >
                            {h.name}
                          </Typography.Link>
                        )}
                      </List.Item>
                    )}
                  />
                </>
              )}
            </div>
          ),
          okText: t('common.ok'),
        });
      } else {
        modal.error({ title: t('task.startFailed'), content: errText(e) });
      }
      void refresh();
    },
  });

  const pause = useMutation({
    mutationFn: (id: number) => api.post<TaskDetail>(`${taskPath(id)}/pause`),
    onSuccess: () => {
      message.success(t('task.paused'));
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });

  return { start, pause };
}

/** The 重呼 button: disabled with the reason while the task runs (or when it is stopped). */
export function RedialButton({ task, onClick }: { task: { status: string }; onClick: () => void }) {
  const { t } = useI18n();
  const blocked = redialBlock(task.status);
  const button = (
    <Button icon={<RetweetOutlined aria-hidden />} disabled={!!blocked} onClick={onClick}>
      {t('task.redial')}
    </Button>
  );
  return blocked ? <Tooltip title={t(blocked)}>{button}</Tooltip> : button;
}

/**
 * 重呼: choose number statuses (with their counts from the numbers facets), POST
 * /api/tasks/{id}/redial, then offer to start the task.
 */
export function RedialModal({ task, onClose }: { task: { id: number; name: string }; onClose: () => void }) {
  const { t, errText } = useI18n();
  const qc = useQueryClient();
  const facets = useNumberFacets(task.id);
  const { start } = useTaskRun();
  const [chosen, setChosen] = useState<string[]>([]);
  const counts = redialCounts(facets.data?.statuses);
  const redial = useMutation({
    mutationFn: (statuses: string[]) => api.post<RedialResult>(`${taskPath(task.id)}/redial`, { statuses }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: [TASKS_KEY] }),
  });
  const queued = redial.data?.numbers;

  if (queued != null) {
    return (
      <Modal open title={t('redial.title', { name: task.name })} onCancel={onClose} footer={null} destroyOnHidden>
        <Result
          status={queued > 0 ? 'success' : 'info'}
          title={queued > 0 ? t('redial.done', { n: queued.toLocaleString() }) : t('redial.none')}
          extra={
            queued > 0
              ? [
                  <Button key="later" onClick={onClose}>
                    {t('redial.later')}
                  </Button>,
                  <Button
                    key="start"
                    type="primary"
                    icon={<CaretRightOutlined aria-hidden />}
                    loading={start.isPending}
                    onClick={() => start.mutate(task.id, { onSettled: onClose })}
                  >
                    {t('task.start')}
                  </Button>,
                ]
              : [
                  <Button key="close" onClick={onClose}>
                    {t('common.close')}
                  </Button>,
                ]
          }
        />
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('redial.title', { name: task.name })}
      onCancel={onClose}
      onOk={() => redial.mutate(chosen)}
      okText={t('task.redial')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: chosen.length === 0 }}
      confirmLoading={redial.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('redial.intro')}</Typography.Paragraph>
      {facets.isLoading ? (
        <div style={{ textAlign: 'center', padding: 24 }}>
          <Spin />
        </div>
      ) : (
        <Checkbox.Group value={chosen} onChange={(v) => setChosen(v as string[])} aria-label={t('redial.statuses')} style={{ width: '100%' }}>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 8, width: '100%' }} data-testid="redial-statuses">
            {counts.map((c) => (
              <Checkbox key={c.code} value={c.code} disabled={c.count === 0}>
                {t(`num.status.${c.code}` as MessageKey)}
                <Typography.Text type="secondary" style={{ marginInlineStart: 2 }}>
                  {t('redial.count', { n: c.count.toLocaleString() })}
                </Typography.Text>
              </Checkbox>
            ))}
          </div>
        </Checkbox.Group>
      )}
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="redial-total">
        {chosen.length ? t('redial.selected', { n: redialTotal(counts, chosen).toLocaleString() }) : t('redial.pickOne')}
      </Typography.Paragraph>
      {facets.error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={errText(facets.error)} />}
      {redial.error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={errText(redial.error)} data-testid="redial-error" />}
    </Modal>
  );
}

/** 存为模板: POST /api/tasks/{id}/template { name }. */
export function SaveTemplateModal({ task, onClose }: { task: { id: number; name: string }; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  const save = useMutation({
    mutationFn: (v: { name: string }) => api.post(`${taskPath(task.id)}/template`, { name: v.name.trim() }),
    onSuccess: () => {
      message.success(t('taskTpl.saved'));
      void qc.invalidateQueries({ queryKey: ['task-templates'] });
      onClose();
    },
    onError: (e) => form.setFields([{ name: 'name', errors: [errText(e)] }]),
  });
  return (
    <Modal open title={t('taskTpl.saveTitle')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.ok')} cancelText={t('common.cancel')} confirmLoading={save.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" name="task-save-template" initialValues={{ name: task.name }} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('taskTpl.name')} name="name" rules={[{ required: true, whitespace: true, message: t('taskTpl.nameRequired') }]}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 从模板新建: pick a template, name the task, then edit it. */
export function FromTemplateModal({ userName, onClose }: { userName: string; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const templates = useTaskTemplates();
  const [form] = Form.useForm<{ template_id: number; name: string }>();
  const create = useMutation({
    mutationFn: (v: { template_id: number; name: string }) =>
      api.post<TaskDetail>(`/api/task-templates/${v.template_id}/create`, { name: v.name.trim() }),
    onSuccess: (d) => {
      message.success(t('taskTpl.created'));
      void qc.invalidateQueries({ queryKey: [TASKS_KEY] });
      onClose();
      navigate(`${TASKS_PATH}/${d.id}/edit`);
    },
    onError: (e) => form.setFields([{ name: 'name', errors: [errText(e)] }]),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api.del(`/api/task-templates/${id}`),
    onSuccess: (_, id) => {
      message.success(t('common.deleted'));
      if (form.getFieldValue('template_id') === id) form.setFieldValue('template_id', undefined);
      void qc.invalidateQueries({ queryKey: ['task-templates'] });
    },
    onError: (e) => message.error(errText(e)),
  });
  const list = templates.data ?? [];
  return (
    <Modal
      open
      title={t('task.fromTemplate')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: list.length === 0 }}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {templates.isSuccess && list.length === 0 ? (
        <Empty description={t('taskTpl.none')} />
      ) : (
        <Form form={form} layout="vertical" name="task-from-template" initialValues={{ name: defaultTaskName(userName) }} onFinish={(v) => create.mutate(v)}>
          <Form.Item label={t('taskTpl.pick')} name="template_id" rules={[{ required: true, message: t('taskTpl.pickRequired') }]}>
            <Select
              loading={templates.isLoading}
              placeholder={t('taskTpl.pick')}
              showSearch={{ optionFilterProp: 'title' }}
              options={list.map((tp) => ({
                value: tp.id,
                title: tp.name,
                label: (
                  <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                    <span>{tp.name}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {fmtTime(tp.created_at)}
                    </Typography.Text>
                  </Space>
                ),
              }))}
              optionRender={(o) => (
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  <span>{o.data.title}</span>
                  <span onClick={(e) => e.stopPropagation()}>
                    <Popconfirm
                      title={t('taskTpl.deleteTitle', { name: o.data.title ?? '' })}
                      okText={t('common.delete')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('common.cancel')}
                      onConfirm={() => remove.mutate(o.data.value as number)}
                    >
                      <Button type="link" size="small" danger>
                        {t('common.delete')}
                      </Button>
                    </Popconfirm>
                  </span>
                </Space>
              )}
            />
          </Form.Item>
          <Form.Item label={t('taskTpl.taskName')} name="name" rules={[{ required: true, whitespace: true, message: t('taskForm.nameRequired') }]}>
            <Input maxLength={50} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
