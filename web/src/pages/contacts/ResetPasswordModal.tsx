import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Member } from '../../api/types';
import { useI18n } from '../../i18n';

/** 重置密码: empty -> 123456; the member must change it at next login. */
export default function ResetPasswordModal({ member, onClose }: { member: Member; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ password?: string }>();
  const [error, setError] = useState<string | null>(null);
  const reset = useMutation({
    mutationFn: (v: { password?: string }) => api.post(`/api/members/${member.id}/reset-password`, v.password ? { password: v.password } : {}),
    onSuccess: () => {
      message.success(t('member.resetDone', { name: member.name }));
      void qc.invalidateQueries({ queryKey: ['members'] });
      onClose();
    },
    onError: (e) => setError(errText(e)),
  });
  return (
    <Modal
      open
      title={t('member.resetTitle', { name: member.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('member.resetPassword')}
      cancelText={t('common.cancel')}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">{t('member.resetBody')}</Typography.Paragraph>
      <Form form={form} name="reset-password" layout="vertical" onFinish={(v) => reset.mutate(v)}>
        <Form.Item label={t('member.newPassword')} name="password" extra={t('member.initialPasswordHint')}>
          <Input.Password autoComplete="new-password" placeholder="123456" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
