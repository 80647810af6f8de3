import { useState } from 'react';
import { Alert, App, Form, Input, Modal, TreeSelect } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { Department, Member } from '../../api/types';
import { useI18n } from '../../i18n';
import { EMAIL_RE, PHONE_RE } from '../../lib/format';
import { deptSelectData } from './DeptPanel';

interface Values {
  name: string;
  phone: string;
  email?: string;
  department_id?: number | null;
  password?: string;
}

const FIELD_FOR_CODE: Record<string, keyof Values> = {
  PHONE_TAKEN: 'phone',
  INVALID_PHONE: 'phone',
  EMAIL_TAKEN: 'email',
  INVALID_EMAIL: 'email',
  UNKNOWN_DEPARTMENT: 'department_id',
  WEAK_PASSWORD: 'password',
};

/** 新建子账户 / 编辑子账户. */
export default function MemberModal({
  member,
  defaultDepartmentId,
  depts,
  onClose,
}: {
  member: Member | null;
  defaultDepartmentId?: number;
  depts: Department[];
  onClose: () => void;
}) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const creating = member === null;

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        name: v.name.trim(),
        phone: v.phone.trim(),
        email: v.email?.trim() || null,
        department_id: v.department_id ?? null,
      };
      return creating
        ? api.post<Member>('/api/members', { ...body, ...(v.password ? { password: v.password } : {}) })
        : api.put<Member>(`/api/members/${member.id}`, body);
    },
    onSuccess: () => {
      message.success(t(creating ? 'member.created' : 'common.saved'));
      void qc.invalidateQueries({ queryKey: ['members'] });
      void qc.invalidateQueries({ queryKey: ['departments'] });
      onClose();
    },
    onError: (e) => {
      const field = e instanceof ApiError ? ((e.field as keyof Values | undefined) ?? FIELD_FOR_CODE[e.code]) : undefined;
      if (field && ['name', 'phone', 'email', 'department_id', 'password'].includes(field)) {
        form.setFields([{ name: field, errors: [errText(e)] }]);
      } else setError(errText(e));
    },
  });

  return (
    <Modal
      open
      title={creating ? t('member.create') : t('member.editTitle', { name: member.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        name="member"
        layout="vertical"
        onFinish={(v) => {
          setError(null);
          save.mutate(v);
        }}
        initialValues={
          member
            ? { name: member.name, phone: member.phone, email: member.email ?? '', department_id: member.department_id ?? undefined }
            : { department_id: defaultDepartmentId }
        }
      >
        <Form.Item label={t('field.name')} name="name" rules={[{ required: true, whitespace: true, message: t('member.nameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          label={t('field.phone')}
          name="phone"
          extra={creating ? t('member.phoneLoginHint') : undefined}
          rules={[
            { required: true, message: t('member.phoneRequired') },
            { pattern: PHONE_RE, message: t('member.phoneInvalid') },
          ]}
        >
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
        <Form.Item label={t('field.email')} name="email" rules={[{ pattern: EMAIL_RE, message: t('member.emailInvalid') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label={t('field.department')} name="department_id">
          <TreeSelect allowClear treeDefaultExpandAll treeData={deptSelectData(depts)} placeholder={t('member.noDept')} />
        </Form.Item>
        {creating && (
          <Form.Item
            label={t('member.initialPassword')}
            name="password"
            extra={t('member.initialPasswordHint')}
          >
            <Input.Password autoComplete="new-password" placeholder="123456" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
