import { useRef } from 'react';
import { Alert, Button, Drawer, Form, Input, List, Popconfirm, Select, Space, Switch, Tag, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { DeleteOutlined, FlagOutlined } from '@ant-design/icons';
import { useUserTags, type Script, type ScriptNode } from '../../api/robot';
import { insertVariable, removeEdge, removeNode, updateNode } from '../../lib/flow';
import { setNodeTags, tagOptions } from '../../lib/userTags';
import { useI18n } from '../../i18n';
import { useIsMobile } from '../../components/common';
import { NODE_STYLE } from './FlowCanvas';

interface Props {
  script: Script;
  nodeId: string;
  onChange: (s: Script) => void;
  onClose: () => void;
  intentName: (code: string) => string;
  readOnly: boolean;
}

export default function NodeDrawer({ script, nodeId, onChange, onClose, intentName, readOnly }: Props) {
  const { t, errText } = useI18n();
  const mobile = useIsMobile();
  const textRef = useRef<TextAreaRef>(null);
  const userTags = useUserTags();
  const node = script.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const patch = (p: Partial<ScriptNode>) => onChange(updateNode(script, node.id, p));
  const nameOf = (id: string) => script.nodes.find((n) => n.id === id)?.name ?? id;

  const insert = (v: string) => {
    const el = textRef.current?.resizableTextArea?.textArea;
    const { text, caret } = insertVariable(node.text, v, el ? el.selectionStart : null);
    patch({ text });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  };

  const outgoing: { id: string; label: string; target: string }[] = [
    ...(node.branches ?? []).map((b, i) => ({ id: `b:${node.id}:${i}`, label: intentName(b.intent), target: b.next })),
    ...(node.otherwise ? [{ id: `o:${node.id}`, label: t('edge.otherwise'), target: node.otherwise }] : []),
    ...(node.next ? [{ id: `n:${node.id}`, label: t('edge.next'), target: node.next }] : []),
  ];
  const isStart = script.start === node.id;

  return (
    <Drawer
      open
      mask={false}
      size={mobile ? '100%' : 420}
      title={
        <Space>
          <Tag color={NODE_STYLE[node.type].color}>{t(`node.${node.type}`)}</Tag>
          {t('node.edit')}
        </Space>
      }
      onClose={onClose}
      extra={
        !readOnly && (
          <Popconfirm title={t('node.delete')} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={() => { onChange(removeNode(script, node.id)); onClose(); }}>
            <Button danger size="small" icon={<DeleteOutlined aria-hidden />}>
              {t('node.delete')}
            </Button>
          </Popconfirm>
        )
      }
    >
      <Form layout="vertical" disabled={readOnly} name="node">
        <Form.Item label={t('node.name')} extra={`ID：${node.id}`}>
          <Input value={node.name} maxLength={30} onChange={(e) => patch({ name: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('node.text')} extra={
          <div style={{ marginTop: 4 }}>
            {t('node.textHint')}{' '}
            {script.variables.length === 0 && t('node.noVariables')}
            {script.variables.map((v) => (
              <Button key={v} size="small" style={{ margin: '2px 4px 2px 0' }} onClick={() => insert(v)}>
                {'${' + v + '}'}
              </Button>
            ))}
          </div>
        }>
          <Input.TextArea ref={textRef} value={node.text} autoSize={{ minRows: 3, maxRows: 8 }} maxLength={500} onChange={(e) => patch({ text: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('node.audio')} extra={t('node.audioHint')}>
          <Input value={node.audio ?? ''} maxLength={100} placeholder="open.wav" onChange={(e) => patch({ audio: e.target.value.trim() ? e.target.value : null })} />
        </Form.Item>
        <Form.Item label={t('node.tags')} extra={userTags.error ? errText(userTags.error) : t('node.tagsHint')}>
          <Select
            mode="multiple"
            allowClear
            value={node.tags ?? []}
            options={tagOptions(userTags.data?.groups ?? [], node.tags ?? [], t('node.tagsUnknown'))}
            loading={userTags.isLoading}
            placeholder={t('node.tagsPlaceholder')}
            notFoundContent={t('node.tagsEmpty')}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(v: string[]) => onChange(setNodeTags(script, node.id, v))}
            aria-label={t('node.tags')}
            data-testid="node-tags"
          />
        </Form.Item>
        <Form.Item label={t('node.interruptible')}>
          <Switch checked={!!node.interruptible} onChange={(v) => patch({ interruptible: v })} aria-label={t('node.interruptible')} />
        </Form.Item>
        <Form.Item>
          {isStart ? (
            <Tag color="green" icon={<FlagOutlined aria-hidden />}>
              {t('node.isStart')}
            </Tag>
          ) : (
            <Button icon={<FlagOutlined aria-hidden />} onClick={() => onChange({ ...script, start: node.id })}>
              {t('node.setStart')}
            </Button>
          )}
        </Form.Item>
      </Form>
      <Typography.Title level={5}>{t('node.outgoing')}</Typography.Title>
      {node.type !== 'say' ? (
        <Alert type="info" showIcon title={t('node.terminal')} />
      ) : outgoing.length === 0 ? (
        <Alert type="info" showIcon title={t('node.noOutgoing')} />
      ) : (
        <List
          size="small"
          bordered
          dataSource={outgoing}
          renderItem={(o) => (
            <List.Item
              actions={
                readOnly
                  ? []
                  : [
                      <Button key="d" type="link" size="small" danger onClick={() => onChange(removeEdge(script, o.id))}>
                        {t('common.delete')}
                      </Button>,
                    ]
              }
            >
              <Space>
                <Tag>{o.label}</Tag>→ {nameOf(o.target)}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
