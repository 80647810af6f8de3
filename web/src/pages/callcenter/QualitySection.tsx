// 质检条件: conditions the model grades a transcript by, and the 质检测试 panel beside them.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Form, Input, Row, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { CONDITIONS_KEY, useLlmModels, useQualityConditions, type LlmModel, type QualityCondition, type QualityConditionBody, type QualityTestResult } from '../../api/callCenter';
import { useGradingRules } from '../../api/robot';
import { useI18n } from '../../i18n';
import { useIsMobile, EditLink, DeleteLink } from '../../components/common';
import { DEFAULT_LEVELS, LEVEL_COLOR, levelLabel, preview, sortLevels } from '../../lib/callSettings';

type Levels = { level: string; label: string }[];

function useLevels(): Levels {
  const rules = useGradingRules();
  return rules.data?.levels?.length ? rules.data.levels : DEFAULT_LEVELS;
}

const CONDITION_FIELDS = ['name', 'model_id', 'levels', 'criteria', 'enabled'] as const;

function ConditionDrawer({ condition, models, levels, onClose }: { condition: QualityCondition | null; models: LlmModel[]; levels: Levels; onClose: () => void }) {
  const { t, errText } = useI18n();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<QualityConditionBody>();
  const [error, setError] = useState<string | null>(null);
  const editing = !!condition;
  const save = useMutation({
    mutationFn: (v: QualityConditionBody) => {
      const body: QualityConditionBody = { ...v, name: v.name.trim(), criteria: v.criteria.trim(), levels: sortLevels(v.levels), enabled: !!v.enabled };
      return editing ? api.put<QualityCondition>(`/api/quality-conditions/${condition.id}`, body) : api.post<QualityCondition>('/api/quality-conditions', body);
    },
    onSuccess: () => {
      message.success(editing ? t('common.saved') : t('cs.cond.created'));
      void qc.invalidateQueries({ queryKey: [CONDITIONS_KEY] });
      onClose();
    },
    onError: (e) => {
      const field = e instanceof ApiError ? CONDITION_FIELDS.find((f) => f === e.field) : undefined;
      if (e instanceof ApiError && e.code === 'UNKNOWN_MODEL') form.setFields([{ name: 'model_id', errors: [errText(e)] }]);
      else if (field) form.setFields([{ name: field, errors: [errText(e)] }]);
      else setError(errText(e));
    },
  });
  const initial: Partial<QualityConditionBody> = condition
    ? { name: condition.name, model_id: condition.model_id, levels: condition.levels, criteria: condition.criteria, enabled: condition.enabled }
    : { name: '', model_id: models[0]?.id, levels: ['A', 'B', 'C', 'D'], criteria: '', enabled: true };
  return (
    <Drawer
      open
      title={editing ? t('cs.editCondition') : t('cs.addCondition')}
      onClose={onClose}
      size={mobile ? '100%' : 520}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<QualityConditionBody> form={form} layout="vertical" name="quality-condition" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('cs.cond.name')} name="name" rules={[{ required: true, whitespace: true, message: t('cs.cond.nameRequired') }]}>
          <Input maxLength={50} placeholder={t('cs.cond.namePlaceholder')} />
        </Form.Item>
        <Form.Item label={t('cs.cond.model')} name="model_id" rules={[{ required: true, message: t('cs.cond.modelRequired') }]} extra={models.length === 0 ? t('cs.cond.modelNone') : undefined}>
          <Select options={models.map((m) => ({ value: m.id, label: `${m.name}（${m.model}）` }))} placeholder={t('cs.cond.modelRequired')} />
        </Form.Item>
        <Form.Item label={t('cs.cond.levels')} name="levels" extra={t('cs.cond.levelsHelp')} rules={[{ required: true, type: 'array', min: 1, message: t('cs.cond.levelsRequired') }]}>
          <Select
            mode="multiple"
            options={levels.map((l) => ({ value: l.level, label: l.label }))}
            tagRender={({ label, value, closable, onClose: close }) => (
              <Tag color={LEVEL_COLOR[value as string]} closable={closable} onClose={close} style={{ marginInlineEnd: 4 }}>
                {label}
              </Tag>
            )}
          />
        </Form.Item>
        <Form.Item label={t('cs.cond.criteria')} name="criteria" rules={[{ required: true, whitespace: true, message: t('cs.cond.criteriaRequired') }]}>
          <Input.TextArea autoSize={{ minRows: 5, maxRows: 12 }} maxLength={2000} showCount placeholder={t('cs.cond.criteriaPlaceholder')} />
        </Form.Item>
        <Form.Item label={t('cs.cond.enabled')} name="enabled" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function QualityTestPanel({ conditions, levels }: { conditions: QualityCondition[]; levels: Levels }) {
  const { t, errText } = useI18n();
  const [form] = Form.useForm<{ transcript: string; condition_id: number }>();
  // Pick the first condition once the list has loaded (or when the chosen one was deleted).
  const firstId = conditions[0]?.id;
  const chosen = Form.useWatch('condition_id', form);
  useEffect(() => {
    if (firstId !== undefined && (chosen === undefined || !conditions.some((c) => c.id === chosen))) form.setFieldValue('condition_id', firstId);
  }, [firstId, chosen, conditions, form]);
  const run = useMutation({
    mutationFn: (v: { transcript: string; condition_id: number }) => api.post<QualityTestResult>(`/api/quality-conditions/${v.condition_id}/test`, { transcript: v.transcript.trim() }),
  });
  return (
    <Card title={t('cs.qtest.title')} size="small" data-testid="quality-test">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('cs.qtest.intro')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" name="quality-test" initialValues={{ condition_id: conditions[0]?.id }} onFinish={(v) => run.mutate(v)}>
        <Form.Item label={t('cs.qtest.transcript')} name="transcript" rules={[{ required: true, whitespace: true, message: t('cs.qtest.transcriptRequired') }]}>
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 14 }} maxLength={20000} placeholder={t('cs.qtest.transcriptPlaceholder')} />
        </Form.Item>
        <Form.Item label={t('cs.qtest.condition')} name="condition_id" rules={[{ required: true, message: t('cs.qtest.conditionRequired') }]}>
          <Select options={conditions.map((c) => ({ value: c.id, label: c.name }))} placeholder={t('cs.qtest.conditionRequired')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block icon={<ExperimentOutlined aria-hidden />} loading={run.isPending} disabled={conditions.length === 0}>
          {t('cs.qtest.start')}
        </Button>
      </Form>
      {run.error && <Alert type="error" showIcon title={errText(run.error)} style={{ marginTop: 12 }} data-testid="quality-test-error" />}
      {run.data && !run.error && (
        <Descriptions column={1} size="small" bordered style={{ marginTop: 12 }} data-testid="quality-test-result">
          <Descriptions.Item label={t('cs.qtest.level')}>
            <Tag color={LEVEL_COLOR[run.data.grade.level]}>{run.data.grade.label || levelLabel(levels, run.data.grade.level)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('cs.qtest.reason')}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{run.data.reason}</span>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

export default function QualitySection({ readOnly }: { readOnly: boolean }) {
  const { t, errText } = useI18n();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const conditions = useQualityConditions();
  const models = useLlmModels();
  const levels = useLevels();
  const [editing, setEditing] = useState<QualityCondition | null | undefined>(undefined);
  const refresh = () => qc.invalidateQueries({ queryKey: [CONDITIONS_KEY] });
  const modelName = (id: number) => models.data?.find((m) => m.id === id)?.name ?? t('cs.cond.unknownModel');

  const remove = useMutation({
    mutationFn: (c: QualityCondition) => api.del(`/api/quality-conditions/${c.id}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void refresh();
    },
    onError: (e) => modal.error({ title: t('common.delete'), content: errText(e) }),
  });
  const toggle = useMutation({
    mutationFn: (c: QualityCondition) =>
      api.put<QualityCondition>(`/api/quality-conditions/${c.id}`, { name: c.name, model_id: c.model_id, levels: c.levels, criteria: c.criteria, enabled: !c.enabled }),
    onSuccess: () => void refresh(),
    onError: (e) => message.error(errText(e)),
  });

  const columns: TableColumnsType<QualityCondition> = [
    {
      title: `${t('cs.cond.name')} / ${t('cs.cond.criteria')}`,
      dataIndex: 'name',
      width: 230,
      render: (name: string, c) => (
        <div style={{ minWidth: 150, maxWidth: 260 }}>
          <Typography.Text strong>{name}</Typography.Text>
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: c.criteria }} style={{ fontSize: 12, margin: 0 }} data-testid="condition-criteria">
            {preview(c.criteria, 80)}
          </Typography.Paragraph>
        </div>
      ),
    },
    { title: t('cs.cond.model'), dataIndex: 'model_id', width: 110, render: (id: number) => modelName(id) },
    {
      title: t('cs.cond.levels'),
      dataIndex: 'levels',
      width: 190,
      render: (ls: string[]) => (
        <Space size={[0, 4]} wrap style={{ maxWidth: 200 }}>
          {sortLevels(ls).map((l) => (
            <Tag key={l} color={LEVEL_COLOR[l]}>
              {levelLabel(levels, l)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('cs.cond.enabled'),
      dataIndex: 'enabled',
      width: 64,
      render: (v: boolean, c) => (
        <Switch
          size="small"
          checked={v}
          disabled={readOnly}
          loading={toggle.isPending && toggle.variables?.id === c.id}
          onChange={() => toggle.mutate(c)}
          aria-label={v ? t('cs.cond.enabledOn') : t('cs.cond.enabledOff')}
        />
      ),
    },
  ];
  if (!readOnly) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      fixed: mobile ? undefined : 'right',
      render: (_, c) => (
        <Space size={0} wrap>
          <EditLink onClick={() => setEditing(c)} />
          <DeleteLink title={t('cs.cond.deleteTitle', { name: c.name })} onOk={() => remove.mutateAsync(c)} />
        </Space>
      ),
    });
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Card
          title={t('cs.conditions')}
          styles={{ body: { padding: 12 } }}
          data-testid="conditions-card"
          extra={
            !readOnly && (
              <Button type="primary" size={mobile ? 'small' : 'middle'} icon={<PlusOutlined aria-hidden />} onClick={() => setEditing(null)}>
                {t('cs.addCondition')}
              </Button>
            )
          }
        >
          <Typography.Paragraph type="secondary">{t('cs.conditionsHint')}</Typography.Paragraph>
          <Table<QualityCondition>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={conditions.data ?? []}
            loading={conditions.isLoading}
            scroll={{ x: 'max-content' }}
            pagination={false}
            locale={{ emptyText: conditions.error ? errText(conditions.error) : t('cs.cond.none') }}
          />
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <QualityTestPanel conditions={conditions.data ?? []} levels={levels} />
      </Col>
      {editing !== undefined && <ConditionDrawer condition={editing} models={models.data ?? []} levels={levels} onClose={() => setEditing(undefined)} />}
    </Row>
  );
}
