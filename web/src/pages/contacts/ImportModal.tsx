import { useState } from 'react';
import { Alert, Button, Modal, Result, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { ImportAccepted } from '../../api/types';
import { useI18n } from '../../i18n';
import { checkImportFile } from '../../lib/format';
import { NOTIFICATIONS_PATH } from '../../components/common';

/** 导入子账户: template download, .xlsx upload (<= 10 MB), runs in the background. */
export default function ImportModal({ onClose }: { onClose: () => void }) {
  const { t, errText } = useI18n();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [accepted, setAccepted] = useState<ImportAccepted | null>(null);

  const start = async () => {
    if (!file) {
      setError(t('import.chooseFile'));
      return;
    }
    setError(null);
    setUploading(true);
    try {
      const fd = new FormData();
      fd.append('file', file);
      const res = await api.post<ImportAccepted>('/api/members/import', fd);
      setAccepted(res ?? { job_id: 0, notification_id: 0 });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    } catch (e) {
      setError(errText(e));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Modal
      open
      title={t('member.import')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        accepted ? (
          <Button type="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={uploading} disabled={!file} onClick={() => void start()}>
              {t('import.start')}
            </Button>
          </>
        )
      }
    >
      {accepted ? (
        <Result
          status="success"
          title={t('import.acceptedTitle')}
          subTitle={t('import.acceptedBody')}
          extra={
            <Link to={NOTIFICATIONS_PATH} onClick={onClose}>
              {t('import.gotoNotifications')}
            </Link>
          }
        />
      ) : (
        <>
          <Typography.Paragraph>
            <a href="/api/members/import-template" download>
              <DownloadOutlined aria-hidden /> {t('import.downloadTemplate')}
            </a>
          </Typography.Paragraph>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('import.notesTitle')}
            description={
              <ol style={{ margin: 0, paddingLeft: 18 }}>
                <li>{t('import.note1')}</li>
                <li>{t('import.note2')}</li>
                <li>{t('import.note3')}</li>
                <li>{t('import.note4')}</li>
              </ol>
            }
          />
          <Upload.Dragger
            accept=".xlsx"
            multiple={false}
            maxCount={1}
            fileList={file ? [{ uid: 'f', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(f) => {
              const bad = checkImportFile(f);
              if (bad) {
                setError(t(bad));
                setFile(null);
              } else {
                setError(null);
                setFile(f);
              }
              return Upload.LIST_IGNORE;
            }}
            onRemove={() => setFile(null)}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p className="ant-upload-text">{t('import.dragText')}</p>
            <p className="ant-upload-hint">{t('import.dragHint')}</p>
          </Upload.Dragger>
          {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} role="alert" />}
        </>
      )}
    </Modal>
  );
}
