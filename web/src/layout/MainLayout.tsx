import { Suspense, useMemo, useState } from 'react';
import { Badge, Button, Drawer, Grid, Layout, Menu, type MenuProps } from 'antd';
import { BellOutlined, MenuFoldOutlined, MenuUnfoldOutlined, PhoneOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useMember, useUnreadCount } from '../api/hooks';
import { useI18n } from '../i18n';
import { MENU } from '../menu';
import { filterMenu, isGroup, menuPathKeys, type MenuContext, type MenuNode } from '../menuTree';
import { accessOf } from '../access';
import { LangSwitch, UserMenu } from './HeaderWidgets';
import { useNotificationStream } from './useNotificationStream';
import { JobPopup } from './JobPopup';
import { FullPageSpin, NOTIFICATIONS_PATH } from '../components/common';

const { Header, Sider, Content } = Layout;

function Brand({ collapsed }: { collapsed?: boolean }) {
  return (
    <div className="vx-brand">
      <PhoneOutlined style={{ fontSize: 20 }} aria-hidden />
      {!collapsed && <span>Voxdial</span>}
    </div>
  );
}

export default function MainLayout() {
  const me = useMember();
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  // Below 768px (no `md`) the side menu becomes a drawer.
  const mobile = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useUnreadCount();
  const { popup, dismiss } = useNotificationStream(me);

  const menu = useMemo(() => filterMenu(MENU, accessOf(me)), [me]);
  const { leaf, groups } = menuPathKeys(menu, location.pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(() => {
    const all = menu.filter(isGroup).map((g) => g.key);
    return all.length ? all : groups;
  });

  const toItems = (nodes: MenuNode[]): MenuProps['items'] =>
    nodes.map((n) =>
      isGroup(n)
        ? { key: n.key, icon: n.icon, label: t(n.label), children: toItems(n.children) }
        : { key: n.key, icon: n.icon, label: <Link to={n.path}>{t(n.label)}</Link> },
    );

  const menuEl = (
    <Menu
      theme="dark"
      mode="inline"
      items={toItems(menu)}
      selectedKeys={leaf ? [leaf] : []}
      openKeys={collapsed && !mobile ? undefined : openKeys}
      onOpenChange={(keys) => setOpenKeys(keys as string[])}
      onClick={() => setDrawerOpen(false)}
      aria-label={t('header.mainMenu')}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={216} breakpoint="lg" trigger={null}>
          <Brand collapsed={collapsed} />
          {menuEl}
        </Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <Brand />
          {menuEl}
        </Drawer>
      )}
      <Layout>
        <Header className="vx-header">
          <Button
            type="text"
            aria-label={t('header.toggleMenu')}
            icon={mobile ? <MenuUnfoldOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => (mobile ? setDrawerOpen(true) : setCollapsed(!collapsed))}
          />
          <div className="vx-company" title={me.company.name}>
            {me.company.name}
          </div>
          <JobPopup popup={popup} onDismiss={dismiss} />
          <Badge count={unread.data ?? 0} size="small" offset={[-4, 4]}>
            <Button
              type="text"
              icon={<BellOutlined aria-hidden />}
              aria-label={t('header.notifications')}
              data-testid="notification-bell"
              onClick={() => navigate(NOTIFICATIONS_PATH)}
            />
          </Badge>
          <LangSwitch />
          <UserMenu name={me.name} avatarUrl={me.avatar_url} profilePath="/profile" passwordPath="/password" />
        </Header>
        <Content className="vx-content">
          <Suspense fallback={<FullPageSpin />}>
            <Outlet context={{ menu } satisfies MenuContext} />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
