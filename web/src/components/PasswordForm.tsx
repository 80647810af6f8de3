import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { api, ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { isStrongPassword } from '../lib/format';

interface Values {
  old_password: string;
  new_password: string;
  confirm: string;
}

/** 修改密码 form: old, new, confirm; rules shown (至少 8 位, 包含字母和数字). */
export default function PasswordForm({ onDone, submitText }: { onDone: () => void; submitText?: string }) {
  const { t, errText } = useI18n();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const onFinish = async (v: Values) => {
    setError(null);
    setSaving(true);
    try {
      await api.post('/api/me/password', { old_password: v.old_password, new_password: v.new_password });
      form.resetFields();
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'WRONG_PASSWORD') {
        form.setFields([{ name: 'old_password', errors: [errText(e)] }]);
      } else if (e instanceof ApiError && (e.code === 'WEAK_PASSWORD' || e.code === 'SAME_PASSWORD')) {
        form.setFields([{ name: 'new_password', errors: [errText(e)] }]);
      } else {
        setError(errText(e));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} style={{ maxWidth: 420 }} disabled={saving}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item label={t('pwd.old')} name="old_password" rules={[{ required: true, message: t('pwd.oldRequired') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label={t('pwd.new')}
        name="new_password"
        extra={t('pwd.rule')}
        rules={[
          { required: true, message: t('pwd.newRequired') },
          {
            validator: (_, v: string | undefined) =>
              !v || isStrongPassword(v) ? Promise.resolve() : Promise.reject(new Error(t('pwd.ruleError'))),
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('pwd.confirm')}
        name="confirm"
        dependencies={['new_password']}
        rules={[
          { required: true, message: t('pwd.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              !v || v === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error(t('pwd.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('pwd.hint')}
      </Typography.Paragraph>
      <Button type="primary" htmlType="submit" loading={saving}>
        {submitText ?? t('pwd.submit')}
      </Button>
    </Form>
  );
}
