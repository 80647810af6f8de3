// 呼叫设置 → 其他: the call timing (打断时间, 最大停顿时间, …) with its ranges and defaults.
import { useEffect } from 'react';
import { Alert, App, Button, Card, Form, InputNumber, Space, Typography } from 'antd';
import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { CALL_SETTINGS_KEY, useCallSettings, type CallSettings, type CallTiming } from '../../api/callCenter';
import { useI18n, type MessageKey } from '../../i18n';
import { FullPageSpin } from '../../components/common';
import { TIMING_FIELDS, inRange, timingFieldOf } from '../../lib/callSettings';

export default function TimingTab({ readOnly }: { readOnly: boolean }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const settings = useCallSettings();
  const [form] = Form.useForm<CallTiming>();

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data.timing);
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (timing: CallTiming) => api.put<CallSettings>('/api/call-settings', { timing }),
    onSuccess: (d) => {
      qc.setQueryData([CALL_SETTINGS_KEY], d);
      message.success(t('common.saved'));
    },
    onError: (e) => {
      const field = e instanceof ApiError ? timingFieldOf(e.field) : undefined;
      if (field) form.setFields([{ name: field, errors: [errText(e)] }]);
      else message.error(errText(e));
    },
  });

  if (settings.error) return <Alert type="error" showIcon title={errText(settings.error)} />;
  if (!settings.data) return <FullPageSpin />;
  const defaults = settings.data.defaults;

  return (
    <Card styles={{ body: { maxWidth: 640 } }}>
      <Typography.Paragraph type="secondary">{t('cs.other.intro')}</Typography.Paragraph>
      {readOnly && <Alert type="info" showIcon title={t('cs.readOnly')} style={{ marginBottom: 16 }} />}
      <Form<CallTiming> form={form} layout="vertical" name="call-timing" disabled={readOnly} onFinish={(v) => save.mutate(v)}>
        {TIMING_FIELDS.map((f) => {
          const label = t(`cs.timing.${f.key}` as MessageKey);
          const unit = t(`cs.unit.${f.unit}`);
          return (
            <Form.Item
              key={f.key}
              name={f.key}
              label={label}
              extra={t(`cs.timing.${f.key}.help` as MessageKey, { min: f.min, max: f.max })}
              rules={[
                { required: true, message: t('cs.timing.required', { label }) },
                {
                  validator: (_, v) =>
                    v == null || inRange(f, v) ? Promise.resolve() : Promise.reject(new Error(t('cs.timing.range', { label, min: f.min, max: f.max, unit }))),
                },
              ]}
            >
              {/* No min/max here: an out-of-range value stays visible with its error instead of being clamped. */}
              <InputNumber style={{ width: 220, maxWidth: '100%' }} precision={0} suffix={unit} placeholder={String(defaults[f.key])} />
            </Form.Item>
          );
        })}
        {!readOnly && (
          <Space wrap>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined aria-hidden />} loading={save.isPending}>
              {t('common.save')}
            </Button>
            <Button
              icon={<UndoOutlined aria-hidden />}
              onClick={() => {
                form.setFieldsValue(defaults);
                void form.validateFields().catch(() => undefined);
                message.info(t('cs.restored'));
              }}
            >
              {t('cs.restoreDefaults')}
            </Button>
          </Space>
        )}
      </Form>
    </Card>
  );
}
