import { useEffect, useState } from 'react';
import { App, Avatar, Button, Card, Col, Form, Input, Row, Space, Switch, Typography, Upload } from 'antd';
import { UploadOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { ME_KEY, useMember } from '../api/hooks';
import type { Company, MemberMe } from '../api/types';
import { useI18n } from '../i18n';
import { PageTitle } from '../components/common';
import { AVATAR_MAX_BYTES, EMAIL_RE, PHONE_RE } from '../lib/format';
import { roleKey } from './Home';

interface ProfileValues {
  name: string;
  phone: string;
  email?: string;
  popup_enabled: boolean;
}

interface CompanyValues {
  name: string;
  contact_name?: string;
  contact_phone?: string;
  address?: string;
}

const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export default function ProfilePage() {
  const me = useMember();
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<ProfileValues>();
  const [companyForm] = Form.useForm<CompanyValues>();
  const [uploading, setUploading] = useState(false);

  useEffect(() => {
    form.setFieldsValue({ name: me.name, phone: me.phone, email: me.email ?? '', popup_enabled: me.popup_enabled });
  }, [form, me.name, me.phone, me.email, me.popup_enabled]);
  useEffect(() => {
    const c = me.company;
    companyForm.setFieldsValue({ name: c.name, contact_name: c.contact_name ?? '', contact_phone: c.contact_phone ?? '', address: c.address ?? '' });
  }, [companyForm, me.company]);

  const saveProfile = useMutation({
    mutationFn: (v: ProfileValues) =>
      api.put<MemberMe>('/api/me/profile', { name: v.name.trim(), phone: v.phone.trim(), email: v.email?.trim() || null, popup_enabled: v.popup_enabled }),
    onSuccess: (fresh) => {
      qc.setQueryData(ME_KEY, fresh);
      message.success(t('common.saved'));
    },
    onError: (e) => {
      if (e instanceof ApiError && e.field && ['name', 'phone', 'email'].includes(e.field)) {
        form.setFields([{ name: e.field as keyof ProfileValues, errors: [errText(e)] }]);
      } else if (e instanceof ApiError && (e.code === 'PHONE_TAKEN' || e.code === 'INVALID_PHONE')) {
        form.setFields([{ name: 'phone', errors: [errText(e)] }]);
      } else if (e instanceof ApiError && (e.code === 'EMAIL_TAKEN' || e.code === 'INVALID_EMAIL')) {
        form.setFields([{ name: 'email', errors: [errText(e)] }]);
      } else message.error(errText(e));
    },
  });

  const saveCompany = useMutation({
    mutationFn: (v: CompanyValues) =>
      api.put<Company>('/api/company', {
        name: v.name.trim(),
        contact_name: v.contact_name?.trim() ?? '',
        contact_phone: v.contact_phone?.trim() ?? '',
        address: v.address?.trim() ?? '',
      }),
    onSuccess: (company) => {
      qc.setQueryData<MemberMe>(ME_KEY, (old) => (old ? { ...old, company: { ...old.company, ...company } } : old));
      message.success(t('common.saved'));
    },
    onError: (e) => message.error(errText(e)),
  });

  const uploadAvatar = async (file: File) => {
    if (!AVATAR_TYPES.includes(file.type)) {
      message.error(t('profile.avatarType'));
      return;
    }
    if (file.size > AVATAR_MAX_BYTES) {
      message.error(t('profile.avatarSize'));
      return;
    }
    const fd = new FormData();
    fd.append('file', file);
    setUploading(true);
    try {
      const fresh = await api.post<MemberMe>('/api/me/avatar', fd);
      qc.setQueryData(ME_KEY, fresh);
      message.success(t('profile.avatarDone'));
    } catch (e) {
      message.error(errText(e));
    } finally {
      setUploading(false);
    }
  };

  const c = me.company;

  return (
    <>
      <PageTitle>{t('user.profile')}</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('profile.personal')}>
            <Space align="center" size={16} style={{ marginBottom: 24 }} wrap>
              <Avatar size={72} src={me.avatar_url || undefined} icon={<UserOutlined aria-hidden />} alt={t('profile.avatar')} />
              <div>
                <Upload
                  accept=".png,.jpg,.jpeg,.gif,.webp"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void uploadAvatar(file);
                    return Upload.LIST_IGNORE;
                  }}
                >
                  <Button icon={<UploadOutlined aria-hidden />} loading={uploading}>
                    {t('profile.uploadAvatar')}
                  </Button>
                </Upload>
                <div className="vx-muted" style={{ fontSize: 12, marginTop: 6 }}>
                  {t('profile.avatarHint')}
                </div>
              </div>
            </Space>
            <Form form={form} layout="vertical" onFinish={(v) => saveProfile.mutate(v)} disabled={saveProfile.isPending} style={{ maxWidth: 480 }}>
              <Form.Item label={t('field.name')} name="name" rules={[{ required: true, whitespace: true, message: t('member.nameRequired') }]}>
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item
                label={t('field.phone')}
                name="phone"
                extra={t('profile.phoneHint')}
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
              <Form.Item label={t('profile.popup')} name="popup_enabled" valuePropName="checked" extra={t('profile.popupHint')}>
                <Switch />
              </Form.Item>
              <Form.Item label={t('field.role')}>
                <Typography.Text>
                  {t(roleKey(me))}
                  {me.department_name ? ` · ${me.department_name}` : ''}
                </Typography.Text>
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={saveProfile.isPending}>
                {t('common.save')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('home.companyInfo')}>
            {me.is_owner ? (
              <Form form={companyForm} layout="vertical" onFinish={(v) => saveCompany.mutate(v)} disabled={saveCompany.isPending} style={{ maxWidth: 480 }}>
                <Form.Item label={t('company.name')} name="name" rules={[{ required: true, whitespace: true, message: t('company.nameRequired') }]}>
                  <Input maxLength={100} />
                </Form.Item>
                <Form.Item label={t('company.contactName')} name="contact_name">
                  <Input maxLength={50} />
                </Form.Item>
                <Form.Item label={t('company.contactPhone')} name="contact_phone">
                  <Input maxLength={30} />
                </Form.Item>
                <Form.Item label={t('company.address')} name="address">
                  <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={saveCompany.isPending}>
                  {t('company.save')}
                </Button>
              </Form>
            ) : (
              <>
                <Typography.Paragraph type="secondary">{t('company.ownerOnly')}</Typography.Paragraph>
                <dl style={{ margin: 0 }}>
                  {[
                    [t('company.name'), c.name],
                    [t('company.contactName'), c.contact_name],
                    [t('company.contactPhone'), c.contact_phone],
                    [t('company.address'), c.address],
                  ].map(([k, v]) => (
                    <div key={k} style={{ display: 'flex', gap: 12, padding: '6px 0' }}>
                      <dt className="vx-muted" style={{ width: 96, flex: 'none' }}>
                        {k}
                      </dt>
                      <dd style={{ margin: 0 }}>{v || '-'}</dd>
                    </div>
                  ))}
                </dl>
              </>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
