// 分享话术: copies the script's draft to the chosen members (each gets a notification).
import { useMemo, useState } from 'react';
import { Alert, App, Form, Modal, Select, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../api/client';
import { scriptPath, type ScriptSummary } from '../../api/robot';
import { useI18n } from '../../i18n';

/** A colleague as the picker endpoint returns them. */
interface MemberOption {
  id: number;
  name: string;
  department_name: string | null;
}

export default function ShareScriptModal({ script, selfId, onClose }: { script: ScriptSummary; selfId: number; onClose: () => void }) {
  const { t, errText } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const [labels, setLabels] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const members = useQuery({
    queryKey: ['members', 'share', q],
    queryFn: () => api.get<MemberOption[]>(`/api/members/picker${qs({ q })}`),
  });
  const options = useMemo(() => {
    const label = (m: MemberOption) => `${m.name}${m.department_name ? ` · ${m.department_name}` : ''}`;
    const opts = (members.data ?? []).filter((m) => m.id !== selfId).map((m) => ({ value: m.id, label: label(m) }));
    // Keep chosen members visible while another search is shown.
    for (const id of picked) if (!opts.some((o) => o.value === id)) opts.push({ value: id, label: labels[id] ?? `#${id}` });
    return opts;
  }, [members.data, selfId, picked, labels]);

  const share = useMutation({
    mutationFn: (ids: number[]) => api.post<{ shared: number }>(`${scriptPath(script.id)}/share`, { member_ids: ids }),
    onSuccess: (r, ids) => {
      message.success(t('script.shared', { n: r?.shared ?? ids.length }));
      void qc.invalidateQueries({ queryKey: ['notifications'] });
      // The copies belong to the chosen members and show in the list under 全部.
      void qc.invalidateQueries({ queryKey: ['scripts'] });
      onClose();
    },
    onError: (e) => setError(errText(e)),
  });

  return (
    <Modal
      open
      title={t('script.shareTitle', { name: script.name })}
      onCancel={onClose}
      onOk={() => (picked.length ? share.mutate(picked) : setError(t('script.shareRequired')))}
      okText={t('script.share')}
      okButtonProps={{ disabled: picked.length === 0 }}
      cancelText={t('common.cancel')}
      confirmLoading={share.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('script.shareIntro')}</Typography.Paragraph>
      <Form layout="vertical" name="script-share">
        <Form.Item label={t('script.shareMembers')} required>
          <Select
            mode="multiple"
            value={picked}
            options={options}
            loading={members.isFetching}
            placeholder={t('script.shareMembersPlaceholder')}
            showSearch={{ filterOption: false, onSearch: setQ }}
            notFoundContent={members.error ? errText(members.error) : undefined}
            onChange={(ids: number[]) => {
              setError(null);
              const next = { ...labels };
              for (const o of options) if (ids.includes(o.value)) next[o.value] = o.label;
              setLabels(next);
              setPicked(ids);
            }}
            aria-label={t('script.shareMembers')}
            data-testid="share-members"
          />
        </Form.Item>
      </Form>
      {members.error && <Alert type="error" showIcon title={errText(members.error)} style={{ marginBottom: 8 }} />}
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}
