import { App, Card } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n';
import { PageTitle } from '../components/common';
import PasswordForm from '../components/PasswordForm';
import { useMe } from '../api/hooks';

export default function ChangePasswordPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { data: me } = useMe();
  return (
    <>
      <PageTitle>{t('pwd.title')}</PageTitle>
      <Card>
        <PasswordForm
          onDone={() => {
            message.success(t('pwd.changed'));
            navigate(me?.kind === 'operator' ? '/operator' : '/');
          }}
        />
      </Card>
    </>
  );
}
