// 意向等级规则: an ordered list of rules; the first whose conditions all hold gives the level.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useMember } from '../../api/hooks';
import { useBuiltinIntents, useGradingRules, type Condition, type ConditionType, type GradingRule, type GradingRules, type Intent } from '../../api/robot';
import { useI18n } from '../../i18n';
import { FullPageSpin, PageTitle, useIsMobile } from '../../components/common';
import { accessOf } from '../../access';
import { CONDITION_TYPES, changeConditionType, defaultCondition, moveItem, removeAt, replaceAt, ruleProblem } from '../../lib/grading';
import { canManageRobot } from './ScriptsPage';

const LEVEL_COLOR: Record<string, string> = { A: 'red', B: 'orange', C: 'blue', D: 'purple', E: 'default', F: 'default' };

function ConditionRow({ c, onChange, onRemove, intents, readOnly }: { c: Condition; onChange: (c: Condition) => void; onRemove: () => void; intents: Intent[]; readOnly: boolean }) {
  const { t } = useI18n();
  const mobile = useIsMobile();
  let value: React.ReactNode = null;
  switch (c.type) {
    case 'intent_hit':
    case 'intent_not_hit':
      value = (
        <Select
          style={{ width: mobile ? '100%' : 220 }}
          value={c.intent || undefined}
          showSearch
          optionFilterProp="label"
          placeholder={t('grading.intentPlaceholder')}
          aria-label={t('grading.intentPlaceholder')}
          options={[
            ...intents.map((i) => ({ value: i.code, label: `${i.name}（${i.code}）` })),
            // A script's own intent (not built in) stays selectable as its code.
            ...(c.intent && !intents.some((i) => i.code === c.intent) ? [{ value: c.intent, label: c.intent }] : []),
          ]}
          onChange={(v: string) => onChange({ ...c, intent: v })}
        />
      );
      break;
    case 'node_reached':
      value = <Input style={{ width: mobile ? '100%' : 200 }} value={c.node} placeholder={t('grading.nodePlaceholder')} aria-label={t('grading.nodePlaceholder')} onChange={(e) => onChange({ ...c, node: e.target.value })} />;
      break;
    case 'interactions_at_least':
    case 'interactions_at_most':
      value = <InputNumber min={0} max={1000} value={c.value} suffix={t('grading.times')} onChange={(v) => onChange({ ...c, value: v ?? 0 })} />;
      break;
    case 'duration_at_least':
    case 'duration_at_most':
      value = <InputNumber min={0} max={36000} value={c.seconds} suffix={t('grading.seconds')} onChange={(v) => onChange({ ...c, seconds: v ?? 0 })} />;
      break;
    case 'ended_by':
      value = (
        <Select
          style={{ width: 140 }}
          value={c.by}
          onChange={(by) => onChange({ ...c, by })}
          options={(['robot', 'customer', 'transfer'] as const).map((b) => ({ value: b, label: t(`by.${b}`) }))}
        />
      );
      break;
  }
  return (
    <Space wrap style={{ width: '100%' }} data-testid="grading-condition">
      <Select<ConditionType>
        style={{ width: 150 }}
        value={c.type}
        onChange={(tp) => onChange(changeConditionType(c, tp))}
        options={CONDITION_TYPES.map((tp) => ({ value: tp, label: t(`cond.${tp}`) }))}
      />
      {value}
      {!readOnly && <Button type="text" danger icon={<DeleteOutlined aria-hidden />} onClick={onRemove} aria-label={t('common.delete')} />}
    </Space>
  );
}

export default function GradingPage() {
  const me = useMember();
  const readOnly = !canManageRobot(accessOf(me));
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const data = useGradingRules();
  const intents = useBuiltinIntents();
  const [rules, setRules] = useState<GradingRule[]>([]);
  const [defaultLevel, setDefaultLevel] = useState('C');
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    if (data.data) {
      setRules(data.data.rules);
      setDefaultLevel(data.data.default_level);
      setDirty(false);
    }
  }, [data.data]);

  const save = useMutation({
    mutationFn: () => api.put<GradingRules>('/api/grading-rules', { rules: rules.map((r) => ({ ...r, name: r.name.trim() })), default_level: defaultLevel }),
    onSuccess: (d) => {
      qc.setQueryData(['grading-rules'], d);
      setError(null);
      message.success(t('common.saved'));
    },
    onError: (e) => setError(errText(e)),
  });

  if (data.error) return <Alert type="error" showIcon title={errText(data.error)} />;
  if (!data.data) return <FullPageSpin />;
  const levels = data.data.levels;
  const levelOptions = levels.map((l) => ({ value: l.level, label: <Tag color={LEVEL_COLOR[l.level]}>{l.label}</Tag> }));
  const update = (next: GradingRule[]) => {
    setRules(next);
    setDirty(true);
    setError(null);
  };
  const onSave = () => {
    const p = ruleProblem(rules);
    if (p) setError(p);
    else save.mutate();
  };

  return (
    <>
      <PageTitle
        extra={
          !readOnly && (
            <Space wrap>
              {dirty && <Tag color="orange">{t('script.unsaved')}</Tag>}
              <Button type="primary" icon={<SaveOutlined aria-hidden />} loading={save.isPending} onClick={onSave}>
                {t('common.save')}
              </Button>
            </Space>
          )
        }
      >
        {t('menu.grading')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('grading.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="grading-error" />}
      <Form layout="vertical" disabled={readOnly} component="div">
        <Space orientation="vertical" style={{ width: '100%' }} size={12}>
          {rules.length === 0 && <Empty description={t('grading.noRules')} />}
          {rules.map((r, i) => (
            <Card
              key={i}
              size="small"
              data-testid="grading-rule"
              title={
                <Space>
                  <Tag>{t('grading.rule', { n: i + 1 })}</Tag>
                  <span>{r.name}</span>
                </Space>
              }
              extra={
                !readOnly && (
                  <Space size={0}>
                    <Button type="text" icon={<ArrowUpOutlined aria-hidden />} disabled={i === 0} onClick={() => update(moveItem(rules, i, -1))} aria-label={t('grading.up')} title={t('grading.up')} />
                    <Button type="text" icon={<ArrowDownOutlined aria-hidden />} disabled={i === rules.length - 1} onClick={() => update(moveItem(rules, i, 1))} aria-label={t('grading.down')} title={t('grading.down')} />
                    <Button type="text" danger icon={<DeleteOutlined aria-hidden />} onClick={() => update(removeAt(rules, i))} aria-label={t('grading.removeRule')} title={t('grading.removeRule')} />
                  </Space>
                )
              }
            >
              <Space wrap align="start" style={{ marginBottom: 8 }}>
                <Form.Item label={t('grading.name')} style={{ marginBottom: 0 }}>
                  <Input value={r.name} maxLength={30} style={{ width: 200 }} onChange={(e) => update(replaceAt(rules, i, { ...r, name: e.target.value }))} />
                </Form.Item>
                <Form.Item label={t('grading.level')} style={{ marginBottom: 0 }}>
                  <Select style={{ width: 170 }} value={r.level} options={levelOptions} onChange={(level: string) => update(replaceAt(rules, i, { ...r, level }))} />
                </Form.Item>
              </Space>
              <Typography.Text type="secondary" style={{ display: 'block' }}>
                {t('grading.conditions')}
              </Typography.Text>
              <Space orientation="vertical" style={{ width: '100%', marginTop: 6 }}>
                {r.conditions.map((c, k) => (
                  <ConditionRow
                    key={k}
                    c={c}
                    intents={intents.data ?? []}
                    readOnly={readOnly}
                    onChange={(nc) => update(replaceAt(rules, i, { ...r, conditions: replaceAt(r.conditions, k, nc) }))}
                    onRemove={() => update(replaceAt(rules, i, { ...r, conditions: removeAt(r.conditions, k) }))}
                  />
                ))}
                {!readOnly && (
                  <Button size="small" type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => update(replaceAt(rules, i, { ...r, conditions: [...r.conditions, defaultCondition('intent_hit')] }))}>
                    {t('grading.addCondition')}
                  </Button>
                )}
              </Space>
            </Card>
          ))}
          {!readOnly && (
            <Button type="dashed" block icon={<PlusOutlined aria-hidden />} onClick={() => update([...rules, { name: t('grading.newRule'), level: 'B', conditions: [defaultCondition('intent_hit')] }])}>
              {t('grading.addRule')}
            </Button>
          )}
          <Card size="small">
            <Form.Item label={t('grading.default')} extra={t('grading.defaultHint')} style={{ marginBottom: 0 }}>
              <Select
                style={{ width: 170 }}
                value={defaultLevel}
                options={levelOptions}
                onChange={(v: string) => {
                  setDefaultLevel(v);
                  setDirty(true);
                }}
              />
            </Form.Item>
          </Card>
        </Space>
      </Form>
    </>
  );
}
