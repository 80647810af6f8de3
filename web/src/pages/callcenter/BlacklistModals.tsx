// 黑名单 modals: 添加号码, 移动到分组, and 导入 (template, group, upload, result). Groups are
// added and renamed in the page's GroupList.
import { useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError } from '../../api/client';
import { BLACKLIST_KEY, type BlacklistEntry, type BlacklistFilter, type BlacklistGroup, type BlacklistImportResult } from '../../api/calling';
import { useI18n } from '../../i18n';
import { checkSheetFile } from '../../lib/format';
import { selectionTarget, type RowSelection } from '../../lib/selection';
import { ImportModal, ImportReport } from '../../components/ImportUpload';

export const BL_GROUP_NAME_MAX = 30;

/**
 * errText, but DEFAULT_GROUP names the blacklist's default group (not the permission group),
 * and in Chinese an invalid number shows the server's reason (位数不对…).
 */
export function useBlErrText() {
  const { t, errText, lang } = useI18n();
  return (e: unknown) => {
    if (e instanceof ApiError && e.code === 'DEFAULT_GROUP') return t('bl.defaultGroupLocked');
    if (e instanceof ApiError && e.code === 'INVALID_PHONE' && lang === 'zh' && e.message) return e.message;
    return errText(e);
  };
}

const groupOptions = (groups: BlacklistGroup[], defaultLabel: string) =>
  groups.map((g) => ({ value: g.id, label: g.is_default ? `${g.name}（${defaultLabel}）` : g.name }));

interface AddForm {
  phone: string;
  group_id: number;
  note?: string;
  expires_at?: Dayjs | null;
}

const ADD_FIELDS = ['phone', 'group_id', 'note', 'expires_at'] as const;

export function BlAddModal({ groups, groupId, onClose }: { groups: BlacklistGroup[]; groupId: number | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const errText = useBlErrText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<AddForm>();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: AddForm) =>
      api.post<BlacklistEntry>('/api/blacklist', {
        phone: v.phone.trim(),
        group_id: v.group_id,
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        ...(v.expires_at ? { expires_at: v.expires_at.toISOString() } : {}),
      }),
    onSuccess: () => {
      message.success(t('bl.added'));
      void qc.invalidateQueries({ queryKey: [BLACKLIST_KEY] });
      onClose();
    },
    onError: (e) => {
      const field = e instanceof ApiError ? ADD_FIELDS.find((f) => f === e.field) : undefined;
      if (field) form.setFields([{ name: field, errors: [errText(e)] }]);
      else if (e instanceof ApiError && (e.code === 'ALREADY_LISTED' || e.status === 422)) form.setFields([{ name: 'phone', errors: [errText(e)] }]);
      else setError(errText(e));
    },
  });
  const initialGroup = groupId ?? groups.find((g) => g.is_default)?.id ?? groups[0]?.id;
  return (
    <Modal
      open
      title={t('bl.addPhone')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<AddForm> form={form} layout="vertical" name="blacklist-add" initialValues={{ group_id: initialGroup }} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t('bl.phone')} name="phone" rules={[{ required: true, whitespace: true, message: t('bl.phoneRequired') }]}>
          <Input maxLength={30} inputMode="tel" autoFocus placeholder={t('bl.phonePlaceholder')} />
        </Form.Item>
        <Form.Item label={t('bl.group')} name="group_id" rules={[{ required: true, message: t('bl.groupRequired') }]}>
          <Select options={groupOptions(groups, t('bl.default'))} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item label={t('bl.note')} name="note">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={200} showCount />
        </Form.Item>
        <Form.Item label={t('bl.expiresAt')} name="expires_at" extra={t('bl.expiresHint')}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: 220 }}
            placeholder={t('bl.never')}
            disabledDate={(d) => d.isBefore(dayjs(), 'day')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function BlMoveModal({
  groups,
  selection,
  filter,
  count,
  onClose,
  onDone,
}: {
  groups: BlacklistGroup[];
  selection: RowSelection;
  filter: BlacklistFilter;
  count: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const errText = useBlErrText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ group_id: number }>();
  const move = useMutation({
    mutationFn: (group_id: number) => api.post<{ moved: number }>('/api/blacklist/move', { ...selectionTarget(selection, filter), group_id }),
    onSuccess: (r) => {
      message.success(t('bl.movedN', { n: r?.moved ?? count }));
      void qc.invalidateQueries({ queryKey: [BLACKLIST_KEY] });
      onDone();
      onClose();
    },
    onError: (e) => form.setFields([{ name: 'group_id', errors: [errText(e)] }]),
  });
  return (
    <Modal
      open
      title={t('bl.moveTitle', { n: count })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={move.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="blacklist-move" onFinish={(v) => move.mutate(v.group_id)}>
        <Form.Item label={t('bl.targetGroup')} name="group_id" extra={t('bl.moveHint')} rules={[{ required: true, message: t('bl.groupRequired') }]}>
          <Select options={groupOptions(groups, t('bl.default'))} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function BlImportModal({ groups, groupId, onClose }: { groups: BlacklistGroup[]; groupId: number | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const errText = useBlErrText();
  const qc = useQueryClient();
  const [target, setTarget] = useState<number | undefined>(groupId ?? groups.find((g) => g.is_default)?.id ?? groups[0]?.id);
  return (
    <ImportModal<BlacklistImportResult>
      title={t('bl.import')}
      width={560}
      templateUrl="/api/blacklist/import-template"
      templateText={t('bl.downloadTemplate')}
      notes={{ title: t('bl.importNote') }}
      accept=".xlsx,.csv"
      check={(f) => {
        const bad = checkSheetFile(f);
        return bad === 'badExt' ? t('bl.importBadExt') : bad === 'tooLarge' ? t('import.tooLarge') : null;
      }}
      dragText={t('bl.dragText')}
      dragHint={t('bl.dragHint')}
      ready={target != null}
      upload={async (file) => {
        if (target == null) throw new Error(t('bl.groupRequired'));
        const fd = new FormData();
        fd.append('file', file);
        fd.append('group_id', String(target));
        const res = await api.post<BlacklistImportResult>('/api/blacklist/import', fd);
        void qc.invalidateQueries({ queryKey: [BLACKLIST_KEY] });
        return res ?? { added: 0, skipped: 0, errors: [] };
      }}
      errorOf={(e) => ({ title: errText(e) })}
      result={(r) => (
        <ImportReport
          testId="blacklist-import-result"
          summary={t('bl.importDone', { added: r.added, skipped: r.skipped, errors: r.errors.length })}
          counts={[
            { label: t('bl.importAdded'), value: r.added },
            { label: t('bl.importSkipped'), value: r.skipped },
            { label: t('bl.importFailed'), value: r.errors.length },
          ]}
          errors={r.errors}
        />
      )}
      onClose={onClose}
    >
      <Form layout="vertical" component="div">
        <Form.Item label={t('bl.importGroup')} required>
          <Select aria-label={t('bl.importGroup')} value={target} onChange={setTarget} options={groupOptions(groups, t('bl.default'))} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      </Form>
    </ImportModal>
  );
}
