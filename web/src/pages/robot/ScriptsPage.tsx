import { useRef, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ExclamationCircleOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { useMember } from '../../api/hooks';
import { scriptPath, useScripts, type ScriptDetail, type ScriptOwner, type ScriptSummary } from '../../api/robot';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile, DeleteLink } from '../../components/common';
import { accessOf, can } from '../../access';
import { fmtTime } from '../../lib/format';
import { parseScriptFile } from '../../lib/flow';
import ShareScriptModal from './ShareScriptModal';

export const canManageRobot = can('robot.manage');

function CreateModal({ onClose }: { onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ name: string; description?: string }>();
  const create = useMutation({
    mutationFn: (v: { name: string; description?: string }) =>
      api.post<ScriptDetail>('/api/scripts', { name: v.name.trim(), description: v.description?.trim() ?? '' }),
    onSuccess: (d) => {
      message.success(t('script.created'));
      void qc.invalidateQueries({ queryKey: ['scripts'] });
      onClose();
      navigate(`/robot/scripts/${d.id}`);
    },
    onError: (e) => form.setFields([{ name: 'name', errors: [errText(e)] }]),
  });
  return (
    <Modal open title={t('script.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.ok')} cancelText={t('common.cancel')} confirmLoading={create.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" name="script-create" onFinish={(v) => create.mutate(v)}>
        <Form.Item label={t('script.name')} name="name" rules={[{ required: true, whitespace: true, message: t('script.nameRequired') }]}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item label={t('script.description')} name="description">
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function ScriptsPage() {
  const mobile = useIsMobile();
  const me = useMember();
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [owner, setOwner] = useState<ScriptOwner>('all');
  const scripts = useScripts(owner);
  const canManage = canManageRobot(accessOf(me));
  const [creating, setCreating] = useState(false);
  const [sharing, setSharing] = useState<ScriptSummary | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['scripts'] });

  const remove = useMutation({
    mutationFn: (s: ScriptSummary) => api.del(scriptPath(s.id)),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });
  const copy = useMutation({
    mutationFn: (s: ScriptSummary) => api.post<ScriptDetail>(`${scriptPath(s.id)}/copy`),
    onSuccess: (d) => {
      message.success(t('script.copied', { name: d.name }));
      void refresh();
    },
    onError: (e) => message.error(errText(e)),
  });
  const importScript = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<ScriptDetail>('/api/scripts/import', body),
    onSuccess: () => {
      message.success(t('script.imported'));
      void refresh();
    },
    onError: (e) => modal.error({ title: t('script.import'), content: errText(e) }),
  });

  const onFile = async (file: File | undefined) => {
    if (fileRef.current) fileRef.current.value = '';
    if (!file) return;
    if (!/\.json$/i.test(file.name)) {
      modal.error({ title: t('script.import'), content: t('script.importBadExt') });
      return;
    }
    const parsed = parseScriptFile(await file.text());
    if (!parsed) {
      modal.error({ title: t('script.import'), content: t('script.importBadJson') });
      return;
    }
    importScript.mutate(parsed);
  };

  const columns: TableColumnsType<ScriptSummary> = [
    {
      title: t('script.name'),
      dataIndex: 'name',
      width: 190,
      render: (n: string, s) => (
        <Space orientation="vertical" size={2}>
          <Link to={`/robot/scripts/${s.id}`}>{n}</Link>
          {s.problem && (
            <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="script-problem">
              <ExclamationCircleOutlined aria-hidden /> {s.problem}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('script.description'), dataIndex: 'description', width: 150, ellipsis: { showTitle: true }, render: (v: string) => v || '-' },
    {
      title: t('script.published'),
      dataIndex: 'published_version',
      width: 110,
      render: (v: number | null) => (v == null ? <Tag>{t('script.unpublished')}</Tag> : <Tag color="green">{t('script.publishedV', { v })}</Tag>),
    },
    { title: t('script.nodeCount'), dataIndex: 'node_count', width: 80 },
    { title: t('script.createdBy'), dataIndex: 'created_by_name', width: 110, render: (v: string | null | undefined) => v || '-' },
    { title: t('script.updatedAt'), dataIndex: 'updated_at', width: 170, render: fmtTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 260,
      fixed: mobile ? undefined : 'right',
      render: (_, s) => (
        <Space size={0} wrap>
          <Link to={`/robot/scripts/${s.id}`}>
            <Button type="link" size="small">
              {t('common.edit')}
            </Button>
          </Link>
          {canManage && (
            <Button type="link" size="small" loading={copy.isPending && copy.variables?.id === s.id} onClick={() => copy.mutate(s)}>
              {t('script.copy')}
            </Button>
          )}
          {canManage && (
            <Button type="link" size="small" onClick={() => setSharing(s)}>
              {t('script.share')}
            </Button>
          )}
          <Button type="link" size="small" href={`${scriptPath(s.id)}/export`} download>
            {t('script.export')}
          </Button>
          {canManage && (
            <DeleteLink title={t('script.deleteTitle', { name: s.name })} content={t('script.deleteBody')} onOk={() => remove.mutateAsync(s)} />
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
            <Space wrap>
              <Button icon={<ImportOutlined aria-hidden />} loading={importScript.isPending} onClick={() => fileRef.current?.click()}>
                {t('script.import')}
              </Button>
              <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
                {t('script.create')}
              </Button>
            </Space>
          )
        }
      >
        {t('menu.scripts')}
      </PageTitle>
      <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="script-import-file" onChange={(e) => void onFile(e.target.files?.[0])} />
      <Typography.Paragraph type="secondary">{t('script.intro')}</Typography.Paragraph>
      <Card styles={{ body: { padding: 12 } }}>
        <Segmented<ScriptOwner>
          style={{ marginBottom: 12 }}
          value={owner}
          onChange={setOwner}
          options={[
            { value: 'all', label: t('script.ownerAll') },
            { value: 'mine', label: t('script.ownerMine') },
          ]}
          aria-label={t('script.ownerFilter')}
        />
        <Table<ScriptSummary>
          rowKey="id"
          columns={columns}
          dataSource={scripts.data ?? []}
          loading={scripts.isLoading}
          // A fixed width (the columns' sum), not max-content: the description is cut to one line.
          scroll={{ x: 1070 }}
          pagination={false}
          locale={scripts.error ? { emptyText: errText(scripts.error) } : undefined}
        />
      </Card>
      {creating && <CreateModal onClose={() => setCreating(false)} />}
      {sharing && <ShareScriptModal script={sharing} selfId={me.id} onClose={() => setSharing(null)} />}
    </>
  );
}
