// 线路管理 (platform operator): SIP lines, their carrier settings and price, and which
// companies may use them. Passwords are write-only.
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Drawer, Form, Input, InputNumber, Modal, Radio, Row, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { CODECS, OPERATOR_LINES_KEY, TRANSPORTS, useOperatorLines, type LineStatus, type OperatorLine, type OperatorLineBody, type Transport } from '../../api/calling';
import type { OperatorCompany } from '../../api/types';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile, EditLink, DeleteLink } from '../../components/common';
import { formatYuan, mfenToYuan, yuanToMfen } from '../../lib/money';
import { badCallerId, cleanCallerIds, isHostPort } from '../../lib/lines';

const COMPANIES_KEY = ['operator', 'companies'];

function useCompanies() {
  return useQuery({ queryKey: COMPANIES_KEY, queryFn: () => api.get<OperatorCompany[]>('/api/operator/companies') });
}

interface LineForm {
  name: string;
  address: string;
  transport: Transport;
  username?: string;
  password?: string;
  caller_ids?: string[];
  codecs: string[];
  max_concurrency: number;
  calls_per_second: number;
  price_yuan: number;
  billing_increment_s: number;
  status: LineStatus;
}

const BODY_FIELDS = ['name', 'address', 'transport', 'username', 'password', 'caller_ids', 'codecs', 'max_concurrency', 'calls_per_second', 'billing_increment_s', 'status'] as const;

function LineDrawer({ line, onClose }: { line: OperatorLine | null; onClose: () => void }) {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<LineForm>();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: LineForm) => {
      const body: OperatorLineBody = {
        name: v.name.trim(),
        address: v.address.trim(),
        transport: v.transport,
        username: (v.username ?? '').trim(),
        password: v.password ? v.password : line ? null : '',
        caller_ids: cleanCallerIds(v.caller_ids),
        codecs: v.codecs,
        max_concurrency: v.max_concurrency,
        calls_per_second: v.calls_per_second,
        price_mfen_per_minute: yuanToMfen(v.price_yuan),
        billing_increment_s: v.billing_increment_s,
        status: v.status,
      };
      return line ? api.put<OperatorLine>(`/api/operator/lines/${line.id}`, body) : api.post<OperatorLine>('/api/operator/lines', body);
    },
    onSuccess: () => {
      message.success(line ? t('common.saved') : t('opLines.created'));
      void qc.invalidateQueries({ queryKey: OPERATOR_LINES_KEY });
      onClose();
    },
    onError: (e) => {
      const f = e instanceof ApiError ? e.field : undefined;
      const field = f === 'price_mfen_per_minute' ? 'price_yuan' : BODY_FIELDS.find((x) => x === f);
      if (field) form.setFields([{ name: field, errors: [errText(e)] }]);
      else setError(errText(e));
    },
  });
  const initial: Partial<LineForm> = line
    ? {
        name: line.name,
        address: line.address,
        transport: line.transport,
        username: line.username,
        caller_ids: line.caller_ids,
        codecs: line.codecs,
        max_concurrency: line.max_concurrency,
        calls_per_second: line.calls_per_second,
        price_yuan: mfenToYuan(line.price_mfen_per_minute),
        billing_increment_s: line.billing_increment_s,
        status: line.status,
      }
    : { transport: 'udp', codecs: ['PCMA', 'PCMU'], caller_ids: [], max_concurrency: 30, calls_per_second: 10, price_yuan: 0.06, billing_increment_s: 60, status: 'active' };
  return (
    <Drawer
      open
      title={line ? t('opLines.edit') : t('opLines.create')}
      onClose={onClose}
      size={mobile ? '100%' : 560}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<LineForm> form={form} layout="vertical" name="operator-line" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('lines.name')} name="name" rules={[{ required: true, whitespace: true, message: t('opLines.nameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={16}>
            <Form.Item
              label={t('opLines.address')}
              name="address"
              rules={[
                { required: true, message: t('opLines.addressRequired') },
                { validator: (_, v: string | undefined) => (!v || isHostPort(v) ? Promise.resolve() : Promise.reject(new Error(t('opLines.addressInvalid')))) },
              ]}
            >
              <Input placeholder="sip.example.com:5060" maxLength={255} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label={t('opLines.transport')} name="transport" rules={[{ required: true }]}>
              <Select options={TRANSPORTS.map((x) => ({ value: x, label: x.toUpperCase() }))} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item label={t('opLines.username')} name="username">
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t('opLines.password')} name="password">
              <Input.Password autoComplete="new-password" maxLength={100} placeholder={line?.password_set ? t('opLines.passwordKeep') : undefined} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          label={t('opLines.callerIds')}
          name="caller_ids"
          extra={t('opLines.callerIdsHint')}
          rules={[
            {
              validator: (_, v: string[] | undefined) => {
                const bad = badCallerId(cleanCallerIds(v));
                return bad ? Promise.reject(new Error(t('opLines.callerIdInvalid', { value: bad }))) : Promise.resolve();
              },
            },
          ]}
        >
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ', '\n']} placeholder={t('opLines.callerIdsPlaceholder')} />
        </Form.Item>
        <Form.Item label={t('opLines.codecs')} name="codecs" rules={[{ required: true, type: 'array', min: 1, message: t('opLines.codecsRequired') }]}>
          <Checkbox.Group options={CODECS.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={12}>
            <Form.Item label={t('lines.maxConcurrency')} name="max_concurrency" rules={[{ required: true, message: t('opLines.required') }]} extra={t('opLines.rangeHint', { min: 1, max: 10000 })}>
              <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item label={t('opLines.cps')} name="calls_per_second" rules={[{ required: true, message: t('opLines.required') }]} extra={t('opLines.rangeHint', { min: 1, max: 1000 })}>
              <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item label={t('lines.price')} name="price_yuan" rules={[{ required: true, message: t('opLines.required') }]} extra={t('opLines.priceHint')}>
              <InputNumber min={0} max={100} precision={4} step={0.01} style={{ width: '100%' }} suffix={t('opLines.yuanPerMinute')} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item label={t('lines.increment')} name="billing_increment_s" rules={[{ required: true, message: t('opLines.required') }]} extra={t('opLines.rangeHint', { min: 1, max: 60 })}>
              <InputNumber min={1} max={60} precision={0} style={{ width: '100%' }} suffix={t('opLines.seconds')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('lines.status')} name="status">
          <Radio.Group
            options={[
              { value: 'active', label: t('lines.active') },
              { value: 'disabled', label: t('lines.disabled') },
            ]}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function AssignModal({ line, companies, onClose }: { line: OperatorLine; companies: OperatorCompany[]; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [ids, setIds] = useState<number[]>(line.company_ids);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => api.put<OperatorLine>(`/api/operator/lines/${line.id}/companies`, { company_ids: ids }),
    onSuccess: () => {
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: OPERATOR_LINES_KEY });
      onClose();
    },
    onError: (e) => setError(errText(e)),
  });
  return (
    <Modal
      open
      title={t('opLines.assignTitle', { name: line.name })}
      onCancel={onClose}
      onOk={() => save.mutate()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('opLines.assignHint')}</Typography.Paragraph>
      <Select
        mode="multiple"
        aria-label={t('opLines.companies')}
        style={{ width: '100%' }}
        value={ids}
        onChange={setIds}
        placeholder={t('opLines.pickCompanies')}
        showSearch={{ optionFilterProp: 'label' }}
        options={companies.map((c) => ({ value: c.id, label: c.name }))}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** 线路管理 (platform operator). */
export default function OperatorLinesPage() {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const lines = useOperatorLines();
  const companies = useCompanies();
  const [editing, setEditing] = useState<OperatorLine | 'new' | null>(null);
  const [assigning, setAssigning] = useState<OperatorLine | null>(null);
  const nameOf = new Map((companies.data ?? []).map((c) => [c.id, c.name]));

  const remove = useMutation({
    mutationFn: (l: OperatorLine) => api.del(`/api/operator/lines/${l.id}`),
    onSuccess: () => {
      message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: OPERATOR_LINES_KEY });
    },
    onError: (e) => message.error(errText(e)),
  });

  const columns: TableColumnsType<OperatorLine> = [
    { title: t('lines.name'), dataIndex: 'name', width: 150 },
    { title: t('opLines.address'), key: 'address', width: 190, render: (_, l) => `${l.address}（${l.transport.toUpperCase()}）` },
    { title: t('opLines.callerIds'), dataIndex: 'caller_ids', width: 130, render: (ids: string[]) => (ids.length > 1 ? t('opLines.callerCount', { n: ids.length, first: ids[0] }) : (ids[0] ?? '-')) },
    { title: t('lines.maxConcurrency'), dataIndex: 'max_concurrency', width: 90, align: 'right' },
    { title: t('opLines.cps'), dataIndex: 'calls_per_second', width: 90, align: 'right' },
    { title: t('lines.price'), dataIndex: 'price_mfen_per_minute', width: 110, align: 'right', render: (v: number) => formatYuan(v) },
    { title: t('lines.increment'), dataIndex: 'billing_increment_s', width: 100, align: 'right' },
    {
      title: t('lines.status'),
      dataIndex: 'status',
      width: 80,
      render: (s: LineStatus) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(s === 'active' ? 'lines.active' : 'lines.disabled')}</Tag>,
    },
    {
      title: t('opLines.companies'),
      dataIndex: 'company_ids',
      width: 200,
      render: (ids: number[]) =>
        ids.length ? (
          <Space size={[0, 4]} wrap>
            {ids.map((id) => (
              <Tag key={id} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
                {nameOf.get(id) ?? `#${id}`}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('opLines.noCompanies')}</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 180,
      fixed: 'right',
      render: (_, l) => (
        <Space size={0}>
          <EditLink onClick={() => setEditing(l)} />
          <Button type="link" size="small" onClick={() => setAssigning(l)}>
            {t('opLines.assign')}
          </Button>
          <DeleteLink title={t('opLines.deleteTitle', { name: l.name })} content={t('opLines.deleteBody')} onOk={() => remove.mutateAsync(l)} />
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
            {t('opLines.create')}
          </Button>
        }
      >
        {t('operator.lines')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('opLines.intro')}</Typography.Paragraph>
      <Card styles={{ body: { padding: 12 } }}>
        <Table<OperatorLine>
          rowKey="id"
          columns={columns}
          dataSource={lines.data ?? []}
          loading={lines.isLoading}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: lines.error ? errText(lines.error) : t('opLines.none') }}
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        />
      </Card>
      {editing && <LineDrawer line={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {assigning && <AssignModal line={assigning} companies={companies.data ?? []} onClose={() => setAssigning(null)} />}
    </>
  );
}
