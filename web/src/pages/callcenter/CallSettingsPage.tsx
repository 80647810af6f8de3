// 呼叫中台 → 呼叫设置: tabs 大模型通话质检 (models + quality-check conditions) and 其他 (call timing).
import { Space, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useMember } from '../../api/hooks';
import { useI18n } from '../../i18n';
import { PageTitle } from '../../components/common';
import { accessOf } from '../../access';
import { canManageRobot } from '../robot/ScriptsPage';
import ModelsSection from './ModelsSection';
import QualitySection from './QualitySection';
import TimingTab from './TimingTab';

const TABS = ['quality', 'other'] as const;
type TabKey = (typeof TABS)[number];

export default function CallSettingsPage() {
  const me = useMember();
  const readOnly = !canManageRobot(accessOf(me));
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: TabKey = TABS.find((k) => k === params.get('tab')) ?? 'quality';

  return (
    <>
      <PageTitle>{t('menu.callSettings')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('cs.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'quality' ? {} : { tab: k }, { replace: true })}
        items={[
          {
            key: 'quality',
            label: t('cs.tab.quality'),
            children: (
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <ModelsSection readOnly={readOnly} />
                <QualitySection readOnly={readOnly} />
              </Space>
            ),
          },
          { key: 'other', label: t('cs.tab.other'), children: <TimingTab readOnly={readOnly} /> },
        ]}
      />
    </>
  );
}
