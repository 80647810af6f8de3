// 测试对话: the user plays the customer; every send replays all events on the saved draft.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import { AudioMutedOutlined, PhoneOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import { scriptPath, type ChatEvent, type ChatResult, type Script } from '../../api/robot';
import { useI18n } from '../../i18n';

interface Props {
  scriptId: number;
  script: Script;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  intentName: (code: string) => string;
}

const GRADE_COLOR: Record<string, string> = { A: 'red', B: 'orange', C: 'blue', D: 'default', E: 'default', F: 'default' };

export function Bubble({ side, children, testId }: { side: 'robot' | 'customer'; children: React.ReactNode; testId: string }) {
  const robot = side === 'robot';
  return (
    <div style={{ display: 'flex', justifyContent: robot ? 'flex-start' : 'flex-end', margin: '4px 0' }}>
      <div
        data-testid={testId}
        style={{
          maxWidth: '85%',
          padding: '6px 10px',
          borderRadius: 10,
          background: robot ? '#fff' : '#1677ff',
          color: robot ? 'inherit' : '#fff',
          border: robot ? '1px solid #e8e8e8' : undefined,
          whiteSpace: 'pre-wrap',
        }}
      >
        {children}
      </div>
    </div>
  );
}

export default function ChatPanel({ scriptId, script, dirty, saving, onSave, intentName }: Props) {
  const { t, errText } = useI18n();
  const [vars, setVars] = useState<Record<string, string>>({});
  const [events, setEvents] = useState<ChatEvent[]>([]);
  const [result, setResult] = useState<ChatResult | null>(null);
  const [text, setText] = useState('');
  const endRef = useRef<HTMLDivElement>(null);

  const run = useMutation({
    mutationFn: (evs: ChatEvent[]) => api.post<ChatResult>(`${scriptPath(scriptId)}/chat`, { variables: vars, events: evs }),
    onSuccess: (r, evs) => {
      setEvents(evs);
      setResult(r);
    },
  });

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'nearest' });
  }, [result]);

  const send = (ev: ChatEvent) => {
    run.mutate([...events, ev]);
    if (ev.type === 'utterance') setText('');
  };
  const restart = () => {
    setEvents([]);
    setResult(null);
    setText('');
    run.reset();
  };
  const ended = !!result?.ended;
  const kbQuestion = (id: string) => script.knowledge?.find((k) => k.id === id)?.questions[0] ?? id;
  const nodeName = (id: string) => script.nodes.find((n) => n.id === id)?.name ?? id;

  return (
    <div data-testid="chat-panel">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('chat.intro')}
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
      {script.variables.length > 0 && (
        <Form layout="inline" style={{ marginBottom: 8, rowGap: 8 }} name="chat-vars">
          {script.variables.map((v) => (
            <Form.Item key={v} label={v} style={{ marginBottom: 0 }}>
              <Input size="small" style={{ width: 120 }} value={vars[v] ?? ''} onChange={(e) => setVars({ ...vars, [v]: e.target.value })} aria-label={v} />
            </Form.Item>
          ))}
        </Form>
      )}
      <div style={{ background: '#f5f5f5', borderRadius: 8, padding: 8, height: 380, overflowY: 'auto' }} data-testid="chat-log">
        {!result && (
          <div style={{ textAlign: 'center', padding: '40px 8px', color: '#888' }}>
            <p>{t('chat.empty')}</p>
            <Button type="primary" loading={run.isPending} onClick={() => run.mutate([])}>
              {t('chat.start')}
            </Button>
          </div>
        )}
        {result?.turns.map((turn, i) => {
          const ev = i > 0 ? events[i - 1] : undefined;
          const customer = turn.customer ?? (ev?.type === 'silence' ? t('chat.silenceBubble') : ev?.type === 'hang_up' ? t('chat.hangUpBubble') : null);
          return (
            <div key={i}>
              {customer != null && (
                <Bubble side="customer" testId="chat-customer">
                  {customer}
                </Bubble>
              )}
              {(i > 0 || turn.robot.length > 0) && (
                <div style={{ fontSize: 12, color: '#888', margin: '2px 4px' }} data-testid="chat-meta">
                  {t('chat.node')}：{turn.node_name}
                  {i > 0 && (
                    <>
                      {' · '}
                      {t('chat.intent')}：
                      {turn.intent ? (
                        <>
                          {turn.intent.name}（{t('chat.hit', { hit: turn.intent.hit })}）
                        </>
                      ) : (
                        t('chat.noIntent')
                      )}
                    </>
                  )}
                  {turn.knowledge && (
                    <>
                      {' · '}
                      {t('chat.knowledge')}：{kbQuestion(turn.knowledge)}
                    </>
                  )}
                </div>
              )}
              {turn.robot.map((r, k) => (
                <Bubble key={k} side="robot" testId="chat-robot">
                  {r}
                </Bubble>
              ))}
            </div>
          );
        })}
        {result?.ended && (
          <div style={{ background: '#fff', borderRadius: 8, padding: 8, marginTop: 8, border: '1px solid #e8e8e8' }} data-testid="chat-grade">
            <Typography.Text strong>
              {t('chat.ended')}（{t(`chat.endedBy.${result.ended}`)}）
            </Typography.Text>
            <Descriptions size="small" column={1} style={{ marginTop: 6 }}>
              <Descriptions.Item label={t('chat.grade')}>
                {result.grade ? <Tag color={GRADE_COLOR[result.grade.level] ?? 'default'}>{result.grade.label}</Tag> : '-'}
              </Descriptions.Item>
              <Descriptions.Item label={t('chat.rule')}>{result.grade?.rule ?? t('chat.noRule')}</Descriptions.Item>
              <Descriptions.Item label={t('chat.intentsHit')}>
                {result.intents_hit.length ? result.intents_hit.map((c) => <Tag key={c}>{intentName(c)}</Tag>) : '-'}
              </Descriptions.Item>
              <Descriptions.Item label={t('chat.userTags')}>
                {result.user_tags?.length ? result.user_tags.map((n) => <Tag key={n} color="blue">{n}</Tag>) : '-'}
              </Descriptions.Item>
              <Descriptions.Item label={t('chat.nodesReached')}>{result.nodes_reached.map(nodeName).join(' → ') || '-'}</Descriptions.Item>
              <Descriptions.Item label={t('chat.interactions')}>{result.interactions}</Descriptions.Item>
            </Descriptions>
          </div>
        )}
        <div ref={endRef} />
      </div>
      {!result?.ended && !!result?.user_tags?.length && (
        <div style={{ marginTop: 8, fontSize: 12, color: '#888' }} data-testid="chat-user-tags">
          {t('chat.userTags')}：
          {result.user_tags.map((n) => (
            <Tag key={n} color="blue">
              {n}
            </Tag>
          ))}
        </div>
      )}
      {run.error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={errText(run.error)} data-testid="chat-error" />}
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input
          value={text}
          disabled={ended}
          maxLength={200}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={(e) => {
            // Enter that confirms a Chinese IME composition is not a send.
            if (e.nativeEvent.isComposing || !text.trim() || run.isPending) return;
            send({ type: 'utterance', text: text.trim() });
          }}
        />
        <Button type="primary" icon={<SendOutlined aria-hidden />} disabled={ended || !text.trim()} loading={run.isPending} onClick={() => send({ type: 'utterance', text: text.trim() })}>
          {t('chat.send')}
        </Button>
      </Space.Compact>
      <Space wrap style={{ marginTop: 8 }}>
        <Button size="small" icon={<AudioMutedOutlined aria-hidden />} disabled={ended || run.isPending} onClick={() => send({ type: 'silence' })}>
          {t('chat.silence')}
        </Button>
        <Button size="small" icon={<PhoneOutlined aria-hidden />} disabled={ended || run.isPending} onClick={() => send({ type: 'hang_up' })}>
          {t('chat.hangUp')}
        </Button>
        <Button size="small" icon={<ReloadOutlined aria-hidden />} onClick={restart}>
          {t('chat.restart')}
        </Button>
      </Space>
    </div>
  );
}
