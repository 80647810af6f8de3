// 呼叫时间 → 节假日日历: the company's copy of China's holiday calendar for one year
// (法定节假日 and 调休上班 days), edited as rows and saved as a whole year.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, AutoComplete, Button, Card, DatePicker, Form, Modal, Radio, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { HOLIDAYS_KEY, useHolidays, type HolidayYear } from '../../api/calling';
import { useI18n, type MessageKey } from '../../i18n';
import { sortDays, upsertDay, validateDays, weekdayKey, weekdayOfDate, yearOptions, type HolidayDay, type HolidayKind } from '../../lib/callTime';

interface DayForm {
  date: Dayjs;
  kind: HolidayKind;
  name: string;
}

function DayModal({ year, day, names, onClose, onSave }: { year: number; day: HolidayDay | null; names: string[]; onClose: () => void; onSave: (d: HolidayDay) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<DayForm>();
  return (
    <Modal
      open
      title={day ? t('hol.editDay') : t('hol.addDay')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form<DayForm>
        form={form}
        layout="vertical"
        name="holiday-day"
        initialValues={day ? { date: dayjs(day.date), kind: day.kind, name: day.name } : { kind: 'holiday', name: '' }}
        onFinish={(v) => onSave({ date: v.date.format('YYYY-MM-DD'), kind: v.kind, name: v.name.trim() })}
      >
        <Form.Item label={t('hol.date')} name="date" rules={[{ required: true, message: t('hol.dateRequired') }]}>
          <DatePicker
            style={{ width: 200 }}
            defaultPickerValue={dayjs(`${year}-01-01`)}
            disabledDate={(d) => d.year() !== year}
          />
        </Form.Item>
        <Form.Item label={t('hol.kind')} name="kind" rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'holiday', label: t('hol.kind.holiday') },
              { value: 'workday', label: t('hol.kind.workday') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('hol.name')} name="name" extra={t('hol.nameHint')} rules={[{ required: true, whitespace: true, message: t('hol.nameRequired') }]}>
          <AutoComplete options={names.map((n) => ({ value: n }))} maxLength={20} placeholder={t('hol.namePlaceholder')} filterOption={(input, o) => String(o?.value ?? '').includes(input)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function HolidaysTab({ readOnly }: { readOnly: boolean }) {
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const data = useHolidays(year);
  const [knownYears, setKnownYears] = useState<number[]>([]);
  const [draft, setDraft] = useState<HolidayDay[] | null>(null);
  const [editing, setEditing] = useState<HolidayDay | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (data.data) {
      setDraft(sortDays(data.data.days));
      setKnownYears(data.data.years);
      setError(null);
    }
  }, [data.data]);

  const saved = useMemo(() => JSON.stringify(sortDays(data.data?.days ?? [])), [data.data]);
  const dirty = draft != null && data.data != null && JSON.stringify(draft) !== saved;
  const days = draft ?? [];
  const names = useMemo(() => [...new Set(days.map((d) => d.name).filter(Boolean))], [days]);

  const onSaved = (d: HolidayYear) => {
    qc.setQueryData([HOLIDAYS_KEY, d.year], d);
    setDraft(sortDays(d.days));
    setKnownYears(d.years);
  };
  const save = useMutation({
    mutationFn: (list: HolidayDay[]) => api.put<HolidayYear>(`/api/holidays/${year}`, { days: list }),
    onSuccess: (d) => {
      message.success(t('common.saved'));
      if (d && Array.isArray(d.days)) onSaved(d);
      void qc.invalidateQueries({ queryKey: [HOLIDAYS_KEY] });
    },
    onError: (e) => setError(errText(e)),
  });
  const reset = useMutation({
    mutationFn: () => api.post<HolidayYear>(`/api/holidays/${year}/reset`),
    onSuccess: (d) => {
      message.success(t('hol.resetDone'));
      if (d && Array.isArray(d.days)) onSaved(d);
      void qc.invalidateQueries({ queryKey: [HOLIDAYS_KEY] });
    },
    onError: (e) => message.error(errText(e)),
  });

  const changeYear = (y: number) => {
    if (!dirty) {
      setDraft(null);
      setYear(y);
      return;
    }
    modal.confirm({
      title: t('hol.discardTitle'),
      content: t('hol.discardBody'),
      okText: t('hol.discard'),
      cancelText: t('common.cancel'),
      onOk: () => {
        setDraft(null);
        setYear(y);
      },
    });
  };

  const submit = () => {
    const problem = validateDays(year, days);
    if (problem) {
      setError(t(`hol.err.${problem.code}` as MessageKey, { date: problem.date, year }));
      return;
    }
    setError(null);
    save.mutate(days);
  };

  const columns: TableColumnsType<HolidayDay> = [
    { title: t('hol.date'), dataIndex: 'date', width: 130 },
    {
      title: t('hol.weekday'),
      key: 'weekday',
      width: 80,
      render: (_, d) => {
        const w = weekdayOfDate(d.date);
        return w ? t(weekdayKey(w)) : '-';
      },
    },
    {
      title: t('hol.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: HolidayKind) => <Tag color={k === 'holiday' ? 'red' : 'blue'}>{t(k === 'holiday' ? 'hol.kind.holiday' : 'hol.kind.workday')}</Tag>,
    },
    { title: t('hol.name'), dataIndex: 'name' },
    ...(readOnly
      ? []
      : [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 120,
            render: (_: unknown, d: HolidayDay) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(d)}>
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" danger onClick={() => setDraft(days.filter((x) => x.date !== d.date))}>
                  {t('common.delete')}
                </Button>
              </Space>
            ),
          },
        ]),
  ];

  return (
    <Card>
      <Typography.Paragraph type="secondary">{t('hol.intro')}</Typography.Paragraph>
      {data.data?.warning && <Alert type="warning" showIcon title={data.data.warning} style={{ marginBottom: 12 }} data-testid="holiday-warning" />}
      {readOnly && <Alert type="info" showIcon title={t('ct.readOnly')} style={{ marginBottom: 12 }} />}
      <div className="vx-toolbar">
        <Select
          aria-label={t('hol.year')}
          value={year}
          onChange={changeYear}
          style={{ width: 120 }}
          options={yearOptions(knownYears).map((y) => ({ value: y, label: t('hol.yearLabel', { year: y }) }))}
        />
        {data.data && (data.data.customized ? <Tag color="orange">{t('hol.customized')}</Tag> : <Tag>{t('hol.shipped')}</Tag>)}
        {data.data && !data.data.years.includes(year) && days.length === 0 && <Typography.Text type="secondary">{t('hol.noData', { year })}</Typography.Text>}
        <div style={{ flex: 1 }} />
        {!readOnly && (
          <>
            <Button icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')} disabled={!data.data}>
              {t('hol.addDay')}
            </Button>
            <Button
              icon={<UndoOutlined aria-hidden />}
              disabled={!data.data}
              loading={reset.isPending}
              onClick={() =>
                modal.confirm({
                  title: t('hol.resetTitle', { year }),
                  content: t('hol.resetBody'),
                  okText: t('hol.reset'),
                  cancelText: t('common.cancel'),
                  onOk: () => reset.mutateAsync().catch(() => undefined),
                })
              }
            >
              {t('hol.reset')}
            </Button>
            <Button type="primary" icon={<SaveOutlined aria-hidden />} disabled={!dirty} loading={save.isPending} onClick={submit}>
              {t('common.save')}
            </Button>
          </>
        )}
      </div>
      {dirty && <Alert type="info" showIcon title={t('hol.unsaved')} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Table<HolidayDay>
        rowKey="date"
        size="small"
        columns={columns}
        dataSource={days}
        loading={data.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: data.error ? errText(data.error) : t('hol.none', { year }) }}
        pagination={days.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      />
      {editing && (
        <DayModal
          year={year}
          day={editing === 'new' ? null : editing}
          names={names}
          onClose={() => setEditing(null)}
          onSave={(d) => {
            setDraft(upsertDay(days, d, editing === 'new' ? undefined : editing.date));
            setError(null);
            setEditing(null);
          }}
        />
      )}
    </Card>
  );
}
