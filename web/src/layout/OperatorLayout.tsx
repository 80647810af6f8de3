import { Suspense } from 'react';
import { Layout, Menu, Tag } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation } from 'react-router';
import { useMe } from '../api/hooks';
import { useI18n } from '../i18n';
import { FullPageSpin } from '../components/common';
import { LangSwitch, UserMenu } from './HeaderWidgets';

export default function OperatorLayout() {
  const { data: me } = useMe();
  const { t } = useI18n();
  const { pathname } = useLocation();
  const current = pathname.startsWith('/operator/lines') ? 'lines' : pathname === '/operator' || pathname === '/operator/' ? 'companies' : '';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="vx-header">
        <Link to="/operator" style={{ display: 'flex', alignItems: 'center', gap: 8, color: 'inherit' }}>
          <PhoneOutlined style={{ fontSize: 20, color: '#1677ff' }} aria-hidden />
          <strong>Voxdial</strong>
        </Link>
        <Tag color="purple">{t('operator.area')}</Tag>
        <Menu
          mode="horizontal"
          selectedKeys={[current]}
          style={{ flex: 1, minWidth: 0, borderBottom: 'none' }}
          aria-label={t('header.mainMenu')}
          items={[
            { key: 'companies', label: <Link to="/operator">{t('operator.companies')}</Link> },
            { key: 'lines', label: <Link to="/operator/lines">{t('operator.lines')}</Link> },
          ]}
        />
        <LangSwitch />
        <UserMenu name={me?.name ?? ''} passwordPath="/operator/password" />
      </Layout.Header>
      <Layout.Content className="vx-content">
        <Suspense fallback={<FullPageSpin />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}
