import { useEffect, useState } from 'react';
import { Button } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, CloseOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useI18n } from '../i18n';
import { NOTIFICATIONS_PATH } from '../components/common';
import { POPUP_MS, type JobPopupState } from './useNotificationStream';

/**
 * 弹屏提醒: a finished job, shown inside the header bar beside the bell it belongs to. It is
 * part of the header's layout, not an overlay, so it never covers a page's buttons; it
 * leaves after a few seconds (longer while the pointer or focus is on it).
 */
export function JobPopup({ popup, onDismiss }: { popup: JobPopupState | null; onDismiss: () => void }) {
  return popup ? <PopupCard key={popup.notification.id} popup={popup} onDismiss={onDismiss} /> : null;
}

function PopupCard({ popup, onDismiss }: { popup: JobPopupState; onDismiss: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [held, setHeld] = useState(false);

  useEffect(() => {
    if (held) return;
    const timer = window.setTimeout(onDismiss, POPUP_MS);
    return () => window.clearTimeout(timer);
  }, [popup, held, onDismiss]);

  const n = popup.notification;
  const openList = () => {
    onDismiss();
    navigate(NOTIFICATIONS_PATH);
  };
  const ok = n.status === 'succeeded';
  const counts = t('notify.popupCounts', { success: n.success_count, fail: n.fail_count });
  const detail = ok ? counts : n.error || counts;
  return (
    <div
      className={`vx-job-popup ${ok ? 'vx-job-popup-ok' : 'vx-job-popup-failed'}`}
      role="status"
      aria-live="polite"
      data-testid="job-popup"
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      {ok ? <CheckCircleFilled aria-hidden /> : <CloseCircleFilled aria-hidden />}
      <button type="button" className="vx-job-popup-text" title={`${n.title} · ${detail}`} onClick={openList}>
        <strong>{t(ok ? 'notify.popupDone' : 'notify.popupFailed', { title: n.title })}</strong>
        <span className="vx-job-popup-detail">{detail}</span>
        {popup.others > 0 && <span className="vx-job-popup-detail">{t('notify.popupOthers', { n: popup.others })}</span>}
      </button>
      <Button type="link" size="small" className="vx-job-popup-view" onClick={openList}>
        {t('notify.popupView')}
      </Button>
      <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('notify.popupClose')} onClick={onDismiss} />
    </div>
  );
}
