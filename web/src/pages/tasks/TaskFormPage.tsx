// 新增任务 / 编辑任务 (/call-center/tasks/new, /call-center/tasks/:id/edit): every field of the
// seed's task form. A new form starts from GET /api/tasks/defaults; 422 `field` errors go onto
// the matching item (lib/tasks taskFieldOf).
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Select,
  Space,
  Switch,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, CopyOutlined, DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import { useMember } from '../../api/hooks';
import { useScripts, useLlmRobots } from '../../api/robot';
import { useQualityConditions } from '../../api/callCenter';
import {
  TASKS_KEY,
  TASKS_PATH,
  taskPath,
  useBlacklistGroupRefs,
  useCallLines,
  useCallTimeTemplates,
  useTask,
  useTaskDefaults,
  type TaskDetail,
} from '../../api/tasks';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { FullPageSpin, useIsMobile } from '../../components/common';
import { accessOf } from '../../access';
import {
  INTERVAL_MAX,
  INTERVAL_PRESETS,
  REDIAL_STATUSES,
  defaultTaskName,
  concurrencyFit,
  taskFieldOf,
  taskFormValues,
  taskRequest,
  type TaskFormValues,
} from '../../lib/tasks';
import { sameWeek, validateWeek, weekErrorText } from '../../lib/callTime';
import { TimeRangeInput, WeekGridEditor } from '../../components/WeekGrid';
import { canManageTasks } from './TasksPage';
import type { CompanyLine } from '../../api/calling';

const DT_FMT = 'YYYY-MM-DD HH:mm';

export default function TaskFormPage() {
  const { id } = useParams();
  const isNew = !id;
  const me = useMember();
  const readOnly = !canManageTasks(accessOf(me));
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const detail = useTask(id);
  const defaults = useTaskDefaults(isNew);
  const scripts = useScripts();
  const robots = useLlmRobots();
  const conditions = useQualityConditions();
  const lines = useCallLines();
  const groups = useBlacklistGroupRefs();
  const templates = useCallTimeTemplates();
  const [form] = Form.useForm<TaskFormValues>();
  const [dirty, setDirty] = useState(false);

  const kind = Form.useWatch('kind', form);
  const dialogMode = Form.useWatch(['dialog', 'mode'], form);
  const lineId = Form.useWatch('line_id', form);
  const concurrency = Form.useWatch('concurrency', form);
  const blacklistOn = Form.useWatch('blacklist_on', form);
  const templateId = Form.useWatch(['schedule', 'template_id'], form);
  const intervalChoice = Form.useWatch(['interval', 'choice'], form);
  const transferOn = Form.useWatch(['transfer', 'enabled'], form);
  const predictive = Form.useWatch(['transfer', 'predictive'], form);
  const quotaOn = Form.useWatch(['quota', 'on'], form);

  const initial = useMemo(() => {
    if (isNew) {
      if (!defaults.data) return null;
      const v = taskFormValues(defaults.data);
      if (!v.name) v.name = defaultTaskName(me.name);
      return v;
    }
    return detail.data ? taskFormValues(detail.data) : null;
  }, [isNew, defaults.data, detail.data, me.name]);

  useEffect(() => {
    if (initial && !dirty) form.setFieldsValue(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial, form]);

  const back = (to = TASKS_PATH) =>
    dirty
      ? modal.confirm({
          title: t('script.leaveTitle'),
          content: t('script.leaveBody'),
          okText: t('script.leave'),
          okButtonProps: { danger: true },
          cancelText: t('common.cancel'),
          onOk: () => navigate(to),
        })
      : navigate(to);

  const save = useMutation({
    mutationFn: (v: TaskFormValues) => (isNew ? api.post<TaskDetail>('/api/tasks', taskRequest(v)) : api.put<TaskDetail>(taskPath(id!), taskRequest(v))),
    onSuccess: (d) => {
      qc.setQueryData([TASKS_KEY, 'detail', String(d.id)], d);
      void qc.invalidateQueries({ queryKey: [TASKS_KEY, 'list'] });
      setDirty(false);
      message.success(isNew ? t('taskForm.created') : t('common.saved'));
      navigate(`${TASKS_PATH}/${d.id}`, { replace: isNew });
    },
    onError: (e) => {
      const path = e instanceof ApiError ? taskFieldOf(e.field) : undefined;
      if (path) {
        form.setFields([{ name: path as never, errors: [errText(e)] }]);
        form.scrollToField(path as never, { block: 'center' });
      } else message.error(errText(e));
    },
  });

  const selectedLine = (lines.data ?? []).find((l) => l.id === lineId);
  const concurrencyMax = selectedLine?.max_concurrency ?? 10000;

  const scriptOptions = useMemo(
    () =>
      (scripts.data ?? []).map((s) => ({
        value: s.id,
        title: s.name,
        disabled: s.published_version == null,
        label: s.published_version == null ? `${s.name}（${t('taskForm.unpublished')}）` : s.name,
      })),
    [scripts.data, t],
  );
  const hasUnpublished = scriptOptions.some((o) => o.disabled);
  const robotOptions = (robots.data ?? []).map((r) => ({ value: r.id, label: r.name }));
  const conditionOptions = (conditions.data ?? []).filter((c) => c.enabled || c.id === initial?.quality_condition_id).map((c) => ({ value: c.id, label: c.name }));
  const lineOptions = (lines.data ?? []).map((l) => {
    const free = Math.max(0, l.max_concurrency - l.in_use);
    return {
      value: l.id,
      title: l.name,
      disabled: l.status === 'disabled',
      label: (
        <Space size={6}>
          <span>{l.name}</span>
          {l.kind_label !== l.name && <Tag style={{ marginInlineEnd: 0 }}>{l.kind_label}</Tag>}
          <Typography.Text type={free > 0 ? 'secondary' : 'danger'} style={{ fontSize: 12 }}>
            {l.status === 'disabled' ? t('taskForm.lineDisabled') : t('taskForm.lineAvailable', { n: free, max: l.max_concurrency })}
          </Typography.Text>
        </Space>
      ),
    };
  });
  const groupOptions = (groups.data ?? []).map((g) => ({ value: g.id, label: `${g.name}（${t('taskForm.blacklistCount', { n: g.entry_count })}）` }));
  const templateOptions = (templates.data ?? []).map((tp) => ({
    value: tp.id,
    label: tp.system ? `${tp.name}（${t('taskForm.systemTemplate')}）` : tp.name,
  }));

  const loadError = isNew ? defaults.error : detail.error;
  if (loadError) {
    const nf = loadError instanceof ApiError && loadError.status === 404;
    return (
      <Result
        status={nf ? '404' : 'error'}
        title={nf ? t('taskForm.notFound') : errText(loadError)}
        extra={<Button onClick={() => navigate(TASKS_PATH)}>{t('taskForm.back')}</Button>}
      />
    );
  }
  if (!initial) return <FullPageSpin />;

  const notYet = <Typography.Text type="secondary">{t('taskForm.notYet')}</Typography.Text>;
  const cardStyle = { marginBottom: 12 };

  return (
    <>
      <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Tooltip title={t('taskForm.back')}>
          <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => back(isNew ? TASKS_PATH : `${TASKS_PATH}/${id}`)} aria-label={t('taskForm.back')} />
        </Tooltip>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {isNew ? t('taskForm.createTitle') : `${t('taskForm.editTitle')}：${detail.data?.name ?? ''}`}
        </Typography.Title>
        {dirty && <Tag color="orange">{t('script.unsaved')}</Tag>}
      </div>
      {readOnly && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('taskForm.readOnly')} />}
      <Form<TaskFormValues>
        form={form}
        name="task"
        layout={mobile ? 'vertical' : 'horizontal'}
        labelCol={mobile ? undefined : { flex: '150px' }}
        labelWrap
        disabled={readOnly}
        initialValues={initial}
        onValuesChange={(changed: Partial<TaskFormValues>) => {
          setDirty(true);
          // Editing the grid by hand makes the schedule custom (no template).
          if (changed.schedule?.days) {
            const tp = (templates.data ?? []).find((x) => x.id === form.getFieldValue(['schedule', 'template_id']));
            if (tp && !sameWeek(tp.days, changed.schedule.days)) form.setFieldValue(['schedule', 'template_id'], null);
          }
        }}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <Card size="small" title={t('taskForm.sectionBasic')} style={cardStyle}>
          <Form.Item label={t('task.name')} required>
            <Space.Compact style={{ width: '100%', maxWidth: 520 }}>
              <Form.Item name="name" noStyle rules={[{ required: true, whitespace: true, message: t('taskForm.nameRequired') }]}>
                <Input maxLength={50} aria-label={t('task.name')} />
              </Form.Item>
              <Button
                icon={<CopyOutlined aria-hidden />}
                disabled={false}
                onClick={() => {
                  void navigator.clipboard?.writeText(form.getFieldValue('name') ?? '').then(
                    () => message.success(t('taskForm.nameCopied')),
                    () => undefined,
                  );
                }}
              >
                {t('taskForm.copyName')}
              </Button>
              <Button
                icon={<DeleteOutlined aria-hidden />}
                onClick={() => {
                  form.setFieldValue('name', '');
                  setDirty(true);
                }}
              >
                {t('taskForm.clearName')}
              </Button>
            </Space.Compact>
          </Form.Item>
          <Form.Item label={t('taskForm.tags')} name="tags">
            <Select mode="tags" style={{ maxWidth: 520 }} placeholder={`+ ${t('taskForm.addTag')}`} tokenSeparators={[',', '，']} maxCount={10} open={false} suffixIcon={null} />
          </Form.Item>
          <Form.Item label={t('taskForm.alias')} name="alias" extra={t('taskForm.aliasHint')}>
            <Input maxLength={50} style={{ maxWidth: 520 }} />
          </Form.Item>
          <Form.Item label={t('taskForm.kind')} name="kind">
            <Radio.Group
              options={[
                { value: 'script', label: t('task.kind.script') },
                { value: 'llm', label: t('task.kind.llm') },
              ]}
            />
          </Form.Item>
        </Card>

        <Card size="small" title={t('taskForm.sectionDialog')} style={cardStyle}>
          {kind === 'llm' ? (
            <Form.Item label={t('taskForm.llmRobot')} name="llm_robot_id" rules={[{ required: true, message: t('taskForm.llmRobotRequired') }]}>
              <Select style={{ maxWidth: 520 }} options={robotOptions} loading={robots.isLoading} placeholder={t('taskForm.llmRobotPlaceholder')} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          ) : (
            <>
              <Form.Item label={t('taskForm.dialog')} name={['dialog', 'mode']} required>
                <Radio.Group
                  options={[
                    { value: 'unified', label: t('taskForm.dialog.unified') },
                    { value: 'by_time', label: t('taskForm.dialog.by_time') },
                  ]}
                />
              </Form.Item>
              {dialogMode === 'by_time' ? (
                <>
                  <Form.Item label={t('taskForm.fallbackScript')} name={['dialog', 'fallback_script_id']} extra={t('taskForm.fallbackScriptHint')} rules={[{ required: true, message: t('taskForm.scriptRequired') }]}>
                    <Select style={{ maxWidth: 520 }} options={scriptOptions} loading={scripts.isLoading} placeholder={t('taskForm.fallbackScriptHint')} showSearch={{ optionFilterProp: 'title' }} />
                  </Form.Item>
                  <Form.List
                    name={['dialog', 'ranges']}
                    rules={[{ validator: async (_, v: unknown[]) => (v?.length ? undefined : Promise.reject(new Error(t('taskForm.rangesRequired')))) }]}
                  >
                    {(fields, { add, remove }, { errors }) => (
                      <Form.Item label=" " colon={false} extra={t('taskForm.byTimeHint')}>
                        {fields.map((f) => (
                          <Space key={f.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                            <Form.Item name={[f.name, 'time']} rules={[{ required: true, message: t('taskForm.rangeRequired') }]} style={{ marginBottom: 8 }}>
                              <TimeRangeInput />
                            </Form.Item>
                            <Form.Item name={[f.name, 'script_id']} rules={[{ required: true, message: t('taskForm.scriptRequired') }]} style={{ marginBottom: 8 }}>
                              <Select style={{ width: 240 }} options={scriptOptions} placeholder={t('taskForm.scriptPlaceholder')} showSearch={{ optionFilterProp: 'title' }} />
                            </Form.Item>
                            <Button type="text" icon={<MinusCircleOutlined aria-hidden />} aria-label={t('week.removeRange')} onClick={() => remove(f.name)} />
                          </Space>
                        ))}
                        <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ time: null, script_id: undefined })}>
                          {t('taskForm.addRange')}
                        </Button>
                        <Form.ErrorList errors={errors} />
                      </Form.Item>
                    )}
                  </Form.List>
                </>
              ) : (
                <Form.Item label={t('taskForm.script')} name={['dialog', 'script_id']} rules={[{ required: true, message: t('taskForm.scriptRequired') }]}>
                  <Select style={{ maxWidth: 520 }} options={scriptOptions} loading={scripts.isLoading} placeholder={t('taskForm.scriptPlaceholder')} showSearch={{ optionFilterProp: 'title' }} />
                </Form.Item>
              )}
              {hasUnpublished && (
                <Form.Item label=" " colon={false} style={{ marginTop: -12 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('taskForm.unpublishedHint')}
                  </Typography.Text>
                </Form.Item>
              )}
            </>
          )}
          <Form.Item label={t('taskForm.quality')} name="quality_condition_id" extra={t('taskForm.qualityHint')}>
            <Select style={{ maxWidth: 520 }} allowClear options={conditionOptions} loading={conditions.isLoading} placeholder={t('taskForm.qualityPlaceholder')} />
          </Form.Item>
          <Form.Item label={t('taskForm.line')} name="line_id" rules={[{ required: true, message: t('taskForm.lineRequired') }]}>
            <Select style={{ maxWidth: 520 }} options={lineOptions} loading={lines.isLoading} placeholder={t('taskForm.linePlaceholder')} showSearch={{ optionFilterProp: 'title' }} />
          </Form.Item>
          <Form.Item label={t('taskForm.concurrency')} extra={t('taskForm.concurrencyHint')} required>
            <Space wrap>
              <Form.Item
                name="concurrency"
                noStyle
                rules={[
                  { required: true, type: 'integer', min: 1, message: t('taskForm.concurrencyRange', { max: concurrencyMax }) },
                  { type: 'integer', max: concurrencyMax, message: t('taskForm.concurrencyOverLine', { line: selectedLine?.name ?? '', max: concurrencyMax }) },
                ]}
              >
                {/* No max on the input: it would silently turn a typed 5000 into the line's
                    maximum; the rule above says why the value is refused instead. */}
                <InputNumber min={1} precision={0} style={{ width: 140 }} aria-label={t('taskForm.concurrency')} />
              </Form.Item>
              {selectedLine && (
                <ConcurrencyRoom line={selectedLine} wanted={concurrency} />
              )}
            </Space>
          </Form.Item>
          <Form.Item label={t('taskForm.blacklist')} required={!!blacklistOn}>
            <Space wrap align="start">
              <Form.Item name="blacklist_on" valuePropName="checked" noStyle>
                <Switch aria-label={t('taskForm.blacklist')} />
              </Form.Item>
              {blacklistOn && (
                <Form.Item name="blacklist_group_ids" noStyle rules={[{ required: true, type: 'array', min: 1, message: t('taskForm.blacklistRequired') }]}>
                  <Select mode="multiple" style={{ minWidth: 280, maxWidth: 480 }} options={groupOptions} loading={groups.isLoading} placeholder={t('taskForm.blacklistPlaceholder')} aria-label={t('taskForm.blacklistPlaceholder')} />
                </Form.Item>
              )}
            </Space>
          </Form.Item>
          <Form.Item label={t('taskForm.bgm')} extra={notYet}>
            <Select style={{ maxWidth: 520 }} disabled placeholder={t('taskForm.bgmPlaceholder')} />
          </Form.Item>
        </Card>

        <Card size="small" title={t('taskForm.sectionTime')} style={cardStyle}>
          <Form.Item label={t('taskForm.valid')} name="valid" rules={[{ required: true, message: t('taskForm.validRequired') }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format={DT_FMT} allowClear={false} />
          </Form.Item>
          <Form.Item label={t('taskForm.template')} name={['schedule', 'template_id']}>
            <Select
              style={{ maxWidth: 320 }}
              options={templateOptions}
              loading={templates.isLoading}
              placeholder={templateId === null && !dirty ? t('taskForm.templatePlaceholder') : t('taskForm.templateCustom')}
              allowClear
              onChange={(v: string | undefined) => {
                const tp = (templates.data ?? []).find((x) => x.id === v);
                if (tp) form.setFieldValue(['schedule', 'days'], tp.days);
                if (v === undefined) form.setFieldValue(['schedule', 'template_id'], null);
              }}
            />
          </Form.Item>
          <Form.Item
            label={t('taskForm.callTime')}
            name={['schedule', 'days']}
            required
            rules={[
              {
                validator: async (_, v) => {
                  const problem = v ? validateWeek(v) : null;
                  if (problem) throw new Error(weekErrorText(problem, t));
                },
              },
            ]}
          >
            <WeekGridEditor />
          </Form.Item>
          <Form.Item label={t('taskForm.skipHolidays')} name="skip_holidays" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.List name="forbidden">
            {(fields, { add, remove }) => (
              <Form.Item label={t('taskForm.forbidden')} extra={t('taskForm.forbiddenHint')}>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'range']} rules={[{ required: true, message: t('taskForm.forbiddenRequired') }]} style={{ marginBottom: 8 }}>
                      <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format={DT_FMT} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined aria-hidden />} aria-label={t('common.delete')} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ range: null })}>
                  {t('taskForm.addForbidden')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
        </Card>

        <Card size="small" title={t('taskForm.sectionStrategy')} style={cardStyle}>
          <Form.Item label={t('taskForm.leadRule')} extra={notYet}>
            <Select style={{ maxWidth: 520 }} disabled placeholder={t('taskForm.leadRulePlaceholder')} />
          </Form.Item>
          <Form.Item label={t('taskForm.transfer')} extra={t('taskForm.transferHint')}>
            <Space orientation="vertical" size={4}>
              <Form.Item name={['transfer', 'enabled']} valuePropName="checked" noStyle>
                <Checkbox>{t('taskForm.transferEnabled')}</Checkbox>
              </Form.Item>
              {transferOn && (
                <>
                  <Select style={{ width: 280 }} disabled placeholder={`${t('taskForm.transferGroup')}（${t('taskForm.notYet')}）`} />
                  <Form.Item name={['transfer', 'pause_when_busy']} valuePropName="checked" noStyle>
                    <Checkbox>{t('taskForm.pauseWhenBusy')}</Checkbox>
                  </Form.Item>
                  <Form.Item name={['transfer', 'predictive']} valuePropName="checked" noStyle>
                    <Checkbox>{t('taskForm.predictive')}</Checkbox>
                  </Form.Item>
                  <Form.Item name={['transfer', 'busy_to_ai']} valuePropName="checked" noStyle>
                    <Checkbox disabled={readOnly || !predictive}>{t('taskForm.busyToAi')}</Checkbox>
                  </Form.Item>
                </>
              )}
            </Space>
          </Form.Item>
          <Form.Item label={t('taskForm.endAction')} name="end_action">
            <Radio.Group
              options={[
                { value: 'pause_release', label: t('taskForm.endAction.pause_release') },
                { value: 'none', label: t('taskForm.endAction.none') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('taskForm.interval')} extra={t('taskForm.intervalHint')}>
            <Space wrap>
              <Form.Item name={['interval', 'choice']} noStyle>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'auto', label: t('taskForm.intervalAuto') },
                    ...INTERVAL_PRESETS.map((s) => ({ value: String(s), label: `${s}s` })),
                    { value: 'custom', label: t('taskForm.intervalCustom') },
                  ]}
                />
              </Form.Item>
              {intervalChoice === 'custom' && (
                <Form.Item
                  name={['interval', 'custom']}
                  noStyle
                  rules={[{ required: true, type: 'integer', min: 0, max: INTERVAL_MAX, message: t('taskForm.intervalRange', { max: INTERVAL_MAX }) }]}
                >
                  <InputNumber min={0} max={INTERVAL_MAX} precision={0} suffix={t('taskForm.seconds')} style={{ width: 120 }} aria-label={t('taskForm.intervalCustom')} />
                </Form.Item>
              )}
            </Space>
          </Form.Item>
          <Form.Item label={t('taskForm.quota')}>
            <Space wrap>
              <Form.Item name={['quota', 'on']} valuePropName="checked" noStyle>
                <Checkbox>{t('taskForm.quotaPrefix')}</Checkbox>
              </Form.Item>
              <Form.Item name={['quota', 'daily_connected_limit']} noStyle rules={quotaOn ? [{ required: true, type: 'integer', min: 1, message: t('taskForm.quotaRequired') }] : []}>
                <InputNumber min={1} max={1_000_000} precision={0} disabled={readOnly || !quotaOn} style={{ width: 120 }} aria-label={t('taskForm.quota')} />
              </Form.Item>
              <span>{t('taskForm.quotaSuffix')}</span>
            </Space>
          </Form.Item>
          <Form.Item label={t('taskForm.retry')} extra={t('taskForm.retryHint')}>
            <Space wrap align="start">
              <Form.Item name={['retry', 'statuses']} noStyle>
                <Select
                  mode="multiple"
                  allowClear
                  style={{ minWidth: 260, maxWidth: 480 }}
                  placeholder={t('taskForm.retryStatusesPlaceholder')}
                  aria-label={t('taskForm.retryStatuses')}
                  options={REDIAL_STATUSES.map((s) => ({ value: s, label: t(`num.status.${s}` as MessageKey) }))}
                />
              </Form.Item>
              <Space size={4}>
                <span>{t('taskForm.retryMax')}</span>
                <Form.Item name={['retry', 'max_attempts']} noStyle rules={[{ required: true, type: 'integer', min: 1, max: 10, message: t('cs.model.rangeError', { min: 1, max: 10 }) }]}>
                  <InputNumber min={1} max={10} precision={0} style={{ width: 80 }} aria-label={t('taskForm.retryMax')} />
                </Form.Item>
              </Space>
              <Space size={4}>
                <span>{t('taskForm.retryInterval')}</span>
                <Form.Item name={['retry', 'interval_minutes']} noStyle rules={[{ required: true, type: 'integer', min: 0, max: 10080, message: t('cs.model.rangeError', { min: 0, max: 10080 }) }]}>
                  <InputNumber min={0} max={10080} precision={0} style={{ width: 100 }} aria-label={t('taskForm.retryInterval')} />
                </Form.Item>
              </Space>
            </Space>
          </Form.Item>
        </Card>

        {!readOnly && (
          <Space style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 24 }}>
            <Button onClick={() => back(isNew ? TASKS_PATH : `${TASKS_PATH}/${id}`)}>{t('common.cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('taskForm.submit')}
            </Button>
          </Space>
        )}
      </Form>
    </>
  );
}

/** The line's free concurrency next to the input, and a warning when the value will not fit. */
function ConcurrencyRoom({ line, wanted }: { line: CompanyLine; wanted: number | null | undefined }) {
  const { t } = useI18n();
  const fit = concurrencyFit(line, wanted);
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text type="secondary">{t('taskForm.lineAvailable', { n: fit.free, max: fit.max })}</Typography.Text>
      {fit.kind === 'overFree' && (
        <Typography.Text type="warning" data-testid="concurrency-over-free">
          {t('taskForm.concurrencyOverFree', { n: fit.free })}
        </Typography.Text>
      )}
    </Space>
  );
}
