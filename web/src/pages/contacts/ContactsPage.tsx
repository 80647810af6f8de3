import { useState } from 'react';
import { Alert, Card, Col, Row } from 'antd';
import { useDepartments, useMember } from '../../api/hooks';
import { useI18n } from '../../i18n';
import { PageTitle } from '../../components/common';
import { accessOf, can } from '../../access';
import DeptPanel from './DeptPanel';
import MembersPanel from './MembersPanel';

/** 通讯录: the department tree on the left, the selected department's 子账户 on the right. */
export default function ContactsPage() {
  const me = useMember();
  const { t, errText } = useI18n();
  const access = accessOf(me);
  const depts = useDepartments();
  const [selected, setSelected] = useState<number | 'all'>('all');
  const canViewMembers = can('member.view', 'member.manage')(access);

  const selectedDept = selected === 'all' ? undefined : depts.data?.find((d) => d.id === selected);

  return (
    <>
      <PageTitle>{t('menu.contacts')}</PageTitle>
      {depts.error && <Alert type="error" showIcon title={errText(depts.error)} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={9} lg={8} xl={7}>
          <Card title={t('dept.title')} size="small" styles={{ body: { padding: 12 } }}>
            <DeptPanel
              depts={depts.data ?? []}
              loading={depts.isLoading}
              selected={selectedDept ? selectedDept.id : 'all'}
              onSelect={setSelected}
              canManage={can('department.manage')(access)}
              companyName={me.company.name}
            />
          </Card>
        </Col>
        <Col xs={24} md={15} lg={16} xl={17}>
          <Card
            size="small"
            title={selectedDept ? t('member.titleOf', { dept: selectedDept.name }) : t('member.titleAll')}
            styles={{ body: { padding: 12 } }}
          >
            {canViewMembers ? (
              <MembersPanel
                depts={depts.data ?? []}
                departmentId={selectedDept?.id}
                canManage={can('member.manage')(access)}
                meId={me.id}
              />
            ) : (
              <Alert type="info" showIcon title={t('member.noViewPermission')} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
