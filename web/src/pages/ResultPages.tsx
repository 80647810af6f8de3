import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../i18n';

export function NotFoundPage({ error }: { error?: unknown }) {
  const { t, errText } = useI18n();
  if (error) {
    return (
      <Result
        status="error"
        title={t('result.loadFailed')}
        subTitle={errText(error)}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('result.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('result.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('result.forbidden')}
      extra={
        <Link to="/">
          <Button type="primary">{t('result.backHome')}</Button>
        </Link>
      }
    />
  );
}
