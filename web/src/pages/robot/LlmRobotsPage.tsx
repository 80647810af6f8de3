// 大模型外呼: robots whose lines are written by an LLM (list; the editor is LlmRobotEditorPage).
import { App, Button, Card, Space, Table, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { useMember } from '../../api/hooks';
import { LLM_ROBOTS_KEY, llmRobotPath, useLlmRobots, type LlmRobotSummary } from '../../api/robot';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile, DeleteLink } from '../../components/common';
import { accessOf } from '../../access';
import { fmtTime } from '../../lib/format';
import { canManageRobot } from './ScriptsPage';

export const LLM_ROBOTS_PATH = '/robot/llm-robots';

export default function LlmRobotsPage() {
  const mobile = useIsMobile();
  const me = useMember();
  const canManage = canManageRobot(accessOf(me));
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const robots = useLlmRobots();

  const remove = useMutation({
    mutationFn: (r: LlmRobotSummary) => api.del(llmRobotPath(r.id)),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: [LLM_ROBOTS_KEY] });
    },
    onError: (e) => modal.error({ title: t('common.delete'), content: errText(e) }),
  });

  const columns: TableColumnsType<LlmRobotSummary> = [
    { title: t('llm.name'), dataIndex: 'name', width: 220, render: (n: string, r) => <Link to={`${LLM_ROBOTS_PATH}/${r.id}`}>{n}</Link> },
    { title: t('llm.model'), dataIndex: 'model_name', width: 180, render: (v: string) => v || '-' },
    { title: t('script.updatedAt'), dataIndex: 'updated_at', width: 170, render: fmtTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      fixed: mobile ? undefined : 'right',
      render: (_, r) => (
        <Space size={0} wrap>
          <Link to={`${LLM_ROBOTS_PATH}/${r.id}`}>
            <Button type="link" size="small">
              {canManage ? t('common.edit') : t('llm.view')}
            </Button>
          </Link>
          {canManage && (
            <DeleteLink title={t('llm.deleteTitle', { name: r.name })} content={t('script.deleteBody')} onOk={() => remove.mutateAsync(r)} />
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate(`${LLM_ROBOTS_PATH}/new`)}>
              {t('llm.create')}
            </Button>
          )
        }
      >
        {t('menu.llmRobots')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('llm.intro')}</Typography.Paragraph>
      <Card styles={{ body: { padding: 12 } }}>
        <Table<LlmRobotSummary>
          rowKey="id"
          columns={columns}
          dataSource={robots.data ?? []}
          loading={robots.isLoading}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={{ emptyText: robots.error ? errText(robots.error) : t('llm.none') }}
        />
      </Card>
    </>
  );
}
