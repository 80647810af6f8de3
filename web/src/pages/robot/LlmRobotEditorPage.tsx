// 大模型外呼 editor (/robot/llm-robots/:id, `new` for a new robot): the robot's settings on
// the left, the test chat on the right. A new form starts from GET /api/llm-robots/defaults.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Radio, Result, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import { useMember } from '../../api/hooks';
import { useLlmModels } from '../../api/callCenter';
import {
  LLM_ROBOTS_KEY,
  llmRobotPath,
  useLlmRobot,
  useLlmRobotDefaults,
  useScript,
  useScripts,
  type LlmFallbackType,
  type LlmRobotDetail,
} from '../../api/robot';
import { useI18n } from '../../i18n';
import { FullPageSpin } from '../../components/common';
import { accessOf } from '../../access';
import { MAX_TURNS_MAX, MAX_TURNS_MIN, llmFieldOf, llmFormValues, llmRobotBody, type LlmRobotFormValues } from '../../lib/llmRobot';
import { canManageRobot } from './ScriptsPage';
import { LLM_ROBOTS_PATH } from './LlmRobotsPage';
import LlmChatPanel from './LlmChatPanel';

const CALL_SETTINGS_PATH = '/call-center/settings';
const FALLBACKS: LlmFallbackType[] = ['say_and_continue', 'hang_up', 'hand_to_script'];

/** A hint under a text area with `showCount`: keeps clear of the count at the right. */
function BesideCount({ children }: { children: ReactNode }) {
  return <div style={{ paddingRight: 96 }}>{children}</div>;
}

export default function LlmRobotEditorPage() {
  const { id } = useParams();
  const isNew = id === 'new';
  const me = useMember();
  const readOnly = !canManageRobot(accessOf(me));
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const detail = useLlmRobot(isNew ? undefined : id);
  const defaults = useLlmRobotDefaults(isNew);
  const models = useLlmModels();
  const scripts = useScripts();
  const [form] = Form.useForm<LlmRobotFormValues>();
  const [dirty, setDirty] = useState(false);

  const fallbackType = Form.useWatch('fallback_type', form);
  const fallbackScript = Form.useWatch('fallback_script_id', form);
  const handScript = useScript(fallbackType === 'hand_to_script' && fallbackScript ? String(fallbackScript) : undefined);

  const initial = useMemo(() => {
    if (isNew) return defaults.data ? llmFormValues(defaults.data) : null;
    return detail.data ? llmFormValues(detail.data.config, detail.data.name, detail.data.model_id) : null;
  }, [isNew, defaults.data, detail.data]);

  // Fill the form when the server's copy arrives (not over unsaved edits).
  useEffect(() => {
    if (initial && !dirty) form.setFieldsValue(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial, form]);

  // New robot: pick the only model when there is just one.
  useEffect(() => {
    if (isNew && initial && models.data?.length === 1 && form.getFieldValue('model_id') == null) form.setFieldValue('model_id', models.data[0].id);
  }, [isNew, initial, models.data, form]);

  const save = useMutation({
    mutationFn: (v: LlmRobotFormValues) =>
      isNew ? api.post<LlmRobotDetail>('/api/llm-robots', llmRobotBody(v)) : api.put<LlmRobotDetail>(llmRobotPath(id!), llmRobotBody(v)),
    onSuccess: (d) => {
      qc.setQueryData([LLM_ROBOTS_KEY, String(d.id)], d);
      void qc.invalidateQueries({ queryKey: [LLM_ROBOTS_KEY], exact: true });
      setDirty(false);
      message.success(isNew ? t('llm.created') : t('common.saved'));
      if (isNew) navigate(`${LLM_ROBOTS_PATH}/${d.id}`, { replace: true });
    },
    onError: (e) => {
      const field = e instanceof ApiError ? llmFieldOf(e.field) : undefined;
      if (field) form.setFields([{ name: field, errors: [errText(e)] }]);
      else message.error(errText(e));
    },
  });
  const submit = () => form.submit();

  const modelOptions = useMemo(() => {
    const opts = (models.data ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.model}）` }));
    const d = detail.data;
    if (d && !opts.some((o) => o.value === d.model_id)) opts.unshift({ value: d.model_id, label: d.model_name || t('cs.cond.unknownModel') });
    return opts;
  }, [models.data, detail.data, t]);
  const scriptOptions = (scripts.data ?? []).map((s) => ({ value: s.id, label: s.name }));
  const nodeOptions = (handScript.data?.draft.nodes ?? []).map((n) => ({ value: n.id, label: `${n.name}（${n.id}）` }));

  const back = () =>
    dirty
      ? modal.confirm({
          title: t('script.leaveTitle'),
          content: t('script.leaveBody'),
          okText: t('script.leave'),
          okButtonProps: { danger: true },
          cancelText: t('common.cancel'),
          onOk: () => navigate(LLM_ROBOTS_PATH),
        })
      : navigate(LLM_ROBOTS_PATH);

  const loadError = isNew ? defaults.error : detail.error;
  if (loadError) {
    const nf = loadError instanceof ApiError && loadError.status === 404;
    return <Result status={nf ? '404' : 'error'} title={nf ? t('llm.notFound') : errText(loadError)} extra={<Button onClick={() => navigate(LLM_ROBOTS_PATH)}>{t('llm.back')}</Button>} />;
  }
  if (!initial) return <FullPageSpin />;

  const required = (msg: string) => [{ required: true, whitespace: true, message: msg }];
  const noModels = models.isSuccess && models.data.length === 0;

  return (
    <>
      <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Tooltip title={t('llm.back')}>
          <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={back} aria-label={t('llm.back')} />
        </Tooltip>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {isNew ? t('llm.create') : (detail.data?.name ?? '')}
        </Typography.Title>
        {dirty && <Tag color="orange">{t('script.unsaved')}</Tag>}
        <span style={{ flex: 1 }} />
        {!readOnly && (
          <Button type="primary" icon={<SaveOutlined aria-hidden />} loading={save.isPending} onClick={submit}>
            {t('common.save')}
          </Button>
        )}
      </div>
      {readOnly && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('llm.readOnly')} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('llm.settings')}>
            <Form
              form={form}
              layout="vertical"
              name="llm-robot"
              disabled={readOnly}
              initialValues={initial}
              onValuesChange={() => setDirty(true)}
              onFinish={(v) => save.mutate(v)}
              scrollToFirstError
            >
              <Form.Item label={t('llm.name')} name="name" rules={required(t('llm.nameRequired'))}>
                <Input maxLength={50} />
              </Form.Item>
              {noModels && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title={t('llm.noModels')}
                  description={<Link to={CALL_SETTINGS_PATH}>{t('llm.gotoModels')}</Link>}
                  data-testid="llm-no-models"
                />
              )}
              <Form.Item label={t('llm.model')} name="model_id" rules={[{ required: true, message: t('llm.modelRequired') }]}>
                <Select options={modelOptions} loading={models.isLoading} placeholder={t('llm.modelPlaceholder')} showSearch={{ optionFilterProp: 'label' }} />
              </Form.Item>
              <Form.Item label={t('llm.prompt')} name="prompt" extra={<BesideCount>{t('llm.promptHint')}</BesideCount>} rules={required(t('llm.promptRequired'))}>
                <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={4000} showCount />
              </Form.Item>
              <Form.Item label={t('llm.knowledge')} name="knowledge" extra={<BesideCount>{t('llm.knowledgeHint')}</BesideCount>}>
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} maxLength={10000} showCount />
              </Form.Item>
              <Form.Item label={t('llm.opening')} name="opening" extra={t('llm.openingHint')} rules={required(t('llm.openingRequired'))}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} />
              </Form.Item>
              <Form.Item
                label={t('llm.maxTurns')}
                name="max_turns"
                extra={t('llm.maxTurnsHint', { min: MAX_TURNS_MIN, max: MAX_TURNS_MAX })}
                rules={[{ required: true, type: 'integer', min: MAX_TURNS_MIN, max: MAX_TURNS_MAX, message: t('cs.model.rangeError', { min: MAX_TURNS_MIN, max: MAX_TURNS_MAX }) }]}
              >
                <InputNumber min={MAX_TURNS_MIN} max={MAX_TURNS_MAX} precision={0} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item label={t('llm.closing')} name="closing_text" extra={t('llm.closingHint')} rules={required(t('llm.textRequired'))}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
              </Form.Item>
              <Form.Item label={t('llm.fallback')} name="fallback_type" extra={t('llm.fallbackHint')}>
                <Radio.Group
                  options={FALLBACKS.map((f) => ({ value: f, label: t(`llm.fallback.${f}`) }))}
                  onChange={() => form.setFields([{ name: 'fallback_script_id', errors: [] }, { name: 'fallback_node', errors: [] }])}
                />
              </Form.Item>
              {fallbackType === 'hand_to_script' && (
                <Space wrap align="start" size={12} style={{ width: '100%' }}>
                  <Form.Item label={t('llm.fallbackScript')} name="fallback_script_id" rules={[{ required: true, message: t('llm.fallbackScriptRequired') }]}>
                    <Select
                      style={{ width: 240 }}
                      options={scriptOptions}
                      loading={scripts.isLoading}
                      placeholder={t('llm.fallbackScriptPlaceholder')}
                      showSearch={{ optionFilterProp: 'label' }}
                      onChange={() => form.setFieldValue('fallback_node', undefined)}
                    />
                  </Form.Item>
                  <Form.Item
                    label={t('llm.fallbackNode')}
                    name="fallback_node"
                    rules={[{ required: true, whitespace: true, message: t('llm.fallbackNodeRequired') }]}
                    extra={handScript.error ? errText(handScript.error) : undefined}
                  >
                    <Select
                      style={{ width: 240 }}
                      options={nodeOptions}
                      loading={handScript.isLoading}
                      disabled={readOnly || !fallbackScript}
                      placeholder={t('llm.fallbackNodePlaceholder')}
                      showSearch={{ optionFilterProp: 'label' }}
                    />
                  </Form.Item>
                </Space>
              )}
              <Form.Item label={t('llm.fallbackText')} name="fallback_text" extra={t('llm.fallbackTextHint')} rules={required(t('llm.textRequired'))}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
              </Form.Item>
              <Form.Item label={t('llm.stopCalling')} name="stop_calling_text" rules={required(t('llm.textRequired'))}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} />
              </Form.Item>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('tab.chat')}>
            <LlmChatPanel key={id} robotId={isNew || !detail.data ? null : detail.data.id} dirty={dirty} saving={save.isPending} onSave={submit} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
