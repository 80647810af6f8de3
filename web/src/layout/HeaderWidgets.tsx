import { Avatar, Button, Dropdown } from 'antd';
import { DownOutlined, GlobalOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { ME_KEY } from '../api/hooks';
import { useI18n, type Lang } from '../i18n';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const items = [
    { key: 'zh', label: '简体中文' },
    { key: 'en', label: 'English' },
  ];
  return (
    <Dropdown
      trigger={['click']}
      menu={{ items, selectable: true, selectedKeys: [lang], onClick: ({ key }) => setLang(key as Lang) }}
    >
      <Button type="text" icon={<GlobalOutlined aria-hidden />} aria-label={t('header.language')} data-testid="lang-switch">
        <span className="vx-hide-mobile">{lang === 'zh' ? '中文' : 'EN'}</span>
      </Button>
    </Dropdown>
  );
}

export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try {
      await api.post('/api/auth/logout', undefined, { skipAuthRedirect: true });
    } catch {
      /* already signed out */
    }
    qc.clear();
    qc.setQueryData(ME_KEY, null);
    navigate('/login', { replace: true });
  };
}

export function UserMenu({
  name,
  avatarUrl,
  profilePath,
  passwordPath,
}: {
  name: string;
  avatarUrl?: string | null;
  profilePath?: string;
  passwordPath: string;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const logout = useLogout();
  const items = [
    ...(profilePath ? [{ key: 'profile', icon: <UserOutlined aria-hidden />, label: t('user.profile') }] : []),
    { key: 'password', icon: <KeyOutlined aria-hidden />, label: t('user.changePassword') },
    { type: 'divider' as const },
    { key: 'logout', icon: <LogoutOutlined aria-hidden />, label: t('user.logout') },
  ];
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items,
        onClick: ({ key }) => {
          if (key === 'profile' && profilePath) navigate(profilePath);
          else if (key === 'password') navigate(passwordPath);
          else if (key === 'logout') void logout();
        },
      }}
    >
      <Button type="text" data-testid="user-menu" aria-label={t('header.userMenu')} style={{ paddingInline: 6 }}>
        <Avatar size="small" src={avatarUrl || undefined} icon={<UserOutlined aria-hidden />} />
        <span className="vx-hide-mobile" style={{ maxWidth: 120, overflow: 'hidden', textOverflow: 'ellipsis' }}>
          {name}
        </span>
        <DownOutlined style={{ fontSize: 10 }} aria-hidden />
      </Button>
    </Dropdown>
  );
}
