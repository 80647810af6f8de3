import { Alert, Button, Card, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate } from 'react-router';
import { fetchMe, ME_KEY, useMe } from '../api/hooks';
import { useI18n } from '../i18n';
import { FullPageSpin } from '../components/common';
import PasswordForm from '../components/PasswordForm';
import { LangSwitch, useLogout } from '../layout/HeaderWidgets';
import { homeFor } from './LoginPage';

/** Shown after login while must_change_password: nothing else is reachable until done. */
export default function ForcedPasswordPage() {
  const { t } = useI18n();
  const { data: me, isLoading } = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = useLogout();

  if (isLoading) return <FullPageSpin />;
  if (!me) return <Navigate to="/login" replace />;
  if (!me.must_change_password) return <Navigate to={homeFor(me)} replace />;

  const onDone = async () => {
    const fresh = await fetchMe();
    qc.setQueryData(ME_KEY, fresh ? { ...fresh, must_change_password: false } : null);
    navigate(fresh ? homeFor({ ...fresh, must_change_password: false }) : '/login', { replace: true });
  };

  return (
    <div className="vx-login-bg">
      <div style={{ position: 'fixed', top: 12, right: 12 }}>
        <LangSwitch />
      </div>
      <Card className="vx-login-card" style={{ maxWidth: 460 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('pwd.title')}
        </Typography.Title>
        <Alert
          type="warning"
          showIcon
          title={t('pwd.forcedTitle')}
          description={t('pwd.forcedDesc', { name: me.name })}
          style={{ marginBottom: 20 }}
        />
        <PasswordForm onDone={onDone} submitText={t('pwd.submitAndEnter')} />
        <div style={{ marginTop: 16, textAlign: 'right' }}>
          <Button type="link" onClick={() => void logout()}>
            {t('user.logout')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
