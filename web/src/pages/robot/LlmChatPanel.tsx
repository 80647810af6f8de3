// 测试对话 of a 大模型外呼 robot: the user plays the customer; each send carries every earlier
// turn, and the server answers with the saved robot's next lines.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Form, Input, Space, Tag, Typography } from 'antd';
import { ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import { llmRobotPath, type LlmChatResult } from '../../api/robot';
import { useI18n, type MessageKey } from '../../i18n';
import { buildTranscript, llmOutcome, totalTokens, type LlmChatEntry, type LlmOutcome } from '../../lib/llmRobot';
import { Bubble } from './ChatPanel';

const NAME_VAR = '姓名';

const OUTCOME: Record<LlmOutcome, { key: MessageKey; color: string }> = {
  transfer: { key: 'llm.chat.transferred', color: 'green' },
  hand_to_script: { key: 'llm.chat.handedToScript', color: 'purple' },
  hang_up: { key: 'llm.chat.hungUp', color: 'default' },
  ended: { key: 'llm.chat.ended', color: 'default' },
};

interface Props {
  robotId: number | null;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
}

export default function LlmChatPanel({ robotId, dirty, saving, onSave }: Props) {
  const { t, errText } = useI18n();
  const [name, setName] = useState('');
  const [entries, setEntries] = useState<LlmChatEntry[]>([]);
  const [text, setText] = useState('');
  const endRef = useRef<HTMLDivElement>(null);

  const run = useMutation({
    mutationFn: (message: string | null) =>
      api.post<LlmChatResult>(`${llmRobotPath(robotId!)}/chat`, {
        variables: name.trim() ? { [NAME_VAR]: name.trim() } : {},
        transcript: message == null ? [] : buildTranscript(entries),
        message,
      }),
    onSuccess: (result, message) => {
      setEntries((es) => (message == null ? [{ customer: null, result }] : [...es, { customer: message, result }]));
      if (message != null) setText('');
    },
  });

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'nearest' });
  }, [entries]);

  const restart = () => {
    setEntries([]);
    setText('');
    run.reset();
  };
  const started = entries.length > 0;
  const ended = entries.some((e) => e.result.ended);
  const send = () => {
    const s = text.trim();
    if (s && started && !ended && !run.isPending) run.mutate(s);
  };

  if (robotId == null) return <Alert type="info" showIcon title={t('llm.chat.saveFirst')} data-testid="llm-chat-panel" />;

  return (
    <div data-testid="llm-chat-panel">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('llm.chat.intro')}
      </Typography.Paragraph>
      {dirty && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          title={t('chat.unsaved')}
          action={
            <Button size="small" loading={saving} onClick={onSave}>
              {t('chat.saveNow')}
            </Button>
          }
        />
      )}
      <Form layout="inline" style={{ marginBottom: 8, rowGap: 8 }} name="llm-chat-vars">
        <Form.Item label={NAME_VAR} style={{ marginBottom: 0 }}>
          <Input size="small" style={{ width: 140 }} value={name} placeholder="王先生" disabled={started} onChange={(e) => setName(e.target.value)} aria-label={NAME_VAR} />
        </Form.Item>
      </Form>
      <div style={{ background: '#f5f5f5', borderRadius: 8, padding: 8, height: 380, overflowY: 'auto' }} data-testid="llm-chat-log">
        {!started && (
          <div style={{ textAlign: 'center', padding: '40px 8px', color: '#888' }}>
            <p>{t('llm.chat.empty')}</p>
            <Button type="primary" loading={run.isPending} onClick={() => run.mutate(null)}>
              {t('chat.start')}
            </Button>
          </div>
        )}
        {entries.map((e, i) => {
          const outcome = llmOutcome(e.result);
          const stopCalling = e.result.actions.includes('offer_blacklist');
          return (
            <div key={i}>
              {e.customer != null && (
                <Bubble side="customer" testId="llm-chat-customer">
                  {e.customer}
                </Bubble>
              )}
              {e.result.robot.map((r, k) => (
                <Bubble key={k} side="robot" testId="llm-chat-robot">
                  {r}
                </Bubble>
              ))}
              <div style={{ fontSize: 12, color: '#888', margin: '2px 4px' }} data-testid="llm-chat-meta">
                <Space size={4} wrap>
                  {e.result.fallback && <Tag color="orange">{t('llm.chat.fallback')}</Tag>}
                  {e.result.error && (
                    <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="llm-chat-model-error">
                      {e.result.error}
                    </Typography.Text>
                  )}
                  {stopCalling && <Tag color="red">{t('llm.chat.stopCalling')}</Tag>}
                  {outcome && <Tag color={OUTCOME[outcome].color}>{t(OUTCOME[outcome].key)}</Tag>}
                  {e.result.tokens > 0 && <span>{t('llm.chat.tokens', { n: e.result.tokens })}</span>}
                </Space>
              </div>
            </div>
          );
        })}
        <div ref={endRef} />
      </div>
      {run.error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={errText(run.error)} data-testid="llm-chat-error" />}
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input
          value={text}
          disabled={!started || ended}
          maxLength={200}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={(e) => {
            // Enter that confirms a Chinese IME composition is not a send.
            if (!e.nativeEvent.isComposing) send();
          }}
        />
        <Button type="primary" icon={<SendOutlined aria-hidden />} disabled={!started || ended || !text.trim()} loading={run.isPending && started} onClick={send}>
          {t('chat.send')}
        </Button>
      </Space.Compact>
      <Space wrap style={{ marginTop: 8, width: '100%', justifyContent: 'space-between' }}>
        <Button size="small" icon={<ReloadOutlined aria-hidden />} onClick={restart}>
          {t('chat.restart')}
        </Button>
        {started && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="llm-chat-tokens">
            {t('llm.chat.totalTokens', { n: totalTokens(entries) })}
          </Typography.Text>
        )}
      </Space>
    </div>
  );
}
