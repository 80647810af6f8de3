import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, PhoneOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../api/client';
import { ME_KEY, useMe } from '../api/hooks';
import type { Me } from '../api/types';
import { useI18n } from '../i18n';
import { FORCED_PASSWORD_PATH, FullPageSpin } from '../components/common';
import { LangSwitch } from '../layout/HeaderWidgets';

export function homeFor(me: Me): string {
  if (me.must_change_password) return FORCED_PASSWORD_PATH;
  return me.kind === 'operator' ? '/operator' : '/';
}

export default function LoginPage() {
  const { t, errText } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { data: me, isLoading } = useMe();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  if (isLoading) return <FullPageSpin />;
  if (me && !loading) return <Navigate to={homeFor(me)} replace />;

  const onFinish = async (v: { login: string; password: string }) => {
    setError(null);
    setLoading(true);
    try {
      const who = await api.post<Me>('/api/auth/login', { login: v.login.trim(), password: v.password }, { skipAuthRedirect: true });
      qc.clear();
      qc.setQueryData(ME_KEY, who);
      navigate(homeFor(who), { replace: true });
    } catch (e) {
      setError(errText(e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <div className="vx-login-bg">
      <div style={{ position: 'fixed', top: 12, right: 12 }}>
        <LangSwitch />
      </div>
      <Card className="vx-login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <PhoneOutlined style={{ fontSize: 36, color: '#1677ff' }} aria-hidden />
          <Typography.Title level={3} style={{ margin: '8px 0 4px' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" data-testid="login-error" />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} disabled={loading}>
          <Form.Item label={t('login.login')} name="login" rules={[{ required: true, whitespace: true, message: t('login.loginRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" placeholder={t('login.loginPlaceholder')} size="large" />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={loading}>
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t('login.forgot')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
