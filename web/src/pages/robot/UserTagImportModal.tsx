// 导入用户标签: template download, .xlsx/.csv upload (columns 分组, 标签), then the result.
import { useState } from 'react';
import { Alert, Button, Descriptions, Modal, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { USER_TAGS_KEY, type UserTagImportResult } from '../../api/robot';
import { useI18n } from '../../i18n';
import { IMPORT_MAX_BYTES } from '../../lib/format';

export default function UserTagImportModal({ onClose }: { onClose: () => void }) {
  const { t, errText } = useI18n();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [result, setResult] = useState<UserTagImportResult | null>(null);

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
      const res = await api.post<UserTagImportResult>('/api/user-tags/import', fd);
      setResult(res ?? { groups_created: 0, tags_created: 0, skipped: 0, errors: [] });
      void qc.invalidateQueries({ queryKey: [USER_TAGS_KEY] });
    } catch (e) {
      setError(errText(e));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Modal
      open
      title={t('tags.import')}
      onCancel={onClose}
      destroyOnHidden
      width={560}
      footer={
        result ? (
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
      {result ? (
        <div data-testid="tag-import-result">
          <Alert
            type={result.errors.length ? 'warning' : 'success'}
            showIcon
            style={{ marginBottom: 12 }}
            title={t('tags.importDone', { groups: result.groups_created, tags: result.tags_created, skipped: result.skipped })}
          />
          <Descriptions size="small" column={3} bordered>
            <Descriptions.Item label={t('tags.groupsCreated')}>{result.groups_created}</Descriptions.Item>
            <Descriptions.Item label={t('tags.tagsCreated')}>{result.tags_created}</Descriptions.Item>
            <Descriptions.Item label={t('tags.skipped')}>{result.skipped}</Descriptions.Item>
          </Descriptions>
          {result.errors.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('tags.errorRows', { n: result.errors.length })}
              </Typography.Title>
              <Table
                rowKey={(r) => `${r.row}:${r.reason}`}
                size="small"
                dataSource={result.errors}
                pagination={result.errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                columns={[
                  { title: t('tags.row'), dataIndex: 'row', width: 80 },
                  { title: t('tags.reason'), dataIndex: 'reason' },
                ]}
              />
            </>
          )}
        </div>
      ) : (
        <>
          <Typography.Paragraph>
            <a href="/api/user-tags/template" download>
              <DownloadOutlined aria-hidden /> {t('tags.downloadTemplate')}
            </a>
          </Typography.Paragraph>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('tags.importNote')} />
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            maxCount={1}
            fileList={file ? [{ uid: 'f', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(f) => {
              const bad = !/\.(xlsx|csv)$/i.test(f.name) ? t('tags.importBadExt') : f.size > IMPORT_MAX_BYTES ? t('import.tooLarge') : null;
              if (bad) {
                setError(bad);
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
            <p className="ant-upload-text">{t('tags.dragText')}</p>
            <p className="ant-upload-hint">{t('tags.dragHint')}</p>
          </Upload.Dragger>
          {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} role="alert" />}
        </>
      )}
    </Modal>
  );
}
