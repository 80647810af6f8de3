// 大模型配置: OpenAI-compatible models (add / edit / delete / test).
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Typography, type TableColumnsType } from 'antd';
import { ApiOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { CONDITIONS_KEY, MODELS_KEY, useLlmModels, type LlmModel, type ModelTestResult } from '../../api/callCenter';
import { useI18n } from '../../i18n';
import { useIsMobile, EditLink, DeleteLink } from '../../components/common';
import { isHttpUrl, modelBody, modelFieldOf, modelFormValues, type ModelFormValues } from '../../lib/callSettings';

const rangeRule = (min: number, max: number, message: string) => ({
  validator: (_: unknown, v: unknown) =>
    v == null || (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) ? Promise.resolve() : Promise.reject(new Error(message)),
});

function ModelModal({ model, onClose }: { model: LlmModel | null; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<ModelFormValues>();
  const editing = !!model;
  const save = useMutation({
    mutationFn: (v: ModelFormValues) =>
      editing ? api.put<LlmModel>(`/api/llm-models/${model.id}`, modelBody(v, true)) : api.post<LlmModel>('/api/llm-models', modelBody(v, false)),
    onSuccess: () => {
      message.success(editing ? t('common.saved') : t('cs.model.created'));
      void qc.invalidateQueries({ queryKey: [MODELS_KEY] });
      void qc.invalidateQueries({ queryKey: [CONDITIONS_KEY] });
      onClose();
    },
    onError: (e) => {
      const field = e instanceof ApiError ? modelFieldOf(e.field) : undefined;
      form.setFields([{ name: field ?? 'name', errors: [errText(e)] }]);
    },
  });
  return (
    <Modal
      open
      title={editing ? t('cs.editModel') : t('cs.addModel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="llm-model" initialValues={modelFormValues(model)} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('cs.model.name')} name="name" rules={[{ required: true, whitespace: true, message: t('cs.model.nameRequired') }]}>
          <Input maxLength={50} placeholder={t('cs.model.namePlaceholder')} autoFocus />
        </Form.Item>
        <Form.Item
          label={t('cs.model.baseUrl')}
          name="base_url"
          required
          rules={[{ validator: (_, v: string | undefined) => (v && isHttpUrl(v) ? Promise.resolve() : Promise.reject(new Error(t('cs.model.baseUrlInvalid')))) }]}
        >
          <Input maxLength={300} placeholder={t('cs.model.baseUrlPlaceholder')} inputMode="url" />
        </Form.Item>
        <Form.Item label={t('cs.model.model')} name="model" rules={[{ required: true, whitespace: true, message: t('cs.model.modelRequired') }]}>
          <Input maxLength={100} placeholder={t('cs.model.modelPlaceholder')} />
        </Form.Item>
        <Form.Item
          label={t('cs.model.apiKey')}
          name="api_key"
          extra={editing ? t('cs.model.apiKeyKeep', { hint: model.api_key_hint || '-' }) : undefined}
          rules={editing ? [] : [{ required: true, whitespace: true, message: t('cs.model.apiKeyRequired') }]}
        >
          <Input.Password maxLength={500} autoComplete="new-password" placeholder={editing ? model.api_key_hint : 'sk-…'} />
        </Form.Item>
        <Space wrap size={16} align="start">
          <Form.Item label={t('cs.model.timeout')} name="timeout_ms" extra={t('cs.model.timeoutHelp')} rules={[rangeRule(500, 60000, t('cs.model.rangeError', { min: 500, max: 60000 }))]}>
            <InputNumber precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item label={t('cs.model.retries')} name="max_retries" extra={t('cs.model.retriesHelp')} rules={[rangeRule(0, 5, t('cs.model.rangeError', { min: 0, max: 5 }))]}>
            <InputNumber precision={0} style={{ width: 120 }} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function ModelTestModal({ model, onClose }: { model: LlmModel; onClose: () => void }) {
  const { t, errText } = useI18n();
  const [text, setText] = useState('你好，请用一句话介绍你自己。');
  const run = useMutation({ mutationFn: (s: string) => api.post<ModelTestResult>(`/api/llm-models/${model.id}/test`, { text: s }) });
  const send = () => {
    if (text.trim()) run.mutate(text.trim());
  };
  return (
    <Modal open title={t('cs.test.modelTitle', { name: model.name })} onCancel={onClose} footer={null} destroyOnHidden>
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Input
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={send}
          maxLength={500}
          placeholder={t('cs.test.text')}
          aria-label={t('cs.test.text')}
          data-testid="model-test-input"
        />
        <Button type="primary" icon={<SendOutlined aria-hidden />} loading={run.isPending} disabled={!text.trim()} onClick={send}>
          {t('cs.test.send')}
        </Button>
      </Space.Compact>
      {run.error && <Alert type="error" showIcon title={errText(run.error)} data-testid="model-test-error" />}
      {run.data && !run.error && (
        <Descriptions column={1} size="small" bordered data-testid="model-test-result">
          <Descriptions.Item label={t('cs.test.reply')}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{run.data.reply}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('cs.test.tokens')}>{run.data.tokens}</Descriptions.Item>
          <Descriptions.Item label={t('cs.test.elapsed')}>{t('cs.test.ms', { n: run.data.elapsed_ms })}</Descriptions.Item>
        </Descriptions>
      )}
    </Modal>
  );
}

export default function ModelsSection({ readOnly }: { readOnly: boolean }) {
  const { t, errText } = useI18n();
  const mobile = useIsMobile();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const models = useLlmModels();
  const [editing, setEditing] = useState<LlmModel | null | undefined>(undefined);
  const [testing, setTesting] = useState<LlmModel | null>(null);
  const remove = useMutation({
    mutationFn: (m: LlmModel) => api.del(`/api/llm-models/${m.id}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: [MODELS_KEY] });
    },
    onError: (e) => modal.error({ title: t('common.delete'), content: errText(e) }),
  });

  const columns: TableColumnsType<LlmModel> = [
    { title: t('cs.model.name'), dataIndex: 'name', width: 140 },
    { title: t('cs.model.baseUrl'), dataIndex: 'base_url', width: 240, render: (v: string) => <Typography.Text style={{ wordBreak: 'break-all' }}>{v}</Typography.Text> },
    { title: t('cs.model.model'), dataIndex: 'model', width: 130 },
    { title: t('cs.model.keyHint'), dataIndex: 'api_key_hint', width: 100, render: (v: string) => <Typography.Text code>{v || '-'}</Typography.Text> },
    { title: t('cs.model.timeout'), dataIndex: 'timeout_ms', width: 100 },
    { title: t('cs.model.retries'), dataIndex: 'max_retries', width: 80 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: readOnly ? 80 : 180,
      fixed: mobile ? undefined : 'right',
      render: (_, m) => (
        <Space size={0} wrap>
          <Button type="link" size="small" icon={<ApiOutlined aria-hidden />} onClick={() => setTesting(m)}>
            {t('cs.test')}
          </Button>
          {!readOnly && <EditLink onClick={() => setEditing(m)} />}
          {!readOnly && <DeleteLink title={t('cs.model.deleteTitle', { name: m.name })} content={t('cs.model.deleteBody')} onOk={() => remove.mutateAsync(m)} />}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('cs.models')}
      styles={{ body: { padding: 12 } }}
      extra={
        !readOnly && (
          <Button type="primary" size={mobile ? 'small' : 'middle'} icon={<PlusOutlined aria-hidden />} onClick={() => setEditing(null)}>
            {t('cs.addModel')}
          </Button>
        )
      }
      data-testid="models-card"
    >
      <Alert type="info" showIcon title={t('cs.modelsHint')} style={{ marginBottom: 12 }} />
      <Table<LlmModel>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={models.data ?? []}
        loading={models.isLoading}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: models.error ? errText(models.error) : t('cs.model.none') }}
      />
      {editing !== undefined && <ModelModal model={editing} onClose={() => setEditing(undefined)} />}
      {testing && <ModelTestModal model={testing} onClose={() => setTesting(null)} />}
    </Card>
  );
}
