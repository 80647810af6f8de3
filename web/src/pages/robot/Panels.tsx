// Side panels of the script editor: variables, knowledge base, custom intents, global
// handlers and the intent test box.
import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Handlers, Intent, IntentHit, KnowledgeEntry, Script } from '../../api/robot';
import { useI18n } from '../../i18n';

interface PanelProps {
  script: Script;
  onChange: (s: Script) => void;
  readOnly: boolean;
}

export function VariablesPanel({ script, onChange, readOnly }: PanelProps) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const add = () => {
    const v = name.trim();
    if (!v) return;
    if (script.variables.includes(v)) {
      setErr(t('var.exists'));
      return;
    }
    onChange({ ...script, variables: [...script.variables, v] });
    setName('');
    setErr(null);
  };
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('var.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        {script.variables.map((v) => (
          <Tag key={v} closable={!readOnly} onClose={() => onChange({ ...script, variables: script.variables.filter((x) => x !== v) })} style={{ fontSize: 14, padding: '2px 8px' }}>
            {'${' + v + '}'}
          </Tag>
        ))}
      </Space>
      {!readOnly && (
        <Space.Compact style={{ width: '100%' }}>
          <Input value={name} maxLength={20} placeholder={t('var.placeholder')} status={err ? 'error' : undefined} onChange={(e) => { setName(e.target.value); setErr(null); }} onPressEnter={add} aria-label={t('var.placeholder')} />
          <Button icon={<PlusOutlined aria-hidden />} onClick={add}>
            {t('var.add')}
          </Button>
        </Space.Compact>
      )}
      {err && <Typography.Text type="danger">{err}</Typography.Text>}
    </div>
  );
}

/** The 编辑 / 删除 column of the editor's tables. */
function rowActions<T>(t: ReturnType<typeof useI18n>['t'], onEdit: (row: T) => void, onDelete: (row: T) => void): TableColumnsType<T>[number] {
  return {
    title: t('common.actions'),
    key: 'a',
    width: 96,
    render: (_: unknown, row: T) => (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => onEdit(row)}>
          {t('common.edit')}
        </Button>
        <Popconfirm title={t('common.delete')} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={() => onDelete(row)}>
          <Button type="link" size="small" danger>
            {t('common.delete')}
          </Button>
        </Popconfirm>
      </Space>
    ),
  };
}

function newKbId(list: KnowledgeEntry[]): string {
  const used = new Set(list.map((k) => k.id));
  for (let i = list.length + 1; ; i++) if (!used.has(`kb${i}`)) return `kb${i}`;
}

export function KnowledgePanel({ script, onChange, readOnly }: PanelProps) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<KnowledgeEntry | 'new' | null>(null);
  const [form] = Form.useForm<{ questions: string[]; answer: string }>();
  const list = script.knowledge ?? [];
  const open = (k: KnowledgeEntry | 'new') => {
    setEditing(k);
    form.setFieldsValue(k === 'new' ? { questions: [], answer: '' } : { questions: k.questions, answer: k.answer });
  };
  const save = (v: { questions: string[]; answer: string }) => {
    const questions = v.questions.map((q) => q.trim()).filter(Boolean);
    const answer = v.answer.trim();
    if (editing === 'new') onChange({ ...script, knowledge: [...list, { id: newKbId(list), questions, answer }] });
    else if (editing) onChange({ ...script, knowledge: list.map((k) => (k.id === editing.id ? { ...k, questions, answer } : k)) });
    setEditing(null);
  };
  const columns: TableColumnsType<KnowledgeEntry> = [
    {
      title: t('kb.questions'),
      dataIndex: 'questions',
      width: 180,
      render: (qs: string[]) => (
        <Space size={[4, 4]} wrap>
          {qs.map((q) => (
            <Tag key={q} style={{ marginInlineEnd: 0 }}>
              {q}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('kb.answer'), dataIndex: 'answer', width: 220, render: (a: string) => <Typography.Paragraph ellipsis={{ rows: 2, tooltip: a }} style={{ margin: 0 }}>{a}</Typography.Paragraph> },
  ];
  if (!readOnly) columns.push(rowActions<KnowledgeEntry>(t, open, (k) => onChange({ ...script, knowledge: list.filter((x) => x.id !== k.id) })));
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('kb.intro')}</Typography.Paragraph>
      {!readOnly && (
        <Button icon={<PlusOutlined aria-hidden />} style={{ marginBottom: 8 }} onClick={() => open('new')}>
          {t('kb.add')}
        </Button>
      )}
      <Table<KnowledgeEntry> rowKey="id" size="small" columns={columns} dataSource={list} tableLayout="fixed" pagination={{ pageSize: 8, size: 'small', showTotal: (n) => t('common.total', { n }), hideOnSinglePage: true }} scroll={{ x: 520 }} data-testid="kb-table" />
      <Modal open={!!editing} title={t(editing === 'new' ? 'kb.add' : 'kb.edit')} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText={t('common.ok')} cancelText={t('common.cancel')} forceRender>
        <Form form={form} layout="vertical" name="kb" onFinish={save}>
          <Form.Item label={t('kb.questions')} name="questions" extra={t('kb.questionsHint')} rules={[{ required: true, type: 'array', min: 1, message: t('kb.questionsRequired') }]}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={['\n']} />
          </Form.Item>
          <Form.Item label={t('kb.answer')} name="answer" rules={[{ required: true, whitespace: true, message: t('kb.answerRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export function IntentsPanel({ script, onChange, readOnly, builtin }: PanelProps & { builtin: Intent[] }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Intent | 'new' | null>(null);
  const [form] = Form.useForm<Intent>();
  const list = script.intents ?? [];
  const open = (i: Intent | 'new') => {
    setEditing(i);
    form.setFieldsValue(i === 'new' ? { code: '', name: '', priority: 50, keywords: [], patterns: [] } : i);
  };
  const save = (v: Intent) => {
    const item: Intent = { code: v.code.trim(), name: v.name.trim(), priority: v.priority ?? 50, keywords: (v.keywords ?? []).map((k) => k.trim()).filter(Boolean), patterns: (v.patterns ?? []).filter((p) => p.trim()) };
    if (editing === 'new') onChange({ ...script, intents: [...list, item] });
    else if (editing) {
      const old = editing.code;
      // Renaming a code renames the branches that use it.
      const nodes = old === item.code ? script.nodes : script.nodes.map((n) => ({ ...n, branches: n.branches?.map((b) => (b.intent === old ? { ...b, intent: item.code } : b)) }));
      onChange({ ...script, nodes, intents: list.map((i) => (i.code === old ? item : i)) });
    }
    setEditing(null);
  };
  const taken = (code: string) => (editing === 'new' || editing?.code !== code) && (list.some((i) => i.code === code) || builtin.some((i) => i.code === code));
  const tags = (xs: string[]) => (
    <Space size={[4, 4]} wrap>
      {xs.map((x) => (
        <Tag key={x} style={{ marginInlineEnd: 0 }}>
          {x}
        </Tag>
      ))}
    </Space>
  );
  const columns: TableColumnsType<Intent> = [
    { title: t('intent.name'), dataIndex: 'name', width: 100, render: (n: string, i) => <span>{n}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{i.code}</Typography.Text></span> },
    { title: t('intent.priority'), dataIndex: 'priority', width: 60 },
    { title: t('intent.keywords'), dataIndex: 'keywords', render: tags },
    { title: t('intent.patterns'), dataIndex: 'patterns', render: tags },
  ];
  if (!readOnly) columns.push(rowActions<Intent>(t, open, (i) => onChange({ ...script, intents: list.filter((x) => x.code !== i.code) })));
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('intent.intro')}</Typography.Paragraph>
      {!readOnly && (
        <Button icon={<PlusOutlined aria-hidden />} style={{ marginBottom: 8 }} onClick={() => open('new')}>
          {t('intent.add')}
        </Button>
      )}
      <Table<Intent> rowKey="code" size="small" columns={columns} dataSource={list} pagination={false} scroll={{ x: 'max-content' }} />
      <Modal open={!!editing} title={t(editing === 'new' ? 'intent.add' : 'intent.edit')} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText={t('common.ok')} cancelText={t('common.cancel')} forceRender>
        <Form form={form} layout="vertical" name="intent" onFinish={save}>
          <Form.Item
            label={t('intent.code')}
            name="code"
            extra={t('intent.codeHint')}
            rules={[
              { required: true, pattern: /^[A-Za-z0-9_]+$/, message: t('intent.codeRequired') },
              { validator: (_, v: string) => (v && taken(v.trim()) ? Promise.reject(new Error(t('intent.codeTaken'))) : Promise.resolve()) },
            ]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item label={t('intent.name')} name="name" rules={[{ required: true, whitespace: true, message: t('intent.nameRequired') }]}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item label={t('intent.priority')} name="priority">
            <InputNumber min={0} max={1000} />
          </Form.Item>
          <Form.Item label={t('intent.keywords')} name="keywords" extra={t('intent.keywordsHint')}>
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
          <Form.Item label={t('intent.patterns')} name="patterns">
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export function HandlersPanel({ script, onChange, readOnly }: PanelProps) {
  const { t } = useI18n();
  const h = script.handlers;
  const set = (p: Partial<Handlers>) => onChange({ ...script, handlers: { ...h, ...p } });
  const transfers = script.nodes.filter((n) => n.type === 'transfer');
  return (
    <Form layout="vertical" disabled={readOnly} name="handlers">
      <Typography.Title level={5}>{t('handler.silence')}</Typography.Title>
      <Form.Item label={t('handler.silenceText')}>
        <Input.TextArea value={h.silence_text} autoSize={{ minRows: 2, maxRows: 4 }} onChange={(e) => set({ silence_text: e.target.value })} />
      </Form.Item>
      <Form.Item label={t('handler.silenceRetries')}>
        <InputNumber min={0} max={10} value={h.silence_retries} onChange={(v) => set({ silence_retries: v ?? 0 })} />
      </Form.Item>
      <Typography.Title level={5}>{t('handler.noMatch')}</Typography.Title>
      <Form.Item label={t('handler.noMatchText')}>
        <Input.TextArea value={h.no_match_text} autoSize={{ minRows: 2, maxRows: 4 }} onChange={(e) => set({ no_match_text: e.target.value })} />
      </Form.Item>
      <Form.Item label={t('handler.noMatchRetries')}>
        <InputNumber min={0} max={10} value={h.no_match_retries} onChange={(v) => set({ no_match_retries: v ?? 0 })} />
      </Form.Item>
      <Form.Item label={t('handler.giveUpText')}>
        <Input.TextArea value={h.give_up_text} autoSize={{ minRows: 2, maxRows: 4 }} onChange={(e) => set({ give_up_text: e.target.value })} />
      </Form.Item>
      <Form.Item label={t('handler.humanNode')}>
        <Select
          value={h.human_node ?? ''}
          onChange={(v: string) => set({ human_node: v || null })}
          options={[{ value: '', label: t('handler.humanNone') }, ...transfers.map((n) => ({ value: n.id, label: n.name }))]}
        />
      </Form.Item>
      <Form.Item label={t('handler.stopCallingText')}>
        <Input.TextArea value={h.stop_calling_text} autoSize={{ minRows: 2, maxRows: 4 }} onChange={(e) => set({ stop_calling_text: e.target.value })} />
      </Form.Item>
    </Form>
  );
}

export function ClassifyPanel({ scriptId }: { scriptId: number | null }) {
  const { t, errText } = useI18n();
  const [text, setText] = useState('');
  const run = useMutation({
    mutationFn: (s: string) => api.post<{ intent: IntentHit | null }>('/api/intents/classify', { text: s, script_id: scriptId }),
  });
  return (
    <div data-testid="classify-panel">
      <Typography.Paragraph type="secondary">{t('classify.intro')}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <Input value={text} placeholder={t('classify.placeholder')} maxLength={200} onChange={(e) => setText(e.target.value)} onPressEnter={() => text.trim() && run.mutate(text.trim())} aria-label={t('tab.classify')} />
        <Button type="primary" loading={run.isPending} disabled={!text.trim()} onClick={() => run.mutate(text.trim())}>
          {t('classify.run')}
        </Button>
      </Space.Compact>
      {run.error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={errText(run.error)} />}
      {run.data && (
        <div style={{ marginTop: 12 }} data-testid="classify-result">
          {t('classify.result')}：
          {run.data.intent ? (
            <Space>
              <Tag color="blue">{run.data.intent.name}</Tag>
              <Typography.Text type="secondary">
                {run.data.intent.code} · {t('chat.hit', { hit: run.data.intent.hit })}
              </Typography.Text>
            </Space>
          ) : (
            <Tag>{t('classify.none')}</Tag>
          )}
        </div>
      )}
    </div>
  );
}
