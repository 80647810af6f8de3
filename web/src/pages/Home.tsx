import { useMemo } from 'react';
import { Alert, Avatar, Card, Col, Descriptions, Row, Space, Statistic, Tag, Typography } from 'antd';
import { RightOutlined, UserOutlined } from '@ant-design/icons';
import { Link, useOutletContext } from 'react-router';
import { useMember } from '../api/hooks';
import { useBalance } from '../api/calling';
import { formatYuan } from '../lib/money';
import { useI18n } from '../i18n';
import { menuLeaves, type MenuContext } from '../menuTree';
import type { MemberMe } from '../api/types';
import type { MessageKey } from '../i18n/messages';

export function roleKey(m: Pick<MemberMe, 'is_owner' | 'is_department_admin'>): MessageKey {
  if (m.is_owner) return 'role.owner';
  if (m.is_department_admin) return 'role.deptAdmin';
  return 'role.employee';
}

const quickDesc: Record<string, MessageKey> = {
  contacts: 'home.linkContacts',
  groups: 'home.linkGroups',
  audit: 'home.linkAudit',
  notifications: 'home.linkNotifications',
  lines: 'home.linkLines',
  blacklist: 'home.linkBlacklist',
  'call-time': 'home.linkCallTime',
  bills: 'home.linkBills',
};

/** 余额 / 透支额度 / 可用 from GET /api/balance; hidden when it cannot be read. */
function BalanceCard() {
  const { t } = useI18n();
  const balance = useBalance();
  const b = balance.data;
  if (!b) return null;
  return (
    <Card title={t('balance.title')} data-testid="balance-card">
      {b.exhausted && <Alert type="error" showIcon title={t('balance.exhausted')} style={{ marginBottom: 16 }} role="alert" />}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={8}>
          <Statistic
            title={t('balance.balance')}
            value={formatYuan(b.balance_mfen)}
            suffix={t('balance.yuan')}
            styles={{ content: b.balance_mfen < 0 ? { color: '#cf1322' } : undefined }}
          />
        </Col>
        <Col xs={24} sm={8}>
          <Statistic title={t('balance.overdraft')} value={formatYuan(b.overdraft_mfen)} suffix={t('balance.yuan')} />
        </Col>
        <Col xs={24} sm={8}>
          <Statistic
            title={t('balance.available')}
            value={formatYuan(b.available_mfen)}
            suffix={t('balance.yuan')}
            styles={{ content: b.exhausted ? { color: '#cf1322' } : undefined }}
          />
        </Col>
      </Row>
    </Card>
  );
}

export default function Home() {
  const me = useMember();
  const { t } = useI18n();
  const { menu } = useOutletContext<MenuContext>();
  const links = useMemo(() => menuLeaves(menu).filter((l) => l.path !== '/'), [menu]);
  const c = me.company;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space size={16} align="center" wrap>
          <Avatar size={64} src={me.avatar_url || undefined} icon={<UserOutlined aria-hidden />} />
          <div>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('home.welcome', { name: me.name })}
            </Typography.Title>
            <Space size={8} wrap style={{ marginTop: 6 }}>
              <Tag color={me.is_owner ? 'gold' : me.is_department_admin ? 'blue' : 'default'}>{t(roleKey(me))}</Tag>
              <Typography.Text type="secondary">
                {t('field.department')}：{me.department_name ?? t('home.noDepartment')}
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('field.phone')}：{me.phone}
              </Typography.Text>
            </Space>
          </div>
        </Space>
      </Card>
      <BalanceCard />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('home.companyInfo')} extra={me.is_owner ? <Link to="/profile">{t('common.edit')}</Link> : undefined} style={{ height: '100%' }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'name', label: t('company.name'), children: c.name },
                {
                  key: 'status',
                  label: t('company.status'),
                  children: <Tag color={c.status === 'active' ? 'green' : 'red'}>{t(c.status === 'active' ? 'company.active' : 'company.suspended')}</Tag>,
                },
                { key: 'contact', label: t('company.contactName'), children: c.contact_name || '-' },
                { key: 'phone', label: t('company.contactPhone'), children: c.contact_phone || '-' },
                { key: 'address', label: t('company.address'), children: c.address || '-' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('home.quickLinks')} style={{ height: '100%' }}>
            <Space orientation="vertical" style={{ width: '100%' }} size={4}>
              {links.map((l) => (
                <Link key={l.key} to={l.path} style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '8px 4px' }}>
                  <span style={{ fontSize: 18 }}>{l.icon}</span>
                  <span style={{ flex: 1 }}>
                    <div style={{ color: 'rgba(0,0,0,.88)', fontWeight: 500 }}>{t(l.label)}</div>
                    {quickDesc[l.key] && <div className="vx-muted" style={{ fontSize: 12 }}>{t(quickDesc[l.key])}</div>}
                  </span>
                  <RightOutlined className="vx-muted" aria-hidden />
                </Link>
              ))}
              <Link to="/profile" style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '8px 4px' }}>
                <span style={{ fontSize: 18 }}>
                  <UserOutlined aria-hidden />
                </span>
                <span style={{ flex: 1 }}>
                  <div style={{ color: 'rgba(0,0,0,.88)', fontWeight: 500 }}>{t('user.profile')}</div>
                  <div className="vx-muted" style={{ fontSize: 12 }}>
                    {t('home.linkProfile')}
                  </div>
                </span>
                <RightOutlined className="vx-muted" aria-hidden />
              </Link>
            </Space>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
