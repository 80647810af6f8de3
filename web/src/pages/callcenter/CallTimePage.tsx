// 呼叫中台 → 呼叫时间: tabs 呼叫时间模板 (weekly templates tasks pick) and 节假日日历.
import { Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useMember } from '../../api/hooks';
import { useI18n } from '../../i18n';
import { PageTitle } from '../../components/common';
import { accessOf, can } from '../../access';
import CallTimeTemplates from './CallTimeTemplates';
import HolidaysTab from './HolidaysTab';

const TABS = ['templates', 'holidays'] as const;
type TabKey = (typeof TABS)[number];

export const canManageTasks = can('task.manage');

export default function CallTimePage() {
  const me = useMember();
  const readOnly = !canManageTasks(accessOf(me));
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: TabKey = TABS.find((k) => k === params.get('tab')) ?? 'templates';

  return (
    <>
      <PageTitle>{t('menu.callTime')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('ct.pageIntro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'templates' ? {} : { tab: k }, { replace: true })}
        items={[
          { key: 'templates', label: t('ct.tab.templates'), children: <CallTimeTemplates readOnly={readOnly} /> },
          { key: 'holidays', label: t('ct.tab.holidays'), children: <HolidaysTab readOnly={readOnly} /> },
        ]}
      />
    </>
  );
}
