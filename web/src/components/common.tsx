import type { ReactNode } from 'react';
import { App, Button, Grid, Space, Spin } from 'antd';
import { useI18n } from '../i18n';

export const FORCED_PASSWORD_PATH = '/password-required';
export const NOTIFICATIONS_PATH = '/settings/notifications';

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '50vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
      <h1 className="vx-page-title" style={{ margin: 0, flex: 1 }}>
        {children}
      </h1>
      {extra}
    </div>
  );
}

/** Below 768px (AntD's `md` breakpoint). */
export function useIsMobile(): boolean {
  return Grid.useBreakpoint().md === false;
}

export interface ConfirmDelete {
  title: ReactNode;
  content?: ReactNode;
  /** Runs on 删除; a failure is left to the mutation's own onError (the dialog just closes). */
  onOk: () => Promise<unknown>;
}

/** Opens the 删除 confirmation (red 删除 button, 取消). */
export function useConfirmDelete(): (c: ConfirmDelete) => void {
  const { t } = useI18n();
  const { modal } = App.useApp();
  return ({ title, content, onOk }) => {
    modal.confirm({
      title,
      content,
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => onOk().catch(() => undefined),
    });
  };
}

/** A row action's 删除 link (or its `label`), confirmed first. */
export function DeleteLink({
  disabled,
  hint,
  icon,
  label,
  ...confirm
}: ConfirmDelete & { disabled?: boolean; hint?: string; icon?: ReactNode; label?: ReactNode }) {
  const { t } = useI18n();
  const confirmDelete = useConfirmDelete();
  return (
    <Button type="link" size="small" danger disabled={disabled} title={hint} icon={icon} onClick={() => confirmDelete(confirm)}>
      {label ?? t('common.delete')}
    </Button>
  );
}

/** A row action's 编辑 link; `hint` says why it is disabled. */
export function EditLink({ onClick, icon, disabled, hint }: { onClick: () => void; icon?: ReactNode; disabled?: boolean; hint?: string }) {
  const { t } = useI18n();
  return (
    <Button type="link" size="small" icon={icon} disabled={disabled} title={hint} onClick={onClick}>
      {t('common.edit')}
    </Button>
  );
}

/** A filter form's 查询 (submit) and 重置 buttons, then any extra controls. */
export function SearchResetButtons({ onReset, children }: { onReset: () => void; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <Space>
      <Button type="primary" htmlType="submit">
        {t('num.search')}
      </Button>
      <Button onClick={onReset}>{t('num.reset')}</Button>
      {children}
    </Space>
  );
}
