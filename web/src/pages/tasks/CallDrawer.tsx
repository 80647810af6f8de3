// A call's detail (GET /api/calls/{id}) in a drawer: times, outcome, cost, grade with its rule
// and quality check, tags, region, the dial timeline and the conversation as chat bubbles.
import type { ReactNode } from 'react';
import { Alert, Descriptions, Divider, Drawer, Empty, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useCall, type CallDetail, type TranscriptLine } from '../../api/calls';
import { useI18n } from '../../i18n';
import { useIsMobile } from '../../components/common';
import { fmtTime } from '../../lib/format';
import { formatYuan } from '../../lib/money';
import { fmtDuration, fmtOffset, fmtSecondsFromMs, isInProgress, timelineKey } from '../../lib/calls';
import { Bubble } from '../robot/ChatPanel';
import { CallStatusTag, GradeTag, useHangupText } from './callParts';

const META_STYLE = { display: 'flex', gap: 4, flexWrap: 'wrap', fontSize: 12, color: 'rgba(0,0,0,.45)', margin: '6px 4px 0' } as const;

function Line({ line }: { line: TranscriptLine }) {
  const { t } = useI18n();
  const robot = line.speaker === 'robot';
  const side = { justifyContent: robot ? 'flex-start' : 'flex-end' } as const;
  return (
    <div data-testid="call-line">
      <div style={{ ...META_STYLE, ...side }}>
        <span>
          {robot ? t('call.robot') : t('call.customer')} · {fmtOffset(line.start_ms)}
        </span>
        {line.interrupted && (
          <Tag color="warning" style={{ marginInlineEnd: 0 }}>
            {t('call.interrupted')}
          </Tag>
        )}
      </div>
      <Bubble side={robot ? 'robot' : 'customer'} testId={robot ? 'call-robot' : 'call-customer'}>
        {line.text}
      </Bubble>
      {(line.intent || line.knowledge) && (
        <div style={{ ...META_STYLE, ...side, margin: '0 4px' }}>
          {line.intent && (
            <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="call-intent">
              {line.intent_name ?? line.intent}
            </Tag>
          )}
          {line.knowledge && (
            <Tag style={{ marginInlineEnd: 0 }}>
              {t('call.knowledge')}：{line.knowledge_question ?? line.knowledge}
            </Tag>
          )}
        </div>
      )}
    </div>
  );
}

function Detail({ c }: { c: CallDetail }) {
  const { t } = useI18n();
  const hangupText = useHangupText();
  const live = isInProgress(c);
  const secs = (n: number | string) => t('call.secondsN', { n });
  const region = (c.city === c.province ? c.province : [c.province, c.city].filter(Boolean).join(' ')) || '';
  const items: { label: string; children: ReactNode; span?: number }[] = [
    { label: t('call.task'), children: c.task_name || '-', span: 2 },
    { label: t('call.dialedAt'), children: fmtTime(c.dialed_at) },
    { label: t('call.answeredAt'), children: fmtTime(c.answered_at) },
    { label: t('call.endedAt'), children: fmtTime(c.ended_at) },
    { label: t('call.status'), children: <CallStatusTag call={c} /> },
    { label: t('call.hangupBy'), children: live ? '-' : hangupText(c) },
    { label: t('call.cause'), children: c.cause || '-' },
    { label: t('call.duration'), children: live ? '-' : fmtDuration(c.duration_s) },
    { label: t('call.billedSeconds'), children: live ? '-' : secs(c.billed_seconds) },
    { label: t('call.cost'), children: live ? '-' : formatYuan(c.cost_mfen) },
    { label: t('call.ringTime'), children: c.ring_ms ? secs(fmtSecondsFromMs(c.ring_ms)) : '-' },
    {
      label: t('call.grade'),
      children: (
        <Space size={4} wrap>
          <GradeTag call={c} />
          {c.grade_label && <span>{c.grade_label}</span>}
        </Space>
      ),
    },
    { label: t('call.gradeRule'), children: c.grade_rule || '-' },
    ...(c.qc_grade || c.qc_reason ? [{ label: t('call.qcReason'), children: c.qc_reason || '-', span: 2 }] : []),
    { label: t('call.interactions'), children: c.interactions },
    { label: t('call.attempt'), children: t('call.attemptN', { n: c.attempt }) },
    { label: t('call.region'), children: region || '-' },
    { label: t('call.carrier'), children: c.carrier || '-' },
    {
      label: t('call.tags'),
      span: 2,
      children: c.tags.length ? (
        <Space size={[0, 4]} wrap>
          {c.tags.map((tag) => (
            <Tag key={tag} color="blue">
              {tag}
            </Tag>
          ))}
        </Space>
      ) : (
        '-'
      ),
    },
  ];

  return (
    <>
      {live && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('call.inProgressNote')} />}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} items={items.map((it, i) => ({ key: i, ...it }))} data-testid="call-facts" />
      <Divider titlePlacement="start">{t('call.timeline')}</Divider>
      {c.timeline.length ? (
        <Timeline
          data-testid="call-timeline"
          items={c.timeline.map((e, i) => {
            const key = timelineKey(e.kind);
            return {
              key: i,
              color: e.kind === 'answered' ? 'green' : e.kind === 'ended' ? 'gray' : 'blue',
              content: (
                <Space size={8} wrap>
                  <Typography.Text strong>{key ? t(key) : e.kind}</Typography.Text>
                  <Typography.Text type="secondary">+{secs(fmtSecondsFromMs(e.at_ms))}</Typography.Text>
                  {e.detail && <span>{e.detail}</span>}
                </Space>
              ),
            };
          })}
        />
      ) : (
        <Typography.Text type="secondary">-</Typography.Text>
      )}
      <Divider titlePlacement="start">{t('call.conversation')}</Divider>
      <div style={{ background: '#f5f5f5', borderRadius: 8, padding: 8 }} data-testid="call-transcript">
        {c.transcript.length ? c.transcript.map((l, i) => <Line key={i} line={l} />) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('call.noConversation')} />}
      </div>
    </>
  );
}

export default function CallDrawer({ callId, onClose }: { callId: number; onClose: () => void }) {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const call = useCall(callId);
  const c = call.data;
  return (
    <Drawer
      open
      onClose={onClose}
      size={mobile ? '100%' : 640}
      destroyOnHidden
      title={
        c ? (
          <Space size={8} wrap>
            <span>{c.phone}</span>
            {c.name && <Typography.Text type="secondary">{c.name}</Typography.Text>}
            <CallStatusTag call={c} />
          </Space>
        ) : (
          t('call.drawerTitle')
        )
      }
    >
      <div data-testid="call-drawer">
        {call.error ? (
          <Alert type="error" showIcon title={errText(call.error)} />
        ) : c ? (
          <Detail c={c} />
        ) : (
          <div style={{ textAlign: 'center', padding: 48 }}>
            <Spin />
          </div>
        )}
      </div>
    </Drawer>
  );
}
