// 话术编辑: the flow canvas, the node drawer and the side panels (test chat, variables,
// knowledge base, custom intents, global handling, intent test).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Input, Result, Row, Space, Tabs, Tag, Tooltip } from 'antd';
import { ArrowLeftOutlined, CloudUploadOutlined, DownloadOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import { useMember } from '../../api/hooks';
import { scriptPath, useBuiltinIntents, useScript, type Script, type ScriptDetail } from '../../api/robot';
import { useI18n } from '../../i18n';
import { FullPageSpin, useIsMobile } from '../../components/common';
import { accessOf } from '../../access';
import { canManageRobot } from './ScriptsPage';
import FlowCanvas from './FlowCanvas';
import NodeDrawer from './NodeDrawer';
import ChatPanel from './ChatPanel';
import { ClassifyPanel, HandlersPanel, IntentsPanel, KnowledgePanel, VariablesPanel } from './Panels';

interface Draft {
  name: string;
  description: string;
  script: Script;
}

export default function ScriptEditorPage() {
  const { id } = useParams();
  const mobile = useIsMobile();
  const me = useMember();
  const readOnly = !canManageRobot(accessOf(me));
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const detail = useScript(id);
  const builtin = useBuiltinIntents();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [editingNode, setEditingNode] = useState<string | null>(null);
  const [tab, setTab] = useState('chat');

  useEffect(() => {
    if (detail.data && (!draft || !dirty)) {
      setDraft({ name: detail.data.name, description: detail.data.description ?? '', script: detail.data.draft });
      setProblem(detail.data.problem ?? null);
    }
    // Only when the server's copy changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [detail.data]);

  const setScript = useCallback((s: Script) => {
    setDraft((d) => (d ? { ...d, script: s } : d));
    setDirty(true);
  }, []);

  const intentName = useMemo(() => {
    const names = new Map<string, string>();
    for (const i of builtin.data ?? []) names.set(i.code, i.name);
    for (const i of draft?.script.intents ?? []) names.set(i.code, i.name);
    return (code: string) => names.get(code) ?? code;
  }, [builtin.data, draft?.script.intents]);

  // Unsaved changes: warn on reload/close and on in-app links.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!a || a.target === '_blank' || a.hasAttribute('download')) return;
      const url = new URL(a.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname === window.location.pathname || url.pathname.startsWith('/api/')) return;
      e.preventDefault();
      e.stopPropagation();
      confirmLeave(() => navigate(url.pathname + url.search));
    };
    window.addEventListener('beforeunload', onUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      document.removeEventListener('click', onClick, true);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dirty]);

  const confirmLeave = (go: () => void) =>
    modal.confirm({ title: t('script.leaveTitle'), content: t('script.leaveBody'), okText: t('script.leave'), okButtonProps: { danger: true }, cancelText: t('common.cancel'), onOk: go });

  const applyDetail = (d: ScriptDetail) => {
    qc.setQueryData(['scripts', id], d);
    void qc.invalidateQueries({ queryKey: ['scripts'], exact: true });
    void qc.invalidateQueries({ queryKey: ['scripts', 'mine'], exact: true });
    setDirty(false);
    setProblem(d.problem ?? null);
  };

  const save = useMutation({
    mutationFn: (d: Draft) => api.put<ScriptDetail>(scriptPath(id!), { name: d.name.trim(), description: d.description.trim(), draft: d.script }),
    onSuccess: (d) => {
      applyDetail(d);
      if (d.problem) message.warning(t('script.savedWithProblem', { problem: d.problem }), 6);
      else message.success(t('common.saved'));
    },
    onError: (e) => message.error(errText(e)),
  });

  const publish = useMutation({
    mutationFn: async (d: Draft) => {
      if (dirty) applyDetail(await api.put<ScriptDetail>(scriptPath(id!), { name: d.name.trim(), description: d.description.trim(), draft: d.script }));
      return api.post<ScriptDetail>(`${scriptPath(id!)}/publish`);
    },
    onSuccess: (d) => {
      applyDetail(d);
      message.success(t('script.publishedOk', { v: d.published_version ?? '' }));
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'SCRIPT_INVALID') setProblem(e.message || errText(e));
      modal.error({ title: t('script.problemTitle'), content: errText(e) });
    },
  });

  if (detail.error) {
    const nf = detail.error instanceof ApiError && detail.error.status === 404;
    return <Result status={nf ? '404' : 'error'} title={nf ? t('script.notFound') : errText(detail.error)} extra={<Button onClick={() => navigate('/robot/scripts')}>{t('script.back')}</Button>} />;
  }
  if (!draft || !detail.data) return <FullPageSpin />;
  const d = detail.data;
  const script = draft.script;

  const back = () => (dirty ? confirmLeave(() => navigate('/robot/scripts')) : navigate('/robot/scripts'));

  const tabs = [
    { key: 'chat', label: t('tab.chat'), children: <ChatPanel scriptId={d.id} script={script} dirty={dirty} saving={save.isPending} onSave={() => save.mutate(draft)} intentName={intentName} /> },
    { key: 'variables', label: t('tab.variables'), children: <VariablesPanel script={script} onChange={setScript} readOnly={readOnly} /> },
    { key: 'knowledge', label: `${t('tab.knowledge')} (${script.knowledge?.length ?? 0})`, children: <KnowledgePanel script={script} onChange={setScript} readOnly={readOnly} /> },
    { key: 'intents', label: t('tab.intents'), children: <IntentsPanel script={script} onChange={setScript} readOnly={readOnly} builtin={builtin.data ?? []} /> },
    { key: 'handlers', label: t('tab.handlers'), children: <HandlersPanel script={script} onChange={setScript} readOnly={readOnly} /> },
    { key: 'classify', label: t('tab.classify'), children: <ClassifyPanel scriptId={d.id} /> },
  ];

  return (
    <>
      <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Tooltip title={t('script.back')}>
          <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={back} aria-label={t('script.back')} />
        </Tooltip>
        <Input
          value={draft.name}
          maxLength={50}
          disabled={readOnly}
          aria-label={t('script.name')}
          style={{ width: mobile ? '100%' : 220, fontWeight: 600, fontSize: 16 }}
          onChange={(e) => {
            setDraft({ ...draft, name: e.target.value });
            setDirty(true);
          }}
        />
        <Input
          value={draft.description}
          maxLength={200}
          disabled={readOnly}
          placeholder={t('script.description')}
          aria-label={t('script.description')}
          style={{ width: mobile ? '100%' : 260 }}
          onChange={(e) => {
            setDraft({ ...draft, description: e.target.value });
            setDirty(true);
          }}
        />
        {d.published_version == null ? <Tag>{t('script.unpublished')}</Tag> : <Tag color="green">{t('script.publishedV', { v: d.published_version })}</Tag>}
        {dirty && <Tag color="orange">{t('script.unsaved')}</Tag>}
        <span style={{ flex: 1 }} />
        <Space wrap>
          <Button icon={<DownloadOutlined aria-hidden />} href={`${scriptPath(d.id)}/export`} download>
            {t('script.export')}
          </Button>
          {!readOnly && (
            <>
              <Button icon={<SaveOutlined aria-hidden />} loading={save.isPending} disabled={!draft.name.trim()} onClick={() => save.mutate(draft)}>
                {t('common.save')}
              </Button>
              <Button type="primary" icon={<CloudUploadOutlined aria-hidden />} loading={publish.isPending} disabled={!draft.name.trim()} onClick={() => publish.mutate(draft)}>
                {t('script.publish')}
              </Button>
            </>
          )}
        </Space>
      </div>
      {readOnly && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('script.readOnly')} />}
      {problem && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('script.problemTitle')} description={problem} data-testid="script-problem" />}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" styles={{ body: { padding: 8 } }}>
            <FlowCanvas script={script} onChange={setScript} intents={builtin.data ?? []} intentName={intentName} onEditNode={setEditingNode} readOnly={readOnly} height={mobile ? 420 : 640} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" styles={{ body: { paddingTop: 0 } }}>
            <Tabs activeKey={tab} onChange={setTab} items={tabs} size="small" tabBarGutter={14} />
          </Card>
        </Col>
      </Row>
      {editingNode && <NodeDrawer script={script} nodeId={editingNode} onChange={setScript} onClose={() => setEditingNode(null)} intentName={intentName} readOnly={readOnly} />}
    </>
  );
}
