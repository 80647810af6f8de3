// 呼叫时间 → 呼叫时间模板: the company's weekly templates (system ones read-only) and the
// create / edit modal with time ranges per weekday.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Form, Input, Modal, Row, Space, Tag, TimePicker, Tooltip, Typography } from 'antd';
import { CopyOutlined, DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import { CALL_TIME_KEY, useCallTimeTemplates, type CallTimeTemplate } from '../../api/calling';
import { useI18n } from '../../i18n';
import { FullPageSpin, EditLink, DeleteLink } from '../../components/common';
import {
  WEEKDAYS,
  copyToWorkdays,
  endFromPicker,
  endToPicker,
  formatHm,
  normalizeWeek,
  parseHm,
  sortWeek,
  validateWeek,
  weekErrorText,
  weekdayKey,
  type TimeRangeText,
  type WeekDays,
  type Weekday,
} from '../../lib/callTime';
import WeekGrid from '../../components/WeekGrid';

type Editing = { kind: 'new'; from?: CallTimeTemplate } | { kind: 'edit'; template: CallTimeTemplate };

/** A new range after the day's last one (one hour, within the day). */
function nextRange(ranges: TimeRangeText[]): TimeRangeText {
  if (ranges.length === 0) return ['09:00', '18:00'];
  const last = Math.max(...ranges.map(([, e]) => parseHm(e) ?? 0));
  if (last >= 23 * 60) return ['08:00', '09:00'];
  return [formatHm(last), formatHm(Math.min(last + 60, 24 * 60))];
}

function TemplateModal({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const source = editing.kind === 'edit' ? editing.template : editing.from;
  const [name, setName] = useState(
    editing.kind === 'edit' ? editing.template.name : editing.from ? t('ct.copyName', { name: editing.from.name }) : '',
  );
  const [days, setDays] = useState<WeekDays>(() =>
    source ? normalizeWeek(source.days) : normalizeWeek({ mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['09:00', '12:00'], ['13:00', '18:00']], wed: [['09:00', '12:00'], ['13:00', '18:00']], thu: [['09:00', '12:00'], ['13:00', '18:00']], fri: [['09:00', '12:00'], ['13:00', '18:00']] }),
  );
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (body: { name: string; days: WeekDays }) =>
      editing.kind === 'edit' ? api.put<CallTimeTemplate>(`/api/call-time-templates/${editing.template.id}`, body) : api.post<CallTimeTemplate>('/api/call-time-templates', body),
    onSuccess: () => {
      message.success(editing.kind === 'edit' ? t('common.saved') : t('ct.created'));
      void qc.invalidateQueries({ queryKey: [CALL_TIME_KEY] });
      onClose();
    },
    onError: (e) => setError(errText(e)),
  });

  const submit = () => {
    const n = name.trim();
    setNameError(n ? null : t('ct.nameRequired'));
    const problem = validateWeek(days);
    setError(problem ? weekErrorText(problem, t) : null);
    if (!n || problem) return;
    save.mutate({ name: n, days: sortWeek(days) });
  };

  const setDay = (d: Weekday, ranges: TimeRangeText[]) => {
    setDays((w) => ({ ...w, [d]: ranges }));
    setError(null);
  };

  return (
    <Modal
      open
      title={editing.kind === 'edit' ? t('ct.edit') : t('ct.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      width={720}
      destroyOnHidden
    >
      <Form layout="vertical" component="div">
        <Form.Item label={t('ct.name')} required validateStatus={nameError ? 'error' : undefined} help={nameError ?? undefined}>
          <Input value={name} maxLength={30} onChange={(e) => setName(e.target.value)} autoFocus aria-label={t('ct.name')} />
        </Form.Item>
        <Form.Item label={t('ct.ranges')} extra={t('ct.rangesHint')} required>
          <Space orientation="vertical" style={{ width: '100%' }} size={8}>
            {WEEKDAYS.map((d) => {
              const label = t(weekdayKey(d));
              return (
                <div key={d} style={{ display: 'flex', gap: 8, alignItems: 'flex-start', flexWrap: 'wrap' }} data-testid={`ct-day-${d}`}>
                  <div style={{ width: 40, lineHeight: '32px', flex: 'none' }}>{label}</div>
                  <Space orientation="vertical" size={4} style={{ flex: 1, minWidth: 240 }}>
                    {days[d].length === 0 && (
                      <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
                        {t('week.noRange')}
                      </Typography.Text>
                    )}
                    {days[d].map(([a, b], i) => (
                      <Space key={i} size={4}>
                        <TimePicker.RangePicker
                          format="HH:mm"
                          minuteStep={5}
                          order={false}
                          allowClear={false}
                          needConfirm={false}
                          aria-label={`${label} ${i + 1}`}
                          value={[dayjs(a, 'HH:mm'), dayjs(endToPicker(b), 'HH:mm')]}
                          onChange={(v) => {
                            if (!v?.[0] || !v[1]) return;
                            const next = [...days[d]];
                            next[i] = [v[0].format('HH:mm'), endFromPicker(v[1].format('HH:mm'))];
                            setDay(d, next);
                          }}
                        />
                        <Button
                          type="text"
                          icon={<MinusCircleOutlined aria-hidden />}
                          aria-label={t('week.removeRange')}
                          onClick={() => setDay(d, days[d].filter((_, j) => j !== i))}
                        />
                      </Space>
                    ))}
                  </Space>
                  <Space size={0} style={{ flex: 'none' }}>
                    <Button type="link" size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setDay(d, [...days[d], nextRange(days[d])])}>
                      {t('week.addRange')}
                    </Button>
                    <Tooltip title={t('ct.copyToWorkdaysHint', { day: label })}>
                      <Button
                        type="link"
                        size="small"
                        icon={<CopyOutlined aria-hidden />}
                        onClick={() => {
                          setDays((w) => copyToWorkdays(w, d));
                          setError(null);
                        }}
                      >
                        {t('week.copyToWorkdays')}
                      </Button>
                    </Tooltip>
                  </Space>
                </div>
              );
            })}
          </Space>
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('ct.preview')}</Typography.Text>
      <div style={{ marginTop: 8 }}>
        <WeekGrid days={days} compact />
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} role="alert" />}
    </Modal>
  );
}

export default function CallTimeTemplates({ readOnly }: { readOnly: boolean }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useCallTimeTemplates();
  const [editing, setEditing] = useState<Editing | null>(null);

  const remove = useMutation({
    mutationFn: (tpl: CallTimeTemplate) => api.del(`/api/call-time-templates/${encodeURIComponent(tpl.id)}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: [CALL_TIME_KEY] });
    },
    onError: (e) => message.error(errText(e)),
  });

  if (list.error) return <Alert type="error" showIcon title={errText(list.error)} />;
  if (!list.data) return <FullPageSpin />;
  const templates = [...list.data].sort((a, b) => Number(b.system) - Number(a.system));

  return (
    <>
      <div className="vx-toolbar">
        <Typography.Text type="secondary" style={{ flex: 1 }}>
          {t('ct.intro')}
        </Typography.Text>
        {!readOnly && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ kind: 'new' })}>
            {t('ct.create')}
          </Button>
        )}
      </div>
      {readOnly && <Alert type="info" showIcon title={t('ct.readOnly')} style={{ marginBottom: 12 }} />}
      {templates.length === 0 && <Empty description={t('ct.none')} />}
      <Row gutter={[12, 12]}>
        {templates.map((tpl) => (
          <Col key={tpl.id} xs={24} lg={12} xxl={8}>
            <Card
              size="small"
              data-testid="call-time-template"
              title={
                <Space size={6}>
                  <span>{tpl.name}</span>
                  {tpl.system && <Tag color="geekblue">{t('ct.system')}</Tag>}
                </Space>
              }
              extra={
                !readOnly && (
                  <Space size={0}>
                    {tpl.system ? (
                      <Button type="link" size="small" icon={<CopyOutlined aria-hidden />} onClick={() => setEditing({ kind: 'new', from: tpl })}>
                        {t('ct.copy')}
                      </Button>
                    ) : (
                      <>
                        <EditLink icon={<EditOutlined aria-hidden />} onClick={() => setEditing({ kind: 'edit', template: tpl })} />
                        <Button type="link" size="small" icon={<CopyOutlined aria-hidden />} onClick={() => setEditing({ kind: 'new', from: tpl })}>
                          {t('ct.copy')}
                        </Button>
                        <DeleteLink
                          icon={<DeleteOutlined aria-hidden />}
                          title={t('ct.deleteTitle', { name: tpl.name })}
                          content={t('ct.deleteBody')}
                          onOk={() => remove.mutateAsync(tpl)}
                        />
                      </>
                    )}
                  </Space>
                )
              }
            >
              <WeekGrid days={normalizeWeek(tpl.days)} />
            </Card>
          </Col>
        ))}
      </Row>
      {editing && <TemplateModal editing={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
