import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { OperatorCompany } from '../../api/types';
import type { Balance, BalanceUpdate } from '../../api/calling';
import { formatYuan, mfenToYuan, yuanToMfen } from '../../lib/money';
import { useI18n } from '../../i18n';
import { PageTitle, useIsMobile } from '../../components/common';
import { fmtTime, PHONE_RE } from '../../lib/format';

interface NewCompany {
  name: string;
  admin_name: string;
  admin_phone: string;
  admin_password?: string;
}

function CreateCompanyModal({ onClose }: { onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<NewCompany>();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (v: NewCompany) =>
      api.post<OperatorCompany>('/api/operator/companies', {
        name: v.name.trim(),
        admin_name: v.admin_name.trim(),
        admin_phone: v.admin_phone.trim(),
        ...(v.admin_password ? { admin_password: v.admin_password } : {}),
      }),
    onSuccess: () => {
      message.success(t('operator.created'));
      void qc.invalidateQueries({ queryKey: ['operator', 'companies'] });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'COMPANY_NAME_TAKEN') form.setFields([{ name: 'name', errors: [errText(e)] }]);
      else if (e instanceof ApiError && (e.code === 'PHONE_TAKEN' || e.code === 'INVALID_PHONE')) form.setFields([{ name: 'admin_phone', errors: [errText(e)] }]);
      else setError(errText(e));
    },
  });
  return (
    <Modal
      open
      title={t('operator.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="company" layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item label={t('company.name')} name="name" rules={[{ required: true, whitespace: true, message: t('company.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t('operator.adminName')} name="admin_name" rules={[{ required: true, whitespace: true, message: t('member.nameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          label={t('operator.adminPhone')}
          name="admin_phone"
          extra={t('operator.adminPhoneHint')}
          rules={[
            { required: true, message: t('member.phoneRequired') },
            { pattern: PHONE_RE, message: t('member.phoneInvalid') },
          ]}
        >
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
        <Form.Item label={t('member.initialPassword')} name="admin_password" extra={t('member.initialPasswordHint')}>
          <Input.Password autoComplete="new-password" placeholder="123456" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface BalanceForm {
  top_up_yuan?: number | null;
  overdraft_yuan: number;
}

/** 充值/设置透支: top up (negative to correct) and the overdraft limit, in 元. */
function BalanceModal({ company, onClose }: { company: OperatorCompany; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<BalanceForm>();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: BalanceUpdate) => api.put<Balance>(`/api/operator/companies/${company.id}/balance`, body),
    onSuccess: () => {
      message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['operator', 'companies'] });
      onClose();
    },
    onError: (e) => setError(errText(e)),
  });
  const submit = (v: BalanceForm) => {
    const body: BalanceUpdate = {};
    if (v.top_up_yuan) body.top_up_mfen = yuanToMfen(v.top_up_yuan);
    const overdraft = yuanToMfen(v.overdraft_yuan ?? 0);
    if (overdraft !== (company.overdraft_mfen ?? 0)) body.overdraft_mfen = overdraft;
    if (body.top_up_mfen === undefined && body.overdraft_mfen === undefined) {
      onClose();
      return;
    }
    save.mutate(body);
  };
  return (
    <Modal
      open
      title={t('operator.balanceTitle', { name: company.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('balance.balance')}>{formatYuan(company.balance_mfen)}</Descriptions.Item>
        <Descriptions.Item label={t('balance.overdraft')}>{formatYuan(company.overdraft_mfen)}</Descriptions.Item>
      </Descriptions>
      <Form<BalanceForm>
        form={form}
        name="company-balance"
        layout="vertical"
        initialValues={{ top_up_yuan: null, overdraft_yuan: mfenToYuan(company.overdraft_mfen ?? 0) }}
        onFinish={submit}
      >
        <Form.Item label={t('operator.topUp')} name="top_up_yuan" extra={t('operator.topUpHint')}>
          <InputNumber precision={4} step={100} style={{ width: 220 }} suffix={t('balance.yuan')} min={-100_000_000} max={100_000_000} />
        </Form.Item>
        <Form.Item label={t('operator.overdraftLimit')} name="overdraft_yuan" extra={t('operator.overdraftHint')} rules={[{ required: true, message: t('operator.overdraftRequired') }]}>
          <InputNumber precision={2} min={0} max={100_000_000} step={100} style={{ width: 220 }} suffix={t('balance.yuan')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 企业管理 (platform operator). */
export default function CompaniesPage() {
  const mobile = useIsMobile();
  const { t, errText } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [funding, setFunding] = useState<OperatorCompany | null>(null);
  const list = useQuery({
    queryKey: ['operator', 'companies'],
    queryFn: () => api.get<OperatorCompany[]>('/api/operator/companies'),
  });
  const toggle = useMutation({
    mutationFn: (c: OperatorCompany) => api.post<OperatorCompany>(`/api/operator/companies/${c.id}/${c.status === 'active' ? 'suspend' : 'resume'}`),
    onSuccess: (c) => {
      message.success(t(c.status === 'active' ? 'operator.resumed' : 'operator.suspended'));
      void qc.invalidateQueries({ queryKey: ['operator', 'companies'] });
    },
    onError: (e) => message.error(errText(e)),
  });

  const columns: TableColumnsType<OperatorCompany> = [
    { title: t('company.name'), dataIndex: 'name', width: 180, fixed: mobile ? undefined : 'left' },
    {
      title: t('company.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: OperatorCompany['status']) => <Tag color={s === 'active' ? 'green' : 'red'}>{t(s === 'active' ? 'company.active' : 'company.suspended')}</Tag>,
    },
    {
      title: t('operator.owner'),
      key: 'owner',
      width: 180,
      render: (_, c) => (c.owner_name ? `${c.owner_name}（${c.owner_phone ?? '-'}）` : '-'),
    },
    { title: t('operator.members'), dataIndex: 'member_count', width: 90 },
    {
      title: t('operator.balanceYuan'),
      dataIndex: 'balance_mfen',
      width: 120,
      align: 'right',
      render: (v: number | undefined) => <Typography.Text type={v != null && v < 0 ? 'danger' : undefined}>{formatYuan(v)}</Typography.Text>,
    },
    { title: t('operator.overdraftYuan'), dataIndex: 'overdraft_mfen', width: 120, align: 'right', render: (v: number | undefined) => formatYuan(v) },
    { title: t('company.contactName'), dataIndex: 'contact_name', width: 120, render: (v: string | null) => v || '-' },
    { title: t('company.contactPhone'), dataIndex: 'contact_phone', width: 130, render: (v: string | null) => v || '-' },
    { title: t('field.createdAt'), dataIndex: 'created_at', width: 170, render: fmtTime },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      fixed: mobile ? undefined : 'right',
      render: (_, c) => (
        <Space size={0}>
        <Button type="link" size="small" onClick={() => setFunding(c)}>
          {t('operator.balanceAction')}
        </Button>
        <Button
          type="link"
          size="small"
          danger={c.status === 'active'}
          onClick={() =>
            modal.confirm({
              title: t(c.status === 'active' ? 'operator.suspendTitle' : 'operator.resumeTitle', { name: c.name }),
              content: c.status === 'active' ? t('operator.suspendBody') : undefined,
              okText: t(c.status === 'active' ? 'operator.suspend' : 'operator.resume'),
              okButtonProps: { danger: c.status === 'active' },
              cancelText: t('common.cancel'),
              onOk: () => toggle.mutateAsync(c).catch(() => undefined),
            })
          }
        >
          {t(c.status === 'active' ? 'operator.suspend' : 'operator.resume')}
        </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
              {t('operator.create')}
            </Button>
          </Space>
        }
      >
        {t('operator.companies')}
      </PageTitle>
      <Card styles={{ body: { padding: 12 } }}>
        <Table<OperatorCompany>
          rowKey="id"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isLoading}
          scroll={{ x: 'max-content' }}
          locale={list.error ? { emptyText: errText(list.error) } : undefined}
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        />
      </Card>
      {creating && <CreateCompanyModal onClose={() => setCreating(false)} />}
      {funding && <BalanceModal company={funding} onClose={() => setFunding(null)} />}
    </>
  );
}
